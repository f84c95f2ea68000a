"""One HTTP request as palapy's handlers see it, built by the RSGI lane (or a test client).

Everything is parsed lazily and once: the query (first value of each name, as PocketBase reads
it), the requester (`info()`, from the Authorization header) and the body (`body()`, within
the route's limit, refused with 413 beyond it and never buffered past it).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from functools import lru_cache
from urllib.parse import parse_qsl

from palapy.auth.tokens import resolve_auth_header
from palapy.core import App
from palapy.rules.request_info import RequestInfo
from palapy.tools.errors import ApiError
from palapy.web.headers import finish_headers
from palapy.web.stream import Channel, Stream

__all__ = ["Request", "parse_query", "snake_header", "MSG_TOO_LARGE"]

MSG_TOO_LARGE = "Request entity too large."
_SNAKE = re.compile(r"[^a-z0-9]+")

ReadAll = Callable[[], Awaitable[bytes]]
ReadChunks = Callable[[], AsyncIterator[bytes]]


@lru_cache(maxsize=1024)
def snake_header(name: str) -> str:
    """`X-Token` -> `x_token`, the form `@request.headers.*` uses."""
    return _SNAKE.sub("_", name.lower()).strip("_")


@lru_cache(maxsize=1024)
def parse_query(query_string: str) -> tuple[tuple[str, str], ...]:
    """The query's pairs in order, blank values kept. Raw non-ASCII bytes are read as latin-1
    before percent-decoding, as palapy has always read them (clients send them escaped)."""
    return tuple(
        parse_qsl(query_string.encode("utf-8").decode("latin-1"), keep_blank_values=True, separator="&")
    )


async def _chunks_of(read_chunks: ReadChunks) -> AsyncIterator[bytes]:
    """The body's chunks. Granian's iterator is the protocol object itself, which refuses a
    second `__aiter__`, so it is stepped with `__anext__` rather than given to `async for`."""
    chunks = read_chunks()
    while True:
        try:
            chunk = await chunks.__anext__()
        except StopAsyncIteration:
            return
        yield chunk


class Request:
    """A request: method, path and its wildcard values, query, headers, client, body, requester.

    `method` is GET for a HEAD request (served by the GET route, `head` is then True). `headers`
    are (lower-case name, value) pairs in the order sent.
    """

    __slots__ = (
        "app",
        "method",
        "head",
        "path",
        "params",
        "query_string",
        "headers",
        "client_ip",
        "body_limit",
        "_read_all",
        "_read_chunks",
        "_query",
        "_info",
        "_body",
        "_channel",
        "_allow_origin",
        "streamed",
    )

    def __init__(
        self,
        app: App,
        method: str,
        path: str,
        params: dict[str, str],
        query_string: str,
        headers: list[tuple[str, str]],
        client_ip: str,
        body_limit: int,
        read_all: ReadAll,
        read_chunks: ReadChunks,
        channel: Channel | None = None,
        allow_origin: str | None = None,
    ) -> None:
        self.app = app
        self.head = method == "HEAD"
        self.method = "GET" if self.head else method
        self.path = path
        self.params = params
        self.query_string = query_string
        self.headers = headers
        self.client_ip = client_ip
        self.body_limit = body_limit
        self._read_all = read_all
        self._read_chunks = read_chunks
        self._query: dict[str, str] | None = None
        self._info: RequestInfo | None = None
        self._body: bytes | None = None
        self._channel = channel
        self._allow_origin = allow_origin
        self.streamed = False

    # -- query and headers ---------------------------------------------------------------
    def query_pairs(self) -> tuple[tuple[str, str], ...]:
        """Every query pair, in order."""
        return parse_query(self.query_string) if self.query_string else ()

    def query(self) -> dict[str, str]:
        """Each query parameter's first value (PocketBase reads only the first), in order."""
        if self._query is None:
            values: dict[str, str] = {}
            for key, value in self.query_pairs():
                values.setdefault(key, value)
            self._query = values
        return self._query

    def query_param(self, name: str, default: str = "") -> str:
        return self.query().get(name, default)

    def header(self, name: str, default: str = "") -> str:
        """The first value of header `name` (lower case)."""
        for key, value in self.headers:
            if key == name:
                return value
        return default

    # -- the requester -------------------------------------------------------------------
    async def info(self) -> RequestInfo:
        """The requester as rules see it, resolved once from the first Authorization header.

        A missing, malformed, expired or foreign token silently means a guest, like PocketBase.
        Headers and query keep the last value of a repeated name.
        """
        if self._info is None:
            by_name: dict[str, str] = {}
            token: str | None = None
            for name, value in self.headers:
                by_name[snake_header(name)] = value
                if token is None and name == "authorization":
                    token = value
            info = RequestInfo(method=self.method, headers=by_name, query=dict(self.query_pairs()))
            if token:
                resolved = await resolve_auth_header(self.app, token)
                if resolved is not None:
                    info.auth, info.auth_collection = resolved
            self._info = info
        return self._info

    # -- streaming -----------------------------------------------------------------------
    def open_stream(self, status: int, headers: list[tuple[str, str]]) -> Stream:
        """Start answering piece by piece (the headers are sent now); return `STREAMED` after."""
        if self._channel is None:
            raise RuntimeError("this request cannot stream")
        if self.streamed:
            raise RuntimeError("the answer has already started")
        self.streamed = True
        return Stream(self._channel.response_stream(status, finish_headers(headers, self._allow_origin)))

    async def disconnected(self) -> None:
        """Until the client closes the connection."""
        if self._channel is None:
            raise RuntimeError("this request has no connection to watch")
        await self._channel.client_disconnect()

    # -- the body ------------------------------------------------------------------------
    def has_body(self) -> bool:
        """Does the request announce a body? (No Transfer-Encoding and no or a zero
        Content-Length means none in HTTP/1.1, so a GET costs no read.)"""
        for name, value in self.headers:
            if (name == "content-length" and value not in ("0", "")) or name == "transfer-encoding":
                return True
        return False

    async def body_chunks(self, limit: int | None = None) -> AsyncIterator[bytes]:
        """The body as it arrives, not kept (an upload never sits whole in memory); 413 as
        soon as it exceeds `limit` (the route's by default)."""
        if self._body is not None:
            if self._body:
                yield self._body
            return
        if not self.has_body():
            return
        limit = self.body_limit if limit is None else limit
        declared = self.header("content-length")
        if declared.isdigit() and int(declared) > limit:
            raise ApiError(413, MSG_TOO_LARGE)
        size = 0
        async for chunk in _chunks_of(self._read_chunks):
            size += len(chunk)
            if size > limit:
                raise ApiError(413, MSG_TOO_LARGE)
            if chunk:
                yield bytes(chunk)

    async def body(self, limit: int | None = None) -> bytes:
        """The raw body, read once; 413 as soon as it exceeds `limit` (the route's by default)."""
        if self._body is not None:
            return self._body
        if not self.has_body():
            self._body = b""
            return self._body
        limit = self.body_limit if limit is None else limit
        declared = self.header("content-length")
        if declared.isdigit():
            if int(declared) > limit:
                raise ApiError(413, MSG_TOO_LARGE)
            data = await self._read_all()  # the server holds no more than was declared
            if len(data) > limit:
                raise ApiError(413, MSG_TOO_LARGE)
        else:
            chunks: list[bytes] = []
            size = 0
            async for chunk in _chunks_of(self._read_chunks):
                size += len(chunk)
                if size > limit:
                    raise ApiError(413, MSG_TOO_LARGE)
                chunks.append(bytes(chunk))
            data = b"".join(chunks)
        self._body = bytes(data)
        return self._body
