"""`relation`: ids checked against the related collection's table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from palapy.schema.fields import RelationField, ValueContext
from tests.unit.schema.fields.field_cases import TARGET_IDS, case_id, cases_for


@pytest.mark.parametrize("case", cases_for("r1", "rm"), ids=case_id)
def test_input_gives_pocketbase_answer(case: Any, check_case: Callable[[Any], None]) -> None:
    check_case(case)


def test_missing_related_collection(make_ctx: Callable[..., ValueContext]) -> None:
    field = RelationField(name="r", collectionId="pbc_gone")
    assert field.validate_value("x", make_ctx()) == {
        "code": "validation_missing_rel_collection",
        "message": "Relation connection is missing or cannot be accessed.",
    }


def test_views_are_searched_too(make_ctx: Callable[..., ValueContext]) -> None:
    field = RelationField(name="r", collectionId="pbc_view", maxSelect=5)
    assert field.validate_value(list(TARGET_IDS), make_ctx()) is None
    assert (
        field.validate_value([TARGET_IDS[0], "nope"], make_ctx())["code"] == "validation_missing_rel_records"
    )


def test_required_and_storage(make_ctx: Callable[..., ValueContext]) -> None:
    field = RelationField(name="r", collectionId="pbc_target", maxSelect=2, required=True)
    assert field.validate_value([], make_ctx()) == {
        "code": "validation_required",
        "message": "Cannot be blank.",
    }
    assert field.to_db(["a", "b", "a"]) == '["a","b"]'
    assert field.from_db('["a","b"]') == ["a", "b"]
    single = RelationField(name="r", collectionId="pbc_target")
    assert single.to_db(["a", "b"]) == "b"
    assert single.from_db("") == ""
