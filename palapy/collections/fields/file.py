"""`file`: one filename (maxSelect <= 1) or a JSON array of filenames in record storage."""

from __future__ import annotations

from typing import Any, ClassVar

import msgspec

from palapy.collections.fields.base import CommonField

__all__ = ["FileField"]


class FileField(CommonField, tag="file", kw_only=True):
    maxSelect: int = 0
    maxSize: int = 0
    mimeTypes: list[str] = msgspec.field(default_factory=list)
    protected: bool = False
    thumbs: list[str] = msgspec.field(default_factory=list)

    multi_capable: ClassVar[bool] = True

    def is_multiple(self) -> bool:
        return self.maxSelect > 1

    def column_definition(self) -> str:
        return "JSON DEFAULT '[]' NOT NULL" if self.is_multiple() else "TEXT DEFAULT '' NOT NULL"

    def empty_value(self) -> Any:
        return [] if self.is_multiple() else ""
