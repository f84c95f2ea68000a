"""`relation`: one record id (maxSelect <= 1) or a JSON array of ids of `collectionId`."""

from __future__ import annotations

from typing import Any

import apsw

from palapy.db.connection import quote_ident
from palapy.schema.fields._rules import (
    common_settings_errors,
    first_error,
    int_range,
    required,
    too_many_values,
)
from palapy.schema.fields._shapes import StringListValues
from palapy.schema.fields.base import CommonField, SettingsContext, ValueContext
from palapy.tools.errors import FieldError, ValidationErrors, field_error
from palapy.tools.gocast import unique_strings

__all__ = ["RelationField"]


class RelationField(StringListValues, CommonField, tag="relation", kw_only=True):
    cascadeDelete: bool = False
    collectionId: str = ""
    maxSelect: int = 0
    minSelect: int = 0

    def validate_value(self, value: Any, ctx: ValueContext) -> FieldError | None:
        ids = unique_strings(value)
        if not ids:
            return required() if self.required else None
        if self.minSelect > 0 and len(ids) < self.minSelect:
            return field_error(
                "validation_not_enough_values",
                f"Select at least {self.minSelect}.",
                {"minSelect": self.minSelect},
            )
        limit = max(self.maxSelect, 1)
        if len(ids) > limit:
            return too_many_values(limit)
        related = ctx.find_collection(self.collectionId)
        if related is None:
            return field_error(
                "validation_missing_rel_collection", "Relation connection is missing or cannot be accessed."
            )
        if _count_existing(ctx.conn, related.name, ids) != len(ids):
            return field_error(
                "validation_missing_rel_records", "Failed to find all relation records with the provided ids."
            )
        return None

    def validate_settings(self, ctx: SettingsContext) -> ValidationErrors:
        errors = common_settings_errors(self)
        checks: dict[str, Any] = {
            "collectionId": lambda: required() if not self.collectionId else self._collection_error(ctx),
            "minSelect": lambda: int_range(self.minSelect, 0, None),
            "maxSelect": lambda: first_error(
                lambda: required() if self.minSelect > 0 and self.maxSelect == 0 else None,
                lambda: int_range(self.maxSelect, self.minSelect, None),
            ),
        }
        for option, check in checks.items():
            if err := check():
                errors[option] = err
        return errors

    def _collection_error(self, ctx: SettingsContext) -> FieldError | None:
        if ctx.original is not None:
            old = ctx.original.field_by_id(self.id)
            if isinstance(old, RelationField) and old.collectionId != self.collectionId:
                return field_error(
                    "validation_field_relation_change", "The relation collection cannot be changed."
                )
        related = ctx.find_collection(self.collectionId)
        # Only an id counts (not a name).
        if related is None or related.id != self.collectionId:
            return field_error(
                "validation_field_relation_missing_collection", "The relation collection doesn't exist."
            )
        if not ctx.collection.is_view and related.is_view:
            return field_error(
                "validation_relation_field_non_view_base_collection",
                "Only view collections are allowed to have relations to other views.",
            )
        return None


def _count_existing(conn: apsw.Connection, table: str, ids: list[str]) -> int:
    placeholders = ",".join("?" * len(ids))
    try:
        row = conn.execute(
            f"SELECT count(*) FROM {quote_ident(table)} WHERE id IN ({placeholders})", ids
        ).fetchone()
    except apsw.Error:
        return -1
    return int(row[0]) if row else 0
