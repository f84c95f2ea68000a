import asyncio
from pathlib import Path
from typing import Any

import apsw
import pytest

from palapy.db.executor import Database


def test_bundled_sqlite_has_the_wal_reset_fix() -> None:
    version = tuple(int(x) for x in apsw.sqlite_lib_version().split("."))
    assert version >= (3, 51, 3)


def test_pragmas_are_pocketbase_s(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "data.db"))
    try:
        mode = db.read_sync(lambda c: c.execute("PRAGMA journal_mode").fetchall()[0][0])
        fk = db.read_sync(lambda c: c.execute("PRAGMA foreign_keys").fetchall()[0][0])
        busy = db.read_sync(lambda c: c.execute("PRAGMA busy_timeout").fetchall()[0][0])
        assert (mode, fk, busy) == ("wal", 1, 10000)
    finally:
        db.close()


def test_write_commits_and_after_commit_runs(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "data.db"))
    fired: list[str] = []

    def work(conn: apsw.Connection) -> int:
        conn.execute("CREATE TABLE t (x)")
        conn.execute("INSERT INTO t VALUES (1)")
        db.after_commit(lambda: fired.append("done"))
        return 7

    async def go() -> None:
        assert await db.write(work) == 7
        rows = await db.read(lambda c: c.execute("SELECT x FROM t").fetchall())
        assert rows == [(1,)]

    try:
        asyncio.run(go())
        assert fired == ["done"]
    finally:
        db.close()


def test_failed_write_rolls_back_and_drops_callbacks(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "data.db"))
    db.write_sync(lambda c: c.execute("CREATE TABLE t (x)"))
    fired: list[str] = []

    def bad(conn: apsw.Connection) -> None:
        conn.execute("INSERT INTO t VALUES (1)")
        db.after_commit(lambda: fired.append("x"))
        raise ValueError("boom")

    try:
        with pytest.raises(ValueError):
            db.write_sync(bad)
        assert db.read_sync(lambda c: c.execute("SELECT count(*) FROM t").fetchall()) == [(0,)]
        assert fired == []
    finally:
        db.close()


def test_after_commit_outside_write_is_an_error(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "data.db"))
    try:
        with pytest.raises(RuntimeError):
            db.after_commit(lambda: None)
    finally:
        db.close()


def test_write_sync_inside_a_write_joins_the_open_transaction(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "data.db"))
    db.write_sync(lambda c: c.execute("CREATE TABLE t (x)"))

    def outer(conn: apsw.Connection) -> None:
        conn.execute("INSERT INTO t VALUES (1)")
        # A hook or migration calling back into the executor must not deadlock the writer.
        db.write_sync(lambda c: c.execute("INSERT INTO t VALUES (2)"))
        raise ValueError("roll back both")

    try:
        with pytest.raises(ValueError):
            db.write_sync(outer)
        assert db.read_sync(lambda c: c.execute("SELECT count(*) FROM t").fetchall()) == [(0,)]
        db.write_sync(lambda c: db.write_sync(lambda c2: c2.execute("INSERT INTO t VALUES (3)")))
        assert db.read_sync(lambda c: c.execute("SELECT x FROM t").fetchall()) == [(3,)]
    finally:
        db.close()


def _table(db: Database) -> None:
    db.write_sync(lambda c: c.execute("CREATE TABLE t (x)"))


def _rows(db: Database) -> list[tuple[int]]:
    return db.read_sync(lambda c: c.execute("SELECT x FROM t ORDER BY x").fetchall())


def test_a_transaction_holds_several_steps_and_commits_once(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "data.db"))
    _table(db)
    fired: list[str] = []

    def insert(value: int) -> Any:
        def step(conn: apsw.Connection) -> int:
            conn.execute("INSERT INTO t VALUES (?)", (value,))
            db.after_commit(lambda: fired.append(f"committed {value}"))
            return int(conn.execute("SELECT count(*) FROM t").fetchone()[0])

        return step

    async def go() -> None:
        async with db.transaction() as tx:
            assert await tx.run(insert(1)) == 1
            assert await tx.run(insert(2)) == 2  # sees its own earlier step
            # A reader does not see the open transaction.
            assert await db.read(lambda c: c.execute("SELECT count(*) FROM t").fetchone()[0]) == 0
            assert fired == []
        assert fired == ["committed 1", "committed 2"]

    try:
        asyncio.run(go())
        assert _rows(db) == [(1,), (2,)]
    finally:
        db.close()


def test_a_failed_transaction_keeps_nothing_and_cleans_up(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "data.db"))
    _table(db)
    events: list[str] = []

    def step(conn: apsw.Connection) -> None:
        conn.execute("INSERT INTO t VALUES (1)")
        db.after_commit(lambda: events.append("after commit"))
        db.on_rollback(lambda: events.append("rolled back"))

    def broken(conn: apsw.Connection) -> None:
        raise ValueError("no")

    async def go() -> None:
        with pytest.raises(ValueError):
            async with db.transaction() as tx:
                await tx.run(step)
                await tx.run(broken)

    try:
        asyncio.run(go())
        assert _rows(db) == []
        assert events == ["rolled back"]
    finally:
        db.close()


def test_other_writes_wait_for_an_open_transaction(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "data.db"))
    _table(db)

    async def go() -> None:
        async with db.transaction() as tx:
            await tx.run(lambda c: c.execute("INSERT INTO t VALUES (1)"))
            other = asyncio.ensure_future(db.write(lambda c: c.execute("INSERT INTO t VALUES (2)")))
            await asyncio.sleep(0.05)
            assert not other.done()
        await other

    try:
        asyncio.run(go())
        assert _rows(db) == [(1,), (2,)]
    finally:
        db.close()


def test_a_failed_write_runs_its_rollback_callbacks(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "data.db"))
    _table(db)
    events: list[str] = []

    def write(conn: apsw.Connection) -> None:
        conn.execute("INSERT INTO t VALUES (1)")
        db.on_rollback(lambda: events.append("undo"))
        raise RuntimeError("fails after the file was written")

    try:
        with pytest.raises(RuntimeError):
            db.write_sync(write)
        db.write_sync(lambda c: db.on_rollback(lambda: events.append("never")))
        assert events == ["undo"] and _rows(db) == []
    finally:
        db.close()
