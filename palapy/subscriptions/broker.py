"""The registry of connected realtime clients, indexed by the topics they follow."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from palapy.subscriptions.client import Client, Subscription
from palapy.subscriptions.message import Message

__all__ = ["Broker", "topic_root"]


def topic_root(subscription: str) -> str:
    """What a subscription is about: `posts/*?options=...` -> `posts`, `@oauth2` -> `@oauth2`."""
    end = len(subscription)
    for sep in ("/", "?"):
        i = subscription.find(sep)
        if 0 <= i < end:
            end = i
    return subscription[:end]


class Broker:
    """Connected clients by id, and their subscriptions indexed by topic root and rest, so a
    record event finds the subscriptions that concern it without looking at any other."""

    def __init__(self) -> None:
        self._clients: dict[str, Client] = {}
        # root -> rest (None for a bare root) -> (client id, name) -> subscription
        self._index: dict[str, dict[str | None, dict[tuple[str, str], Subscription]]] = {}
        self._indexed: dict[str, list[Subscription]] = {}
        self._lock = threading.Lock()

    def register(self, client: Client) -> None:
        with self._lock:
            self._clients[client.id] = client
        client.on_change = self._reindex
        self._reindex(client)

    def unregister(self, client_id: str) -> None:
        """Forget the client and discard it (a no-op for an unknown id)."""
        with self._lock:
            client = self._clients.pop(client_id, None)
            if client is None:
                return
            self._drop(client_id)
        client.on_change = None
        client.discard()

    def _drop(self, client_id: str) -> None:
        for entry in self._indexed.pop(client_id, []):
            by_rest = self._index.get(entry.root)
            if by_rest is None:
                continue
            found = by_rest.get(entry.rest)
            if found is not None:
                found.pop((client_id, entry.name), None)
                if not found:
                    del by_rest[entry.rest]
            if not by_rest:
                del self._index[entry.root]

    def _reindex(self, client: Client) -> None:
        entries = client.entries()
        with self._lock:
            if client.id not in self._clients:
                return
            self._drop(client.id)
            for entry in entries:
                self._index.setdefault(entry.root, {}).setdefault(entry.rest, {})[(client.id, entry.name)] = (
                    entry
                )
            self._indexed[client.id] = entries

    def client(self, client_id: str) -> Client | None:
        return self._clients.get(client_id)

    def clients(self) -> list[Client]:
        """Every connected client (a snapshot)."""
        with self._lock:
            return list(self._clients.values())

    def count(self) -> int:
        return len(self._clients)

    def following(self, roots: Iterable[str]) -> list[Client]:
        """The clients with a subscription whose root is one of `roots` (a snapshot, no repeats)."""
        with self._lock:
            found: dict[str, Client] = {}
            for root in roots:
                for by_key in self._index.get(root, {}).values():
                    for entry in by_key.values():
                        found[entry.client.id] = entry.client
            return list(found.values())

    def matching(self, roots: Iterable[str], rests: Iterable[str | None]) -> list[Subscription]:
        """The subscriptions with one of `roots` and one of `rests` (a snapshot)."""
        if not self._index:
            return []  # nobody subscribed to anything: the common case, without the lock
        wanted = tuple(rests)
        out: list[Subscription] = []
        with self._lock:
            for root in roots:
                by_rest = self._index.get(root)
                if by_rest:
                    for rest in wanted:
                        found = by_rest.get(rest)
                        if found:
                            out.extend(found.values())
        return out

    def publish(self, topic: str, data: bytes) -> int:
        """Send `data` as event `topic` to every client subscribed to exactly `topic` (custom
        topics, from hooks); returns how many clients it was queued for."""
        sent = 0
        for client in self.following([topic_root(topic)]):
            if client.has_subscription(topic):
                client.send(Message(topic, data))
                sent += 1
        return sent
