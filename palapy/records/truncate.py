"""Truncating a collection: every record deleted one by one through the record service, so
cascades, file deletion and hooks apply to each (as PocketBase's TruncateCollection does)."""

from __future__ import annotations

import apsw

from palapy.core import App
from palapy.db.connection import query_all, quote_ident
from palapy.records.service import delete_record_in_tx, fetch_record
from palapy.rules.request_info import RequestInfo
from palapy.tools.errors import ApiError, not_found

__all__ = ["truncate_collection", "MSG_TRUNCATE_VIEW", "MSG_TRUNCATE_FAILED"]

MSG_TRUNCATE_VIEW = "View collections cannot be truncated since they don't store their own records."
MSG_TRUNCATE_FAILED = (
    "Failed to truncate collection (most likely due to required cascade delete record references)."
)
_TRUNCATE_BATCH = 500


async def truncate_collection(app: App, key: str, request: RequestInfo | None) -> None:
    """Delete every record one by one through the records service (cascades, files, hooks)."""
    collection = app.collections.find(key)
    if collection is None:
        raise not_found()
    if collection.is_view:
        raise ApiError(400, MSG_TRUNCATE_VIEW)

    def fn(conn: apsw.Connection) -> None:
        table = quote_ident(collection.name)
        while True:
            ids = [str(r["id"]) for r in query_all(conn, f"SELECT `id` FROM {table} LIMIT {_TRUNCATE_BATCH}")]
            if not ids:
                return
            for record_id in ids:
                record = fetch_record(conn, collection, record_id)
                if record is not None:  # a cascade may have removed it already
                    delete_record_in_tx(app, conn, collection, record, request)
            if [
                str(r["id"]) for r in query_all(conn, f"SELECT `id` FROM {table} LIMIT {_TRUNCATE_BATCH}")
            ] == ids:
                raise ApiError(400, MSG_TRUNCATE_FAILED)  # a hook kept the rows: stop rather than loop

    try:
        await app.db.write(fn)
    except ApiError as exc:
        raise ApiError(400, MSG_TRUNCATE_FAILED) from exc
