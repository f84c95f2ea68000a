"""Loose casts with Go's `spf13/cast` results, for the places the records layer casts itself."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

__all__ = ["to_string", "to_float", "to_unique_strings"]


def _float_text(value: float) -> str:
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "+Inf" if value > 0 else "-Inf"
    return format(Decimal(repr(value)).normalize(), "f")


def to_string(value: Any) -> str:
    """`cast.ToString`: scalars print as Go prints them; anything else becomes `""`."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return ""


def to_float(value: Any) -> float:
    """`cast.ToFloat64`: numbers, bools and numeric strings; anything else is 0."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip()) if value.strip() and "_" not in value else 0.0
        except ValueError:
            return 0.0
    return 0.0


def to_unique_strings(value: Any) -> list[str]:
    """`list.ToUniqueStringSlice`: a string (or a JSON array text) or a list -> unique non-empty strings."""
    items: list[Any]
    if value is None:
        items = []
    elif isinstance(value, str):
        if value == "":
            items = []
        elif "[" in value:
            try:
                decoded = json.loads(value)
            except ValueError:
                decoded = None
            if isinstance(decoded, list) and all(isinstance(v, str) for v in decoded):
                items = decoded
            else:
                items = [value]
        else:
            items = [value]
    elif isinstance(value, list | tuple):
        items = [to_string(v) if not isinstance(v, str) else v for v in value]
    else:
        items = []
    out: list[str] = []
    seen: set[str] = set()
    for item in items:
        if item == "" or item in seen:
            continue
        seen.add(item)
        out.append(item)
    return out
