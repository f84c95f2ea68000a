"""`email`: a single address, optionally limited to or excluding domains."""

from __future__ import annotations

import msgspec

from palapy.collections.fields.base import CommonField

__all__ = ["EmailField"]


class EmailField(CommonField, tag="email", kw_only=True):
    exceptDomains: list[str] = msgspec.field(default_factory=list)
    onlyDomains: list[str] = msgspec.field(default_factory=list)
