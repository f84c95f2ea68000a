"""The validation errors field rules produce (codes, texts and params as clients see them), and
the option checks every field type shares (`id`, `name`, `help`). The validation library's
generic errors (`required`, `length`, ...) live in `palapy.tools.validation_errors` and are
re-exported here for the field modules."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from palapy.schema.fields._formats import is_domain
from palapy.schema.fields._goregex import GoRegexError, compile_go_regex
from palapy.schema.fields.base import Field
from palapy.tools.errors import FieldError, ValidationErrors, field_error
from palapy.tools.validation_errors import (
    empty,
    length,
    match_invalid,
    max_value,
    min_value,
    not_in,
    required,
)

__all__ = [
    "MAX_SAFE_JSON_INT",
    "required",
    "empty",
    "not_in",
    "match_invalid",
    "values_mismatch",
    "too_many_values",
    "length",
    "int_range",
    "regex_error",
    "first_error",
    "common_settings_errors",
    "domain_list_errors",
]

MAX_SAFE_JSON_INT = 2**53 - 1

_FIELD_NAME_RE = re.compile(r"\w+", re.ASCII)
_EXCLUDED_NAMES = frozenset({"null", "true", "false", "_rowid_", "collectionId", "collectionName", "expand"})


def values_mismatch() -> FieldError:
    return field_error("validation_values_mismatch", "Values don't match.")


def too_many_values(limit: int) -> FieldError:
    return field_error("validation_too_many_values", f"Select no more than {limit}.", {"maxSelect": limit})


def int_range(value: int, lo: int | None, hi: int | None) -> FieldError | None:
    """Min/max rules on an integer option. Like PocketBase's validation library, a zero value
    is "empty" and skips both checks."""
    if value == 0:
        return None
    if lo is not None and value < lo:
        return min_value(lo)
    if hi is not None and value > hi:
        return max_value(hi)
    return None


def regex_error(pattern: str) -> FieldError | None:
    """`validation_invalid_regex` with Go's parser message when the pattern does not compile."""
    if not pattern:
        return None
    try:
        compile_go_regex(pattern)
    except GoRegexError as exc:
        return field_error("validation_invalid_regex", str(exc))
    return None


def first_error(*checks: Callable[[], Any]) -> Any:
    """Run the rules of one option in order and return the first error (or None)."""
    for check in checks:
        err = check()
        if err:
            return err
    return None


def _check_name(name: str) -> FieldError | None:
    if not name:
        return required()
    err: FieldError | None = first_error(
        lambda: length(name, 1, 100),
        lambda: None if _FIELD_NAME_RE.fullmatch(name) else match_invalid(),
        lambda: not_in() if name in _EXCLUDED_NAMES else None,
        lambda: (
            field_error("validation_found_via", 'The value cannot contain "_via_".')
            if "_via_" in name.lower()
            else None
        ),
    )
    return err


def common_settings_errors(field: Field) -> ValidationErrors:
    """The `id`, `name` and (for types that have it) `help` checks of every field type."""
    errors: ValidationErrors = {}
    if not field.id:
        errors["id"] = required()
    elif err := length(field.id, 1, 100):
        errors["id"] = err
    if err := _check_name(field.name):
        errors["name"] = err
    help_text = getattr(field, "help", "")
    if isinstance(help_text, str) and (err := length(help_text, 1, 300)):
        errors["help"] = err
    return errors


def domain_list_errors(only: list[str], excepted: list[str]) -> ValidationErrors:
    """`onlyDomains` and `exceptDomains`: one of them must stay empty; every entry must be a
    domain (errors keyed by list index)."""
    errors: ValidationErrors = {}
    for option, values, other in (("exceptDomains", excepted, only), ("onlyDomains", only, excepted)):
        if other:
            if values:
                errors[option] = empty()
            continue
        bad = {
            str(i): field_error("validation_is_domain", "Must be a valid domain.")
            for i, v in enumerate(values)
            if v and not is_domain(v)
        }
        if bad:
            errors[option] = bad
    return errors
