"""One realtime message and its Server-Sent Events framing."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Message", "sse_frame"]


@dataclass(frozen=True, slots=True)
class Message:
    """An event `name` (the subscription string as the client sent it) and its `data` (JSON)."""

    name: str
    data: bytes


def sse_frame(client_id: str, message: Message) -> bytes:
    """`id:<clientId>` `event:<name>` `data:<json>` and a blank line, without spaces after the
    colons: PocketBase's bytes. The id is always the client id (the JS SDK reads it there)."""
    return b"".join(
        (
            b"id:",
            client_id.encode(),
            b"\nevent:",
            message.name.encode(),
            b"\ndata:",
            message.data,
            b"\n\n",
        )
    )
