"""`text`: plain strings; the `id` field is a text field with `primaryKey`."""

from __future__ import annotations

from typing import Any

import apsw

from palapy.db.connection import quote_ident
from palapy.schema.fields._goregex import go_regex_search
from palapy.schema.fields._rules import (
    MAX_SAFE_JSON_INT,
    common_settings_errors,
    empty,
    first_error,
    int_range,
    regex_error,
    required,
)
from palapy.schema.fields._shapes import TextValues
from palapy.schema.fields.autogenerate import generate_autovalue
from palapy.schema.fields.base import CommonField, SettingsContext, ValueContext
from palapy.tools.errors import FieldError, ValidationErrors, field_error
from palapy.tools.gocast import go_quote, go_string

__all__ = ["TextField", "DEFAULT_ID_PATTERN", "DEFAULT_MAX_TEXT"]

DEFAULT_ID_PATTERN = "^[a-z0-9]+$"
DEFAULT_MAX_TEXT = 5000

# Characters and Windows device names refused in custom primary keys (ids become file paths).
_FORBIDDEN_PK_CHARS = tuple("./\\|\"'`<>:?*%$\0\t\n\r ")
_RESERVED_PKS = (
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
)


class TextField(TextValues, CommonField, tag="text", kw_only=True):
    autogeneratePattern: str = ""
    max: int = 0
    min: int = 0
    pattern: str = ""
    primaryKey: bool = False

    def column_definition(self) -> str:
        if self.primaryKey:
            return "TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL"
        return "TEXT DEFAULT '' NOT NULL"

    def autogenerate(self, prefix: str = "") -> str:
        """`prefix` plus a random value from `autogeneratePattern` (the `:autogenerate` modifier
        and empty values on create); raises ValueError for an unusable pattern."""
        if not self.autogeneratePattern:
            return prefix
        return prefix + generate_autovalue(self.autogeneratePattern)

    # -- values ----------------------------------------------------------------------------
    def validate_value(self, value: Any, ctx: ValueContext) -> FieldError | None:
        text = value if isinstance(value, str) else go_string(value)
        if self.primaryKey:
            if not ctx.is_new:
                old = go_string((ctx.original or {}).get(self.name, ""))
                if old != text:
                    return field_error("validation_pk_change", "The record primary key cannot be changed.")
                if old:
                    # Stored ids may predate the current rules (imports, migrations).
                    return None
            elif self.pattern != DEFAULT_ID_PATTERN and text and self._pk_taken(ctx, text):
                return field_error(
                    "validation_pk_invalid", "The record primary key is invalid or already exists."
                )
        return self.validate_plain(text)

    def _pk_taken(self, ctx: ValueContext, value: str) -> bool:
        """Custom id patterns may allow mixed case: look for a case-insensitive duplicate."""
        sql = f"SELECT 1 FROM {quote_ident(ctx.collection.name)} WHERE {quote_ident(self.name)} = ? COLLATE NOCASE LIMIT 1"
        try:
            return ctx.conn.execute(sql, (value,)).fetchone() is not None
        except apsw.Error:
            return True

    def validate_plain(self, value: str) -> FieldError | None:
        """The option checks on a string value: required, min/max runes, pattern, pk rules."""
        if (self.required or self.primaryKey) and not value:
            return required()
        if not value:
            return None
        length = len(value)
        if self.min > 0 and length < self.min:
            return field_error(
                "validation_min_text_constraint",
                f"Must be at least {self.min} character(s).",
                {"min": self.min},
            )
        limit = self.max or DEFAULT_MAX_TEXT
        if limit > 0 and length > limit:
            return field_error(
                "validation_max_text_constraint",
                f"Must be no more than {limit} character(s).",
                {"max": limit},
            )
        if self.pattern and not go_regex_search(self.pattern, value):
            return field_error("validation_invalid_format", "Invalid value format.")
        if self.primaryKey and self.pattern != DEFAULT_ID_PATTERN:
            return _pk_characters_error(value)
        return None

    # -- settings --------------------------------------------------------------------------
    def validate_settings(self, ctx: SettingsContext) -> ValidationErrors:
        errors = common_settings_errors(self)
        if "name" not in errors and self.primaryKey and self.name != "id":
            errors["name"] = field_error("validation_in_invalid", 'The primary key must be named "id".')
        checks: dict[str, Any] = {
            "primaryKey": lambda: self._composite_pk_error(ctx),
            "min": lambda: int_range(self.min, 0, MAX_SAFE_JSON_INT),
            "max": lambda: int_range(self.max, self.min, MAX_SAFE_JSON_INT),
            "pattern": lambda: first_error(
                lambda: required() if self.primaryKey and not self.pattern else None,
                lambda: regex_error(self.pattern),
            ),
            "hidden": lambda: empty() if self.primaryKey and self.hidden else None,
            "required": lambda: required() if self.primaryKey and not self.required else None,
            "autogeneratePattern": lambda: first_error(
                lambda: regex_error(self.autogeneratePattern),
                self._autogenerate_pattern_error,
            ),
        }
        for option, check in checks.items():
            if err := check():
                errors[option] = err
        return errors

    def _composite_pk_error(self, ctx: SettingsContext) -> FieldError | None:
        if not self.primaryKey:
            return None
        total = sum(1 for f in ctx.collection.fields if isinstance(f, TextField) and f.primaryKey)
        if total > 1:
            return field_error(
                "validation_unsupported_composite_pk",
                "Composite PKs are not supported and the collection must have only 1 PK.",
            )
        return None

    def _autogenerate_pattern_error(self) -> FieldError | None:
        """Generate a few samples: the pattern must be usable and its values must pass the other
        options (min, max, pattern)."""
        if not self.autogeneratePattern:
            return None
        for _ in range(10):
            try:
                sample = generate_autovalue(self.autogeneratePattern)
            except ValueError as exc:
                return field_error("validation_invalid_autogenerate_pattern", str(exc))
            if self.validate_plain(sample):
                return field_error(
                    "validation_invalid_autogenerate_pattern_value",
                    f"The provided autogenerate pattern could produce invalid field values, ex.: {go_quote(sample)}",
                )
        return None


def _pk_characters_error(value: str) -> FieldError | None:
    for ch in _FORBIDDEN_PK_CHARS:
        if ch in value:
            return field_error(
                "validation_forbidden_pk_character",
                f"'{ch}' is not a valid primary key character.",
                {"ch": ch},
            )
    if len(value) <= 4:
        upper = value.upper()
        for reserved in _RESERVED_PKS:
            if upper == reserved:
                return field_error(
                    "validation_reserved_pk",
                    f"The primary key '{reserved}' is reserved and cannot be used.",
                    {"reserved": reserved},
                )
    return None
