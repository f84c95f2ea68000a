"""User code from disk on each program: `pb_hooks/*.py`, `pb_migrations/*.py` and `palapy migrate`.

The frozen binary must import user files at run time, and they may import any standard-library
module (not only those palapy itself uses) and palapy's own modules.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from textwrap import dedent

import apsw
import httpx
import pytest

from tests.binary._exercise import log_in
from tests.binary._programs import Program
from tests.harness.servers import ServerProcess, free_port, start_server, upsert_superuser

MIGRATION = "1700000000_create_posts.py"
# Creates `posts` through palapy's collection pipeline, inside the migration's transaction.
CREATE_POSTS = """
from palapy.collections.pipeline import save_collection_in_tx
from palapy.collections.scaffolds import new_collection
from palapy.collections.service import load_body


def up(app, conn):
    posts = new_collection("base", "posts")
    fields = [{"name": "title", "type": "text"}, {"name": "note", "type": "text"}]
    load_body(posts, {"fields": fields, "listRule": "", "viewRule": "", "createRule": ""})
    save_collection_in_tx(app, conn, posts, None, None)


def down(app, conn):
    conn.execute("DELETE FROM _collections WHERE name = 'posts'")
    conn.execute("DROP TABLE posts")
"""
# Standard-library modules palapy never imports itself (the frozen build must still carry them),
# each exercised, then palapy's own error type to reject a record.
HOOKS = """
import csv
import email.mime.text
import io
import sqlite3
import statistics
import zoneinfo

from palapy.tools.errors import ApiError, field_error


def _note():
    row = io.StringIO()
    csv.writer(row).writerow(["a", "b"])
    mime = email.mime.text.MIMEText("x")["Content-Type"]
    answer = sqlite3.connect(":memory:").execute("SELECT 6 * 7").fetchone()[0]
    return "|".join([row.getvalue().strip(), str(statistics.median([1, 5, 3])), mime, str(answer),
                     type(zoneinfo.TZPATH).__name__])


def setup(app):
    def on_create(e):
        if e.record["title"] == "reject":
            raise ApiError(400, "Rejected by a hook.", {"title": field_error("validation_hook", "Not here.")})
        e.record["title"] = e.record["title"].upper()
        e.record["note"] = _note()
        return e.next()

    app.hooks.on_record_create.bind_for(["posts"], on_create)
"""
EXPECTED_NOTE = 'a,b|3|text/plain; charset="us-ascii"|42|tuple'
ONE_LOG_LINE = re.compile(r"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d (.*)$")


@pytest.fixture
def harness_env(program: Program, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The harness starts `program` as "palapy"; a one-file binary unpacks under tmp_path/tmp."""
    if program.frozen:
        monkeypatch.setenv("PALAPY_BIN", program.argv[0])
    else:
        monkeypatch.delenv("PALAPY_BIN", raising=False)
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))


def write(path: Path, source: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dedent(source))
    return path


def recorded_migrations(data_dir: Path) -> list[str]:
    conn = apsw.Connection(str(data_dir / "data.db"), flags=apsw.SQLITE_OPEN_READONLY)
    try:
        return [str(r[0]) for r in conn.execute("SELECT file FROM _migrations ORDER BY file")]
    finally:
        conn.close()


@pytest.fixture
def served(harness_env: None, tmp_path: Path) -> Iterator[ServerProcess]:
    """A server of `program` over a root with the posts migration and the hooks file beside pb_data."""
    root = tmp_path / "root"
    write(root / "pb_migrations" / MIGRATION, CREATE_POSTS)
    write(root / "pb_hooks" / "posts.py", HOOKS)
    upsert_superuser("palapy", root)
    server = start_server("palapy", root)
    try:
        yield server
    finally:
        server.stop()


def test_migrations_run_on_start_and_hooks_change_and_reject_records(served: ServerProcess) -> None:
    with (
        httpx.Client(base_url=served.base_url, timeout=30.0) as su,
        httpx.Client(base_url=served.base_url) as anon,
    ):
        log_in(su)
        collection = su.get("/api/collections/posts")
        assert collection.status_code == 200, collection.text
        assert [f["name"] for f in collection.json()["fields"]] == ["id", "title", "note"]

        created = anon.post("/api/collections/posts/records", json={"title": "hello"})
        assert created.status_code == 200, created.text
        assert (created.json()["title"], created.json()["note"]) == ("HELLO", EXPECTED_NOTE)
        stored = anon.get(f"/api/collections/posts/records/{created.json()['id']}").json()
        assert (stored["title"], stored["note"]) == ("HELLO", EXPECTED_NOTE)

        rejected = anon.post("/api/collections/posts/records", json={"title": "reject"})
        assert rejected.status_code == 400
        assert rejected.json() == {
            "data": {"title": {"code": "validation_hook", "message": "Not here."}},
            "message": "Rejected by a hook.",
            "status": 400,
        }
        listed = anon.get("/api/collections/posts/records").json()
        assert [r["title"] for r in listed["items"]] == ["HELLO"]
    assert MIGRATION in recorded_migrations(served.data_dir)
    assert "1640988000_init.go" in recorded_migrations(served.data_dir)


def _serve_until_exit(program: Program, root: Path, *extra: str) -> tuple[int, str, str]:
    """`serve` that must refuse to start: (exit code, stdout, stderr)."""
    root.mkdir(exist_ok=True)
    out = program.run(
        "serve",
        "--http",
        f"127.0.0.1:{free_port()}",
        "--dir",
        str(root / "pb_data"),
        *extra,
        cwd=root,
        timeout=60,
    )
    return out.returncode, out.stdout, out.stderr


def test_a_broken_hook_file_stops_serve_with_one_line(program: Program, tmp_path: Path) -> None:
    root = tmp_path / "root"
    write(root / "pb_hooks" / "a_fine.py", "import json\n")
    broken = write(root / "pb_hooks" / "b_broken.py", "import json\n\nvalue = json.loads('{')\n")
    rc, stdout, stderr = _serve_until_exit(program, root)
    assert rc != 0
    assert "Server started" not in stdout
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(
        f"Error: failed to load hook {broken}, line 3: json.decoder.JSONDecodeError: Expecting property name"
    ), lines[0]


def test_a_failing_migration_stops_serve_and_applies_nothing(program: Program, tmp_path: Path) -> None:
    root = tmp_path / "root"
    migrations = tmp_path / "elsewhere"
    write(migrations / MIGRATION, CREATE_POSTS)
    write(migrations / "1700000001_fail.py", "def up(app, conn):\n    raise RuntimeError('not today')\n")
    rc, stdout, stderr = _serve_until_exit(program, root, "--migrationsDir", str(migrations))
    assert rc != 0 and "Server started" not in stdout
    assert (
        stderr.strip()
        == "Error: failed to apply migration 1700000001_fail.py, line 2: RuntimeError: not today"
    )
    assert MIGRATION not in recorded_migrations(root / "pb_data")


def _migrate(program: Program, root: Path, *args: str, stdin: str = "") -> tuple[int, str, str]:
    migrations = root / "custom_migrations"
    out = program.run(
        "migrate",
        *args,
        "--dir",
        str(root / "pb_data"),
        "--migrationsDir",
        str(migrations),
        cwd=root,
        input=stdin,
    )
    return out.returncode, out.stdout, out.stderr


def test_migrate_create_up_down_and_history_sync(program: Program, tmp_path: Path) -> None:
    """PocketBase's wording; the questions read stdin, where an empty answer or no input is "no"."""
    root = tmp_path / "root"
    root.mkdir()
    migrations = root / "custom_migrations"

    rc, out, err = _migrate(program, root, "create", "AddPosts")
    assert (rc, out) == (0, "The command has been cancelled\n")
    assert re.fullmatch(r'Do you really want to create migration ".*/\d+_add_posts\.py"\? \(y/N\) ', err), err
    assert not migrations.exists()

    rc, out, err = _migrate(program, root, "create", "AddPosts", stdin="maybe\nyes\n")
    assert rc == 0
    assert err.count("(y/N)") == 2  # asked again after an answer that is neither yes nor no
    created = re.fullmatch(r'Successfully created file "(.*)"\n', out)
    assert created is not None, out
    blank = Path(created.group(1))
    assert blank.parent == migrations and re.fullmatch(r"\d+_add_posts\.py", blank.name)
    assert "def up(app, conn):" in blank.read_text() and "def down(app, conn):" in blank.read_text()

    write(migrations / MIGRATION, CREATE_POSTS)
    assert _migrate(program, root, "up")[:2] == (0, f"Applied {MIGRATION}\nApplied {blank.name}\n")
    assert _migrate(program, root)[:2] == (0, "No new migrations to apply.\n")
    assert {MIGRATION, blank.name} <= set(recorded_migrations(root / "pb_data"))

    rc, out, err = _migrate(program, root, "down", "2")
    assert (rc, out) == (0, "The command has been cancelled\n")
    assert (
        err
        == f"\n{blank.name}\n{MIGRATION}\nDo you really want to revert the last 2 applied migration(s)? (y/N) "
    )
    rc, out, _ = _migrate(program, root, "down", "2", stdin="y\n")
    assert (rc, out) == (0, f"Reverted {blank.name}\nReverted {MIGRATION}\n")
    conn = apsw.Connection(str(root / "pb_data" / "data.db"), flags=apsw.SQLITE_OPEN_READONLY)
    try:
        assert conn.execute("SELECT count(*) FROM _collections WHERE name = 'posts'").fetchall() == [(0,)]
    finally:
        conn.close()
    assert _migrate(program, root, "down", stdin="y\n")[:2] == (0, "No migrations to revert.\n")

    assert _migrate(program, root, "up")[0] == 0
    blank.unlink()
    assert blank.name in recorded_migrations(root / "pb_data")
    rc, out, _ = _migrate(program, root, "history-sync")
    assert (rc, out) == (0, "The _migrations table was synced with the available migrations.\n")
    files = recorded_migrations(root / "pb_data")
    assert blank.name not in files and MIGRATION in files and "1640988000_init.go" in files


@pytest.mark.parametrize(
    ("args", "message"),
    [(("create",), "missing migration file name"), (("collectionz",), 'unsupported command: "collectionz"')],
    ids=["create-without-name", "unknown"],
)
def test_migrate_errors_are_one_log_line(
    program: Program, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    rc, out, err = _migrate(program, tmp_path, *args)
    assert (rc, out) == (1, "")
    match = ONE_LOG_LINE.fullmatch(err.strip())
    assert match is not None and match.group(1) == message, err


def test_migrate_up_reports_a_broken_hook_like_serve(program: Program, tmp_path: Path) -> None:
    """`migrate up` binds pb_hooks first (handlers see what migrations write), so it fails alike."""
    hooks = write(tmp_path / "hooks" / "bad.py", "def setup(app):\n    raise KeyError('x')\n")
    out = program.run(
        "migrate", "up", "--dir", str(tmp_path / "pb_data"), "--hooksDir", str(hooks.parent), cwd=tmp_path
    )
    assert out.returncode == 1 and out.stdout == ""
    match = ONE_LOG_LINE.fullmatch(out.stderr.strip())
    assert match is not None and match.group(1) == f"failed to load hook {hooks}, line 2: KeyError: 'x'", (
        out.stderr
    )
