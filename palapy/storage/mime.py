"""Content sniffing exactly as PocketBase 0.40.6 does it (Go mimetype v1.4.15).

PocketBase detects an upload's type from its first 4096 bytes, never from the file name or the
client's header: the detected type (with a charset parameter for plain text, HTML and XML) goes
to the stored `user.content_type`, its extension names a file uploaded without one, and a file
field's `mimeTypes` accepts the detected type or one of its aliases (`content_type_is`).

The type tree is data (`_mime_tree.ROOT`); this module holds the matchers it names and the
walk: from the root, descend into the first child whose signature matches, and stop at the
deepest node none of whose children match.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Callable, Generator, Iterator
from functools import lru_cache
from typing import Any

from palapy.storage._mime_tree import (
    COMPACT_WS,
    FULL_WORD,
    IGNORE_CASE,
    ROOT,
    Check,
    Chunk,
    CiPrefix,
    Ftyp,
    JsonQuery,
    Kind,
    Markup,
    Prefix,
    Shebang,
    Signature,
    XmlRoot,
)

__all__ = [
    "SNIFF_LIMIT",
    "sniff_content_type",
    "extension_for",
    "content_type_is",
    "blob_content_type",
    "detect",
]

# How many leading bytes detection reads (mimetype v1.4.15's default read limit).
SNIFF_LIMIT = 4096

Matcher = Callable[[bytes, int], bool]

_WS = frozenset(b"\t\n\x0c\r ")
# What Go's bytes.TrimSpace strips (ASCII part; the two Latin-1 spaces are handled as UTF-8 below).
_TRIM_SPACE = b"\t\n\x0b\x0c\r "
_UNICODE_SPACES = (b"\xc2\x85", b"\xc2\xa0")


def _u16le(b: bytes, at: int = 0) -> int:
    return int.from_bytes(b[at : at + 2], "little")


def _u32le(b: bytes, at: int = 0) -> int:
    return int.from_bytes(b[at : at + 4], "little")


def _u32be(b: bytes, at: int = 0) -> int:
    return int.from_bytes(b[at : at + 4], "big")


def _i32le(b: bytes, at: int = 0) -> int:
    value: int = struct.unpack_from("<i", b, at)[0]
    return value


def _trim_lws(b: bytes) -> bytes:
    i = 0
    while i < len(b) and b[i] in _WS:
        i += 1
    return b[i:]


def _trim_space(b: bytes) -> bytes:
    """Go's bytes.TrimSpace: ASCII spaces plus U+0085 and U+00A0 (as UTF-8) at either end."""
    while True:
        stripped = b.strip(_TRIM_SPACE)
        for space in _UNICODE_SPACES:
            stripped = stripped.removeprefix(space).removesuffix(space)
        if stripped == b:
            return b
        b = stripped


def _line(b: bytes) -> tuple[bytes, bytes]:
    """(first line without its `\\n` and one trailing `\\r`, the rest)."""
    i = b.find(b"\n")
    line, rest = (b, b"") if i == -1 else (b[:i], b[i + 1 :])
    return (line[:-1] if line.endswith(b"\r") else line), rest


def _pattern_match(b: bytes, p: bytes, flags: int, start: int = 0) -> int:
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
            elif flags & COMPACT_WS and pc in _WS:
                pi += 1
                if b[bi] not in _WS:
                    return -1
                bi += 1
                if pi < len(p) and p[pi] not in _WS:
                    while bi < len(b) and b[bi] in _WS:
                        bi += 1
            else:
                if b[bi] != pc:
                    return -1
                bi, pi = bi + 1, pi + 1
    if pi < len(p):
        return -1
    if flags & FULL_WORD and bi < len(b) and b[bi] not in _WS:
        return -1
    return bi - start


def _search(b: bytes, p: bytes, flags: int) -> int:
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
        if _pattern_match(b, p, flags, i) != -1:
            return i
    return -1


class _Cursor:
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
        while self.pos < len(self.data) and self.data[self.pos] in _WS:
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
        return _u16le(self.data, self.pos - 2)

    def uint32(self) -> int | None:
        if len(self) < 4:
            return None
        self.pos += 4
        return _u32le(self.data, self.pos - 4)


# --- markup: attributes, comments (HTML/XML prescan) -----------------------------------------


def _attribute_value(s: _Cursor) -> tuple[bytes, bool]:
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
        if c in _WS:
            return s.data[start : start + end], True
        if c == 0x3E:
            return s.data[start : start + end], False
        end += 1


def _attribute(s: _Cursor) -> tuple[bytes, bytes, bool]:
    """(name, value, more attributes follow) of the next attribute inside a tag."""
    while s.peek() in _WS or s.peek() == 0x2F:
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
        if c in _WS:
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


def _skip_comment(s: _Cursor) -> bool:
    if s.data.startswith(b"<!--", s.pos):
        close = s.data.find(b"-->", s.pos + 2)
        if close != -1:
            s.pos = close + 3
            return True
    return False


# --- charsets --------------------------------------------------------------------------------

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\x00\x00\xfe\xff", "utf-32be"),
    (b"\xff\xfe\x00\x00", "utf-32le"),
    (b"\xfe\xff", "utf-16be"),
    (b"\xff\xfe", "utf-16le"),
)
# Bytes libmagic counts as text: ASCII text (T) and ISO-8859 (I); NEL (0x85) is text too.
_LATIN_TEXT = frozenset([7, 8, 9, 10, 11, 12, 13, 27, *range(0x20, 0x7F), 0x85, *range(0xA0, 0x100)])


def _charset_from_bom(b: bytes) -> str:
    for bom, name in _BOMS:
        if b.startswith(bom):
            return name
    return ""


def _charset_plain(b: bytes) -> str:
    if not b:
        return ""
    if bom := _charset_from_bom(b):
        return bom
    head = b
    # The last rune start (within the last 3 bytes) is dropped: it may have been cut off.
    for i in range(len(b) - 1, max(len(b) - 4, -1), -1):
        if b[i] < 0x80:
            break
        if b[i] & 0xC0 != 0x80:
            head = b[:i]
            break
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if any(c not in _LATIN_TEXT for c in b):
        return ""
    return "windows-1252" if 0x85 in b else "iso-8859-1"


def _text(b: bytes) -> str:
    """A charset name from the document, kept byte for byte (invalid UTF-8 as surrogates)."""
    return b.decode("utf-8", errors="surrogateescape")


def _charset_xml_declared(b: bytes) -> str:
    s = _Cursor(b)
    while True:
        s.skip_ws()
        if len(s) <= 5:
            return ""
        i = s.data.find(b"<?xml", s.pos)
        if i == -1:
            return ""
        s.pos = i + 5
        more = True
        while more:
            name, value, more = _attribute(s)
            if name.startswith(b"encoding") and value:
                return _text(value)


def _charset_xml(b: bytes) -> str:
    return _charset_xml_declared(b) or _charset_plain(b)


def _charset_from_meta_content(b: bytes) -> bytes:
    s = _Cursor(b)
    while True:
        i = s.data.find(b"charset", s.pos)
        if i == -1:
            return b""
        s.pos = i + 7
        s.skip_ws()
        if s.pop() != 0x3D:
            continue
        s.skip_ws()
        quote = s.peek()
        if quote == 0:
            return b""
        if quote in b"\"'":
            s.advance(1)
            return _trim_space(s.pop_until(bytes([quote])))
        return _trim_space(s.pop_until(b";\t\n\x0c\r "))


def _charset_html_meta(b: bytes) -> str:
    s = _Cursor(b)
    while True:
        if _skip_comment(s):
            continue
        if len(s) <= 5:
            return ""
        if _pattern_match(s.data, b"<BODY", IGNORE_CASE, s.pos) != -1:
            return ""
        if _pattern_match(s.data, b"<META", IGNORE_CASE, s.pos) == -1:
            s.pos += 1
            continue
        s.pos += 5
        c = s.pop()
        if c == 0 or (c not in _WS and c != 0x2F):
            return ""
        seen: set[bytes] = set()
        got_pragma = False
        need_pragma = ""  # "" unknown, "yes" needs http-equiv, "no" does not
        charset = b""
        more = True
        while more:
            name_raw, value, more = _attribute(s)
            name = name_raw.lower()
            if name in seen:
                continue
            if not name and not value:
                if not need_pragma or (need_pragma == "yes" and not got_pragma):
                    continue
            seen.add(name)
            if name == b"http-equiv":
                if _pattern_match(value, b"CONTENT-TYPE", IGNORE_CASE) != -1:
                    got_pragma = True
            elif name == b"content":
                charset = _charset_from_meta_content(value)
                if charset:
                    need_pragma = "yes"
            elif name == b"charset":
                charset = value
                need_pragma = "no"
        if not need_pragma or (need_pragma == "yes" and not got_pragma):
            continue
        return _text(charset)


def _charset_html(b: bytes) -> str:
    return _charset_from_bom(b) or _charset_html_meta(b) or _charset_plain(b)


_CHARSETS: dict[str, Callable[[bytes], str]] = {
    "plain": _charset_plain,
    "html": _charset_html,
    "xml": _charset_xml,
}


# --- JSON (a tolerant parser that reports how far it got) ------------------------------------

_TOK_INVALID, _TOK_NULL, _TOK_TRUE, _TOK_FALSE, _TOK_NUMBER, _TOK_STRING, _TOK_ARRAY, _TOK_OBJECT = (
    0, 2, 4, 8, 16, 32, 64, 128,
)  # fmt: skip
_JSON_SPACE = frozenset(b" \t\r\n")
_HEX = frozenset(b"0123456789abcdefABCDEF")
_STRING_STOP = re.compile(rb'["\\]')
_MAX_DEPTH = 4096

# query name -> ((key path, accepted raw values or none for any value), ...)
_JSON_QUERIES: dict[str, tuple[tuple[tuple[bytes, ...], tuple[bytes, ...]], ...]] = {
    "json": (),
    "geo": (
        (
            (b"type",),
            tuple(
                f'"{t}"'.encode()
                for t in (
                    "Feature",
                    "FeatureCollection",
                    "Point",
                    "LineString",
                    "Polygon",
                    "MultiPoint",
                    "MultiLineString",
                    "MultiPolygon",
                    "GeometryCollection",
                )
            ),
        ),
    ),  # fmt: skip
    "har": (((b"log", b"version"), ()), ((b"log", b"creator"), ()), ((b"log", b"entries"), ())),
    "gltf": (((b"asset", b"version"), (b'"1.0"', b'"2.0"')),),
    "cdx": (((b"bomFormat",), (b'"CycloneDX"',)),),
}

_Step = Generator[Any, int, int]


class _JsonParse:
    """mimetype's JSON reader: `parsed` bytes of a complete value, `inspected` bytes looked at,
    the first token and whether the query was satisfied. Nesting runs on an explicit stack."""

    def __init__(self, query: str, raw: bytes) -> None:
        self.raw = raw
        self.queries = _JSON_QUERIES[query]
        self.inspected = 0
        self.path: list[bytes] = []
        self.first_token = _TOK_INVALID
        self.satisfied = False
        top = self._any(0, 0)
        self.parsed = top if isinstance(top, int) else self._run(top)

    @staticmethod
    def _run(top: _Step) -> int:
        stack = [top]
        value: Any = None
        while stack:
            try:
                call = stack[-1].send(value)
            except StopIteration as done:
                stack.pop()
                value = done.value
                continue
            stack.append(call)
            value = None
        result: int = value
        return result

    def _space(self, at: int) -> int:
        n = 0
        while at + n < len(self.raw) and self.raw[at + n] in _JSON_SPACE:
            n += 1
        self.inspected += n
        return n

    def _const(self, at: int, word: bytes) -> int:
        for i, c in enumerate(word):
            if at + i < len(self.raw) and self.raw[at + i] == c:
                self.inspected += 1
            else:
                return 0
        return len(word)

    def _string(self, at: int) -> int:
        """Length of a string body up to and including its closing quote, or 0."""
        raw, pos = self.raw, at
        while True:
            stop = _STRING_STOP.search(raw, pos)
            if stop is None:
                self.inspected += len(raw) - pos
                return 0
            self.inspected += stop.start() + 1 - pos
            pos = stop.start() + 1
            if raw[stop.start()] == 0x22:
                return pos - at
            if pos >= len(raw):
                return 0
            escaped = raw[pos]
            if escaped in b'"\\/bfnrt':
                pos += 1
                self.inspected += 1
            elif escaped == 0x75:
                pos += 1
                self.inspected += 1
                for _ in range(4):
                    if pos >= len(raw):
                        break
                    if raw[pos] not in _HEX:
                        return 0
                    pos += 1
                    self.inspected += 1
            else:
                return 0

    def _number(self, at: int) -> int:
        raw, i, got = self.raw, at, False

        def digits(i: int) -> tuple[int, bool]:
            seen = False
            while i < len(raw) and 48 <= raw[i] <= 57:
                seen = True
                i += 1
                self.inspected += 1
            return i, seen

        if i < len(raw):
            if raw[i] == 0x2D:
                i += 1
                self.inspected += 1
            i, got = digits(i)
            if i < len(raw):
                if raw[i] == 0x2E:
                    i += 1
                    self.inspected += 1
                i, seen = digits(i)
                got = got or seen
                if i < len(raw) and got and raw[i] in b"eE":
                    i += 1
                    self.inspected += 1
                    got = False
                    if i < len(raw):
                        if raw[i] in b"+-":
                            i += 1
                            self.inspected += 1
                        i, got = digits(i)
        return i - at if got else 0

    def _path_query(self) -> int:
        for index, (path, _values) in enumerate(self.queries):
            if tuple(self.path) == path:
                return index
        return -1

    def _array(self, at: int, depth: int) -> _Step:
        raw, size = self.raw, len(self.raw) - at
        if self.queries:
            self.path.append(b"[")
        if size == 0:
            return 0
        n = 0
        while n < size:
            n += self._space(at + n)
            if n >= size:
                return 0
            if raw[at + n] == 0x5D:
                self.inspected += 1
                if self.queries:
                    self.path.pop()
                return n + 1
            step = self._any(at + n, depth)
            inner: int = step if isinstance(step, int) else (yield step)
            if inner == 0:
                return 0
            n += inner
            if n >= size:
                return 0
            if raw[at + n] == 0x2C:
                n += 1
                self.inspected += 1
                continue
            if raw[at + n] == 0x5D:
                # The array's path entry stays pushed here, as in mimetype.
                self.inspected += 1
                return n + 1
            return 0
        return 0

    def _object(self, at: int, depth: int) -> _Step:
        raw, size = self.raw, len(self.raw) - at
        n = 0
        while n < size:
            n += self._space(at + n)
            if n >= size:
                return 0
            if raw[at + n] == 0x7D:
                self.inspected += 1
                return n + 1
            if raw[at + n] != 0x22:
                return 0
            n += 1
            self.inspected += 1
            matched = -1
            key_len = self._string(at + n)
            if key_len == 0:
                return 0
            if self.queries:
                self.path.append(raw[at + n : at + n + key_len - 1])
            if not self.satisfied:
                matched = self._path_query()
            n += key_len
            n += self._space(at + n)
            if n >= size or raw[at + n] != 0x3A:
                return 0
            n += 1
            self.inspected += 1
            n += self._space(at + n)
            if n >= size:
                return 0
            step = self._any(at + n, depth)
            value_len: int = step if isinstance(step, int) else (yield step)
            if value_len == 0:
                return 0
            if matched != -1:
                wanted = self.queries[matched][1]
                if not wanted or _trim_space(raw[at + n : at + n + value_len]) in wanted:
                    self.satisfied = True
            n += value_len
            if n >= size:
                return 0
            if raw[at + n] in b",}":
                if self.queries:
                    self.path.pop()
                self.inspected += 1
                if raw[at + n] == 0x7D:
                    return n + 1
                n += 1
                continue
            return 0
        return 0

    def _any(self, at: int, depth: int) -> int | _Step:
        """A value's length; for an array or object, a step to run that returns it (scalars are
        read directly: a generator per number would cost more than the parse)."""
        if depth > _MAX_DEPTH:
            return 0
        if not self.queries:
            self.satisfied = True
        n = self._space(at)
        if at + n >= len(self.raw):
            return 0
        c = self.raw[at + n]
        if c == 0x5B or c == 0x7B:
            n += 1
            self.inspected += 1
            if c == 0x5B:
                return self._container(self._array(at + n, depth + 1), at, n, depth, _TOK_ARRAY)
            return self._container(self._object(at + n, depth + 1), at, n, depth, _TOK_OBJECT)
        if c == 0x22:
            n += 1
            self.inspected += 1
            got, token = self._string(at + n), _TOK_STRING
        elif c == 0x74:
            got, token = self._const(at + n, b"true"), _TOK_TRUE
        elif c == 0x66:
            got, token = self._const(at + n, b"false"), _TOK_FALSE
        elif c == 0x6E:
            got, token = self._const(at + n, b"null"), _TOK_NULL
        else:
            got, token = self._number(at + n), _TOK_NUMBER
        return self._close(at, n, got, depth, token)

    def _container(self, body: _Step, at: int, n: int, depth: int, token: int) -> _Step:
        got: int = yield body
        return self._close(at, n, got, depth, token)

    def _close(self, at: int, n: int, got: int, depth: int, token: int) -> int:
        if depth == 0:
            self.first_token = token
        if got <= 0:
            return n
        n += got
        return n + self._space(at + n)


def _json_like(raw: bytes, limit: int, query: str, arrays: bool) -> bool:
    first = _trim_lws(raw)[:1]
    if not (first == b"{" or (arrays and first == b"[")):
        return False
    # A query's first key must appear quoted in the bytes: most JSON skips the query's parse.
    if query != "json" and not any(b'"%s"' % path[0] in raw for path, _ in _JSON_QUERIES[query]):
        return False
    parse = _JsonParse(query, raw)
    if not parse.satisfied:
        return False
    if limit == 0 or len(raw) < limit:
        return parse.parsed == len(raw)
    # Cut at the read limit: valid as far as it goes.
    return parse.inspected == len(raw) and len(raw) > 0


def _ndjson(raw: bytes, _limit: int) -> bool:
    lines = containers = 0
    rest = raw
    while rest:
        line, rest = _line(rest)
        parse = _JsonParse("json", line)
        # Only the last line may be cut by the read limit.
        if (parse.inspected if not rest else parse.parsed) != len(line):
            return False
        if parse.first_token in (_TOK_ARRAY, _TOK_OBJECT):
            containers += 1
        lines += 1
    return lines > 1 and containers > 0


# --- CSV / TSV -------------------------------------------------------------------------------


class _FieldCounter:
    """Counts the fields of each record, as Go's encoding/csv would split them."""

    def __init__(self, data: bytes, comma: int) -> None:
        self.s = _Cursor(data)
        self.comma = comma

    def _read_line(self) -> tuple[bytes, bool]:
        s = self.s
        end = s.data.find(b"\n", s.pos)
        end = len(s.data) if end == -1 else end + 1
        line, s.pos = s.data[s.pos : end], end
        if line.endswith(b"\r"):
            return line[:-1], False
        if line.endswith(b"\r\n"):
            return line[:-2], True
        return line, False

    def count(self) -> int:
        finished = False
        while True:
            line, cut_short = self._read_line()
            if finished:
                return 0
            finished = len(self.s) == 0 and not line
            if line in (b"", b"\n") or line[0] == 0x23:
                continue
            break
        fields = 0
        while True:
            if not line or line[0] != 0x22:
                fields += 1
                i = line.find(self.comma)
                if i < 0:
                    return fields
                line = line[i + 1 :]
                continue
            line = line[1:]
            while True:
                i = line.find(b'"')
                if i >= 0:
                    line = line[i + 1 :]
                    after = line[0] if line else 0
                    if after == 0x22:
                        line = line[1:]
                    elif after == self.comma:
                        line = line[1:]
                        fields += 1
                        break
                    elif line in (b"", b"\n"):
                        return fields + 1
                elif line or cut_short:
                    line, cut_short = self._read_line()
                else:
                    return fields + 1


def _separated(raw: bytes, comma: int, limit: int) -> bool:
    counter = _FieldCounter(raw, comma)
    header = counter.count()
    if header < 2:
        return False
    lines = 1
    while True:
        fields = counter.count()
        if fields == 0:
            break
        if fields == header:
            lines += 1
        else:
            # A short last record is forgiven when the input was cut at the read limit.
            if limit > 0 and len(raw) >= limit and fields < header and len(counter.s) == 0:
                break
            return False
        if lines >= 10:
            return True
    return lines >= 2


# --- text formats ----------------------------------------------------------------------------

_BINARY_BYTES = frozenset([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)])


def _is_text(raw: bytes, _limit: int = 0) -> bool:
    if _charset_from_bom(raw):
        return True
    return not any(c in _BINARY_BYTES for c in raw[:4096])


def _markup(raw: bytes, tags: tuple[bytes, ...]) -> bool:
    b = _trim_lws(raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw)
    if not b:
        return False
    for tag in tags:
        if len(b) < len(tag) + 1:
            continue
        if all(c == ((b[i] & 0xDF) if 65 <= c <= 90 else b[i]) for i, c in enumerate(tag)):
            if b[len(tag)] in _WS or b[len(tag)] == 0x3E:
                return True
    return False


def _ci_prefix(raw: bytes, sigs: tuple[bytes, ...]) -> bool:
    for sig in sigs:
        if len(raw) >= len(sig) + 1 and all(
            c == ((raw[i] & 0xDF) if 65 <= c <= 90 else raw[i]) for i, c in enumerate(sig)
        ):
            return True
    return False


def _xml_root(raw: bytes, pairs: tuple[tuple[bytes, bytes], ...]) -> bool:
    b = _trim_lws(raw)
    if not b:
        return False
    head = b[:512]
    for local, xmlns in pairs:
        if not local:
            if head.find(xmlns) > 0:
                return True
        elif not xmlns:
            if head.find(local) > 0:
                return True
        else:
            at = head.find(local)
            if at != -1 and at < head.find(xmlns):
                return True
    return False


def _shebang(raw: bytes, interpreters: tuple[tuple[bytes, int], ...]) -> bool:
    line, _ = _line(raw)
    if len(line) < 2 or not line.startswith(b"#!"):
        return False
    line = _trim_lws(line[2:])
    return any(_pattern_match(line, path, flags) != -1 for path, flags in interpreters)


_PHP_SCRIPT = (
    (b"/usr/local/bin/php", 0),
    (b"/usr/bin/php", 0),
    (b"/usr/bin/env php", COMPACT_WS),
    (b"/usr/bin/env -S php", COMPACT_WS),
)


def _php(raw: bytes, _limit: int) -> bool:
    return _ci_prefix(raw, (b"<?PHP", b"<?\n", b"<?\r", b"<? ")) or _shebang(raw, _PHP_SCRIPT)


def _xhtml(raw: bytes, _limit: int) -> bool:
    head = raw[:1024]
    flags = COMPACT_WS | IGNORE_CASE
    return _search(head, b"<!DOCTYPE HTML", flags) != -1 or _search(head, b"<HTML XMLNS=", flags) != -1


def _svg(raw: bytes, _limit: int) -> bool:
    return _svg_bare(raw) or _svg_declared(raw)


def _svg_bare(raw: bytes) -> bool:
    s = _Cursor(raw)
    s.skip_ws()
    while _skip_comment(s):
        pass
    if not s.data.startswith(b"<svg", s.pos):
        return False
    more = True
    while more:
        name, value, more = _attribute(s)
        if name == b"xmlns" and value == b"http://www.w3.org/2000/svg":
            return True
    return False


def _svg_declared(raw: bytes) -> bool:
    s = _Cursor(raw)
    s.skip_ws()
    if not s.data.startswith(b"<?xml", s.pos):
        return False
    has_version, more = False, True
    while more:
        name, _value, more = _attribute(s)
        if name == b"version":
            has_version = True
            break
    return has_version and b"<svg" in s.rest()[:4096]


def _srt_time(value: bytes) -> tuple[int, int, int, int] | None:
    """Go's time.Parse("15:04:05,000", value) as (h, m, s, ms), or None."""

    def two(b: bytes, fixed: bool) -> tuple[int, bytes] | None:
        if not b[:1].isdigit():
            return None
        if not b[1:2].isdigit():
            return None if fixed else (b[0] - 48, b[1:])
        return (b[0] - 48) * 10 + b[1] - 48, b[2:]

    parts: list[int] = []
    rest = value
    for fixed, top, sep in ((False, 24, b":"), (True, 60, b":"), (True, 60, b"")):
        got = two(rest, fixed)
        if got is None or got[0] >= top:
            return None
        parts.append(got[0])
        rest = got[1]
        if sep:
            if not rest.startswith(sep):
                return None
            rest = rest[1:]
    if len(rest) < 4 or rest[0] not in b",.":
        return None
    fraction = rest[1:4]
    sign = -1 if fraction[:1] == b"-" else 1
    number = fraction[1:] if fraction[:1] in (b"-", b"+") else fraction
    if not number.isdigit():
        return None
    millis = sign * int(number)
    if millis < 0 or rest[4:]:
        return None
    return parts[0], parts[1], parts[2], millis


def _srt(raw: bytes, _limit: int) -> bool:
    first, rest = _line(raw)
    if first != b"1":
        return False
    times, rest = _line(rest)
    if len(times) != 29 or b"." in times:
        return False
    arrow = times.find(b" --> ")
    if arrow == -1:
        return False
    start, end = _srt_time(times[:arrow]), _srt_time(times[arrow + 5 :])
    if start is None or end is None or start > end:
        return False
    text, _ = _line(rest)
    return len(text) != 0


_VTT_PREFIXES = tuple(
    bom + b"WEBVTT" + end for bom in (b"\xef\xbb\xbf", b"") for end in (b"\n", b"\r", b" ", b"\t")
)


def _vtt(raw: bytes, _limit: int) -> bool:
    return raw.startswith(_VTT_PREFIXES) or raw in (b"\xef\xbb\xbfWEBVTT", b"WEBVTT")


_RFC822_HINTS = (
    (b"Message-ID: ", IGNORE_CASE), (b"From: ", 0), (b"To: ", 0), (b"CC: ", IGNORE_CASE), (b"Date: ", 0),
    (b"Subject: ", 0), (b"Received: ", 0), (b"Relay-Version: ", 0), (b"#! rnews", 0), (b"N#! rnews", 0),
    (b"Forward to", 0), (b"Pipe to", 0), (b"DELIVERED-TO: ", IGNORE_CASE), (b"RETURN-PATH: ", IGNORE_CASE),
    (b"Content-Type: ", 0), (b"Content-Transfer-Encoding: ", 0),
)  # fmt: skip


def _rfc822(raw: bytes, _limit: int) -> bool:
    def hinted(line: bytes) -> bool:
        return any(_pattern_match(line, hint, flags) > -1 for hint, flags in _RFC822_HINTS)

    line, rest = _line(raw)
    if not hinted(line):
        return False
    for _ in range(20):
        line, rest = _line(rest)
        if hinted(line):
            return True
    return False


def _gedcom(raw: bytes, _limit: int) -> bool:
    if not raw:
        return False
    b = raw[:4096]
    for bom in (b"\xef\xbb\xbf", b"\xfe\xff", b"\xff\xfe"):
        if b.startswith(bom):
            b = b[len(bom) :]
            break
    first, rest = _line(_trim_lws(b))
    if first != b"0 HEAD":
        return False
    for _ in range(10):
        line, rest = _line(rest)
        if line == b"1 GEDC":
            return True
    return False


def _go_parse_int(b: bytes) -> int | None:
    """strconv.ParseInt(b, 10, 64): an optional sign, then decimal digits only."""
    digits = b[1:] if b[:1] in (b"+", b"-") else b
    if not digits or not digits.isdigit():
        return None
    value = int(digits) * (-1 if b[:1] == b"-" else 1)
    return value if -(2**63) <= value < 2**63 else None


def _netpbm(*magics: bytes) -> Matcher:
    def match(raw: bytes, _limit: int) -> bool:
        found = b""
        for magic in magics:
            if raw.startswith(magic):
                found = magic
        if not found:
            return False
        rest = raw[len(found) :]
        line = b""
        for _ in range(128):
            line, rest = _line(rest)
            if line[:1] == b"#":
                continue
            line = _trim_lws(line)
            if not rest or line:
                break
        s = _Cursor(line)
        width = s.pop_until(b" \r\n\x0c\t")
        s.skip_ws()
        height = s.pop_until(b" \r\n\x0c\t")
        w, h = _go_parse_int(width), _go_parse_int(height)
        return w is not None and h is not None and w > 0 and h > 0

    return match


def _netpam(raw: bytes, _limit: int) -> bool:
    if not raw.startswith(b"P7\n"):
        return False
    seen: set[bytes] = set()
    rest = raw
    for _ in range(128):
        line, rest = _line(rest)
        if not line or line[:1] == b"#":
            if not rest:
                return False
            continue
        for key in (b"WIDTH ", b"HEIGHT ", b"DEPTH ", b"MAXVAL "):
            if line.startswith(key) and not line.startswith(b"TUPLTYPE"):
                seen.add(key)
        if line.startswith(b"ENDHDR") and not line.startswith(b"TUPLTYPE"):
            return len(seen) == 4
    return False


# --- archives, zip and office ----------------------------------------------------------------


def _zip(raw: bytes, _limit: int = 0) -> bool:
    return len(raw) > 3 and raw[:2] == b"PK" and raw[2] in (3, 5, 7) and raw[3] in (4, 6, 8)


def _zip_names(raw: bytes) -> Iterator[bytes]:
    """Names of the local file headers found by scanning forward (names may be empty)."""
    s = _Cursor(raw)
    while True:
        at = s.data.find(b"PK\x03\x04", s.pos)
        if at == -1:
            return
        s.pos = at
        if not s.advance(0x1A):
            return
        size = s.uint16()
        if size is None or not s.advance(2) or len(s) < size:
            return
        yield s.data[s.pos : s.pos + size]


def _zip_has(raw: bytes, names: tuple[bytes, ...], prefixes: tuple[bytes, ...], stop_after: int) -> bool:
    for index, name in enumerate(_zip_names(raw)):
        if index >= stop_after or not name:
            return False
        if name in names or name.startswith(prefixes):
            return True
    return False


_OOXML_FIRST = (b"_rels/", b"docProps/", b"customXml/", b"[trash]/")


def _ooxml(folder: bytes) -> Matcher:
    def match(raw: bytes, _limit: int) -> bool:
        for index, name in enumerate(_zip_names(raw)):
            if index >= 100 or not name:
                return False
            if name.startswith(folder):
                return True
            if index == 0 and name != b"[Content_Types].xml" and not name.startswith(_OOXML_FIRST):
                return False
        return False

    return match


def _jar(raw: bytes, _limit: int) -> bool:
    s = _Cursor(raw)
    s.advance(0x1A)  # a failed step leaves the cursor where it was, as in mimetype
    offset = s.uint16()
    if offset is not None:
        s.advance(offset + 2)
        if s.uint16() == 0xCAFE:
            return True
    return _zip_has(raw, (b"META-INF/", b"META-INF/MANIFEST.MF"), (), 1)


def _zipflinger_end(raw: bytes) -> int:
    """Where the data continues after an Android zipflinger virtual entry at the start, or -1."""
    if raw.find(b"PK\x03\x04") == -1:
        return -1
    s = _Cursor(raw, 8)
    if len(raw) < 8 or s.uint16() != 0 or not s.advance(4):
        return -1
    if s.uint32() != 0 or s.uint32() != 0 or s.uint32() != 0 or s.uint16() != 0:
        return -1
    extra = s.uint16()
    if extra is None or not s.advance(extra):
        return -1
    return s.pos


_APK_ENTRIES = (
    b"AndroidManifest.xml",
    b"META-INF/com/android/build/gradle/app-metadata.properties",
    b"classes.dex",
    b"resources.arsc",
    b"res/drawable",
)


def _apk(raw: bytes, _limit: int) -> bool:
    if _zipflinger_end(raw) != -1:
        return True
    return _zip_has(raw, _APK_ENTRIES, (), 100)


def _kmz(raw: bytes, _limit: int) -> bool:
    return _zip_has(raw, (b"doc.kml",), (), 100)


def _crx(raw: bytes, _limit: int) -> bool:
    if len(raw) < 16 or not raw.startswith(b"Cr24"):
        return False
    start = 16 + _u32le(raw, 8) + _u32le(raw, 12)
    return start <= len(raw) and _zip(raw[start:])


def _tar_octal(b: bytes) -> int:
    b = b.strip(b" \x00")
    if not b:
        return -1
    value = 0
    for c in b:
        if c == 0:
            break
        if not 48 <= c <= 55:
            return -1
        value = (value << 3) | (c - 48)
    return value


def _tar(raw: bytes, _limit: int) -> bool:
    if len(raw) < 512:
        return False
    header = raw[:512]
    if b"/gpkg-1\x00" in header[:100]:
        return False
    recorded = _tar_octal(header[148:156])
    if recorded == -1:
        return False
    blanked = header[:148] + b" " * 8 + header[156:]
    unsigned = sum(blanked)
    signed = sum(c - 256 if c > 127 else c for c in blanked)
    return recorded in (unsigned, signed)


def _zstd(raw: bytes, _limit: int) -> bool:
    if len(raw) < 4:
        return False
    magic = _u32le(raw)
    return 0xFD2FB522 <= magic <= 0xFD2FB528 or 0x184D2A50 <= magic <= 0x184D2A5F


def _cpio(raw: bytes, _limit: int) -> bool:
    return len(raw) >= 6 and (_u16le(raw) == 0o70707 or raw.startswith((b"070707", b"070701", b"070702")))


def _zlib(raw: bytes, _limit: int) -> bool:
    return len(raw) > 1 and raw[0] == 0x78 and int.from_bytes(raw[:2], "big") % 31 == 0 and not _is_text(raw)


def _installshield_cab(raw: bytes, _limit: int) -> bool:
    return len(raw) > 7 and raw[:4] == b"ISc(" and raw[6] == 0 and raw[7] in (1, 2, 4)


# --- OLE compound files (a reader tolerant of inputs cut at the read limit) -------------------

_CDF_GENERIC, _CDF_INSTALLER, _CDF_DOC, _CDF_PPT, _CDF_XLS, _CDF_MSG = range(6)
_CDF_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MSI_CLSID = b"\x84\x10\x0c\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46"
_APP_TYPES = (
    (b"WORD", _CDF_DOC), (b"EXCEL", _CDF_XLS), (b"POWERPOINT", _CDF_PPT),
    (b"ADVANCED INSTALLER", _CDF_INSTALLER), (b"INSTALLSHIELD", _CDF_INSTALLER),
    (b"MICROSOFT PATCH COMPILER", _CDF_INSTALLER), (b"NANT", _CDF_INSTALLER),
    (b"WINDOWS INSTALLER", _CDF_INSTALLER),
)  # fmt: skip
_NAME_TYPES = (
    (b"BOOK", _CDF_XLS), (b"WORKBOOK", _CDF_XLS), (b"WORDDOCUMENT", _CDF_DOC), (b"POWERPOINT", _CDF_PPT),
    (b"DIGITALSIGNATURE", _CDF_INSTALLER),
)  # fmt: skip
# (directory entry name, entry type) -> document type, when no summary stream decides it.
_SECTION_TYPES = {
    (b"Book", 2): _CDF_XLS,
    (b"Workbook", 2): _CDF_XLS,
    (b"WordDocument", 2): _CDF_DOC,
    (b"PowerPoint Document", 2): _CDF_PPT,
    (b"__properties_version1.0", 2): _CDF_MSG,
    (b"__recip_version1.0_#00000000", 1): _CDF_MSG,
}


class _DirEntry:
    __slots__ = ("name", "kind", "first", "size", "clsid")

    def __init__(self, raw: bytes) -> None:
        name = bytearray()
        for j in range(min(_u16le(raw, 64), 64) // 2):
            lo, hi = raw[2 * j], raw[2 * j + 1]
            if lo == 0 and hi == 0:
                break
            name.append(lo)
        self.name = bytes(name)
        self.kind = raw[66]
        self.first = _i32le(raw, 116)
        self.size = _u32le(raw, 120)
        self.clsid = raw[80:96]


class _Compound:
    """The parts of a compound file that name its document type."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.sector_size = 1 << _u16le(data, 30)
        self.short_size = 1 << _u16le(data, 32)
        self.min_stream = _u32le(data, 56)
        self.first_ssat = _i32le(data, 60)
        self.sat_sectors = self._sat_sectors(data[76 : 76 + 4 * 109], _i32le(data, 68), _u32le(data, 72))
        self.sat_entries = self._count_sat_entries()
        directory = self.read_long(_i32le(data, 48), 0) or b""
        self.entries = [_DirEntry(directory[i : i + 128]) for i in range(0, len(directory) - 127, 128)]
        self.root_first, self.root_size, self.root_clsid = -1, 0, b""
        for entry in self.entries:
            if entry.kind == 5 and entry.first >= 0:
                self.root_first, self.root_size, self.root_clsid = entry.first, entry.size, entry.clsid
                break
        self._short_pool: bytes | None = None
        self._short_built = False

    @staticmethod
    def parse(data: bytes) -> _Compound | None:
        if len(data) < 512 or not data.startswith(_CDF_MAGIC):
            return None
        if _u16le(data, 30) > 20 or _u16le(data, 32) > 20 or (1 << _u16le(data, 30)) < 128:
            return None
        return _Compound(data)

    def _ids(self, raw: bytes) -> list[int]:
        return [_i32le(raw, 4 * i) for i in range(len(raw) // 4)]

    def _sat_sectors(self, master: bytes, first_msat: int, msat_count: int) -> list[int]:
        ids = self._ids(master)
        if first_msat < 0 or msat_count == 0:
            return ids
        limit = len(self.data) // self.sector_size + 1
        found: list[int] = []
        for sector_id in ids:
            if sector_id < 0:
                break
            found.append(sector_id)
        per_sector = self.sector_size // 4 - 1
        current, hops = first_msat, 0
        while hops < msat_count and current >= 0:
            hops += 1
            block = self.sector(current)
            if block is None:
                break
            entries = self._ids(block)
            for k in range(per_sector):
                if k >= len(entries) or entries[k] < 0:
                    return found
                found.append(entries[k])
                if len(found) > limit:
                    return found
            if per_sector >= len(entries):
                break
            current = entries[per_sector]
        return found

    def _count_sat_entries(self) -> int:
        per_sector, total = self.sector_size // 4, 0
        for sector_id in self.sat_sectors:
            if sector_id < 0:
                break
            offset = self.sector_size * (1 + sector_id)
            if offset >= len(self.data):
                break
            available = len(self.data) - offset
            if available >= self.sector_size:
                total += per_sector
                continue
            total += available // 4
            break
        return total

    def sat_at(self, index: int) -> int:
        per_sector = self.sector_size // 4
        sector_id = self.sat_sectors[index // per_sector]
        return _i32le(self.data, self.sector_size * (1 + sector_id) + 4 * (index % per_sector))

    def sector(self, sector_id: int) -> bytes | None:
        if sector_id < 0:
            return None
        offset = self.sector_size * (1 + sector_id)
        if offset >= len(self.data):
            return None
        end = min(offset + self.sector_size, len(self.data))
        return self.data[offset:end] if end - offset >= 4 else None

    def read_long(self, sector_id: int, length: int) -> bytes | None:
        """A chain of sectors (None when even its start lies past the input)."""
        if sector_id >= 0:
            limit = len(self.data) // self.sector_size + 1
            count, current, contiguous = 0, sector_id, True
            while current >= 0:
                if current >= self.sat_entries:
                    break
                count += 1
                if count > limit:
                    contiguous = False
                    break
                following = self.sat_at(current)
                if following >= 0 and following != current + 1:
                    contiguous = False
                    break
                current = following
            if contiguous:
                offset = self.sector_size * (1 + sector_id)
                if offset >= len(self.data):
                    return None
                out = self.data[offset : min(offset + count * self.sector_size, len(self.data))]
                return out[:length] if 0 < length < len(out) else out
        gathered = bytearray()
        while sector_id >= 0 and sector_id < self.sat_entries:
            block = self.sector(sector_id)
            if block is None:
                break
            gathered += block
            if len(gathered) >= len(self.data):
                break
            sector_id = self.sat_at(sector_id)
        return bytes(gathered[:length] if 0 < length < len(gathered) else gathered)

    def _short_stream_pool(self) -> bytes | None:
        if not self._short_built:
            self._short_built = True
            if self.root_first >= 0:
                self._short_pool = self.read_long(self.root_first, self.root_size)
        return self._short_pool

    def _ssat_at(self, index: int) -> int:
        sector_id = self.first_ssat
        while sector_id >= 0:
            if sector_id >= self.sat_entries:
                break
            block = self.sector(sector_id)
            if block is None:
                break
            count = len(block) // 4
            if index < count:
                return _i32le(block, 4 * index)
            index -= count
            sector_id = self.sat_at(sector_id)
        return -1

    def _read_short(self, sector_id: int, length: int) -> bytes | None:
        pool = self._short_stream_pool()
        if pool is None:
            return None
        gathered = bytearray()
        while sector_id >= 0:
            offset = sector_id * self.short_size
            if offset + self.short_size > len(pool):
                break
            gathered += pool[offset : offset + self.short_size]
            if len(gathered) >= len(pool):
                break
            sector_id = self._ssat_at(sector_id)
        return bytes(gathered[:length] if 0 < length < len(gathered) else gathered)

    def user_stream(self, name: bytes) -> bytes | None:
        for entry in self.entries:
            if entry.kind == 2 and entry.name == name:
                if entry.size < self.min_stream and self.root_first >= 0:
                    return self._read_short(entry.first, entry.size)
                return self.read_long(entry.first, entry.size)
        return None

    def _from_summary(self, stream_name: bytes) -> int | None:
        if self.root_clsid == _MSI_CLSID:
            return _CDF_INSTALLER
        stream = self.user_stream(stream_name)
        if stream is None:
            return None
        app = _summary_application(stream)
        if app:
            for needle, kind in _APP_TYPES:
                if _search(app, needle, IGNORE_CASE) != -1:
                    return kind
        for entry in self.entries:
            if entry.name:
                for needle, kind in _NAME_TYPES:
                    if _search(entry.name, needle, IGNORE_CASE) != -1:
                        return kind
        return _CDF_GENERIC

    def document_type(self) -> int:
        for stream_name in (b"\x05SummaryInformation", b"\x05DocumentSummaryInformation"):
            found = self._from_summary(stream_name)
            if found is not None:
                return found
        for entry in self.entries:
            if (entry.name, entry.kind) in _SECTION_TYPES:
                return _SECTION_TYPES[(entry.name, entry.kind)]
        return _CDF_GENERIC


def _summary_application(stream: bytes) -> bytes:
    """The NameOfApplication property (0x12) of a summary stream, printable ASCII only."""
    if len(stream) < 48:
        return b""
    section_at = _u32le(stream, 44)
    if section_at + 8 > len(stream):
        return b""
    section = stream[section_at:]
    size, count = _u32le(section, 0), _u32le(section, 4)
    if size > len(section) or count > 1 << 16 or 8 + 8 * count > size:
        return b""
    for i in range(count):
        base = 8 + 8 * i
        if _u32le(section, base) != 0x12:
            continue
        at = _u32le(section, base + 4)
        if at + 8 > size:
            return b""
        kind = _u32le(section, at)
        if kind & 0x1000:
            return b""
        step = {0x1E: 1, 0x1F: 2}.get(kind & 0x0FFF, 0)
        if not step:
            return b""
        start = at + 8
        end = start + _u32le(section, at + 4) * step
        if end > size:
            return b""
        out = bytearray()
        for j in range(start, end - step + 1, step):
            c = section[j]
            if c == 0:
                break
            if 0x20 <= c < 0x7F:
                out.append(c)
        return bytes(out)
    return b""


# Each of the six OLE children asks; the same head is parsed once.
@lru_cache(maxsize=4)
def _compound_type(raw: bytes) -> int:
    compound = _Compound.parse(raw)
    return compound.document_type() if compound else _CDF_GENERIC


def _ole_clsid(raw: bytes, clsid: bytes) -> bool:
    """The root storage's CLSID, read where the first directory sector should be."""
    if len(raw) < 512:
        return False
    sector_size = 4096 if raw[26] == 4 and raw[27] == 0 else 512
    offset = sector_size * (1 + _u32le(raw, 48)) + 80
    return len(raw) > offset + 16 and raw.startswith(clsid, offset)


def _ole_kind(kind: int, clsids: tuple[bytes, ...], sub_headers: tuple[bytes, ...], marker: bytes) -> Matcher:
    def match(raw: bytes, _limit: int) -> bool:
        found = _compound_type(raw)
        if found != _CDF_GENERIC:
            return found == kind
        if any(_ole_clsid(raw, clsid) for clsid in clsids):
            return True
        if not sub_headers or len(raw) < 520:
            return False
        if raw[512:].startswith(sub_headers):
            return True
        return len(raw) > 1152 and marker in raw[1152:4096]

    return match


_doc = _ole_kind(
    _CDF_DOC,
    tuple(bytes([v]) + b"\x09\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46" for v in (6, 0, 7)),
    (),
    b"",
)
_ppt = _ole_kind(
    _CDF_PPT,
    (
        b"\x10\x8d\x81\x64\x9b\x4f\xcf\x11\x86\xea\x00\xaa\x00\xb9\x29\xe8",
        b"\x70\xae\x7b\xea\x3b\xfb\xcd\x11\xa9\x03\x00\xaa\x00\x51\x0e\xa3",
    ),
    (b"\xa0\x46\x1d\xf0", b"\x00\x6e\x1e\xf0", b"\x0f\x00\xe8\x03"),
    # Not quite UTF-16: the space has no zero byte after it in mimetype's marker.
    b"P\x00o\x00w\x00e\x00r\x00P\x00o\x00i\x00n\x00t\x00 D\x00o\x00c\x00u\x00m\x00e\x00n\x00t",
)
_xls = _ole_kind(
    _CDF_XLS,
    (b"\x10\x08\x02\x00\x00\x00\x00\x00", b"\x20\x08\x02\x00\x00\x00\x00\x00"),
    (
        b"\x09\x08\x10\x00\x00\x06\x05\x00",
        *(b"\xfd\xff\xff\xff" + bytes([v]) for v in (0x10, 0x1F, 0x22, 0x23, 0x28, 0x29)),
    ),
    "WksSSWorkBook".encode("utf-16-le")[:-1],
)
_msg = _ole_kind(_CDF_MSG, (b"\x0b\x0d\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46",), (), b"")


def _msi(raw: bytes, _limit: int) -> bool:
    return _compound_type(raw) == _CDF_INSTALLER


def _pub(raw: bytes, _limit: int) -> bool:
    return _ole_clsid(raw, b"\x01\x12\x02\x00\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x46")


# --- images, audio, video --------------------------------------------------------------------


def _apng(raw: bytes, _limit: int) -> bool:
    s = _Cursor(raw)
    s.advance(8)
    for _ in range(32):
        if not len(s):
            return False
        size = int.from_bytes(s.rest()[:4], "big") if len(s) >= 4 else 0
        if len(s) >= 4:
            s.pos += 4
        if s.data.startswith(b"acTL", s.pos):
            return True
        if s.data.startswith(b"IDAT", s.pos):
            return False
        if not s.advance((size + 8) & 0xFFFFFFFF):
            return False
    return False


def _jpeg2000(brand: bytes) -> Matcher:
    def match(raw: bytes, _limit: int) -> bool:
        return len(raw) >= 24 and raw[4:8] in (b"jP  ", b"jP2 ") and raw[20:24] == brand

    return match


_BMP_HEADER_SIZES = frozenset((48, 24, 16, 64, 52, 56, 40, 124, 108))


def _bmp(raw: bytes, _limit: int) -> bool:
    return len(raw) >= 18 and raw[:2] == b"BM" and _u32le(raw, 14) in _BMP_HEADER_SIZES


def _lotus123(raw: bytes, _limit: int) -> bool:
    if len(raw) <= 20:
        return False
    version = _u32be(raw)
    if version == 0x200:
        return raw[6] != 0 and raw[7] == 0
    return version == 0x1A00 and 0 < raw[20] < 32


def _ogg_payload(*sigs: bytes) -> Matcher:
    def match(raw: bytes, _limit: int) -> bool:
        return len(raw) >= 37 and raw.startswith(sigs, 28)

    return match


def _mpeg(raw: bytes, _limit: int) -> bool:
    return len(raw) > 3 and raw.startswith(b"\x00\x00\x01") and 0xB0 <= raw[3] <= 0xBF


_QUICKTIME_ATOMS = (b"moov\x00", b"mdat\x00", b"free\x00", b"skip\x00", b"pnot\x00")


def _quicktime(raw: bytes, _limit: int) -> bool:
    if len(raw) < 12:
        return False
    if raw[4:12] in (b"ftypqt  ", b"ftypmoov"):
        return raw[0] == 0
    return raw[4:9] in _QUICKTIME_ATOMS or raw[:8] == b"\x00\x00\x00\x08wide"


def _mp4(raw: bytes, _limit: int) -> bool:
    return len(raw) >= 12 and raw[0] == 0 and raw[4:8] == b"ftyp"


def _matroska(doc_type: bytes) -> Matcher:
    def match(raw: bytes, _limit: int) -> bool:
        if not raw.startswith(b"\x1a\x45\xdf\xa3"):
            return False
        at = raw[:4096].find(b"\x42\x82")
        if at <= 0 or len(raw) <= at + 2:
            return False
        at += 2
        width, mask = 1, 0x80
        while width < 8 and raw[at] & mask == 0:
            mask >>= 1
            width += 1
        return len(raw) > at + width and raw.startswith(doc_type, at + width)

    return match


def _id3v2(raw: bytes) -> bool:
    if len(raw) < 10 or not raw.startswith(b"ID3"):
        return False
    if not 2 <= raw[3] <= 4 or raw[4] != 0 or raw[5] & 0x0F:
        return False
    if any(c & 0x80 for c in raw[6:10]):
        return False
    size = raw[6] << 21 | raw[7] << 14 | raw[8] << 7 | raw[9]
    return 0 < size < 10 * 1024 * 1024


_HALF_BITRATES = (
    (0, 4, 8, 12, 16, 20, 24, 28, 32, 40, 48, 56, 64, 72, 80),
    (0, 16, 20, 24, 28, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160),
)


def _mp3_header_valid(h: bytes) -> bool:
    return (
        h[0] == 0xFF
        and ((h[1] & 0xF0) == 0xF0 or (h[1] & 0xFE) == 0xE2)
        and (h[1] >> 1) & 3 == 1
        and h[2] >> 4 != 15
        and (h[2] >> 2) & 3 != 3
        and h[3] & 3 != 2
        and h[2] & 0xF0 != 0
    )


def _mp3_frame_size(h: bytes) -> tuple[int, int]:
    """(frame bytes without padding, padding) of a valid layer III header."""
    mpeg1 = 1 if h[1] & 0x08 else 0
    bitrate = 2 * _HALF_BITRATES[mpeg1][h[2] >> 4]
    rate = (44100, 48000, 32000)[(h[2] >> 2) & 3]
    if not mpeg1:
        rate >>= 1
    if not h[1] & 0x10:
        rate >>= 1
    samples = 576 if h[1] & 14 == 2 else 1152
    frame = samples * bitrate * 125 // rate if bitrate and rate else 0
    return frame, 1 if h[2] & 0x02 else 0


def _mp3_stream_follows(buf: bytes) -> bool:
    first = buf[:4]
    frame, pad = _mp3_frame_size(first)
    i = frame + pad
    for matched in range(10):
        if i + 4 > len(buf):
            return matched >= 2
        header = buf[i : i + 4]
        compatible = (
            _mp3_header_valid(header)
            and (first[1] ^ header[1]) & 0xFE == 0
            and (first[2] ^ header[2]) & 0x0C == 0
        )
        if not compatible:
            return False
        frame, pad = _mp3_frame_size(header)
        i += frame + pad
    return True


def _mp3_frame(b: bytes) -> bool:
    limit = min(len(b), 2048 + 4)
    i = 0
    while i < limit - 4:
        j = b.find(b"\xff", i, limit - 4)
        if j < 0:
            return False
        i = j
        header = b[i : i + 4]
        if _mp3_header_valid(header):
            frame, pad = _mp3_frame_size(header)
            if frame > 0 and i + frame + pad <= len(b) and _mp3_stream_follows(b[i:]):
                return True
            if i == 0 and frame + pad == len(b):
                return True
        i += 1
    return False


def _mp3(raw: bytes, _limit: int) -> bool:
    if len(raw) < 3:
        return False
    if _id3v2(raw):
        return True
    if int.from_bytes(raw[:2], "big") & 0xFFFE in (0xFFFA, 0xFFF2, 0xFFE2, 0xFFFC, 0xFFF4):
        return True
    if raw.startswith((b"MO3", b"\x00\x00\x01\x40\x00\x00\x00\x03\x00\x00")):
        return False
    return _mp3_frame(raw)


def _djvu(raw: bytes, _limit: int) -> bool:
    return (
        len(raw) >= 12 and raw.startswith(b"AT&TFORM") and raw[12:16] in (b"DJVM", b"DJVU", b"DJVI", b"THUM")
    )


_DWG_VERSIONS = frozenset(
    (b"1.40", b"1.50", b"2.10", b"1002", b"1003", b"1004", b"1006", b"1009", b"1012", b"1014", b"1015", b"1018",
     b"1021", b"1024", b"1032")
)  # fmt: skip


def _dwg(raw: bytes, _limit: int) -> bool:
    return len(raw) >= 6 and raw[:2] == b"AC" and raw[2:6] in _DWG_VERSIONS


# --- fonts -----------------------------------------------------------------------------------

# SFNT table tags a TrueType font may list first (Apple's and Microsoft's specifications).
_SFNT_TABLES = frozenset(
    (
        b"acnt", b"ankr", b"avar", b"bdat", b"bhed", b"bloc", b"bsln", b"cmap", b"cvar", b"cvt ", b"EBSC",
        b"fdsc", b"feat", b"fmtx", b"fond", b"fpgm", b"fvar", b"gasp", b"gcid", b"glyf", b"gvar", b"hdmx",
        b"head", b"hhea", b"hmtx", b"hvgl", b"hvpm", b"just", b"kern", b"kerx", b"lcar", b"loca", b"ltag",
        b"maxp", b"meta", b"mort", b"morx", b"name", b"opbd", b"OS/2", b"GSUB", b"GPOS", b"BASE", b"JSTF",
        b"GDEF", b"MATH", b"CBDT", b"CBLC", b"CFF ", b"CFF2", b"COLR", b"CPAL", b"DSIG", b"EBDT", b"EBLC",
        b"HVAR", b"LTSH", b"MERG", b"MVAR", b"PCLT", b"post", b"prep", b"sbix", b"STAT", b"SVG ", b"VDMX",
        b"vhea", b"vmtx", b"VORG", b"VVAR",
    )
)  # fmt: skip


def _ttf(raw: bytes, _limit: int) -> bool:
    return raw.startswith(b"\x00\x01\x00\x00") and len(raw) >= 16 and raw[12:16] in _SFNT_TABLES


def _otf(raw: bytes, _limit: int) -> bool:
    return len(raw) > 48 and raw.startswith(b"OTTO\x00") and b"CFF " in raw[12:48]


def _ttc(raw: bytes, _limit: int) -> bool:
    return len(raw) > 7 and raw.startswith(b"ttcf") and raw[4:8] in (b"\x00\x01\x00\x00", b"\x00\x02\x00\x00")


def _eot(raw: bytes, _limit: int) -> bool:
    return (
        len(raw) > 35
        and raw[34:36] == b"LP"
        and raw[8:11] in (b"\x02\x00\x01", b"\x01\x00\x00", b"\x02\x00\x02")
    )


# --- executables and the rest ----------------------------------------------------------------


def _elf_type(kind: int) -> Matcher:
    def match(raw: bytes, _limit: int) -> bool:
        return len(raw) > 17 and (raw[16], raw[17]) in ((kind, 0), (0, kind))

    return match


def _java_class(raw: bytes, _limit: int) -> bool:
    return len(raw) >= 8 and _u32be(raw) == 0xCAFEBABE and raw[7] > 30


def _macho(raw: bytes, _limit: int) -> bool:
    if len(raw) >= 8 and _u32be(raw) == 0xCAFEBABE and raw[7] < 0x14:
        return True
    if len(raw) < 4:
        return False
    return {_u32be(raw), _u32le(raw)} & {0xFEEDFACE, 0xFEEDFACF} != set()


_DBF_TYPES = frozenset(
    (0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x32, 0x42, 0x62, 0x7B, 0x82, 0x83, 0x87, 0x8A, 0x8B, 0x8E, 0xB3, 0xCB,
     0xE5, 0xF5, 0xF4, 0xFB)
)  # fmt: skip


def _dbf(raw: bytes, _limit: int) -> bool:
    if len(raw) < 68 or not 0 < raw[2] <= 12 or not 0 < raw[3] <= 31:
        return False
    if raw[12] or raw[13] or raw[30] or raw[31] or raw[28] > 1:
        return False
    return raw[0] in _DBF_TYPES


_SHAPE_TYPES = frozenset((0, 1, 3, 5, 8, 11, 13, 15, 18, 21, 23, 25, 28, 31))


def _shp(raw: bytes, _limit: int) -> bool:
    if len(raw) < 112 or _u32be(raw) != 9994 or raw[4:24] != bytes(20) or _u32le(raw, 28) != 1000:
        return False
    return _u32le(raw, 108) in _SHAPE_TYPES


def _marc(raw: bytes, _limit: int) -> bool:
    return len(raw) >= 24 and raw[20:24] == b"4500" and raw[:5].isdigit() and b"\x1e" in raw[:2048]


def _tzif(raw: bytes, _limit: int) -> bool:
    return len(raw) >= 44 and raw.startswith(b"TZif") and _u32be(raw, 36) != 0 and raw[4] in (0, 0x32, 0x33)


def _p7s(raw: bytes, _limit: int) -> bool:
    if raw.startswith(b"-----BEGIN PKCS7"):
        return True
    if len(raw) < 20:
        return False
    signed_data = b"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07"
    for index, second in enumerate((0x80, 0x81, 0x82, 0x83, 0x84)):
        if raw[0] == 0x30 and raw[1] == second and raw.startswith(signed_data, index + 2):
            return True
    return False


def _wordperfect(raw: bytes, _limit: int) -> bool:
    return len(raw) >= 10 and raw.startswith(b"\xffWPC") and raw[8] == 1 and raw[9] == 10


def _edition_byte(magic: bytes, editions: tuple[int, ...]) -> Matcher:
    def match(raw: bytes, _limit: int) -> bool:
        return len(raw) > 7 and raw.startswith(magic) and raw[7] in editions

    return match


def _framemaker(raw: bytes, _limit: int) -> bool:
    if (
        not raw.startswith((b"<MakerFile", b"<MakerDictionary"))
        and _pattern_match(raw, b"<BOOKFILE", IGNORE_CASE) == -1
    ):
        return False
    return b"\x00" in raw[:512]


_PYC_MAGIC = frozenset(
    (
        0x02099900, 0x03099900, 0x892E0D0A, 0x04170D0A, 0x994E0D0A, 0xFCC40D0A, 0xFDC40D0A, 0x87C60D0A,
        0x88C60D0A, 0x2AEB0D0A, 0x2BEB0D0A, 0x2DED0D0A, 0x2EED0D0A, 0x3BF20D0A, 0x3CF20D0A, 0x45F20D0A,
        0x59F20D0A, 0x63F20D0A, 0x6DF20D0A, 0x6EF20D0A, 0x77F20D0A, 0x81F20D0A, 0x8BF20D0A, 0x8CF20D0A,
        0x95F20D0A, 0x9FF20D0A, 0xA9F20D0A, 0xB3F20D0A, 0xB4F20D0A, 0xC7F20D0A, 0xD1F20D0A, 0xD2F20D0A,
        0xDBF20D0A, 0xE5F20D0A, 0xEFF20D0A, 0xF9F20D0A, 0x03F30D0A, 0x04F30D0A, 0x0AF30D0A, 0xB80B0D0A,
        0xC20B0D0A, 0xCC0B0D0A, 0xD60B0D0A, 0xE00B0D0A, 0xEA0B0D0A, 0xF40B0D0A, 0xF50B0D0A, 0xFF0B0D0A,
        0x090C0D0A, 0x130C0D0A, 0x1D0C0D0A, 0x1F0C0D0A, 0x270C0D0A, 0x3B0C0D0A, 0x450C0D0A, 0x4F0C0D0A,
        0x580C0D0A, 0x620C0D0A, 0x6C0C0D0A, 0x760C0D0A, 0x800C0D0A, 0x8A0C0D0A, 0x940C0D0A, 0x9E0C0D0A,
        0xB20C0D0A, 0xBC0C0D0A, 0xC60C0D0A, 0xD00C0D0A, 0xDA0C0D0A, 0xE40C0D0A, 0xEE0C0D0A, 0xF80C0D0A,
        0x020D0D0A, 0x0C0D0D0A, 0x160D0D0A, 0x170D0D0A, 0x200D0D0A, 0x210D0D0A, 0x2A0D0D0A, 0x2B0D0D0A,
        0x2C0D0D0A, 0x2D0D0D0A, 0x2F0D0D0A, 0x300D0D0A, 0x310D0D0A, 0x320D0D0A, 0x330D0D0A, 0x3E0D0D0A,
        0x3F0D0D0A,
    )
)  # fmt: skip


def _pyc(raw: bytes, _limit: int) -> bool:
    if len(raw) < 8:
        return False
    if _u32be(raw) in _PYC_MAGIC:
        return True
    if raw[2] == 0x0D and raw[3] == 0x0A:
        if _u32le(raw, 4) > 3:
            return False
        # CPython 3.8+ magic numbers end in 0x0d 0x0d/0x0e; the rest are PyPy's.
        return raw[1] in (0x0D, 0x0E) or _u16le(raw) in (240, 256, 336, 384, 416)
    return False


def _pcap(raw: bytes, _limit: int) -> bool:
    return len(raw) >= 4 and {_u32be(raw), _u32le(raw)} & {0xA1B2C3D4, 0xA1B23C4D} != set()


def _pdf(raw: bytes, _limit: int) -> bool:
    return b"%PDF-" in raw[:1024]


_MATCHERS: dict[str, Matcher] = {
    "anything": lambda _raw, _limit: True,
    "text": _is_text,
    "svg": _svg,
    "php": _php,
    "xhtml": _xhtml,
    "ndjson": _ndjson,
    "srt": _srt,
    "csv": lambda raw, limit: _separated(raw, 0x2C, limit),
    "tsv": lambda raw, limit: _separated(raw, 0x09, limit),
    "vtt": _vtt,
    "netpbm": _netpbm(b"P1\n", b"P4\n"),
    "netpgm": _netpbm(b"P2\n", b"P5\n"),
    "netppm": _netpbm(b"P3\n", b"P6\n"),
    "netpam": _netpam,
    "rfc822": _rfc822,
    "gedcom": _gedcom,
    "zip": _zip,
    "docx": _ooxml(b"word/"),
    "pptx": _ooxml(b"ppt/"),
    "xlsx": _ooxml(b"xl/"),
    "visio": _ooxml(b"visio/"),
    "apk": _apk,
    "jar": _jar,
    "kmz": _kmz,
    "pdf": _pdf,
    "msi": _msi,
    "msg": _msg,
    "xls": _xls,
    "pub": _pub,
    "ppt": _ppt,
    "doc": _doc,
    "p7s": _p7s,
    "ogg_audio": _ogg_payload(b"\x7fFLAC", b"\x01vorbis", b"OpusHead", b"Speex   "),
    "ogg_video": _ogg_payload(b"\x80theora", b"fishead\x00", b"\x01video\x00\x00\x00"),
    "apng": _apng,
    "jp2": _jpeg2000(b"jp2 "),
    "jpx": _jpeg2000(b"jpx "),
    "jpm": _jpeg2000(b"jpm "),
    "elf_object": _elf_type(1),
    "elf_executable": _elf_type(2),
    "elf_library": _elf_type(3),
    "elf_core": _elf_type(4),
    "tar": _tar,
    "bmp": _bmp,
    "lotus123": _lotus123,
    "mpeg": _mpeg,
    "quicktime": _quicktime,
    "mp4": _mp4,
    "webm": _matroska(b"webm"),
    "matroska": _matroska(b"matroska"),
    "java_class": _java_class,
    "crx": _crx,
    "ttf": _ttf,
    "otf": _otf,
    "ttc": _ttc,
    "eot": _eot,
    "shp": _shp,
    "dbf": _dbf,
    "djvu": _djvu,
    "dwg": _dwg,
    "macho": _macho,
    "marc": _marc,
    "zstd": _zstd,
    "cpio": _cpio,
    "tzif": _tzif,
    "installshield_cab": _installshield_cab,
    "wordperfect": _wordperfect,
    "grib": _edition_byte(b"GRIB", (1, 2)),
    "bufr": _edition_byte(b"BUFR", (3, 4)),
    "zlib": _zlib,
    "framemaker": _framemaker,
    "pyc": _pyc,
    "pcap": _pcap,
    "mp3": _mp3,
}


def _compile(signature: Signature) -> Matcher:
    """The matcher function for one node's signature."""
    match signature:
        case Prefix(sigs, 0):
            return lambda raw, _limit: raw.startswith(sigs)
        case Prefix(sigs, offset):
            return lambda raw, _limit: raw.startswith(sigs, offset)
        case Chunk(head, form):
            return lambda raw, _limit: (
                len(raw) > 8 + len(form) and raw.startswith(head) and raw.startswith(form, 8)
            )
        case Ftyp(brands):
            return lambda raw, _limit: len(raw) >= 12 and raw[8:12] in brands
        case Markup(tags):
            return lambda raw, _limit: _markup(raw, tags)
        case XmlRoot(pairs):
            return lambda raw, _limit: _xml_root(raw, pairs)
        case Shebang(interpreters):
            return lambda raw, _limit: _shebang(raw, interpreters)
        case CiPrefix(sigs):
            return lambda raw, _limit: _ci_prefix(raw, sigs)
        case JsonQuery(query, arrays):
            return lambda raw, limit: _json_like(raw, limit, query, arrays)
        case Check(name):
            return _MATCHERS[name]
    raise TypeError(f"unknown signature {signature!r}")


class _Node:
    """A tree node with its compiled matcher."""

    __slots__ = ("kind", "matches", "children")

    def __init__(self, kind: Kind) -> None:
        self.kind = kind
        self.matches = _compile(kind.signature)
        self.children = tuple(_Node(child) for child in kind.children)


_TREE = _Node(ROOT)


def _walk(kind: Kind) -> Iterator[Kind]:
    yield kind
    for child in kind.children:
        yield from _walk(child)


# Aliases by MIME type: every node of one type carries the same aliases (checked by the tests).
_ALIASES: dict[str, tuple[str, ...]] = {k.mime: k.aliases for k in _walk(ROOT)}


def detect(head: bytes) -> tuple[Kind, str]:
    """The deepest matching node for the first `SNIFF_LIMIT` bytes of `head`, and its charset
    ("" unless the node is plain text, HTML or XML and one was found)."""
    raw = bytes(head[:SNIFF_LIMIT])
    node = _TREE
    while True:
        for child in node.children:
            if child.matches(raw, SNIFF_LIMIT):
                node = child
                break
        else:
            break
    kind = node.kind
    if not kind.charset:
        return kind, ""
    return kind, _CHARSETS[kind.charset](raw[:1024])


def sniff_content_type(head: bytes, filename: str = "") -> str:
    """The MIME type PocketBase stores for content starting with `head`, e.g. `image/png` or
    `text/plain; charset=utf-8`. `filename` is accepted for callers and ignored, as PocketBase
    ignores it."""
    kind, charset = detect(head)
    return f"{kind.mime}; charset={charset}" if charset else kind.mime


def extension_for(head: bytes) -> str:
    """The extension (with its dot) PocketBase gives a name without one, or "" when none."""
    return detect(head)[0].extension


# --- media type strings as Go's mime package reads and writes them ----------------------------

_TSPECIALS = frozenset('()<>@,;:\\"/[]?=')
# Go's unicode.IsSpace (Python's str.isspace also counts the \x1c-\x1f separators).
_GO_SPACES = frozenset("\t\n\v\f\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000") | frozenset(
    map(chr, range(0x2000, 0x200B))
)


def _is_token_char(c: str) -> bool:
    return " " < c < "\x7f" and c not in _TSPECIALS


def _is_token(value: str) -> bool:
    return bool(value) and all(_is_token_char(c) for c in value)


def _go_lstrip(value: str) -> str:
    i = 0
    while i < len(value) and value[i] in _GO_SPACES:
        i += 1
    return value[i:]


def _go_strip(value: str) -> str:
    value = _go_lstrip(value)
    end = len(value)
    while end and value[end - 1] in _GO_SPACES:
        end -= 1
    return value[:end]


def _consume_token(value: str) -> tuple[str, str]:
    i = 0
    while i < len(value) and _is_token_char(value[i]):
        i += 1
    return value[:i], value[i:]


def _consume_value(value: str) -> tuple[str, str]:
    if not value:
        return "", ""
    if value[0] != '"':
        return _consume_token(value)
    out: list[str] = []
    i = 1
    while i < len(value):
        c = value[i]
        if c == '"':
            return "".join(out), value[i + 1 :]
        # A backslash before a special character escapes it; any other backslash is literal.
        if c == "\\" and i + 1 < len(value) and value[i + 1] in _TSPECIALS:
            out.append(value[i + 1])
            i += 2
            continue
        if c in "\r\n":
            return "", value
        out.append(c)
        i += 1
    return "", value


def _consume_param(value: str) -> tuple[str, str, str]:
    rest = _go_lstrip(value)
    if not rest.startswith(";"):
        return "", "", value
    name, rest = _consume_token(_go_lstrip(rest[1:]))
    name = name.lower()
    if not name:
        return "", "", value
    rest = _go_lstrip(rest)
    if not rest.startswith("="):
        return "", "", value
    rest = _go_lstrip(rest[1:])
    param_value, after = _consume_value(rest)
    if not param_value and after == rest:
        return "", "", value
    return name, param_value, after


def _percent_unescape(value: str) -> str | None:
    raw = value.encode("utf-8", "surrogateescape")
    out = bytearray()
    i = 0
    while i < len(raw):
        if raw[i] == 0x25:
            pair = raw[i + 1 : i + 3]
            if len(pair) < 2 or any(c not in _HEX for c in pair):
                return None
            out.append(int(pair, 16))
            i += 3
        else:
            out.append(raw[i])
            i += 1
    return out.decode("utf-8", "surrogateescape")


def _decode_2231(value: str) -> str | None:
    parts = value.split("'", 2)
    if len(parts) != 3 or parts[0].lower() not in ("us-ascii", "utf-8"):
        return None
    return _percent_unescape(parts[2])


def _parse_media_type(value: str) -> tuple[str, dict[str, str], bool]:
    """Go's mime.ParseMediaType: (lower-cased media type, parameters, whether it failed). A bad
    type or a repeated parameter gives no media type; other bad parameters keep the type."""
    base = value.split(";", 1)[0]
    media = _go_strip(base.lower())
    major, slash, minor = media.partition("/")
    if not _is_token(major) or (slash and not _is_token(minor)):
        return "", {}, True
    params: dict[str, str] = {}
    pieces: dict[str, dict[str, str]] = {}
    rest = value[len(base) :]
    while rest:
        rest = _go_lstrip(rest)
        if not rest:
            break
        name, param_value, after = _consume_param(rest)
        if not name:
            if _go_strip(after) == ";":
                break
            return media, {}, True
        target = pieces.setdefault(name.split("*", 1)[0], {}) if "*" in name else params
        if name in target and target[name] != param_value:
            return "", {}, True
        target[name] = param_value
        rest = after
    for name, parts in pieces.items():
        if name + "*" in parts:
            decoded = _decode_2231(parts[name + "*"])
            if decoded is not None:
                params[name] = decoded
            continue
        joined, found, n = "", False, 0
        while True:
            if f"{name}*{n}" in parts:
                joined += parts[f"{name}*{n}"]
            elif f"{name}*{n}*" in parts:
                piece = parts[f"{name}*{n}*"]
                joined += (_decode_2231(piece) or "") if n == 0 else (_percent_unescape(piece) or "")
            else:
                break
            found, n = True, n + 1
        if found:
            params[name] = joined
    return media, params, False


def _format_media_type(media: str, params: dict[str, str]) -> str:
    """Go's mime.FormatMediaType for a type and parameters that parsed."""
    out = [media.lower()]
    for name in sorted(params):
        value = params[name]
        if any((c < " " or c > "~") and c != "\t" for c in value):
            encoded = "".join(
                f"%{b:02X}" if b <= 0x20 or b >= 0x7F or chr(b) in "*'%" or chr(b) in _TSPECIALS else chr(b)
                for b in value.encode("utf-8", "surrogateescape")
            )
            out.append(f"; {name.lower()}*=utf-8''{encoded}")
        elif _is_token(value):
            out.append(f"; {name.lower()}={value}")
        else:
            escaped = value.replace("\\", "\\\\").replace('"', '\\"')
            out.append(f'; {name.lower()}="{escaped}"')
    return "".join(out)


def blob_content_type(content_type: str) -> str:
    """The content type PocketBase's blob writer stores for `content_type` (Go's parse and
    format round trip). Raises ValueError where that writer refuses it, which fails the upload."""
    media, params, failed = _parse_media_type(content_type)
    if failed:
        raise ValueError(f"mime: invalid media type or parameter in {content_type!r}")
    return _format_media_type(media, params)


def content_type_is(content_type: str, expected: str) -> bool:
    """Whether a detected `content_type` satisfies `expected` from a field's `mimeTypes`: the
    same media type (parameters and case ignored) or one of the detected type's aliases."""
    wanted = _parse_media_type(expected)[0]
    found = _parse_media_type(content_type)[0]
    return (wanted == found and found != "") or wanted in _ALIASES.get(found, ())
