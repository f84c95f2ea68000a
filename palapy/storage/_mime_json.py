"""mimetype v1.4.15's tolerant JSON reader, and the JSON-family matchers built on it.

It reports how many bytes form a complete value and how many it inspected before it stopped,
so a document cut at the read limit still counts as JSON when it is valid as far as it goes.
A query (GeoJSON, HAR, glTF, CycloneDX) is satisfied when a key path holds one of its values.
Nesting runs on an explicit stack of generators, so deep documents cannot exhaust Python's.
"""

from __future__ import annotations

import re
from collections.abc import Generator
from typing import Any

from palapy.storage._mime_scan import HEX, Matcher, split_line, trim_lws, trim_space

__all__ = ["MATCHERS", "json_like"]

_TOK_INVALID, _TOK_NULL, _TOK_TRUE, _TOK_FALSE, _TOK_NUMBER, _TOK_STRING, _TOK_ARRAY, _TOK_OBJECT = (
    0, 2, 4, 8, 16, 32, 64, 128,
)  # fmt: skip
_JSON_SPACE = frozenset(b" \t\r\n")
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
                    if raw[pos] not in HEX:
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
                if not wanted or trim_space(raw[at + n : at + n + value_len]) in wanted:
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


def json_like(raw: bytes, limit: int, query: str, arrays: bool) -> bool:
    first = trim_lws(raw)[:1]
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
        line, rest = split_line(rest)
        parse = _JsonParse("json", line)
        # Only the last line may be cut by the read limit.
        if (parse.inspected if not rest else parse.parsed) != len(line):
            return False
        if parse.first_token in (_TOK_ARRAY, _TOK_OBJECT):
            containers += 1
        lines += 1
    return lines > 1 and containers > 0


MATCHERS: dict[str, Matcher] = {"ndjson": _ndjson}
