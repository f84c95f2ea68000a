"""Rules evaluated on records: does a stored row, or a would-be row, satisfy a rule?

The rule (and an optional client filter) is compiled by `filters.py` and run as one SELECT
against the stored row, or against a one-row CTE standing in for the collection's table.
"""

from __future__ import annotations

import secrets
import string
from typing import Any

import apsw

from palapy.rules.filters import compile_filter, compile_search
from palapy.rules.request_info import RequestInfo
from palapy.schema.model import Collection
from palapy.schema.registry import CollectionRegistry
from palapy.search.errors import FilterError
from palapy.search.sql import Param, Sql, col, ident, render
from palapy.tools.errors import ApiError
from palapy.tools.gocast import go_json

__all__ = ["rule_matches_record", "rule_matches_new_record"]


def rule_matches_record(
    conn: apsw.Connection,
    collection: Collection,
    record_id: str,
    rule: str | None,
    request: RequestInfo,
    registry: CollectionRegistry,
    *,
    filter: str = "",
) -> bool:
    """Whether the stored record `record_id` satisfies `rule` ("" always; null only for superusers).

    `filter` is an optional client filter (e.g. realtime subscription options) evaluated
    with the rule in one join space, with client restrictions. A rule or filter that does
    not compile matches nothing (PocketBase then answers 404).
    """
    if rule is None and not request.is_superuser:
        return False
    if not rule and not filter:
        return True
    alias = collection.name
    try:
        if filter:
            where, _ = compile_search(collection, registry, request, alias=alias, rule=rule, filter=filter)
        else:
            where = compile_filter(rule or "", collection, registry, request, alias=alias, client=False)
    except ApiError:
        return False
    sql = (
        f"SELECT 1 FROM {ident(collection.name)} AS {ident(alias)} "
        f"WHERE {col(alias, 'id').text()} = ? AND ({where.sql}) LIMIT 1"
    )
    try:
        return conn.execute(sql, [record_id, *where.params]).fetchone() is not None
    except apsw.Error:
        # A rule that fails at run time (e.g. a JSON path SQLite rejects, or the query
        # time budget) matches nothing, as a failing lookup does in PocketBase.
        return False


def _random_part() -> str:
    return "".join(secrets.choice(string.ascii_lowercase + string.digits) for _ in range(6))


def _db_param(value: Any) -> Any:
    if isinstance(value, (dict, list, tuple)):
        return go_json(value)
    return value


def rule_matches_new_record(
    conn: apsw.Connection,
    collection: Collection,
    values: dict[str, Any],
    rule: str | None,
    request: RequestInfo,
    registry: CollectionRegistry,
) -> bool:
    """createRule (and manageRule-on-create) semantics: evaluate `rule` against the would-be record.

    `values` are the record's DB values (field name -> `to_db` value). They become a one-row
    CTE standing in for the collection's table; missing fields get their empty DB value, a
    missing id a temporary one, and `verified` is forced to false for auth collections.
    As in PocketBase the stand-in has its own name and id, so back-relations to it do not
    resolve (the rule then fails) while `@collection.<name>` reads the real table.
    """
    if rule is None:
        return request.is_superuser
    if rule == "":
        return True
    suffix = "__pb_create__" + _random_part()
    dummy = collection.clone()
    dummy.id += suffix
    dummy.name += suffix
    row: dict[str, Any] = {}
    for fld in collection.fields:
        row[fld.name] = values[fld.name] if fld.name in values else fld.to_db(fld.empty_value())
    if not row.get("id"):
        row["id"] = "__temp_id__" + suffix
    if collection.is_auth and "verified" in row:
        row["verified"] = False
    selects = Sql.join(", ", [Sql(Param(_db_param(v)), " AS ", ident(k)) for k, v in row.items()])
    try:
        where = compile_filter(rule, dummy, registry, request, alias=dummy.name, client=False)
    except FilterError:
        return False
    cte = render(Sql("WITH ", ident(dummy.name), " AS (SELECT ", selects, ")"))
    sql = f"{cte.sql} SELECT 1 FROM {ident(dummy.name)} WHERE {where.sql} LIMIT 1"
    return conn.execute(sql, [*cte.params, *where.params]).fetchone() is not None
