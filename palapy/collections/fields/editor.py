"""`editor`: rich text (HTML) with a byte size limit (0 = 5 MiB)."""

from __future__ import annotations

from palapy.collections.fields.base import CommonField

__all__ = ["EditorField"]


class EditorField(CommonField, tag="editor", kw_only=True):
    convertURLs: bool = False
    maxSize: int = 0
