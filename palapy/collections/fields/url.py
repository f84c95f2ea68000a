"""`url`: a single absolute URL, optionally limited to or excluding hosts."""

from __future__ import annotations

import msgspec

from palapy.collections.fields.base import CommonField

__all__ = ["URLField"]


class URLField(CommonField, tag="url", kw_only=True):
    exceptDomains: list[str] = msgspec.field(default_factory=list)
    onlyDomains: list[str] = msgspec.field(default_factory=list)
