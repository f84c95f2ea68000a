"""The field contract shared by every field type.

A field is a msgspec Struct tagged by `type`; its JSON (the same in the API and in
`_collections.fields`) is the struct's keys in alphabetical order. Behaviour per type:

- `column_definition()`  the SQLite column type and default, exactly as PocketBase writes it;
- `empty_value()`        the API value of an empty field (`""`, `0`, `false`, `[]`, `null`, ...);
- `normalize(value)`     loose cast of submitted input into the canonical API value (PocketBase's
                         "prepare"); never raises for odd input, like PocketBase;
- `validate_value(value, ctx)`  a FieldError for the canonical value, or None;
- `to_db(value)` / `from_db(raw)`  between canonical API values and SQLite storage;
- `validate_settings(ctx)`  option errors when the collection is saved ({option: FieldError}).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

import msgspec

from palapy.tools.errors import FieldError, ValidationErrors
from palapy.tools.gocast import json_number

if TYPE_CHECKING:  # a Collection holds Fields: the model imports this module
    import apsw

    from palapy.schema.model import Collection

__all__ = ["Field", "CommonField", "ValueContext", "SettingsContext", "MULTI_SENTINEL"]

MULTI_SENTINEL = object()


@dataclass
class ValueContext:
    """What a field may look at while validating a record value."""

    conn: apsw.Connection
    collection: Collection
    find_collection: Any  # Callable[[str], Collection | None] (by id or name)
    record: dict[str, Any]
    original: dict[str, Any] | None = None
    is_superuser: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_new(self) -> bool:
        return self.original is None


@dataclass
class SettingsContext:
    """What a field may look at while its options are validated on collection save."""

    collection: Collection
    original: Collection | None
    find_collection: Any  # Callable[[str], Collection | None]


class Field(msgspec.Struct, tag_field="type", kw_only=True, dict=True):
    """Options every field type has. Subclasses set `tag=` to their PocketBase type name."""

    id: str = ""
    name: str = ""
    system: bool = False
    hidden: bool = False
    presentable: bool = False

    # Types whose stored value may be a JSON array.
    multi_capable: ClassVar[bool] = False

    @property
    def type(self) -> str:
        return str(type(self).__struct_config__.tag)

    def to_json(self) -> dict[str, Any]:
        """The field's JSON object with keys sorted, as PocketBase serialises it."""
        data: dict[str, Any] = msgspec.to_builtins(self)
        data["type"] = self.type
        # Go prints float64 options such as a number field's `min: 5` without `.0`.
        for key, value in data.items():
            if isinstance(value, float):
                data[key] = json_number(value)
        return dict(sorted(data.items()))

    def is_multiple(self) -> bool:
        """True when the API value is a list (select/file/relation with maxSelect > 1)."""
        return False

    # -- behaviour, overridden per type ---------------------------------------
    def column_definition(self) -> str:
        return "TEXT DEFAULT '' NOT NULL"

    def empty_value(self) -> Any:
        return ""

    def normalize(self, value: Any) -> Any:
        return value

    def validate_value(self, value: Any, ctx: ValueContext) -> FieldError | None:
        return None

    def to_db(self, value: Any) -> Any:
        return value

    def from_db(self, raw: Any) -> Any:
        return raw

    def validate_settings(self, ctx: SettingsContext) -> ValidationErrors:
        return {}


class CommonField(Field, kw_only=True):
    """Every type except autodate also has `help` and `required`."""

    help: str = ""
    required: bool = False
