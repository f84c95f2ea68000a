"""What collection validation works with: the context of one save and the rule checks shared by
the collection's own keys and its auth options."""

from __future__ import annotations

from dataclasses import dataclass, field

import apsw

from palapy.rules.filters import validate_rule
from palapy.schema.model import Collection
from palapy.schema.registry import CollectionRegistry
from palapy.tools.errors import FieldError, field_error

__all__ = ["ValidationContext", "check_rule", "system_rule_change"]


@dataclass
class ValidationContext:
    """What the validator may look at: the write connection and every collection as saved so far.

    `original` is None for a new collection. `collections` is the transaction's view of
    `_collections`; rules are compiled against `new` itself.
    """

    conn: apsw.Connection
    new: Collection
    original: Collection | None
    collections: list[Collection]
    registry: CollectionRegistry = field(init=False)

    def __post_init__(self) -> None:
        # Lookups see the stored state only (a new collection cannot reference itself yet),
        # as PocketBase's validators read the database, not the collection being saved.
        self.registry = CollectionRegistry()
        self.registry.replace(list(self.collections))

    @property
    def is_new(self) -> bool:
        return self.original is None

    @property
    def old(self) -> Collection:
        """The original, or a blank collection of the new type (PocketBase's convention)."""
        return self.original or Collection(id="", name="", type=self.new.type)

    def find(self, key: str) -> Collection | None:
        return self.registry.find(key)


def check_rule(ctx: ValidationContext, rule: str | None) -> FieldError | None:
    """A rule that does not compile against the collection -> `validation_invalid_rule`."""
    if not rule:
        return None
    problem = validate_rule(rule, ctx.new, ctx.registry)
    if problem is None:
        return None
    return field_error("validation_invalid_rule", "Invalid rule. Raw error: " + problem)


def system_rule_change(ctx: ValidationContext, new: str | None, old: str | None) -> FieldError | None:
    if ctx.is_new or not ctx.old.system or new == old:
        return None
    return field_error(
        "validation_collection_system_rule_change", "System collection API rule cannot be changed."
    )
