"""Driving palapy's RSGI application in this process: stand-ins for Granian's RSGI objects and
an httpx transport over them, so in-process tests go through exactly the lane Granian serves.

The stand-ins carry what palapy uses of Granian's RSGI protocol: the scope's fields and
headers, the whole body or its chunks, `response_bytes` and `response_stream`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx

__all__ = ["RsgiScope", "RsgiProto", "Answer", "call", "call_async", "RsgiTransport"]

CLIENT = "127.0.0.1:50000"


class _Headers:
    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._pairs = pairs

    def items(self) -> list[tuple[str, str]]:
        return list(self._pairs)

    def keys(self) -> list[str]:
        return [k for k, _ in self._pairs]

    def values(self) -> list[str]:
        return [v for _, v in self._pairs]

    def get(self, key: str, default: Any = None) -> Any:
        return next((v for k, v in self._pairs if k == key), default)

    def __contains__(self, key: str) -> bool:
        return any(k == key for k, _ in self._pairs)


class RsgiScope:
    """An RSGI HTTP scope; header names lower case, as Granian gives them."""

    proto = "http"
    http_version = "1.1"
    rsgi_version = "1.5"
    scheme = "http"
    server = "127.0.0.1:8090"
    authority = None

    def __init__(
        self, method: str, path: str, query: str, headers: list[tuple[str, str]], client: str = CLIENT
    ) -> None:
        self.method = method
        self.path = path
        self.query_string = query
        self.headers = _Headers([(k.lower(), v) for k, v in headers])
        self.client = client


class _Stream:
    def __init__(self, answer: Answer) -> None:
        self.answer = answer

    async def send_bytes(self, data: bytes) -> None:
        self.answer.body += data

    async def send_str(self, data: str) -> None:
        self.answer.body += data.encode()


@dataclass
class Answer:
    """What the application sent: status, headers in order, body; `starts` counts answers begun."""

    status: int = 0
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    starts: int = 0


class _OnceIterator:
    """Granian's body iterator: stepping works, asking it for an iterator again is an error."""

    def __init__(self, inner: AsyncIterator[bytes]) -> None:
        self._inner = inner

    def __aiter__(self) -> Any:
        raise RuntimeError("RSGI protocol error: the body iterator was asked for twice")

    async def __anext__(self) -> bytes:
        return await self._inner.__anext__()


class RsgiProto:
    """An RSGI HTTP protocol object; the request body arrives in `chunk`-byte pieces."""

    def __init__(self, body: bytes = b"", chunk: int = 65536) -> None:
        self.chunks = [body[i : i + chunk] for i in range(0, len(body), chunk)] if body else []
        self.answer = Answer()

    async def __call__(self) -> bytes:
        return b"".join(self.chunks)

    async def _iterate(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk

    def __aiter__(self) -> AsyncIterator[bytes]:
        return _OnceIterator(self._iterate())

    async def client_disconnect(self) -> None:
        await asyncio.Event().wait()

    def _start(self, status: int, headers: list[tuple[str, str]]) -> None:
        self.answer.starts += 1
        self.answer.status = status
        self.answer.headers = list(headers)

    def response_empty(self, status: int, headers: list[tuple[str, str]]) -> None:
        self._start(status, headers)

    def response_bytes(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self._start(status, headers)
        self.answer.body += body

    def response_file(self, status: int, headers: list[tuple[str, str]], file: str) -> None:
        with open(file, "rb") as f:
            self.response_bytes(status, headers, f.read())

    def response_str(self, status: int, headers: list[tuple[str, str]], body: str) -> None:
        self.response_bytes(status, headers, body.encode())

    def response_stream(self, status: int, headers: list[tuple[str, str]]) -> _Stream:
        self._start(status, headers)
        return _Stream(self.answer)


async def call_async(
    app: Any,
    method: str,
    path: str,
    query: str = "",
    headers: list[tuple[str, str]] | None = None,
    body: bytes = b"",
    chunk: int = 65536,
) -> Answer:
    """Send one request to the RSGI `app`; a Host header is added when none is given."""
    pairs = list(headers or [])
    if not any(k.lower() == "host" for k, _ in pairs):
        pairs.insert(0, ("host", "127.0.0.1:8090"))
    if body and not any(k.lower() in ("content-length", "transfer-encoding") for k, _ in pairs):
        pairs.append(("content-length", str(len(body))))
    proto = RsgiProto(body, chunk)
    await app(RsgiScope(method, path, query, pairs), proto)
    assert proto.answer.starts == 1, f"{method} {path}: {proto.answer.starts} answers started"
    return proto.answer


def call(app: Any, *args: Any, **kwargs: Any) -> Answer:
    """`call_async` on a fresh event loop."""
    return asyncio.run(call_async(app, *args, **kwargs))


class RsgiTransport(httpx.AsyncBaseTransport):
    """httpx requests answered by an RSGI application in this process."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw]
        url = request.url
        answer = await call_async(
            self.app, request.method, url.path, url.query.decode("latin-1"), headers, body
        )
        return httpx.Response(answer.status, headers=answer.headers, content=answer.body, request=request)
