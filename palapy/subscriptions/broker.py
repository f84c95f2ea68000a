"""The registry of connected realtime clients, indexed by the topics they follow."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from palapy.subscriptions.client import Client
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
    """Connected clients by id, and by the root of each topic they subscribe to (so a record
    event only looks at the clients following its collection)."""

    def __init__(self) -> None:
        self._clients: dict[str, Client] = {}
        self._by_root: dict[str, dict[str, Client]] = {}
        self._roots: dict[str, frozenset[str]] = {}
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
            for root in self._roots.pop(client_id, frozenset()):
                followers = self._by_root.get(root)
                if followers is not None:
                    followers.pop(client_id, None)
                    if not followers:
                        del self._by_root[root]
        client.on_change = None
        client.discard()

    def _reindex(self, client: Client) -> None:
        roots = frozenset(topic_root(s) for s in client.subscriptions())
        with self._lock:
            if client.id not in self._clients:
                return
            old = self._roots.get(client.id, frozenset())
            for root in old - roots:
                followers = self._by_root.get(root)
                if followers is not None:
                    followers.pop(client.id, None)
                    if not followers:
                        del self._by_root[root]
            for root in roots - old:
                self._by_root.setdefault(root, {})[client.id] = client
            self._roots[client.id] = roots

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
                found.update(self._by_root.get(root, {}))
            return list(found.values())

    def publish(self, topic: str, data: bytes) -> int:
        """Send `data` as event `topic` to every client subscribed to exactly `topic` (custom
        topics, from hooks); returns how many clients it was queued for."""
        sent = 0
        for client in self.following([topic_root(topic)]):
            if client.has_subscription(topic):
                client.send(Message(topic, data))
                sent += 1
        return sent
