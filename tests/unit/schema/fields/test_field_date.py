"""`date` and `autodate`: Go's date layouts, bounds, storage."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from palapy.schema.fields import AutodateField, DateField, ValueContext
from tests.unit.schema.fields.field_cases import case_id, cases_for


@pytest.mark.parametrize("case", cases_for("dt", "dtopt"), ids=case_id)
def test_input_gives_pocketbase_answer(case: Any, check_case: Callable[[Any], None]) -> None:
    check_case(case)


def test_bounds_are_stored_as_pocketbase_dates() -> None:
    field = DateField(name="d", min="2021-01-01", max="garbage")
    assert (field.min, field.max) == ("2021-01-01 00:00:00.000Z", "")
    field = DateField(name="d", min="2021-01-01T10:00:00+02:00")
    assert field.min == "2021-01-01 08:00:00.000Z"


def test_required(make_ctx: Callable[..., ValueContext]) -> None:
    field = DateField(name="d", required=True)
    assert field.validate_value(field.normalize("garbage"), make_ctx()) == {
        "code": "validation_required",
        "message": "Cannot be blank.",
    }


@pytest.mark.parametrize(
    ("raw", "loaded"),
    [
        ("2025-01-02 10:00:00.123Z", "2025-01-02 10:00:00.123Z"),
        ("2025-01-02 10:00:00", "2025-01-02 10:00:00.000Z"),
        ("", ""),
        (None, ""),
        ("junk", ""),
    ],
)
def test_from_db(raw: Any, loaded: str) -> None:
    assert DateField(name="d").from_db(raw) == loaded
    assert AutodateField(name="d").from_db(raw) == loaded


def test_datetimes_are_formatted() -> None:
    moment = datetime(2025, 1, 2, 10, 0, 0, 123456, tzinfo=UTC)
    assert DateField(name="d").normalize(moment) == "2025-01-02 10:00:00.123Z"
    assert DateField(name="d").to_db("2025-01-02") == "2025-01-02 00:00:00.000Z"


def test_autodate_keeps_service_values_and_never_fails(make_ctx: Callable[..., ValueContext]) -> None:
    field = AutodateField(name="created")
    assert field.normalize("2026-11-29 10:27:14.409Z") == "2026-11-29 10:27:14.409Z"
    assert field.validate_value("", make_ctx()) is None
    assert field.column_definition() == "TEXT DEFAULT '' NOT NULL"
    assert "help" not in field.to_json() and "required" not in field.to_json()
