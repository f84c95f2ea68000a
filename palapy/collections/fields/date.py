"""`date`: PocketBase date text; unparseable input silently becomes empty."""

from __future__ import annotations

from palapy.collections.fields.base import CommonField

__all__ = ["DateField"]


class DateField(CommonField, tag="date", kw_only=True):
    max: str = ""
    min: str = ""
