"""API rules and client filters: the filter language as SQL for the record services.

Every function compiles PocketBase's filter grammar (see `palapy.search`) into a
boolean SQLite expression over the collection's table aliased `alias`. Relations are walked
inside one correlated `EXISTS (...)`, so callers can write
`SELECT ... FROM `posts` `p` WHERE <rule> AND <filter> ORDER BY <sort> LIMIT ?` without
duplicate rows. Every literal and request value is a bound parameter.
"""

from __future__ import annotations

import secrets
import string
from typing import TYPE_CHECKING, Any, NamedTuple

import apsw

from palapy.rules.request_info import RequestInfo
from palapy.rules.resolver import Resolver
from palapy.schema.registry import CollectionRegistry
from palapy.search.compiler import collect_conditions, compile_text, finalize_where, wrap_joins
from palapy.search.lexer import FilterSyntaxError
from palapy.search.operand import ResolveError
from palapy.search.scope import Scope, go_json
from palapy.search.simple import SimpleResolver
from palapy.search.sort import SortItem, render_sort, resolve_sort
from palapy.search.sql import Param, Sql, col, ident
from palapy.tools.errors import MSG_BAD_REQUEST, ApiError

if TYPE_CHECKING:
    from palapy.schema.model import Collection

__all__ = [
    "SqlExpr",
    "FilterError",
    "MAX_FILTER_LENGTH",
    "check_superuser_only",
    "compile_filter",
    "compile_sort",
    "compile_search",
    "compile_simple_filter",
    "compile_simple_sort",
    "validate_rule",
    "record_matches",
    "new_record_matches",
]

MAX_FILTER_LENGTH = 3500  # bytes, like PocketBase's len(filter)
SUPERUSER_ONLY_MARKERS = ("@collection.", "@request.")


class SqlExpr(NamedTuple):
    """A SQL fragment and its positional (`?`) parameters."""

    sql: str
    params: list[Any]


class FilterError(ApiError):
    """A filter, sort or rule that does not parse or resolve: 400 with PocketBase's generic message.

    `raw` keeps the parser/resolver error text for logs (never sent to the client).
    """

    def __init__(self, raw: str) -> None:
        super().__init__(400, MSG_BAD_REQUEST)
        self.raw = raw


def _render(sql: Sql) -> SqlExpr:
    return SqlExpr(sql.text(), sql.params())


def check_superuser_only(request: RequestInfo, *texts: str | None) -> None:
    """403 when a non-superuser's filter/sort mentions `@collection.` or `@request.` anywhere.

    PocketBase checks the filter before the sort, and `@collection.` before `@request.`.
    """
    if request.is_superuser:
        return
    for text in texts:
        if not text:
            continue
        for marker in SUPERUSER_ONLY_MARKERS:
            if marker in text:
                raise ApiError(403, "Only superusers can filter by " + marker)


def _resolver(scope: Scope, collection: Collection, alias: str, allow_hidden: bool) -> Resolver:
    return Resolver(scope, collection, alias, allow_hidden=allow_hidden)


def compile_filter(
    expr: str,
    collection: Collection,
    registry: CollectionRegistry,
    request: RequestInfo,
    *,
    alias: str,
    client: bool,
) -> SqlExpr:
    """A boolean SQL expression for `expr` over `collection` aliased `alias`.

    `client=True` is a user's `?filter=`: the 403 `@request.`/`@collection.` check for
    non-superusers, the 3500-byte limit, hidden fields only for superusers, and every joined
    collection must have a non-null listRule, which is then applied to the joined rows.
    `client=False` is an API rule: everything is allowed. An empty `expr` gives `1`.
    """
    if client:
        check_superuser_only(request, expr)
    if not expr:
        return SqlExpr("1", [])
    if client and len(expr.encode()) > MAX_FILTER_LENGTH:
        raise FilterError("max filter length limit reached")
    scope = Scope(registry, request)
    allow_hidden = not client or request.is_superuser
    try:
        cond = compile_text(expr, _resolver(scope, collection, alias, allow_hidden))
        return _render(finalize_where(scope, [cond]))
    except (FilterSyntaxError, ResolveError) as err:
        raise FilterError(str(err)) from None


def compile_sort(
    sort: str,
    collection: Collection,
    registry: CollectionRegistry,
    request: RequestInfo,
    *,
    alias: str,
    client: bool,
) -> SqlExpr:
    """An ORDER BY list (without the keywords) for `?sort=`; `("", [])` when `sort` is empty.

    Joined collections' listRules are not applied here (use `compile_search` for lists).
    """
    if client:
        check_superuser_only(request, sort)
    if not sort:
        return SqlExpr("", [])
    allow_hidden = not client or request.is_superuser
    try:
        items = resolve_sort(
            sort,
            alias,
            lambda s: _resolver(s, collection, alias, allow_hidden),
            lambda: Scope(registry, request),
        )
    except ResolveError as err:
        raise FilterError(str(err)) from None
    return _render(render_sort(items))


def compile_search(
    collection: Collection,
    registry: CollectionRegistry,
    request: RequestInfo,
    *,
    alias: str,
    rule: str | None,
    filter: str = "",
    sort: str = "",
) -> tuple[SqlExpr, SqlExpr]:
    """(WHERE, ORDER BY) for a list request, built in one join space as PocketBase does.

    `rule` (the listRule) is applied for non-superusers when non-empty; the caller answers
    403 for a null listRule beforehand. The rule, the filter and the joined collections'
    listRules (for relations the filter or sort walks) all see the same joined rows.
    """
    check_superuser_only(request, filter, sort)
    if filter and len(filter.encode()) > MAX_FILTER_LENGTH:
        raise FilterError("max filter length limit reached")
    scope = Scope(registry, request)
    conditions: list[Sql] = []
    superuser = request.is_superuser
    try:
        if rule and not superuser:
            conditions.append(compile_text(rule, _resolver(scope, collection, alias, True)))
        client = _resolver(scope, collection, alias, superuser)
        if filter:
            conditions.append(compile_text(filter, client))
        items: list[SortItem] = []
        if sort:
            items = resolve_sort(
                sort,
                alias,
                lambda s: _resolver(s, collection, alias, superuser),
                lambda: Scope(registry, request),
            )
        # Keys that walk relations are resolved again in the shared join space: joined
        # collections' listRules then apply, and the key is read from a joined row that
        # satisfies the WHERE, as in PocketBase's DISTINCT query.
        shared = {i: client.resolve(it.name).sql for i, it in enumerate(items) if it.needs_joins}
        inner = collect_conditions(scope, conditions)
        where = wrap_joins(scope, inner)
        order = render_sort(
            items,
            lambda i, _: Sql(
                "(SELECT ", shared[i], " FROM ", scope.render_from(), " WHERE ", inner, " LIMIT 1)"
            ),
        )
    except (FilterSyntaxError, ResolveError) as err:
        raise FilterError(str(err)) from None
    return _render(where), _render(order)


def compile_simple_filter(expr: str, allowed: list[str], *, alias: str | None = None) -> SqlExpr:
    """A `?filter=` over plain columns (collections list, logs): only `allowed` names
    (exact, or `^...$` regexes); `col.a.b` reads a JSON path. Empty gives `1`."""
    if not expr:
        return SqlExpr("1", [])
    if len(expr.encode()) > MAX_FILTER_LENGTH:
        raise FilterError("max filter length limit reached")
    scope = Scope(CollectionRegistry(), None)
    try:
        return _render(compile_text(expr, SimpleResolver(scope, allowed, alias)))
    except (FilterSyntaxError, ResolveError) as err:
        raise FilterError(str(err)) from None


def compile_simple_sort(sort: str, allowed: list[str], *, alias: str | None = None) -> SqlExpr:
    """A `?sort=` over plain columns (see `compile_simple_filter`); `("", [])` when empty."""
    if not sort:
        return SqlExpr("", [])
    try:
        items = resolve_sort(
            sort,
            alias or "",
            lambda s: SimpleResolver(s, allowed, alias),
            lambda: Scope(CollectionRegistry(), None),
        )
    except ResolveError as err:
        raise FilterError(str(err)) from None
    return _render(render_sort(items))


def validate_rule(expr: str | None, collection: Collection, registry: CollectionRegistry) -> str | None:
    """None when `expr` is a valid rule for `collection`, else the raw error for
    "Invalid rule. Raw error: ..." (null and "" are always valid)."""
    if not expr:
        return None
    empty = RequestInfo(method="", context="")
    try:
        compile_text(expr, _resolver(Scope(registry, empty), collection, collection.name, True))
    except (FilterSyntaxError, ResolveError) as err:
        return str(err)
    return None


def record_matches(
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


def new_record_matches(
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
    cte = _render(Sql("WITH ", ident(dummy.name), " AS (SELECT ", selects, ")"))
    sql = f"{cte.sql} SELECT 1 FROM {ident(dummy.name)} WHERE {where.sql} LIMIT 1"
    return conn.execute(sql, [*cte.params, *where.params]).fetchone() is not None
