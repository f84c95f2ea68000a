"""The application Granian serves (its RSGI interface): one route table, every route.

For each request, in PocketBase's order: an unclean path (`//`, `/./`, `/../`) is redirected to
its clean form as Go's ServeMux does; every OPTIONS request is a CORS preflight; an invalid Host
header is a 400; then the route table picks the handler (404 "File not found." for an unknown
path, PocketBase's 404 for a known path under another method). The handler's answer, or the
envelope of what it raised, goes out with the headers `headers.finish_headers` adds; a HEAD
request gets the GET answer without its body.

Why RSGI rather than ASGI behind a framework: Granian hands a request over and takes the answer
back in one call each (no message dicts), and no per-request framework pipeline runs; see
docs/performance.md for the figures.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from granian.rsgi import HTTPProtocol, ProtocolClosed, Scope

from palapy.core import App
from palapy.tools.errors import MSG_BAD_REQUEST, MSG_NOT_FOUND, ApiError
from palapy.web.errors import error_response
from palapy.web.headers import Cors, finish_headers, preflight_headers
from palapy.web.request import Request
from palapy.web.response import STREAMED, Response
from palapy.web.routing import RouteTable

__all__ = ["RsgiApp", "clean_path", "MSG_FILE_NOT_FOUND"]

log = logging.getLogger("palapy.web")

# Unknown paths fall through to PocketBase's static file handler, hence its message.
MSG_FILE_NOT_FOUND = "File not found."
# The characters a Host header may hold (RFC 3986 reg-name, IP literals, a port).
_VALID_HOST = re.compile(r"\A[0-9A-Za-z!$&'()*+,;=\-._~:\[\]@%]*\Z")


@lru_cache(maxsize=256)
def _valid_host(host: str) -> bool:
    return _VALID_HOST.match(host) is not None


def clean_path(path: str) -> str:
    """Go's `cleanPath`: `.` and `..` resolved, repeated slashes collapsed, a trailing slash kept."""
    if not path:
        return "/"
    if path[0] != "/":
        path = "/" + path
    if "//" not in path and "/." not in path:
        return path  # the common case: already clean
    parts: list[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    cleaned = "/" + "/".join(parts)
    if path.endswith("/") and cleaned != "/":
        cleaned += "/"
    return cleaned


def _redirect(path: str, query: str, method: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """Go's redirect to the clean path: 307, and a short HTML body for GET and HEAD."""
    location = path + ("?" + query if query else "")
    if method not in ("GET", "HEAD"):
        return 307, [("location", location), ("content-length", "0")], b""
    href = location.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
    body = f'<a href="{href}">Temporary Redirect</a>.\n\n'.encode()
    headers = [
        ("content-type", "text/html; charset=utf-8"),
        ("location", location),
        ("content-length", str(len(body))),
    ]
    return 307, headers, body if method == "GET" else b""


def _client_ip(address: str | None) -> str:
    """`127.0.0.1:50000` / `[::1]:50000` -> the host part."""
    if not address:
        return ""
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        return address
    return host[1:-1] if host.startswith("[") and host.endswith("]") else host


class RsgiApp:
    """The RSGI application: `routes` of `app`, CORS as `cors` decides."""

    def __init__(self, app: App, routes: RouteTable, cors: Cors | None = None) -> None:
        self.app = app
        self.routes = routes
        self.cors = cors or Cors()

    async def __call__(self, scope: Scope, proto: HTTPProtocol) -> None:
        if scope.proto != "http":  # websockets are switched off in the server
            return
        method: str = scope.method
        path: str = scope.path
        cleaned = clean_path(path)
        if cleaned != path:
            proto.response_bytes(*_redirect(cleaned, scope.query_string, method))
            return
        headers: list[tuple[str, str]] = scope.headers.items()
        origin: str | None = None
        host: str | None = None
        for name, value in headers:
            if name == "origin":
                if origin is None:
                    origin = value  # the first one, as Go's Header.Get reads it
            elif name == "host":
                host = value
        allow = self.cors.allowed_origin(origin)
        if method == "OPTIONS":
            requested = next((v for k, v in headers if k == "access-control-request-headers"), "")
            proto.response_bytes(204, preflight_headers(allow, origin, requested), b"")
            return
        response = await self._answer(scope, proto, method, path, headers, host, allow)
        if response is STREAMED:
            return
        if response.file is not None and method != "HEAD":
            out = finish_headers(response.headers, allow, response.omit_default_headers)
            proto.response_file(response.status, out, response.file)
        elif response.stream is None:
            out = finish_headers(response.headers, allow, response.omit_default_headers)
            proto.response_bytes(response.status, out, b"" if method == "HEAD" else response.body)
        else:
            await _send_stream(proto, response, allow, method == "HEAD")

    async def _answer(
        self,
        scope: Scope,
        proto: HTTPProtocol,
        method: str,
        path: str,
        headers: list[tuple[str, str]],
        host: str | None,
        allow: str | None,
    ) -> Response:
        request: Request | None = None
        try:
            if host is not None and not _valid_host(host):
                raise ApiError(400, MSG_BAD_REQUEST)
            found = self.routes.match(method, path)
            if found is True or found is False:
                raise ApiError(404, MSG_NOT_FOUND if found else MSG_FILE_NOT_FOUND)
            route, params = found
            request = Request(
                self.app,
                method,
                path,
                params,
                scope.query_string,
                headers,
                _client_ip(scope.client),
                route.body_limit,
                proto,
                proto.__aiter__,
                proto,
                allow,
            )
            return await route.handler(request)
        except Exception as exc:  # noqa: BLE001 - every failure is answered with its envelope
            if request is not None and request.streamed:
                log.exception("failed while streaming the answer")
                return STREAMED
            return error_response(exc, method, path)


async def _send_stream(proto: HTTPProtocol, response: Response, allow: str | None, head: bool) -> None:
    headers = finish_headers(response.headers, allow, response.omit_default_headers)
    stream = response.stream
    assert stream is not None
    try:
        if head:
            proto.response_bytes(response.status, headers, b"")
            return
        transport = proto.response_stream(response.status, headers)
        async for chunk in stream:
            await transport.send_bytes(chunk)
    except ProtocolClosed:
        return  # the client went away in the middle of the answer
    except Exception:
        log.exception("failed while streaming the answer")
    finally:
        await stream.aclose()
