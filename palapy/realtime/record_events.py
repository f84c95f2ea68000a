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
from typing import Any

import apsw

from palapy.core import App
from palapy.realtime.clients import client_auth, subscriber_request
from palapy.records.enrich import enrich_record
from palapy.records.serialize import batch_visibility
from palapy.rules.many import Access, compile_access, evaluate_many
from palapy.rules.request_info import RequestInfo
from palapy.schema.model import Collection
from palapy.subscriptions import Broker, Client, Message, Subscription, SubscriptionOptions
from palapy.tools import jsonx
from palapy.tools.picker import pick_fields

__all__ = ["Target", "record_targets", "build_messages"]

log = logging.getLogger("palapy.realtime")

VIEW, LIST = "view", "list"
Target = tuple[Subscription, str]
"""A subscription that a changed record concerns, and which of its rules applies (VIEW/LIST)."""


class _Checked:
    """What a subscription keeps between events (in `Subscription.cache`): the request it is
    checked as and its compiled check for one collection and rule kind. The client's auth
    changing empties it; a collection change gives a new collection object, so it is rebuilt."""

    __slots__ = ("request", "collection", "kind", "access")

    def __init__(self, request: RequestInfo, collection: Collection, kind: str, access: Access) -> None:
        self.request = request
        self.collection = collection
        self.kind = kind
        self.access = access


def record_targets(broker: Broker, collection: Collection, record_id: str) -> list[Target]:
    """The subscriptions a change of `record_id` concerns: `C/*` and bare `C` (list rule) and
    `C/<id>` (view rule), C by name or id, options or not."""
    roots = (collection.name, collection.id)
    return [
        (e, VIEW if e.rest == record_id else LIST)
        for e in broker.matching(roots, (None, "*", record_id))
        if not e.client.discarded
    ]


def _checked(app: App, collection: Collection, entry: Subscription, kind: str) -> _Checked:
    state: _Checked | None = entry.cache
    if state is not None and state.collection is collection and state.kind == kind:
        return state
    request = state.request if state is not None else subscriber_request(entry.client, entry.options)
    rule = collection.viewRule if kind == VIEW else collection.listRule
    access = compile_access(collection, app.collections, request, rule, entry.options.query)
    state = _Checked(request, collection, kind, access)
    entry.cache = state
    return state


def _payload_key(app: App, collection: Collection, entry: Subscription, request: RequestInfo) -> Any:
    """Who gets the same bytes: with no enrich handlers and no expand, everyone with the same
    visibility flags; otherwise the same auth and options; with enrich handlers, one each."""
    query = entry.options.query
    fields, expand = query.get("fields", ""), query.get("expand", "")
    if app.hooks.on_record_enrich.length():
        return ("one", entry.client.id, entry.name)
    flags = batch_visibility(collection, request)
    if flags is not None and not expand:
        return ("plain", flags, fields)
    auth = client_auth(entry.client)
    who = (auth[0].id, auth[1].get("id")) if auth else None
    return ("request", who, tuple(sorted(query.items())), tuple(sorted(entry.options.headers.items())))


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
    states = [_checked(app, collection, entry, kind) for entry, kind in targets]
    passed = evaluate_many(conn, collection, record_id, [state.access for state in states])
    payloads: dict[Any, bytes | None] = {}
    out: list[tuple[Client, Message]] = []
    for (entry, _), state, ok in zip(targets, states, passed, strict=True):
        if not ok:
            continue
        key = _payload_key(app, collection, entry, state.request)
        if key not in payloads:
            payloads[key] = _payload(app, conn, collection, record, action, entry.options, state.request)
        data = payloads[key]
        if data is not None:
            out.append((entry.client, Message(entry.name, data)))
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
