"""Hook chains in PocketBase's style: each handler gets the event and calls `e.next()` to go on.

Two flavours share one class:
- `trigger(event, final)` runs synchronously; model hooks (validate/create/update/delete) use it
  inside the writer thread, so every handler sees the same transaction, as in PocketBase.
- `atrigger(event, final)` runs an awaitable chain; request hooks around HTTP handlers use it.

The `final` function is the default action (PocketBase registers its own behaviour last);
a handler that does not call `next()` stops the chain, and an exception aborts it.
"""

from __future__ import annotations

import inspect
import itertools
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

__all__ = ["Event", "Hook", "TaggedHook", "Handler"]


class Event:
    """Base class of every hook event; `next()` calls the rest of the chain."""

    _next: Callable[[], Any] | None = None

    def next(self) -> Any:
        """Run the remaining handlers and the default action; returns what they return."""
        if self._next is None:
            return None
        return self._next()


E = TypeVar("E", bound=Event)
Handler = Callable[[E], Any]


@dataclass(order=True)
class _Entry(Generic[E]):
    priority: int
    seq: int
    id: str = field(compare=False)
    fn: Callable[[E], Any] = field(compare=False)
    tags: frozenset[str] = field(compare=False, default=frozenset())


_NO_HANDLERS: list[Any] = []


class Hook(Generic[E]):
    """An ordered list of handlers for one event type."""

    _seq = itertools.count()
    # Bumped whenever any hook's handlers change, so callers can cache what they derive.
    version = 0

    def __init__(self, name: str = "") -> None:
        self.name = name
        self._entries: list[_Entry[E]] = []
        self._user_handlers = False
        self._by_tags: dict[Any, list[Callable[[E], Any]]] = {}

    def bind(self, fn: Callable[[E], Any], id: str = "", priority: int = 0, tags: Iterable[str] = ()) -> str:
        """Add a handler; lower priority runs first, then order of binding. Returns its id."""
        seq = next(self._seq)
        hid = id or f"h{seq}"
        self.unbind(hid)
        self._entries.append(_Entry(priority, seq, hid, fn, frozenset(tags)))
        self._entries.sort()
        self._changed()
        return hid

    def unbind(self, *ids: str) -> None:
        """Remove handlers by id."""
        self._entries = [e for e in self._entries if e.id not in ids]
        self._changed()

    def unbind_all(self) -> None:
        self._entries = []
        self._changed()

    def _changed(self) -> None:
        self._by_tags = {}
        self._user_handlers = any(not e.id.startswith("__") for e in self._entries)
        Hook.version += 1

    def length(self) -> int:
        return len(self._entries)

    def has_user_handlers(self) -> bool:
        """Whether a handler other than palapy's own (ids starting with `__`) is bound."""
        return self._user_handlers

    def _handlers(self, tags: Iterable[str]) -> list[Callable[[E], Any]]:
        if not self._entries:
            return _NO_HANDLERS
        key = tags if isinstance(tags, tuple | frozenset) else None
        if key is not None:
            found = self._by_tags.get(key)
            if found is not None:
                return found
        wanted = set(tags)
        handlers = [e.fn for e in self._entries if not e.tags or e.tags & wanted]
        if key is not None and len(self._by_tags) < 1024:
            self._by_tags[key] = handlers
        return handlers

    def trigger(self, event: E, final: Callable[[E], Any] | None = None, tags: Iterable[str] = ()) -> Any:
        """Run the chain synchronously; `final(event)` is the default action at its end."""
        handlers = self._handlers(tags)
        if not handlers:  # the common case: only the default action
            event._next = None
            return final(event) if final else None

        def step(i: int) -> Any:
            if i < len(handlers):
                event._next = lambda: step(i + 1)
                return handlers[i](event)
            event._next = None
            return final(event) if final else None

        return step(0)

    async def atrigger(
        self, event: E, final: Callable[[E], Awaitable[Any] | Any] | None = None, tags: Iterable[str] = ()
    ) -> Any:
        """Run the chain with async handlers; `await e.next()` inside a handler continues it."""
        handlers = self._handlers(tags)
        if not handlers:  # the common case: only the default action
            event._next = None
            out = final(event) if final else None
            return (await out) if inspect.isawaitable(out) else out

        async def step(i: int) -> Any:
            if i < len(handlers):
                event._next = lambda: step(i + 1)
                out = handlers[i](event)
            else:
                event._next = None
                out = final(event) if final else None
            if inspect.isawaitable(out):
                out = await out
            return out

        return await step(0)


class TaggedHook(Hook[E]):
    """A hook whose handlers may be limited to some collections (by name or id)."""

    def bind_for(
        self, collections: Iterable[str], fn: Callable[[E], Any], id: str = "", priority: int = 0
    ) -> str:
        return self.bind(fn, id=id, priority=priority, tags=collections)
