"""Value behaviour shared by the field types whose values have the same shape.

The mixins add methods only, never options: each type still declares its own options in its
module, so the struct layouts (and their JSON) are exactly the type's own. A mixin goes first
in the bases so that its methods replace `Field`'s defaults.
"""

from __future__ import annotations

from typing import Any, ClassVar

import msgspec

from palapy.schema.fields._rules import common_settings_errors, domain_list_errors
from palapy.schema.fields.base import CommonField, SettingsContext
from palapy.tools import jsonx
from palapy.tools.dates import normalize_datetime
from palapy.tools.errors import ValidationErrors
from palapy.tools.gocast import go_string, sqlite_text, unique_strings, unique_strings_of_text

__all__ = [
    "TextValues",
    "DateValues",
    "MultiValues",
    "StringListValues",
    "DomainListField",
]


class TextValues:
    """text, editor, email and url: one string."""

    __slots__ = ()

    def normalize(self, value: Any) -> str:
        """Anything becomes text: numbers as Go prints them, null/arrays/objects as `""`."""
        return go_string(value)

    def to_db(self, value: Any) -> str:
        return value if isinstance(value, str) else go_string(value)

    def from_db(self, raw: Any) -> str:
        return sqlite_text(raw)


class DateValues:
    """date and autodate: PocketBase's date text, `""` for anything that is not a date."""

    __slots__ = ()

    def normalize(self, value: Any) -> str:
        """`"2025-01-02"` -> `"2025-01-02 00:00:00.000Z"`; RFC 3339 and the other layouts Go's
        loose cast knows are converted to UTC; anything else (numbers too) becomes `""`."""
        return normalize_datetime(value)

    def to_db(self, value: Any) -> str:
        return normalize_datetime(value)

    def from_db(self, raw: Any) -> str:
        # PocketBase reads every column as text (see sqlite_text).
        return normalize_datetime(sqlite_text(raw))


class MultiValues:
    """select, relation and file: one value (maxSelect <= 1, a TEXT column) or a list of
    values (a JSON column)."""

    __slots__ = ()
    maxSelect: int
    multi_capable: ClassVar[bool] = True

    def is_multiple(self) -> bool:
        return self.maxSelect > 1

    def column_definition(self) -> str:
        return "JSON DEFAULT '[]' NOT NULL" if self.is_multiple() else "TEXT DEFAULT '' NOT NULL"

    def empty_value(self) -> Any:
        return [] if self.is_multiple() else ""


def _pick_values(value: Any, multiple: bool) -> list[str] | str:
    """The canonical value of a select or relation: a de-duplicated list, or (single) the last
    value or `""`. A string is one value (no comma splitting), or a JSON array of strings."""
    # A text (every stored value) is decoded once and remembered (see unique_strings_of_text).
    values = unique_strings_of_text(value) if type(value) is str else unique_strings(value)
    if multiple:
        return list(values)
    return values[-1] if values else ""


class StringListValues(MultiValues):
    """select and relation: strings, stored as the single value or a compact JSON array."""

    __slots__ = ()

    def normalize(self, value: Any) -> list[str] | str:
        return _pick_values(value, self.is_multiple())

    def to_db(self, value: Any) -> str:
        picked = _pick_values(value, self.is_multiple())
        return jsonx.encode(picked).decode() if isinstance(picked, list) else picked

    def from_db(self, raw: Any) -> list[str] | str:
        return _pick_values(sqlite_text(raw), self.is_multiple())


class DomainListField(TextValues, CommonField, kw_only=True):
    """email and url: one string, optionally limited to `onlyDomains` or excluding
    `exceptDomains` (at most one of the two lists may be set)."""

    exceptDomains: list[str] = msgspec.field(default_factory=list)
    onlyDomains: list[str] = msgspec.field(default_factory=list)

    def domain_allowed(self, domain: str) -> bool:
        """False when the domain is outside `onlyDomains` (if set) or in `exceptDomains`."""
        if self.onlyDomains and domain not in self.onlyDomains:
            return False
        return domain not in self.exceptDomains

    def validate_settings(self, ctx: SettingsContext) -> ValidationErrors:
        errors = common_settings_errors(self)
        errors.update(domain_list_errors(self.onlyDomains, self.exceptDomains))
        return errors
