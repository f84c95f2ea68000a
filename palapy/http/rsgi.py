"""The server side of the HTTP edge: Granian's RSGI interface in front of the ASGI stack.

Why RSGI: Granian hands a request to Python and takes its answer back more cheaply through
RSGI than through its ASGI layer (no message dicts, one call for a whole body). Measured on
the bench's view by id (10,000 records, 32 connections, 2 cores), the same handler served
8,300-11,500 req/s under ASGI and 13,500-15,300 under RSGI. Litestar speaks ASGI, so
`RsgiFront` serves the hot reads itself (`http.hot`) and hands every other request to the
ASGI stack through `serve_asgi`, a small RSGI-to-ASGI bridge.

What the bridge gives the ASGI app, and how it differs from Granian's own ASGI scope:
- `path` is percent-decoded (as in ASGI); `raw_path` is that path re-encoded, since RSGI does
  not keep the raw one (nothing in palapy reads `raw_path`).
- `headers` are the request's pairs in order, lower-cased names, latin-1 bytes. Granian's RSGI
  leaves out header values that are not visible ASCII.
- the body arrives in the chunks Granian reads; once it is read, `receive()` waits for the
  client to go away and then says `http.disconnect`.
Answers: a body sent in one message goes out with `response_bytes`; a body sent in several
(file downloads, streams) goes out as an RSGI stream. Header values are handed over as UTF-8
text, which Granian encodes back to the same bytes.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any, Protocol

from granian._granian import RSGIProtocolClosed

__all__ = ["RsgiFront", "serve_asgi", "HotRoutes"]

log = logging.getLogger("palapy.http")

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]

_HTTP_VERSIONS = {"1": "1.0", "1.0": "1.0", "1.1": "1.1", "2": "2", "2.0": "2"}


class HotRoutes(Protocol):
    """Requests the front answers without ASGI (see `http.hot`)."""

    async def try_serve(self, scope: Any, proto: Any) -> bool:
        """Answer the request and return True, or return False having sent nothing."""
        ...


def _address(text: str | None) -> tuple[str, int] | None:
    """`127.0.0.1:8090` / `[::1]:8090` as ASGI's (host, port)."""
    if not text:
        return None
    host, _, port = text.rpartition(":")
    if not host:
        return None
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        return host, int(port)
    except ValueError:
        return None


def _header_text(value: bytes) -> str:
    # Granian encodes the text it is given as UTF-8: UTF-8 bytes round-trip unchanged.
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")


def asgi_scope(scope: Any) -> Scope:
    """The ASGI HTTP scope of an RSGI request scope."""
    path: str = scope.path
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": _HTTP_VERSIONS.get(scope.http_version, "1.1"),
        "method": scope.method,
        "scheme": scope.scheme,
        "path": path,
        "raw_path": path.encode("utf-8"),
        "query_string": scope.query_string.encode("utf-8"),
        "root_path": "",
        "headers": [(n.encode("latin-1"), v.encode("utf-8")) for n, v in scope.headers.items()],
        "client": _address(scope.client),
        "server": _address(scope.server),
        "state": {},
    }


class _Exchange:
    """One request's `receive` and `send` for the ASGI app, over the RSGI protocol object."""

    __slots__ = ("proto", "body_done", "chunks", "status", "headers", "stream", "finished")

    def __init__(self, proto: Any) -> None:
        self.proto = proto
        self.body_done = False
        self.chunks: Any = None
        self.status = 0
        self.headers: list[tuple[str, str]] | None = None
        self.stream: Any = None
        self.finished = False

    async def receive(self) -> dict[str, Any]:
        if not self.body_done:
            if self.chunks is None:
                self.chunks = self.proto.__aiter__()
            try:
                chunk = await self.chunks.__anext__()
            except StopAsyncIteration:
                self.body_done = True
                return {"type": "http.request", "body": b"", "more_body": False}
            return {"type": "http.request", "body": bytes(chunk), "more_body": True}
        await self.proto.client_disconnect()
        return {"type": "http.disconnect"}

    async def send(self, message: MutableMapping[str, Any]) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            self.status = int(message["status"])
            self.headers = [
                (bytes(n).decode("latin-1"), _header_text(bytes(v))) for n, v in message.get("headers") or ()
            ]
        elif kind == "http.response.body":
            if self.headers is None or self.finished:
                return
            body = bytes(message.get("body", b""))
            more = bool(message.get("more_body", False))
            if self.stream is None and not more:
                self.proto.response_bytes(self.status, self.headers, body)
                self.finished = True
                return
            if self.stream is None:
                self.stream = self.proto.response_stream(self.status, self.headers)
            if body:
                await self.stream.send_bytes(body)
            if not more:
                self.finished = True

    def close(self) -> None:
        """After the app returned: an answer it started but never finished is finished empty."""
        if self.headers is not None and self.stream is None and not self.finished:
            self.proto.response_bytes(self.status, self.headers, b"")
            self.finished = True


async def serve_asgi(app: ASGIApp, scope: Any, proto: Any) -> None:
    """Serve one RSGI HTTP request with an ASGI application."""
    exchange = _Exchange(proto)
    try:
        await app(asgi_scope(scope), exchange.receive, exchange.send)
    except RSGIProtocolClosed:
        return  # the client went away in the middle of a streamed answer
    except Exception:
        log.exception("unhandled error serving %s %s", scope.method, scope.path)
    exchange.close()
    if exchange.headers is None:
        # Nothing was answered (the app failed before starting): what an ASGI server sends.
        proto.response_bytes(500, [("content-type", "text/plain; charset=utf-8")], b"Internal Server Error")


class RsgiFront:
    """The RSGI application Granian serves: `hot` routes first, then the ASGI `app`."""

    def __init__(self, app: ASGIApp, hot: HotRoutes | None = None) -> None:
        self.app = app
        self.hot = hot

    async def __call__(self, scope: Any, proto: Any) -> None:
        if scope.proto != "http":  # websockets are switched off in the server
            return
        if self.hot is not None and await self.hot.try_serve(scope, proto):
            return
        await serve_asgi(self.app, scope, proto)
