"""`palapy migrate` in process: argument casting of `down`, the y/N question, default directories."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from palapy.cli import main
from palapy.commands.migrate import yes_no_prompt
from palapy.migrations.user import MIGRATIONS_PACKAGE

TABLE = "def up(app, conn):\n    conn.execute('CREATE TABLE t{n} (a)')\n\ndef down(app, conn):\n    conn.execute('DROP TABLE t{n}')\n"


@pytest.fixture(autouse=True)
def _forget_user_modules() -> Iterator[None]:
    yield
    for name in [n for n in sys.modules if n == MIGRATIONS_PACKAGE or n.startswith(MIGRATIONS_PACKAGE + ".")]:
        del sys.modules[name]


def run(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *argv: str, stdin: str = ""
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    rc = main(["migrate", *argv])
    out = capsys.readouterr()
    return rc, out.out, out.err


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """pb_data and pb_migrations side by side, with three migrations."""
    migrations = tmp_path / "pb_migrations"
    migrations.mkdir()
    for n in (1, 2, 3):
        (migrations / f"170000000{n}_t{n}.py").write_text(TABLE.format(n=n))
    return tmp_path


def test_the_default_migrations_dir_is_beside_pb_data(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rc, out, _ = run(monkeypatch, capsys, "up", "--dir", str(project / "pb_data"))
    assert rc == 0
    assert out.splitlines() == [
        "Applied 1700000001_t1.py",
        "Applied 1700000002_t2.py",
        "Applied 1700000003_t3.py",
    ]


@pytest.mark.parametrize(
    ("count", "asked", "reverted"),
    [
        ("abc", 0, []),  # PocketBase casts text that is not a number to 0
        ("0", 0, []),
        ("2", 2, ["1700000003_t3.py", "1700000002_t2.py"]),
        ("-1", 3, ["1700000003_t3.py", "1700000002_t2.py", "1700000001_t1.py"]),  # below 0: all
    ],
)
def test_down_counts_like_pocketbase(
    project: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    count: str,
    asked: int,
    reverted: list[str],
) -> None:
    data = str(project / "pb_data")
    assert run(monkeypatch, capsys, "up", "--dir", data)[0] == 0
    rc, out, err = run(monkeypatch, capsys, "down", count, "--dir", data, stdin="Y\n")
    assert rc == 0
    assert err.endswith(f"Do you really want to revert the last {asked} applied migration(s)? (y/N) ")
    assert out.splitlines() == ([f"Reverted {f}" for f in reverted] or ["No migrations to revert."])


@pytest.mark.parametrize(
    ("answers", "expected", "questions"),
    [("", False, 1), ("\n", False, 1), ("YES\n", True, 1), ("x\nn\n", False, 2), ("what\n y \n", True, 2)],
)
def test_yes_no_prompt(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    answers: str,
    expected: bool,
    questions: int,
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(answers))
    assert yes_no_prompt("Sure?") is expected
    assert capsys.readouterr().err == "Sure? (y/N) " * questions


def test_a_data_dir_that_cannot_be_opened_is_one_error_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "file").write_text("")
    rc, out, err = run(monkeypatch, capsys, "up", "--dir", str(tmp_path / "file"))
    assert (rc, out) == (1, "")
    assert err.startswith(f"Error: cannot open {tmp_path / 'file'}: it is a file") and err.count("\n") == 1
