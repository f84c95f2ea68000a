"""The join space shared by everything compiled for one query (API rule, filter, sort).

PocketBase LEFT JOINs every relation a filter walks onto the main query and deduplicates
with DISTINCT, so the rule and the client filter see the same joined rows (same aliases).
palapy keeps that meaning but writes it as one correlated `EXISTS (SELECT 1 FROM (SELECT 1)
LEFT JOIN ... WHERE <conditions>)`, which needs no DISTINCT in the caller's query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from palapy.search.operand import Join, Operand, ResolveError
from palapy.search.sql import Sql, ident
from palapy.tools import jsonx
from palapy.tools.gocast import json_number

if TYPE_CHECKING:
    from palapy.rules.request_info import RequestInfo
    from palapy.schema.model import Collection
    from palapy.schema.registry import CollectionRegistry

__all__ = ["Scope", "FieldResolver", "to_param_value", "go_json"]


def go_json(value: Any) -> str:
    """JSON text as Go's json.Marshal writes it: compact, map keys sorted, HTML-escaped."""

    def norm(v: Any) -> Any:
        if isinstance(v, dict):
            return {str(k): norm(v[k]) for k in sorted(v, key=str)}
        if isinstance(v, (list, tuple)):
            return [norm(x) for x in v]
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return json_number(v)  # Go holds JSON numbers as float64
        if isinstance(v, (str, bool)) or v is None:
            return v
        return str(v)

    text = jsonx.encode(norm(value)).decode()
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def to_param_value(value: Any) -> Any:
    """A request value as Go would bind it: numbers are float64, bools stay 0/1."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, float)):
        return value
    if isinstance(value, int):
        return float(value)
    return value


class FieldResolver(Protocol):
    """What the compiler needs from a resolver (`Resolver` or `SimpleResolver`)."""

    @property
    def scope(self) -> Scope: ...

    def resolve(self, name: str) -> Operand: ...


@dataclass
class Scope:
    """Joins and joined-collection rules collected while compiling one query."""

    registry: CollectionRegistry
    request: RequestInfo | None
    joins: list[Join] = field(default_factory=list)
    # (collection, alias) reached by a non-superuser client filter: its listRule is applied.
    rule_joins: list[tuple[Collection, str]] = field(default_factory=list)
    _counter: int = 0

    def next_name(self, prefix: str) -> str:
        """A fresh alias or suffix, unique within this scope."""
        self._counter += 1
        return f"{prefix}{self._counter}"

    def add_join(self, join: Join, *, check_rules: bool) -> None:
        """Register a LEFT JOIN (replacing one with the same alias, as PocketBase does).

        With `check_rules` (non-superuser client filters), a joined collection must have a
        non-null listRule and that rule is remembered to be applied to the joined rows.
        """
        if check_rules:
            coll = self.registry.find(join.table.text().strip("`")) if _is_plain_table(join.table) else None
            if coll is not None:
                if coll.listRule is None:
                    raise ResolveError(
                        f'"{coll.name}" fields can be accessed only when allowHiddenFields is enabled or by superusers'
                    )
                self._add_rule_join(coll, join.alias)
        for i, existing in enumerate(self.joins):
            if existing.alias == join.alias:
                self.joins[i] = join
                return
        self.joins.append(join)

    def _add_rule_join(self, coll: Collection, alias: str) -> None:
        for i, (_, existing_alias) in enumerate(self.rule_joins):
            if existing_alias == alias:
                self.rule_joins[i] = (coll, alias)
                return
        self.rule_joins.append((coll, alias))

    def render_from(self, joins: list[Join] | None = None) -> Sql:
        """`(SELECT 1) AS root LEFT JOIN ...` for an EXISTS or scalar subquery."""
        return Sql(
            "(SELECT 1) ", ident("__pb_root"), *(j.render() for j in (self.joins if joins is None else joins))
        )


def _is_plain_table(table: Sql) -> bool:
    text = table.text()
    return text.startswith("`") and text.endswith("`") and "(" not in text
