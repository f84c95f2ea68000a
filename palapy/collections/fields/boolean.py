"""`bool`: stored as 0/1; `required` means it must be true."""

from __future__ import annotations

from typing import Any

from palapy.collections.fields.base import CommonField

__all__ = ["BoolField"]


class BoolField(CommonField, tag="bool", kw_only=True):
    def column_definition(self) -> str:
        return "BOOLEAN DEFAULT FALSE NOT NULL"

    def empty_value(self) -> Any:
        return False
