"""User migrations: `pb_migrations/*.py`, applied after the system migrations, as PocketBase's
`pb_migrations/*.js` are.

A migration file defines `up(app, conn)` and optionally `down(app, conn)`; `conn` is the
writer connection inside the open transaction, so SQL and palapy's in-transaction services
(e.g. `palapy.collections.pipeline.save_collection_in_tx(app, conn, ...)`) run on it; never call
`app.db.write_sync` from there (the writer would wait for itself). Files are applied in
file-name order, all pending ones in ONE transaction (PocketBase's `Up`: a failure leaves none
of them applied), and recorded in `_migrations(file, applied)` under their file name.

Rows of other programs are left alone: PocketBase's `*.js` rows and the system `*.go` rows are
never reverted or removed here; only `*.py` rows belong to this module. Recorded files that
are missing from disk stay recorded until `palapy migrate history-sync`.
Files are imported only when they are about to run, so an applied migration whose imports
no longer resolve does not stop the server.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import apsw

from palapy.core import App
from palapy.db.connection import query_all
from palapy.hooks.loader import describe_error, import_user_file, user_files
from palapy.migrations.runner import (
    MIGRATIONS_TABLE,
    MigrationError,
    applied_migrations,
    forget_applied,
    record_applied,
)
from palapy.tools.inflector import snakecase

__all__ = [
    "MIGRATIONS_PACKAGE",
    "USER_SUFFIX",
    "TEMPLATE",
    "UserMigration",
    "apply_user_migrations",
    "last_applied_user_migrations",
    "revert_user_migrations",
    "sync_user_history",
    "new_migration_path",
    "write_migration_template",
]

MIGRATIONS_PACKAGE = "pb_migrations"
USER_SUFFIX = ".py"

TEMPLATE = '''"""A palapy migration: `up` runs once on `palapy serve` / `palapy migrate up`,
`down` on `palapy migrate down`. `conn` is the open write transaction (APSW connection)."""


def up(app, conn):
    # add up queries...
    pass


def down(app, conn):
    # add down queries...
    pass
'''

MigrationFn = Callable[["App", apsw.Connection], Any]


@dataclass(frozen=True)
class UserMigration:
    """One imported migration file."""

    path: Path
    up: MigrationFn
    down: MigrationFn | None

    @property
    def file(self) -> str:
        """The file name, as `_migrations` records it."""
        return self.path.name


def _load(path: Path) -> UserMigration:
    try:
        module = import_user_file(MIGRATIONS_PACKAGE, path)
    except Exception as exc:  # noqa: BLE001 - any failure of user code names its file
        raise MigrationError(describe_error(f"failed to load migration {path}", path, exc)) from exc
    up, down = getattr(module, "up", None), getattr(module, "down", None)
    if not callable(up):
        raise MigrationError(f"failed to load migration {path}: it defines no up(app, conn) function")
    if down is not None and not callable(down):
        raise MigrationError(f"failed to load migration {path}: down is not a function")
    return UserMigration(path, up, down)


def _run(step: str, migration: UserMigration, fn: MigrationFn, app: App, conn: apsw.Connection) -> None:
    try:
        fn(app, conn)
    except Exception as exc:  # noqa: BLE001 - reported with the file, the transaction rolls back
        label = f"failed to {step} migration {migration.file}"
        raise MigrationError(describe_error(label, migration.path, exc)) from exc
    # The next file of the same transaction finds what this one created in `app.collections`.
    app.collections.reload(conn)


def _write(app: App, fn: Callable[[apsw.Connection], list[str]]) -> list[str]:
    """`fn` in one write; `app.collections` then matches the committed (or rolled back) state."""
    try:
        return app.db.write_sync(fn)
    finally:
        app.db.read_sync(app.collections.reload)


def apply_user_migrations(app: App, directory: Path) -> list[str]:
    """Apply the pending `directory/*.py` in one transaction; returns the files applied.

    Raises MigrationError (nothing applied) when a file fails to import or its `up` raises.
    """
    files = user_files(directory)
    if not files:
        return []
    applied = app.db.read_sync(applied_migrations)
    pending = [_load(p) for p in files if p.name not in applied]
    if not pending:
        return []

    def fn(conn: apsw.Connection) -> list[str]:
        done = applied_migrations(conn)  # again under the write lock: another process may have run
        out: list[str] = []
        for m in pending:
            if m.file in done:
                continue
            _run("apply", m, m.up, app, conn)
            record_applied(conn, m.file)
            out.append(m.file)
        return out

    return _write(app, fn)


def last_applied_user_migrations(app: App, directory: Path, count: int) -> list[str]:
    """The last `count` applied user migrations whose files exist in `directory` (all when
    count < 0), newest first."""
    on_disk = [p.name for p in user_files(directory)]
    if count == 0 or not on_disk:
        return []
    marks = ",".join("?" * len(on_disk))
    sql = (
        f"SELECT file FROM `{MIGRATIONS_TABLE}` WHERE file IN ({marks}) "
        "ORDER BY applied DESC, file DESC LIMIT ?"
    )
    rows = app.db.read_sync(lambda conn: query_all(conn, sql, (*on_disk, count)))
    return [str(r["file"]) for r in rows]


def revert_user_migrations(app: App, directory: Path, count: int) -> list[str]:
    """Run `down` of the last `count` applied user migrations (newest first) in one transaction
    and forget them; returns the files reverted. A missing `down` only forgets the file."""
    names = last_applied_user_migrations(app, directory, count)
    migrations = [_load(directory / name) for name in names]

    def fn(conn: apsw.Connection) -> list[str]:
        out: list[str] = []
        for m in migrations:
            if m.down is not None:
                _run("revert", m, m.down, app, conn)
            forget_applied(conn, m.file)
            out.append(m.file)
        return out

    if not migrations:
        return []
    return _write(app, fn)


def sync_user_history(app: App, directory: Path) -> list[str]:
    """Forget recorded `*.py` migrations whose files are not in `directory`; returns the files forgotten."""
    on_disk = {p.name for p in user_files(directory)}

    def fn(conn: apsw.Connection) -> list[str]:
        gone = sorted(f for f in applied_migrations(conn) if f.endswith(USER_SUFFIX) and f not in on_disk)
        for file in gone:
            forget_applied(conn, file)
        return gone

    return app.db.write_sync(fn)


def new_migration_path(directory: Path, name: str, now: float | None = None) -> Path:
    """`directory/{unix seconds}_{snakecase(name)}.py`, the name `migrate create` gives a file."""
    stamp = int(time.time() if now is None else now)
    return directory / f"{stamp}_{snakecase(name)}{USER_SUFFIX}"


def write_migration_template(path: Path) -> None:
    """Write the blank migration (empty `up` and `down`) to `path`, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TEMPLATE)
