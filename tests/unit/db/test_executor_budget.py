"""The reader time budget: a runaway read is interrupted and never starves other reads."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from pathlib import Path

import apsw
import pytest

from palapy.db.executor import Database

# Counts to a billion: minutes of SQLite work unless something stops it.
RUNAWAY = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000) SELECT count(*) FROM n"
SHORT = (
    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) SELECT count(*) FROM n"
)
# Far beyond any budget used here: reaching it means the budget did not work.
GIVE_UP = 60.0


def _count(sql: str) -> Callable[[apsw.Connection], int]:
    return lambda conn: int(conn.execute(sql).fetchone()[0])


def test_a_runaway_read_is_interrupted_while_other_reads_go_on(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "data.db"), readers=2, read_timeout=GIVE_UP)
    started = threading.Event()

    def runaway(conn: apsw.Connection) -> int:
        started.set()
        return _count(RUNAWAY)(conn)

    async def scenario() -> None:
        # A budget far longer than the other read needs, so the order below does not race.
        pending = asyncio.ensure_future(db.read(runaway, timeout=3.0))
        await asyncio.get_running_loop().run_in_executor(None, started.wait)
        # Another reader answers while the runaway one still holds its reader.
        assert await db.read(_count("SELECT 41 + 1")) == 42
        assert not pending.done()
        with pytest.raises(apsw.InterruptError):
            await asyncio.wait_for(pending, GIVE_UP)

    try:
        asyncio.run(scenario())
    finally:
        db.close()


def test_the_budget_is_per_call_and_can_be_lifted(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "data.db"), readers=1, read_timeout=0.0)
    try:
        with pytest.raises(apsw.InterruptError):
            db.read_sync(_count(RUNAWAY))
        # Lifted for one call, then the connection (the same reader) is budgeted again.
        assert db.read_sync(_count(SHORT), timeout=None) == 200000
        with pytest.raises(apsw.InterruptError):
            db.read_sync(_count(RUNAWAY))
        assert db.read_sync(_count(SHORT), timeout=GIVE_UP) == 200000
    finally:
        db.close()


def test_writes_are_never_interrupted(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "data.db"), readers=1, read_timeout=0.0)
    try:
        assert db.write_sync(_count(SHORT)) == 200000
    finally:
        db.close()


def test_a_budget_spent_between_two_statements_still_stops_the_next_one(tmp_path: Path) -> None:
    # SQLite forgets an interrupt when a statement starts on an idle connection: the watchdog
    # must keep interrupting an expired read until it ends.
    db = Database(str(tmp_path / "data.db"), readers=1, read_timeout=0.05)

    def two_statements(conn: apsw.Connection) -> int:
        conn.execute("SELECT 1").fetchall()
        time.sleep(0.2)  # the budget runs out here, while no statement runs
        return _count(RUNAWAY)(conn)

    try:
        with pytest.raises(apsw.InterruptError):
            db.read_sync(two_statements, timeout=0.05)
        # The next read on the same connection is not hit by a left-over interrupt.
        assert db.read_sync(_count(SHORT), timeout=GIVE_UP) == 200000
    finally:
        db.close()


def test_reads_on_the_event_loop_thread_have_the_budget_too(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "data.db"), readers=1, read_timeout=0.05)
    try:
        with pytest.raises(apsw.InterruptError):
            db.read_here(_count(RUNAWAY))
        assert db.read_here(_count("SELECT 41 + 1")) == 42
    finally:
        db.close()
