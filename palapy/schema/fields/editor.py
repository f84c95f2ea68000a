"""`editor`: rich text (HTML) with a byte size limit (0 = 5 MiB)."""

from __future__ import annotations

from typing import Any

from palapy.schema.fields._rules import MAX_SAFE_JSON_INT, common_settings_errors, int_range, required
from palapy.schema.fields._shapes import TextValues
from palapy.schema.fields.base import CommonField, SettingsContext, ValueContext
from palapy.tools.errors import FieldError, ValidationErrors, field_error
from palapy.tools.gocast import go_string

__all__ = ["EditorField", "DEFAULT_EDITOR_MAX_SIZE"]

DEFAULT_EDITOR_MAX_SIZE = 5 << 20


class EditorField(TextValues, CommonField, tag="editor", kw_only=True):
    convertURLs: bool = False
    maxSize: int = 0

    def max_size(self) -> int:
        """The byte limit in force (`maxSize`, or 5 MiB when unset)."""
        return self.maxSize if self.maxSize > 0 else DEFAULT_EDITOR_MAX_SIZE

    def validate_value(self, value: Any, ctx: ValueContext) -> FieldError | None:
        text = value if isinstance(value, str) else go_string(value)
        if self.required and not text:
            return required()
        limit = self.max_size()
        if len(text.encode("utf-8", "surrogatepass")) > limit:
            return field_error(
                "validation_content_size_limit",
                f"The maximum allowed content size is {limit} bytes.",
                {"maxSize": limit},
            )
        return None

    def validate_settings(self, ctx: SettingsContext) -> ValidationErrors:
        errors = common_settings_errors(self)
        if err := int_range(self.maxSize, 0, MAX_SAFE_JSON_INT):
            errors["maxSize"] = err
        return errors
