"""`select`: one value (maxSelect <= 1, TEXT) or several (JSON array) from `values`."""

from __future__ import annotations

from typing import Any, ClassVar

import msgspec

from palapy.collections.fields._gocast import sqlite_text, unique_strings
from palapy.collections.fields._rules import common_settings_errors, int_range, required
from palapy.collections.fields.base import CommonField, SettingsContext, ValueContext
from palapy.tools import jsonx
from palapy.tools.errors import FieldError, ValidationErrors, field_error

__all__ = ["SelectField", "pick_values", "multi_to_db", "too_many_values"]


def pick_values(value: Any, multiple: bool) -> list[str] | str:
    """The canonical value of a select or relation: a de-duplicated list, or (single) the last
    value or `""`. A string is one value (no comma splitting), or a JSON array of strings."""
    values = unique_strings(value)
    if multiple:
        return values
    return values[-1] if values else ""


def multi_to_db(value: Any, multiple: bool) -> str:
    """Storage text: a compact JSON array when multiple, else the single value."""
    picked = pick_values(value, multiple)
    if isinstance(picked, list):
        return jsonx.encode(picked).decode()
    return picked


def too_many_values(limit: int) -> FieldError:
    return field_error("validation_too_many_values", f"Select no more than {limit}.", {"maxSelect": limit})


class SelectField(CommonField, tag="select", kw_only=True):
    maxSelect: int = 0
    values: list[str] = msgspec.field(default_factory=list)

    multi_capable: ClassVar[bool] = True

    def is_multiple(self) -> bool:
        return self.maxSelect > 1

    def column_definition(self) -> str:
        return "JSON DEFAULT '[]' NOT NULL" if self.is_multiple() else "TEXT DEFAULT '' NOT NULL"

    def empty_value(self) -> Any:
        return [] if self.is_multiple() else ""

    def normalize(self, value: Any) -> list[str] | str:
        return pick_values(value, self.is_multiple())

    def to_db(self, value: Any) -> str:
        return multi_to_db(value, self.is_multiple())

    def from_db(self, raw: Any) -> list[str] | str:
        return pick_values(sqlite_text(raw), self.is_multiple())

    def validate_value(self, value: Any, ctx: ValueContext) -> FieldError | None:
        # A single value is read again as a list, so a stored '["a","b"]' counts as two.
        selected = unique_strings(value)
        if not selected:
            return required() if self.required else None
        limit = max(self.maxSelect, 1)
        if len(selected) > limit:
            return too_many_values(limit)
        for item in selected:
            if item not in self.values:
                return field_error("validation_invalid_value", f"Invalid value {item}", {"value": item})
        return None

    def validate_settings(self, ctx: SettingsContext) -> ValidationErrors:
        errors = common_settings_errors(self)
        if not self.values:
            errors["values"] = required()
        if err := int_range(self.maxSelect, 0, max(len(self.values), 1)):
            errors["maxSelect"] = err
        return errors
