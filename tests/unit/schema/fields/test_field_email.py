"""`email`: address format and domain lists."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from palapy.schema.fields import EmailField, ValueContext
from tests.unit.schema.fields.field_cases import case_id, cases_for


@pytest.mark.parametrize("case", cases_for("em", "emonly", "emexc"), ids=case_id)
def test_input_gives_pocketbase_answer(case: Any, check_case: Callable[[Any], None]) -> None:
    check_case(case)


def test_required_and_storage(make_ctx: Callable[..., ValueContext]) -> None:
    field = EmailField(name="e", required=True)
    assert field.validate_value("", make_ctx()) == {
        "code": "validation_required",
        "message": "Cannot be blank.",
    }
    assert field.to_db("a@b.co") == "a@b.co"
    assert field.from_db(None) == ""


def test_long_hostile_values_are_checked_quickly(make_ctx: Callable[..., ValueContext]) -> None:
    field = EmailField(name="e")
    value = "a" * 20000 + "@" + "b." * 20000 + "-"
    assert field.validate_value(value, make_ctx())["code"] == "validation_is_email"
