"""The download answer without HTTP: headers, statuses and the streamed bytes."""

from __future__ import annotations

import asyncio
import io
from typing import Any

import pytest

from palapy.files.ranges import Segment
from palapy.files.serve import (
    CACHE_CONTROL,
    CONTENT_SECURITY_POLICY,
    ServePlan,
    content_disposition,
    go_quote,
    plan_response,
    stream_segments,
)
from palapy.storage.base import FileAttributes
from palapy.tools.gocast import go_bool

DATA = b"hello world text"
STAMP = 1795953268  # Sun, 29 Nov 2026 11:54:28 GMT
TEXT = FileAttributes("text/plain; charset=utf-8", len(DATA), STAMP)


def _plan(headers: dict[str, str] | None = None, **kw: Any) -> ServePlan:
    kw.setdefault("key", "c/r/doc_abc.txt")
    kw.setdefault("name", "doc_abc.txt")
    kw.setdefault("attributes", TEXT)
    return plan_response("GET", headers or {}, **kw)


def _body(plan: ServePlan, data: bytes = DATA) -> bytes:
    if not plan.segments:
        return plan.body
    out = b"".join(s.prefix + data[s.start : s.start + s.length] for s in plan.segments)
    return out + plan.trailer


def test_a_whole_file_carries_the_download_headers() -> None:
    plan = _plan()
    assert plan.status == 200
    assert dict(plan.headers) == {
        "Content-Disposition": 'attachment; filename="doc_abc.txt"',
        "Content-Type": "text/plain; charset=utf-8",
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "Cache-Control": CACHE_CONTROL,
        "Last-Modified": "Sun, 29 Nov 2026 11:54:28 GMT",
        "Accept-Ranges": "bytes",
        "Content-Length": "16",
    }
    assert _body(plan) == DATA and plan.content_length == 16


@pytest.mark.parametrize(
    ("content_type", "force", "expected"),
    [
        ("image/png", False, 'inline; filename="a.png"'),
        ("application/pdf", False, 'inline; filename="a.png"'),
        ("image/png", True, 'attachment; filename="a.png"'),
        ("image/svg+xml", False, 'attachment; filename="a.png"'),
        ("text/html; charset=utf-8", False, 'attachment; filename="a.png"'),
    ],
)
def test_disposition_follows_the_inline_list(content_type: str, force: bool, expected: str) -> None:
    assert content_disposition("a.png", content_type, force) == expected


def test_disposition_escapes_quotes() -> None:
    assert content_disposition('a"b\\c.txt', "text/plain", False) == 'attachment; filename="a\\"b\\\\c.txt"'


@pytest.mark.parametrize(
    ("name", "quoted"),
    [
        ("plain_abc.txt", '"plain_abc.txt"'),
        ("tab\there\nnl", '"tab\\there\\nnl"'),
        ("bell\x07\x01\x7f", '"bell\\a\\x01\\x7f"'),
        ("café €.txt", '"café €.txt"'),  # printable runes stay as they are
        ("nb\xa0sp\u200bzw", '"nb\\u00a0sp\\u200bzw"'),  # spaces and format characters are escaped
        ("\U000e0001tag", '"\\U000e0001tag"'),
        ("raw\udcffbyte", '"raw\\xffbyte"'),  # an undecodable byte, as Go quotes invalid UTF-8
    ],
)
def test_names_are_quoted_as_gos_strconv_quote(name: str, quoted: str) -> None:
    assert go_quote(name) == quoted
    assert content_disposition(name, "text/plain", False) == f"attachment; filename={quoted}"


@pytest.mark.parametrize(
    ("key", "stored", "served"),
    [
        ("c/r/a.svg", "text/plain; charset=utf-8", "image/svg+xml"),
        ("c/r/a.css", "text/plain; charset=utf-8", "text/css"),
        ("c/r/a.js", "text/plain; charset=utf-8", "text/javascript"),
        ("c/r/a.mjs", "text/plain; charset=utf-8", "text/javascript"),
        (
            "c/r/a.docx",
            "application/zip",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("c/r/a.SVG", "text/plain; charset=utf-8", "text/plain; charset=utf-8"),  # exact extension only
        ("c/r/a.svg.txt", "text/plain; charset=utf-8", "text/plain; charset=utf-8"),
        ("c/r/thumbs_a.css/x", "image/png", "image/png"),  # the last path element counts
    ],
)
def test_content_type_forced_by_extension(key: str, stored: str, served: str) -> None:
    plan = _plan(key=key, attributes=FileAttributes(stored, 16, STAMP))
    assert plan.header("Content-Type") == served


def test_the_inline_choice_uses_the_stored_type_not_the_forced_one() -> None:
    plan = _plan(key="c/r/a.svg", attributes=FileAttributes("image/svg+xml", 16, STAMP))
    assert plan.header("Content-Disposition") == 'attachment; filename="doc_abc.txt"'


def test_no_modification_time_means_no_last_modified() -> None:
    assert _plan(attributes=FileAttributes("text/plain", 16, 0)).header("Last-Modified") is None


def test_single_range() -> None:
    plan = _plan({"range": "bytes=6-10"})
    assert plan.status == 206
    assert plan.header("Content-Range") == "bytes 6-10/16"
    assert plan.header("Content-Length") == "5"
    assert _body(plan) == b"world"


def test_multiple_ranges_make_a_multipart_body_of_the_announced_length() -> None:
    plan = _plan({"range": "bytes=0-1,6-10"})
    content_type = plan.header("Content-Type") or ""
    assert plan.status == 206 and content_type.startswith("multipart/byteranges; boundary=")
    boundary = content_type.split("boundary=")[1]
    body = _body(plan)
    assert int(plan.header("Content-Length") or 0) == len(body)
    assert body.startswith(f"--{boundary}\r\nContent-Range: bytes 0-1/16\r\n".encode())
    assert b"Content-Type: text/plain; charset=utf-8\r\n\r\nworld\r\n" in body
    assert body.endswith(f"\r\n--{boundary}--\r\n".encode())


def test_ranges_longer_than_the_file_send_it_whole() -> None:
    plan = _plan({"range": "bytes=0-10,0-10"})
    assert plan.status == 200 and plan.header("Content-Range") is None and _body(plan) == DATA


def test_unsatisfiable_range_answers_416_in_plain_text() -> None:
    plan = _plan({"range": "bytes=100-"})
    assert plan.status == 416
    assert plan.body == b"invalid range: failed to overlap\n"
    headers = dict(plan.headers)
    assert headers["Content-Range"] == "bytes */16"
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    assert headers["Content-Length"] == str(len(plan.body))
    assert (
        "Cache-Control" not in headers and "Last-Modified" not in headers and "Accept-Ranges" not in headers
    )
    assert headers["Content-Disposition"] == 'attachment; filename="doc_abc.txt"'


def test_malformed_range_answers_416_without_content_range() -> None:
    plan = _plan({"range": "bytes=x-"})
    assert plan.status == 416 and plan.body == b"invalid range\n" and plan.header("Content-Range") is None


def test_empty_file_ignores_a_range_past_its_end() -> None:
    plan = _plan({"range": "bytes=5-"}, attributes=FileAttributes("text/plain", 0, STAMP))
    assert plan.status == 200 and plan.header("Content-Length") == "0" and _body(plan, b"") == b""


def test_not_modified_keeps_caching_headers_and_drops_the_type() -> None:
    plan = _plan({"if-modified-since": "Sun, 29 Nov 2026 11:54:28 GMT"})
    assert plan.status == 304 and not plan.segments and plan.body == b""
    headers = dict(plan.headers)
    assert "Content-Type" not in headers and "Content-Length" not in headers
    assert headers["Last-Modified"] == "Sun, 29 Nov 2026 11:54:28 GMT"
    assert headers["Cache-Control"] == CACHE_CONTROL


def test_failed_precondition_is_an_empty_412() -> None:
    plan = _plan({"if-unmodified-since": "Sat, 01 Jan 2000 00:00:00 GMT"})
    assert plan.status == 412 and plan.header("Content-Length") == "0" and not plan.segments
    assert plan.header("Accept-Ranges") is None and plan.header("Content-Type") == "text/plain; charset=utf-8"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1", True), ("t", True), ("T", True), ("TRUE", True), ("true", True), ("True", True),
     ("0", False), ("false", False), ("yes", False), ("", False), ("tRUE", False), (" 1", False)],
)  # fmt: skip
def test_parse_go_bool(text: str, expected: bool) -> None:
    assert go_bool(text) is expected


# -- streaming ---------------------------------------------------------------------------------


class _TrackingReader(io.BytesIO):
    """Records every read so tests can see nothing beyond the requested bytes is read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.reads: list[tuple[int, int]] = []
        self.closed_by_stream = False

    def read(self, size: int | None = -1) -> bytes:
        pos = self.tell()
        out = super().read(size)
        self.reads.append((pos, len(out)))
        return out

    def close(self) -> None:
        self.closed_by_stream = True
        super().close()


def _collect(reader: _TrackingReader, segments: list[Segment], trailer: bytes = b"", chunk: int = 4) -> bytes:
    async def run() -> bytes:
        parts = [p async for p in stream_segments(lambda: reader, segments, trailer, chunk=chunk)]
        assert all(len(p) <= chunk for p in parts if p not in (trailer,) and not p.startswith(b"--"))
        return b"".join(parts)

    return asyncio.run(run())


def test_stream_reads_only_the_requested_bytes_in_chunks() -> None:
    reader = _TrackingReader(DATA * 1000)
    out = _collect(reader, [Segment(b"--a\r\n", 6, 10), Segment(b"--b\r\n", 16000 - 3, 3)], b"--end")
    assert out == b"--a\r\nworld text--b\r\next--end"
    assert reader.reads == [(6, 4), (10, 4), (14, 2), (15997, 3)]
    assert reader.closed_by_stream


def test_stream_stops_when_the_file_shrank() -> None:
    reader = _TrackingReader(b"abc")
    assert _collect(reader, [Segment(b"", 0, 10)], b"tail") == b"abc"
    assert reader.closed_by_stream


def test_stream_closes_the_file_when_the_client_goes_away() -> None:
    reader = _TrackingReader(DATA * 100)

    async def run() -> None:
        stream = stream_segments(lambda: reader, [Segment(b"", 0, 1600)], chunk=4)
        assert await anext(stream) == b"hell"
        await stream.aclose()  # what the server does on disconnect

    asyncio.run(run())
    assert reader.closed_by_stream and len(reader.reads) == 1
