"""`1778828400_normalize_indexes.go`: bring indexes made outside the collection into its `indexes`.

For every non-system table collection, indexes that exist in SQLite but not in the collection's
list are dropped and, unless they duplicate the forced auth indexes or an existing definition,
added to the list. Every such collection is then re-saved, which normalises stored index table
names and bumps `updated` (as PocketBase's re-save does).
"""

from __future__ import annotations

import apsw

from palapy.db.connection import query_all, quote_ident
from palapy.migrations._store import update_collection
from palapy.migrations.runner import MigrationError, SystemMigration
from palapy.schema.indexes import ParsedIndex, normalize_index, parse_index
from palapy.schema.model import Collection
from palapy.schema.registry import load_collections
from palapy.schema.system import ensure_auth_indexes

__all__ = ["MIGRATION", "resave_indexes"]


def _same_name(a: str, b: str) -> bool:
    return a.lower() == b.lower()


def _missing_index(conn: apsw.Connection, collection: Collection, missing: ParsedIndex) -> str | None:
    """Drop an unlisted SQLite index; the SQL to list it with, or None when it is redundant."""
    sql = missing.build()
    if not sql:
        raise MigrationError(f"failed to rebuild index {missing.index_name} of {collection.name}")
    conn.execute(f"DROP INDEX IF EXISTS {quote_ident(missing.index_name)}")
    names = [c.name.lower() for c in missing.columns]
    if collection.is_auth and missing.unique and names in (["tokenkey"], ["email"]):
        return None
    for raw in collection.indexes:
        listed = parse_index(raw)
        listed.index_name, listed.schema_name, listed.table_name = (
            missing.index_name,
            missing.schema_name,
            missing.table_name,
        )
        if listed.build() == sql:
            return None
    return sql


def _normalized(raw: str, table: str) -> str:
    try:
        return normalize_index(raw, table)
    except ValueError:
        return raw  # left for the validator to report, as PocketBase does


def resave_indexes(conn: apsw.Connection, collection: Collection) -> None:
    """Adopt unlisted SQLite indexes into `collection` and re-save it."""
    master = query_all(
        conn,
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL AND name NOT LIKE 'sqlite_autoindex_%'",
        (collection.name,),
    )
    if not master and not collection.indexes:
        return
    listed_names = [parse_index(raw).index_name for raw in collection.indexes]
    new = collection.clone()
    for row in master:
        parsed = parse_index(str(row["sql"]))
        parsed.schema_name, parsed.table_name = "", collection.name
        if any(name and _same_name(name, parsed.index_name) for name in listed_names):
            continue
        sql = _missing_index(conn, collection, parsed)
        if sql is not None:
            new.indexes.append(sql)
    new.indexes = [_normalized(raw, new.name) for raw in new.indexes]
    if new.is_auth:
        ensure_auth_indexes(new)
    update_collection(conn, collection, new)


def _up(conn: apsw.Connection) -> None:
    for collection in load_collections(conn):
        if collection.system or collection.is_view:
            continue
        resave_indexes(conn, collection)


MIGRATION = SystemMigration("1778828400_normalize_indexes.go", _up)
