"""multipart/form-data as Go's `mime/multipart` reads it, pushed chunk by chunk.

The `multipart` library splits the stream (boundaries, limits, truncation); the part headers are
read here the Go way, because names and file names must come out as PocketBase sees them:
RFC 2231 `filename*` decoded, the file name cut to its last path element (`filepath.Base`),
parts without a form name skipped, and at most 1,000 parts (Go's `multipartmaxparts`).

`PartStream.feed(chunk)` yields a `PartHead`, then the part's non-empty `bytes` chunks, then
`None` at the part's end. `parse_multipart(body, content_type)` is the whole-body form.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

import multipart as _multipart

__all__ = [
    "MultipartError",
    "Part",
    "PartHead",
    "PartStream",
    "parse_multipart",
    "parse_header_params",
    "MAX_PARTS",
]

# Go's default for GODEBUG multipartmaxparts: more parts is "multipart: message too large".
MAX_PARTS = 1000
_MAX_HEADER_SIZE = 16 << 10
_MAX_HEADER_COUNT = 64


class MultipartError(ValueError):
    """The body is not valid multipart/form-data (or goes past a limit)."""


@dataclass
class PartHead:
    """A form part's headers: its form name, file name (None for a plain value) and type."""

    name: str
    filename: str | None
    content_type: str


@dataclass
class Part:
    name: str
    filename: str | None
    content_type: str
    data: bytes


_TOKEN_PARAM = re.compile(r'\s*;\s*([^=\s;]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


def parse_header_params(value: str) -> tuple[str, dict[str, str]]:
    """`form-data; name="a"; filename*=UTF-8''b%20c` -> ("form-data", {"name": "a", "filename": "b c"})."""
    head, _, rest = value.partition(";")
    params: dict[str, str] = {}
    for m in _TOKEN_PARAM.finditer(";" + rest):
        key = m.group(1).lower()
        raw = m.group(2).strip()
        if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
            raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
        if key.endswith("*"):
            # RFC 2231 / 5987: charset'lang'percent-encoded
            charset, _, encoded = raw.partition("'")
            _, _, encoded = encoded.partition("'")
            try:
                raw = unquote(encoded, encoding=charset or "utf-8", errors="strict")
            except (LookupError, UnicodeDecodeError):
                continue
            key = key[:-1]
        params[key] = raw
    return head.strip().lower(), params


def _utf8(value: str | None) -> str:
    return value.encode("latin-1").decode("utf-8", "replace") if value else ""


def _file_name(raw: str | None) -> str | None:
    """Go's `Part.FileName`: no name is a plain value; a path keeps only its last element."""
    if not raw:
        return None
    return posixpath.basename(raw.rstrip("/")) or "/"


# Go's textproto refuses control characters (except tab) in header values.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


class _FormParser(_multipart.PushMultipartParser):  # type: ignore[misc] # the library has no types
    """The library's framing, with the part headers left to `PartStream._head`: Go skips a
    part without a form-data disposition instead of failing the body."""

    def _create_segment(self, headerlist: list[tuple[str, str]]) -> _multipart.MultipartSegment:
        for _, value in headerlist:
            if _CONTROL.search(value):
                raise _multipart.ParserError("malformed MIME header line")
        return _multipart.MultipartSegment(headerlist)


def _boundary(content_type: str) -> str:
    _, params = parse_header_params(content_type)
    boundary = params.get("boundary", "")
    if not boundary or len(boundary) > 200:
        raise MultipartError("missing boundary")
    return boundary


class PartStream:
    """A push parser for one body: `feed` each chunk as it arrives, then `close`."""

    def __init__(self, content_type: str, max_parts: int = MAX_PARTS) -> None:
        self._parser = _FormParser(
            _boundary(content_type),
            header_charset="latin-1",  # header bytes pass through as they are, read as UTF-8 below
            max_header_size=_MAX_HEADER_SIZE,
            max_header_count=_MAX_HEADER_COUNT,
            max_segment_count=max_parts,
        )
        self._skipping = False

    def feed(self, chunk: bytes) -> Iterator[PartHead | bytes | None]:
        """The events `chunk` completes (an empty chunk ends the body)."""
        try:
            for event in self._parser.parse(chunk):
                if isinstance(event, _multipart.MultipartSegment):
                    head = self._head(event)
                    self._skipping = head is None
                    if head is not None:
                        yield head
                elif not self._skipping:
                    yield event
        except _multipart.MultipartError as exc:
            raise MultipartError(str(exc)) from exc

    def close(self) -> None:
        """End of input; MultipartError when the body stopped before its closing boundary."""
        try:
            self._parser.close()
        except _multipart.MultipartError as exc:
            raise MultipartError(str(exc)) from exc

    @staticmethod
    def _head(segment: _multipart.MultipartSegment) -> PartHead | None:
        disposition, params = parse_header_params(_utf8(segment.header("Content-Disposition", "")))
        name = params.get("name", "") if disposition == "form-data" else ""
        if not name:
            return None  # Go's ReadForm skips parts without a form name
        content_type = _utf8(segment.header("Content-Type", ""))
        return PartHead(name, _file_name(params.get("filename")), content_type)


def parse_multipart(body: bytes, content_type: str) -> list[Part]:
    """Every named part of a whole body, in order."""
    stream = PartStream(content_type)
    parts: list[Part] = []
    chunks: list[bytes] = []
    head: PartHead | None = None
    for event in (*stream.feed(body), *stream.feed(b"")):
        if isinstance(event, PartHead):
            head, chunks = event, []
        elif isinstance(event, bytes):
            chunks.append(event)
        elif head is not None:
            parts.append(Part(head.name, head.filename, head.content_type, b"".join(chunks)))
            head = None
    stream.close()
    return parts
