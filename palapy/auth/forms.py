"""Binding a request body into a fixed form, as PocketBase binds its auth forms (Go structs).

Unlike record bodies (a free map, type-inferred), a form has known keys and types:
- JSON: the first value must be an object or null (trailing junk is ignored); keys match the
  form's names case-insensitively; a key repeated in any object, or two keys that fold to
  the same form name, is an error; a value of the wrong JSON type is an error; null keeps
  the default.
- multipart / urlencoded: keys match exactly, the first value wins, values are parsed for
  the field's type (no inference); each `@jsonPayload` part is then bound as JSON. Like Go's
  `Request.Form`, URL query values take part too: before multipart values, after urlencoded ones.
Any failure raises `FormLoadError`; callers answer it with their own 400 message.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from palapy.records.body import JSON_PAYLOAD_KEY, MSG_UNSUPPORTED_CONTENT_TYPE, parse_urlencoded
from palapy.tools.errors import ApiError
from palapy.tools.multipart import MultipartError, parse_multipart

__all__ = [
    "FormLoadError",
    "bind_form",
    "decode_json_value",
    "fold_equal",
    "FORM_STR",
    "FORM_INT",
    "FORM_BOOL",
    "FORM_STRS",
]

FORM_STR, FORM_INT, FORM_BOOL, FORM_STRS = "str", "int", "bool", "strs"
_ZERO: dict[str, Any] = {FORM_STR: "", FORM_INT: 0, FORM_BOOL: False, FORM_STRS: []}


class FormLoadError(ValueError):
    """The body could not be read into the form."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise FormLoadError(f"duplicate JSON object name {key!r}")
        out[key] = value
    return out


def _reject_constant(name: str) -> Any:
    raise FormLoadError(f"invalid JSON constant {name}")


_decoder = json.JSONDecoder(object_pairs_hook=_no_duplicates, parse_constant=_reject_constant)


def decode_json_value(text: str) -> Any:
    """The first JSON value of `text`, as PocketBase's binder reads it: trailing text ignored,
    a name repeated in any object and NaN/Infinity refused (FormLoadError)."""
    try:
        value, _ = _decoder.raw_decode(text.lstrip(" \t\r\n"))
    except json.JSONDecodeError as exc:
        raise FormLoadError(str(exc)) from exc
    return value


def fold_equal(a: str, b: str) -> bool:
    """Go's simple case folding, character by character (so `ß` never equals `ss`)."""
    return len(a) == len(b) and all(x == y or x.lower() == y.lower() for x, y in zip(a, b, strict=True))


def _json_value(kind: str, value: Any, name: str) -> Any:
    if kind == FORM_STR and isinstance(value, str):
        return value
    if kind == FORM_BOOL and isinstance(value, bool):
        return value
    if kind == FORM_INT and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind == FORM_STRS and isinstance(value, list) and all(isinstance(v, str | None) for v in value):
        return [v or "" for v in value]  # a null item stays Go's zero value
    raise FormLoadError(f"cannot unmarshal {type(value).__name__} into {name}")


def _bind_json(text: str, spec: Mapping[str, str], out: dict[str, Any]) -> None:
    value = decode_json_value(text)
    if value is None:
        return
    if not isinstance(value, dict):
        raise FormLoadError("the JSON body is not an object")
    seen: set[str] = set()
    for key, item in value.items():
        name = next((n for n in spec if fold_equal(key, n)), None)
        if name is None:
            continue
        if name in seen:
            raise FormLoadError(f"duplicate JSON object name {key!r}")
        seen.add(name)
        if item is not None:
            out[name] = _json_value(spec[name], item, name)


def _form_value(kind: str, raw: str) -> Any:
    if kind == FORM_STR:
        return raw
    if kind == FORM_BOOL:
        lowered = raw or "f"
        if lowered in ("1", "t", "T", "TRUE", "true", "True"):
            return True
        if lowered in ("0", "f", "F", "FALSE", "false", "False"):
            return False
        raise FormLoadError(f"invalid bool {raw!r}")
    try:
        return int(raw or "0", 0)
    except ValueError as exc:
        raise FormLoadError(f"invalid int {raw!r}") from exc


def _bind_values(values: Mapping[str, list[str]], spec: Mapping[str, str], out: dict[str, Any]) -> None:
    for name, kind in spec.items():
        items = values.get(name)
        if items:
            out[name] = list(items) if kind == FORM_STRS else _form_value(kind, items[0])
    for payload in values.get(JSON_PAYLOAD_KEY, []):
        _bind_json(payload, spec, out)


def _merged(first: Mapping[str, list[str]], then: Mapping[str, list[str]]) -> dict[str, list[str]]:
    out = {k: list(v) for k, v in first.items()}
    for key, values in then.items():
        out.setdefault(key, []).extend(values)
    return out


def bind_form(
    content_type: str, raw: bytes, spec: Mapping[str, str], query: Mapping[str, list[str]] | None = None
) -> dict[str, Any]:
    """Read `raw` into {name: value} for every name of `spec` (name -> FORM_STR/FORM_INT/FORM_BOOL,
    or FORM_STRS for a list of strings: every value of a form key).

    `query` holds the URL's query values (used with form bodies only). Missing keys hold the
    type's zero value. Raises FormLoadError for unreadable content and ApiError 400
    "Unsupported Content-Type." for a body of another type.
    """
    out: dict[str, Any] = {name: _ZERO[kind] if kind != FORM_STRS else [] for name, kind in spec.items()}
    if not raw:
        return out
    query = query or {}
    try:
        if content_type.startswith("application/json"):
            _bind_json(raw.decode("utf-8"), spec, out)
        elif content_type.startswith("multipart/form-data"):
            values: dict[str, list[str]] = {}
            for part in parse_multipart(raw, content_type):
                if part.filename is None:
                    values.setdefault(part.name, []).append(part.data.decode("utf-8", "replace"))
            _bind_values(_merged(query, values), spec, out)
        elif content_type.startswith("application/x-www-form-urlencoded"):
            _bind_values(_merged(parse_urlencoded(raw), query), spec, out)
        else:
            raise ApiError(400, MSG_UNSUPPORTED_CONTENT_TYPE)
    except (UnicodeDecodeError, MultipartError) as exc:
        raise FormLoadError(str(exc)) from exc
    except FormLoadError:
        raise
    except ValueError as exc:  # e.g. a bad percent-escape in a urlencoded body
        raise FormLoadError(str(exc)) from exc
    return out
