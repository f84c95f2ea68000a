"""`email`: a single address, optionally limited to or excluding domains."""

from __future__ import annotations

from typing import Any

from palapy.schema.fields._rules import required
from palapy.schema.fields._shapes import DomainListField
from palapy.schema.fields.base import ValueContext
from palapy.tools.emails import is_email_format
from palapy.tools.errors import FieldError, field_error
from palapy.tools.gocast import go_string

__all__ = ["EmailField"]


class EmailField(DomainListField, tag="email", kw_only=True):
    def validate_value(self, value: Any, ctx: ValueContext) -> FieldError | None:
        text = value if isinstance(value, str) else go_string(value)
        if not text:
            return required() if self.required else None
        if not is_email_format(text):
            return field_error("validation_is_email", "Must be a valid email address.")
        if not self.domain_allowed(text.rpartition("@")[2]):
            return field_error("validation_email_domain_not_allowed", "Email domain is not allowed.")
        return None
