"""`number`: the loose float cast, min/max/onlyInt rules, storage."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest

from palapy.schema.fields import NumberField, ValueContext
from tests.unit.schema.fields.field_cases import case_id, cases_for
from tests.unit.schema.fields.field_support import as_json


@pytest.mark.parametrize(
    "case",
    cases_for("num", "numint", "numf", "numbig", "numsmall", "numfmt", "numneg", "numreq"),
    ids=case_id,
)
def test_input_gives_pocketbase_answer(case: Any, check_case: Callable[[Any], None]) -> None:
    check_case(case)


def test_nan_and_infinities_are_kept_for_validation() -> None:
    field = NumberField(name="n")
    assert math.isnan(field.normalize("NaN"))
    assert field.normalize("-Infinity") == -math.inf


@pytest.mark.parametrize(
    ("value", "stored"),
    [(1.5, 1.5), (3, 3), (3.0, 3), (1e21, 1e21), (10**20, 1e20), (float("nan"), 0), ("abc", 0)],
)
def test_to_db(value: Any, stored: Any) -> None:
    got = NumberField(name="n").to_db(value)
    assert as_json(got) == as_json(stored)


def test_to_db_turns_integers_beyond_int64_into_floats() -> None:
    assert NumberField(name="n").to_db(2**70) == float(2**70)


@pytest.mark.parametrize(("raw", "loaded"), [(3, 3), (1.5, 1.5), (2.0, 2), (None, 0), ("7", 7), ("x", 0)])
def test_from_db(raw: Any, loaded: Any) -> None:
    assert as_json(NumberField(name="n").from_db(raw)) == as_json(loaded)


def test_options_print_like_go_numbers() -> None:
    field = NumberField(name="n", min=5.0, max=2.5)
    assert as_json(field.to_json()["min"]) == "5"
    assert as_json(field.to_json()["max"]) == "2.5"


def test_only_int_rejects_values_outside_int64(make_ctx: Callable[..., ValueContext]) -> None:
    field = NumberField(name="n", onlyInt=True)
    assert field.validate_value(2.0**62, make_ctx()) is None
    assert field.validate_value(-(2.0**63), make_ctx()) is None
    assert field.validate_value(2.0**63, make_ctx()) == {
        "code": "validation_only_int_constraint",
        "message": "Decimal numbers are not allowed.",
    }
