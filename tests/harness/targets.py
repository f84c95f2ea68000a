"""One synchronous client shape over the three targets the scenario tables run against.

- `inprocess`: `palapy.app.Palapy` + `create_rsgi`, driven through an in-process RSGI transport on a
  private event loop (`tests.harness.rsgi_client`); the only target that can count hook fires.
- `live`: `palapy serve` (from source, or the frozen binary when `PALAPY_BIN` is set).
- `pocketbase`: the real PocketBase 0.40.6 binary; it proves the expectations themselves.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import httpx

from tests.harness import servers
from tests.harness.rsgi_client import RsgiTransport
from tests.harness.sse import EventStream, HttpEventStream, InProcessEventStream

__all__ = ["TARGETS", "Response", "Target", "prepare_root", "start_target"]

TARGETS = ("inprocess", "live", "pocketbase")
_TIMEOUT = 60.0


@dataclass
class Response:
    """What a scenario checks: status, headers and the raw body."""

    status: int
    headers: httpx.Headers
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.body)


class Target(Protocol):
    """A running server for one target."""

    name: str

    def request(self, method: str, url: str, headers: dict[str, str], content: bytes | None) -> Response: ...

    def hook_counts(self) -> dict[str, int] | None:
        """Hook fires since the last reset, or None where hooks cannot be observed (live servers)."""
        ...

    def reset_hook_counts(self) -> None: ...

    def open_events(self, headers: dict[str, str]) -> EventStream:
        """Connect to `GET /api/realtime`; events arrive while `pause` runs."""
        ...

    def pause(self, seconds: float) -> None:
        """Let the server work for `seconds` (in process: run its loop)."""
        ...

    def close(self) -> None: ...


class HttpTarget:
    """A live server process reached over TCP."""

    def __init__(self, name: str, server: servers.ServerProcess) -> None:
        self.name = name
        self.server = server
        self.client = httpx.Client(base_url=server.base_url, timeout=_TIMEOUT)

    def request(self, method: str, url: str, headers: dict[str, str], content: bytes | None) -> Response:
        try:
            resp = self.client.request(method, url, headers=headers, content=content)
        except httpx.HTTPError as exc:
            raise AssertionError(
                f"{self.name}: {method} {url} failed at the transport level: {exc!r}\n{self.server.log_tail()}"
            ) from exc
        return Response(resp.status_code, resp.headers, resp.content)

    def hook_counts(self) -> dict[str, int] | None:
        return None

    def reset_hook_counts(self) -> None:
        return None

    def open_events(self, headers: dict[str, str]) -> EventStream:
        return HttpEventStream(self.server.base_url, headers)

    def pause(self, seconds: float) -> None:
        time.sleep(seconds)

    def close(self) -> None:
        self.client.close()
        self.server.stop()


class InProcessTarget:
    """palapy's RSGI app in this process, on its own event loop (no pytest-asyncio needed)."""

    name = "inprocess"

    def __init__(self, root: Path) -> None:
        from palapy.apis import create_rsgi
        from palapy.app import Palapy

        servers.use_test_storage(root)  # a SeaweedFS bucket under PALAPY_TEST_STORAGE=s3
        self.loop = asyncio.new_event_loop()
        self.core = Palapy(root / "pb_data")
        try:
            self.core.bootstrap()
        except BaseException:
            self.core.close()
            self.loop.close()
            raise
        self.counts: Counter[str] = Counter()
        self._count_hooks()
        self.rsgi = create_rsgi(self.core)
        transport = RsgiTransport(self.rsgi)
        self.client = httpx.AsyncClient(
            transport=transport, base_url="http://127.0.0.1:8090", timeout=_TIMEOUT
        )

    def _count_hooks(self) -> None:
        # The counter runs first and passes the event on; returning e.next() keeps async chains awaited.
        for name in self.core.hooks.names():
            hook = getattr(self.core.hooks, name)

            def counter(event: Any, _name: str = name) -> Any:
                self.counts[_name] += 1
                return event.next()

            hook.bind(counter, id="__scenario_counter__", priority=-(10**9))

    def request(self, method: str, url: str, headers: dict[str, str], content: bytes | None) -> Response:
        resp = self.loop.run_until_complete(
            self.client.request(method, url, headers=headers, content=content)
        )
        return Response(resp.status_code, resp.headers, resp.content)

    def hook_counts(self) -> dict[str, int] | None:
        # Every catalog hook, fired or not, so a misspelt expectation is reported as unknown.
        return {name: self.counts[name] for name in self.core.hooks.names()}

    def reset_hook_counts(self) -> None:
        self.counts.clear()

    def open_events(self, headers: dict[str, str]) -> EventStream:
        return InProcessEventStream(self.rsgi, self.loop, headers)

    def pause(self, seconds: float) -> None:
        self.loop.run_until_complete(asyncio.sleep(seconds))

    def close(self) -> None:
        try:
            self.loop.run_until_complete(self.client.aclose())
            # Streams a scenario left open end with the loop.
            pending = [t for t in asyncio.all_tasks(self.loop) if not t.done()]
            for task in pending:
                task.cancel()
            if pending:
                self.loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        finally:
            self.core.close()
            self.loop.close()


def prepare_root(kind: str, root: Path) -> None:
    """Create the data dir with the harness superuser, through each target's own CLI path."""
    (root / "pb_data").mkdir(parents=True, exist_ok=True)
    if kind == "inprocess":
        from palapy.commands.superuser import run_superuser_command

        code = run_superuser_command(
            "upsert", str(root / "pb_data"), servers.SUPERUSER_EMAIL, servers.SUPERUSER_PASSWORD
        )
        if code not in (0, None):
            raise servers.ServerError(f"palapy superuser upsert (in process) returned {code}")
    elif kind == "live":
        servers.upsert_superuser("palapy", root)
    elif kind == "pocketbase":
        servers.upsert_superuser("pocketbase", root)
    else:
        raise ValueError(f"unknown target {kind!r}")


def start_target(kind: str, root: Path) -> Target:
    """Serve `root/pb_data` as `kind`; raises ServerError (a test failure) if it cannot start."""
    if kind == "inprocess":
        return InProcessTarget(root)
    if kind == "live":
        return HttpTarget(kind, servers.start_server("palapy", root))
    if kind == "pocketbase":
        return HttpTarget(kind, servers.start_server("pocketbase", root))
    raise ValueError(f"unknown target {kind!r}")
