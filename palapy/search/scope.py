"""The join space of one query: the LEFT JOINs that resolved identifiers need, and fresh aliases.

Everything compiled for one query (filter, sort, API rule) registers its joins here, so two
mentions of the same path share one join. `render_from()` turns the space into the FROM part
of an `EXISTS (SELECT 1 FROM ... WHERE ...)`, which needs no DISTINCT in the caller's query.
Resolvers that know more (the record resolver checks joined collections' rules) extend it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from palapy.search.operand import Join, Operand
from palapy.search.sql import Sql, ident

__all__ = ["Scope", "FieldResolver"]


@dataclass
class Scope:
    """Joins collected while compiling one query."""

    joins: list[Join] = field(default_factory=list)
    _counter: int = 0

    def next_name(self, prefix: str) -> str:
        """A fresh alias or suffix, unique within this scope."""
        self._counter += 1
        return f"{prefix}{self._counter}"

    def add_join(self, join: Join) -> None:
        """Register a LEFT JOIN, replacing one with the same alias (as PocketBase does)."""
        for i, existing in enumerate(self.joins):
            if existing.alias == join.alias:
                self.joins[i] = join
                return
        self.joins.append(join)

    def render_from(self, joins: list[Join] | None = None) -> Sql:
        """`(SELECT 1) AS root LEFT JOIN ...` for an EXISTS or scalar subquery."""
        return Sql(
            "(SELECT 1) ", ident("__pb_root"), *(j.render() for j in (self.joins if joins is None else joins))
        )


class FieldResolver(Protocol):
    """What the compiler needs from a resolver: the scope its joins go to, and identifiers
    turned into operands (raising `ResolveError` with PocketBase's raw text)."""

    @property
    def scope(self) -> Scope: ...

    def resolve(self, name: str) -> Operand: ...
