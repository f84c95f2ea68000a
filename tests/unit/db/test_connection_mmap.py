"""Readers map the database file (shared pages) and still see every commit, including one made
by a connection of another process-like owner (a plain APSW connection on the same file)."""

from __future__ import annotations

from pathlib import Path

import apsw

from palapy.db.executor import Database


def test_readers_use_memory_mapped_reads(tmp_path: Path) -> None:
    db = Database(str(tmp_path / "data.db"))
    try:
        size = db.read_sync(lambda c: c.execute("PRAGMA mmap_size").fetchall()[0][0])
        assert size >= 64 << 20
    finally:
        db.close()


def test_mapped_readers_see_commits_from_other_connections(tmp_path: Path) -> None:
    path = str(tmp_path / "data.db")
    db = Database(path, readers=1)
    try:
        db.write_sync(lambda c: c.execute("CREATE TABLE t (x)"))
        db.write_sync(lambda c: c.execute("INSERT INTO t VALUES (1)"))

        def total(c: apsw.Connection) -> int:
            return int(c.execute("SELECT sum(x) FROM t").fetchall()[0][0])

        assert db.read_sync(total) == 1
        other = apsw.Connection(path)
        other.execute("PRAGMA busy_timeout = 5000")
        other.execute(
            "WITH RECURSIVE n(i) AS (SELECT 2 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) INSERT INTO t SELECT i FROM n"
        )
        assert db.read_sync(total) == sum(range(1, 5001))
        other.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # pages move into the mapped main file
        other.execute("UPDATE t SET x = 0")
        other.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        assert db.read_sync(total) == 0
        other.close()
    finally:
        db.close()
