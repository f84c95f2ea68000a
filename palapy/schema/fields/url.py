"""`url`: a single absolute URL, optionally limited to or excluding hosts."""

from __future__ import annotations

from typing import Any

from palapy.schema.fields._formats import is_url, parse_go_url
from palapy.schema.fields._rules import required
from palapy.schema.fields._shapes import DomainListField
from palapy.schema.fields.base import ValueContext
from palapy.tools.errors import FieldError, field_error
from palapy.tools.gocast import go_string

__all__ = ["URLField"]


class URLField(DomainListField, tag="url", kw_only=True):
    def validate_value(self, value: Any, ctx: ValueContext) -> FieldError | None:
        text = value if isinstance(value, str) else go_string(value)
        if not text:
            return required() if self.required else None
        if not is_url(text):
            return field_error("validation_invalid_url", "Must be a valid url.")
        # The host as Go's URL parser reports it: with the port, and empty without a scheme.
        parsed = parse_go_url(text)
        host = parsed.host if parsed is not None else ""
        if not self.domain_allowed(host):
            return field_error("validation_url_domain_not_allowed", "Url domain is not allowed.")
        return None
