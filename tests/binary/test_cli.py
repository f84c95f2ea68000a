"""The command line of the binary and of `python -m palapy`: version, help, default data dir."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from palapy import POCKETBASE_COMPAT, __version__
from tests.binary._programs import Program

_SUPERUSER = ("superuser", "upsert", "su@example.com", "pass123456")


def test_version_names_the_version_and_the_build(program: Program, tmp_path: Path) -> None:
    out = program.run("--version", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1, out.stdout
    line = lines[0]
    assert line.startswith(f"palapy version {__version__} ("), line
    assert f"PocketBase {POCKETBASE_COMPAT} API" in line
    if program.frozen:
        # build <12-hex commit>[-dirty] <UTC build time>, from build_info.json inside the binary
        assert re.search(r"\(build [0-9a-f]{12}(-dirty)? \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ;", line), line
    else:
        assert "(source;" in line, line


def test_help_lists_the_commands_like_pocketbase(program: Program, tmp_path: Path) -> None:
    out = program.run("--help", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    for command in ("serve", "superuser"):
        assert command in out.stdout
    serve = program.run("serve", "--help", cwd=tmp_path)
    assert serve.returncode == 0, serve.stderr
    for option in ("--http", "--dir", "--origins", "--dev"):
        assert option in serve.stdout


def test_default_data_dir_is_next_to_the_executable_when_frozen(program: Program, tmp_path: Path) -> None:
    """PocketBase puts pb_data beside its executable; from source it is the working dir's."""
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    if program.frozen:
        app_dir = tmp_path / "opt" / "palapy"
        app_dir.mkdir(parents=True)
        exe = app_dir / "palapy"
        shutil.copy2(program.argv[0], exe)
        # Started through a symlink, as from /usr/local/bin: the real file's folder counts.
        link_dir = tmp_path / "bin"
        link_dir.mkdir()
        (link_dir / "palapy").symlink_to(exe)
        runner = Program("binary", (str(link_dir / "palapy"),))
        expected = app_dir / "pb_data"
    else:
        runner = program
        expected = elsewhere / "pb_data"
    out = runner.run(*_SUPERUSER, cwd=elsewhere)
    assert out.returncode == 0, out.stderr
    assert (expected / "data.db").is_file()
    assert (expected / "auxiliary.db").is_file()
    assert (expected / "storage").is_dir()
    if program.frozen:
        assert not (elsewhere / "pb_data").exists()
        assert not (link_dir / "pb_data").exists()
    # argparse wraps (and may split) the long default path: compare without whitespace.
    help_text = "".join(runner.run("serve", "--help", cwd=elsewhere).stdout.split())
    assert f"(default:{expected if program.frozen else 'pb_data'})" in help_text
