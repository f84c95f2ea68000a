"""A plain ASGI wrapper: PocketBase's default headers and CORS, outside Litestar for speed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["DefaultHeaders", "OMIT_DEFAULT_HEADERS", "HEAD_SCOPE_KEY", "BASE_HEADERS"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Added to every answer (but a preflight's), in this order, after the handler's own headers.
BASE_HEADERS = [
    (b"x-xss-protection", b"1; mode=block"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"SAMEORIGIN"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
_ALLOW_METHODS = b"GET,HEAD,PUT,PATCH,POST,DELETE"


_NOT_FOUND_BODY = b'{"data":{},"message":"File not found.","status":404}'

# A handler that must not carry some default header (file downloads drop X-Frame-Options)
# names it in this response header; the header itself never leaves the server.
OMIT_DEFAULT_HEADERS = "x-palapy-omit-default-headers"
# Set in the scope of a HEAD request served by the GET route, so handlers can skip the body.
HEAD_SCOPE_KEY = "palapy.head"
_OMIT = OMIT_DEFAULT_HEADERS.encode()


class DefaultHeaders:
    """Adds the security headers to every answer and handles CORS like PocketBase's defaults.

    Also mirrors two behaviours of Go's router that Litestar does not share: `HEAD` is served
    by the `GET` route without a body, and a trailing slash is a different (unknown) path.
    `origins` is the `--origins` list; `["*"]` allows every origin.
    """

    def __init__(self, app: ASGIApp, origins: list[str] | None = None) -> None:
        self.app = app
        self.origins = origins or ["*"]
        self.allow_all = "*" in self.origins

    def allowed_origin(self, origin: bytes) -> bytes | None:
        """The Access-Control-Allow-Origin value for a request from `origin` (None: none)."""
        if self.allow_all:
            return b"*"
        text = origin.decode("latin-1")
        return origin if text in self.origins else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        origin: bytes | None = None
        for name, value in scope.get("headers") or ():
            if name == b"origin":
                origin = value  # the last one, as a dict of the pairs would keep
        if scope["method"] == "OPTIONS" and origin is not None:
            headers = dict(scope.get("headers") or [])
            if b"access-control-request-method" in headers:
                await self._preflight(send, origin, headers)
                return
        allow = self.allowed_origin(origin) if origin is not None else None
        path: str = scope["path"]
        if len(path) > 1 and path.endswith("/") and path.startswith("/api/"):
            await self._not_found(send, allow)
            return
        head = scope["method"] == "HEAD"
        if head:
            scope = dict(scope, method="GET")
            scope[HEAD_SCOPE_KEY] = True

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers") or [])
                omit = {n.strip().lower() for k, v in raw if k.lower() == _OMIT for n in v.split(b",")}
                if omit:
                    raw = [(k, v) for k, v in raw if k.lower() != _OMIT]
                names = {k.lower() for k, _ in raw} | omit
                for k, v in BASE_HEADERS:
                    if k not in names:
                        raw.append((k, v))
                raw.append((b"vary", b"Origin"))
                if allow is not None:
                    raw.append((b"access-control-allow-origin", allow))
                message["headers"] = raw
            elif head and message["type"] == "http.response.body":
                message = dict(message, body=b"")
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _not_found(self, send: Send, allow: bytes | None) -> None:
        raw = [(b"content-type", b"application/json"), *BASE_HEADERS, (b"vary", b"Origin")]
        if allow is not None:
            raw.append((b"access-control-allow-origin", allow))
        await send({"type": "http.response.start", "status": 404, "headers": raw})
        await send({"type": "http.response.body", "body": _NOT_FOUND_BODY})

    async def _preflight(self, send: Send, origin: bytes, headers: dict[bytes, bytes]) -> None:
        allow = self.allowed_origin(origin)
        # PocketBase's preflight answer carries only the CORS headers, not the security ones.
        raw = [(b"vary", b"Origin, Access-Control-Request-Method, Access-Control-Request-Headers")]
        if allow is not None:
            raw.append((b"access-control-allow-origin", allow))
            raw.append((b"access-control-allow-methods", _ALLOW_METHODS))
            if b"access-control-request-headers" in headers:
                raw.append((b"access-control-allow-headers", headers[b"access-control-request-headers"]))
        await send({"type": "http.response.start", "status": 204, "headers": raw})
        await send({"type": "http.response.body", "body": b""})
