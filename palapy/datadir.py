"""Checking a data dir before palapy opens it, so that a refusal creates and changes nothing.

`Palapy.bootstrap()` calls `check_data_dir()` first. It refuses, with one line that says what to do:
- a `--dir` that is a file, or that cannot be created (a parent is a file or not writable);
- a data dir, `data.db` or `auxiliary.db` this user cannot write (a read-only mount included:
  access(2) reports EROFS even to root);
- a `data.db`/`auxiliary.db` that is not an SQLite database or is damaged;
- a `data.db` written by a newer PocketBase/palapy (unknown system migrations).
The database files are opened read-write without the create flag and without any pragma, so
the check writes nothing (SQLite removes the WAL files it opened when the check closes).
Errors raised later while opening are turned into the same messages by `explain()`.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Sequence
from pathlib import Path

import apsw

from palapy.migrations.runner import MIGRATIONS_TABLE, SystemMigration, check_not_newer

__all__ = ["DataDirError", "check_data_dir", "explain"]

_DATABASES = ("data.db", "auxiliary.db")
_RESTORE = "restore pb_data from a backup, or move {name} away to start with an empty one"


class DataDirError(RuntimeError):
    """The data dir cannot be used as it is; the message is one line that says what to do."""


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK | os.X_OK) if path.is_dir() else os.access(path, os.W_OK)


def _not_writable(what: str) -> DataDirError:
    return DataDirError(
        f"{what} is not writable by this user (uid {os.geteuid()}); give it write access "
        "(chown/chmod, or remount read-write) or pass another --dir"
    )


def _check_location(data_dir: Path) -> None:
    if data_dir.exists():
        if not data_dir.is_dir():
            raise DataDirError("it is a file, not a directory; pass --dir a directory (created if missing)")
        if not _writable(data_dir):
            raise _not_writable("the directory")
        return
    # Missing: created like PocketBase does (mkdir -p), if the nearest existing parent allows it.
    parent = data_dir.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise DataDirError(f"cannot create it: {parent} is a file; pass --dir another path")
    if not _writable(parent):
        raise DataDirError(
            f"cannot create it: {parent} is not writable by this user (uid {os.geteuid()}); "
            "create the directory with write access for this user or pass another --dir"
        )


def _check_database(path: Path, known: Sequence[SystemMigration] | None) -> None:
    if not path.is_file():
        raise DataDirError(f"{path.name} is not a file; move it away so palapy can create {path.name}")
    if not os.access(path, os.R_OK | os.W_OK):
        raise _not_writable(path.name)
    try:
        conn = apsw.Connection(
            f"file:{path}?mode=rw", flags=apsw.SQLITE_OPEN_READWRITE | apsw.SQLITE_OPEN_URI
        )
    except apsw.Error as exc:
        raise explain(exc, path) from exc
    try:
        conn.setbusytimeout(10000)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchall()
        if known is not None:
            _check_not_newer(conn, known)
    except apsw.Error as exc:
        raise explain(exc, path) from exc
    finally:
        conn.close()


def _check_not_newer(conn: apsw.Connection, known: Sequence[SystemMigration]) -> None:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (MIGRATIONS_TABLE,)
    ).fetchall()
    if exists:
        applied = [str(row[0]) for row in conn.execute(f"SELECT file FROM `{MIGRATIONS_TABLE}`")]
        check_not_newer(applied, known)


def check_data_dir(data_dir: Path, known: Sequence[SystemMigration]) -> None:
    """Raise DataDirError (or MigrationError for a newer pb_data, judged against the `known`
    system migrations) when `data_dir` cannot be opened.

    Creates nothing and writes nothing; a missing dir passes when it can be created.
    """
    _check_location(data_dir)
    for name in _DATABASES:
        path = data_dir / name
        if path.exists() or path.is_symlink():
            _check_database(path, known if name == "data.db" else None)


def explain(exc: BaseException, path: Path) -> DataDirError:
    """A one-line DataDirError for an error raised while opening `path` (a dir or a database)."""
    if isinstance(exc, DataDirError):
        return exc
    if isinstance(exc, (apsw.NotADBError, apsw.CorruptError)):
        return DataDirError(
            f"{path.name} is not an SQLite database or is damaged ({exc}); {_RESTORE.format(name=path.name)}"
        )
    if isinstance(exc, (apsw.ReadOnlyError, PermissionError)) or (
        isinstance(exc, OSError) and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM)
    ):
        return _not_writable(path.name if path.suffix == ".db" else str(path))
    if isinstance(exc, apsw.CantOpenError):
        return DataDirError(
            f"cannot open {path.name} ({exc}); check that it is readable, or pass another --dir"
        )
    if isinstance(exc, OSError):
        return DataDirError(f"cannot use {path}: {exc.strerror or exc}; pass another --dir")
    return DataDirError(f"{path.name}: {exc}")
