"""`json`: any JSON value in a nullable JSON column (null when never set)."""

from __future__ import annotations

import math
from typing import Any

from palapy.schema.fields._rules import MAX_SAFE_JSON_INT, common_settings_errors, int_range, required
from palapy.schema.fields.base import CommonField, SettingsContext, ValueContext
from palapy.tools import jsonx
from palapy.tools.errors import FieldError, ValidationErrors, field_error
from palapy.tools.gocast import json_number, sanitize_text, sqlite_text, strict_json_decoder

__all__ = ["JSONField", "InvalidJSONText", "DEFAULT_JSON_MAX_SIZE"]

DEFAULT_JSON_MAX_SIZE = 1 << 20
_JSON_START = frozenset('0123456789-"[{')


class InvalidJSONText(str):
    """Submitted text that looked like JSON but is not accepted as a value (duplicate object
    keys); validation reports it as `validation_invalid_json`."""


class _DuplicateKey(ValueError):
    pass


def _pairs_no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


_PERMISSIVE = strict_json_decoder()
_NO_DUPLICATES = strict_json_decoder(object_pairs_hook=_pairs_no_duplicates)


def _sanitized(value: Any) -> Any:
    """Replace unpaired surrogates inside decoded JSON text (Go never keeps them)."""
    if isinstance(value, str):
        return sanitize_text(value)
    if isinstance(value, list):
        return [_sanitized(v) for v in value]
    if isinstance(value, dict):
        return {sanitize_text(k): _sanitized(v) for k, v in value.items()}
    return value


def _decode_text(text: str, reject_duplicates: bool) -> Any:
    """PocketBase's reading of a string: `null`/`true`/`false` and text that starts like a number,
    string, array or object and is valid JSON are JSON; anything else is a JSON string."""
    if text in ("null", "true", "false"):
        return {"null": None, "true": True, "false": False}[text]
    if not text or text[0] not in _JSON_START:
        return sanitize_text(text)
    try:
        decoded = (_NO_DUPLICATES if reject_duplicates else _PERMISSIVE).decode(text)
    except _DuplicateKey:
        # Accepted as JSON text by the first check, refused by validation.
        return InvalidJSONText(text)
    except (ValueError, RecursionError):
        return sanitize_text(text)
    return _sanitized(decoded)


def _canonical(value: Any) -> Any:
    """A decoded JSON value as Go re-encodes it: object keys sorted, numbers as float64."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return sanitize_text(value)
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return None
        return json_number(value)
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, dict):
        return {sanitize_text(str(k)): _canonical(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, bytes | bytearray):
        return sanitize_text(bytes(value).decode("utf-8", "replace"))
    return None


class JSONField(CommonField, tag="json", kw_only=True):
    maxSize: int = 0

    def column_definition(self) -> str:
        return "JSON DEFAULT NULL"

    def empty_value(self) -> Any:
        return None

    def max_size(self) -> int:
        """The byte limit in force (`maxSize`, or 1 MiB when unset)."""
        return self.maxSize if self.maxSize > 0 else DEFAULT_JSON_MAX_SIZE

    def normalize(self, value: Any) -> Any:
        """Structured values are kept (object keys sorted, integral numbers as ints). Strings:
        `"123"`->123, `"[1,2]"`->[1,2], `"null"`->None, `"hello"`/`"[1,2"`/`""` stay strings."""
        if isinstance(value, str):
            return _decode_text(value, reject_duplicates=True)
        return _canonical(value)

    def to_db(self, value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, InvalidJSONText):
            return jsonx.encode(str(value)).decode()
        try:
            # Canonical values are written as they are (a loaded 100000.0 stays a real).
            return jsonx.encode(value).decode()
        except (TypeError, ValueError, OverflowError):
            return jsonx.encode(_canonical(value)).decode()

    def from_db(self, raw: Any) -> Any:
        # PocketBase reads the column as text; with its NUMERIC affinity a stored `1e5` comes
        # back as the real `100000.0`, which is what PocketBase then returns.
        if raw is None:
            return None
        return _decode_text(sqlite_text(raw), reject_duplicates=False)

    def validate_value(self, value: Any, ctx: ValueContext) -> FieldError | None:
        limit = self.max_size()
        if isinstance(value, InvalidJSONText):
            size = len(value.encode("utf-8", "surrogatepass"))
        else:
            size = 0 if value is None else len(jsonx.encode(_canonical(value)))
        if size > limit:
            return field_error(
                "validation_json_size_limit",
                f"The maximum allowed JSON size is {limit} bytes.",
                {"maxSize": limit},
            )
        if isinstance(value, InvalidJSONText):
            return field_error("validation_invalid_json", "Must be a valid json value.")
        if self.required and (value is None or value == "" or value == [] or value == {}):
            return required()
        return None

    def validate_settings(self, ctx: SettingsContext) -> ValidationErrors:
        errors = common_settings_errors(self)
        if err := int_range(self.maxSize, 0, MAX_SAFE_JSON_INT):
            errors["maxSize"] = err
        return errors
