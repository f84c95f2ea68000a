"""Realtime streams for the scenario harness: an SSE parser and one event stream per target.

`HttpEventStream` reads a live server's `GET /api/realtime` on a thread; `InProcessEventStream`
runs palapy's RSGI app on the in-process target's loop with a protocol stand-in that feeds the
same parser. Both collect `SseEvent`s in arrival order; `close()` disconnects.
"""

from __future__ import annotations

import asyncio
import http.client
import socket
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.harness.rsgi_client import RsgiScope

__all__ = ["SseEvent", "SseParser", "EventStream", "HttpEventStream", "InProcessEventStream"]


@dataclass(frozen=True)
class SseEvent:
    id: str
    event: str
    data: str


class SseParser:
    """Incremental Server-Sent Events parsing (lines `field:value`, a blank line ends an event)."""

    def __init__(self, sink: Callable[[SseEvent], None]) -> None:
        self.sink = sink
        self.buffer = b""
        self.fields: dict[str, str] = {}

    def feed(self, data: bytes) -> None:
        self.buffer += data
        while b"\n" in self.buffer:
            line, self.buffer = self.buffer.split(b"\n", 1)
            text = line.decode("utf-8").rstrip("\r")
            if not text:
                if self.fields:
                    self.sink(
                        SseEvent(
                            self.fields.get("id", ""),
                            self.fields.get("event", ""),
                            self.fields.get("data", ""),
                        )
                    )
                self.fields = {}
                continue
            name, _, value = text.partition(":")
            value = value[1:] if value.startswith(" ") else value
            self.fields[name] = (
                self.fields[name] + "\n" + value if name == "data" and name in self.fields else value
            )


class EventStream:
    """A realtime connection: the events received so far and whether it has ended."""

    def __init__(self) -> None:
        self.events: list[SseEvent] = []
        self.lock = threading.Lock()
        self.status = 0
        self.headers: dict[str, str] = {}
        self.ended = False

    def add(self, event: SseEvent) -> None:
        with self.lock:
            self.events.append(event)

    def snapshot(self) -> list[SseEvent]:
        with self.lock:
            return list(self.events)

    def close(self) -> None:
        raise NotImplementedError


class HttpEventStream(EventStream):
    """`GET {base}/api/realtime` read on a background thread (http.client: closing shuts the
    socket down, which ends a blocked read at once)."""

    def __init__(self, base_url: str, headers: dict[str, str]) -> None:
        super().__init__()
        url = urllib.parse.urlsplit(base_url)
        self._conn = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port or 80, timeout=30)
        self._headers = {"Accept": "text/event-stream", **headers}
        self._closing = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        parser = SseParser(self.add)
        try:
            self._conn.request("GET", "/api/realtime", headers=self._headers)
            resp = self._conn.getresponse()
            self.status = resp.status
            self.headers = {k.lower(): v for k, v in resp.getheaders()}
            if self._conn.sock is not None:
                self._conn.sock.settimeout(None)
            while chunk := resp.read1(65536):
                parser.feed(chunk)
        except (OSError, http.client.HTTPException, ValueError):
            pass
        finally:
            self.ended = True

    def close(self) -> None:
        self._closing = True
        sock = self._conn.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._thread.join(timeout=5)
        self._conn.close()


class _Transport:
    def __init__(self, parser: SseParser) -> None:
        self.parser = parser

    async def send_bytes(self, data: bytes) -> None:
        self.parser.feed(data)

    async def send_str(self, data: str) -> None:
        self.parser.feed(data.encode())


class _StreamProto:
    """Granian's RSGI protocol, as far as a realtime stream uses it."""

    def __init__(self, stream: InProcessEventStream) -> None:
        self.stream = stream
        self.gone = asyncio.Event()

    async def __call__(self) -> bytes:
        return b""

    def __aiter__(self) -> Any:
        async def nothing() -> Any:
            if False:
                yield b""

        return nothing()

    async def client_disconnect(self) -> None:
        await self.gone.wait()

    def response_bytes(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.stream.status = status
        self.stream.headers = dict(headers)
        self.stream.parser.feed(body)

    def response_stream(self, status: int, headers: list[tuple[str, str]]) -> _Transport:
        self.stream.status = status
        self.stream.headers = dict(headers)
        return _Transport(self.stream.parser)


class InProcessEventStream(EventStream):
    """palapy's RSGI app answering `GET /api/realtime` as a task on `loop` (the caller runs it)."""

    def __init__(self, rsgi: Any, loop: asyncio.AbstractEventLoop, headers: dict[str, str]) -> None:
        super().__init__()
        self.parser = SseParser(self.add)
        self.loop = loop
        self.proto = _StreamProto(self)
        pairs = [("host", "127.0.0.1:8090"), *((k.lower(), v) for k, v in headers.items())]
        scope = RsgiScope("GET", "/api/realtime", "", pairs)
        self.task = loop.create_task(self._serve(rsgi, scope))

    async def _serve(self, rsgi: Any, scope: RsgiScope) -> None:
        try:
            await rsgi(scope, self.proto)
        finally:
            self.ended = True

    def close(self) -> None:
        self.proto.gone.set()
        if not self.task.done():
            try:
                self.loop.run_until_complete(asyncio.wait_for(self.task, 5))
            except (TimeoutError, asyncio.CancelledError):
                self.task.cancel()
