"""The database executor: one writer thread, a small pool of reader threads.

Every operation is a plain function `fn(conn) -> T`. `await db.read(fn)` runs it on a reader
connection; `await db.write(fn)` runs it on the writer thread inside one
`BEGIN IMMEDIATE ... COMMIT` transaction. `await db.write(fn, inline=True)` runs a write known
to be short on the event loop itself, saving two thread hand-offs, and commits it together
with the other inline writes that reach the loop in the same turn (group commit): each runs
in its own savepoint, so a failure undoes only its own work, and each caller resumes only once
the shared COMMIT is done (figures: docs/performance.md). One lock keeps the writer thread and
the inline group one at a time. The inline connection leaves checkpoints to the writer thread,
so a checkpoint never stalls the loop. Callbacks registered with `db.after_commit(cb)` from
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
        # Held by whoever writes (the writer thread, or a caller writing inline).
        self._write_lock = threading.Lock()
        # Per thread: is a write open here, and what runs after its commit or rollback.
        self._writes = threading.local()
        self._checkpoint_queued = False
        self._group: _Group | None = None  # the open inline transaction, if any
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
    def _state(self) -> _WriteState:
        state: _WriteState | None = getattr(self._writes, "state", None)
        if state is None:
            state = _WriteState()
            self._writes.state = state
        return state

    def in_writer(self) -> bool:
        """True when called from inside a write function (on the thread running the write)."""
        return self._state().active

    def after_commit(self, callback: AfterCommit) -> None:
        """Register `callback` to run once the current write commits; dropped on rollback."""
        state = self._state()
        if not state.active:
            raise RuntimeError("after_commit() is only valid inside db.write()")
        state.pending.append(callback)

    def on_rollback(self, callback: OnRollback) -> None:
        """Register `callback` to run (on the writing thread) if the current write rolls back;
        dropped on commit. For side effects outside the database, such as files written for it."""
        state = self._state()
        if not state.active:
            raise RuntimeError("on_rollback() is only valid inside db.write()")
        state.rollbacks.append(callback)

    def _begin(self, conn: apsw.Connection, state: _WriteState) -> None:
        conn.execute("BEGIN IMMEDIATE")
        state.active, state.conn, state.pending, state.rollbacks = True, conn, [], []

    def _rollback(self, conn: apsw.Connection, state: _WriteState, *, transaction: bool = True) -> None:
        if transaction and not conn.getautocommit():
            conn.execute("ROLLBACK")
        callbacks = state.rollbacks
        state.active, state.conn, state.pending, state.rollbacks = False, None, [], []
        for callback in reversed(callbacks):
            try:
                callback()
            except Exception:  # noqa: BLE001 - one failed clean-up must not stop the others
                log.exception("a rollback callback failed")

    def _commit(self, conn: apsw.Connection, state: _WriteState) -> list[AfterCommit]:
        conn.execute("COMMIT")
        callbacks = state.pending
        state.active, state.conn, state.pending, state.rollbacks = False, None, [], []
        return callbacks

    def _transact(self, fn: Callable[[apsw.Connection], T]) -> tuple[T, list[AfterCommit]]:
        """`fn` in one transaction on this thread's connection; the write lock must be held."""
        conn = self._conn()
        state = self._state()
        self._begin(conn, state)
        try:
            result = fn(conn)
            return result, self._commit(conn, state)
        except BaseException:
            self._rollback(conn, state)
            raise

    def _run_write(self, fn: Callable[[apsw.Connection], T]) -> tuple[T, list[AfterCommit]]:
        state = self._state()
        if state.active:
            # Nested write (e.g. a hook writing from inside a write): join the open transaction.
            return fn(state.conn or self._conn()), []
        with self._write_lock:
            return self._transact(fn)

    # -- inline writes, committed in groups ----------------------------------------------
    def _inline_conn(self) -> apsw.Connection:
        """The event loop's write connection (its reads keep their own): checkpoints go to
        the writer thread."""
        conn: apsw.Connection | None = getattr(self._local, "inline_conn", None)
        if conn is None:
            conn = open_connection(self.path)
            conn.wal_autocheckpoint(0)
            conn.setwalhook(self._wal_grew)
            self._local.inline_conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def _join_group(
        self, fn: Callable[[apsw.Connection], T]
    ) -> tuple[T, asyncio.Future[list[AfterCommit]]] | None:
        """Run `fn` now in the loop's open transaction (opening one if the writer is free) under
        its own savepoint; None when the writer thread is busy. The future settles at COMMIT."""
        group = self._group
        if group is None:
            if not self._write_lock.acquire(blocking=False):
                return None
            try:
                conn = self._inline_conn()
                conn.execute("BEGIN IMMEDIATE")
            except BaseException:
                self._write_lock.release()
                raise
            loop = asyncio.get_running_loop()
            group = self._group = _Group(conn, loop, threading.get_ident())
            loop.call_soon(self._commit_group, group)
        conn = group.conn
        state = self._state()
        state.active, state.conn, state.pending, state.rollbacks = True, conn, [], []
        conn.execute("SAVEPOINT palapy_write")
        try:
            result = fn(conn)
            conn.execute("RELEASE palapy_write")
        except BaseException:
            conn.execute("ROLLBACK TO palapy_write")
            conn.execute("RELEASE palapy_write")
            self._rollback(conn, state, transaction=False)
            raise
        finally:
            state.active, state.conn = False, None
        done: asyncio.Future[list[AfterCommit]] = group.loop.create_future()
        group.members.append((done, state.pending, state.rollbacks))
        state.pending, state.rollbacks = [], []
        if len(group.members) >= _GROUP_MAX:
            self._commit_group(group)
        return result, done

    def _commit_group(self, group: _Group) -> None:
        """COMMIT the loop's open transaction and settle its writers' futures."""
        if self._group is not group:
            return  # already committed
        self._group = None
        try:
            group.conn.execute("COMMIT")
        except BaseException as exc:
            if not group.conn.getautocommit():
                group.conn.execute("ROLLBACK")
            for done, _, rollbacks in group.members:
                for callback in reversed(rollbacks):
                    try:
                        callback()
                    except Exception:  # noqa: BLE001 - one failed clean-up must not stop the others
                        log.exception("a rollback callback failed")
                if not done.done():
                    done.set_exception(exc)
        else:
            for done, pending, _ in group.members:
                if not done.done():
                    done.set_result(pending)
                elif pending:
                    # The writer stopped waiting (its request was cancelled), but its write is
                    # committed: what follows a commit (hooks, realtime) still happens.
                    group.loop.create_task(_run_callbacks(pending))
        finally:
            self._write_lock.release()

    def _flush_group(self) -> None:
        """Commit the loop's open group now, when called on its thread (a blocking write would
        otherwise wait for a lock the group holds until this very thread lets it go)."""
        group = self._group
        if group is not None and group.thread == threading.get_ident():
            self._commit_group(group)

    def _wal_grew(self, conn: apsw.Connection, name: str, pages: int) -> int:
        """After an inline commit: past SQLite's usual threshold, checkpoint on the writer."""
        if pages >= _CHECKPOINT_PAGES and not self._checkpoint_queued:
            self._checkpoint_queued = True
            try:
                self._writer_pool.submit(self._checkpoint)
            except RuntimeError:
                self._checkpoint_queued = False  # closing: the last connection's close checkpoints
        return apsw.SQLITE_OK

    def _checkpoint(self) -> None:
        self._checkpoint_queued = False
        self._conn().wal_checkpoint(mode=apsw.SQLITE_CHECKPOINT_PASSIVE)

    async def write(self, fn: Callable[[apsw.Connection], T], *, inline: bool = False) -> T:
        """Run `fn(conn)` in one transaction, then its after-commit callbacks.

        `inline`: the caller knows `fn` is short (no user code, no file I/O, no cascades); it
        then runs on the event loop, committed with the loop's other inline writes, unless the
        writer thread is busy (then on the writer, as usual).
        """
        joined = self._join_group(fn) if inline and not self._state().active else None
        if joined is not None:
            result, committed = joined
            callbacks = await committed
        else:
            queued: tuple[T, list[AfterCommit]] = await self._writer_pool.run(self._run_write, fn)
            result, callbacks = queued
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
        self._flush_group()
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
        with self._write_lock:
            conn = self._conn()
            state = self._state()
            try:
                self._begin(conn, state)
            except BaseException as exc:
                tx.deliver(tx.started, None, exc)
                raise
            tx.deliver(tx.started, None, None)
            while True:
                item = tx.calls.get()
                if item is _COMMIT:
                    try:
                        return self._commit(conn, state)
                    except BaseException:
                        self._rollback(conn, state)
                        raise
                if item is _ROLLBACK:
                    self._rollback(conn, state)
                    return []
                fn, fut = item
                try:
                    tx.deliver(fut, fn(conn), None)
                except BaseException as exc:  # noqa: BLE001 - handed to the caller, who decides
                    tx.deliver(fut, None, exc)

    def execute_script_sync(self, sql: str) -> None:
        """Run DDL outside a transaction wrapper (e.g. `VACUUM`) on the writer connection."""

        def run() -> None:
            with self._write_lock:
                self._conn().execute(sql)

        self._flush_group()
        self._writer_pool.run_sync(run)

    # -- lifecycle -----------------------------------------------------------
    def close(self) -> None:
        """Checkpoint-safe close of every connection and thread."""
        self._flush_group()
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


class _WriteState:
    """A thread's write: open or not, on which connection, and its after-commit and rollback
    callbacks."""

    __slots__ = ("active", "conn", "pending", "rollbacks")

    def __init__(self) -> None:
        self.active = False
        self.conn: apsw.Connection | None = None
        self.pending: list[AfterCommit] = []
        self.rollbacks: list[OnRollback] = []


class _Group:
    """The event loop's open inline transaction: its writers' futures and callbacks."""

    __slots__ = ("conn", "loop", "thread", "members")

    def __init__(self, conn: apsw.Connection, loop: asyncio.AbstractEventLoop, thread: int) -> None:
        self.conn = conn
        self.loop = loop
        self.thread = thread
        self.members: list[tuple[asyncio.Future[list[AfterCommit]], list[AfterCommit], list[OnRollback]]] = []


# SQLite's default auto-checkpoint threshold, in WAL pages.
_CHECKPOINT_PAGES = 1000
# Writes committed together at most (a long group delays its first writer's answer).
_GROUP_MAX = 64


async def _run_callbacks(callbacks: list[AfterCommit]) -> None:
    for cb in callbacks:
        try:
            outcome = cb()
            if inspect.isawaitable(outcome):
                await outcome
        except Exception:  # noqa: BLE001 - nobody is waiting to be told
            log.exception("an after-commit callback failed")


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
