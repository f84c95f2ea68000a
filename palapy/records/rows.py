"""Between SQLite rows and canonical record dicts; the plain record look-ups."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import apsw

from palapy.db.connection import quote_ident
from palapy.records._plan import plan_for
from palapy.schema.fields import FileField, PasswordField
from palapy.schema.model import Collection

__all__ = [
    "row_to_record",
    "RowSet",
    "query_rows",
    "query_records",
    "record_to_row",
    "empty_record",
    "fetch_record",
    "fetch_record_row",
    "fetch_records_by_ids",
    "find_record_by_field",
    "file_names",
]


def empty_record(collection: Collection) -> dict[str, Any]:
    """A new record: every field at its empty value (what PocketBase's NewRecord holds)."""
    return {f.name: f.empty_value() for f in collection.fields}


def row_to_record(collection: Collection, row: dict[str, Any]) -> dict[str, Any]:
    """Canonical values from a table row (columns missing from the row get the empty value;
    a password field keeps its stored hash, which never leaves the server)."""
    return plan_for(collection).row_to_record(row)


@dataclass(frozen=True)
class RowSet:
    """Rows of a SELECT as SQLite gave them, to be decoded into records later (possibly on
    another thread than the one that ran the query)."""

    collection: Collection
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]

    def records(self) -> list[dict[str, Any]]:
        """The canonical records, as `row_to_record` of each row would give them."""
        if not self.rows:
            return []
        decode = plan_for(self.collection).tuple_decoder(self.columns)
        return [decode(row) for row in self.rows]

    def api_records(self, show_hidden: bool) -> list[dict[str, Any]] | None:
        """The rows straight as API records without expansion (`record_to_api` of `records()`),
        skipping the canonical records; None for an auth collection (see `api_tuple_decoder`)."""
        decode = plan_for(self.collection).api_tuple_decoder(self.columns, show_hidden)
        if decode is None:
            return None
        return [decode(row) for row in self.rows]


def query_rows(conn: apsw.Connection, collection: Collection, sql: str, params: Sequence[Any] = ()) -> RowSet:
    """Run a SELECT of `collection`'s columns; decode the result with `RowSet.records()`."""
    cur = conn.execute(sql, params)
    try:
        columns = tuple(d[0] for d in cur.getdescription())
    except apsw.ExecutionCompleteError:
        return RowSet(collection, (), [])
    return RowSet(collection, columns, cur.fetchall())


def query_records(
    conn: apsw.Connection, collection: Collection, sql: str, params: Sequence[Any] = ()
) -> list[dict[str, Any]]:
    """Run a SELECT of `collection`'s columns and return canonical records, as `row_to_record`
    of each row would (decoded straight from the result tuples, without a dict per row)."""
    return query_rows(conn, collection, sql, params).records()


def record_to_row(collection: Collection, record: dict[str, Any]) -> dict[str, Any]:
    """Column values for INSERT/UPDATE (fields missing from `record` are left out)."""
    row: dict[str, Any] = {}
    for f in collection.fields:
        if f.name not in record:
            continue
        value = record[f.name]
        if isinstance(f, PasswordField):
            row[f.name] = value if isinstance(value, str) else ""
        else:
            row[f.name] = f.to_db(value)
    return row


def fetch_record(conn: apsw.Connection, collection: Collection, record_id: str) -> dict[str, Any] | None:
    """The stored record with canonical values (password hash and tokenKey included), or None."""
    found = fetch_record_row(conn, collection, record_id).records()
    return found[0] if found else None


def fetch_record_row(conn: apsw.Connection, collection: Collection, record_id: str) -> RowSet:
    """The stored row of `record_id` (none when it is missing), not yet decoded."""
    table = quote_ident(collection.name)
    return query_rows(
        conn, collection, f"SELECT {table}.* FROM {table} WHERE {table}.`id` = ? LIMIT 1", (record_id,)
    )


def fetch_records_by_ids(
    conn: apsw.Connection, collection: Collection, ids: list[str]
) -> list[dict[str, Any]]:
    """Records with the given ids (no particular order; missing ids are skipped)."""
    if not ids:
        return []
    table = quote_ident(collection.name)
    out: list[dict[str, Any]] = []
    # Stay well under SQLite's variable limit.
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        out.extend(
            query_records(
                conn, collection, f"SELECT {table}.* FROM {table} WHERE {table}.`id` IN ({marks})", chunk
            )
        )
    return out


def find_record_by_field(
    conn: apsw.Connection, collection: Collection, field: str, value: Any
) -> dict[str, Any] | None:
    """The first record (in rowid order) whose column `field` equals `value`, or None."""
    f = collection.field(field)
    if f is None:
        return None
    table = quote_ident(collection.name)
    db_value = value if isinstance(f, PasswordField) else f.to_db(value)
    found = query_records(
        conn,
        collection,
        f"SELECT {table}.* FROM {table} WHERE {table}.{quote_ident(field)} = ? LIMIT 1",
        (db_value,),
    )
    return found[0] if found else None


def file_names(collection: Collection, record: dict[str, Any]) -> dict[str, list[str]]:
    """Stored file names per file field (uploads not yet saved are skipped)."""
    out: dict[str, list[str]] = {}
    for f in collection.fields:
        if isinstance(f, FileField):
            value = record.get(f.name)
            items = value if isinstance(value, list) else [value]
            out[f.name] = [v for v in items if isinstance(v, str) and v]
    return out
