"""`relation`: one record id (maxSelect <= 1) or a JSON array of ids of `collectionId`."""

from __future__ import annotations

from typing import Any, ClassVar

from palapy.collections.fields.base import CommonField

__all__ = ["RelationField"]


class RelationField(CommonField, tag="relation", kw_only=True):
    cascadeDelete: bool = False
    collectionId: str = ""
    maxSelect: int = 0
    minSelect: int = 0

    multi_capable: ClassVar[bool] = True

    def is_multiple(self) -> bool:
        return self.maxSelect > 1

    def column_definition(self) -> str:
        return "JSON DEFAULT '[]' NOT NULL" if self.is_multiple() else "TEXT DEFAULT '' NOT NULL"

    def empty_value(self) -> Any:
        return [] if self.is_multiple() else ""
