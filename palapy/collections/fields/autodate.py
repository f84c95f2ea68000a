"""`autodate`: set by the server on create and/or update; submitted values are ignored."""

from __future__ import annotations

from typing import Any

from palapy.collections.fields._gocast import sqlite_text
from palapy.collections.fields._godate import normalize_date
from palapy.collections.fields._rules import common_settings_errors, required, values_mismatch
from palapy.collections.fields.base import Field, SettingsContext, ValueContext
from palapy.tools.errors import FieldError, ValidationErrors

__all__ = ["AutodateField"]

_NEED_ONE = "Either onCreate or onUpdate must be enabled."


class AutodateField(Field, tag="autodate", kw_only=True):
    onCreate: bool = True
    onUpdate: bool = False

    def normalize(self, value: Any) -> str:
        """The canonical date text of a value the service set (dates already in PocketBase's
        format come back unchanged). Client-submitted values must be dropped by the caller."""
        return normalize_date(value)

    def to_db(self, value: Any) -> str:
        return normalize_date(value)

    def from_db(self, raw: Any) -> str:
        # PocketBase reads every column as text (see sqlite_text).
        return normalize_date(sqlite_text(raw))

    def validate_value(self, value: Any, ctx: ValueContext) -> FieldError | None:
        return None

    def validate_settings(self, ctx: SettingsContext) -> ValidationErrors:
        errors = common_settings_errors(self)
        old_create, old_update = self.onCreate, self.onUpdate
        old = ctx.original.field_by_id(self.id) if ctx.original is not None else None
        if isinstance(old, AutodateField):
            old_create, old_update = old.onCreate, old.onUpdate
        # System autodate fields (created/updated of system collections) keep their flags.
        if self.system and self.onCreate != old_create:
            errors["onCreate"] = values_mismatch()
        elif not self.onCreate and not self.onUpdate:
            errors["onCreate"] = required(_NEED_ONE)
        if self.system and self.onUpdate != old_update:
            errors["onUpdate"] = values_mismatch()
        elif not self.onCreate and not self.onUpdate:
            errors["onUpdate"] = required(_NEED_ONE)
        return errors
