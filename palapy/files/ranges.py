"""`Range: bytes=…` requests as Go's `http.ServeContent` answers them.

`parse_range` follows Go's parser (suffix ranges, open ends, clamping, the "failed to overlap"
case); `multipart_layout` lays out a `multipart/byteranges` body exactly as Go's multipart
writer does, so its length is known before the first byte is read.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

__all__ = [
    "ByteRange",
    "RangeError",
    "Segment",
    "MSG_INVALID_RANGE",
    "MSG_NO_OVERLAP",
    "parse_range",
    "multipart_layout",
    "new_boundary",
]

MSG_INVALID_RANGE = "invalid range"
MSG_NO_OVERLAP = "invalid range: failed to overlap"
_INT = re.compile(r"[+-]?[0-9]+", re.ASCII)
_INT64_MAX = (1 << 63) - 1
_WS = " \t\r\n"


@dataclass(frozen=True)
class ByteRange:
    """`length` bytes from offset `start`."""

    start: int
    length: int

    def content_range(self, size: int) -> str:
        """The `Content-Range` value, e.g. `bytes 0-3/16`."""
        return f"bytes {self.start}-{self.start + self.length - 1}/{size}"


@dataclass(frozen=True)
class Segment:
    """A piece of a response body: literal `prefix` bytes, then `length` file bytes from `start`."""

    prefix: bytes
    start: int
    length: int


class RangeError(ValueError):
    """The Range header cannot be honoured (416); `no_overlap` adds `Content-Range: bytes */size`."""

    def __init__(self, message: str, no_overlap: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.no_overlap = no_overlap


def _go_int(text: str) -> int | None:
    """strconv.ParseInt(text, 10, 64): an optional sign, ASCII digits, within int64."""
    if not _INT.fullmatch(text):
        return None
    value = int(text)
    return value if -_INT64_MAX - 1 <= value <= _INT64_MAX else None


def parse_range(header: str, size: int) -> list[ByteRange]:
    """The ranges a `Range` header asks for within `size` bytes ([] when there is no header).

    Raises RangeError for a malformed header, and for one whose ranges all start past the end.
    """
    if not header:
        return []
    prefix = "bytes="
    if not header.startswith(prefix):
        raise RangeError(MSG_INVALID_RANGE)
    ranges: list[ByteRange] = []
    no_overlap = False
    for raw in header[len(prefix) :].split(","):
        spec = raw.strip(_WS)
        if not spec:
            continue
        start_text, sep, end_text = spec.partition("-")
        if not sep:
            raise RangeError(MSG_INVALID_RANGE)
        start_text, end_text = start_text.strip(_WS), end_text.strip(_WS)
        if not start_text:
            # A suffix range: the last N bytes.
            if not end_text or end_text[0] == "-":
                raise RangeError(MSG_INVALID_RANGE)
            n = _go_int(end_text)
            if n is None or n < 0:
                raise RangeError(MSG_INVALID_RANGE)
            n = min(n, size)
            ranges.append(ByteRange(size - n, n))
            continue
        start = _go_int(start_text)
        if start is None or start < 0:
            raise RangeError(MSG_INVALID_RANGE)
        if start >= size:
            no_overlap = True
            continue
        if not end_text:
            ranges.append(ByteRange(start, size - start))
            continue
        end = _go_int(end_text)
        if end is None or start > end:
            raise RangeError(MSG_INVALID_RANGE)
        end = min(end, size - 1)
        ranges.append(ByteRange(start, end - start + 1))
    if no_overlap and not ranges:
        raise RangeError(MSG_NO_OVERLAP, no_overlap=True)
    return ranges


def new_boundary() -> str:
    """A multipart boundary like Go's: 30 random bytes in hex."""
    return secrets.token_hex(30)


def multipart_layout(
    ranges: list[ByteRange], content_type: str, size: int, boundary: str
) -> tuple[list[Segment], bytes, int]:
    """(segments, closing bytes, total length) of a `multipart/byteranges` body.

    Each part carries `Content-Range` and `Content-Type` headers (in that order, as Go sorts them).
    """
    segments: list[Segment] = []
    total = 0
    for i, r in enumerate(ranges):
        lead = f"--{boundary}\r\n" if i == 0 else f"\r\n--{boundary}\r\n"
        head = f"{lead}Content-Range: {r.content_range(size)}\r\nContent-Type: {content_type}\r\n\r\n"
        prefix = head.encode("utf-8")
        segments.append(Segment(prefix, r.start, r.length))
        total += len(prefix) + r.length
    closing = f"\r\n--{boundary}--\r\n".encode() if ranges else f"--{boundary}--\r\n".encode()
    return segments, closing, total + len(closing)
