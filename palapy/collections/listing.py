"""`GET /api/collections`: paging, and filter/sort limited to id, created, updated, name, system, type.

PocketBase lists collections through a "simple" field resolver: only those six plain columns
(no modifiers, no `@request.*`/`@collection.*`, no relations), date macros and the literals
`null`/`true`/`false`; `@random` and `@rowid` sort keys. The filter language itself is
palapy's rules engine, compiled over a stand-in collection for the `_collections` table.
"""

from __future__ import annotations

from typing import Any

import apsw

from palapy.db.connection import query_all
from palapy.rules import filters as rules
from palapy.rules.request_info import RequestInfo
from palapy.schema.fields import AutodateField, BoolField, TextField
from palapy.schema.model import Collection
from palapy.schema.registry import CollectionRegistry
from palapy.search.lexer import FilterSyntaxError, Token, TokenType
from palapy.search.macros import macro_value
from palapy.search.paging import ListParams
from palapy.search.parser import Expr, Group, parse
from palapy.search.sort import parse_sort
from palapy.tools.errors import MSG_BAD_REQUEST, ApiError

__all__ = ["list_collections", "ALLOWED_FIELDS"]

ALLOWED_FIELDS = ("id", "created", "updated", "name", "system", "type")
_TABLE = "_collections"


def _stand_in() -> Collection:
    """`_collections` seen as a collection with the six filterable columns."""
    return Collection(
        id=_TABLE,
        name=_TABLE,
        fields=[
            TextField(id="id", name="id", primaryKey=True),
            AutodateField(id="created", name="created", onCreate=True),
            AutodateField(id="updated", name="updated", onCreate=True, onUpdate=True),
            TextField(id="name", name="name"),
            BoolField(id="system", name="system"),
            TextField(id="type", name="type"),
        ],
    )


def _check_token(tok: Token) -> None:
    if tok.type is TokenType.FUNCTION:
        for arg in tok.args:
            _check_token(arg)
        return
    if tok.type is not TokenType.IDENTIFIER:
        return
    lit = tok.literal
    if lit in ALLOWED_FIELDS or lit.lower() in ("null", "true", "false") or macro_value(lit)[0]:
        return
    raise ApiError(400, MSG_BAD_REQUEST)


def _check_group(group: Group) -> None:
    for _, item in group:
        if isinstance(item, Expr):
            _check_token(item.left)
            _check_token(item.right)
        else:
            _check_group(item)


def _check(params: ListParams) -> None:
    if params.filter:
        try:
            _check_group(parse(params.filter))
        except FilterSyntaxError as exc:
            raise ApiError(400, MSG_BAD_REQUEST) from exc
    if params.sort:
        for name, _ in parse_sort(params.sort):
            if name not in ALLOWED_FIELDS and name not in ("@random", "@rowid"):
                raise ApiError(400, MSG_BAD_REQUEST)


def list_collections(
    conn: apsw.Connection, registry: CollectionRegistry, params: ListParams, request: RequestInfo
) -> dict[str, Any]:
    """One page of collections as `{"items", "page", "perPage", "totalItems", "totalPages"}`."""

    _check(params)
    stand_in = _stand_in()
    where = rules.compile_filter(params.filter, stand_in, registry, request, alias=_TABLE, client=True)
    order = rules.compile_sort(params.sort, stand_in, registry, request, alias=_TABLE, client=True)
    base = f"FROM `{_TABLE}` AS `{_TABLE}` WHERE {where.sql or '1'}"
    sql = f"SELECT `{_TABLE}`.* {base}"
    if order.sql:
        sql += f" ORDER BY {order.sql}"
    sql += " LIMIT ? OFFSET ?"
    try:
        rows = query_all(
            conn, sql, [*where.params, *order.params, params.per_page, (params.page - 1) * params.per_page]
        )
        total = -1
        if not params.skip_total:
            counted = query_all(conn, f"SELECT COUNT(*) AS n {base}", where.params)
            total = int(counted[0]["n"])
    except apsw.Error as exc:
        raise ApiError(400, MSG_BAD_REQUEST) from exc
    pages = -1 if total < 0 else (total + params.per_page - 1) // params.per_page
    return {
        "items": [Collection.from_row(r).to_json() for r in rows],
        "page": params.page,
        "perPage": params.per_page,
        "totalItems": total,
        "totalPages": pages,
    }
