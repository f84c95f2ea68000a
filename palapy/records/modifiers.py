"""Field modifiers in create/update bodies: `field+`, `+field`, `field-`, `field:autogenerate`.

`resolve_modifiers(collection, data, base)` mirrors PocketBase's ReplaceModifiers: keys are
applied shortest first against a working copy of `base` (the stored record on update, the
empty record on create); every key that names a field, with or without a modifier, is
replaced by the field's resolved canonical value; other keys pass through untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from palapy.records._plan import plan_for
from palapy.schema.fields import (
    AutodateField,
    Field,
    FileField,
    NumberField,
    PasswordField,
    RelationField,
    SelectField,
    TextField,
)
from palapy.schema.fields.file import file_items
from palapy.schema.model import Collection
from palapy.tools.gocast import go_float, go_string, unique_strings

__all__ = ["resolve_modifiers", "normalize_value", "AUTOGENERATE_SUFFIX"]

AUTOGENERATE_SUFFIX = ":autogenerate"
_UNSEEN: Any = object()
_MAX_KEYS = 256
_LIST_TYPES = (SelectField, RelationField, FileField)

Setter = Callable[[dict[str, Any], Any], None]


def normalize_value(field: Field, value: Any) -> Any:
    """The canonical value a plain `field` key sets (files keep their pending uploads;
    passwords stay plain text here and are hashed when the record is loaded)."""
    if isinstance(field, PasswordField):
        return go_string(value)
    return field.normalize(value)


def _as_list(field: Field, value: Any) -> list[Any]:
    if isinstance(field, FileField):
        return file_items(value)
    return list(unique_strings(value))


def _unique(items: list[Any]) -> list[Any]:
    out: list[Any] = []
    seen: set[str] = set()
    for item in items:
        if isinstance(item, str):
            if item in seen:
                continue
            seen.add(item)
        out.append(item)
    return out


def _subtract(field: Field, current: Any, removed: Any) -> list[Any]:
    drop = set(unique_strings(removed))
    return [v for v in _as_list(field, current) if not (isinstance(v, str) and v in drop)]


def _setter(collection: Collection, key: str) -> tuple[Field, Setter] | None:
    """The field a body key targets and how to apply it, or None for unknown keys."""
    field = collection.field(key)
    if field is not None:
        if isinstance(field, AutodateField):
            return field, lambda work, raw: None  # submitted autodate values are ignored

        def set_plain(work: dict[str, Any], raw: Any, f: Field = field) -> None:
            work[f.name] = normalize_value(f, raw)

        return field, set_plain

    if key.endswith(AUTOGENERATE_SUFFIX):
        field = collection.field(key[: -len(AUTOGENERATE_SUFFIX)])
        if isinstance(field, TextField):

            def autogenerate(work: dict[str, Any], raw: Any, f: TextField = field) -> None:
                value = go_string(raw)
                try:
                    value = f.autogenerate(value)
                except ValueError:
                    pass  # PocketBase ignores the generator's error here
                work[f.name] = f.normalize(value)

            return field, autogenerate
        return None

    if key.startswith("+"):
        field = collection.field(key[1:])
        if isinstance(field, _LIST_TYPES):

            def prepend(work: dict[str, Any], raw: Any, f: Field = field) -> None:
                work[f.name] = normalize_value(f, _unique(_as_list(f, raw) + _as_list(f, work.get(f.name))))

            return field, prepend
        return None

    if key.endswith("+") or key.endswith("-"):
        field = collection.field(key[:-1])
        adding = key.endswith("+")
        if isinstance(field, NumberField):

            def arith(work: dict[str, Any], raw: Any, f: NumberField = field, add: bool = adding) -> None:
                current = go_float(work.get(f.name))
                delta = go_float(raw)
                work[f.name] = f.normalize(current + delta if add else current - delta)

            return field, arith
        if isinstance(field, _LIST_TYPES):
            if adding:

                def append(work: dict[str, Any], raw: Any, f: Field = field) -> None:
                    work[f.name] = normalize_value(
                        f, _unique(_as_list(f, work.get(f.name)) + _as_list(f, raw))
                    )

                return field, append

            def remove(work: dict[str, Any], raw: Any, f: Field = field) -> None:
                work[f.name] = normalize_value(f, _subtract(f, work.get(f.name), raw))

            return field, remove
    return None


def resolve_modifiers(collection: Collection, data: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """Apply `data` (modifier keys included) over `base`; returns a new dict of resolved values."""
    if not data:
        return dict(data)
    out = dict(data)
    work = dict(base)
    known: dict[str, tuple[Field, Setter] | None] = plan_for(collection).body_setters
    for key in sorted(data, key=len):
        found = known.get(key, _UNSEEN)
        if found is _UNSEEN:
            found = _setter(collection, key)
            if len(known) < _MAX_KEYS:  # arbitrary client keys must not grow it without end
                known[key] = found
        if found is None:
            continue
        field, apply = found
        apply(work, data[key])
        del out[key]
        out[field.name] = work.get(field.name, field.empty_value())
    return out
