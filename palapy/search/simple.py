"""A resolver over a fixed list of plain columns (PocketBase's SimpleFieldResolver).

Used for lists that are not records: `GET /api/collections` (id, created, updated, name,
system, type) and the logs (id, created, level, message, data, `data.<path>`). An allowed
entry is either an exact name or a `^...$` regular expression; `a.b.c` reads the JSON path
`$.b.c` of column `a`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from palapy.rules.resolver import columnify
from palapy.search.operand import NullFallback, Operand, ResolveError
from palapy.search.sql import Sql, ident
from palapy.tools.gocast import go_quote

if TYPE_CHECKING:
    from palapy.search.scope import Scope

__all__ = ["SimpleResolver"]


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
