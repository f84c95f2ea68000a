"""The generic validation errors PocketBase's validation library produces, with its exact texts."""

from __future__ import annotations

from typing import Any

from palapy.tools.errors import FieldError, field_error
from palapy.tools.gocast import format_float_v, json_number

__all__ = [
    "required",
    "nil",
    "nil_or_not_empty",
    "empty",
    "length",
    "match_invalid",
    "in_invalid",
    "not_in",
    "min_value",
    "max_value",
    "is_url",
    "sort_errors",
    "raw_messages",
    "RAW_MESSAGE_CODES",
]


def required(message: str = "Cannot be blank.") -> FieldError:
    return field_error("validation_required", message)


def nil() -> FieldError:
    return field_error("validation_nil", "Must be blank.")


def nil_or_not_empty() -> FieldError:
    return field_error("validation_nil_or_not_empty_required", "Cannot be blank.")


def empty() -> FieldError:
    return field_error("validation_empty", "Must be blank.")


def length(value: str, lo: int, hi: int) -> FieldError | None:
    """`Length(lo, hi)` counted in runes; empty values pass (that is `required`'s job)."""
    n = len(value)
    if n == 0 or (lo <= n and (hi == 0 or n <= hi)):
        return None
    params = {"max": hi, "min": lo}
    if lo == hi:
        return field_error("validation_length_invalid", f"The length must be exactly {lo}.", params)
    if lo == 0:
        return field_error("validation_length_too_long", f"The length must be no more than {hi}.", params)
    if hi == 0:
        return field_error("validation_length_too_short", f"The length must be no less than {lo}.", params)
    return field_error("validation_length_out_of_range", f"The length must be between {lo} and {hi}.", params)


def match_invalid() -> FieldError:
    return field_error("validation_match_invalid", "Must be in a valid format.")


def in_invalid() -> FieldError:
    return field_error("validation_in_invalid", "Must be a valid value.")


def not_in() -> FieldError:
    return field_error("validation_not_in_invalid", "Must not be in list.")


def _threshold_text(threshold: int | float) -> str:
    return str(threshold) if isinstance(threshold, int) else format_float_v(threshold)


def min_value(threshold: int | float) -> FieldError:
    """`Min(threshold)`: the message prints the threshold as Go's `%v` does."""
    return field_error(
        "validation_min_greater_equal_than_required",
        f"Must be no less than {_threshold_text(threshold)}.",
        {"threshold": json_number(threshold)},
    )


def max_value(threshold: int | float) -> FieldError:
    """`Max(threshold)`: the message prints the threshold as Go's `%v` does."""
    return field_error(
        "validation_max_less_equal_than_required",
        f"Must be no greater than {_threshold_text(threshold)}.",
        {"threshold": json_number(threshold)},
    )


def is_url() -> FieldError:
    return field_error("validation_is_url", "Must be a valid URL.")


def _is_field_error(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("code"), str)
        and isinstance(value.get("message"), str)
    )


def sort_errors(errors: Any) -> Any:
    """Nested error maps with keys sorted, as PocketBase's validation library serialises them."""
    if not isinstance(errors, dict) or _is_field_error(errors):
        return errors
    return {k: sort_errors(errors[k]) for k in sorted(errors)}


# Codes of the validation library whose raw text starts lower-case and has no final period.
RAW_MESSAGE_CODES = frozenset(
    {
        "validation_required",
        "validation_nil",
        "validation_nil_or_not_empty_required",
        "validation_length_invalid",
        "validation_length_too_long",
        "validation_length_too_short",
        "validation_length_out_of_range",
        "validation_match_invalid",
        "validation_in_invalid",
        "validation_min_greater_equal_than_required",
        "validation_max_less_equal_than_required",
        "validation_is_url",
        "validation_not_in_invalid",
    }
)
# PocketBase's own messages that have no final period in their raw form.
_NO_PERIOD_CODES = frozenset(
    {
        "validation_invalid_rule",
        "validation_duplicated_field_name",
        "validation_duplicated_field_id",
        "validation_missing_field",
    }
)


def raw_messages(errors: Any) -> Any:
    """Errors as the raw `{key: "message"}` tree PocketBase prints inside import failures."""
    if _is_field_error(errors):
        message: str = errors["message"]
        if errors["code"] in RAW_MESSAGE_CODES:
            message = message[:1].lower() + message[1:]
        if errors["code"] in RAW_MESSAGE_CODES or errors["code"] in _NO_PERIOD_CODES:
            message = message[:-1] if message.endswith(".") else message
        return message
    if isinstance(errors, dict):
        return {k: raw_messages(errors[k]) for k in sorted(errors)}
    return errors
