"""API rules and client filters: the filter language as SQL for the record services.

Every function compiles PocketBase's filter grammar (see `palapy.search`) into a
boolean SQLite expression over the collection's table aliased `alias`. Relations are walked
inside one correlated `EXISTS (...)`, so callers can write
`SELECT ... FROM `posts` `p` WHERE <rule> AND <filter> ORDER BY <sort> LIMIT ?` without
duplicate rows. Every literal and request value is a bound parameter.
"""

from __future__ import annotations

from palapy.rules.record_scope import RecordScope
from palapy.rules.request_info import RequestInfo
from palapy.rules.resolver import Resolver
from palapy.schema.model import Collection
from palapy.schema.registry import CollectionRegistry
from palapy.search.compiler import compile_text, wrap_joins
from palapy.search.errors import MAX_FILTER_LENGTH, FilterError
from palapy.search.lexer import FilterSyntaxError
from palapy.search.operand import ResolveError
from palapy.search.sort import SortItem, render_sort, resolve_sort
from palapy.search.sql import Sql, SqlExpr, render
from palapy.tools.errors import ApiError
from palapy.tools.gocast import go_quote

__all__ = [
    "check_superuser_only",
    "compile_filter",
    "compile_sort",
    "compile_search",
    "validate_rule",
    "collect_conditions",
    "finalize_where",
]

SUPERUSER_ONLY_MARKERS = ("@collection.", "@request.")


def collect_conditions(scope: RecordScope, conditions: list[Sql]) -> Sql:
    """AND the conditions with the listRules of the collections joined by a client filter.

    A joined collection's rule is applied as `id='' || (rule)` on the joined alias, so a
    missing relation (NULL row) does not hide the record by itself. Its joins are added to
    `scope`.
    """
    conditions = list(conditions)
    i = 0
    while i < len(scope.rule_joins):
        coll, alias = scope.rule_joins[i]
        i += 1
        if not coll.listRule:
            continue
        sub = Resolver(scope, coll, alias, allow_hidden=True, suffix=scope.next_name("_r"))
        try:
            conditions.append(compile_text("id='' || (\n" + coll.listRule + "\n)", sub))
        except ValueError as err:
            raise ResolveError(
                f"failed to build {go_quote(coll.name)} ListRule join subquery filter expression: {err}"
            ) from None
    return Sql.join(" AND ", conditions) if conditions else Sql("1")


def finalize_where(scope: RecordScope, conditions: list[Sql]) -> Sql:
    """The complete boolean expression for `conditions` compiled in `scope`."""
    return wrap_joins(scope, collect_conditions(scope, conditions))


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


def _resolver(scope: RecordScope, collection: Collection, alias: str, allow_hidden: bool) -> Resolver:
    return Resolver(scope, collection, alias, allow_hidden=allow_hidden)


def compile_filter(
    expr: str,
    collection: Collection,
    registry: CollectionRegistry,
    request: RequestInfo,
    *,
    alias: str,
    client: bool,
    allow_hidden: bool | None = None,
    limit_length: bool = True,
) -> SqlExpr:
    """A boolean SQL expression for `expr` over `collection` aliased `alias`.

    `client=True` is a user's `?filter=`: the 403 `@request.`/`@collection.` check for
    non-superusers, the 3500-byte limit, hidden fields only for superusers, and every joined
    collection must have a non-null listRule, which is then applied to the joined rows.
    `client=False` is an API rule: everything is allowed. An empty `expr` gives `1`.
    `allow_hidden` overrides the hidden-field choice (realtime filters never allow them, not
    even to superusers); `limit_length=False` drops the length limit (realtime has none).
    """
    if client:
        check_superuser_only(request, expr)
    if not expr:
        return SqlExpr("1", [])
    if client and limit_length and len(expr.encode()) > MAX_FILTER_LENGTH:
        raise FilterError("max filter length limit reached")
    scope = RecordScope(registry=registry, request=request)
    if allow_hidden is None:
        allow_hidden = not client or request.is_superuser
    try:
        cond = compile_text(expr, _resolver(scope, collection, alias, allow_hidden))
        return render(finalize_where(scope, [cond]))
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
            lambda: RecordScope(registry=registry, request=request),
        )
    except ResolveError as err:
        raise FilterError(str(err)) from None
    return render(render_sort(items))


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
    scope = RecordScope(registry=registry, request=request)
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
                lambda: RecordScope(registry=registry, request=request),
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
    return render(where), render(order)


def validate_rule(expr: str | None, collection: Collection, registry: CollectionRegistry) -> str | None:
    """None when `expr` is a valid rule for `collection`, else the raw error for
    "Invalid rule. Raw error: ..." (null and "" are always valid)."""
    if not expr:
        return None
    empty = RequestInfo(method="", context="")
    try:
        compile_text(
            expr, _resolver(RecordScope(registry=registry, request=empty), collection, collection.name, True)
        )
    except (FilterSyntaxError, ResolveError) as err:
        return str(err)
    return None
