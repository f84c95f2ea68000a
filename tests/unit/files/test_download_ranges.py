"""Range headers and HTTP dates, decided as Go's http.ServeContent decides them."""

from __future__ import annotations

import calendar

import pytest

from palapy.files.conditional import Outcome, check_preconditions, format_http_date, parse_http_date
from palapy.files.ranges import (
    MSG_INVALID_RANGE,
    MSG_NO_OVERLAP,
    ByteRange,
    RangeError,
    multipart_layout,
    new_boundary,
    parse_range,
)

# -- parse_range -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", []),
        ("bytes=", []),
        ("bytes=0-3", [ByteRange(0, 4)]),
        ("bytes=5-", [ByteRange(5, 11)]),
        ("bytes=-3", [ByteRange(13, 3)]),
        ("bytes=-100", [ByteRange(0, 16)]),  # a suffix longer than the file is the whole file
        ("bytes=0-100", [ByteRange(0, 16)]),  # the end is clamped
        ("bytes=-0", [ByteRange(16, 0)]),
        ("bytes=+1-+2", [ByteRange(1, 2)]),  # Go's ParseInt takes a sign
        ("bytes= 1 - 2 ,, 4-5 ", [ByteRange(1, 2), ByteRange(4, 2)]),
        ("bytes=0-1,100-", [ByteRange(0, 2)]),  # one range past the end is dropped, not fatal
    ],
)
def test_parse_range_accepts_what_go_accepts(header: str, expected: list[ByteRange]) -> None:
    assert parse_range(header, 16) == expected


@pytest.mark.parametrize(
    "header",
    [
        "items=0-1",
        "Bytes=0-1",
        "bytes=x-1",
        "bytes=3-2",
        "bytes=1",
        "bytes=--5",
        "bytes=-",
        "bytes=1_0-",  # Python's int() would take this, Go does not
        "bytes=٣-",  # non-ASCII digits
        "bytes=-1-2",
        "bytes=0-99999999999999999999",  # beyond int64
        "bytes=0-1,x",
    ],
)
def test_parse_range_refuses_malformed_headers(header: str) -> None:
    with pytest.raises(RangeError) as err:
        parse_range(header, 16)
    assert err.value.message == MSG_INVALID_RANGE and not err.value.no_overlap


def test_parse_range_reports_no_overlap_separately() -> None:
    with pytest.raises(RangeError) as err:
        parse_range("bytes=16-,100-200", 16)
    assert err.value.message == MSG_NO_OVERLAP and err.value.no_overlap


def test_content_range_text() -> None:
    assert ByteRange(0, 4).content_range(16) == "bytes 0-3/16"
    assert ByteRange(16, 0).content_range(16) == "bytes 16-15/16"


def test_multipart_layout_is_byte_exact_with_go() -> None:
    data = b"hello world text"
    ranges = [ByteRange(0, 2), ByteRange(4, 2)]
    segments, closing, total = multipart_layout(ranges, "text/plain; charset=utf-8", 16, "B")
    body = b"".join(s.prefix + data[s.start : s.start + s.length] for s in segments) + closing
    assert body == (
        b"--B\r\nContent-Range: bytes 0-1/16\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhe"
        b"\r\n--B\r\nContent-Range: bytes 4-5/16\r\nContent-Type: text/plain; charset=utf-8\r\n\r\no "
        b"\r\n--B--\r\n"
    )
    assert total == len(body)


def test_boundaries_are_sixty_random_hex_chars() -> None:
    a, b = new_boundary(), new_boundary()
    assert len(a) == 60 and int(a, 16) >= 0 and a != b


# -- HTTP dates --------------------------------------------------------------------------------

STAMP = calendar.timegm((2026, 11, 29, 11, 54, 28, 0, 0, 0))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sun, 29 Nov 2026 11:54:28 GMT", (STAMP, 0)),
        ("sun, 29 nov 2026 11:54:28 GMT", (STAMP, 0)),  # names are case-insensitive
        ("Mon, 29 Nov 2026 11:54:28 GMT", (STAMP, 0)),  # the weekday is not checked against the date
        ("Sun,  29  Nov 2026  11:54:28 GMT", (STAMP, 0)),  # a layout space matches a run of spaces
        ("Sun, 29 Nov 2026 1:54:28 GMT", (STAMP - 36000, 0)),  # the hour may have one digit
        ("Sun, 29 Nov 2026 11:54:28.5 GMT", (STAMP, 500_000_000)),  # a fraction is tolerated
        ("Sunday, 29-Nov-26 11:54:28 GMT", (STAMP, 0)),
        ("Sunday, 29-Nov-26 11:54:28 GMT+1", (STAMP - 3600, 0)),
        ("Sun Nov 29 11:54:28 2026", (STAMP, 0)),
        ("Sun Nov  9 11:54:28 2026", (STAMP - 20 * 86400, 0)),
        ("Thursday, 01-Jan-70 00:00:00 GMT", (0, 0)),  # two-digit years from 69 are 19xx
    ],
)
def test_parse_http_date_layouts(text: str, expected: tuple[int, int]) -> None:
    assert parse_http_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "garbage",
        "Sun, 29 Nov 2026 11:54:28 gmt",
        "Sun, 29 Nov 2026 11:54:28 UTC",
        "Sun, 29 Nov 2026 11:54:28 GMTx",
        "Sun, 31 Nov 2026 11:54:28 GMT",  # November has 30 days
        "Sun, 29 Nov 2026 24:00:00 GMT",
        "Sun, 29 Nov 2026 11:60:00 GMT",
        "Sun, 9 Nov 2026 11:54:28 GMT",  # the day needs two digits in this layout
        "Xyz, 29 Nov 2026 11:54:28 GMT",
        "Sun, 29 Nox 2026 11:54:28 GMT",
    ],
)
def test_parse_http_date_refuses(text: str) -> None:
    assert parse_http_date(text) is None


def test_format_http_date() -> None:
    assert format_http_date(STAMP) == "Sun, 29 Nov 2026 11:54:28 GMT"


# -- preconditions -----------------------------------------------------------------------------

LM = "Sun, 29 Nov 2026 11:54:28 GMT"
OLD = "Sat, 01 Jan 2000 00:00:00 GMT"


@pytest.mark.parametrize(
    ("headers", "outcome", "range_left"),
    [
        ({}, Outcome.SERVE, ""),
        ({"if-modified-since": LM}, Outcome.NOT_MODIFIED, ""),
        ({"if-modified-since": OLD}, Outcome.SERVE, ""),
        ({"if-modified-since": "garbage"}, Outcome.SERVE, ""),
        ({"if-none-match": "*"}, Outcome.NOT_MODIFIED, ""),
        ({"if-none-match": '"x"', "if-modified-since": LM}, Outcome.SERVE, ""),  # INM wins over IMS
        ({"if-none-match": "garbage", "if-modified-since": LM}, Outcome.SERVE, ""),
        ({"if-none-match": ", , *"}, Outcome.NOT_MODIFIED, ""),
        ({"if-match": '"x"'}, Outcome.PRECONDITION_FAILED, ""),
        ({"if-match": "garbage"}, Outcome.PRECONDITION_FAILED, ""),
        ({"if-match": "*", "if-unmodified-since": OLD}, Outcome.SERVE, ""),  # If-Match wins over IUS
        ({"if-unmodified-since": OLD}, Outcome.PRECONDITION_FAILED, ""),
        ({"if-unmodified-since": LM}, Outcome.SERVE, ""),
        ({"range": "bytes=0-1"}, Outcome.SERVE, "bytes=0-1"),
        ({"range": "bytes=0-1", "if-range": LM}, Outcome.SERVE, "bytes=0-1"),
        ({"range": "bytes=0-1", "if-range": OLD}, Outcome.SERVE, ""),
        ({"range": "bytes=0-1", "if-range": '"etag"'}, Outcome.SERVE, ""),
        ({"range": "bytes=0-1", "if-range": "garbage"}, Outcome.SERVE, ""),
        ({"range": "bytes=0-1", "if-modified-since": LM}, Outcome.NOT_MODIFIED, ""),
    ],
)
def test_check_preconditions(headers: dict[str, str], outcome: Outcome, range_left: str) -> None:
    assert check_preconditions("GET", headers, STAMP) == (outcome, range_left)


def test_preconditions_without_a_modification_time_ignore_dates() -> None:
    assert check_preconditions("GET", {"if-modified-since": LM}, 0) == (Outcome.SERVE, "")
    assert check_preconditions("GET", {"if-unmodified-since": OLD}, 0) == (Outcome.SERVE, "")
    assert check_preconditions("GET", {"range": "bytes=0-1", "if-range": LM}, 0) == (Outcome.SERVE, "")


def test_if_none_match_fails_other_methods_instead_of_304() -> None:
    assert check_preconditions("POST", {"if-none-match": "*"}, STAMP)[0] is Outcome.PRECONDITION_FAILED
    assert check_preconditions("POST", {"if-modified-since": LM}, STAMP)[0] is Outcome.SERVE
