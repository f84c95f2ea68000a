"""`geoPoint`: object or JSON text, partial decoding, ranges, storage."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from palapy.schema.fields import GeoPointField
from tests.unit.schema.fields.field_cases import case_id, cases_for
from tests.unit.schema.fields.field_support import as_json


@pytest.mark.parametrize("case", cases_for("g", "greq"), ids=case_id)
def test_input_gives_pocketbase_answer(case: Any, check_case: Callable[[Any], None]) -> None:
    check_case(case)


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        ({"lon": 1.5, "lat": 2}, '{"lon":1.5,"lat":2}'),
        ({"lat": 2, "lon": 1}, '{"lon":1,"lat":2}'),
        (None, '{"lon":0,"lat":0}'),
    ],
)
def test_to_db_writes_lon_first(value: Any, stored: str) -> None:
    assert GeoPointField(name="g").to_db(value) == stored


@pytest.mark.parametrize(
    ("raw", "loaded"),
    [
        ('{"lon":1.5,"lat":2}', {"lon": 1.5, "lat": 2}),
        (None, {"lon": 0, "lat": 0}),
        (b'{"lat":3}', {"lon": 0, "lat": 3}),
    ],
)
def test_from_db(raw: Any, loaded: Any) -> None:
    assert as_json(GeoPointField(name="g").from_db(raw)) == as_json(loaded)


def test_huge_integers_stop_decoding() -> None:
    assert GeoPointField(name="g").normalize({"lon": 10**400, "lat": 1}) == {"lon": 0, "lat": 0}
