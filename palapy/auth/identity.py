"""Finding the auth record an identity names, as PocketBase's password and email look-ups do.

A lookup compares the way the field's single-column UNIQUE index compares: exact by default,
case-insensitive with `COLLATE NOCASE`. An identity field without such an index never matches.
"""

from __future__ import annotations

from typing import Any

import apsw

from palapy.db.connection import query_one, quote_ident
from palapy.records.rows import fetch_record
from palapy.schema.indexes import find_single_column_unique_index
from palapy.schema.model import Collection
from palapy.tools.emails import is_email_format

__all__ = ["identity_fields", "find_record_by_identity", "find_auth_record_by_email", "any_password_hash"]


def identity_fields(collection: Collection) -> list[str]:
    """The configured identity fields (`passwordAuth.identityFields`)."""
    fields = collection.option_dict("passwordAuth").get("identityFields")
    return [f for f in fields if isinstance(f, str)] if isinstance(fields, list) else []


def _find_by_identity_field(
    conn: apsw.Connection, collection: Collection, field: str, value: str
) -> dict[str, Any] | None:
    """The record whose `field` equals `value`, compared as its single-column UNIQUE index
    compares (COLLATE NOCASE makes it case-insensitive). No such index means no match."""
    if field not in identity_fields(collection) or collection.field(field) is None:
        return None
    index = find_single_column_unique_index(collection.indexes, field)
    if index is None:
        return None
    table, column = quote_ident(collection.name), quote_ident(field)
    collate = " COLLATE NOCASE" if index.columns[0].collate.lower() == "nocase" else ""
    row = query_one(
        conn, f"SELECT {table}.`id` FROM {table} WHERE {table}.{column} = ?{collate} LIMIT 1", (value,)
    )
    return fetch_record(conn, collection, row["id"]) if row else None


def find_auth_record_by_email(
    conn: apsw.Connection, collection: Collection, email: str
) -> dict[str, Any] | None:
    """The auth record with this email; case-insensitive only when the email's unique index is NOCASE."""
    if not collection.is_auth or collection.field("email") is None:
        return None
    index = find_single_column_unique_index(collection.indexes, "email")
    table = quote_ident(collection.name)
    nocase = index is not None and index.columns[0].collate.lower() == "nocase"
    collate = " COLLATE NOCASE" if nocase else ""
    row = query_one(
        conn, f"SELECT {table}.`id` FROM {table} WHERE {table}.`email` = ?{collate} LIMIT 1", (email,)
    )
    return fetch_record(conn, collection, row["id"]) if row else None


def find_record_by_identity(
    conn: apsw.Connection, collection: Collection, identity: str, identity_field: str = ""
) -> dict[str, Any] | None:
    """The auth record an identity names: only `identity_field` when given, otherwise each
    identity field in turn with `email` first (skipped unless `identity` looks like an email)."""
    if identity_field:
        return _find_by_identity_field(conn, collection, identity_field, identity)
    fields = identity_fields(collection)
    # Email goes first (stable), as PocketBase does to stay compatible with older versions.
    fields = sorted(fields, key=lambda name: name != "email")
    for name in fields:
        if name == "email" and not is_email_format(identity):
            continue
        record = _find_by_identity_field(conn, collection, name, identity)
        if record is not None:
            return record
    return None


def any_password_hash(conn: apsw.Connection, collection: Collection) -> str | None:
    """The stored hash of any one record (for the timing-evening dummy check), or None."""
    table = quote_ident(collection.name)
    row = query_one(conn, f"SELECT {table}.`password` FROM {table} LIMIT 1")
    value = row["password"] if row else None
    return value if isinstance(value, str) else None
