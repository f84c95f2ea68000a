"""How a stored file goes out: PocketBase's download headers over Go's `http.ServeContent`.

`plan_response` decides everything that does not need the file's bytes (status, headers,
which byte segments to send); `stream_segments` then reads just those bytes in chunks, off the
event loop. Nothing here knows about HTTP frameworks.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable, Mapping
from dataclasses import dataclass, field
from typing import BinaryIO

from palapy.files.conditional import Outcome, check_preconditions, format_http_date
from palapy.files.ranges import RangeError, Segment, multipart_layout, new_boundary, parse_range
from palapy.storage.base import FileAttributes

__all__ = [
    "INLINE_CONTENT_TYPES",
    "EXTENSION_CONTENT_TYPES",
    "CONTENT_SECURITY_POLICY",
    "CACHE_CONTROL",
    "ServePlan",
    "content_disposition",
    "go_quote",
    "plan_response",
    "stream_segments",
]

# Served with `Content-Disposition: inline` unless `?download=` says otherwise.
INLINE_CONTENT_TYPES = frozenset(
    {
        "image/png", "image/jpg", "image/jpeg", "image/gif", "image/webp", "image/x-icon", "image/bmp",
        "video/webm", "video/mp4", "video/3gpp", "video/quicktime", "video/x-ms-wmv",
        "audio/basic", "audio/aiff", "audio/mpeg", "audio/midi", "audio/mp3", "audio/wave",
        "audio/wav", "audio/x-wav", "audio/x-mpeg", "audio/x-m4a", "audio/aac",
        "application/pdf", "application/x-pdf",
    }
)  # fmt: skip
# Extensions whose Content-Type is forced whatever the stored type says (browsers need these).
EXTENSION_CONTENT_TYPES = {
    ".svg": "image/svg+xml",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
CONTENT_SECURITY_POLICY = "default-src 'none'; media-src 'self'; style-src 'unsafe-inline'; sandbox"
# 30 days, reusable for a day while revalidating in the background.
CACHE_CONTROL = "max-age=2592000, stale-while-revalidate=86400"
_CHUNK = 256 * 1024


@dataclass
class ServePlan:
    """The response to send: status, headers (in order) and the body.

    The body is `body` (a short literal, e.g. an error text) or, when `segments` is not empty,
    each segment's prefix and file bytes followed by `trailer`. `content_length` is the body size.
    """

    status: int
    headers: list[tuple[str, str]]
    body: bytes = b""
    segments: list[Segment] = field(default_factory=list)
    trailer: bytes = b""

    @property
    def content_length(self) -> int:
        if not self.segments:
            return len(self.body)
        return sum(len(s.prefix) + s.length for s in self.segments) + len(self.trailer)

    def header(self, name: str) -> str | None:
        """The first value of header `name` (case-insensitive), or None."""
        lower = name.lower()
        return next((v for k, v in self.headers if k.lower() == lower), None)


_GO_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def go_quote(text: str) -> str:
    """Go's strconv.Quote: a double-quoted string, non-printable characters escaped."""
    if text.isascii() and text.isprintable() and '"' not in text and "\\" not in text:
        return f'"{text}"'  # the common stored name: nothing to escape
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ch.isprintable():
            out.append(ch)
        elif ch in _GO_ESCAPES:
            out.append(_GO_ESCAPES[ch])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif 0xDC80 <= code <= 0xDCFF:
            out.append(f"\\x{code - 0xDC00:02x}")  # an undecodable byte (surrogateescape), as Go's
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\\ufffd")  # not a valid rune: Go writes the replacement character
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def content_disposition(name: str, content_type: str, force_attachment: bool) -> str:
    """`inline; filename="x.png"` for inline types, else (or when forced) `attachment; …`; the
    name quoted as PocketBase quotes it (Go's strconv.Quote)."""
    kind = "inline" if not force_attachment and content_type in INLINE_CONTENT_TYPES else "attachment"
    return f"{kind}; filename={go_quote(name)}"


class _Headers:
    """An ordered, case-insensitive header list with Go's Set/Del semantics."""

    def __init__(self) -> None:
        self.items: list[tuple[str, str]] = []
        self._names: set[str] = set()  # lower-case names present, so most sets only append

    def set(self, name: str, value: str) -> None:
        lower = name.lower()
        if lower in self._names:
            self.delete(name)
        self.items.append((name, value))
        self._names.add(lower)

    def delete(self, *names: str) -> None:
        lower = {n.lower() for n in names}
        if lower & self._names:
            self.items = [(k, v) for k, v in self.items if k.lower() not in lower]
            self._names -= lower


def _extension(key: str) -> str:
    """Go's filepath.Ext: from the last dot of the last path element ("" without one)."""
    base = key.rsplit("/", 1)[-1]
    dot = base.rfind(".")
    return base[dot:] if dot >= 0 else ""


def _error(headers: _Headers, status: int, text: str) -> ServePlan:
    # Go's serveError drops the caching validators, then http.Error answers in plain text.
    headers.delete("Cache-Control", "Content-Encoding", "Etag", "Last-Modified", "Content-Length")
    headers.set("Content-Type", "text/plain; charset=utf-8")
    headers.set("X-Content-Type-Options", "nosniff")
    body = (text + "\n").encode()
    headers.set("Content-Length", str(len(body)))
    return ServePlan(status, headers.items, body=body)


def plan_response(
    method: str,
    request_headers: Mapping[str, str],
    *,
    key: str,
    name: str,
    attributes: FileAttributes,
    force_attachment: bool = False,
) -> ServePlan:
    """The answer to a GET/HEAD of the stored file `key`, served as `name`.

    `request_headers` keys are lower case. Covers PocketBase's headers (disposition, forced
    content types, CSP, cache control) and Go's ServeContent: Last-Modified, the conditional
    headers (304/412), single and multipart ranges (206) and unsatisfiable ranges (416).
    """
    size = attributes.size
    headers = _Headers()
    headers.set("Content-Disposition", content_disposition(name, attributes.content_type, force_attachment))
    content_type = EXTENSION_CONTENT_TYPES.get(_extension(key), attributes.content_type)
    headers.set("Content-Type", content_type)
    headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.set("Cache-Control", CACHE_CONTROL)
    if attributes.modified:
        headers.set("Last-Modified", format_http_date(attributes.modified))

    outcome, range_header = check_preconditions(method, request_headers, attributes.modified)
    if outcome is Outcome.PRECONDITION_FAILED:
        headers.set("Content-Length", "0")
        return ServePlan(412, headers.items)
    if outcome is Outcome.NOT_MODIFIED:
        headers.delete("Content-Type", "Content-Length", "Content-Encoding")
        return ServePlan(304, headers.items)

    try:
        ranges = parse_range(range_header, size)
    except RangeError as exc:
        if not (exc.no_overlap and size == 0):
            if exc.no_overlap:
                headers.set("Content-Range", f"bytes */{size}")
            return _error(headers, 416, exc.message)
        # An empty file ignores the Range header some clients always send.
        ranges = []
    if sum(r.length for r in ranges) > size:
        # More bytes than the whole file: a broken client or an attack; send the file once.
        ranges = []

    status = 200
    segments = [Segment(b"", 0, size)]
    trailer = b""
    if len(ranges) == 1:
        status = 206
        segments = [Segment(b"", ranges[0].start, ranges[0].length)]
        headers.set("Content-Range", ranges[0].content_range(size))
    elif len(ranges) > 1:
        status = 206
        boundary = new_boundary()
        segments, trailer, _ = multipart_layout(ranges, content_type, size, boundary)
        headers.set("Content-Type", f"multipart/byteranges; boundary={boundary}")
    headers.set("Accept-Ranges", "bytes")
    length = sum(len(s.prefix) + s.length for s in segments) + len(trailer)
    headers.set("Content-Length", str(length))
    return ServePlan(status, headers.items, segments=segments, trailer=trailer)


def _read_at(reader: BinaryIO, offset: int, size: int) -> bytes:
    reader.seek(offset)
    return reader.read(size)


async def stream_segments(
    open_reader: Callable[[], BinaryIO], segments: list[Segment], trailer: bytes = b"", chunk: int = _CHUNK
) -> AsyncGenerator[bytes, None]:
    """The body bytes of `segments` then `trailer`, read in chunks in a worker thread.

    The file is opened on the first read, so answers without a body never open it. A file
    that shrank since it was measured ends the body early (the client sees a short read).
    """
    reader = await asyncio.to_thread(open_reader)
    try:
        for seg in segments:
            if seg.prefix:
                yield seg.prefix
            offset, remaining = seg.start, seg.length
            while remaining > 0:
                data = await asyncio.to_thread(_read_at, reader, offset, min(chunk, remaining))
                if not data:
                    return
                offset += len(data)
                remaining -= len(data)
                yield data
        if trailer:
            yield trailer
    finally:
        reader.close()
