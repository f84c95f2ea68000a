"""Records to API answers: visibility flags, expansion and the enrich hooks, in one read."""

from __future__ import annotations

from typing import Any

import apsw

from palapy.core import App
from palapy.records._plan import plan_for
from palapy.records.expand import expand_nodes
from palapy.records.rows import RowSet
from palapy.records.serialize import RecordNode, batch_visibility, node_to_api, resolve_visibility
from palapy.rules.request_info import RequestInfo
from palapy.schema.model import Collection

__all__ = ["enrich_records", "enrich_record", "is_plain", "serialize_plain", "serialize_plain_rows"]


def is_plain(app: App, collection: Collection, request: RequestInfo | None) -> bool:
    """Can records of `collection` be serialised for `request` without the database: the same
    visibility flags for every record (see `batch_visibility`) and no `on_record_enrich` handler?"""
    return batch_visibility(collection, request) is not None and app.hooks.on_record_enrich.length() == 0


def serialize_plain(
    app: App,
    collection: Collection,
    records: list[dict[str, Any]],
    request: RequestInfo | None,
    *,
    show_email: bool = False,
    show_hidden: bool = False,
) -> list[dict[str, Any]] | None:
    """`enrich_records` with nothing to expand, when `is_plain`; None when it is not."""
    flags = batch_visibility(collection, request)
    if flags is None or app.hooks.on_record_enrich.length():
        return None
    plan = plan_for(collection)
    hidden, email = flags[0] or show_hidden, flags[1] or show_email
    return [plan.to_api(r, show_hidden=hidden, show_email=email) for r in records]


def serialize_plain_rows(app: App, rows: RowSet, request: RequestInfo | None) -> list[dict[str, Any]] | None:
    """`serialize_plain` of `rows.records()`, decoding each row straight into its API record;
    None when that does not apply (not `is_plain`, or an auth collection)."""
    flags = batch_visibility(rows.collection, request)
    if flags is None or app.hooks.on_record_enrich.length():
        return None
    return rows.api_records(flags[0])


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
    if not expand:
        plain = serialize_plain(
            app, collection, records, request, show_email=show_email, show_hidden=show_hidden
        )
        if plain is not None:
            return plain
    nodes = [RecordNode(collection=collection, record=r) for r in records]
    resolve_visibility(app, conn, nodes, request)
    for node in nodes:
        node.show_email = node.show_email or show_email
        node.show_hidden = node.show_hidden or show_hidden
    if expand:
        expand_nodes(app, conn, nodes, expand, request)
    plans: dict[int, Any] = {}
    return [node_to_api(app, node, plans) for node in nodes]


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
