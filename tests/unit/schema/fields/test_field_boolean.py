"""`bool`: strconv.ParseBool-style casts, required means true, 0/1 storage."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from palapy.schema.fields import BoolField
from tests.unit.schema.fields.field_cases import case_id, cases_for


@pytest.mark.parametrize("case", cases_for("b", "breq"), ids=case_id)
def test_input_gives_pocketbase_answer(case: Any, check_case: Callable[[Any], None]) -> None:
    check_case(case)


@pytest.mark.parametrize(
    ("raw", "loaded"), [(1, True), (0, False), ("true", True), ("1", True), (None, False)]
)
def test_from_db(raw: Any, loaded: bool) -> None:
    assert BoolField(name="b").from_db(raw) is loaded


def test_to_db_is_zero_or_one() -> None:
    field = BoolField(name="b")
    assert field.to_db(True) == 1
    assert field.to_db(False) == 0
    assert field.column_definition() == "BOOLEAN DEFAULT FALSE NOT NULL"
    assert field.empty_value() is False
