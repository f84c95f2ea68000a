"""`autodate`: set by the server on create and/or update; submitted values are ignored."""

from __future__ import annotations

from palapy.collections.fields.base import Field

__all__ = ["AutodateField"]


class AutodateField(Field, tag="autodate", kw_only=True):
    onCreate: bool = True
    onUpdate: bool = False
