"""A minimal keep-alive HTTP/1.1 client on asyncio streams, for seeding and the fallback loader.

httpx's async pool serialises badly under many concurrent requests (about 200 req/s with 32
connections here, against 900 with one), which would make the load generator the bottleneck.
This client keeps one socket per worker and parses just what the two servers send:
`Content-Length` or chunked bodies, and `Connection: close`.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

__all__ = ["Http1Connection", "Response"]


@dataclass(frozen=True)
class Response:
    """Status, lower-cased headers and the raw body of one response."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class Http1Connection:
    """One keep-alive connection to `base_url` (http only); reconnects when the server closes it."""

    def __init__(self, base_url: str, timeout: float = 30.0) -> None:
        parts = urlsplit(base_url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"only http://host:port URLs are supported, not {base_url!r}")
        self.host = parts.hostname
        self.port = parts.port or 80
        self.timeout = timeout
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        """Close the socket if open."""
        if self._writer is not None:
            self._writer.close()
            try:
                await self._writer.wait_closed()
            except OSError:
                pass
        self._reader = self._writer = None

    async def request(
        self, method: str, path: str, body: bytes | None = None, headers: tuple[tuple[str, str], ...] = ()
    ) -> Response:
        """Send one request and read the whole response."""
        return await asyncio.wait_for(self._request(method, path, body, headers), self.timeout)

    async def _request(
        self, method: str, path: str, body: bytes | None, headers: tuple[tuple[str, str], ...]
    ) -> Response:
        if self._writer is None:
            self._reader, self._writer = await asyncio.open_connection(self.host, self.port)
        assert self._reader is not None
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{k}: {v}" for k, v in headers]
        if body is not None:
            lines.append(f"Content-Length: {len(body)}")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self._writer.write(head + (body or b""))
        try:
            response = await self._read_response(self._reader, method)
        except (asyncio.IncompleteReadError, ConnectionError):
            await self.close()
            raise
        if response.headers.get("connection", "").lower() == "close":
            await self.close()
        return response

    @staticmethod
    async def _read_response(reader: asyncio.StreamReader, method: str) -> Response:
        raw = await reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = raw.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        headers: dict[str, str] = {}
        for line in header_lines:
            if ":" in line:
                key, value = line.split(":", 1)
                headers[key.strip().lower()] = value.strip()
        if method == "HEAD" or status in (204, 304) or 100 <= status < 200:
            return Response(status, headers, b"")
        if "chunked" in headers.get("transfer-encoding", "").lower():
            chunks = []
            while True:
                size = int((await reader.readline()).split(b";")[0].strip(), 16)
                if size == 0:
                    while (await reader.readline()) not in (b"\r\n", b""):
                        pass
                    break
                chunks.append((await reader.readexactly(size + 2))[:-2])
            return Response(status, headers, b"".join(chunks))
        length = int(headers.get("content-length", "0"))
        return Response(status, headers, await reader.readexactly(length) if length else b"")
