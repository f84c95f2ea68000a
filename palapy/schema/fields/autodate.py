"""`autodate`: set by the server on create and/or update; submitted values are ignored."""

from __future__ import annotations

from typing import Any

from palapy.schema.fields._rules import common_settings_errors, required, values_mismatch
from palapy.schema.fields._shapes import DateValues
from palapy.schema.fields.base import Field, SettingsContext, ValueContext
from palapy.tools.errors import FieldError, ValidationErrors

__all__ = ["AutodateField"]

_NEED_ONE = "Either onCreate or onUpdate must be enabled."


class AutodateField(DateValues, Field, tag="autodate", kw_only=True):
    """`normalize` formats the value the service set (dates already in PocketBase's format come
    back unchanged); client-submitted values must be dropped by the caller."""

    onCreate: bool = True
    onUpdate: bool = False

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
