from datetime import UTC, datetime, timedelta, timezone

import pytest

from palapy.tools.dates import format_datetime, normalize_datetime, now, parse_datetime


# Each expectation is what PocketBase 0.40.6 stores for a date field given the text.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-01-02", "2025-01-02 00:00:00.000Z"),
        ("2025-01-02 10:00:00", "2025-01-02 10:00:00.000Z"),
        ("2025-01-02 10:00:00Z", "2025-01-02 10:00:00.000Z"),
        ("2025-01-02T10:00:00Z", "2025-01-02 10:00:00.000Z"),
        ("2025-01-02T10:00:00+02:00", "2025-01-02 08:00:00.000Z"),
        ("2025-01-02T10:00:00+0200", "2025-01-02 08:00:00.000Z"),
        ("2025-01-02 10:00:00+02:00", "2025-01-02 08:00:00.000Z"),
        ("2025-01-02 10:00:00 +0200", "2025-01-02 08:00:00.000Z"),
        ("2025-01-02 10:00:00.123456Z", "2025-01-02 10:00:00.123Z"),
        ("2025-01-02 10:00:00.1Z", "2025-01-02 10:00:00.100Z"),
        ("Mon, 02 Jan 2006 15:04:05 UTC", "2006-01-02 15:04:05.000Z"),
        ("01/02/2025", ""),
        ("", ""),
        ("2025-13-40", ""),
        ("2024-02-30", ""),
        ("0001-01-01 00:00:00.000Z", ""),
        # Shapes a looser parser would take but PocketBase does not.
        ("2025-01-02 10:00", ""),
        ("2025-01-02T10:00", ""),
        ("2025-01-02T10:00:00z", ""),
        ("2025-01-02 10:00:00 UTC", ""),
        ("2025-01-02 10:00:00 GMT", ""),
        (" 2025-01-02", ""),
        ("2025-01-02 ", ""),
    ],
)
def test_normalize_datetime_matches_pocketbase(text: str, expected: str) -> None:
    assert normalize_datetime(text) == expected


def test_numbers_silently_become_empty() -> None:
    assert normalize_datetime(1735689600) == ""
    assert normalize_datetime(1735689600.5) == ""


def test_datetimes_are_converted_to_utc() -> None:
    plus_two = timezone(timedelta(hours=2))
    assert normalize_datetime(datetime(2025, 1, 2, 10, 0, tzinfo=plus_two)) == "2025-01-02 08:00:00.000Z"


def test_format_has_three_fraction_digits_and_z() -> None:
    assert (
        format_datetime(datetime(2026, 11, 29, 10, 27, 14, 409999, tzinfo=UTC)) == "2026-11-29 10:27:14.409Z"
    )
    assert format_datetime(datetime(999, 1, 2, tzinfo=UTC)) == "0999-01-02 00:00:00.000Z"
    assert len(now()) == 24 and now().endswith("Z")


def test_now_follows_the_clock_to_the_millisecond(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1_764_411_234_999_000_000]  # 2025-11-29 10:13:54.999 UTC
    monkeypatch.setattr("palapy.tools.dates.time.time_ns", lambda: clock[0])
    assert now() == "2025-11-29 10:13:54.999Z"
    clock[0] += 1_000_000  # the next millisecond is the next second
    assert now() == "2025-11-29 10:13:55.000Z"
    clock[0] += 42_000_000
    assert now() == "2025-11-29 10:13:55.042Z"


def test_parse_returns_an_aware_utc_datetime() -> None:
    assert parse_datetime("2025-01-02T10:00:00.5+02:00") == datetime(2025, 1, 2, 8, 0, 0, 500000, tzinfo=UTC)
    assert parse_datetime(now()) is not None


def test_parse_returns_none_for_garbage() -> None:
    assert parse_datetime("garbage") is None
    assert parse_datetime("2025-01-02 10:00") is None
    assert parse_datetime(None) is None
