"""palapy.datadir: the checks before a data dir is opened refuse bad dirs and write nothing."""

from __future__ import annotations

import os
from pathlib import Path

import apsw
import pytest

from palapy.app import Palapy
from palapy.datadir import DataDirError, check_data_dir, explain
from palapy.migrations import SYSTEM_MIGRATIONS, MigrationError


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _bootstrapped(path: Path) -> Path:
    app = Palapy(path)
    app.bootstrap()
    app.close()
    return path


def test_a_missing_dir_passes_and_is_not_created(tmp_path: Path) -> None:
    check_data_dir(tmp_path / "a" / "b" / "pb_data", SYSTEM_MIGRATIONS)
    assert list(tmp_path.iterdir()) == []


def test_a_palapy_dir_passes_unchanged(tmp_path: Path) -> None:
    data_dir = _bootstrapped(tmp_path / "pb_data")
    before = _files(data_dir)
    check_data_dir(data_dir, SYSTEM_MIGRATIONS)
    assert _files(data_dir) == before


def test_a_file_given_as_the_dir_is_refused(tmp_path: Path) -> None:
    (tmp_path / "pb_data").write_text("x")
    with pytest.raises(DataDirError, match="is a file, not a directory"):
        check_data_dir(tmp_path / "pb_data", SYSTEM_MIGRATIONS)
    with pytest.raises(DataDirError, match="is a file; pass --dir another path"):
        check_data_dir(tmp_path / "pb_data" / "sub", SYSTEM_MIGRATIONS)


def test_random_bytes_as_data_db_are_refused_with_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "data.db").write_bytes(os.urandom(4096))
    with pytest.raises(
        DataDirError, match=r"data.db is not an SQLite database .*restore pb_data from a backup"
    ):
        check_data_dir(tmp_path, SYSTEM_MIGRATIONS)


def test_a_newer_pb_data_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    data_dir = _bootstrapped(tmp_path / "pb_data")
    conn = apsw.Connection(str(data_dir / "data.db"))
    conn.execute("INSERT INTO _migrations (file, applied) VALUES ('4102444800_future.go', 1)")
    conn.close()
    (data_dir / "auxiliary.db").unlink()
    before = _files(data_dir)
    with pytest.raises(MigrationError, match="newer PocketBase or palapy"):
        Palapy(data_dir).bootstrap()
    assert _files(data_dir) == before


def test_bootstrap_refuses_a_damaged_dir_without_creating_storage(tmp_path: Path) -> None:
    (tmp_path / "data.db").write_bytes(b"SQLite format 3\x00" + os.urandom(4096))
    with pytest.raises(DataDirError, match="is damaged"):
        Palapy(tmp_path).bootstrap()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.db"]


@pytest.mark.parametrize(
    ("exc", "text"),
    [
        (apsw.NotADBError("file is not a database"), "data.db is not an SQLite database"),
        (apsw.ReadOnlyError("attempt to write a readonly database"), "data.db is not writable"),
        (PermissionError(13, "Permission denied"), "data.db is not writable"),
        (apsw.CantOpenError("unable to open database file"), "cannot open data.db"),
    ],
)
def test_explain_turns_open_errors_into_one_line_advice(exc: BaseException, text: str) -> None:
    message = str(explain(exc, Path("/srv/pb_data/data.db")))
    assert text in message
    assert "\n" not in message
