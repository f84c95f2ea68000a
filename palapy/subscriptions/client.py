"""One realtime client: its id, its subscriptions, a small store, and a bounded outbox.

The connection that owns the client drains the outbox (`take`) whenever `wait` wakes it. A
client that falls too far behind is discarded rather than allowed to grow memory: its
connection then ends, and the SDK reconnects and subscribes again.
"""

from __future__ import annotations

import asyncio
import threading
from collections import deque
from typing import Any

from palapy.subscriptions.message import Message
from palapy.subscriptions.options import SubscriptionOptions, parse_options
from palapy.tools.ids import random_string

__all__ = ["Client", "Subscription", "MAX_PENDING_MESSAGES", "MAX_PENDING_BYTES"]

# A reader this far behind is dropped (PocketBase would keep one goroutine per message).
MAX_PENDING_MESSAGES = 500
MAX_PENDING_BYTES = 512 * 1024


class Subscription:
    """One subscription of a client: the string as sent, its options, and its topic split as
    PocketBase matches topics: `posts/*?options=...` has root `posts` and rest `*`; `posts` has
    no rest (None); `posts/abc` has rest `abc`. `cache` belongs to the layers above (realtime
    keeps the subscriber's compiled checks there); it is emptied when the client's auth changes.
    """

    __slots__ = ("name", "options", "root", "rest", "client", "cache")

    def __init__(self, name: str, client: Client) -> None:
        self.name = name
        self.options = parse_options(name)
        path = name.split("?", 1)[0]
        root, slash, rest = path.partition("/")
        self.root = root
        self.rest: str | None = rest if slash else None
        self.client = client
        self.cache: Any = None

    def __repr__(self) -> str:
        return f"Subscription({self.name!r})"


class Client:
    """A subscriber. `id` is 40 random alphanumerics; `store` holds what the app binds to it
    (its auth, its IP). Subscriptions map the string as sent to its parsed options."""

    __slots__ = (
        "id",
        "store",
        "_subscriptions",
        "_outbox",
        "_pending_bytes",
        "_wake",
        "_loop",
        "_loop_thread",
        "discarded",
        "on_change",
        "on_discard",
    )

    def __init__(self, client_id: str = "") -> None:
        self.id = client_id or random_string(40)
        self.store: dict[str, Any] = {}
        self._subscriptions: dict[str, Subscription] = {}
        self._outbox: deque[Message] = deque()
        self._pending_bytes = 0
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self.discarded = False
        # Set by the broker: called after the subscriptions change, to keep its index current.
        self.on_change: Any = None
        # Set by the connection: called once the client is discarded (to stop a stuck write).
        self.on_discard: Any = None

    # -- subscriptions ---------------------------------------------------------
    def subscribe(self, *subscriptions: str) -> None:
        """Add subscriptions (empty strings are skipped); each keeps its options."""
        for sub in subscriptions:
            if sub:
                self._subscriptions[sub] = Subscription(sub, self)
        if self.on_change is not None:
            self.on_change(self)

    def unsubscribe(self, *subscriptions: str) -> None:
        """Remove the given subscriptions, or all of them when none are given."""
        if subscriptions:
            for sub in subscriptions:
                self._subscriptions.pop(sub, None)
        else:
            self._subscriptions.clear()
        if self.on_change is not None:
            self.on_change(self)

    def has_subscription(self, subscription: str) -> bool:
        return subscription in self._subscriptions

    def subscriptions(self, *prefixes: str) -> dict[str, SubscriptionOptions]:
        """All subscriptions, or those that (with a `?` appended) start with one of `prefixes`:
        `posts/*?` matches both `posts/*` and `posts/*?options=...`, as in PocketBase."""
        current = dict(self._subscriptions)  # one C-level copy: safe to call from any thread
        if not prefixes:
            return {s: e.options for s, e in current.items()}
        return {s: e.options for s, e in current.items() if (s + "?").startswith(prefixes)}

    def entries(self) -> list[Subscription]:
        """The subscriptions themselves (a snapshot)."""
        return list(self._subscriptions.values())

    def clear_caches(self) -> None:
        """Forget what the layers above cached per subscription (the client's auth changed)."""
        for entry in list(self._subscriptions.values()):
            entry.cache = None

    # -- messages --------------------------------------------------------------
    def attach(self, loop: asyncio.AbstractEventLoop) -> None:
        """Bind the client to the event loop of the connection that drains it."""
        self._loop = loop
        self._loop_thread = threading.get_ident()
        self._wake = asyncio.Event()

    def send(self, message: Message) -> None:
        """Queue `message` for the connection; safe from any thread. A client that is not
        connected or already discarded ignores it."""
        if self.discarded or self._loop is None:
            return
        if threading.get_ident() == self._loop_thread:
            self._queue(message)
        else:
            try:
                self._loop.call_soon_threadsafe(self._queue, message)
            except RuntimeError:
                pass  # the loop is closed: nobody is listening any more

    def _queue(self, message: Message) -> None:
        if self.discarded:
            return
        self._outbox.append(message)
        self._pending_bytes += len(message.data) + len(message.name)
        if len(self._outbox) > MAX_PENDING_MESSAGES or self._pending_bytes > MAX_PENDING_BYTES:
            self.discard()
            return
        if self._wake is not None:
            self._wake.set()

    def take(self) -> list[Message]:
        """Every queued message, oldest first; the outbox is left empty."""
        messages = list(self._outbox)
        self._outbox.clear()
        self._pending_bytes = 0
        return messages

    async def wait(self) -> None:
        """Until a message is queued or the client is discarded."""
        wake = self._wake
        if wake is None:
            raise RuntimeError("the client is not attached to a connection")
        if self._outbox or self.discarded:
            return
        wake.clear()
        await wake.wait()

    def discard(self) -> None:
        """Stop the client: no more messages; its connection ends. Callable from its loop."""
        if self.discarded:
            return
        self.discarded = True
        self._outbox.clear()
        self._pending_bytes = 0
        if self._wake is not None:
            self._wake.set()
        if self.on_discard is not None:
            self.on_discard()

    def __repr__(self) -> str:
        return f"Client({self.id!r}, {len(self._subscriptions)} subscriptions)"
