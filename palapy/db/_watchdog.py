"""The read budget's watchdog: one thread that interrupts reads which outlive their deadline.

Why not a SQLite progress handler: it calls back into Python every N VM instructions, and each
call must take the GIL. A reader thread scanning a table then waits for the GIL hundreds of
times per query while the event loop holds it, which doubled the CPU per request of a filtered
list under load (docs/performance.md).
`sqlite3_interrupt` is safe to call from any thread, so a watchdog needs nothing from the
readers but a deadline in a dict while their read runs.

SQLite clears a pending interrupt when a statement starts on a connection with none running,
so an interrupt that lands between two statements of one read would be lost: the watchdog keeps
interrupting an expired read every `_REPEAT` seconds until that read ends.

The watchdog looks every `_TICK` seconds, so a budget is kept to within one tick. A read is
registered without waking it (waking it on every read cost more than the progress handler did);
only a deadline closer than one tick (a tiny budget) wakes it at once.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol

__all__ = ["Watchdog"]

_TICK = 0.05
# How soon an expired read that is still running is interrupted again.
_REPEAT = 0.002


class _Interruptible(Protocol):
    def interrupt(self) -> None: ...


class Watchdog:
    """Interrupts every registered connection whose deadline (time.monotonic) has passed."""

    def __init__(self, name: str) -> None:
        self._cond = threading.Condition(threading.Lock())
        self._reads: dict[int, tuple[_Interruptible, float]] = {}
        self._next_key = 0
        self._closed = False
        self._thread = threading.Thread(target=self._watch, name=name, daemon=True)
        self._thread.start()

    def start(self, conn: _Interruptible, deadline: float) -> int:
        """Watch `conn` until `finish(key)`; the returned key identifies this read."""
        with self._cond:
            self._next_key += 1
            key = self._next_key
            self._reads[key] = (conn, deadline)
            if deadline - time.monotonic() < _TICK:
                self._cond.notify()
        return key

    def finish(self, key: int) -> None:
        """The read is over: never interrupt its connection for it again."""
        with self._cond:  # held while the watchdog interrupts, so no interrupt lands after this
            del self._reads[key]

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._cond.notify()
        self._thread.join()

    def _watch(self) -> None:
        with self._cond:
            while not self._closed:
                now = time.monotonic()
                wait = _TICK
                for conn, deadline in self._reads.values():
                    if deadline <= now:
                        conn.interrupt()
                        wait = _REPEAT
                    else:
                        wait = min(wait, deadline - now)
                self._cond.wait(wait)
