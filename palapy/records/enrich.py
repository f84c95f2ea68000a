"""Records to API answers: visibility flags, expansion and the enrich hooks, in one read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import apsw

from palapy.collections.model import Collection
from palapy.collections.request_info import RequestInfo
from palapy.records.expand import expand_nodes
from palapy.records.serialize import RecordNode, node_to_api, resolve_visibility

if TYPE_CHECKING:
    from palapy.core import App

__all__ = ["enrich_records", "enrich_record"]


def enrich_records(
    app: App,
    conn: apsw.Connection,
    collection: Collection,
    records: list[dict[str, Any]],
    request: RequestInfo | None,
    expand: str = "",
    *,
    show_email: bool = False,
    show_hidden: bool = False,
) -> list[dict[str, Any]]:
    """Serialise `records` for `request`, expanding `expand` (the raw `?expand=` value).

    `show_email`/`show_hidden` force the flags on (auth responses always show the email;
    superusers' own auth response shows every field).
    """
    nodes = [RecordNode(collection=collection, record=r) for r in records]
    resolve_visibility(app, conn, nodes, request)
    for node in nodes:
        node.show_email = node.show_email or show_email
        node.show_hidden = node.show_hidden or show_hidden
    if expand:
        expand_nodes(app, conn, nodes, expand, request)
    return [node_to_api(app, node) for node in nodes]


def enrich_record(
    app: App,
    conn: apsw.Connection,
    collection: Collection,
    record: dict[str, Any],
    request: RequestInfo | None,
    expand: str = "",
    *,
    show_email: bool = False,
    show_hidden: bool = False,
) -> dict[str, Any]:
    """`enrich_records` for one record."""
    return enrich_records(
        app, conn, collection, [record], request, expand, show_email=show_email, show_hidden=show_hidden
    )[0]
