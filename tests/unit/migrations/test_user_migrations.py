"""User migrations (`pb_migrations/*.py`): apply, skip, revert, history-sync, errors, new files."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path
from textwrap import dedent

import pytest

from palapy.app import Palapy
from palapy.migrations import SYSTEM_MIGRATIONS, MigrationError
from palapy.migrations.runner import applied_migrations
from palapy.migrations.user import (
    MIGRATIONS_PACKAGE,
    TEMPLATE,
    apply_user_migrations,
    last_applied_user_migrations,
    new_migration_path,
    revert_user_migrations,
    snakecase,
    sync_user_history,
    write_migration_template,
)

# Creates `name` through palapy's collection pipeline, in the migration's transaction.
CREATE_COLLECTION = """
from palapy.collections.pipeline import save_collection_in_tx
from palapy.collections.scaffolds import new_collection
from palapy.collections.service import load_body

NAME = {name!r}

def up(app, conn):
    collection = new_collection("base", NAME)
    load_body(collection, {{"fields": [{{"name": "title", "type": "text"}}], "listRule": ""}})
    save_collection_in_tx(app, conn, collection, None, None)

def down(app, conn):
    conn.execute(f"DELETE FROM _collections WHERE name = '{{NAME}}'")
    conn.execute(f"DROP TABLE `{{NAME}}`")
"""
SQL_TABLE = """
def up(app, conn):
    conn.execute("CREATE TABLE {table} (a TEXT)")

def down(app, conn):
    conn.execute("DROP TABLE {table}")
"""


@pytest.fixture(autouse=True)
def _forget_user_modules() -> Iterator[None]:
    yield
    for name in [n for n in sys.modules if n == MIGRATIONS_PACKAGE or n.startswith(MIGRATIONS_PACKAGE + ".")]:
        del sys.modules[name]


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Palapy]:
    app = Palapy(tmp_path / "pb_data")
    app.bootstrap()
    try:
        yield app
    finally:
        app.close()


def write(app: Palapy, name: str, source: str) -> Path:
    app.migrations_dir.mkdir(parents=True, exist_ok=True)
    path = app.migrations_dir / name
    path.write_text(dedent(source))
    return path


def tables(app: Palapy) -> set[str]:
    rows = app.db.read_sync(
        lambda c: c.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
    )
    return {str(r[0]) for r in rows}


def recorded(app: Palapy) -> dict[str, int]:
    return app.db.read_sync(applied_migrations)


def record(app: Palapy, file: str, applied: int) -> None:
    app.db.write_sync(
        lambda c: c.execute("INSERT INTO _migrations (file, applied) VALUES (?, ?)", (file, applied))
    )


def test_nothing_to_apply_without_a_migrations_dir(app: Palapy) -> None:
    assert apply_user_migrations(app, app.migrations_dir) == []
    assert set(recorded(app)) == {m.file for m in SYSTEM_MIGRATIONS}


def test_pending_files_apply_in_name_order_after_the_system_ones_and_are_recorded(app: Palapy) -> None:
    write(app, "1700000002_second.py", SQL_TABLE.format(table="second"))
    write(app, "1700000001_posts.py", CREATE_COLLECTION.format(name="posts"))
    write(app, "_helper.py", "raise AssertionError('helpers are not migrations')\n")
    write(app, "1700000000_created_old.js", "migrate((app) => {})\n")
    before = time.time_ns() // 1000
    assert apply_user_migrations(app, app.migrations_dir) == ["1700000001_posts.py", "1700000002_second.py"]
    after = time.time_ns() // 1000
    rows = recorded(app)
    assert before <= rows["1700000001_posts.py"] <= rows["1700000002_second.py"] <= after  # microseconds
    assert "1700000000_created_old.js" not in rows
    assert {"posts", "second"} <= tables(app)
    # The registry was reloaded: the new collection is usable at once.
    posts = app.collections.find("posts")
    assert posts is not None and [f.name for f in posts.fields] == ["id", "title"]
    assert apply_user_migrations(app, app.migrations_dir) == []


def test_applied_files_are_skipped_even_when_changed_and_new_ones_still_run(app: Palapy) -> None:
    write(app, "1700000001_a.py", SQL_TABLE.format(table="a"))
    assert apply_user_migrations(app, app.migrations_dir) == ["1700000001_a.py"]
    write(app, "1700000001_a.py", "raise AssertionError('an applied file is not imported again')\n")
    write(app, "1700000002_b.py", SQL_TABLE.format(table="b"))
    assert apply_user_migrations(app, app.migrations_dir) == ["1700000002_b.py"]


def test_a_failing_migration_applies_none_of_the_pending_ones(app: Palapy) -> None:
    write(app, "1700000001_ok.py", CREATE_COLLECTION.format(name="ok"))
    path = write(
        app, "1700000002_bad.py", "def up(app, conn):\n    conn.execute('CREATE TABLE bad (a)')\n    1 / 0\n"
    )
    with pytest.raises(MigrationError) as info:
        apply_user_migrations(app, app.migrations_dir)
    assert str(info.value) == (
        "failed to apply migration 1700000002_bad.py, line 3: ZeroDivisionError: division by zero"
    )
    assert path.name not in recorded(app) and "1700000001_ok.py" not in recorded(app)
    assert not {"ok", "bad"} & tables(app)
    assert app.collections.find("ok") is None  # seen inside the transaction, gone with it


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("def up(app, conn)\n    pass\n", ", line 1: SyntaxError: "),
        ("import not_a_module_xyz\n", ", line 1: ModuleNotFoundError: No module named 'not_a_module_xyz'"),
        ("def down(app, conn):\n    pass\n", ": it defines no up(app, conn) function"),
    ],
    ids=["syntax", "import", "no-up"],
)
def test_a_file_that_cannot_load_is_refused_before_anything_runs(
    app: Palapy, source: str, expected: str
) -> None:
    write(app, "1700000001_ok.py", SQL_TABLE.format(table="ok"))
    path = write(app, "1700000002_broken.py", source)
    with pytest.raises(MigrationError) as info:
        apply_user_migrations(app, app.migrations_dir)
    assert str(info.value).startswith(f"failed to load migration {path}")
    assert expected in str(info.value)
    assert "ok" not in tables(app)


def test_down_reverts_the_newest_user_migrations_only(app: Palapy) -> None:
    write(app, "1700000001_a.py", SQL_TABLE.format(table="a"))
    write(app, "1700000002_b.py", SQL_TABLE.format(table="b"))
    write(app, "1700000003_c.py", "def up(app, conn):\n    pass\n")  # no down: only forgotten
    apply_user_migrations(app, app.migrations_dir)
    # A PocketBase JS migration applied later, and a recorded .py whose file is gone.
    record(app, "1800000000_created_js.js", time.time_ns() // 1000 + 10)
    record(app, "1800000001_gone.py", time.time_ns() // 1000 + 20)
    # Equal applied times order by file name, newest first, like PocketBase.
    app.db.write_sync(lambda c: c.execute("UPDATE _migrations SET applied = 5 WHERE file LIKE '17000000%'"))
    assert last_applied_user_migrations(app, app.migrations_dir, 2) == ["1700000003_c.py", "1700000002_b.py"]
    assert revert_user_migrations(app, app.migrations_dir, 2) == ["1700000003_c.py", "1700000002_b.py"]
    assert "b" not in tables(app) and "a" in tables(app)
    rows = recorded(app)
    assert "1700000002_b.py" not in rows and "1700000001_a.py" in rows
    assert {"1800000000_created_js.js", "1800000001_gone.py"} <= set(rows)
    assert set(SYSTEM_MIGRATIONS_FILES) <= set(rows)
    assert revert_user_migrations(app, app.migrations_dir, 0) == []
    assert revert_user_migrations(app, app.migrations_dir, -1) == ["1700000001_a.py"]  # below 0: all of them
    assert revert_user_migrations(app, app.migrations_dir, 5) == []
    # Reverted files apply again on the next run.
    assert apply_user_migrations(app, app.migrations_dir) == [
        "1700000001_a.py",
        "1700000002_b.py",
        "1700000003_c.py",
    ]


SYSTEM_MIGRATIONS_FILES = [m.file for m in SYSTEM_MIGRATIONS]


def test_a_failing_down_reverts_nothing(app: Palapy) -> None:
    write(app, "1700000001_a.py", SQL_TABLE.format(table="a"))
    write(
        app,
        "1700000002_b.py",
        "def up(app, conn):\n    pass\n\ndef down(app, conn):\n    raise ValueError('no')\n",
    )
    apply_user_migrations(app, app.migrations_dir)
    with pytest.raises(
        MigrationError, match=r"^failed to revert migration 1700000002_b.py, line 5: ValueError: no$"
    ):
        revert_user_migrations(app, app.migrations_dir, 2)
    assert {"1700000001_a.py", "1700000002_b.py"} <= set(recorded(app))


def test_a_collection_made_by_a_migration_is_gone_after_down(app: Palapy) -> None:
    write(app, "1700000001_posts.py", CREATE_COLLECTION.format(name="posts"))
    apply_user_migrations(app, app.migrations_dir)
    assert app.collections.find("posts") is not None
    assert revert_user_migrations(app, app.migrations_dir, 1) == ["1700000001_posts.py"]
    assert app.collections.find("posts") is None and "posts" not in tables(app)


def test_missing_files_stay_recorded_until_history_sync_which_leaves_other_rows_alone(app: Palapy) -> None:
    path = write(app, "1700000001_a.py", SQL_TABLE.format(table="a"))
    write(app, "1700000002_b.py", SQL_TABLE.format(table="b"))
    apply_user_migrations(app, app.migrations_dir)
    record(app, "1700000003_created_js.js", 1)
    path.unlink()
    assert apply_user_migrations(app, app.migrations_dir) == []
    assert "1700000001_a.py" in recorded(app)
    assert sync_user_history(app, app.migrations_dir) == ["1700000001_a.py"]
    rows = recorded(app)
    assert "1700000001_a.py" not in rows
    assert {"1700000002_b.py", "1700000003_created_js.js", *SYSTEM_MIGRATIONS_FILES} <= set(rows)
    assert sync_user_history(app, app.migrations_dir) == []


def test_a_migration_sees_the_hooks_bound_before_it(app: Palapy) -> None:
    """`serve` loads pb_hooks first, so a migration's record writes go through the handlers."""
    write(app, "1700000001_posts.py", CREATE_COLLECTION.format(name="posts"))
    write(
        app,
        "1700000002_seed.py",
        """
        from palapy.records.rows import empty_record
        from palapy.records.service import save_record_in_tx

        def up(app, conn):
            # Created by the previous file, in this same transaction.
            posts = app.collections.find("posts")
            record = empty_record(posts)
            record["title"] = "hello"
            save_record_in_tx(app, conn, posts, record, None)
        """,
    )

    def shout(e):  # type: ignore[no-untyped-def]
        e.record["title"] = e.record["title"].upper()
        return e.next()

    app.hooks.on_record_create.bind_for(["posts"], shout)
    apply_user_migrations(app, app.migrations_dir)
    rows = app.db.read_sync(lambda c: c.execute("SELECT title FROM posts").fetchall())
    assert [r[0] for r in rows] == ["HELLO"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("CreatePosts", "create_posts"),
        ("HTTPServer", "httpserver"),
        ("fooBar baz-qux", "foo_bar_baz_qux"),
        ("__x__Y", "x_y"),
        ("ÄbcDé", "bc_d"),
        ("a1B2", "a1_b2"),
        ("../x", "x"),
        ("add posts", "add_posts"),
    ],
)
def test_new_file_names_use_pocketbase_snakecase(name: str, expected: str) -> None:
    """The expectations are the file names PocketBase 0.40.6's `migrate create` gave these names."""
    assert snakecase(name) == expected


def test_the_template_has_empty_up_and_down_and_applies(app: Palapy) -> None:
    path = new_migration_path(app.migrations_dir, "Add posts", now=1795955207.9)
    assert path == app.migrations_dir / "1795955207_add_posts.py"
    write_migration_template(path)
    assert path.read_text() == TEMPLATE
    assert apply_user_migrations(app, app.migrations_dir) == ["1795955207_add_posts.py"]
    assert revert_user_migrations(app, app.migrations_dir, 1) == ["1795955207_add_posts.py"]


def test_a_pocketbase_made_js_history_is_untouched_by_every_operation(app: Palapy) -> None:
    record(app, "1795947992_created_posts.js", 100)
    write(app, "1700000001_a.py", SQL_TABLE.format(table="a"))
    apply_user_migrations(app, app.migrations_dir)
    revert_user_migrations(app, app.migrations_dir, -1)
    sync_user_history(app, app.migrations_dir)
    assert recorded(app)["1795947992_created_posts.js"] == 100


def test_another_process_applying_first_is_not_applied_twice(app: Palapy, tmp_path: Path) -> None:
    """The applied list is read again under the write lock."""
    write(app, "1700000001_a.py", SQL_TABLE.format(table="a"))
    other = Palapy(app.data_dir)
    other.bootstrap()
    try:
        original = other.db.read_sync

        def stale_read(fn, **kw):  # type: ignore[no-untyped-def]
            result = original(fn, **kw)
            if fn is applied_migrations:  # the first, unlocked look: `app` applies meanwhile
                apply_user_migrations(app, app.migrations_dir)
            return result

        other.db.read_sync = stale_read  # type: ignore[method-assign]
        assert apply_user_migrations(other, other.migrations_dir) == []
    finally:
        other.close()
