"""`1640988000_aux_init.go`: the `_logs` table of auxiliary.db (recreated whenever it is missing)."""

from __future__ import annotations

import apsw

from palapy.db.connection import query_all
from palapy.migrations._ddl import RANDOM_ID_PK, TIMESTAMP_DEFAULT, aligned_create_table
from palapy.migrations.runner import SystemMigration

__all__ = ["MIGRATION"]

_LOGS_COLUMNS = (
    ("id", RANDOM_ID_PK),
    ("level", "INTEGER DEFAULT 0 NOT NULL"),
    ("message", 'TEXT DEFAULT "" NOT NULL'),
    ("data", 'JSON DEFAULT "{}" NOT NULL'),
    ("created", TIMESTAMP_DEFAULT),
)


def _up(conn: apsw.Connection) -> None:
    conn.execute(
        aligned_create_table("_logs", _LOGS_COLUMNS, 5).replace(
            "CREATE TABLE", "CREATE TABLE IF NOT EXISTS", 1
        )
    )
    conn.execute("CREATE INDEX IF NOT EXISTS idx_logs_level on `_logs` (`level`)")
    conn.execute("CREATE INDEX IF NOT EXISTS idx_logs_message on `_logs` (`message`)")
    conn.execute(
        "CREATE INDEX IF NOT EXISTS idx_logs_created_hour on `_logs` (strftime('%Y-%m-%d %H:00:00', `created`))"
    )


def _logs_missing(conn: apsw.Connection) -> bool:
    return not query_all(conn, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND LOWER(name) = '_logs'")


MIGRATION = SystemMigration("1640988000_aux_init.go", _up, aux=True, reapply=_logs_missing)
