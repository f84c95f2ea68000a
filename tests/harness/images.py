"""Image bytes built by hand for tests that need what an encoder will not write."""

from __future__ import annotations

import struct
import zlib

__all__ = ["png_declaring"]


def png_declaring(width: int, height: int) -> bytes:
    """A PNG of a few bytes whose header declares `width` x `height` (a decompression bomb)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )
