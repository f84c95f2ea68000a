"""Collection-level validation, as PocketBase's collection validator runs it on every save.

`validate_collection(ctx)` returns `{key: error}` (nested for `fields.{index}.{option}`,
`indexes.{index}`, auth options...), empty when the collection may be saved. Each key reports
only its first failing check, in PocketBase's order; keys are sorted like PocketBase answers them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, cast

from palapy.collections.options_validation import validate_options
from palapy.collections.validation_context import ValidationContext, check_rule, system_rule_change
from palapy.collections.view_fields import create_view_fields
from palapy.db.connection import query_all
from palapy.schema.fields import BoolField, EmailField, Field, PasswordField, SettingsContext, TextField
from palapy.schema.indexes import find_single_column_unique_index, parse_index
from palapy.schema.model import AUTH, BASE, RULE_NAMES, VIEW
from palapy.schema.tables import has_table
from palapy.tools import validation_errors as E
from palapy.tools.errors import FieldError, ValidationErrors, field_error

__all__ = ["validate_collection", "WORD_RE"]

# Go's `\w` is ASCII-only.
WORD_RE = re.compile(r"^[A-Za-z0-9_]+$")
RESERVED_AUTH_FIELD_NAMES = ("passwordConfirm", "oldPassword")


def _first(*checks: Callable[[], Any]) -> FieldError | None:
    """The first non-empty result of lazily evaluated checks."""
    for check in checks:
        result = check()
        if result:
            return cast(FieldError, result)
    return None


# -- id, name, type, system ----------------------------------------------------


def _check_id(ctx: ValidationContext) -> FieldError | None:
    value = ctx.new.id
    if not value:
        return E.required()
    if not ctx.is_new:
        if value != ctx.old.id:
            return field_error("validation_values_mismatch", "Values don't match.")
        return None
    exists = query_all(ctx.conn, "SELECT id FROM `_collections` WHERE id = ? LIMIT 1", (value,))
    return _first(
        lambda: E.length(value, 1, 100),
        lambda: None if WORD_RE.match(value) else E.match_invalid(),
        lambda: (
            field_error("validation_invalid_or_existing_id", "The model id is invalid or already exists.")
            if exists
            else None
        ),
    )


def _name_unique(ctx: ValidationContext, name: str, exclude_id: str = "") -> bool:
    rows = query_all(
        ctx.conn,
        "SELECT id FROM `_collections` WHERE LOWER(name) = ? AND id != ? LIMIT 1",
        (name.lower(), exclude_id),
    )
    return not rows


def _check_unique_name(ctx: ValidationContext, name: str) -> FieldError | None:
    if not _name_unique(ctx, name, ctx.old.id):
        return field_error(
            "validation_collection_name_exists", "Collection name must be unique (case insensitive)."
        )
    if query_all(ctx.conn, "SELECT id FROM `_collections` WHERE id = ? LIMIT 1", (name,)):
        return field_error(
            "validation_collection_name_id_duplicate", "The name must not match an existing collection id."
        )
    if ctx.old.name != name and _name_unique(ctx, name) and has_table(ctx.conn, name):
        return field_error(
            "validation_collection_name_invalid", "The name shouldn't match with an existing internal table."
        )
    return None


def check_via(value: str) -> FieldError | None:
    if "_via_" in value.lower():
        return field_error("validation_found_via", 'The value cannot contain "_via_".')
    return None


def _check_name(ctx: ValidationContext) -> FieldError | None:
    name = ctx.new.name
    if not name:
        return E.required()
    return _first(
        lambda: E.length(name, 1, 255),
        lambda: check_via(name),
        lambda: None if WORD_RE.match(name) else E.match_invalid(),
        lambda: (
            field_error(
                "validation_collection_system_name_change", "System collection name cannot be changed."
            )
            if not ctx.is_new and ctx.old.system and name != ctx.old.name
            else None
        ),
        lambda: _check_unique_name(ctx, name),
    )


def _check_type(ctx: ValidationContext) -> FieldError | None:
    if not ctx.new.type:
        return E.required()
    if ctx.new.type not in (BASE, AUTH, VIEW):
        return E.in_invalid()
    if not ctx.is_new and ctx.new.type != ctx.old.type:
        return field_error("validation_collection_type_change", "Collection type cannot be changed.")
    return None


def _check_system(ctx: ValidationContext) -> FieldError | None:
    if not ctx.is_new and ctx.new.system != ctx.old.system:
        return field_error(
            "validation_collection_system_flag_change", "System collection state cannot be changed."
        )
    return None


# -- fields ----------------------------------------------------------------------


def _check_duplicates(fields: list[Field]) -> ValidationErrors | None:
    ids: list[str] = []
    names: list[str] = []
    for i, f in enumerate(fields):
        if f.id in ids:
            message = f'Duplicated or invalid field id "{f.id}"'
            return {str(i): {"id": field_error("validation_duplicated_field_id", message)}}
        if f.name.lower() in names:
            err = field_error(
                "validation_duplicated_field_name",
                f"Duplicated or invalid field name {f.name}",
                {"fieldName": f.name},
            )
            return {str(i): {"name": err}}
        ids.append(f.id)
        names.append(f.name.lower())
    return None


_MUST_BE_SYSTEM_AND_HIDDEN = (
    "validation_must_be_system_and_hidden",
    'The field must be marked as "System" and "Hidden".',
)
_MUST_BE_SYSTEM = ("validation_must_be_system", 'The field must be marked as "System".')


def _check_min_fields(ctx: ValidationContext) -> Any:
    fields = ctx.new.fields
    if not fields:
        return E.required()
    id_field = ctx.new.field("id")
    if not isinstance(id_field, TextField) or not id_field.primaryKey:
        return field_error("validation_missing_primary_key", 'Missing or invalid "id" PK field.')
    if ctx.new.type != AUTH:
        return None
    expected: tuple[tuple[str, type[Field], bool], ...] = (
        ("password", PasswordField, True),
        ("tokenKey", TextField, True),
        ("email", EmailField, False),
        ("emailVisibility", BoolField, False),
        ("verified", BoolField, False),
    )
    for name, kind, hidden in expected:
        current = ctx.new.field(name)
        if not isinstance(current, kind):
            return field_error(f"validation_missing_{name}_field", f'System "{name}" field is required.')
        if hidden and not (current.hidden and current.system):
            return {name: field_error(*_MUST_BE_SYSTEM_AND_HIDDEN)}
        if not hidden and not current.system:
            return {name: field_error(*_MUST_BE_SYSTEM)}
    return None


def _check_system_fields_change(ctx: ValidationContext) -> FieldError | None:
    if ctx.is_new:
        return None
    for old in ctx.old.fields:
        if not old.system:
            continue
        new = ctx.new.field_by_id(old.id)
        if new is None or new.name != old.name:
            return field_error(
                "validation_system_field_change", "System fields cannot be deleted or renamed."
            )
    return None


def _check_type_changes(ctx: ValidationContext) -> ValidationErrors | None:
    errors = {}
    for i, f in enumerate(ctx.new.fields):
        old = ctx.old.field_by_id(f.id)
        if old is not None and old.type != f.type:
            errors[str(i)] = field_error("validation_field_type_change", "Field type cannot be changed.")
    return errors or None


def _check_reserved_auth_names(ctx: ValidationContext) -> ValidationErrors | None:
    errors = {}
    for i, f in enumerate(ctx.new.fields):
        if f.name in RESERVED_AUTH_FIELD_NAMES:
            err = field_error(
                "validation_reserved_field_name", "The field name is reserved and cannot be used."
            )
            errors[str(i)] = {"name": err}
    return errors or None


def _check_field_settings(ctx: ValidationContext) -> ValidationErrors | None:
    settings = SettingsContext(collection=ctx.new, original=ctx.original, find_collection=ctx.find)
    errors = {}
    for i, f in enumerate(ctx.new.fields):
        problems = f.validate_settings(settings)
        if problems:
            errors[str(i)] = problems
    return errors or None


def _check_fields(ctx: ValidationContext) -> Any:
    checks = [lambda: _check_duplicates(ctx.new.fields), lambda: _check_min_fields(ctx)]
    if ctx.new.type != VIEW:
        checks += [lambda: _check_system_fields_change(ctx), lambda: _check_type_changes(ctx)]
    if ctx.new.type == AUTH:
        checks.append(lambda: _check_reserved_auth_names(ctx))
    checks.append(lambda: _check_field_settings(ctx))
    return _first(*checks)


# -- rules and indexes --------------------------------------------------------------


def _check_record_rule(ctx: ValidationContext, name: str) -> FieldError | None:
    value: str | None = getattr(ctx.new, name)
    if name in ("createRule", "updateRule", "deleteRule") and ctx.new.type == VIEW and value is not None:
        return E.nil()
    return _first(
        lambda: check_rule(ctx, value),
        lambda: system_rule_change(ctx, value, getattr(ctx.old, name)),
    )


def _bare(sql: str) -> str:
    """An index definition without the identifiers that do not matter for duplicates."""
    parsed = parse_index(sql)
    parsed.table_name = parsed.schema_name = parsed.index_name = "validator"
    return parsed.build()


def _check_system_unique_indexes(ctx: ValidationContext) -> FieldError | None:
    for old_sql in ctx.old.indexes:
        old = parse_index(old_sql)
        if not old.unique:
            continue
        for col in old.columns:
            col.collate = col.sort = ""
        old_text = old.build()
        system_field = next(
            (
                f
                for col in old.columns
                for f in ctx.old.fields
                if f.system and col.name.lower() == f.name.lower()
            ),
            None,
        )
        if system_field is None:
            continue
        matched = False
        for new_sql in ctx.new.indexes:
            new = parse_index(new_sql)
            new.schema_name, new.index_name, new.table_name, new.where = (
                old.schema_name,
                old.index_name,
                old.table_name,
                old.where,
            )
            for col in new.columns:
                col.collate = col.sort = ""
            if new.build() == old_text:
                matched = True
                break
        if not matched:
            return field_error(
                "validation_invalid_unique_system_field_index",
                f"Unique index definition on system fields ({system_field.name}) is invalid or missing.",
                {"fieldName": system_field.name},
            )
    return None


def _check_indexes(ctx: ValidationContext) -> Any:
    indexes = ctx.new.indexes
    if ctx.new.type == VIEW and indexes:
        return field_error("validation_indexes_not_supported", "View collections don't support indexes.")
    names: set[str] = set()
    definitions: set[str] = set()
    for i, raw in enumerate(indexes):
        parsed = parse_index(raw)
        parsed.table_name = "validator"
        if not parsed.is_valid():
            return {
                str(i): field_error("validation_invalid_index_expression", "Invalid CREATE INDEX expression.")
            }
        lower = parsed.index_name.lower()
        if lower in names:
            return {str(i): field_error("validation_duplicated_index_name", "The index name already exists.")}
        names.add(lower)
        used = query_all(
            ctx.conn,
            "SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND LOWER(tbl_name) != LOWER(?)"
            " AND LOWER(tbl_name) != LOWER(?) AND LOWER(name) = LOWER(?) LIMIT 1",
            (ctx.old.name, ctx.new.name, parsed.index_name),
        )
        if used:
            table = str(used[0]["tbl_name"])
            err = field_error(
                "validation_existing_index_name",
                f"The index name is already used in {table} collection.",
                {"usedTableName": table},
            )
            return {str(i): err}
        definition = _bare(raw)
        if definition in definitions:
            return {
                str(i): field_error(
                    "validation_duplicated_index_definition", "The index definition already exists."
                )
            }
        definitions.add(definition)
    if not ctx.is_new:
        problem = _check_system_unique_indexes(ctx)
        if problem:
            return problem
    if ctx.new.type == AUTH:
        for name in ("tokenKey", "email"):
            if find_single_column_unique_index(indexes, name) is None:
                return field_error(
                    "validation_missing_required_unique_index",
                    f'Missing required unique index for field "{name}".',
                    {"fieldName": name},
                )
    return None


# -- entry point --------------------------------------------------------------------


def validate_collection(ctx: ValidationContext) -> ValidationErrors:
    """Every problem of `ctx.new`, keyed like PocketBase's answer (empty when valid)."""
    if ctx.new.type == VIEW:
        # The fields of a view always come from its query (whatever was submitted).
        ctx.new.fields, _ = create_view_fields(ctx.conn, ctx.registry.all(), ctx.new.view_query)
    checks: dict[str, Any] = {
        "id": lambda: _check_id(ctx),
        "system": lambda: _check_system(ctx),
        "type": lambda: _check_type(ctx),
        "name": lambda: _check_name(ctx),
        "fields": lambda: _check_fields(ctx),
        **{name: (lambda n=name: _check_record_rule(ctx, n)) for name in RULE_NAMES},
        "indexes": lambda: _check_indexes(ctx),
    }
    errors: ValidationErrors = {}
    for key, check in checks.items():
        problem = check()
        if problem:
            errors[key] = problem
    errors.update(validate_options(ctx))
    return cast(ValidationErrors, E.sort_errors(errors))
