"""Which stored record holds a file shown through a view collection.

A view's file column is a clone of a file field of some source collection (possibly through
other views). PocketBase follows the view query to the first non-view source, up to 5 levels
deep, and looks up the source record whose field holds the file name; its storage folder is
where the file lives.
"""

from __future__ import annotations

import re

import apsw

from palapy.collections.view_fields import ViewQueryError, parse_identifiers
from palapy.db.connection import query_one, quote_ident
from palapy.schema.fields import FileField
from palapy.schema.model import Collection
from palapy.schema.registry import CollectionRegistry

__all__ = ["find_view_file_source", "MAX_VIEW_DEPTH"]

MAX_VIEW_DEPTH = 5
_CAST = re.compile(r"^cast\s*\(.*\s+as\s+(\w+)\s*\)$", re.IGNORECASE | re.DOTALL)
_CAST_TYPES = frozenset({"real", "decimal", "numeric", "int", "integer", "text", "boolean", "bool"})


def _is_computed(expression: str) -> bool:
    """An aggregate or a cast, which PocketBase types itself instead of cloning a source field."""
    lower = expression.lower()
    if lower.startswith(("count(", "total(")):
        return True
    m = _CAST.match(lower)
    return m is not None and m.group(1) in _CAST_TYPES


def _source_field(
    view: Collection, field_name: str, registry: CollectionRegistry
) -> tuple[Collection, str] | None:
    """(collection, field name) the view column `field_name` is read from, if it is a plain
    column of a known collection field (not an id, aggregate or expression)."""
    try:
        columns, tables = parse_identifiers(view.view_query)
    except (ValueError, ViewQueryError):
        return None
    by_alias: dict[str, Collection] = {}
    for table in tables:
        if "(" in table.alias:
            continue
        for c in registry.all():
            if c.name == table.original:  # exact case, as the SQL `IN` PocketBase runs
                by_alias[table.alias] = c
    main_alias = tables[0].alias if tables else ""
    found: tuple[Collection, str] | None = None
    for col in columns:
        if col.alias != field_name:
            continue
        # A later column with the same alias wins, as in PocketBase's alias map.
        found = None
        if col.alias == "id" or _is_computed(col.original):
            continue
        segments = col.original.split(".")
        if len(segments) == 2:
            name, collection = segments[1], by_alias.get(segments[0])
        else:
            name, collection = segments[0], by_alias.get(main_alias)
        if collection is None or name.lower() == "id":
            continue
        source = next((f for f in collection.fields if f.name.lower() == name.lower()), None)
        if source is not None:
            found = (collection, source.name)
    return found


def find_view_file_source(
    conn: apsw.Connection, registry: CollectionRegistry, view: Collection, field_name: str, filename: str
) -> tuple[Collection, str] | None:
    """(source collection, source record id) of `filename` shown in `view`'s `field_name`, or None."""
    current, name = view, field_name
    for _level in range(MAX_VIEW_DEPTH):
        source = _source_field(current, name, registry)
        if source is None:
            return None
        collection, name = source
        if collection.is_view:
            current = collection
            continue
        field = collection.field(name)
        table, column = quote_ident(collection.name), quote_ident(name)
        if isinstance(field, FileField) and field.is_multiple():
            sql = (
                f"SELECT {table}.`id` AS id FROM {table} INNER JOIN json_each(CASE WHEN "
                f"iif(json_valid({table}.{column}), json_type({table}.{column}) = 'array', FALSE) "
                f"THEN {table}.{column} ELSE json_array({table}.{column}) END) AS `_je_file` "
                "ON `_je_file`.`value` = ? LIMIT 1"
            )
        else:
            sql = f"SELECT {table}.`id` AS id FROM {table} WHERE {table}.{column} = ? LIMIT 1"
        row = query_one(conn, sql, (filename,))
        return (collection, str(row["id"])) if row is not None else None
    return None
