"""The in-memory map of collections, reloaded after every collection change.

Lookups by id or name (names case-insensitively) never touch the database. `version` grows
on every reload, so caches keyed by it (compiled rules) invalidate themselves.
"""

from __future__ import annotations

import threading

import apsw

from palapy.db.connection import query_all
from palapy.schema.fields import RelationField
from palapy.schema.model import Collection

__all__ = ["CollectionRegistry", "load_collections"]


def load_collections(conn: apsw.Connection) -> list[Collection]:
    """Every row of `_collections`, in insertion (rowid) order."""
    return [Collection.from_row(r) for r in query_all(conn, "SELECT * FROM `_collections` ORDER BY rowid")]


class CollectionRegistry:
    """Collections by id and by lower-cased name."""

    def __init__(self) -> None:
        self._by_id: dict[str, Collection] = {}
        self._by_name: dict[str, Collection] = {}
        self._ordered: list[Collection] = []
        self.version = 0
        self._lock = threading.Lock()

    def replace(self, collections: list[Collection]) -> None:
        """Swap in a fresh list (called after each committed collection change)."""
        with self._lock:
            self._ordered = list(collections)
            self._by_id = {c.id: c for c in collections}
            self._by_name = {c.name.lower(): c for c in collections}
            self.version += 1

    def reload(self, conn: apsw.Connection) -> None:
        self.replace(load_collections(conn))

    def find(self, id_or_name: str) -> Collection | None:
        """A collection by id, or by name case-insensitively."""
        return self._by_id.get(id_or_name) or self._by_name.get(id_or_name.lower())

    def all(self) -> list[Collection]:
        return list(self._ordered)

    def referencing(self, collection_id: str) -> list[tuple[Collection, str]]:
        """(collection, relation field name) pairs whose relation points at `collection_id`."""

        out: list[tuple[Collection, str]] = []
        for c in self._ordered:
            for f in c.fields:
                if isinstance(f, RelationField) and f.collectionId == collection_id:
                    out.append((c, f.name))
        return out
