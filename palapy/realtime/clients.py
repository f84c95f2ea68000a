"""What a realtime client carries besides its subscriptions: the auth bound by its last
subscription request (kept current as that record changes) and the IP it connected from."""

from __future__ import annotations

from typing import Any

from palapy.rules.request_info import RequestInfo
from palapy.schema.model import Collection
from palapy.subscriptions import Broker, Client, SubscriptionOptions

__all__ = [
    "AUTH_KEY",
    "IP_KEY",
    "ClientAuth",
    "bind_auth",
    "client_auth",
    "is_same_auth",
    "subscriber_request",
    "refresh_auth_record",
    "drop_auth_record",
    "drop_auth_collection",
]

AUTH_KEY = "auth"
IP_KEY = "pbRealtimeClientIP"
ClientAuth = tuple[Collection, dict[str, Any]]


def client_auth(client: Client) -> ClientAuth | None:
    """The (collection, record) the client is authenticated as, or None for a guest."""
    value: ClientAuth | None = client.store.get(AUTH_KEY)
    return value


def bind_auth(client: Client, auth: ClientAuth | None) -> None:
    """Make `auth` the client's (None: a guest)."""
    if auth is None:
        client.store.pop(AUTH_KEY, None)
    else:
        client.store[AUTH_KEY] = auth
    client.clear_caches()  # checks compiled for the old auth no longer hold


def is_same_auth(a: ClientAuth | None, b: ClientAuth | None) -> bool:
    """PocketBase's `isSameAuth`: both guests, or the same record of the same collection."""
    if a is None or b is None:
        return a is None and b is None
    return a[0].id == b[0].id and a[1].get("id") == b[1].get("id")


def subscriber_request(client: Client, options: SubscriptionOptions) -> RequestInfo:
    """The request a subscription's checks run as: the client's auth, the options' query and
    headers, method GET, context `realtime`."""
    auth = client_auth(client)
    return RequestInfo(
        auth=auth[1] if auth else None,
        auth_collection=auth[0] if auth else None,
        method="GET",
        headers=dict(options.headers),
        query=dict(options.query),
        context="realtime",
    )


def _clients_of(broker: Broker, collection: Collection) -> list[tuple[Client, ClientAuth]]:
    out = []
    for client in broker.clients():
        auth = client_auth(client)
        if auth is not None and auth[0].name == collection.name:
            out.append((client, auth))
    return out


def refresh_auth_record(broker: Broker, collection: Collection, record: dict[str, Any]) -> None:
    """An auth record was saved: clients authenticated as it see its new values, or become
    guests when its tokenKey changed (a password change or reset)."""
    for client, (_, current) in _clients_of(broker, collection):
        if current.get("id") != record.get("id"):
            continue
        if current.get("tokenKey") != record.get("tokenKey"):
            bind_auth(client, None)
        else:
            bind_auth(client, (collection, record))


def drop_auth_record(broker: Broker, collection: Collection, record_id: str) -> None:
    """An auth record was deleted: its clients become guests."""
    for client, (_, current) in _clients_of(broker, collection):
        if current.get("id") == record_id:
            bind_auth(client, None)


def drop_auth_collection(broker: Broker, collection: Collection) -> None:
    """An auth collection was deleted or its token secret changed: its clients become guests."""
    for client, _ in _clients_of(broker, collection):
        bind_auth(client, None)
