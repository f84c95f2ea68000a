"""The realtime side of record and collection changes, bound to their hooks.

Create and update events are checked and serialised once the write has committed; a delete
event is built just before the row goes (its rules must still see it, checked against the
committed state as PocketBase does) and sent once the delete has committed. Nothing is sent
for a write that rolls back. Events reach each client in commit order: their checks run
concurrently on the readers, their delivery in sequence.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable
from typing import Any

from palapy.core import App
from palapy.hooks.events import CollectionEvent, RecordEvent
from palapy.realtime.clients import drop_auth_collection, drop_auth_record, refresh_auth_record
from palapy.realtime.record_events import build_messages, record_targets
from palapy.schema.model import Collection
from palapy.subscriptions import Client, Message

__all__ = ["Broadcaster", "bind_realtime"]

log = logging.getLogger("palapy.realtime")

Messages = list[tuple[Client, Message]]
# PocketBase's priorities: its realtime handlers run first after a commit, last before a delete.
FIRST, LAST = -99, 99


class Broadcaster:
    """Builds and delivers record events for `app`'s subscribers, in commit order."""

    def __init__(self, app: App) -> None:
        self.app = app
        self._pending: deque[Awaitable[Messages]] = deque()
        self._wake: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._worker: asyncio.Task[None] | None = None

    def submit(self, collection: Collection, record: dict[str, Any], action: str) -> None:
        """Queue a committed create or update; its checks start now, on a reader."""
        targets = record_targets(self.app.subscriptions, collection, str(record.get("id", "")))
        if not targets:
            return
        app = self.app
        future = asyncio.ensure_future(
            app.db.read(lambda conn: build_messages(app, conn, collection, record, action, targets))
        )
        self._enqueue(future)

    def prepare_delete(self, collection: Collection, record: dict[str, Any]) -> Messages:
        """On the writer, before the row goes: the delete event's messages, checked against
        the committed state (where cascaded parents are still there)."""
        targets = record_targets(self.app.subscriptions, collection, str(record.get("id", "")))
        if not targets:
            return []
        app = self.app
        return app.db.read_sync(lambda conn: build_messages(app, conn, collection, record, "delete", targets))

    def submit_ready(self, messages: Messages) -> None:
        """Queue messages built earlier (a committed delete)."""
        if messages:
            future: asyncio.Future[Messages] = asyncio.get_running_loop().create_future()
            future.set_result(messages)
            self._enqueue(future)

    def _enqueue(self, item: Awaitable[Messages]) -> None:
        loop = asyncio.get_running_loop()
        if self._loop is not loop or self._worker is None or self._worker.done():
            self._loop = loop
            self._wake = asyncio.Event()
            self._pending = deque()
            self._worker = loop.create_task(self._deliver())
        self._pending.append(item)
        assert self._wake is not None
        self._wake.set()

    async def _deliver(self) -> None:
        wake = self._wake
        assert wake is not None
        while True:
            if not self._pending:
                wake.clear()
                await wake.wait()
                continue
            item = self._pending[0]
            try:
                messages = await item
            except Exception:  # noqa: BLE001 - one failed event must not stop the others
                log.exception("realtime: failed to build an event")
                messages = []
            finally:
                self._pending.popleft()
            for client, message in messages:
                client.send(message)

    async def idle(self) -> None:
        """Until every queued event has been handed to its clients (tests, shutdown)."""
        while self._pending:
            await asyncio.sleep(0.001)


def bind_realtime(app: App) -> Broadcaster:
    """Bind the record and collection hooks realtime needs; returns the broadcaster."""
    broadcaster = Broadcaster(app)
    hooks = app.hooks
    broker = app.subscriptions

    def after_create(e: RecordEvent) -> Any:
        broadcaster.submit(e.collection, e.record, "create")
        return e.next()

    def after_update(e: RecordEvent) -> Any:
        if e.collection.is_auth:
            refresh_auth_record(broker, e.collection, e.record)
        broadcaster.submit(e.collection, e.record, "update")
        return e.next()

    def before_delete(e: RecordEvent) -> Any:
        if not e.collection.is_view:
            try:
                messages = broadcaster.prepare_delete(e.collection, e.record)
            except Exception:  # noqa: BLE001 - a failed event must not fail the delete
                log.exception("realtime: failed to prepare a delete event")
                messages = []
            if messages:
                app.db.after_commit(lambda: broadcaster.submit_ready(messages))
        return e.next()

    def after_delete(e: RecordEvent) -> Any:
        if e.collection.is_auth:
            drop_auth_record(broker, e.collection, str(e.record.get("id", "")))
        return e.next()

    def after_collection_update(e: CollectionEvent) -> Any:
        if e.collection.is_auth and e.original is not None:
            before = e.original.option_dict("authToken").get("secret")
            if before != e.collection.option_dict("authToken").get("secret"):
                drop_auth_collection(broker, e.collection)
        return e.next()

    def after_collection_delete(e: CollectionEvent) -> Any:
        if e.collection.is_auth:
            drop_auth_collection(broker, e.collection)
        return e.next()

    hooks.on_record_after_create_success.bind(after_create, id="__realtime__", priority=FIRST)
    hooks.on_record_after_update_success.bind(after_update, id="__realtime__", priority=FIRST)
    hooks.on_record_delete.bind(before_delete, id="__realtime__", priority=LAST)
    hooks.on_record_after_delete_success.bind(after_delete, id="__realtime__", priority=FIRST)
    hooks.on_collection_after_update_success.bind(after_collection_update, id="__realtime__", priority=FIRST)
    hooks.on_collection_after_delete_success.bind(after_collection_delete, id="__realtime__", priority=FIRST)
    return broadcaster
