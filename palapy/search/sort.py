"""`?sort=` into an ORDER BY list.

`-field` is DESC, `+field` or `field` ASC; `@random` is `RANDOM()` and `@rowid` the row's
`_rowid_`. Any identifier the filter resolver accepts may be used, as long as it resolves to
a column expression (no bound value). A path that needs joins is sorted by a correlated
scalar subquery over those joins (see `render_sort`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from palapy.search.operand import ResolveError
from palapy.search.scope import FieldResolver, Scope
from palapy.search.sql import Sql, col, ident
from palapy.tools.gocast import go_quote

__all__ = ["SortItem", "parse_sort", "resolve_sort", "render_sort", "MAX_SORT_ITEMS", "MAX_SORT_FIELD_LENGTH"]

S = TypeVar("S", bound=Scope)

MAX_SORT_ITEMS = 8
MAX_SORT_FIELD_LENGTH = 255


@dataclass
class SortItem:
    """One resolved sort key. `scope` holds the joins the key needs (None for specials)."""

    name: str
    direction: str  # "ASC", "DESC" or "" (RANDOM())
    sql: Sql
    scope: Scope | None = None

    @property
    def needs_joins(self) -> bool:
        return self.scope is not None and bool(self.scope.joins)


def parse_sort(text: str) -> list[tuple[str, str]]:
    """`"-a, +b"` -> `[("a", "DESC"), ("b", "ASC")]` (one sign stripped, spaces trimmed)."""
    out: list[tuple[str, str]] = []
    for item in text.split(","):
        item = item.strip()
        if item.startswith("-"):
            out.append((item[1:], "DESC"))
        else:
            out.append((item[1:] if item.startswith("+") else item, "ASC"))
    return out


def resolve_sort(
    text: str,
    alias: str,
    make_resolver: Callable[[S], FieldResolver],
    new_scope: Callable[[], S],
) -> list[SortItem]:
    """Resolve every key of a sort string, each in its own scope; raises ResolveError."""
    items = parse_sort(text)
    if len(items) > MAX_SORT_ITEMS:
        raise ResolveError("max sort expressions limit reached")
    out: list[SortItem] = []
    for name, direction in items:
        if len(name.encode()) > MAX_SORT_FIELD_LENGTH:
            raise ResolveError("max sort field length limit reached")
        if name == "@random":
            out.append(SortItem(name, "", Sql("RANDOM()")))
            continue
        if name == "@rowid":
            out.append(SortItem(name, direction, col(alias, "_rowid_") if alias else Sql(ident("_rowid_"))))
            continue
        scope = new_scope()
        try:
            operand = make_resolver(scope).resolve(name)
        except ResolveError:
            raise ResolveError(f"invalid sort field {go_quote(name)}") from None
        text_sql = operand.sql.text()
        if operand.nparams > 0 or text_sql == "" or text_sql.lower() == "null":
            raise ResolveError(f"invalid sort field {go_quote(name)}")
        out.append(SortItem(name, direction, operand.sql, scope))
    return out


def render_sort(items: list[SortItem], joined: Callable[[int, SortItem], Sql] | None = None) -> Sql:
    """The ORDER BY list. A key that needs joins becomes `(SELECT key FROM <joins> LIMIT 1)`,
    or whatever `joined(index, item)` builds (the list query restricts it to rows that
    satisfy its WHERE, the row PocketBase's DISTINCT query would sort by)."""
    parts: list[Sql] = []
    for i, item in enumerate(items):
        expr = item.sql
        if item.needs_joins:
            assert item.scope is not None
            if joined is not None:
                expr = joined(i, item)
            else:
                expr = Sql("(SELECT ", expr, " FROM ", item.scope.render_from(), " LIMIT 1)")
        parts.append(Sql(expr, f" {item.direction}") if item.direction else expr)
    return Sql.join(", ", parts)
