"""Blank collections as PocketBase builds them, and the field-list rules every save applies.

- `new_collection(type, name, id)` is PocketBase's `NewCollection`: a default id (`pbc_` + crc32),
  the system fields of the type and, for auth collections, the default options and indexes.
- `add_field(fields, field)` is `FieldsList.Add`: a field without id gets `type + crc32(name)` and
  replaces a same-named field in place; a field with an id replaces the field with that id.
- `init_default_fields(collection)` re-adds missing system fields and enforces their flags on
  every save (a PATCH that leaves out `id` gets it back), plus the unique indexes auth needs.
- `scaffolds()` answers `GET /api/collections/meta/scaffolds`.
"""

from __future__ import annotations

from typing import Any

from palapy.schema import system
from palapy.schema.fields import BoolField, EmailField, Field, PasswordField, TextField
from palapy.schema.indexes import parse_index
from palapy.schema.model import AUTH, BASE, VIEW, Collection
from palapy.tools.ids import ID_ALPHABET, collection_id, field_id, random_string

__all__ = [
    "new_collection",
    "add_field",
    "new_fields_list",
    "init_default_fields",
    "rename_index_ids",
    "scaffolds",
    "DEFAULT_ID_PATTERN",
]

DEFAULT_ID_PATTERN = "^[a-z0-9]+$"
# The auth system fields after `id`, in the order PocketBase appends the missing ones.
_AUTH_FIELD_TYPES: tuple[tuple[str, type[Field]], ...] = (
    ("password", PasswordField),
    ("tokenKey", TextField),
    ("email", EmailField),
    ("emailVisibility", BoolField),
    ("verified", BoolField),
)


def add_field(fields: list[Field], new: Field, pos: int = -1) -> None:
    """Insert `new` into `fields` the way PocketBase's `FieldsList.add` does (mutates both)."""
    replace_in_place = pos < 0
    if replace_in_place or pos > len(fields):
        pos = len(fields)
    replace_by_name = not new.id
    if replace_by_name:
        new.id = field_id(new.type, new.name, {f.id for f in fields})
    for i, current in enumerate(fields):
        same = (new.name != "" and current.name == new.name) if replace_by_name else current.id == new.id
        if not same:
            continue
        if replace_by_name:
            new.id = current.id  # a same-named field keeps its id: it is the same column
        if replace_in_place:
            fields[i] = new
            return
        del fields[i]
        pos = min(pos, len(fields))
        break
    fields.insert(pos, new)


def new_fields_list(fields: list[Field]) -> list[Field]:
    """`NewFieldsList(...)`: the fields re-added one by one (ids generated, duplicates merged)."""
    out: list[Field] = []
    for f in fields:
        add_field(out, f)
    return out


def rename_index_ids(collection: Collection, old_id: str, new_id: str) -> None:
    """Replace `old_id` inside index names (used when a generated collection id gets a suffix)."""
    for i, raw in enumerate(collection.indexes):
        parsed = parse_index(raw)
        renamed = parsed.index_name.replace(old_id, new_id) if old_id else parsed.index_name
        if renamed != parsed.index_name:
            parsed.index_name = renamed
            collection.indexes[i] = parsed.build()


def _default_system_field(name: str) -> Field:
    for f in system.auth_system_fields():
        if f.name == name:
            return f
    raise KeyError(name)


def _init_id_field(collection: Collection) -> None:
    current = collection.field("id")
    if not isinstance(current, TextField):
        default = system.id_field()
        default.id = ""
        collection.fields = new_fields_list([default, *collection.fields])
        return
    current.system = True
    current.required = True
    current.primaryKey = True
    current.hidden = False
    if not current.pattern:
        current.pattern = DEFAULT_ID_PATTERN


def _init_auth_field(collection: Collection, name: str, kind: type[Field]) -> None:
    current = collection.field(name)
    if not isinstance(current, kind):
        default = _default_system_field(name)
        default.id = ""  # so that a same-named field of another type is replaced in place
        add_field(collection.fields, default)
        return
    current.system = True
    if name in ("password", "tokenKey"):
        current.hidden = True
    if name == "email":
        current.hidden = False  # visibility is governed by emailVisibility
    if name in ("password", "tokenKey") and isinstance(current, PasswordField | TextField):
        current.required = True


def init_default_fields(collection: Collection) -> None:
    """Add the missing system fields of the collection's type and enforce their flags."""
    if collection.type == VIEW:
        return  # view fields come from the query
    _init_id_field(collection)
    if collection.type != AUTH:
        return
    for name, kind in _AUTH_FIELD_TYPES:
        _init_auth_field(collection, name, kind)
    system.ensure_auth_indexes(collection)


def new_collection(collection_type: str, name: str, id: str = "") -> Collection:
    """A blank collection of `collection_type` (unknown types build a base one, as in PocketBase)."""
    kind = collection_type if collection_type in (AUTH, VIEW) else BASE
    collection = Collection(id=id or collection_id(kind, name), name=name, type=kind)
    if kind == AUTH:
        collection.options = system.new_auth_options(name)
    elif kind == VIEW:
        collection.options = {"viewQuery": ""}
    init_default_fields(collection)
    return collection


def scaffolds() -> dict[str, Any]:
    """The three blank collections of the admin UI; auth index names share one random suffix."""
    suffix = random_string(10, ID_ALPHABET)
    out: dict[str, Any] = {}
    for kind in (AUTH, BASE, VIEW):
        blank = new_collection(kind, "", suffix)
        blank.id = ""
        out[kind] = blank.to_json()
    return out
