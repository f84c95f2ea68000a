"""The database's worker threads: results, errors, cancellation and shutdown."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from palapy.db._threads import WorkerThreads


def test_results_and_errors_reach_async_and_blocking_callers() -> None:
    threads = WorkerThreads(2, "t")

    def fail() -> None:
        raise ValueError("boom")

    async def scenario() -> None:
        assert await threads.run(lambda a, b: a + b, 2, 3) == 5
        with pytest.raises(ValueError, match="boom"):
            await threads.run(fail)
        results = await asyncio.gather(*(threads.run(lambda i=i: i * i) for i in range(50)))
        assert results == [i * i for i in range(50)]

    try:
        asyncio.run(scenario())
        assert threads.run_sync(lambda: threading.current_thread().name).startswith("t_")
        with pytest.raises(ValueError):
            threads.run_sync(fail)
    finally:
        threads.close()


def test_thread_local_state_lives_as_long_as_the_thread() -> None:
    threads = WorkerThreads(1, "t")
    local = threading.local()

    def count() -> int:
        local.n = getattr(local, "n", 0) + 1
        return int(local.n)

    try:
        assert [threads.run_sync(count) for _ in range(3)] == [1, 2, 3]
    finally:
        threads.close()


def test_a_cancelled_caller_does_not_break_the_thread() -> None:
    threads = WorkerThreads(1, "t")

    async def scenario() -> None:
        slow = threads.run(time.sleep, 0.2)
        slow.cancel()
        await asyncio.sleep(0.3)  # the result arrives for a cancelled future and is dropped
        assert await threads.run(lambda: "still working") == "still working"

    try:
        asyncio.run(scenario())
    finally:
        threads.close()


def test_close_finishes_queued_calls_then_refuses_new_ones() -> None:
    threads = WorkerThreads(1, "t")
    done: list[int] = []
    for i in range(5):
        threads._queue.put((lambda i=i: done.append(i), (), None, _Sink()))
    threads.close()
    assert done == [0, 1, 2, 3, 4]
    with pytest.raises(RuntimeError):
        threads.run_sync(lambda: None)


class _Sink:
    def set_result(self, _: object) -> None:
        pass

    def set_exception(self, _: BaseException) -> None:
        pass
