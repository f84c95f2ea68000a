"""`text`: plain strings; the `id` field is a text field with `primaryKey`."""

from __future__ import annotations

from palapy.collections.fields.base import CommonField

__all__ = ["TextField"]


class TextField(CommonField, tag="text", kw_only=True):
    autogeneratePattern: str = ""
    max: int = 0
    min: int = 0
    pattern: str = ""
    primaryKey: bool = False

    def column_definition(self) -> str:
        if self.primaryKey:
            return "TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL"
        return "TEXT DEFAULT '' NOT NULL"
