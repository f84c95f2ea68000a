"""Field types, one module each, and the tagged union that decodes them."""

from __future__ import annotations

from typing import Any

import msgspec

from palapy.schema.fields.autodate import AutodateField
from palapy.schema.fields.base import CommonField, Field, SettingsContext, ValueContext
from palapy.schema.fields.boolean import BoolField
from palapy.schema.fields.date import DateField
from palapy.schema.fields.editor import EditorField
from palapy.schema.fields.email import EmailField
from palapy.schema.fields.file import FileField
from palapy.schema.fields.geopoint import GeoPointField
from palapy.schema.fields.json_field import JSONField
from palapy.schema.fields.number import NumberField
from palapy.schema.fields.password import PasswordField
from palapy.schema.fields.relation import RelationField
from palapy.schema.fields.select import SelectField
from palapy.schema.fields.text import TextField
from palapy.schema.fields.url import URLField

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
