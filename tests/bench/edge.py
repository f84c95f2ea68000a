"""`python -m tests.bench.edge`: CPU time per request through the RSGI lane, in this process.

The requests of the HTTP bench (health, view by id, list, list with expand, create) plus a view
by id as a signed-in user, each sent to `palapy.apis.create_rsgi` through the in-process RSGI
stand-ins (no sockets, no server), timed with the process CPU clock; the best of five rounds is
printed. Steadier than req/s for comparing two versions of the edge on one machine (run it on
each and compare); the Granian and socket work a live server adds is not in it.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from palapy.apis import create_rsgi
from palapy.app import Palapy
from palapy.commands.superuser import run_superuser_command
from tests.harness.rsgi_client import call_async

__all__ = ["main", "measure"]

_JSON = [("content-type", "application/json")]
Case = tuple[str, str, str, list[tuple[str, str]], bytes]


async def _json(app: Any, method: str, path: str, body: Any, headers: list[tuple[str, str]]) -> Any:
    answer = await call_async(app, method, path, headers=[*_JSON, *headers], body=json.dumps(body).encode())
    assert answer.status == 200, answer.body
    return json.loads(answer.body)


async def _seed(app: Any) -> dict[str, Case]:
    login = {"identity": "su@example.com", "password": "1234567890"}
    su = [
        (
            "authorization",
            (await _json(app, "POST", "/api/collections/_superusers/auth-with-password", login, []))["token"],
        )
    ]
    public = {"listRule": "", "viewRule": "", "createRule": ""}
    authors = await _json(
        app,
        "POST",
        "/api/collections",
        {"name": "authors", **public, "fields": [{"name": "name", "type": "text"}]},
        su,
    )
    fields = [
        {"name": "title", "type": "text"},
        {"name": "views", "type": "number"},
        {"name": "author", "type": "relation", "collectionId": authors["id"], "maxSelect": 1},
    ]
    await _json(app, "POST", "/api/collections", {"name": "posts", **public, "fields": fields}, su)
    author = (await _json(app, "POST", "/api/collections/authors/records", {"name": "A"}, []))["id"]
    ids = [
        (
            await _json(
                app,
                "POST",
                "/api/collections/posts/records",
                {"title": f"t{i}", "views": i, "author": author},
                [],
            )
        )["id"]
        for i in range(200)
    ]
    view = f"/api/collections/posts/records/{ids[5]}"
    return {
        "health": ("GET", "/api/health", "", [], b""),
        "view": ("GET", view, "", [], b""),
        "view_auth": ("GET", view, "", su, b""),
        "list": ("GET", "/api/collections/posts/records", "perPage=30", [], b""),
        "list_expand": ("GET", "/api/collections/posts/records", "perPage=30&expand=author", [], b""),
        "create": ("POST", "/api/collections/posts/records", "", _JSON, b'{"title":"x","views":1}'),
    }


async def _rounds(app: Any, cases: dict[str, Case], requests: int, rounds: int) -> dict[str, float]:
    out: dict[str, float] = {}
    for name, (method, path, query, headers, body) in cases.items():
        for _ in range(min(200, requests)):
            await call_async(app, method, path, query, headers, body)
        best = float("inf")
        for _ in range(rounds):
            gc.collect()
            started = time.process_time()
            for _ in range(requests):
                await call_async(app, method, path, query, headers, body)
            best = min(best, (time.process_time() - started) / requests * 1e6)
        out[name] = best
    return out


def measure(requests: int = 2000, rounds: int = 5) -> dict[str, float]:
    """CPU microseconds per request of each case (best round)."""
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "pb_data"
        run_superuser_command("upsert", str(data_dir), "su@example.com", "1234567890")
        app = Palapy(data_dir)
        app.bootstrap()
        try:
            rsgi = create_rsgi(app)

            async def go() -> dict[str, float]:
                return await _rounds(rsgi, await _seed(rsgi), requests, rounds)

            return asyncio.run(go())
        finally:
            app.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.edge", description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per round (default %(default)s)")
    parser.add_argument(
        "--rounds", type=int, default=5, help="rounds per case, the best is shown (default %(default)s)"
    )
    args = parser.parse_args(argv)
    for name, micros in measure(args.requests, args.rounds).items():
        print(f"{name:12s} {micros:8.1f} us of CPU per request")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
