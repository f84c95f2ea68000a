"""`bool`: stored as 0/1; `required` means it must be true."""

from __future__ import annotations

from typing import Any

from palapy.schema.fields._rules import common_settings_errors, required
from palapy.schema.fields.base import CommonField, SettingsContext, ValueContext
from palapy.tools.errors import FieldError, ValidationErrors
from palapy.tools.gocast import go_bool, sqlite_text

__all__ = ["BoolField"]


class BoolField(CommonField, tag="bool", kw_only=True):
    def column_definition(self) -> str:
        return "BOOLEAN DEFAULT FALSE NOT NULL"

    def empty_value(self) -> Any:
        return False

    def normalize(self, value: Any) -> bool:
        """Loose cast: `"1"`, `1`, `"t"`, `"true"`, `"TRUE"` are true; `"yes"`, null and
        anything else are false; non-zero numbers are true."""
        return go_bool(value)

    def to_db(self, value: Any) -> int:
        return 1 if go_bool(value) else 0

    def from_db(self, raw: Any) -> bool:
        # 0/1 from PocketBase, read as text like PocketBase does: "1" is true, "2" is not.
        return go_bool(sqlite_text(raw))

    def validate_value(self, value: Any, ctx: ValueContext) -> FieldError | None:
        if self.required and not go_bool(value):
            return required()
        return None

    def validate_settings(self, ctx: SettingsContext) -> ValidationErrors:
        return common_settings_errors(self)
