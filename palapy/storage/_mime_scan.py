"""Reading bytes as mimetype v1.4.15's internal scan package does (shared by every matcher).

Little- and big-endian integers, Go's whitespace trims, lines, the pattern match and search
with mimetype's flags (compact spaces, either case, whole word), a bounds-checked read cursor,
and the markup attribute and comment reader that the HTML/XML charset prescan and SVG use.
The matchers see heads cut at the read limit, so every read here checks its bounds as Go's does.
"""

from __future__ import annotations

import struct
from collections.abc import Callable

from palapy.storage._mime_tree import COMPACT_WS, FULL_WORD, IGNORE_CASE

__all__ = [
    "HEX",
    "WS",
    "Cursor",
    "Matcher",
    "attribute",
    "i32le",
    "pattern_match",
    "search",
    "skip_comment",
    "split_line",
    "trim_lws",
    "trim_space",
    "u16le",
    "u32be",
    "u32le",
]

# A matcher gets the head and the read limit (to know whether the head may have been cut).
Matcher = Callable[[bytes, int], bool]

# The spaces mimetype skips between tokens (no vertical tab, unlike Go's TrimSpace).
WS = frozenset(b"\t\n\x0c\r ")
# Hexadecimal digits: JSON's \u escapes and RFC 2231 percent escapes both accept either case.
HEX = frozenset(b"0123456789abcdefABCDEF")
# What Go's bytes.TrimSpace strips (ASCII part; the two Latin-1 spaces are handled as UTF-8 below).
_TRIM_SPACE = b"\t\n\x0b\x0c\r "
_UNICODE_SPACES = (b"\xc2\x85", b"\xc2\xa0")


def u16le(b: bytes, at: int = 0) -> int:
    return int.from_bytes(b[at : at + 2], "little")


def u32le(b: bytes, at: int = 0) -> int:
    return int.from_bytes(b[at : at + 4], "little")


def u32be(b: bytes, at: int = 0) -> int:
    return int.from_bytes(b[at : at + 4], "big")


def i32le(b: bytes, at: int = 0) -> int:
    value: int = struct.unpack_from("<i", b, at)[0]
    return value


def trim_lws(b: bytes) -> bytes:
    i = 0
    while i < len(b) and b[i] in WS:
        i += 1
    return b[i:]


def trim_space(b: bytes) -> bytes:
    """Go's bytes.TrimSpace: ASCII spaces plus U+0085 and U+00A0 (as UTF-8) at either end."""
    while True:
        stripped = b.strip(_TRIM_SPACE)
        for space in _UNICODE_SPACES:
            stripped = stripped.removeprefix(space).removesuffix(space)
        if stripped == b:
            return b
        b = stripped


def split_line(b: bytes) -> tuple[bytes, bytes]:
    """(first line without its `\\n` and one trailing `\\r`, the rest)."""
    i = b.find(b"\n")
    line, rest = (b, b"") if i == -1 else (b[:i], b[i + 1 :])
    return (line[:-1] if line.endswith(b"\r") else line), rest


def pattern_match(b: bytes, p: bytes, flags: int, start: int = 0) -> int:
    """How many bytes of `b[start:]` the pattern `p` matched, or -1 (mimetype's scan.Match)."""
    total = len(b) - start
    if not p:
        return 0
    if total <= 0:
        return -1
    bi, pi = start, 0
    if flags in (0, FULL_WORD):
        if not b.startswith(p, start):
            return -1
        bi, pi = start + len(p), len(p)
    else:
        while bi < len(b) and pi < len(p):
            pc = p[pi]
            if flags & IGNORE_CASE and 65 <= pc <= 90:
                c = b[bi]
                if (c - 32 if 97 <= c <= 122 else c) != pc:
                    return -1
                bi, pi = bi + 1, pi + 1
            elif flags & COMPACT_WS and pc in WS:
                pi += 1
                if b[bi] not in WS:
                    return -1
                bi += 1
                if pi < len(p) and p[pi] not in WS:
                    while bi < len(b) and b[bi] in WS:
                        bi += 1
            else:
                if b[bi] != pc:
                    return -1
                bi, pi = bi + 1, pi + 1
    if pi < len(p):
        return -1
    if flags & FULL_WORD and bi < len(b) and b[bi] not in WS:
        return -1
    return bi - start


def search(b: bytes, p: bytes, flags: int) -> int:
    """Index of the first match of `p` in `b`, or -1 (mimetype's scan.Search)."""
    if not p:
        return 0
    if not b:
        return -1
    if flags == 0:
        return b.find(p)
    for i in range(len(b)):
        if len(b) - i < len(p):
            return -1
        if pattern_match(b, p, flags, i) != -1:
            return i
    return -1


class Cursor:
    """A read position over bytes, with the bounds rules of mimetype's scan.Bytes."""

    __slots__ = ("data", "pos")

    def __init__(self, data: bytes, pos: int = 0) -> None:
        self.data = data
        self.pos = pos

    def __len__(self) -> int:
        return len(self.data) - self.pos

    def rest(self) -> bytes:
        return self.data[self.pos :]

    def peek(self) -> int:
        return self.data[self.pos] if self.pos < len(self.data) else 0

    def pop(self) -> int:
        if self.pos < len(self.data):
            self.pos += 1
            return self.data[self.pos - 1]
        return 0

    def advance(self, n: int) -> bool:
        if n < 0 or len(self) < n:
            return False
        self.pos += n
        return True

    def skip_ws(self) -> None:
        while self.pos < len(self.data) and self.data[self.pos] in WS:
            self.pos += 1

    def pop_until(self, stops: bytes) -> bytes:
        end = self.pos
        while end < len(self.data) and self.data[end] not in stops:
            end += 1
        found, self.pos = self.data[self.pos : end], end
        return found

    def uint16(self) -> int | None:
        if len(self) < 2:
            return None
        self.pos += 2
        return u16le(self.data, self.pos - 2)

    def uint32(self) -> int | None:
        if len(self) < 4:
            return None
        self.pos += 4
        return u32le(self.data, self.pos - 4)


def _attribute_value(s: Cursor) -> tuple[bytes, bool]:
    s.skip_ws()
    start = s.pos
    quote = s.pop()
    if quote == 0:
        return b"", False
    if quote in b"\"'":
        value = s.pop_until(bytes([quote]))
        if s.pop() != quote:
            return b"", False
        return value, s.peek() not in (0, 0x3E)
    if quote == 0x3E:
        return b"", False
    end = 1
    while True:
        c = s.pop()
        if c == 0:
            return b"", False
        if c in WS:
            return s.data[start : start + end], True
        if c == 0x3E:
            return s.data[start : start + end], False
        end += 1


def attribute(s: Cursor) -> tuple[bytes, bytes, bool]:
    """(name, value, more attributes follow) of the next attribute inside a tag."""
    while s.peek() in WS or s.peek() == 0x2F:
        if not s.advance(1):
            break
    if s.peek() == 0x3E:
        return b"", b"", False
    start, end = s.pos, 0
    while True:
        c = s.pop()
        if c == 0:
            return b"", b"", False
        if c == 0x3D and end > 0:
            value, more = _attribute_value(s)
            return s.data[start : start + end], value, more
        if c in WS:
            s.skip_ws()
            if s.peek() != 0x3D:
                return s.data[start : start + end], b"", True
            s.advance(1)
            s.skip_ws()
            value, more = _attribute_value(s)
            return s.data[start : start + end], value, more
        if c in b"/>":
            return s.data[start : start + end], b"", False
        end += 1


def skip_comment(s: Cursor) -> bool:
    if s.data.startswith(b"<!--", s.pos):
        close = s.data.find(b"-->", s.pos + 2)
        if close != -1:
            s.pos = close + 3
            return True
    return False
