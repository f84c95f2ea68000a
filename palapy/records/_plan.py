"""Per-collection work done once instead of once per record: the field decoders of a row and
the key layout of an API record.

A plan is found by the collection's *shape* (its id, name, type and, per field, the field
object, its name and `hidden` flag), not by the collection object, so a collection that is
reloaded or changed in place simply gets another plan; nothing can go stale. Field options that
are not part of the shape (say a select's `maxSelect`) need no key: the plan calls the field
objects' own methods, which read their options when they run.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from threading import Lock
from typing import Any

from palapy.records._rowcode import (
    BOOL,
    DATE,
    NUMBER,
    OTHER,
    TEXT,
    Column,
    Constant,
    Expand,
    Factory,
    RecordSource,
    RecordValue,
    Source,
    compile_decoder,
    compile_serializer,
)
from palapy.schema.fields import BoolField, DateField, Field, NumberField, PasswordField, TextField
from palapy.schema.model import Collection
from palapy.tools.dates import normalize_datetime

__all__ = ["CollectionPlan", "plan_for", "ALWAYS_HIDDEN"]

# Auth internals that never leave the server.
ALWAYS_HIDDEN = ("password", "tokenKey")
_MAX_PLANS = 256

# An API key's source: a field (value from the record), or a fixed value of the collection.
_FIELD, _PASSWORD, _COLLECTION_ID, _COLLECTION_NAME, _EXPAND = range(5)


def _password_from_db(raw: Any) -> Any:
    # The stored hash stays as it is; it never leaves the server.
    return raw if isinstance(raw, str) else ""


_EXACT_INT = 2**53


def _decoder(f: Field) -> tuple[str, Callable[[Any], Any]]:
    """(kind, decode): `f.from_db`, short-cut for the storage type its column normally holds,
    where the field's own conversion is known to give that value back (checked by the field's
    method, so a type that changes its `from_db` simply loses the short cut). `kind` names the
    short cut, which generated decoders write inline (see `_rowcode`)."""
    generic = f.from_db
    impl: Any = type(f).from_db
    # The text and date value shapes are shared by several types (email, url, editor; autodate).
    if impl is TextField.from_db:  # text as text
        return TEXT, lambda raw: raw if type(raw) is str else generic(raw)
    if impl is DateField.from_db:  # dates are text; only the date check remains
        return DATE, lambda raw: normalize_datetime(raw) if type(raw) is str else generic(raw)
    if impl is BoolField.from_db:  # 0/1, read as text: only "1" is true
        return BOOL, lambda raw: raw == 1 if type(raw) is int else generic(raw)
    if impl is NumberField.from_db:  # integers a float64 holds exactly come back unchanged
        return (
            NUMBER,
            lambda raw: raw if type(raw) is int and -_EXACT_INT <= raw <= _EXACT_INT else generic(raw),
        )
    return OTHER, generic


@dataclass(frozen=True, eq=False)
class _ApiLayout:
    """The API record's keys in output (alphabetical) order, for one `show_hidden` value."""

    # (key, source kind, field or None); the email key of an auth collection is conditional.
    keys: tuple[tuple[str, int, Field | None], ...]


class CollectionPlan:
    """What row decoding and API serialisation need of one collection shape."""

    __slots__ = (
        "collection_id",
        "collection_name",
        "is_auth",
        "decoders",
        "_kinds",
        "_layouts",
        "_tuple_decoders",
        "_api_decoders",
        "_serializers",
        "body_setters",
    )

    def __init__(self, collection: Collection) -> None:
        self.collection_id = collection.id
        self.collection_name = collection.name
        self.is_auth = collection.is_auth
        decoders: list[tuple[str, Callable[[Any], Any], Field]] = []
        kinds: dict[str, str] = {}
        for f in collection.fields:
            kind, decode = (OTHER, _password_from_db) if isinstance(f, PasswordField) else _decoder(f)
            decoders.append((f.name, decode, f))
            kinds[f.name] = kind
        self.decoders: tuple[tuple[str, Callable[[Any], Any], Field], ...] = tuple(decoders)
        self._kinds = kinds
        self._layouts = (self._layout(collection, False), self._layout(collection, True))
        self._tuple_decoders: dict[tuple[str, ...], Callable[[tuple[Any, ...]], dict[str, Any]]] = {}
        self._api_decoders: dict[
            tuple[tuple[str, ...], bool], Callable[[tuple[Any, ...]], dict[str, Any]]
        ] = {}
        # (show_hidden, with expand) -> serialiser, for collections whose records all show alike.
        self._serializers: dict[tuple[bool, bool], Callable[[dict[str, Any], Any], dict[str, Any]]] = {}
        # Body key -> (field, setter) or None, filled by records.modifiers as keys arrive.
        self.body_setters: dict[str, Any] = {}

    @staticmethod
    def _layout(collection: Collection, show_hidden: bool) -> _ApiLayout:
        # The same assignments as a plain dict build would make, in the same order (so a field
        # named like a system key is overridden by it), then sorted by key.
        entries: dict[str, tuple[int, Field | None]] = {}
        for f in collection.fields:
            if f.hidden and not show_hidden:
                continue
            entries[f.name] = (_PASSWORD if isinstance(f, PasswordField) else _FIELD, f)
        if collection.is_auth:
            for name in ALWAYS_HIDDEN:
                entries.pop(name, None)
        entries["collectionId"] = (_COLLECTION_ID, None)
        entries["collectionName"] = (_COLLECTION_NAME, None)
        entries["expand"] = (_EXPAND, None)
        return _ApiLayout(tuple((k, kind, f) for k, (kind, f) in sorted(entries.items())))

    def row_to_record(self, row: dict[str, Any]) -> dict[str, Any]:
        """Canonical values from a row dict (columns missing from it get the empty value)."""
        record: dict[str, Any] = {}
        for name, decode, f in self.decoders:
            record[name] = decode(row[name]) if name in row else f.empty_value()
        return record

    def tuple_decoder(self, columns: tuple[str, ...]) -> Callable[[tuple[Any, ...]], dict[str, Any]]:
        """A function turning a result row (a tuple in `columns` order) into a canonical record."""
        found = self._tuple_decoders.get(columns)
        if found is None:
            found = self._tuple_decoders[columns] = self._make_tuple_decoder(columns)
        return found

    def _column(self, name: str, index: int, decode: Callable[[Any], Any]) -> Column:
        return Column(index, self._kinds[name], decode)

    def _make_tuple_decoder(self, columns: tuple[str, ...]) -> Callable[[tuple[Any, ...]], dict[str, Any]]:
        index = {name: i for i, name in enumerate(columns)}
        # Fields the query selected, then the missing ones at their empty value (as a row dict
        # missing a column decodes in `row_to_record`).
        present: list[tuple[str, Source]] = [
            (name, self._column(name, index[name], decode))
            for name, decode, _ in self.decoders
            if name in index
        ]
        missing: list[tuple[str, Source]] = [
            (name, Factory(f.empty_value)) for name, _, f in self.decoders if name not in index
        ]
        return compile_decoder(present + missing, len(columns))

    def api_tuple_decoder(
        self, columns: tuple[str, ...], show_hidden: bool
    ) -> Callable[[tuple[Any, ...]], dict[str, Any]] | None:
        """A function turning a result row straight into the API record, as `to_api` of the
        decoded row would (no expansion), without the canonical record in between. None for
        an auth collection, whose email visibility depends on each record."""
        if self.is_auth:
            return None
        found = self._api_decoders.get((columns, show_hidden))
        if found is None:
            found = self._api_decoders[(columns, show_hidden)] = self._make_api_decoder(columns, show_hidden)
        return found

    def _make_api_decoder(
        self, columns: tuple[str, ...], show_hidden: bool
    ) -> Callable[[tuple[Any, ...]], dict[str, Any]]:
        index = {name: i for i, name in enumerate(columns)}
        decode_by_name = {name: decode for name, decode, _ in self.decoders}
        # In the API's key order; `expand` is left out (no expansion here).
        entries: list[tuple[str, Source]] = []
        for key, kind, f in self._layouts[show_hidden].keys:
            if kind == _FIELD and f is not None:
                if f.name in index:
                    entries.append((key, self._column(f.name, index[f.name], decode_by_name[f.name])))
                else:
                    entries.append((key, Factory(f.empty_value)))
            elif kind == _PASSWORD:
                entries.append((key, Constant("")))
            elif kind == _COLLECTION_ID:
                entries.append((key, Constant(self.collection_id)))
            elif kind == _COLLECTION_NAME:
                entries.append((key, Constant(self.collection_name)))
        return compile_decoder(entries, len(columns))

    def _make_serializer(
        self, show_hidden: bool, with_expand: bool
    ) -> Callable[[dict[str, Any], Any], dict[str, Any]]:
        entries: list[tuple[str, RecordSource]] = []
        for key, kind, f in self._layouts[show_hidden].keys:
            if kind == _FIELD and f is not None:
                entries.append((key, RecordValue(key, f.empty_value)))
            elif kind == _PASSWORD:
                entries.append((key, Constant("")))
            elif kind == _COLLECTION_ID:
                entries.append((key, Constant(self.collection_id)))
            elif kind == _COLLECTION_NAME:
                entries.append((key, Constant(self.collection_name)))
            elif with_expand:
                entries.append((key, Expand()))
        return compile_serializer(entries)

    def to_api(
        self,
        record: dict[str, Any],
        *,
        show_hidden: bool = False,
        show_email: bool = False,
        expand: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The record as the API returns it (see `serialize.record_to_api`)."""
        if not self.is_auth:  # no per-record email rule: a generated serialiser
            variant = (show_hidden, expand is not None)
            found = self._serializers.get(variant)
            if found is None:
                found = self._serializers[variant] = self._make_serializer(*variant)
            return found(record, expand)
        hide_email = not show_email and not record.get("emailVisibility")
        out: dict[str, Any] = {}
        for key, kind, f in self._layouts[show_hidden].keys:
            if kind == _FIELD:
                if hide_email and key == "email":
                    continue
                out[key] = record[key] if key in record else f.empty_value()  # type: ignore[union-attr]
            elif kind == _COLLECTION_ID:
                out[key] = self.collection_id
            elif kind == _COLLECTION_NAME:
                out[key] = self.collection_name
            elif kind == _PASSWORD:
                if not (hide_email and key == "email"):
                    # PocketBase exports a password field's plain value, which is empty once saved.
                    out[key] = ""
            elif expand is not None:
                out[key] = expand
        return out


_plans: OrderedDict[tuple[Any, ...], CollectionPlan] = OrderedDict()
_lock = Lock()


def plan_for(collection: Collection) -> CollectionPlan:
    """The plan of `collection`'s current shape (built on first use, kept for the next ones)."""
    shape = (
        collection.id,
        collection.name,
        collection.type,
        *[(id(f), f.name, f.hidden) for f in collection.fields],
    )
    plan = _plans.get(shape)
    if plan is not None:
        return plan
    plan = CollectionPlan(collection)
    with _lock:
        _plans[shape] = plan
        while len(_plans) > _MAX_PLANS:
            _plans.popitem(last=False)
    return plan
