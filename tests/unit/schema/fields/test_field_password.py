"""`password`: rules on the plain text; a stored hash satisfies `required`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from palapy.schema.fields import PasswordField, ValueContext
from tests.unit.schema.fields.field_cases import case_id, cases_for

HASH = "$2a$10$CodSchnrFqCyERypFx9KAOT0/SdSXqfwtFNkHEqaX/UELVSDWf7jC"
REQUIRED = {"code": "validation_required", "message": "Cannot be blank."}


@pytest.mark.parametrize("case", cases_for("pw"), ids=case_id)
def test_input_gives_pocketbase_answer(case: Any, check_case: Callable[[Any], None]) -> None:
    check_case(case)


def test_required_is_satisfied_by_a_stored_hash(make_ctx: Callable[..., ValueContext]) -> None:
    field = PasswordField(name="password", required=True, min=8)
    assert field.validate_value("", make_ctx()) == REQUIRED
    assert field.validate_value("", make_ctx(original={"password": HASH})) is None
    # The unchanged hash passed back is not checked as a new password.
    assert field.validate_value(HASH, make_ctx(original={"password": HASH})) is None
    assert field.validate_value("short", make_ctx(original={"password": HASH})) == {
        "code": "validation_min_text_constraint",
        "message": "Must be at least 8 character(s).",
    }


def test_default_max_is_71_runes(make_ctx: Callable[..., ValueContext]) -> None:
    field = PasswordField(name="p")
    assert field.validate_value("é" * 71, make_ctx()) is None
    assert field.validate_value("x" * 72, make_ctx()) == {
        "code": "validation_max_text_constraint",
        "message": "Must be less than 71 character(s).",
    }


def test_cost_and_storage() -> None:
    assert PasswordField(name="p").bcrypt_cost() == 10
    assert PasswordField(name="p", cost=12).bcrypt_cost() == 12
    field = PasswordField(name="p")
    assert field.normalize(12345678) == "12345678"
    assert field.to_db(HASH) == HASH
    assert field.from_db(None) == ""
