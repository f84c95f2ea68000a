"""The database's worker threads: a fixed set of threads taking calls from one queue.

It replaces `loop.run_in_executor(ThreadPoolExecutor)` for the database, which costs a
concurrent future, an asyncio future chained to it and the executor's bookkeeping on every
call; each read of the API makes one round trip, so this is a fixed cost on every request
(figures: docs/performance.md).

Threads keep their thread-local state (the database's per-thread connection) for their lifetime.
"""

from __future__ import annotations

import asyncio
import atexit
import queue
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

__all__ = ["WorkerThreads"]

T = TypeVar("T")

_STOP = object()


def _deliver(fut: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if fut.done():  # the awaiting task was cancelled meanwhile
        return
    if error is None:
        fut.set_result(result)
    else:
        fut.set_exception(error)


def _close_at_exit(ref: weakref.ref[WorkerThreads]) -> None:
    threads = ref()
    if threads is not None:
        threads.close()


class WorkerThreads:
    """`count` daemon threads named `{name}_{i}` running the calls put on one queue."""

    def __init__(self, count: int, name: str) -> None:
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._threads = [
            threading.Thread(target=self._work, name=f"{name}_{i}", daemon=True) for i in range(count)
        ]
        self._lock = threading.Lock()
        self._closed = False
        for thread in self._threads:
            thread.start()
        # Like ThreadPoolExecutor: at interpreter exit, queued calls (a write) still finish.
        atexit.register(_close_at_exit, weakref.ref(self))

    def _work(self) -> None:
        get = self._queue.get
        while True:
            item = get()
            if item is _STOP:
                return
            fn, args, loop, fut = item
            try:
                result = fn(*args)
            except BaseException as exc:  # noqa: BLE001 - handed to the caller
                self._hand_over(loop, fut, None, exc)
            else:
                self._hand_over(loop, fut, result, None)

    @staticmethod
    def _hand_over(
        loop: asyncio.AbstractEventLoop | None, fut: Any, result: Any, error: BaseException | None
    ) -> None:
        if loop is None:  # a blocking caller waits on a concurrent future
            if error is None:
                fut.set_result(result)
            else:
                fut.set_exception(error)
            return
        try:
            loop.call_soon_threadsafe(_deliver, fut, result, error)
        except RuntimeError:
            pass  # the caller's loop is closed: nobody is waiting any more

    def _put(self, item: Any) -> None:
        with self._lock:
            if self._closed:
                raise RuntimeError("the database is closed")
            self._queue.put(item)

    def run(self, fn: Callable[..., T], *args: Any) -> asyncio.Future[T]:
        """Run `fn(*args)` on one of the threads; await the returned future for its result."""
        loop = asyncio.get_running_loop()
        fut: asyncio.Future[T] = loop.create_future()
        self._put((fn, args, loop, fut))
        return fut

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        """Queue `fn(*args)` without waiting; the returned future holds its outcome."""
        fut: Future[T] = Future()
        self._put((fn, args, None, fut))
        return fut

    def run_sync(self, fn: Callable[..., T], *args: Any) -> T:
        """Run `fn(*args)` on one of the threads and block until it returns (or raises)."""
        fut: Future[T] = Future()
        self._put((fn, args, None, fut))
        return fut.result()

    def close(self) -> None:
        """Let the queued calls finish, then stop and join the threads."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            for _ in self._threads:
                self._queue.put(_STOP)
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join()
