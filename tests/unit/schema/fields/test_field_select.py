"""`select`: single/multiple values, JSON-array strings, value checks, storage."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from palapy.schema.fields import SelectField, ValueContext
from tests.unit.schema.fields.field_cases import case_id, cases_for


@pytest.mark.parametrize("case", cases_for("s1", "sm", "sreq"), ids=case_id)
def test_input_gives_pocketbase_answer(case: Any, check_case: Callable[[Any], None]) -> None:
    check_case(case)


def test_storage_single_and_multiple() -> None:
    single = SelectField(name="s", values=["a", "b"], maxSelect=1)
    multi = SelectField(name="m", values=["a", "b"], maxSelect=2)
    assert single.to_db("a") == "a"
    assert single.to_db(["a", "b"]) == "b"
    assert multi.to_db(["a", "b"]) == '["a","b"]'
    assert multi.to_db([]) == "[]"
    assert multi.from_db('["a","b"]') == ["a", "b"]
    assert multi.from_db(b'["b"]') == ["b"]
    assert multi.from_db("a") == ["a"]
    # A column switched from multiple to single keeps the last value.
    assert single.from_db('["a","b"]') == "b"
    assert single.from_db(None) == ""
    assert (single.column_definition(), multi.column_definition()) == (
        "TEXT DEFAULT '' NOT NULL",
        "JSON DEFAULT '[]' NOT NULL",
    )
    assert (single.empty_value(), multi.empty_value()) == ("", [])
    assert (single.is_multiple(), multi.is_multiple()) == (False, True)


def test_default_max_select_is_one(make_ctx: Callable[..., ValueContext]) -> None:
    field = SelectField(name="s", values=["a", "b"])
    assert field.normalize(["a", "b"]) == "b"
    assert field.validate_value(["a", "b"], make_ctx()) == {
        "code": "validation_too_many_values",
        "message": "Select no more than 1.",
        "params": {"maxSelect": 1},
    }
