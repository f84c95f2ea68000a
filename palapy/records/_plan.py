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

from palapy.collections.fields import Field, PasswordField
from palapy.collections.model import Collection

__all__ = ["CollectionPlan", "plan_for", "ALWAYS_HIDDEN"]

# Auth internals that never leave the server.
ALWAYS_HIDDEN = ("password", "tokenKey")
_MAX_PLANS = 256

# An API key's source: a field (value from the record), or a fixed value of the collection.
_FIELD, _PASSWORD, _COLLECTION_ID, _COLLECTION_NAME, _EXPAND = range(5)


def _password_from_db(raw: Any) -> Any:
    # The stored hash stays as it is; it never leaves the server.
    return raw if isinstance(raw, str) else ""


@dataclass(frozen=True, eq=False)
class _ApiLayout:
    """The API record's keys in output (alphabetical) order, for one `show_hidden` value."""

    # (key, source kind, field or None); the email key of an auth collection is conditional.
    keys: tuple[tuple[str, int, Field | None], ...]


class CollectionPlan:
    """What row decoding and API serialisation need of one collection shape."""

    __slots__ = ("collection_id", "collection_name", "is_auth", "decoders", "_layouts", "_tuple_decoders")

    def __init__(self, collection: Collection) -> None:
        self.collection_id = collection.id
        self.collection_name = collection.name
        self.is_auth = collection.is_auth
        decoders: list[tuple[str, Callable[[Any], Any], Field]] = []
        for f in collection.fields:
            decode = _password_from_db if isinstance(f, PasswordField) else f.from_db
            decoders.append((f.name, decode, f))
        self.decoders: tuple[tuple[str, Callable[[Any], Any], Field], ...] = tuple(decoders)
        self._layouts = (self._layout(collection, False), self._layout(collection, True))
        self._tuple_decoders: dict[tuple[str, ...], Callable[[tuple[Any, ...]], dict[str, Any]]] = {}

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

    def _make_tuple_decoder(self, columns: tuple[str, ...]) -> Callable[[tuple[Any, ...]], dict[str, Any]]:
        index = {name: i for i, name in enumerate(columns)}
        present = tuple((name, index[name], decode) for name, decode, _ in self.decoders if name in index)
        missing = tuple((name, f) for name, _, f in self.decoders if name not in index)

        def decode_row(row: tuple[Any, ...]) -> dict[str, Any]:
            record = {name: decode(row[i]) for name, i, decode in present}
            for name, f in missing:
                record[name] = f.empty_value()
            return record

        def decode_full_row(row: tuple[Any, ...]) -> dict[str, Any]:
            return {name: decode(row[i]) for name, i, decode in present}

        return decode_row if missing else decode_full_row

    def to_api(
        self,
        record: dict[str, Any],
        *,
        show_hidden: bool = False,
        show_email: bool = False,
        expand: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """The record as the API returns it (see `serialize.record_to_api`)."""
        hide_email = self.is_auth and not show_email and not record.get("emailVisibility")
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
