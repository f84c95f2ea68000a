"""Field types, one module each, and the tagged union that decodes them."""

from __future__ import annotations

from typing import Any

import msgspec

from palapy.collections.fields.autodate import AutodateField
from palapy.collections.fields.base import CommonField, Field, SettingsContext, ValueContext
from palapy.collections.fields.boolean import BoolField
from palapy.collections.fields.date import DateField
from palapy.collections.fields.editor import EditorField
from palapy.collections.fields.email import EmailField
from palapy.collections.fields.file import FileField
from palapy.collections.fields.geopoint import GeoPointField
from palapy.collections.fields.json_field import JSONField
from palapy.collections.fields.number import NumberField
from palapy.collections.fields.password import PasswordField
from palapy.collections.fields.relation import RelationField
from palapy.collections.fields.select import SelectField
from palapy.collections.fields.text import TextField
from palapy.collections.fields.url import URLField

__all__ = [
    "AnyField",
    "AutodateField",
    "BoolField",
    "CommonField",
    "DateField",
    "EditorField",
    "EmailField",
    "Field",
    "FileField",
    "GeoPointField",
    "JSONField",
    "NumberField",
    "PasswordField",
    "RelationField",
    "SelectField",
    "SettingsContext",
    "TextField",
    "URLField",
    "ValueContext",
    "FIELD_TYPES",
    "decode_fields",
    "convert_fields",
]

AnyField = (
    TextField
    | NumberField
    | BoolField
    | EmailField
    | URLField
    | EditorField
    | DateField
    | AutodateField
    | SelectField
    | FileField
    | RelationField
    | JSONField
    | PasswordField
    | GeoPointField
)

FIELD_TYPES: dict[str, type[Field]] = {
    cls.__struct_config__.tag: cls  # type: ignore[misc]
    for cls in (
        TextField,
        NumberField,
        BoolField,
        EmailField,
        URLField,
        EditorField,
        DateField,
        AutodateField,
        SelectField,
        FileField,
        RelationField,
        JSONField,
        PasswordField,
        GeoPointField,
    )
}

_fields_decoder = msgspec.json.Decoder(list[AnyField])


def decode_fields(raw: bytes | str) -> list[Field]:
    """Decode a JSON array of field objects (from `_collections.fields`)."""
    return list(_fields_decoder.decode(raw))


def convert_fields(items: Any) -> list[Field]:
    """Convert already-decoded field dicts (from an API body); raises msgspec.ValidationError."""
    return list(msgspec.convert(items, list[AnyField]))
