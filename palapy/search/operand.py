"""What a resolved operand is: its SQL, null handling, joins and "all must match" subquery."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from palapy.search.sql import Sql, col, ident

__all__ = ["NullFallback", "Join", "MultiMatch", "Operand", "ResolveError", "MULTI_VALUE"]

MULTI_VALUE = "multiMatchValue"


class ResolveError(ValueError):
    """An identifier or function that cannot be resolved (PocketBase's raw error text)."""


class NullFallback(IntEnum):
    """How `=`/`!=` treat NULL vs '' for an operand."""

    AUTO = 0  # '' and NULL are the same; COALESCE when nothing is known
    DISABLED = 1  # compare with IS / IS NOT, no COALESCE (json fields, geoDistance)
    ENFORCED = 2  # never assume the operand is non-empty (strftime)


@dataclass(slots=True)
class Join:
    """`LEFT JOIN <table> <alias> [ON <on>]`; `table` is a quoted name or a table function."""

    table: Sql
    alias: str
    on: Sql | None = None

    def render(self) -> Sql:
        out = Sql(" LEFT JOIN ", self.table, " ", ident(self.alias))
        return out + Sql(" ON ", self.on) if self.on is not None else out


@dataclass(slots=True)
class MultiMatch:
    """All values a multi-valued path yields for one row of the target alias.

    Renders `SELECT <value> AS multiMatchValue FROM <table> <alias> LEFT JOIN ...
    WHERE <alias>.id = <target>.id`; comparisons wrap it in `NOT EXISTS (... WHERE NOT cond)`.
    """

    target_alias: str
    from_table: str
    from_alias: str
    joins: list[Join] = field(default_factory=list)
    value: Sql = field(default_factory=Sql)

    def render(self) -> Sql:
        return Sql(
            "SELECT ",
            self.value,
            f" AS {ident(MULTI_VALUE)} FROM ",
            ident(self.from_table),
            " ",
            ident(self.from_alias),
            *(j.render() for j in self.joins),
            " WHERE ",
            col(self.from_alias, "id"),
            " = ",
            col(self.target_alias, "id"),
        )


@dataclass(slots=True)
class Operand:
    """One side of a comparison, resolved.

    `sql` is the value expression; `multi` is set for multi-valued paths (plain operators then
    require every value to match); `after` wraps the built comparison (e.g. the
    emailVisibility guard).
    """

    sql: Sql
    null_fallback: NullFallback = NullFallback.AUTO
    multi: MultiMatch | None = None
    after: Callable[[Sql], Sql] | None = None
    # Values tied to the operand without appearing in its SQL (the JSON of a
    # `@request.body.x:each` join); they count for the empty/non-empty heuristics.
    phantom: tuple[Any, ...] = ()

    @property
    def nparams(self) -> int:
        return self.sql.param_count() + len(self.phantom)

    def param_values(self) -> list[Any]:
        return [*self.sql.params(), *self.phantom]

    @classmethod
    def raw(cls, text: str) -> Operand:
        return cls(Sql(text))
