"""Opening APSW connections configured the way PocketBase configures its SQLite pool."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import apsw

__all__ = ["open_connection", "query_all", "query_one", "quote_ident"]

# Order matters: busy_timeout first so that the WAL switch waits for other processes.
PRAGMAS = (
    "PRAGMA busy_timeout = 10000",
    "PRAGMA journal_mode = WAL",
    "PRAGMA journal_size_limit = 200000000",
    "PRAGMA synchronous = NORMAL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA temp_store = MEMORY",
    "PRAGMA cache_size = -32000",
    # Read pages straight from the OS page cache instead of copying them into each connection's
    # own cache: the readers then share one copy of the hot pages (docs/performance.md). File
    # format and results are unaffected.
    "PRAGMA mmap_size = 268435456",
)


def open_connection(path: str, *, readonly: bool = False) -> apsw.Connection:
    """Open `path` with PocketBase's pragmas and SQLite's defensive mode (as PocketBase 0.40 does)."""
    flags = apsw.SQLITE_OPEN_READONLY if readonly else apsw.SQLITE_OPEN_READWRITE | apsw.SQLITE_OPEN_CREATE
    conn = apsw.Connection(path, flags=flags | apsw.SQLITE_OPEN_URI)
    conn.setbusytimeout(10000)
    for pragma in PRAGMAS:
        if readonly and "journal_mode" in pragma:
            continue
        conn.execute(pragma)
    conn.config(apsw.SQLITE_DBCONFIG_DEFENSIVE, 1)
    return conn


def query_all(
    conn: apsw.Connection, sql: str, params: Sequence[Any] | dict[str, Any] = ()
) -> list[dict[str, Any]]:
    """Run a SELECT and return rows as dicts keyed by column name."""
    cur = conn.execute(sql, params)
    try:
        names = [d[0] for d in cur.getdescription()]
    except apsw.ExecutionCompleteError:
        return []
    return [dict(zip(names, row, strict=True)) for row in cur]


def query_one(
    conn: apsw.Connection, sql: str, params: Sequence[Any] | dict[str, Any] = ()
) -> dict[str, Any] | None:
    """The first row of a SELECT as a dict, or None."""
    rows = query_all(conn, sql + " LIMIT 1" if "limit" not in sql.lower() else sql, params)
    return rows[0] if rows else None


def quote_ident(name: str) -> str:
    """Quote an SQL identifier with backticks (names are validated as `^\\w+$` before they get here)."""
    return "`" + name.replace("`", "``") + "`"
