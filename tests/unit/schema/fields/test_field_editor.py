"""`editor`: text with a byte limit (5 MiB by default)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from palapy.schema.fields import EditorField, ValueContext
from tests.unit.schema.fields.field_cases import case_id, cases_for


@pytest.mark.parametrize("case", cases_for("ed"), ids=case_id)
def test_input_gives_pocketbase_answer(case: Any, check_case: Callable[[Any], None]) -> None:
    check_case(case)


def test_default_limit_is_five_mebibytes(make_ctx: Callable[..., ValueContext]) -> None:
    field = EditorField(name="e")
    assert field.max_size() == 5 << 20
    assert field.validate_value("x" * (5 << 20), make_ctx()) is None
    assert field.validate_value("x" * ((5 << 20) + 1), make_ctx()) == {
        "code": "validation_content_size_limit",
        "message": "The maximum allowed content size is 5242880 bytes.",
        "params": {"maxSize": 5242880},
    }


def test_required(make_ctx: Callable[..., ValueContext]) -> None:
    field = EditorField(name="e", required=True)
    assert field.validate_value("", make_ctx()) == {
        "code": "validation_required",
        "message": "Cannot be blank.",
    }
    assert field.validate_value("<p>x</p>", make_ctx()) is None
