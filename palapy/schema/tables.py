"""Keeping the SQLite schema in step with a collection: the DDL of create, update and delete.

`sync_schema(conn, old, new)` runs inside the caller's write transaction and issues the same
statements, in the same order, as PocketBase 0.40 does, so the table SQL that SQLite keeps in
`sqlite_master` comes out identical (SQLite itself rewrites renamed identifiers with double quotes):

- create: `CREATE TABLE` with the columns sorted by name, then the indexes;
- update: drop the old indexes, rename the table, drop removed columns (matched by field id),
  add new columns and rename changed ones through a temporary name, rewrite single<->multiple
  values, recreate the indexes;
- delete: `DROP TABLE` / `DROP VIEW`;
- views: `CREATE VIEW name AS SELECT * FROM (query)`, the id column cast to TEXT when needed.
"""

from __future__ import annotations

import apsw

from palapy.db.connection import query_all, quote_ident
from palapy.schema.indexes import (
    index_ddl,
    normalize_index,
    parse_index,
    split_top_level,
    unique_index_columns,
)
from palapy.schema.model import Collection
from palapy.tools.ids import random_string

__all__ = [
    "sync_schema",
    "create_table_sql",
    "normalize_index",
    "normalize_view_query",
    "unique_index_columns",
    "has_table",
    "IndexesError",
    "ViewQueryError",
    "sqlite_error_text",
]

q = quote_ident

# sqlite3_errstr() of the primary result codes that DDL can produce; Go's SQLite driver
# prefixes its messages with them ("SQL logic error: no such column: x (1)").
_ERRSTR = {
    1: "SQL logic error",
    5: "database is locked",
    6: "database table is locked",
    8: "attempt to write a readonly database",
    11: "database disk image is malformed",
    13: "database or disk is full",
    18: "string or blob too big",
    19: "constraint failed",
    20: "datatype mismatch",
}


def sqlite_error_text(exc: apsw.Error) -> str:
    """An APSW error worded like PocketBase's driver: `<errstr>: <message> (<extended code>)`."""
    code = int(getattr(exc, "result", 1) or 1)
    extended = int(getattr(exc, "extendedresult", code) or code)
    message = str(exc.args[0]) if exc.args else str(exc)
    return f"{_ERRSTR.get(code & 0xFF, 'SQL logic error')}: {message} ({extended})"


class IndexesError(Exception):
    """Some indexes could not be created; `errors` maps the index position to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"indexes.{k}: {v}" for k, v in errors.items()))
        self.errors = errors

    def validation_errors(self) -> dict[str, dict[str, dict[str, str]]]:
        """`{"indexes": {"0": {"code": ..., "message": ...}}}` as PocketBase answers it."""
        return {
            "indexes": {
                k: {"code": "validation_invalid_index_expression", "message": v}
                for k, v in self.errors.items()
            }
        }


class ViewQueryError(ValueError):
    """The view query cannot be turned into a view (multiple statements, SQL errors)."""


# -- helpers -------------------------------------------------------------------


def has_table(conn: apsw.Connection, name: str) -> bool:
    """Whether a table or view called `name` exists (case-insensitive, like SQLite names)."""
    rows = query_all(
        conn,
        "SELECT 1 FROM sqlite_schema WHERE type IN ('table', 'view') AND LOWER(name) = LOWER(?) LIMIT 1",
        (name,),
    )
    return bool(rows)


def create_table_sql(collection: Collection) -> str:
    """`CREATE TABLE` for a base/auth collection: columns sorted by name, as PocketBase's builder does."""
    columns = sorted((f.name, f.column_definition()) for f in collection.fields)
    body = ", ".join(f"{q(name)} {definition}" for name, definition in columns)
    return f"CREATE TABLE {q(collection.name)} ({body})"


def _fields_signature(c: Collection) -> list[dict[str, object]]:
    return [f.to_json() for f in c.fields]


def _drop_indexes(conn: apsw.Connection, collection: Collection) -> None:
    for raw in collection.indexes:
        name = parse_index(raw).index_name
        if not name:
            raise IndexesError({"0": f"Failed to drop index - missing index name: {raw}"})
        conn.execute(f"DROP INDEX IF EXISTS {q(name)}")


def _create_indexes(conn: apsw.Connection, collection: Collection) -> None:
    errors: dict[str, str] = {}
    for i, raw in enumerate(collection.indexes):
        try:
            sql = index_ddl(raw, collection.name)
        except ValueError:
            errors[str(i)] = "Invalid CREATE INDEX expression."
            continue
        try:
            conn.execute(sql)
        except apsw.Error as exc:
            name = parse_index(raw).index_name
            errors[str(i)] = f"Failed to create index {name} - {sqlite_error_text(exc)}."
    if errors:
        raise IndexesError(errors)


# -- views ---------------------------------------------------------------------


def normalize_view_query(query: str) -> str:
    """Trim spaces and `;`; reject several statements (ViewQueryError)."""

    query = query.strip().strip(";")
    if len(split_top_level(query, ";")) > 1:
        raise ViewQueryError("multiple statements are not supported")
    return query


def _view_columns(conn: apsw.Connection, name: str) -> list[dict[str, object]]:
    rows = query_all(conn, f"PRAGMA table_info({q(name)})")
    if not rows:
        raise ViewQueryError(f"no such view or table: {name}")
    return rows


def _save_view(conn: apsw.Connection, name: str, query: str) -> None:
    """(Re)create view `name`; a broken query (unknown table or column) raises ViewQueryError."""
    conn.execute(f"DROP VIEW IF EXISTS {q(name)}")
    query = normalize_view_query(query)
    try:
        # The extra SELECT discourages smuggling further statements, as in PocketBase.
        conn.execute(f"CREATE VIEW {q(name)} AS SELECT * FROM ({query})")
        _view_columns(conn, name)  # missing tables/columns only fail when the view is read
    except (apsw.Error, ViewQueryError) as exc:
        conn.execute(f"DROP VIEW IF EXISTS {q(name)}")
        if isinstance(exc, ViewQueryError):
            raise
        raise ViewQueryError(sqlite_error_text(exc)) from exc


def _view_query_with_text_id(conn: apsw.Connection, query: str) -> str:
    """Wrap the query so that `id` is TEXT (record ids are strings) unless it already is."""
    query = normalize_view_query(query)
    temp = "_temp_" + random_string(6)
    _save_view(conn, temp, query)
    try:
        info = _view_columns(conn, temp)
    finally:
        conn.execute(f"DROP VIEW IF EXISTS {q(temp)}")
    for row in info:
        if str(row["name"]).lower() == "id" and str(row["type"]).upper() == "TEXT":
            return query
    columns = [
        f"CAST({q(str(r['name']))} as TEXT) {q(str(r['name']))}" if r["name"] == "id" else q(str(r["name"]))
        for r in info
    ]
    return f"SELECT {','.join(columns)} FROM ({query})"


def _sync_view(conn: apsw.Connection, old: Collection | None, new: Collection) -> None:
    if old is not None:
        conn.execute(f"DROP VIEW IF EXISTS {q(old.name)}")
    _save_view(conn, new.name, _view_query_with_text_id(conn, new.view_query))


# -- single <-> multiple -------------------------------------------------------

_TO_MULTIPLE = (
    "UPDATE {t} SET {c} = (CASE WHEN COALESCE({o}, '') = '' THEN '[]' ELSE ("
    "CASE WHEN json_valid({o}) AND json_type({o}) == 'array' THEN {o} ELSE json_array({o}) END) END)"
)
# Keeps the last value; files of a former multiple file field stay on disk for custom handling.
_TO_SINGLE = (
    "UPDATE {t} SET {c} = (CASE WHEN COALESCE({o}, '[]') = '[]' THEN '' ELSE ("
    "CASE WHEN json_valid({o}) AND json_type({o}) == 'array' THEN COALESCE(json_extract({o}, '$[#-1]'), '') "
    "ELSE {o} END) END)"
)


def _rewrite_single_multiple(conn: apsw.Connection, old: Collection, new: Collection) -> None:
    for field in new.fields:
        before = old.field_by_id(field.id)
        was_multiple = before.is_multiple() if before is not None else False
        if was_multiple == field.is_multiple():
            continue
        # Views may reference the column: drop them meanwhile, restore them after the rewrite.
        views = query_all(conn, "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND type = 'view'")
        for view in views:
            conn.execute(f"DROP VIEW IF EXISTS {q(str(view['name']))}")
        temp = "_" + field.name + random_string(5)
        table = q(new.name)
        conn.execute(f"ALTER TABLE {table} RENAME COLUMN {q(field.name)} TO {q(temp)}")
        conn.execute(f"ALTER TABLE {table} ADD COLUMN {q(field.name)} {field.column_definition()}")
        template = _TO_MULTIPLE if field.is_multiple() else _TO_SINGLE
        conn.execute(template.format(t=table, c=q(field.name), o=q(temp)))
        conn.execute(f"ALTER TABLE {table} DROP COLUMN {q(temp)}")
        for view in views:
            conn.execute(str(view["sql"]))


# -- the entry point -----------------------------------------------------------


def _create(conn: apsw.Connection, new: Collection) -> None:
    conn.execute(create_table_sql(new))
    _create_indexes(conn, new)


def _update(conn: apsw.Connection, old: Collection, new: Collection) -> None:
    table = q(new.name)
    rename_table = old.name.lower() != new.name.lower()
    indexes_changed = (
        rename_table
        or _fields_signature(old) != _fields_signature(new)
        or list(old.indexes) != list(new.indexes)
    )
    if indexes_changed:
        _drop_indexes(conn, old)
    if rename_table:
        conn.execute(f"ALTER TABLE {q(old.name)} RENAME TO {table}")
    for field in old.fields:
        if new.field_by_id(field.id) is None:
            conn.execute(f"ALTER TABLE {table} DROP COLUMN {q(field.name)}")
    # New and renamed columns go through a temporary name, so that swapped names never collide.
    to_rename: list[tuple[str, str]] = []
    for field in new.fields:
        before = old.field_by_id(field.id)
        if before is None:
            temp = field.name + random_string(5)
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {q(temp)} {field.column_definition()}")
            to_rename.append((temp, field.name))
        elif before.name != field.name:
            temp = field.name + random_string(5)
            conn.execute(f"ALTER TABLE {table} RENAME COLUMN {q(before.name)} TO {q(temp)}")
            to_rename.append((temp, field.name))
    for temp, name in to_rename:
        conn.execute(f"ALTER TABLE {table} RENAME COLUMN {q(temp)} TO {q(name)}")
    _rewrite_single_multiple(conn, old, new)
    if indexes_changed:
        _create_indexes(conn, new)


def sync_schema(conn: apsw.Connection, old: Collection | None, new: Collection | None) -> None:
    """Apply the DDL that turns collection `old` into `new` (None = absent) on `conn`.

    Run it inside a write transaction, after the collection row itself was validated. Raises
    IndexesError (per-index messages), ViewQueryError, or apsw.Error for other SQL failures.
    """
    if new is None:
        if old is not None:
            kind = "VIEW" if old.is_view else "TABLE"
            conn.execute(f"DROP {kind} IF EXISTS {q(old.name)}")
        return
    if new.is_view:
        _sync_view(conn, old, new)
        return
    if old is None or not has_table(conn, old.name):
        _create(conn, new)
        return
    _update(conn, old, new)
