"""Writing `_collections` rows together with their tables, for system migrations.

The collections API validates and normalises what users send; system migrations build their
collections in code, already in final form, and only need the row and the DDL.
"""

from __future__ import annotations

import apsw

from palapy.db.connection import query_one
from palapy.schema.model import Collection
from palapy.schema.tables import sync_schema
from palapy.tools import dates

__all__ = ["insert_collection", "update_collection", "find_collection"]

_COLUMNS = (
    "id", "system", "type", "name", "fields", "indexes", "listRule", "viewRule",
    "createRule", "updateRule", "deleteRule", "options", "created", "updated",
)  # fmt: skip


def find_collection(conn: apsw.Connection, name_or_id: str) -> Collection | None:
    """A collection by exact id or case-insensitive name, read from `_collections`."""
    row = query_one(
        conn, "SELECT * FROM `_collections` WHERE id = ? OR LOWER(name) = LOWER(?)", (name_or_id, name_or_id)
    )
    return Collection.from_row(row) if row else None


def insert_collection(conn: apsw.Connection, collection: Collection) -> None:
    """Insert the row (stamping created/updated when empty) and create its table and indexes."""
    now = dates.now()
    collection.created = collection.created or now
    collection.updated = collection.updated or now
    row = collection.to_row()
    placeholders = ", ".join("?" for _ in _COLUMNS)
    names = ", ".join(f"`{c}`" for c in _COLUMNS)
    conn.execute(f"INSERT INTO `_collections` ({names}) VALUES ({placeholders})", [row[c] for c in _COLUMNS])
    sync_schema(conn, None, collection)


def update_collection(conn: apsw.Connection, old: Collection, new: Collection) -> None:
    """Save `new` over `old` (bumping `updated`, as every PocketBase save does) and sync the table."""
    new.updated = dates.now()
    row = new.to_row()
    sets = ", ".join(f"`{c}` = ?" for c in _COLUMNS if c != "id")
    conn.execute(
        f"UPDATE `_collections` SET {sets} WHERE id = ?",
        [row[c] for c in _COLUMNS if c != "id"] + [old.id],
    )
    sync_schema(conn, old, new)
