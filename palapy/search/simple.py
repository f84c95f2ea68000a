"""A resolver over a fixed list of plain columns (PocketBase's SimpleFieldResolver).

Used for lists that are not records: `GET /api/collections` (id, created, updated, name,
system, type) and the logs (id, created, level, message, data, `data.<path>`). An allowed
entry is either an exact name or a `^...$` regular expression; `a.b.c` reads the JSON path
`$.b.c` of column `a`.
"""

from __future__ import annotations

import re

from palapy.search.compiler import compile_text
from palapy.search.errors import MAX_FILTER_LENGTH, FilterError
from palapy.search.lexer import FilterSyntaxError
from palapy.search.operand import NullFallback, Operand, ResolveError
from palapy.search.scope import Scope
from palapy.search.sort import render_sort, resolve_sort
from palapy.search.sql import Sql, SqlExpr, columnify, ident, render
from palapy.tools.gocast import go_quote

__all__ = ["SimpleResolver", "compile_simple_filter", "compile_simple_sort"]


class SimpleResolver:
    """Resolves only the allowed names, as (optionally alias-qualified) columns."""

    def __init__(self, scope: Scope, allowed: list[str], alias: str | None = None) -> None:
        self.scope = scope
        self.alias = alias
        self._names = {a for a in allowed if not (a.startswith("^") and a.endswith("$"))}
        self._patterns = [re.compile(a, re.ASCII) for a in allowed if a.startswith("^") and a.endswith("$")]

    def _allowed(self, name: str) -> bool:
        return name in self._names or any(p.search(name) for p in self._patterns)

    def _column(self, name: str) -> Sql:
        column = ident(columnify(name))
        return Sql(ident(self.alias), ".", column) if self.alias else Sql(column)

    def resolve(self, name: str) -> Operand:
        if not self._allowed(name):
            raise ResolveError(f"failed to resolve field {go_quote(name)}")
        parts = name.split(".")
        if len(parts) == 1:
            return Operand(self._column(parts[0]))
        path = "$"
        for part in parts[1:]:
            clean = columnify(part)
            if not clean:
                raise ResolveError(f"failed to resolve field {go_quote(name)}")
            path += f"[{clean}]" if part.isascii() and part.isdigit() else f".{clean}"
        return Operand(Sql("JSON_EXTRACT(", self._column(parts[0]), f", '{path}')"), NullFallback.DISABLED)


def compile_simple_filter(expr: str, allowed: list[str], *, alias: str | None = None) -> SqlExpr:
    """A `?filter=` over plain columns (collections list, logs): only `allowed` names
    (exact, or `^...$` regexes); `col.a.b` reads a JSON path. Empty gives `1`."""
    if not expr:
        return SqlExpr("1", [])
    if len(expr.encode()) > MAX_FILTER_LENGTH:
        raise FilterError("max filter length limit reached")
    try:
        return render(compile_text(expr, SimpleResolver(Scope(), allowed, alias)))
    except (FilterSyntaxError, ResolveError) as err:
        raise FilterError(str(err)) from None


def compile_simple_sort(sort: str, allowed: list[str], *, alias: str | None = None) -> SqlExpr:
    """A `?sort=` over plain columns (see `compile_simple_filter`); `("", [])` when empty."""
    if not sort:
        return SqlExpr("", [])
    try:
        items = resolve_sort(sort, alias or "", lambda s: SimpleResolver(s, allowed, alias), Scope)
    except ResolveError as err:
        raise FilterError(str(err)) from None
    return render(render_sort(items))
