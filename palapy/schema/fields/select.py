"""`select`: one value (maxSelect <= 1, TEXT) or several (JSON array) from `values`."""

from __future__ import annotations

from typing import Any

import msgspec

from palapy.schema.fields._rules import common_settings_errors, int_range, required, too_many_values
from palapy.schema.fields._shapes import StringListValues
from palapy.schema.fields.base import CommonField, SettingsContext, ValueContext
from palapy.tools.errors import FieldError, ValidationErrors, field_error
from palapy.tools.gocast import unique_strings

__all__ = ["SelectField"]


class SelectField(StringListValues, CommonField, tag="select", kw_only=True):
    maxSelect: int = 0
    values: list[str] = msgspec.field(default_factory=list)

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
