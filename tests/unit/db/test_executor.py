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


# -- inline writes, committed in groups ------------------------------------------------------


def _tagged_table(db: Database) -> None:
    db.write_sync(lambda c: c.execute("CREATE TABLE t (x INTEGER PRIMARY KEY, tag TEXT)"))


def _xs(db: Database) -> list[int]:
    return db.read_sync(lambda c: [r[0] for r in c.execute("SELECT x FROM t ORDER BY x")])


def test_inline_writes_of_one_loop_turn_share_one_commit(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "data.db"))
    _tagged_table(db)
    commits: list[int] = []

    async def go() -> None:
        async def insert(i: int) -> int:
            def work(conn: apsw.Connection) -> int:
                conn.execute("INSERT INTO t (x) VALUES (?)", (i,))
                return i

            return await db.write(work, inline=True)

        db._inline_conn().setcommithook(lambda: commits.append(1) or False)
        results = await asyncio.gather(*(insert(i) for i in range(10)))
        assert results == list(range(10))

    try:
        asyncio.run(go())
        assert _xs(db) == list(range(10))
        assert len(commits) == 1  # ten writers, one COMMIT
    finally:
        db.close()


def test_a_failing_inline_write_undoes_only_itself(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "data.db"))
    _tagged_table(db)
    events: list[str] = []

    async def go() -> list[Any]:
        async def insert(i: int) -> int:
            def work(conn: apsw.Connection) -> int:
                conn.execute("INSERT INTO t (x) VALUES (?)", (i,))
                db.after_commit(lambda: events.append(f"committed {i}"))
                db.on_rollback(lambda: events.append(f"rolled back {i}"))
                if i == 2:
                    raise ValueError("no")
                return i

            return await db.write(work, inline=True)

        return await asyncio.gather(*(insert(i) for i in range(4)), return_exceptions=True)

    try:
        results = asyncio.run(go())
        assert results[:2] == [0, 1] and isinstance(results[2], ValueError) and results[3] == 3
        assert _xs(db) == [0, 1, 3]
        assert sorted(events) == ["committed 0", "committed 1", "committed 3", "rolled back 2"]
    finally:
        db.close()


def test_an_inline_write_waits_for_the_writer_thread_when_it_is_busy(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "data.db"))
    _tagged_table(db)
    order: list[str] = []

    async def go() -> None:
        async with db.transaction() as tx:
            await tx.run(lambda c: c.execute("INSERT INTO t (x) VALUES (1)"))
            pending = asyncio.ensure_future(
                db.write(
                    lambda c: order.append("inline") or c.execute("INSERT INTO t (x) VALUES (2)"), inline=True
                )
            )
            await asyncio.sleep(0.05)
            assert not pending.done()  # queued behind the open transaction
            order.append("transaction ends")
        await pending

    try:
        asyncio.run(go())
        assert order == ["transaction ends", "inline"]
        assert _xs(db) == [1, 2]
    finally:
        db.close()


def test_a_blocking_write_on_the_loop_commits_the_open_group_first(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "data.db"))
    _tagged_table(db)

    async def go() -> None:
        inline = asyncio.ensure_future(
            db.write(lambda c: c.execute("INSERT INTO t (x) VALUES (1)"), inline=True)
        )
        await asyncio.sleep(0)  # the inline write runs and its group is open
        assert db._group is not None
        # Without the flush this would wait for the group's lock forever.
        db.write_sync(lambda c: c.execute("INSERT INTO t (x) VALUES (2)"))
        await inline

    try:
        asyncio.run(asyncio.wait_for(go(), 10))
        assert _xs(db) == [1, 2]
    finally:
        db.close()


def test_a_cancelled_inline_writer_still_gets_its_after_commit_work_done(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "data.db"))
    _tagged_table(db)
    events: list[str] = []

    async def go() -> None:
        def work(conn: apsw.Connection) -> None:
            conn.execute("INSERT INTO t (x) VALUES (1)")
            db.after_commit(lambda: events.append("after commit"))

        task = asyncio.ensure_future(db.write(work, inline=True))
        await asyncio.sleep(0)  # written, waiting for the group's COMMIT
        task.cancel()
        await asyncio.sleep(0.01)

    try:
        asyncio.run(go())
        assert _xs(db) == [1]
        assert events == ["after commit"]
    finally:
        db.close()


def test_reads_on_the_loop_do_not_see_an_uncommitted_group(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "data.db"))
    _tagged_table(db)

    async def go() -> None:
        inline = asyncio.ensure_future(
            db.write(lambda c: c.execute("INSERT INTO t (x) VALUES (1)"), inline=True)
        )
        await asyncio.sleep(0)
        assert db._group is not None
        assert db.read_here(lambda c: c.execute("SELECT count(*) FROM t").fetchone()[0]) == 0
        await inline
        assert db.read_here(lambda c: c.execute("SELECT count(*) FROM t").fetchone()[0]) == 1

    try:
        asyncio.run(go())
    finally:
        db.close()


def test_inline_writes_leave_checkpoints_to_the_writer_thread(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "data.db"))
    _tagged_table(db)
    ran: list[str] = []
    original = db._checkpoint

    def spy() -> None:
        import threading

        ran.append(threading.current_thread().name)
        original()

    db._checkpoint = spy  # type: ignore[method-assign]
    blob = "x" * 3000

    async def go() -> None:
        for i in range(1500):  # about 1,500 pages of WAL
            await db.write(lambda c, i=i: c.execute("INSERT INTO t VALUES (?, ?)", (i, blob)), inline=True)
        await asyncio.sleep(0.2)

    try:
        asyncio.run(go())
        assert ran and all(name.startswith("db-writer") for name in ran)
    finally:
        db.close()
