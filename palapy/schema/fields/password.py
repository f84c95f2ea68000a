"""`password`: plain text in, a hash out; never returned by the API.

The record value is the bcrypt hash once stored. While a record is being saved, the records
service validates the submitted plain text (or `""` when no new password was sent; then the
stored hash, from `ctx.original`, satisfies `required`) and hashes it with `bcrypt_cost()`.
"""

from __future__ import annotations

from typing import Any

from palapy.schema.fields._goregex import go_regex_search
from palapy.schema.fields._rules import common_settings_errors, int_range, regex_error, required
from palapy.schema.fields.base import CommonField, SettingsContext, ValueContext
from palapy.tools.errors import FieldError, ValidationErrors, field_error
from palapy.tools.gocast import go_string, sqlite_text

__all__ = ["PasswordField", "MAX_PASSWORD_LENGTH", "DEFAULT_BCRYPT_COST"]

MAX_PASSWORD_LENGTH = 71  # bcrypt reads at most 72 bytes
DEFAULT_BCRYPT_COST = 10


class PasswordField(CommonField, tag="password", kw_only=True):
    cost: int = 0
    max: int = 0
    min: int = 0
    pattern: str = ""

    def bcrypt_cost(self) -> int:
        """The bcrypt cost to hash with (`cost`, or 10 when unset)."""
        return self.cost if self.cost > 0 else DEFAULT_BCRYPT_COST

    def normalize(self, value: Any) -> str:
        """The submitted plain text (hashing is the records service's job)."""
        return go_string(value)

    def to_db(self, value: Any) -> str:
        return go_string(value)

    def from_db(self, raw: Any) -> str:
        return sqlite_text(raw)

    def validate_value(self, value: Any, ctx: ValueContext) -> FieldError | None:
        plain = go_string(value)
        stored = go_string((ctx.original or {}).get(self.name, ""))
        if plain and plain == stored:
            return None  # the unchanged stored hash
        if self.required and not plain and not stored:
            return required()
        if not plain:
            return None
        length = len(plain)
        if length < self.min:
            return field_error("validation_min_text_constraint", f"Must be at least {self.min} character(s).")
        limit = self.max if self.max > 0 else MAX_PASSWORD_LENGTH
        if length > limit:
            return field_error("validation_max_text_constraint", f"Must be less than {limit} character(s).")
        if self.pattern and not go_regex_search(self.pattern, plain):
            return field_error("validation_invalid_format", "Invalid value format.")
        return None

    def validate_settings(self, ctx: SettingsContext) -> ValidationErrors:
        errors = common_settings_errors(self)
        checks = {
            "min": int_range(self.min, 1, MAX_PASSWORD_LENGTH),
            "max": int_range(self.max, self.min, MAX_PASSWORD_LENGTH),
            "cost": int_range(self.cost, 4, 31),
            "pattern": regex_error(self.pattern),
        }
        errors.update({option: err for option, err in checks.items() if err})
        return errors
