"""The reader time budget: a runaway read is interrupted and never starves other reads."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import apsw
import pytest

from palapy.db.executor import DEFAULT_READ_TIMEOUT, Database

# Counts to a billion: minutes of SQLite work unless something stops it.
RUNAWAY = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000000) SELECT count(*) FROM n"
SHORT = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) SELECT count(*) FROM n"


def _count(sql: str):  # type: ignore[no-untyped-def]
    return lambda conn: conn.execute(sql).fetchone()[0]


def test_the_default_budget_is_generous() -> None:
    assert DEFAULT_READ_TIMEOUT >= 5


def test_a_runaway_read_is_interrupted_while_other_reads_go_on(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "data.db"), readers=2, read_timeout=0.3)

    async def scenario() -> tuple[float, float]:
        start = time.monotonic()
        runaway = asyncio.ensure_future(db.read(_count(RUNAWAY)))
        await asyncio.sleep(0.05)
        assert await db.read(_count("SELECT 41 + 1")) == 42
        quick = time.monotonic() - start
        with pytest.raises(apsw.InterruptError):
            await runaway
        return quick, time.monotonic() - start

    try:
        quick, total = asyncio.run(scenario())
    finally:
        db.close()
    assert quick < 0.3, "another read had to wait for the runaway one"
    assert total < 3.0, f"the runaway read ran {total:.1f}s despite a 0.3s budget"


def test_the_budget_is_per_call_and_can_be_lifted(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "data.db"), readers=1, read_timeout=0.0)
    try:
        with pytest.raises(apsw.InterruptError):
            db.read_sync(_count(SHORT))
        # Lifted for one call, then the connection (the same reader) is budgeted again.
        assert db.read_sync(_count(SHORT), timeout=None) == 200000
        with pytest.raises(apsw.InterruptError):
            db.read_sync(_count(SHORT))
        assert db.read_sync(_count(SHORT), timeout=30) == 200000
    finally:
        db.close()


def test_writes_are_never_interrupted(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "data.db"), readers=1, read_timeout=0.0)
    try:
        assert db.write_sync(_count(SHORT)) == 200000
    finally:
        db.close()
