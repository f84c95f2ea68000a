"""Canonical records -> API JSON: sorted keys, hidden fields, auth email visibility, enrich hooks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import apsw

from palapy.core import App
from palapy.hooks.events import RecordEnrichEvent
from palapy.records._plan import ALWAYS_HIDDEN, CollectionPlan, plan_for
from palapy.records.access import manage_access
from palapy.rules.request_info import RequestInfo
from palapy.schema.model import Collection

__all__ = [
    "record_to_api",
    "RecordNode",
    "batch_visibility",
    "resolve_visibility",
    "node_to_api",
    "ALWAYS_HIDDEN",
]


def record_to_api(
    collection: Collection,
    record: dict[str, Any],
    *,
    show_hidden: bool = False,
    show_email: bool = False,
    expand: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The record as the API returns it, keys sorted alphabetically.

    Hidden fields appear only with `show_hidden` (superusers); auth records never show
    `password`/`tokenKey` and show `email` only when `emailVisibility` or `show_email`.
    `expand` (already serialised) is added when not None.
    """
    # The key layout is worked out once per collection shape (see records._plan). PocketBase
    # exports a password field's plain value, which is empty once saved.
    return plan_for(collection).to_api(record, show_hidden=show_hidden, show_email=show_email, expand=expand)


@dataclass(eq=False)
class RecordNode:
    """A record on its way out: visibility flags and (when expansion ran) its expand tree."""

    collection: Collection
    record: dict[str, Any]
    show_hidden: bool = False
    show_email: bool = False
    expand: dict[str, RecordNode | list[RecordNode]] | None = None
    # Back-relation ids found during expansion, keyed by `coll_via_field`.
    extra: dict[str, list[str]] = field(default_factory=dict)
    request: RequestInfo | None = None


def batch_visibility(collection: Collection, request: RequestInfo | None) -> tuple[bool, bool] | None:
    """The (show_hidden, show_email) flags every record of `collection` gets for `request`,
    or None when they depend on the record (auth records seen by an authenticated
    non-superuser: their own record, emailVisibility, the manageRule)."""
    if request is None:
        return False, False
    if request.is_superuser:
        return True, True
    if not collection.is_auth or request.auth is None:
        return False, False
    return None


def resolve_visibility(
    app: App, conn: apsw.Connection, nodes: list[RecordNode], request: RequestInfo | None
) -> None:
    """Set the flags PocketBase derives from the requester: superusers see hidden fields and
    emails; an auth record sees its own email; managers see the emails they manage."""
    for node in nodes:
        node.request = request
        flags = batch_visibility(node.collection, request)
        if flags is not None or request is None or request.auth is None:
            if flags is not None and flags[0]:
                node.show_hidden = True
            if flags is not None and flags[1]:
                node.show_email = True
            continue
        if (
            request.auth_collection is not None
            and request.auth_collection.id == node.collection.id
            and request.auth.get("id") == node.record.get("id")
        ):
            node.show_email = True
        elif not node.show_email and not node.record.get("emailVisibility"):
            node.show_email = manage_access(
                app, conn, node.collection, request, record_id=str(node.record.get("id"))
            )


def node_to_api(app: App, node: RecordNode, plans: dict[int, CollectionPlan] | None = None) -> dict[str, Any]:
    """Serialise a node (its expand tree first) and run `on_record_enrich` on the result.

    `plans` keeps the collection plans found for one batch of nodes (by collection object), so
    a page of records looks its collection's plan up once.
    """
    if plans is None:
        plans = {}
    expand: dict[str, Any] | None = None
    if node.expand is not None:
        expand = {
            key: [node_to_api(app, v, plans) for v in value]
            if type(value) is list
            else node_to_api(app, value, plans)  # type: ignore[arg-type]
            for key, value in node.expand.items()
        }
    plan = plans.get(id(node.collection))
    if plan is None:
        plan = plans[id(node.collection)] = plan_for(node.collection)
    data = plan.to_api(node.record, show_hidden=node.show_hidden, show_email=node.show_email, expand=expand)
    hook = app.hooks.on_record_enrich
    if hook.length() == 0:
        return data  # what an empty chain gives back, without building the event
    event = RecordEnrichEvent(collection=node.collection, data=data, request=node.request)
    hook.trigger(event, tags=node.collection.hook_tags)
    return event.data
