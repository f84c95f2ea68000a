"""Bad input refused with one line that says what to do, a non-zero exit code, and nothing changed.

Each case prepares a root, snapshots it (paths, sizes, hashes, mtimes), runs palapy, and checks:
exit code != 0, stdout empty, stderr exactly one line starting with `Error:`, the snapshot equal.
Permission cases run palapy without capabilities when the tests run as root (root bypasses modes).
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import apsw
import pytest

from tests.binary._programs import Program, snapshot, unprivileged

SERVE = ("serve", "--http", "127.0.0.1:0")
UPSERT = ("superuser", "upsert", "su@example.com", "pass123456")


@dataclass
class Case:
    """What one bad-input run needs: its arguments and how it is run."""

    args: list[str]
    prefix: list[str] = field(default_factory=list)
    hint: str = ""  # a word the message must contain (what to do)


def _make_pb_data(program: Program, data_dir: Path) -> None:
    out = program.run(*UPSERT, "--dir", str(data_dir), cwd=data_dir.parent)
    assert out.returncode == 0, out.stderr


def _dir_is_a_file(program: Program, root: Path) -> Case:
    (root / "pb_data").write_text("not a directory")
    return Case([*SERVE, "--dir", str(root / "pb_data")], hint="directory")


def _dir_under_a_file(program: Program, root: Path) -> Case:
    (root / "file").write_text("x")
    return Case([*UPSERT, "--dir", str(root / "file" / "sub" / "pb_data")], hint="another path")


def _parent_read_only(program: Program, root: Path) -> Case:
    parent = root / "ro"
    parent.mkdir()
    parent.chmod(0o555)
    return Case([*SERVE, "--dir", str(parent / "pb_data")], prefix=unprivileged(), hint="write access")


def _dir_read_only(program: Program, root: Path) -> Case:
    data_dir = root / "pb_data"
    _make_pb_data(program, data_dir)
    for path in (data_dir, *data_dir.rglob("*")):
        path.chmod(0o555 if path.is_dir() else 0o444)
    return Case([*SERVE, "--dir", str(data_dir)], prefix=unprivileged(), hint="write access")


def _database_read_only(program: Program, root: Path) -> Case:
    data_dir = root / "pb_data"
    _make_pb_data(program, data_dir)
    for path in (data_dir, *data_dir.rglob("*")):
        path.chmod(0o777 if path.is_dir() else 0o666)
    (data_dir / "data.db").chmod(0o444)
    return Case([*UPSERT, "--dir", str(data_dir)], prefix=unprivileged(), hint="write access")


def _not_a_database(program: Program, root: Path) -> Case:
    data_dir = root / "pb_data"
    data_dir.mkdir()
    (data_dir / "data.db").write_bytes(os.urandom(16384))
    return Case([*SERVE, "--dir", str(data_dir)], hint="backup")


def _truncated_database(program: Program, root: Path) -> Case:
    data_dir = root / "pb_data"
    _make_pb_data(program, data_dir)
    db = data_dir / "data.db"
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])
    return Case([*SERVE, "--dir", str(data_dir)], hint="backup")


def _damaged_auxiliary_database(program: Program, root: Path) -> Case:
    data_dir = root / "pb_data"
    _make_pb_data(program, data_dir)
    (data_dir / "auxiliary.db").write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    return Case([*UPSERT, "--dir", str(data_dir)], hint="backup")


def _newer_pb_data(program: Program, root: Path) -> Case:
    data_dir = root / "pb_data"
    _make_pb_data(program, data_dir)
    conn = apsw.Connection(str(data_dir / "data.db"))
    conn.execute("INSERT INTO _migrations (file, applied) VALUES ('4102444800_from_the_future.go', 1)")
    conn.close()
    return Case([*SERVE, "--dir", str(data_dir)], hint="upgrade")


def _missing_dir_value(program: Program, root: Path) -> Case:
    return Case(["serve", "--dir"], hint="--help")


def _bad_http_address(program: Program, root: Path) -> Case:
    return Case(["serve", "--http", "localhost", "--dir", str(root / "pb_data")], hint="HOST:PORT")


def _address_not_on_this_machine(program: Program, root: Path) -> Case:
    # 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never an address of this machine.
    return Case(["serve", "--http", "192.0.2.1:8090", "--dir", str(root / "pb_data")], hint="--http")


CASES: dict[str, Callable[[Program, Path], Case]] = {
    "dir_is_a_file": _dir_is_a_file,
    "dir_under_a_file": _dir_under_a_file,
    "parent_read_only": _parent_read_only,
    "dir_read_only": _dir_read_only,
    "database_read_only": _database_read_only,
    "not_a_database": _not_a_database,
    "truncated_database": _truncated_database,
    "damaged_auxiliary_database": _damaged_auxiliary_database,
    "newer_pb_data": _newer_pb_data,
    "missing_dir_value": _missing_dir_value,
    "bad_http_address": _bad_http_address,
    "address_not_on_this_machine": _address_not_on_this_machine,
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    path = tmp_path / "root"
    path.mkdir()
    return path


def _assert_refused(out: Any, hint: str) -> None:
    assert out.returncode != 0, f"accepted (rc=0):\n{out.stdout}\n{out.stderr}"
    assert out.stdout == "", out.stdout
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got:\n{out.stderr}"
    assert lines[0].startswith("Error: "), lines[0]
    assert hint in lines[0], f"{hint!r} missing from: {lines[0]}"


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_is_refused_in_one_line_and_changes_nothing(
    program: Program, root: Path, case: str
) -> None:
    prepared = CASES[case](program, root)
    before = snapshot(root)
    out = program.run(*prepared.args, cwd=root, prefix=prepared.prefix)
    _assert_refused(out, prepared.hint)
    assert snapshot(root) == before, "the refused run changed files under its root"


def test_a_port_in_use_is_refused_before_pb_data_is_created(program: Program, root: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = program.run("serve", "--http", f"127.0.0.1:{port}", "--dir", str(root / "pb_data"), cwd=root)
    _assert_refused(out, "already in use")
    assert snapshot(root) == {}
