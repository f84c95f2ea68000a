"""Running PocketBase's system migrations, recorded in data.db's `_migrations` like PocketBase.

The recorded file names are PocketBase's own (`1640988000_init.go`, ...), so PocketBase opening a
palapy-made `pb_data` finds nothing to migrate, and palapy opening a PocketBase-made one only runs
what is missing. Rows palapy does not know are left alone, except newer-looking system ones
(`*.go` with a later timestamp): those mean the data dir was written by a newer program.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import apsw

from palapy.core import App
from palapy.core.settings import ensure_settings
from palapy.db.connection import query_all
from palapy.schema.tables import IndexesError

__all__ = [
    "SystemMigration",
    "MigrationError",
    "run_system_migrations",
    "applied_migrations",
    "record_applied",
    "forget_applied",
    "MIGRATIONS_TABLE",
]

MIGRATIONS_TABLE = "_migrations"
SYSTEM_SUFFIX = ".go"


class MigrationError(RuntimeError):
    """A data dir palapy cannot bring up to date; the message is one line for the shell user."""


@dataclass(frozen=True)
class SystemMigration:
    """One system migration. `aux` ones run on auxiliary.db but are recorded in data.db.

    `reapply(conn)` (on the database the migration runs on) may ask for an applied migration to
    run again, e.g. when auxiliary.db was deleted.
    """

    file: str
    up: Callable[[apsw.Connection], None]
    aux: bool = False
    reapply: Callable[[apsw.Connection], bool] | None = None

    @property
    def timestamp(self) -> int:
        return _timestamp(self.file)


def _timestamp(file: str) -> int:
    head = file.split("_", 1)[0]
    return int(head) if head.isdigit() else 0


def _init_table(conn: apsw.Connection) -> dict[str, int]:
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS `{MIGRATIONS_TABLE}` (file VARCHAR(255) PRIMARY KEY NOT NULL, applied INTEGER NOT NULL)"
    )
    return applied_migrations(conn)


def applied_migrations(conn: apsw.Connection) -> dict[str, int]:
    """`{file: applied-at in unix microseconds}` of every recorded migration."""
    return {
        str(r["file"]): int(r["applied"])
        for r in query_all(conn, f"SELECT file, applied FROM `{MIGRATIONS_TABLE}`")
    }


def record_applied(conn: apsw.Connection, file: str) -> None:
    """Record `file` as applied now (unix microseconds, as PocketBase writes it)."""
    conn.execute(f"DELETE FROM `{MIGRATIONS_TABLE}` WHERE file = ?", (file,))
    conn.execute(
        f"INSERT INTO `{MIGRATIONS_TABLE}` (file, applied) VALUES (?, ?)", (file, time.time_ns() // 1000)
    )


def forget_applied(conn: apsw.Connection, file: str) -> None:
    """Remove the record of `file` (a reverted or vanished migration)."""
    conn.execute(f"DELETE FROM `{MIGRATIONS_TABLE}` WHERE file = ?", (file,))


def check_not_newer(applied: Sequence[str], migrations: Sequence[SystemMigration]) -> None:
    """Raise MigrationError when `applied` holds system migrations newer than all known ones."""
    known = {m.file for m in migrations}
    newest = max(m.timestamp for m in migrations)
    unknown = sorted(
        f for f in applied if f.endswith(SYSTEM_SUFFIX) and f not in known and _timestamp(f) > newest
    )
    if unknown:
        raise MigrationError(
            "this pb_data was written by a newer PocketBase or palapy (unknown system migrations: "
            f"{', '.join(unknown)}); upgrade palapy to open it"
        )


def _apply_data(
    conn: apsw.Connection, migrations: Sequence[SystemMigration], aux_done: list[str]
) -> list[str]:

    # Read again under the write lock: another process may have migrated the dir meanwhile.
    applied = applied_migrations(conn)
    done: list[str] = []
    for m in migrations:
        if m.aux:
            if m.file in aux_done:
                record_applied(conn, m.file)
                done.append(m.file)
            continue
        if m.file in applied and not (m.reapply and m.reapply(conn)):
            continue
        try:
            m.up(conn)
        except MigrationError:
            raise
        except (apsw.Error, ValueError, IndexesError) as exc:
            raise MigrationError(f"failed to apply system migration {m.file}: {exc}") from exc
        record_applied(conn, m.file)
        done.append(m.file)
    # PocketBase stores its default settings on first start; so does palapy.
    ensure_settings(conn)
    return done


def run_system_migrations(app: App, migrations: Sequence[SystemMigration]) -> list[str]:
    """Apply the missing `migrations` to the app's databases; returns the files applied."""
    applied = app.db.write_sync(_init_table)
    check_not_newer(list(applied), migrations)
    aux_done: list[str] = []
    for m in migrations:
        if not m.aux:
            continue
        reapply = m.reapply
        if m.file in applied and not (reapply and app.aux_db.read_sync(reapply)):
            continue
        try:
            app.aux_db.write_sync(m.up)
        except apsw.Error as exc:
            raise MigrationError(f"failed to apply system migration {m.file}: {exc}") from exc
        aux_done.append(m.file)
    return app.db.write_sync(lambda conn: _apply_data(conn, migrations, aux_done))
