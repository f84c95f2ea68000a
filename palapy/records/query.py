"""List queries: `page`/`perPage`/`skipTotal` parsing and the filtered, sorted, paged SELECT."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import apsw

from palapy.collections.model import Collection
from palapy.collections.request_info import RequestInfo
from palapy.db.connection import query_all, query_one, quote_ident
from palapy.records.rows import row_to_record
from palapy.tools.errors import MSG_BAD_REQUEST, ApiError

if TYPE_CHECKING:
    from palapy.core import App

__all__ = [
    "ListParams",
    "parse_list_params",
    "parse_go_bool",
    "list_records",
    "check_superuser_only_fields",
    "DEFAULT_PER_PAGE",
    "MAX_PER_PAGE",
    "MAX_FILTER_LENGTH",
]

DEFAULT_PER_PAGE = 30
MAX_PER_PAGE = 1000
MAX_FILTER_LENGTH = 3500
_INT = re.compile(r"^[+-]?[0-9]+$")
_GO_TRUE = {"1", "t", "T", "TRUE", "true", "True"}
_GO_FALSE = {"0", "f", "F", "FALSE", "false", "False"}
_INT64_MAX = (1 << 63) - 1


@dataclass
class ListParams:
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE
    skip_total: bool = False
    sort: str = ""
    filter: str = ""


def parse_go_bool(text: str) -> bool:
    """`strconv.ParseBool`; anything else raises ValueError."""
    if text in _GO_TRUE:
        return True
    if text in _GO_FALSE:
        return False
    raise ValueError(f"invalid bool {text!r}")


def _go_int(text: str) -> int:
    """`strconv.Atoi`: optional sign and ASCII digits only, within int64."""
    if not _INT.match(text):
        raise ValueError(f"invalid int {text!r}")
    value = int(text)
    if not -_INT64_MAX - 1 <= value <= _INT64_MAX:
        raise ValueError("int out of range")
    return value


def parse_list_params(query: Mapping[str, str]) -> ListParams:
    """Read the paging params (first values); 400 on a bad int or bool, like PocketBase."""
    params = ListParams()
    try:
        if raw := query.get("skipTotal", ""):
            params.skip_total = parse_go_bool(raw)
        if raw := query.get("page", ""):
            params.page = _go_int(raw)
        if raw := query.get("perPage", ""):
            params.per_page = _go_int(raw)
    except ValueError as exc:
        raise ApiError(400, MSG_BAD_REQUEST) from exc
    params.sort = query.get("sort", "")
    params.filter = query.get("filter", "")
    if params.page <= 0:
        params.page = 1
    if params.per_page <= 0:
        params.per_page = DEFAULT_PER_PAGE
    elif params.per_page > MAX_PER_PAGE:
        params.per_page = MAX_PER_PAGE
    return params


def check_superuser_only_fields(query: Mapping[str, str], request: RequestInfo) -> None:
    """Non-superusers may not mention `@collection.` or `@request.` in filter or sort (403)."""
    if request.is_superuser:
        return
    for name in ("filter", "sort"):
        value = query.get(name, "")
        if not value:
            continue
        for marker in ("@collection.", "@request."):
            if marker in value:
                raise ApiError(403, f"Only superusers can filter by {marker}")


def list_records(
    app: App, conn: apsw.Connection, collection: Collection, params: ListParams, request: RequestInfo
) -> tuple[list[dict[str, Any]], int, int]:
    """One page of records visible to `request`: (records, totalItems, totalPages); -1 totals with skipTotal.

    The listRule (non-superusers), the client filter and the sort are compiled together by the
    rules engine (hidden fields only for superusers; joined collections need list access).
    """
    table = quote_ident(collection.name)
    where_sql, order_sql = "", ""
    where_params: list[Any] = []
    order_params: list[Any] = []
    rule = None if request.is_superuser else collection.listRule
    if rule or params.filter or params.sort:
        from palapy.collections import rules

        where, order = rules.compile_search(
            collection,
            app.collections,
            request,
            alias=collection.name,
            rule=rule,
            filter=params.filter,
            sort=params.sort,
        )
        if where.sql and where.sql != "1":
            where_sql, where_params = f" WHERE {where.sql}", list(where.params)
        if order.sql:
            order_sql, order_params = f" ORDER BY {order.sql}", list(order.params)

    offset = params.per_page * (params.page - 1)
    rows = query_all(
        conn,
        f"SELECT {table}.* FROM {table} AS {table}{where_sql}{order_sql} LIMIT ? OFFSET ?",
        [*where_params, *order_params, params.per_page, offset],
    )
    records = [row_to_record(collection, r) for r in rows]
    total_items = total_pages = -1
    if not params.skip_total:
        count_col = f"{table}.`id`" if collection.is_view else f"{table}.`_rowid_`"
        row = query_one(
            conn, f"SELECT COUNT(DISTINCT {count_col}) AS n FROM {table} AS {table}{where_sql}", where_params
        )
        total_items = int(row["n"]) if row else 0
        total_pages = math.ceil(total_items / params.per_page)
    return records, total_items, total_pages
