"""Go date parsing: PocketBase's layout first, then the loose cast's layouts."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from palapy.tools.dates import normalize_datetime
from palapy.tools.godate import GoTime, parse_go_time


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("Monday, 02-Jan-06 15:04:05 MST", "2006-01-02 15:04:05.000Z"),
        ("Mon Jan  2 15:04:05 2006", "2006-01-02 15:04:05.000Z"),
        ("Mon Jan  2 15:04:05 MST 2006", "2006-01-02 15:04:05.000Z"),
        ("Mon Jan 02 15:04:05 -0700 2006", "2006-01-02 22:04:05.000Z"),
        ("02 Jan 06 15:04 -0700", "2006-01-02 22:04:00.000Z"),
        ("02 Jan 06 15:04 GMT+3", "2006-01-02 15:04:00.000Z"),
        ("02 Jan 70 15:04 PST", "1970-01-02 15:04:00.000Z"),
        ("12:30AM", "0000-01-01 00:30:00.000Z"),
        ("12:30PM", "0000-01-01 12:30:00.000Z"),
        ("Feb 29 10:00:00.5", "0000-02-29 10:00:00.500Z"),
        ("2025-01-02  10:00:00", "2025-01-02 10:00:00.000Z"),
        ("2025-01-02 1:00:00", "2025-01-02 01:00:00.000Z"),
        ("2025-01-02 10:00:00,5Z", "2025-01-02 10:00:00.500Z"),
        ("2025-01-02 10:00:00.5 -0700 MST", "2025-01-02 17:00:00.500Z"),
        ("0001-01-01T01:00:00+01:00", ""),
        ("0001-01-01T00:30:00+01:00", "0000-12-31 23:30:00.000Z"),
        ("2024-02-29", "2024-02-29 00:00:00.000Z"),
        ("2023-02-29", ""),
        ("2025-01-02 10:00:00 ABCDEF", ""),
        ("2025-01-02T10:00:00+25:00", ""),
        ("jan 02 15:04:05", "0000-01-02 15:04:05.000Z"),
        # 24 characters like PocketBase's own layout, but only another layout matches.
        ("2025-01-02  10:00:00.12Z", "2025-01-02 10:00:00.120Z"),
    ],
)
def test_layouts(text: str, canonical: str) -> None:
    assert normalize_datetime(text) == canonical


def test_go_texts_of_a_time() -> None:
    moment = parse_go_time("2020-01-01 10:00:00.123Z")
    assert moment is not None
    assert moment.go_string() == "2020-01-01 10:00:00.123 +0000 UTC"
    assert moment.rfc3339() == "2020-01-01T10:00:00.123Z"
    whole = parse_go_time("2021-01-01")
    assert whole is not None and (whole.go_string(), whole.rfc3339()) == (
        "2021-01-01 00:00:00 +0000 UTC",
        "2021-01-01T00:00:00Z",
    )


def test_times_compare_with_nanoseconds() -> None:
    a = parse_go_time("2021-01-01T00:00:00.000000001Z")
    b = parse_go_time("2021-01-01T00:00:00Z")
    assert a is not None and b is not None and a > b
    assert GoTime.from_parts(1970, 1, 1, 0, 0, 0, 0) == GoTime(0, 0, 0)


def test_to_datetime_covers_the_years_datetime_can_hold() -> None:
    moment = parse_go_time("2021-01-01T00:00:00.123456789Z")
    assert moment is not None and moment.to_datetime() == datetime(2021, 1, 1, 0, 0, 0, 123456, tzinfo=UTC)
    year_zero = parse_go_time("12:30PM")
    assert year_zero is not None and year_zero.to_datetime() is None


def test_http_dates_take_gos_three_layouts_and_a_gmt_offset_only_in_rfc_850() -> None:
    from palapy.tools.godate import parse_http_time

    stamp = 1_795_953_268  # 2026-11-29 11:54:28 UTC
    for text, expected in (
        ("Sun, 29 Nov 2026 11:54:28 GMT", stamp),
        ("Sunday, 29-Nov-26 11:54:28 GMT-2", stamp + 7200),
        ("Sunday, 29-Nov-26 11:54:28 EST", stamp),  # an unknown abbreviation: no offset, as in Go
        ("Sun Nov 29 11:54:28 2026", stamp),
    ):
        parsed = parse_http_time(text)
        assert parsed is not None and parsed.unix_seconds() == expected, text
    assert parse_http_time("2026-11-29 11:54:28.000Z") is None  # PocketBase's own layout is not HTTP's
