"""The database executor: one writer thread, a small pool of reader threads.

Every operation is a plain function `fn(conn) -> T`. `await db.read(fn)` runs it on a reader
connection; `await db.write(fn)` runs it on the single writer connection inside one
`BEGIN IMMEDIATE ... COMMIT` transaction. Callbacks registered with `db.after_commit(cb)` from
inside a write run only once that write has committed (after hooks, realtime, file deletion);
those registered with `db.on_rollback(cb)` run only if it rolls back (files written for it).
`async with db.transaction() as tx` holds one write transaction open across awaits (a batch):
each `await tx.run(fn)` runs on the writer inside it; other writes wait until it ends.

Reads have a time budget (`read_timeout`, 10 s by default, per call overridable): a watchdog
thread interrupts the statement running once it is spent (see `_watchdog`), raising
`apsw.InterruptError`, so a pathological query frees its reader thread instead of starving
every other request. Writes are never interrupted.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import queue
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import apsw

from palapy.db._threads import WorkerThreads
from palapy.db._watchdog import Watchdog
from palapy.db.connection import open_connection

__all__ = ["Database", "Transaction", "AfterCommit", "OnRollback", "DEFAULT_READ_TIMEOUT", "DEFAULT"]

log = logging.getLogger("palapy.db")

T = TypeVar("T")
AfterCommit = Callable[[], Awaitable[None] | None]
OnRollback = Callable[[], None]

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
        self._rollbacks: list[OnRollback] = []
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

    def on_rollback(self, callback: OnRollback) -> None:
        """Register `callback` to run (on the writer) if the current write rolls back; dropped
        on commit. For side effects outside the database, such as files written for it."""
        if not self.in_writer():
            raise RuntimeError("on_rollback() is only valid inside db.write()")
        self._rollbacks.append(callback)

    def _begin(self, conn: apsw.Connection) -> None:
        self._pending, self._rollbacks = [], []
        conn.execute("BEGIN IMMEDIATE")

    def _rollback(self, conn: apsw.Connection) -> None:
        if not conn.getautocommit():
            conn.execute("ROLLBACK")
        callbacks, self._pending, self._rollbacks = self._rollbacks, [], []
        for callback in reversed(callbacks):
            try:
                callback()
            except Exception:  # noqa: BLE001 - one failed clean-up must not stop the others
                log.exception("a rollback callback failed")

    def _commit(self, conn: apsw.Connection) -> list[AfterCommit]:
        conn.execute("COMMIT")
        callbacks, self._pending, self._rollbacks = self._pending, [], []
        return callbacks

    def _run_write(self, fn: Callable[[apsw.Connection], T]) -> tuple[T, list[AfterCommit]]:
        conn = self._conn()
        self._writer_thread = threading.get_ident()
        if not conn.getautocommit():
            # Nested write (e.g. a hook writing from inside a write): join the open transaction.
            return fn(conn), []
        self._begin(conn)
        try:
            result = fn(conn)
            return result, self._commit(conn)
        except BaseException:
            self._rollback(conn)
            raise

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

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """One write transaction held open on the writer across awaits: `await tx.run(fn)`.

        Leaving the block commits and then runs the after-commit callbacks; an exception
        rolls everything back (and runs the rollback callbacks) and propagates.
        """
        tx = Transaction(asyncio.get_running_loop())
        done = self._writer_pool.run(self._run_transaction, tx)
        try:
            await tx.started
        except BaseException:
            await asyncio.gather(done, return_exceptions=True)
            raise
        try:
            yield tx
        except BaseException:
            tx.finish(commit=False)
            await asyncio.shield(done)
            raise
        tx.finish(commit=True)
        for cb in await done:
            outcome = cb()
            if inspect.isawaitable(outcome):
                await outcome

    def _run_transaction(self, tx: Transaction) -> list[AfterCommit]:
        """On the writer: BEGIN, the transaction's calls as they come, then COMMIT or ROLLBACK."""
        conn = self._conn()
        self._writer_thread = threading.get_ident()
        try:
            self._begin(conn)
        except BaseException as exc:
            tx.deliver(tx.started, None, exc)
            raise
        tx.deliver(tx.started, None, None)
        while True:
            item = tx.calls.get()
            if item is _COMMIT:
                try:
                    return self._commit(conn)
                except BaseException:
                    self._rollback(conn)
                    raise
            if item is _ROLLBACK:
                self._rollback(conn)
                return []
            fn, fut = item
            try:
                tx.deliver(fut, fn(conn), None)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller, who decides
                tx.deliver(fut, None, exc)

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


_COMMIT = object()
_ROLLBACK = object()


class Transaction:
    """A write transaction held open by `Database.transaction()`; its calls run on the writer."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.calls: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.started: asyncio.Future[None] = loop.create_future()
        self._finished = False

    def deliver(self, fut: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
        """From the writer: settle `fut` on the caller's loop."""

        def settle() -> None:
            if fut.done():
                return
            if error is None:
                fut.set_result(result)
            else:
                fut.set_exception(error)

        try:
            self.loop.call_soon_threadsafe(settle)
        except RuntimeError:
            pass  # the caller's loop is closed: nobody is waiting any more

    async def run(self, fn: Callable[[apsw.Connection], T]) -> T:
        """Run `fn(conn)` on the writer, inside this transaction."""
        if self._finished:
            raise RuntimeError("the transaction has ended")
        fut: asyncio.Future[T] = self.loop.create_future()
        self.calls.put((fn, fut))
        return await fut

    def finish(self, *, commit: bool) -> None:
        if not self._finished:
            self._finished = True
            self.calls.put(_COMMIT if commit else _ROLLBACK)
