"""`url`: a single absolute URL, optionally limited to or excluding hosts."""

from __future__ import annotations

from typing import Any

import msgspec

from palapy.collections.fields._formats import is_url, parse_go_url
from palapy.collections.fields._gocast import go_string, sqlite_text
from palapy.collections.fields._rules import common_settings_errors, domain_list_errors, required
from palapy.collections.fields.base import CommonField, SettingsContext, ValueContext
from palapy.tools.errors import FieldError, ValidationErrors, field_error

__all__ = ["URLField"]


class URLField(CommonField, tag="url", kw_only=True):
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
        if not is_url(text):
            return field_error("validation_invalid_url", "Must be a valid url.")
        # The host as Go's URL parser reports it: with the port, and empty without a scheme.
        parsed = parse_go_url(text)
        host = parsed.host if parsed is not None else ""
        if (self.onlyDomains and host not in self.onlyDomains) or host in self.exceptDomains:
            return field_error("validation_url_domain_not_allowed", "Url domain is not allowed.")
        return None

    def validate_settings(self, ctx: SettingsContext) -> ValidationErrors:
        errors = common_settings_errors(self)
        errors.update(domain_list_errors(self.onlyDomains, self.exceptDomains))
        return errors
