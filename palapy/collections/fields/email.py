"""`email`: a single address, optionally limited to or excluding domains."""

from __future__ import annotations

from typing import Any

import msgspec

from palapy.collections.fields._formats import is_email
from palapy.collections.fields._gocast import go_string, sqlite_text
from palapy.collections.fields._rules import common_settings_errors, domain_list_errors, required
from palapy.collections.fields.base import CommonField, SettingsContext, ValueContext
from palapy.tools.errors import FieldError, ValidationErrors, field_error

__all__ = ["EmailField"]


class EmailField(CommonField, tag="email", kw_only=True):
    exceptDomains: list[str] = msgspec.field(default_factory=list)
    onlyDomains: list[str] = msgspec.field(default_factory=list)

    def normalize(self, value: Any) -> str:
        return go_string(value)

    def to_db(self, value: Any) -> str:
        return value if isinstance(value, str) else go_string(value)

    def from_db(self, raw: Any) -> str:
        return sqlite_text(raw)

    def validate_value(self, value: Any, ctx: ValueContext) -> FieldError | None:
        text = value if isinstance(value, str) else go_string(value)
        if not text:
            return required() if self.required else None
        if not is_email(text):
            return field_error("validation_is_email", "Must be a valid email address.")
        domain = text.rpartition("@")[2]
        if (self.onlyDomains and domain not in self.onlyDomains) or domain in self.exceptDomains:
            return field_error("validation_email_domain_not_allowed", "Email domain is not allowed.")
        return None

    def validate_settings(self, ctx: SettingsContext) -> ValidationErrors:
        errors = common_settings_errors(self)
        errors.update(domain_list_errors(self.onlyDomains, self.exceptDomains))
        return errors
