"""Loading a submitted collection JSON onto a Collection, as PocketBase 0.40 (Go JSON v2) does.

- Keys are case-sensitive; unknown keys are ignored; values must have the right JSON type
  (`"5"` is not a number, `2.0` is not an integer), else `BodyFormatError`.
- `null` resets a key to its zero value; nested option objects are merged key by key; arrays
  (and `fields` in particular) replace the previous value entirely.
- Every field starts from its type's zero values (not the previous options), so a PATCH with
  `fields` fully redefines each field; ids are generated for fields without one.
"""

from __future__ import annotations

import copy
import json
import types
import typing
from typing import Any, Union

import msgspec

from palapy.collections.scaffolds import add_field
from palapy.schema.fields import FIELD_TYPES, Field
from palapy.schema.model import AUTH_OPTION_KEYS, RULE_NAMES, Collection

__all__ = [
    "BodyFormatError",
    "apply_collection_body",
    "decode_field",
    "decode_fields_list",
    "AUTH_OPTIONS_SCHEMA",
]


class BodyFormatError(ValueError):
    """The submitted JSON does not fit the collection shape."""


# Leaf markers of the option schema.
_STR, _BOOL, _INT, _OPT_STR, _OPT_BOOL, _OBJECT = "str", "bool", "int", "str?", "bool?", "object"

_TEMPLATE = {"subject": _STR, "body": _STR}
_TOKEN = {"secret": _STR, "duration": _INT}
_PROVIDER = {
    "pkce": _OPT_BOOL,
    "name": _STR,
    "clientId": _STR,
    "clientSecret": _STR,
    "authURL": _STR,
    "tokenURL": _STR,
    "userInfoURL": _STR,
    "displayName": _STR,
    "extra": _OBJECT,  # a Go map: null and absent both serialise as {}
}
# The auth options, in PocketBase's struct order (the order they are stored and returned in).
AUTH_OPTIONS_SCHEMA: dict[str, Any] = {
    "authRule": _OPT_STR,
    "manageRule": _OPT_STR,
    "authAlert": {"enabled": _BOOL, "emailTemplate": _TEMPLATE},
    "oauth2": {
        "providers": [_PROVIDER],
        "mappedFields": {"id": _STR, "name": _STR, "username": _STR, "avatarURL": _STR},
        "enabled": _BOOL,
    },
    "passwordAuth": {"enabled": _BOOL, "identityFields": [_STR]},
    "mfa": {"enabled": _BOOL, "duration": _INT, "rule": _STR},
    "otp": {"enabled": _BOOL, "duration": _INT, "length": _INT, "emailTemplate": _TEMPLATE},
    "authToken": _TOKEN,
    "passwordResetToken": _TOKEN,
    "emailChangeToken": _TOKEN,
    "verificationToken": _TOKEN,
    "fileToken": _TOKEN,
    "verificationTemplate": _TEMPLATE,
    "resetPasswordTemplate": _TEMPLATE,
    "confirmEmailChangeTemplate": _TEMPLATE,
}
assert tuple(AUTH_OPTIONS_SCHEMA) == AUTH_OPTION_KEYS


def zero_value(schema: Any) -> Any:
    """The Go zero value of a schema node (a struct becomes an object of zero values)."""
    if isinstance(schema, dict):
        return {k: zero_value(v) for k, v in schema.items()}
    if isinstance(schema, list):
        return []
    return {_STR: "", _BOOL: False, _INT: 0, _OBJECT: {}}.get(schema)


def _leaf(value: Any, kind: str, path: str) -> Any:
    if value is None:
        return zero_value(kind)
    ok = {
        _STR: isinstance(value, str),
        _OPT_STR: isinstance(value, str),
        _BOOL: isinstance(value, bool),
        _OPT_BOOL: isinstance(value, bool),
        _INT: isinstance(value, int) and not isinstance(value, bool),
        _OBJECT: isinstance(value, dict),
    }[kind]
    if not ok:
        raise BodyFormatError(f"invalid value at {path}")
    return copy.deepcopy(value)


def merge(current: Any, value: Any, schema: Any, path: str = "$") -> Any:
    """`value` (decoded JSON) unmarshalled over `current` following `schema`."""
    if isinstance(schema, dict):
        if value is None:
            return zero_value(schema)
        if not isinstance(value, dict):
            raise BodyFormatError(f"expected an object at {path}")
        base = current if isinstance(current, dict) else {}
        out = {k: copy.deepcopy(base.get(k, zero_value(sub))) for k, sub in schema.items()}
        for k, sub in schema.items():
            if k in value:
                out[k] = merge(out[k], value[k], sub, f"{path}.{k}")
        # Keep keys palapy does not model (forward compatibility with newer pb_data).
        for k, v in base.items():
            out.setdefault(k, copy.deepcopy(v))
        return out
    if isinstance(schema, list):
        if value is None:
            return []
        if not isinstance(value, list):
            raise BodyFormatError(f"expected an array at {path}")
        return [merge(None, item, schema[0], f"{path}[{i}]") for i, item in enumerate(value)]
    return _leaf(value, schema, path)


def complete_auth_options(options: dict[str, Any]) -> dict[str, Any]:
    """Every auth option key present (zero values for missing ones), in PocketBase's order."""
    completed: dict[str, Any] = merge(options, {}, AUTH_OPTIONS_SCHEMA)
    return completed


# -- fields --------------------------------------------------------------------


def _zero_for(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (Union, types.UnionType) and type(None) in typing.get_args(annotation):
        return None
    if annotation is bool:
        return False
    if annotation is int:
        return 0
    if annotation is float:
        return 0.0
    if annotation is str:
        return ""
    if annotation is list or origin is list:
        return []
    return None


def _field_zero_values(cls: type[Field]) -> dict[str, Any]:
    return {info.name: _zero_for(info.type) for info in msgspec.structs.fields(cls)}


def decode_field(item: Any, path: str = "") -> Field:
    """One field object: its type's zero values overlaid with the submitted keys."""
    if not isinstance(item, dict):
        raise BodyFormatError(f"expected a field object at {path}")
    kind = item.get("type")
    cls = FIELD_TYPES.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raw = json.dumps(item, separators=(",", ":"), ensure_ascii=False)
        raise BodyFormatError(
            f'json: unable to unmarshal JSON object into Go core.fieldWithType within "{path}": '
            f"missing or unknown field type in {raw}"
        )
    zero = _field_zero_values(cls)
    data = dict(zero)
    for key, value in item.items():
        if key in zero:
            data[key] = zero[key] if value is None else value
    data["type"] = kind
    try:
        field: Field = msgspec.convert(data, cls)
    except msgspec.ValidationError as exc:
        raise BodyFormatError(f"{exc} at {path}") from exc
    return field


def decode_fields_list(value: Any) -> list[Field]:
    """A submitted `fields` array, each field added in turn like `FieldsList.UnmarshalJSON`."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise BodyFormatError("expected an array of fields")
    out: list[Field] = []
    for i, item in enumerate(value):
        add_field(out, decode_field(item, f"/fields/{i}"))
    return out


# -- the collection ------------------------------------------------------------

_PLAIN_STRINGS = ("id", "name", "type")
_DATES = ("created", "updated")


def apply_collection_body(collection: Collection, data: Any) -> None:
    """Unmarshal `data` over `collection` in place; raises BodyFormatError (nothing half-applied)."""
    if not isinstance(data, dict):
        raise BodyFormatError("expected a JSON object")
    staged = collection.clone()
    for key in _PLAIN_STRINGS:
        if key in data:
            setattr(staged, key, _leaf(data[key], _STR, key))
    for key in RULE_NAMES:
        if key in data:
            setattr(staged, key, _leaf(data[key], _OPT_STR, key))
    for key in _DATES:
        if key in data:
            _leaf(data[key], _STR, key)  # type-checked, then ignored: the server sets them
    if "system" in data:
        staged.system = _leaf(data["system"], _BOOL, "system")
    if "indexes" in data:
        staged.indexes = merge(None, data["indexes"], [_STR], "indexes")
    if "fields" in data:
        staged.fields = decode_fields_list(data["fields"])
    options = dict(staged.options)
    if "viewQuery" in data:
        options["viewQuery"] = _leaf(data["viewQuery"], _STR, "viewQuery")
    submitted_auth = {k: data[k] for k in AUTH_OPTION_KEYS if k in data}
    if submitted_auth:
        # Like PocketBase, auth options are decoded (and type-checked) whatever the type;
        # only an auth collection keeps them.
        merged = merge(
            {k: options.get(k) for k in AUTH_OPTION_KEYS if k in options}, submitted_auth, AUTH_OPTIONS_SCHEMA
        )
        options.update({k: merged[k] for k in submitted_auth})
    staged.options = options
    # Copy back only now, so that a format error leaves the original untouched.
    for name in ("id", "name", "type", "system", "indexes", "fields", "options", *RULE_NAMES):
        setattr(collection, name, getattr(staged, name))
