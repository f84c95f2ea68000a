"""`?expand=`: relations and back-relations (`coll_via_field`), up to 6 levels deep.

Each related record is fetched with its own collection's viewRule (superusers skip it); a
failing path is only logged. Every record an expansion reached gets an `expand` object,
even an empty one, exactly like PocketBase.
"""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Callable

import apsw

from palapy.core import App
from palapy.db.connection import query_all, quote_ident
from palapy.records.access import record_matches
from palapy.records.rows import fetch_records_by_ids
from palapy.records.serialize import RecordNode, resolve_visibility
from palapy.rules.request_info import RequestInfo
from palapy.schema.fields import RelationField
from palapy.schema.indexes import find_single_column_unique_index
from palapy.schema.model import Collection
from palapy.search.sql import Sql, json_each

__all__ = ["normalize_expands", "expand_nodes", "expands_forward_only", "MAX_EXPAND_DEPTH", "ExpandError"]

log = logging.getLogger("palapy.records")

MAX_EXPAND_DEPTH = 6
_BACK_REL = re.compile(r"^(\w+)_via_(\w+)$")
_BACK_REL_OLD = re.compile(r"^(\w+)\((\w+)\)$")
Fetch = Callable[[Collection, list[str]], list[RecordNode]]


class ExpandError(Exception):
    """One expand path could not be resolved (logged, never answered to the client)."""


def normalize_expands(paths: list[str]) -> list[str]:
    """Remove spaces and dangling dots; drop paths that another path extends (`a` with `a.b`)."""
    cleaned = [p.replace(" ", "").strip(".") for p in paths]
    cleaned = [p for p in cleaned if p]
    result: list[str] = []
    for i, p in enumerate(cleaned):
        if any(j != i and q.startswith(p + ".") for j, q in enumerate(cleaned)):
            continue
        if p not in result:
            result.append(p)
    return result


def _has_unique_single_index(collection: Collection, column: str) -> bool:
    try:
        return find_single_column_unique_index(collection.indexes, column) is not None
    except ValueError:
        return False


def _make_fetch(app: App, conn: apsw.Connection, request: RequestInfo | None) -> Fetch:
    expand_request = copy.copy(request) if request is not None else RequestInfo()
    expand_request.context = "expand"

    def fetch(collection: Collection, ids: list[str]) -> list[RecordNode]:
        records = fetch_records_by_ids(conn, collection, ids)
        if not expand_request.is_superuser:
            rule = collection.viewRule
            if rule is None:
                raise ExpandError(f"only superusers can view collection {collection.name!r} records")
            if rule != "":
                records = [
                    r
                    for r in records
                    if record_matches(app, conn, collection, str(r.get("id")), rule, expand_request)
                ]
        nodes = [RecordNode(collection=collection, record=r) for r in records]
        resolve_visibility(app, conn, nodes, expand_request)
        return nodes

    return fetch


def _node_ids(node: RecordNode, key: str, back: bool) -> list[str]:
    if back:
        return list(node.extra.get(key, []))
    value = node.record.get(key)
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str) and v]
    return [value] if isinstance(value, str) and value else []


def _merge_expand(target: RecordNode, old: RecordNode) -> None:
    if old.expand is None:
        return
    if target.expand is None:
        target.expand = {}
    for key, value in old.expand.items():
        if key not in target.expand:
            target.expand[key] = value


def _expand(
    app: App, conn: apsw.Connection, nodes: list[RecordNode], path: str, fetch: Fetch, level: int
) -> None:
    if not path or level > MAX_EXPAND_DEPTH or not nodes:
        return
    main = nodes[0].collection
    head, _, rest = path.partition(".")
    m = _BACK_REL_OLD.match(head) if "(" in head else _BACK_REL.match(head)
    back = m is not None
    if m is not None:
        target = app.collections.find(m.group(1))
        if target is None:
            raise ExpandError(f"couldn't find back-related collection {m.group(1)!r}")
        back_field = target.field(m.group(2))
        if not isinstance(back_field, RelationField) or back_field.collectionId != main.id:
            raise ExpandError(
                f"couldn't find back-relation field {m.group(2)!r} in collection {target.name!r}"
            )
        table = quote_ident(target.name)
        col = quote_ident(back_field.name)
        if back_field.is_multiple():
            where = f"EXISTS (SELECT 1 FROM {json_each(Sql(col)).text()} je WHERE je.value = ?)"
        else:
            where = f"{col} = ?"
        sql = f"SELECT `id` FROM {table} WHERE {where} LIMIT 1000"
        for node in nodes:
            ids = [str(r["id"]) for r in query_all(conn, sql, (node.record.get("id"),))]
            if ids:
                node.extra[head] = ids
        multiple = not _has_unique_single_index(target, back_field.name)
    else:
        rel = main.field(head)
        if not isinstance(rel, RelationField):
            raise ExpandError(f"couldn't find relation field {head!r} in collection {main.name!r}")
        found = app.collections.find(rel.collectionId)
        if found is None:
            raise ExpandError(f"couldn't find related collection {rel.collectionId!r}")
        target = found
        multiple = rel.is_multiple()

    wanted: dict[str, None] = {}  # the ids in order of first appearance
    for node in nodes:
        for rid in _node_ids(node, head, back):
            wanted[rid] = None
    rels = fetch(target, list(wanted))
    if rest:
        _expand(app, conn, rels, rest, fetch, level + 1)
    by_id = {str(r.record.get("id")): r for r in rels}

    for node in nodes:
        if node.expand is None:
            node.expand = {}
        valid = [by_id[i] for i in _node_ids(node, head, back) if i in by_id]
        if not valid:
            continue
        old = node.expand.get(head)
        old_nodes = old if isinstance(old, list) else ([old] if old is not None else [])
        for old_node in old_nodes:
            for new_node in valid:
                if str(new_node.record.get("id")) == str(old_node.record.get("id")):
                    _merge_expand(new_node, old_node)
        node.expand[head] = valid if multiple else valid[0]


def expands_forward_only(expand_param: str) -> bool:
    """Does `expand_param` follow relation fields only (no back-relation, whose look-up may scan
    a whole table per record)? Then expanding costs primary-key look-ups and Python work."""
    return "_via_" not in expand_param and "(" not in expand_param


def expand_nodes(
    app: App, conn: apsw.Connection, nodes: list[RecordNode], expand_param: str, request: RequestInfo | None
) -> None:
    """Expand `nodes` (all of one collection) along the comma-separated `expand_param` paths."""
    paths = normalize_expands(expand_param.split(","))
    if not paths or not nodes:
        return
    fetch = _make_fetch(app, conn, request)
    for path in paths:
        try:
            _expand(app, conn, nodes, path, fetch, 1)
        except Exception as exc:  # noqa: BLE001 - expansion failures are logged only, like PocketBase
            log.warning("failed to expand %r: %s", path, exc)
