"""`number`: float64 values stored as NUMERIC; 0 is empty."""

from __future__ import annotations

from typing import Any

from palapy.collections.fields.base import CommonField

__all__ = ["NumberField"]


class NumberField(CommonField, tag="number", kw_only=True):
    max: float | None = None
    min: float | None = None
    onlyInt: bool = False

    def column_definition(self) -> str:
        return "NUMERIC DEFAULT 0 NOT NULL"

    def empty_value(self) -> Any:
        return 0
