"""`number`: float64 values stored as NUMERIC; 0 is empty."""

from __future__ import annotations

import math
from typing import Any

from palapy.schema.fields._rules import common_settings_errors, required
from palapy.schema.fields.base import CommonField, SettingsContext, ValueContext
from palapy.tools.errors import FieldError, ValidationErrors, field_error
from palapy.tools.gocast import format_float_v, go_float, json_number

__all__ = ["NumberField"]

_INT64_LIMIT = 2.0**63


def _only_int_error() -> FieldError:
    return field_error("validation_only_int_constraint", "Decimal numbers are not allowed.")


def _is_int64(value: float) -> bool:
    """Go's `v == float64(int64(v))`: integral and inside the int64 range."""
    return value.is_integer() and -_INT64_LIMIT <= value < _INT64_LIMIT


def _min_error(limit: float | int) -> FieldError:
    return field_error(
        "validation_min_number_constraint",
        f"Must be greater or equal than {format_float_v(limit)}.",
        {"min": json_number(limit)},
    )


def _max_error(limit: float | int) -> FieldError:
    return field_error(
        "validation_max_number_constraint",
        f"Must be less or equal than {format_float_v(limit)}.",
        {"max": json_number(limit)},
    )


class NumberField(CommonField, tag="number", kw_only=True):
    max: int | float | None = None
    min: int | float | None = None
    onlyInt: bool = False

    def __post_init__(self) -> None:
        # Options print like Go's float64 (5, not 5.0).
        if self.min is not None:
            self.min = json_number(self.min)
        if self.max is not None:
            self.max = json_number(self.max)

    def column_definition(self) -> str:
        return "NUMERIC DEFAULT 0 NOT NULL"

    def empty_value(self) -> Any:
        return 0

    def normalize(self, value: Any) -> int | float:
        """Loose cast: `"12"`->12, `"1e3"`->1000, `true`->1, `"abc"`/null/arrays -> 0. Integral
        values come back as ints; NaN and infinities are kept for validation to reject."""
        return json_number(go_float(value))

    def to_db(self, value: Any) -> int | float:
        number = json_number(go_float(value))
        if isinstance(number, float) and not math.isfinite(number):
            return 0
        if isinstance(number, int) and not -(2**63) <= number < 2**63:
            return float(number)  # too large for an SQLite integer
        return number

    def from_db(self, raw: Any) -> int | float:
        return self.normalize(raw)

    def validate_value(self, value: Any, ctx: ValueContext) -> FieldError | None:
        number = go_float(value)
        if not math.isfinite(number):
            return field_error("validation_not_a_number", "The submitted number is not properly formatted.")
        if number == 0:
            return required() if self.required else None
        if self.onlyInt and not _is_int64(number):
            return _only_int_error()
        if self.min is not None and number < self.min:
            return _min_error(self.min)
        if self.max is not None and number > self.max:
            return _max_error(self.max)
        return None

    def validate_settings(self, ctx: SettingsContext) -> ValidationErrors:
        errors = common_settings_errors(self)
        if self.min is not None and self.onlyInt and not _is_int64(float(self.min)):
            errors["min"] = _only_int_error()
        if self.max is not None:
            if self.onlyInt and not _is_int64(float(self.max)):
                errors["max"] = _only_int_error()
            elif self.min is not None and self.max < self.min:
                errors["max"] = _min_error(self.min)
        return errors
