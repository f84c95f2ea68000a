"""What handlers answer: a status, their own headers and a body (bytes or a stream).

The lane adds the default headers (`headers.finish_headers`) and, for HEAD, drops the body.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import Any

from palapy.tools import jsonx
from palapy.tools.picker import pick_fields
from palapy.web.request import Request

__all__ = ["Response", "json_response", "json_body", "empty_response", "JSON_HEADERS", "STREAMED"]

JSON_CONTENT_TYPE = ("content-type", "application/json")
JSON_HEADERS = (JSON_CONTENT_TYPE,)


class Response:
    """An answer. `omit_default_headers` names default headers this answer must not carry
    (file downloads drop X-Frame-Options, as PocketBase does)."""

    __slots__ = ("status", "headers", "body", "stream", "file", "omit_default_headers")

    def __init__(
        self,
        status: int = 200,
        headers: list[tuple[str, str]] | None = None,
        body: bytes = b"",
        *,
        stream: AsyncGenerator[bytes, None] | None = None,
        file: str | None = None,
        omit_default_headers: frozenset[str] = frozenset(),
    ) -> None:
        self.status = status
        self.headers = headers if headers is not None else []
        self.body = body
        self.stream = stream
        # A whole local file the server sends from disk itself (`headers` carry its length).
        self.file = file
        self.omit_default_headers = omit_default_headers


def json_body(data: Any, fields: str = "", status: int = 200) -> bytes:
    """The JSON of an answer, `fields` (the `?fields=` value) applied when it is a success."""
    if fields and 200 <= status < 300:
        data = pick_fields(data, fields)
    return jsonx.encode(data)


def json_response(request: Request, data: Any, status: int = 200) -> Response:
    """A JSON answer, encoded once with the shared encoder, the request's `?fields=` applied."""
    body = json_body(data, request.query_param("fields"), status)
    return Response(status, [JSON_CONTENT_TYPE, ("content-length", str(len(body)))], body)


def empty_response(status: int = 204) -> Response:
    """An answer without a body (204 by default): no content headers."""
    return Response(status)


STREAMED = Response(200)
"""What a handler returns once it has answered through `Request.open_stream`."""
