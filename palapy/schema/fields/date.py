"""`date`: PocketBase date text; unparseable input silently becomes empty."""

from __future__ import annotations

from typing import Any

from palapy.schema.fields._rules import common_settings_errors, required
from palapy.schema.fields._shapes import DateValues
from palapy.schema.fields.base import CommonField, SettingsContext, ValueContext
from palapy.tools.dates import normalize_datetime
from palapy.tools.errors import FieldError, ValidationErrors, field_error
from palapy.tools.godate import parse_go_time

__all__ = ["DateField"]


class DateField(DateValues, CommonField, tag="date", kw_only=True):
    max: str = ""
    min: str = ""

    def __post_init__(self) -> None:
        # PocketBase keeps the options as dates: "2025-01-02" is saved as "2025-01-02 00:00:00.000Z"
        # and an unparseable bound as "".
        self.min = normalize_datetime(self.min)
        self.max = normalize_datetime(self.max)

    def validate_value(self, value: Any, ctx: ValueContext) -> FieldError | None:
        moment = parse_go_time(value)
        if moment is None:
            return required() if self.required else None
        lower = parse_go_time(self.min)
        if lower is not None and moment < lower:
            return field_error(
                "validation_min_greater_equal_than_required",
                f"Must be no less than {lower.go_string()}.",
                {"threshold": lower.rfc3339()},
            )
        upper = parse_go_time(self.max)
        if upper is not None and moment > upper:
            return field_error(
                "validation_max_less_equal_than_required",
                f"Must be no greater than {upper.go_string()}.",
                {"threshold": upper.rfc3339()},
            )
        return None

    def validate_settings(self, ctx: SettingsContext) -> ValidationErrors:
        # PocketBase does not compare min with max (observed: min after max is accepted).
        return common_settings_errors(self)
