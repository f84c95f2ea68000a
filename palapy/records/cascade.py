"""Relation cascades when a record is deleted (inside the same write)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import apsw

from palapy.db.connection import query_all, quote_ident
from palapy.records.rows import row_to_record
from palapy.rules.request_info import RequestInfo
from palapy.schema.fields import RelationField
from palapy.schema.model import Collection

if TYPE_CHECKING:
    from palapy.core import App

__all__ = ["cascade_delete", "referencing_rows"]

# The "every element" helper PocketBase uses for JSON array columns.
_JSON_EACH = "json_each(CASE WHEN iif(json_valid({c}), json_type({c})='array', FALSE) THEN {c} ELSE json_array({c}) END)"


def referencing_rows(
    conn: apsw.Connection, ref: Collection, field: RelationField, record_id: str, exclude_id: str | None
) -> list[dict[str, Any]]:
    """Rows of `ref` whose relation `field` holds `record_id`."""
    table = quote_ident(ref.name)
    col = f"{table}.{quote_ident(field.name)}"
    if field.is_multiple():
        where = f"EXISTS (SELECT 1 FROM {_JSON_EACH.format(c=col)} __je__ WHERE __je__.value = ?)"
    else:
        where = f"{col} = ?"
    params: list[Any] = [record_id]
    if exclude_id is not None:
        where += f" AND {table}.`id` != ?"
        params.append(exclude_id)
    return query_all(conn, f"SELECT {table}.* FROM {table} WHERE {where}", params)


def cascade_delete(
    app: App,
    conn: apsw.Connection,
    collection: Collection,
    record: dict[str, Any],
    request: RequestInfo | None,
) -> None:
    """Remove the deleted id from every relation pointing at it.

    An emptied `cascadeDelete` relation deletes the referencing record; an emptied `required`
    one refuses the delete; otherwise the referencing record is saved without validation.
    """
    from palapy.records.service import delete_record_in_tx, save_record_in_tx

    record_id = str(record.get("id", ""))
    refs: dict[str, tuple[Collection, list[RelationField]]] = {}
    for ref, field_name in app.collections.referencing(collection.id):
        f = ref.field(field_name)
        if isinstance(f, RelationField) and not ref.is_view:
            refs.setdefault(ref.name, (ref, []))[1].append(f)
    for name in sorted(refs):
        ref, fields = refs[name]
        for field in fields:
            exclude = record_id if ref.id == collection.id else None
            for row in referencing_rows(conn, ref, field, record_id, exclude):
                ref_record = row_to_record(ref, row)
                value = ref_record.get(field.name)
                ids = list(value) if isinstance(value, list) else ([value] if value else [])
                # PocketBase drops one occurrence, scanning from the end.
                for i in range(len(ids) - 1, -1, -1):
                    if ids[i] == record_id:
                        del ids[i]
                        break
                if field.cascadeDelete and not ids:
                    delete_record_in_tx(app, conn, ref, ref_record, request)
                    continue
                if field.required and not ids:
                    raise RuntimeError(
                        f"the record cannot be deleted because it is part of a required reference "
                        f"in record {ref_record.get('id')} ({ref.name} collection)"
                    )
                updated = dict(ref_record)
                updated[field.name] = field.normalize(ids)
                save_record_in_tx(app, conn, ref, updated, ref_record, request, validate=False)
