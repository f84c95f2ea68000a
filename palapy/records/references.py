"""The rows that point at a record through a relation field (for cascades on delete)."""

from __future__ import annotations

from typing import Any

import apsw

from palapy.db.connection import query_all, quote_ident
from palapy.schema.fields import RelationField
from palapy.schema.model import Collection
from palapy.search.sql import Sql, json_each

__all__ = ["referencing_rows"]


def referencing_rows(
    conn: apsw.Connection, ref: Collection, field: RelationField, record_id: str, exclude_id: str | None
) -> list[dict[str, Any]]:
    """Rows of `ref` whose relation `field` holds `record_id`."""
    table = quote_ident(ref.name)
    col = f"{table}.{quote_ident(field.name)}"
    if field.is_multiple():
        where = f"EXISTS (SELECT 1 FROM {json_each(Sql(col)).text()} __je__ WHERE __je__.value = ?)"
    else:
        where = f"{col} = ?"
    params: list[Any] = [record_id]
    if exclude_id is not None:
        where += f" AND {table}.`id` != ?"
        params.append(exclude_id)
    return query_all(conn, f"SELECT {table}.* FROM {table} WHERE {where}", params)
