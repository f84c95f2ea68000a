"""Answers written piece by piece while the handler runs (realtime's Server-Sent Events).

A handler calls `request.open_stream(status, headers)`, writes with `await stream.send(...)`
until it is done or `StreamClosed` says the client went away, and returns
`web.response.STREAMED`. The
stream's headers are finished like any answer's (security headers, CORS).
"""

from __future__ import annotations

from typing import Protocol

from granian.rsgi import ProtocolClosed

__all__ = ["Stream", "StreamClosed", "Channel", "Transport"]


class Transport(Protocol):
    async def send_bytes(self, data: bytes) -> None: ...


class Channel(Protocol):
    """What a request needs of the server's connection to stream (Granian's RSGI protocol)."""

    def response_stream(self, status: int, headers: list[tuple[str, str]]) -> Transport: ...

    async def client_disconnect(self) -> None: ...


class StreamClosed(Exception):
    """The client is gone: nothing more can be written."""


class Stream:
    """An open streamed answer."""

    __slots__ = ("_transport",)

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    async def send(self, data: bytes) -> None:
        try:
            await self._transport.send_bytes(data)
        except ProtocolClosed as exc:
            raise StreamClosed from exc
