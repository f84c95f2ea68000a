"""List queries: the filtered, sorted, paged SELECT of a collection's records."""

from __future__ import annotations

import math
from typing import Any

import apsw

from palapy.core import App
from palapy.db.connection import query_one, quote_ident
from palapy.records.rows import RowSet, query_rows
from palapy.rules.filters import compile_search
from palapy.rules.request_info import RequestInfo
from palapy.schema.model import Collection
from palapy.search.paging import ListParams
from palapy.tools.errors import MSG_BAD_REQUEST, ApiError

__all__ = ["list_records", "list_rows"]


def list_records(
    app: App, conn: apsw.Connection, collection: Collection, params: ListParams, request: RequestInfo
) -> tuple[list[dict[str, Any]], int, int]:
    """One page of records visible to `request`: (records, totalItems, totalPages); -1 totals with skipTotal.

    The listRule (non-superusers), the client filter and the sort are compiled together by the
    rules engine (hidden fields only for superusers; joined collections need list access).
    """
    rows, total_items, total_pages = list_rows(app, conn, collection, params, request)
    return rows.records(), total_items, total_pages


def list_rows(
    app: App, conn: apsw.Connection, collection: Collection, params: ListParams, request: RequestInfo
) -> tuple[RowSet, int, int]:
    """`list_records` before decoding: the page's rows as SQLite returned them, so that the
    decoding can run on another thread than the query."""
    table = quote_ident(collection.name)
    where_sql, order_sql = "", ""
    where_params: list[Any] = []
    order_params: list[Any] = []
    rule = None if request.is_superuser else collection.listRule
    if rule or params.filter or params.sort:
        where, order = compile_search(
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

    # Go computes the offset in int64 and wraps; SQLite reads a negative OFFSET as 0.
    offset = (params.per_page * (params.page - 1) + 2**63) % 2**64 - 2**63
    total_items = total_pages = -1
    try:
        rows = query_rows(
            conn,
            collection,
            f"SELECT {table}.* FROM {table} AS {table}{where_sql}{order_sql} LIMIT ? OFFSET ?",
            [*where_params, *order_params, params.per_page, offset],
        )
        if not params.skip_total:
            # The FROM clause has no joins (relations are resolved inside WHERE subqueries), so each
            # table row appears once and COUNT(*) equals PocketBase's COUNT(DISTINCT rowid) without
            # the temporary b-tree DISTINCT builds (docs/performance.md). A view's rows
            # may repeat an id, so views keep the DISTINCT count.
            count_expr = f"COUNT(DISTINCT {table}.`id`)" if collection.is_view else "COUNT(*)"
            row = query_one(
                conn, f"SELECT {count_expr} AS n FROM {table} AS {table}{where_sql}", where_params
            )
            total_items = int(row["n"]) if row else 0
            total_pages = math.ceil(total_items / params.per_page)
    except apsw.Error as exc:
        # A query SQLite rejects or interrupts (a JSON path it cannot read, the executor's
        # time budget) is a bad request, as in PocketBase; never a 500.
        raise ApiError(400, MSG_BAD_REQUEST) from exc
    return rows, total_items, total_pages
