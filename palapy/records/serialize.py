"""Canonical records -> API JSON: sorted keys, hidden fields, auth email visibility, enrich hooks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import apsw

from palapy.collections.model import Collection
from palapy.collections.request_info import RequestInfo
from palapy.hooks.events import RecordEnrichEvent
from palapy.records._plan import ALWAYS_HIDDEN, plan_for
from palapy.records.access import manage_access

if TYPE_CHECKING:
    from palapy.core import App

__all__ = ["record_to_api", "RecordNode", "resolve_visibility", "node_to_api", "ALWAYS_HIDDEN"]


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


def resolve_visibility(
    app: App, conn: apsw.Connection, nodes: list[RecordNode], request: RequestInfo | None
) -> None:
    """Set the flags PocketBase derives from the requester: superusers see hidden fields and
    emails; an auth record sees its own email; managers see the emails they manage."""
    for node in nodes:
        node.request = request
        if request is None:
            continue
        if request.is_superuser:
            node.show_hidden = True
            node.show_email = True
            continue
        if not node.collection.is_auth or request.auth is None:
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


def node_to_api(app: App, node: RecordNode) -> dict[str, Any]:
    """Serialise a node (its expand tree first) and run `on_record_enrich` on the result."""
    expand: dict[str, Any] | None = None
    if node.expand is not None:
        expand = {}
        for key, value in node.expand.items():
            if isinstance(value, list):
                expand[key] = [node_to_api(app, v) for v in value]
            else:
                expand[key] = node_to_api(app, value)
    data = record_to_api(
        node.collection, node.record, show_hidden=node.show_hidden, show_email=node.show_email, expand=expand
    )
    hook = app.hooks.on_record_enrich
    if hook.length() == 0:
        return data  # what an empty chain gives back, without building the event
    event = RecordEnrichEvent(collection=node.collection, data=data, request=node.request)
    hook.trigger(event, tags=node.collection.hook_tags)
    return event.data
