"""One record checked for many requesters at once (realtime: every subscriber of a write).

A check is compiled once per requester (`compile_access`): it is already decided (superusers,
`""` and null rules, refused filters) or it is a WHERE expression whose request values are
bound parameters. Requesters whose expressions share their text differ only in those values,
so `evaluate_many` answers all of them with one query: their values become the rows of a
CTE the expression reads instead of parameters.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

import apsw

from palapy.rules.filters import check_superuser_only, compile_filter
from palapy.rules.request_info import RequestInfo
from palapy.schema.model import Collection
from palapy.schema.registry import CollectionRegistry
from palapy.search.sql import SqlExpr, col, ident
from palapy.tools.errors import ApiError

__all__ = ["compile_access", "evaluate_many", "Access", "Check"]


class Check(NamedTuple):
    """A WHERE over the record's table with its bound values; `key` identifies the pair (so
    requesters asking the same thing share one answer)."""

    sql: str
    params: list[Any]
    key: tuple[Any, ...]


Access = bool | Check
"""A compiled check: decided (True/False) or a WHERE to run."""


def _check(sql: str, params: list[Any]) -> Check:
    # A list value stands for itself by identity in the key (it cannot be hashed).
    values = tuple(p if not isinstance(p, list | dict) else ("__unhashable__", id(p)) for p in params)
    return Check(sql, params, (sql, values))


# SQLite allows 32766 bound values per statement; keep each query well below it.
_MAX_VALUES = 30000
_ROWS = "__rt"


def compile_access(
    collection: Collection,
    registry: CollectionRegistry,
    request: RequestInfo,
    rule: str | None,
    options_query: dict[str, str] | None = None,
) -> Access:
    """PocketBase's realtime access check, compiled: the rule (superusers pass, null refuses,
    `""` admits) and then the subscription's own `filter`, which non-superusers may not write
    against `@request.`/`@collection.` (nor their `sort`), and which never sees hidden fields."""
    query = options_query or {}
    filter_text = query.get("filter", "")
    parts: list[SqlExpr] = []
    if not request.is_superuser:
        if rule is None:
            return False
        if rule:
            try:
                parts.append(
                    compile_filter(rule, collection, registry, request, alias=collection.name, client=False)
                )
            except ApiError:
                return False
    if filter_text:
        try:
            check_superuser_only(request, query.get("filter"), query.get("sort"))
            parts.append(
                compile_filter(
                    filter_text,
                    collection,
                    registry,
                    request,
                    alias=collection.name,
                    client=True,
                    allow_hidden=False,
                    limit_length=False,
                )
            )
        except ApiError:
            return False
    if not parts:
        return True
    if len(parts) == 1:
        return _check(parts[0].sql, parts[0].params)
    return _check(" AND ".join(f"({p.sql})" for p in parts), [v for p in parts for v in p.params])


def _single(conn: apsw.Connection, collection: Collection, record_id: str, where: Check) -> bool:
    alias = ident(collection.name)
    sql = (
        f"SELECT 1 FROM {alias} AS {alias} WHERE {col(collection.name, 'id').text()} = ? "
        f"AND ({where.sql}) LIMIT 1"
    )
    return conn.execute(sql, [record_id, *where.params]).fetchone() is not None


def _group(
    conn: apsw.Connection, collection: Collection, record_id: str, wheres: Sequence[Check]
) -> set[int]:
    """Indexes (into `wheres`, which share one text) of the expressions the record satisfies."""
    text = wheres[0].sql
    pieces = text.split("?")
    count = len(pieces) - 1
    if any(len(w.params) != count for w in wheres):
        raise ValueError("a compiled rule has a literal '?' outside its parameters")
    columns = ", ".join(["`k`", *(f"`p{i}`" for i in range(count))])
    refs = [f"`{_ROWS}`.`p{i}`" for i in range(count)]
    body = pieces[0] + "".join(ref + piece for ref, piece in zip(refs, pieces[1:], strict=True))
    alias = ident(collection.name)
    per_row = count + 1
    chunk = max(1, _MAX_VALUES // per_row)
    passed: set[int] = set()
    for start in range(0, len(wheres), chunk):
        part = wheres[start : start + chunk]
        row = "(" + ", ".join("?" * per_row) + ")"
        values: list[object] = []
        for offset, where in enumerate(part):
            values.append(start + offset)
            values.extend(where.params)
        sql = (
            f"WITH `{_ROWS}`({columns}) AS (VALUES {', '.join([row] * len(part))}) "
            f"SELECT `{_ROWS}`.`k` FROM `{_ROWS}`, {alias} AS {alias} "
            f"WHERE {col(collection.name, 'id').text()} = ? AND ({body})"
        )
        passed.update(int(r[0]) for r in conn.execute(sql, [*values, record_id]))
    return passed


def evaluate_many(
    conn: apsw.Connection, collection: Collection, record_id: str, checks: Sequence[Access]
) -> list[bool]:
    """Whether the stored record `record_id` passes each check, in order. A check that fails
    at run time (a JSON path SQLite rejects, the read budget) passes nobody, as in PocketBase."""
    results = [c if isinstance(c, bool) else False for c in checks]
    # Requesters with the same text and values share one answer (e.g. one user's many tabs).
    distinct: dict[tuple[Any, ...], list[int]] = {}
    exprs: dict[int, Check] = {}
    for i, check in enumerate(checks):
        if check is True or check is False:
            continue
        found = distinct.get(check.key)
        if found is None:
            distinct[check.key] = [i]
            exprs[i] = check
        else:
            found.append(i)
    by_text: dict[str, list[list[int]]] = {}
    for (text, _), members in distinct.items():
        by_text.setdefault(text, []).append(members)
    for groups in by_text.values():
        wheres = [exprs[members[0]] for members in groups]
        try:
            if len(groups) == 1:
                answers = [_single(conn, collection, record_id, wheres[0])]
            else:
                passed = _group(conn, collection, record_id, wheres)
                answers = [j in passed for j in range(len(groups))]
        except apsw.Error:
            continue
        for members, ok in zip(groups, answers, strict=True):
            for i in members:
                results[i] = ok
    return results
