"""`json`: any JSON value in a nullable JSON column (null when never set)."""

from __future__ import annotations

from typing import Any

from palapy.collections.fields.base import CommonField

__all__ = ["JSONField"]


class JSONField(CommonField, tag="json", kw_only=True):
    maxSize: int = 0

    def column_definition(self) -> str:
        return "JSON DEFAULT NULL"

    def empty_value(self) -> Any:
        return None
