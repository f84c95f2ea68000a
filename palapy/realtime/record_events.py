"""Who may see a record change, and the message each of them gets.

PocketBase's rules for a change of record R in collection C:
- a subscription `C/R` (by name or id, with or without options) is checked against C's view
  rule; `C/*` and the older bare `C` against its list rule;
- the check runs with the subscriber's auth and the subscription's options (query, headers),
  method GET, context `realtime`; an options `filter` must match too (see `rules.many`);
- each passing subscription gets `{"record": ..., "action": ...}` serialised for it: hidden
  fields for superusers, the email for its owner or a manager, its own `expand` and `fields`,
  and the `on_record_enrich` hooks. The event name is the subscription exactly as sent.

All subscribers of one change are checked together: a rule text shared by many of them runs
as one query. Serialisations are shared too, by everyone who would get the same bytes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import apsw

from palapy.core import App
from palapy.realtime.clients import access_cache, client_auth, subscriber_request
from palapy.records.enrich import enrich_record
from palapy.records.serialize import batch_visibility
from palapy.rules.many import Access, compile_access, evaluate_many
from palapy.rules.request_info import RequestInfo
from palapy.schema.model import Collection
from palapy.subscriptions import Client, Message, SubscriptionOptions
from palapy.tools import jsonx
from palapy.tools.picker import pick_fields

__all__ = ["Target", "record_targets", "build_messages", "topic_roots"]

log = logging.getLogger("palapy.realtime")

VIEW, LIST = "view", "list"


@dataclass(slots=True)
class Target:
    """One subscription that follows a changed record, and which of its rules applies."""

    client: Client
    subscription: str
    options: SubscriptionOptions
    kind: str  # VIEW or LIST


def topic_roots(collection: Collection) -> tuple[str, str]:
    """The topic roots a record event of `collection` concerns: its name and its id."""
    return collection.name, collection.id


def record_targets(clients: Iterable[Client], collection: Collection, record_id: str) -> list[Target]:
    """The subscriptions among `clients` that a change of `record_id` concerns."""
    view_prefixes = (f"{collection.name}/{record_id}?", f"{collection.id}/{record_id}?")
    list_prefixes = (
        f"{collection.name}/*?",
        f"{collection.id}/*?",
        f"{collection.name}?",
        f"{collection.id}?",
    )
    targets: list[Target] = []
    for client in clients:
        if client.discarded:
            continue
        for sub, options in client.subscriptions(*view_prefixes, *list_prefixes).items():
            kind = VIEW if (sub + "?").startswith(view_prefixes) else LIST
            targets.append(Target(client, sub, options, kind))
    return targets


def _access(app: App, collection: Collection, target: Target, request: RequestInfo) -> Access:
    """The target's compiled check, cached on its client while the collection and auth stay."""
    cache = access_cache(target.client)
    key = ("access", target.subscription, collection.id, target.kind)
    found = cache.get(key)
    if found is not None and found[0] is collection:
        return found[1]  # type: ignore[no-any-return]
    rule = collection.viewRule if target.kind == VIEW else collection.listRule
    access = compile_access(collection, app.collections, request, rule, target.options.query)
    cache[key] = (collection, access)
    return access


def _payload_key(app: App, collection: Collection, target: Target, request: RequestInfo) -> Any:
    """Who gets the same bytes: with no enrich handlers and no expand, everyone with the same
    visibility flags; otherwise the same auth and options; with enrich handlers, one each."""
    query = target.options.query
    fields, expand = query.get("fields", ""), query.get("expand", "")
    if app.hooks.on_record_enrich.length():
        return ("one", target.client.id, target.subscription)
    flags = batch_visibility(collection, request)
    if flags is not None and not expand:
        return ("plain", flags, fields)
    auth = client_auth(target.client)
    who = (auth[0].id, auth[1].get("id")) if auth else None
    return ("request", who, tuple(sorted(query.items())), tuple(sorted(target.options.headers.items())))


def build_messages(
    app: App,
    conn: apsw.Connection,
    collection: Collection,
    record: dict[str, Any],
    action: str,
    targets: list[Target],
) -> list[tuple[Client, Message]]:
    """The messages for a change of `record` (`action`: create, update or delete), checked
    against the database state `conn` sees."""
    if not targets:
        return []
    record_id = str(record.get("id", ""))
    requests = [subscriber_request(t.client, t.subscription, t.options) for t in targets]
    checks = [_access(app, collection, t, r) for t, r in zip(targets, requests, strict=True)]
    passed = evaluate_many(conn, collection, record_id, checks)
    payloads: dict[Any, bytes | None] = {}
    out: list[tuple[Client, Message]] = []
    for target, request, ok in zip(targets, requests, passed, strict=True):
        if not ok:
            continue
        key = _payload_key(app, collection, target, request)
        if key not in payloads:
            payloads[key] = _payload(app, conn, collection, record, action, target.options, request)
        data = payloads[key]
        if data is not None:
            out.append((target.client, Message(target.subscription, data)))
    return out


def _payload(
    app: App,
    conn: apsw.Connection,
    collection: Collection,
    record: dict[str, Any],
    action: str,
    options: SubscriptionOptions,
    request: RequestInfo,
) -> bytes | None:
    query = options.query
    try:
        data: Any = enrich_record(app, conn, collection, record, request, query.get("expand", ""))
        fields = query.get("fields", "")
        if fields:
            data = pick_fields(data, fields)
        return jsonx.encode({"record": data, "action": action})
    except Exception:  # noqa: BLE001 - PocketBase skips a subscriber whose record fails to enrich
        log.debug("realtime: failed to serialise %s/%s", collection.name, record.get("id"), exc_info=True)
        return None
