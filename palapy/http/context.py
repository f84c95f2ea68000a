"""Per-request helpers: the App, the requester (RequestInfo) and JSON responses."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from litestar import Request, Response

from palapy.core import App
from palapy.rules.request_info import RequestInfo
from palapy.tools import jsonx
from palapy.tools.errors import ApiError
from palapy.tools.picker import pick_fields

__all__ = [
    "core",
    "request_info",
    "build_request_info",
    "json_body",
    "json_response",
    "empty_response",
    "query_param",
    "query_values",
    "snake_header",
    "read_body",
    "read_body_limited",
]

_STATE_KEY = "palapy_request_info"
_QUERY_KEY = "palapy_query_values"
_SNAKE = re.compile(r"[^a-z0-9]+")


def core(request: Request[Any, Any, Any]) -> App:
    """The palapy App serving this request."""
    app: App = request.app.state["pb"]
    return app


@lru_cache(maxsize=1024)
def snake_header(name: str) -> str:
    """`X-Token` -> `x_token`, the form `@request.headers.*` uses."""
    return _SNAKE.sub("_", name.lower()).strip("_")


def query_values(request: Request[Any, Any, Any]) -> dict[str, str]:
    """Each query parameter's first value (PocketBase reads only the first), in order of first
    appearance; parsed once per request (Litestar builds a new MultiDict on every access)."""
    cached = request.scope.get(_QUERY_KEY)  # type: ignore[typeddict-item,unused-ignore]
    if isinstance(cached, dict):
        return cached
    values: dict[str, str] = {}
    for key, value in request.query_params.multi_items():
        if key not in values:
            values[key] = str(value)
    request.scope[_QUERY_KEY] = values  # type: ignore[literal-required,unused-ignore]
    return values


def query_param(request: Request[Any, Any, Any], name: str, default: str = "") -> str:
    """The first value of a query parameter (PocketBase reads only the first)."""
    return query_values(request).get(name, default)


async def request_info(request: Request[Any, Any, Any]) -> RequestInfo:
    """The requester, resolved once per request from the Authorization header.

    A missing, malformed, expired or foreign token silently means a guest, like PocketBase.
    """
    cached = request.scope.get(_STATE_KEY)  # type: ignore[typeddict-item,unused-ignore]
    if isinstance(cached, RequestInfo):
        return cached
    # Straight from the ASGI pairs, decoded as Litestar's `Headers` would decode them (latin-1).
    pairs = [(n.decode("latin-1"), v.decode("latin-1")) for n, v in request.scope["headers"]]
    info = await build_request_info(core(request), request.method, pairs, request.query_params.multi_items())
    request.scope[_STATE_KEY] = info  # type: ignore[literal-required,unused-ignore]
    return info


async def build_request_info(
    app: App, method: str, headers: Iterable[tuple[str, str]], query: Iterable[tuple[str, str]]
) -> RequestInfo:
    """The RequestInfo of a request with these header and query pairs (in the order sent).

    Headers: the last value of a repeated name, the first Authorization header for the token.
    Query: the last value of a repeated name, as a dict of the pairs keeps it.
    """
    from palapy.auth.tokens import resolve_auth_header

    by_name: dict[str, str] = {}
    header: str | None = None
    for name, value in headers:
        by_name[snake_header(name)] = value
        if header is None and name.lower() == "authorization":
            header = value
    info = RequestInfo(method=method, headers=by_name, query=dict(query))
    if header:
        resolved = await resolve_auth_header(app, header)
        if resolved is not None:
            info.auth, info.auth_collection = resolved
    return info


def json_response(request: Request[Any, Any, Any], data: Any, status: int = 200) -> Response[bytes]:
    """Encode `data` once with the shared encoder; apply `?fields=` to 2xx answers."""
    body = json_body(data, query_param(request, "fields"), status)
    return Response(content=body, status_code=status, media_type="application/json")


def json_body(data: Any, fields: str, status: int = 200) -> bytes:
    """The JSON of an answer, `fields` (the `?fields=` value) applied when it is a success."""
    if fields and 200 <= status < 300:
        data = pick_fields(data, fields)
    return jsonx.encode(data)


def empty_response(status: int = 204) -> Response[bytes]:
    return Response(content=b"", status_code=status)


async def read_body(request: Request[Any, Any, Any]) -> bytes:
    """The raw body. A request that announces none (no Transfer-Encoding, no or a zero
    Content-Length: in HTTP/1.1 it then has no body) is not read, which saves a trip through
    the server's receive channel on every GET."""
    for name, value in request.scope["headers"]:
        if (name == b"content-length" and value not in (b"0", b"")) or name == b"transfer-encoding":
            return await request.body()
    return b""


async def read_body_limited(request: Request[Any, Any, Any], limit: int) -> bytes:
    """The raw body, refused with 413 as soon as it exceeds `limit` bytes (never buffered past it).

    For routes whose limit depends on the target (record writes), which opt out of the app-wide limit.
    """
    too_large = ApiError(413, "Request entity too large.")
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)
