"""Datetime macros at a fixed instant."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from palapy.search.macros import MACROS, macro_value

NOW = datetime(2024, 2, 10, 13, 4, 5, 678901, tzinfo=UTC)  # a Saturday in a leap year


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("@now", "2024-02-10 13:04:05.678Z"),
        ("@yesterday", "2024-02-09 13:04:05.678Z"),
        ("@tomorrow", "2024-02-11 13:04:05.678Z"),
        ("@todayStart", "2024-02-10 00:00:00.000Z"),
        ("@todayEnd", "2024-02-10 23:59:59.999Z"),
        ("@monthStart", "2024-02-01 00:00:00.000Z"),
        ("@monthEnd", "2024-02-29 23:59:59.999Z"),
        ("@yearStart", "2024-01-01 00:00:00.000Z"),
        ("@yearEnd", "2024-12-31 23:59:59.999Z"),
        ("@second", 5),
        ("@minute", 4),
        ("@hour", 13),
        ("@day", 10),
        ("@month", 2),
        ("@weekday", 6),
        ("@year", 2024),
    ],
)
def test_macro_values(name: str, value: object) -> None:
    assert macro_value(name, NOW) == (True, value)


def test_sunday_is_zero_and_names_are_case_sensitive() -> None:
    assert macro_value("@weekday", datetime(2024, 2, 11, tzinfo=UTC)) == (True, 0)
    assert macro_value("@NOW", NOW) == (False, None)
    assert len(MACROS) == 16
