"""`password`: plain text in, a hash out; never returned by the API."""

from __future__ import annotations

from palapy.collections.fields.base import CommonField

__all__ = ["PasswordField"]


class PasswordField(CommonField, tag="password", kw_only=True):
    cost: int = 0
    max: int = 0
    min: int = 0
    pattern: str = ""
