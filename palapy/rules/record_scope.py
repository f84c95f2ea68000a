"""The join space of one record query, with the rules of the collections a client filter joins.

PocketBase LEFT JOINs every relation a filter walks onto the main query; for a non-superuser's
filter each joined collection must have a listRule, which then applies to the joined rows.
`RecordScope` keeps those (collection, alias) pairs next to the joins (see `filters.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from palapy.rules.request_info import RequestInfo
from palapy.schema.model import Collection
from palapy.schema.registry import CollectionRegistry
from palapy.search.operand import Join, ResolveError
from palapy.search.scope import Scope
from palapy.search.sql import Sql

__all__ = ["RecordScope"]


@dataclass
class RecordScope(Scope):
    """Joins, and the joined collections whose listRule applies, for one record query."""

    registry: CollectionRegistry = field(default_factory=CollectionRegistry)
    request: RequestInfo | None = None
    # (collection, alias) reached by a non-superuser client filter: its listRule is applied.
    rule_joins: list[tuple[Collection, str]] = field(default_factory=list)

    def add_join(self, join: Join, *, check_rules: bool = False) -> None:
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
        super().add_join(join)

    def _add_rule_join(self, coll: Collection, alias: str) -> None:
        for i, (_, existing_alias) in enumerate(self.rule_joins):
            if existing_alias == alias:
                self.rule_joins[i] = (coll, alias)
                return
        self.rule_joins.append((coll, alias))


def _is_plain_table(table: Sql) -> bool:
    text = table.text()
    return text.startswith("`") and text.endswith("`") and "(" not in text
