"""`normalize_datetime`'s shortcut for text already in PocketBase's format gives exactly what
the full layout parser gives."""

from __future__ import annotations

import random

import pytest

from palapy.tools import dates
from palapy.tools.godate import parse_go_time


def _slow(value: str) -> str:
    moment = parse_go_time(value)
    return moment.pb_format() if moment is not None else ""


EDGES = [
    "2024-02-29 12:00:00.000Z",  # leap day
    "2023-02-29 12:00:00.000Z",  # not a leap year
    "1900-02-29 00:00:00.000Z",  # century, not leap
    "2000-02-29 00:00:00.000Z",  # 400-year leap
    "2024-04-31 00:00:00.000Z",
    "2024-13-01 00:00:00.000Z",
    "2024-00-10 00:00:00.000Z",
    "2024-01-00 00:00:00.000Z",
    "2024-01-01 24:00:00.000Z",
    "2024-01-01 23:60:00.000Z",
    "2024-01-01 23:59:60.000Z",
    "2024-01-01 23:59:59.999Z",
    "0001-01-01 00:00:00.000Z",  # Go's zero time is ""
    "0001-01-01 00:00:00.001Z",
    "0000-01-01 00:00:00.000Z",
    "9999-12-31 23:59:59.999Z",
    "2024-01-01 00:00:00.000Z ",
    " 2024-01-01 00:00:00.000Z",
    "2024-01-01 00:00:00.000z",
    "2024-01-01T00:00:00.000Z",
    "2024-01-01 00:00:00.00Z",
    "2024-01-01 00:00:00.0000Z",
    "2024-01-01 00:00:00Z",
    "２０２４-01-01 00:00:00.000Z",  # non-ASCII digits
]


@pytest.mark.parametrize("text", EDGES)
def test_edge_texts_match_the_parser(text: str) -> None:
    assert dates.normalize_datetime(text) == _slow(text)


def test_random_canonical_shaped_texts_match_the_parser() -> None:
    rng = random.Random(1234)
    for _ in range(3000):
        text = (
            f"{rng.randint(0, 9999):04d}-{rng.randint(0, 13):02d}-{rng.randint(0, 32):02d} "
            f"{rng.randint(0, 25):02d}:{rng.randint(0, 61):02d}:{rng.randint(0, 61):02d}."
            f"{rng.randint(0, 999):03d}Z"
        )
        assert dates.normalize_datetime(text) == _slow(text), text


def test_str_subclass_comes_back_as_plain_str() -> None:
    class Marker(str):
        pass

    out = dates.normalize_datetime(Marker("2024-01-01 00:00:00.000Z"))
    assert out == "2024-01-01 00:00:00.000Z"
    assert type(out) is str


def test_month_ends_in_leap_and_common_years_match_the_parser() -> None:
    for year in (1, 4, 100, 400, 1900, 1996, 2000, 2023, 2024, 2100, 9996):
        for month in range(1, 13):
            for day in (28, 29, 30, 31):
                text = f"{year:04d}-{month:02d}-{day:02d} 12:00:00.000Z"
                assert dates.normalize_datetime(text) == _slow(text), text
