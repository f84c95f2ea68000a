from datetime import UTC, datetime

import pytest

from palapy.tools.dates import format_datetime, normalize_datetime, now, parse_datetime


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-01-02", "2025-01-02 00:00:00.000Z"),
        ("2025-01-02 10:00:00", "2025-01-02 10:00:00.000Z"),
        ("2025-01-02T10:00:00Z", "2025-01-02 10:00:00.000Z"),
        ("2025-01-02T10:00:00+02:00", "2025-01-02 08:00:00.000Z"),
        ("2025-01-02 10:00:00.123456Z", "2025-01-02 10:00:00.123Z"),
        ("01/02/2025", ""),
        ("", ""),
        ("2025-13-40", ""),
    ],
)
def test_normalize_datetime_accepts_pocketbase_shapes(text: str, expected: str) -> None:
    assert normalize_datetime(text) == expected


def test_numbers_silently_become_empty() -> None:
    assert normalize_datetime(1735689600) == ""


def test_format_has_three_fraction_digits_and_z() -> None:
    assert format_datetime(datetime(2026, 11, 29, 10, 27, 14, 409999, tzinfo=UTC)) == "2026-11-29 10:27:14.409Z"
    assert len(now()) == 24 and now().endswith("Z")


def test_parse_returns_none_for_garbage() -> None:
    assert parse_datetime("garbage") is None
