"""The database executor: one writer thread, a small pool of reader threads.

Every operation is a plain function `fn(conn) -> T`. `await db.read(fn)` runs it on a reader
connection; `await db.write(fn)` runs it on the single writer connection inside one
`BEGIN IMMEDIATE ... COMMIT` transaction. Callbacks registered with `db.after_commit(cb)` from
inside a write run only once that write has committed (after hooks, realtime, file deletion).

Reads have a time budget (`read_timeout`, 10 s by default, per call overridable): a watchdog
thread interrupts the statement running once it is spent (see `_watchdog`), raising
`apsw.InterruptError`, so a pathological query frees its reader thread instead of starving
every other request. Writes are never interrupted.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import apsw

from palapy.db._threads import WorkerThreads
from palapy.db._watchdog import Watchdog
from palapy.db.connection import open_connection

__all__ = ["Database", "AfterCommit", "DEFAULT_READ_TIMEOUT", "DEFAULT"]

T = TypeVar("T")
AfterCommit = Callable[[], Awaitable[None] | None]

DEFAULT_READ_TIMEOUT = 10.0


class _Default:
    def __repr__(self) -> str:
        return "DEFAULT"


DEFAULT: Any = _Default()
"""As a `timeout` argument: the database's own `read_timeout`."""


class Database:
    """One SQLite file served by a writer thread and `readers` reader threads."""

    def __init__(
        self, path: str, readers: int = 3, read_timeout: float | None = DEFAULT_READ_TIMEOUT
    ) -> None:
        self.path = path
        self.read_timeout = read_timeout
        self._local = threading.local()
        # Plain worker threads on a queue: cheaper per call than run_in_executor (see _threads).
        self._writer_pool = WorkerThreads(1, "db-writer")
        self._reader_pool = WorkerThreads(readers, "db-reader")
        self._watchdog = Watchdog("db-read-budget")
        self._connections: list[apsw.Connection] = []
        self._lock = threading.Lock()
        self._pending: list[AfterCommit] = []
        self._writer_thread: int | None = None
        # Open the writer connection first: it creates the file and switches it to WAL.
        self._writer_pool.run_sync(self._conn)

    # -- connections ---------------------------------------------------------
    def _conn(self) -> apsw.Connection:
        conn: apsw.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = open_connection(self.path)
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    # -- reads ---------------------------------------------------------------
    def _run_read(self, fn: Callable[[apsw.Connection], T], timeout: float | None = DEFAULT) -> T:
        conn = self._conn()
        budget = self.read_timeout if timeout is DEFAULT else timeout
        if budget is None:
            return fn(conn)
        key = self._watchdog.start(conn, time.monotonic() + budget)
        try:
            return fn(conn)
        finally:
            self._watchdog.finish(key)

    async def read(self, fn: Callable[[apsw.Connection], T], *, timeout: float | None = DEFAULT) -> T:
        """Run `fn(conn)` on a reader connection (a consistent WAL snapshot).

        SQLite work stops with `apsw.InterruptError` once `timeout` seconds (default: the
        database's `read_timeout`; None: no limit) have passed since `fn` started.
        """
        return await self._reader_pool.run(self._run_read, fn, timeout)

    def read_here(self, fn: Callable[[apsw.Connection], T], *, timeout: float | None = DEFAULT) -> T:
        """Run `fn(conn)` on the calling thread, on that thread's own connection (same budget).

        Only for reads known to be short, such as one primary-key look-up: the caller (the
        event loop) waits while it runs. For those, the trip to a reader thread and back costs
        more than the read itself (docs/performance.md).
        """
        result: T = self._run_read(fn, timeout)
        return result

    def read_sync(self, fn: Callable[[apsw.Connection], T], *, timeout: float | None = DEFAULT) -> T:
        """Blocking read, for the CLI and start-up (same budget as `read`)."""
        result: T = self._reader_pool.run_sync(self._run_read, fn, timeout)
        return result

    # -- writes --------------------------------------------------------------
    def in_writer(self) -> bool:
        """True when called from inside a write function (on the writer thread)."""
        return threading.get_ident() == self._writer_thread

    def after_commit(self, callback: AfterCommit) -> None:
        """Register `callback` to run once the current write commits; dropped on rollback."""
        if not self.in_writer():
            raise RuntimeError("after_commit() is only valid inside db.write()")
        self._pending.append(callback)

    def _run_write(self, fn: Callable[[apsw.Connection], T]) -> tuple[T, list[AfterCommit]]:
        conn = self._conn()
        self._writer_thread = threading.get_ident()
        if not conn.getautocommit():
            # Nested write (e.g. a hook writing from inside a write): join the open transaction.
            return fn(conn), []
        self._pending = []
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = fn(conn)
            conn.execute("COMMIT")
        except BaseException:
            if not conn.getautocommit():
                conn.execute("ROLLBACK")
            self._pending = []
            raise
        callbacks, self._pending = self._pending, []
        return result, callbacks

    async def write(self, fn: Callable[[apsw.Connection], T]) -> T:
        """Run `fn(conn)` in one transaction on the writer, then its after-commit callbacks."""
        done: tuple[T, list[AfterCommit]] = await self._writer_pool.run(self._run_write, fn)
        result, callbacks = done
        for cb in callbacks:
            outcome = cb()
            if inspect.isawaitable(outcome):
                await outcome
        return result

    def write_sync(self, fn: Callable[[apsw.Connection], T]) -> T:
        """Blocking write, for the CLI and start-up; after-commit callbacks must be sync here.

        Called from inside a write (a model hook, a migration's `up`), it runs inline and joins
        the open transaction: queueing behind the running write would wait for itself forever.
        """
        if self.in_writer():
            return self._run_write(fn)[0]
        done: tuple[T, list[AfterCommit]] = self._writer_pool.run_sync(self._run_write, fn)
        result, callbacks = done
        for cb in callbacks:
            outcome = cb()
            if inspect.isawaitable(outcome):
                asyncio.run(_await(outcome))
        return result

    def execute_script_sync(self, sql: str) -> None:
        """Run DDL outside a transaction wrapper (e.g. `VACUUM`) on the writer connection."""
        self._writer_pool.run_sync(lambda: self._conn().execute(sql))

    # -- lifecycle -----------------------------------------------------------
    def close(self) -> None:
        """Checkpoint-safe close of every connection and thread."""
        self._reader_pool.close()
        self._writer_pool.close()
        self._watchdog.close()
        with self._lock:
            for conn in self._connections:
                try:
                    conn.close()
                except apsw.Error:
                    pass
            self._connections.clear()


async def _await(value: Awaitable[Any]) -> Any:
    return await value
