"""The record write pipeline, run inside the writer thread so every hook sees one transaction.

save_record_in_tx: on_record_create|update -> (on_record_validate -> field validation)
                   -> on_record_create|update_execute -> INSERT/UPDATE
delete_record_in_tx: on_record_delete -> on_record_delete_execute -> DELETE + cascades

Success hooks, realtime and file deletions are registered with `app.db.after_commit`, so they
run only once the write has committed; files stored for a write are removed if it rolls back
(`app.db.on_rollback`). Any failure raises ApiError and the executor rolls the whole write back.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
from dataclasses import replace
from typing import Any

import apsw

from palapy.core import App
from palapy.db.connection import query_all, query_one, quote_ident
from palapy.hooks.events import RecordEvent
from palapy.records.record_files import delete_keys, removed_file_keys, store_uploads
from palapy.records.references import referencing_rows
from palapy.records.rows import fetch_record, find_record_by_field, record_to_row, row_to_record
from palapy.rules.request_info import RequestInfo
from palapy.schema.fields import AutodateField, PasswordField, RelationField, TextField, ValueContext
from palapy.schema.model import Collection
from palapy.schema.system import AUTH_REF_COLLECTIONS, SUPERUSERS
from palapy.storage.base import record_prefix
from palapy.tools import dates
from palapy.tools.errors import ApiError, ValidationErrors, field_error
from palapy.tools.ids import random_id, random_string

__all__ = [
    "save_record_in_tx",
    "delete_record_in_tx",
    "fetch_record",
    "find_record_by_field",
    "MSG_DELETE_FAILED",
    "INSTALLER_EMAIL",
]

log = logging.getLogger("palapy.records")

MSG_DELETE_FAILED = (
    "Failed to delete record. Make sure that the record is not part of a required relation reference."
)
INSTALLER_EMAIL = "__pbinstaller@example.com"
_DEFAULT_ID_PATTERN = "[a-z0-9]{15}"
_UNIQUE_FAILED = re.compile(r"unique constraint failed", re.I)


def _wrap_error(exc: BaseException, message: str) -> ApiError:
    """PocketBase's firstApiError: an ApiError passes through, anything else is a data-less 400."""
    if isinstance(exc, ApiError):
        return exc
    log.warning("record write failed: %r", exc)
    return ApiError(400, message)


# -- create/update -----------------------------------------------------------------


def _autogenerate(collection: Collection, record: dict[str, Any]) -> None:
    """Fill empty text fields that have an autogenerate pattern (ids, tokenKey, ...)."""
    for f in collection.fields:
        if not isinstance(f, TextField) or record.get(f.name):
            continue
        if collection.is_auth and f.name == "tokenKey":
            record[f.name] = random_string(50)
        elif f.primaryKey and f.autogeneratePattern in ("", _DEFAULT_ID_PATTERN):
            record[f.name] = random_id()
        elif f.autogeneratePattern:
            # An unusable pattern fails the save (PocketBase: "failed to autogenerate ...").
            record[f.name] = f.autogenerate()


def _validate_fields(
    app: App,
    conn: apsw.Connection,
    event: RecordEvent,
    plain_passwords: dict[str, str],
) -> None:
    collection = event.collection
    ctx = ValueContext(
        conn=conn,
        collection=collection,
        find_collection=app.collections.find,
        record=event.record,
        original=event.original,
        is_superuser=bool(event.request is not None and event.request.is_superuser),
    )
    errors: ValidationErrors = {}
    record = event.record
    for f in collection.fields:
        value = record[f.name] if f.name in record else f.empty_value()
        field_ctx = ctx
        if isinstance(f, PasswordField):
            # Password rules apply to the plain text just set; an unchanged hash is only
            # checked for presence (a cleared hash must not pass as the stored one).
            if plain_passwords.get(f.name):
                value = plain_passwords[f.name]
            elif value:
                continue
            else:
                value = ""
                field_ctx = replace(ctx, original=None)
        err = f.validate_value(value, field_ctx)
        if err:
            errors[f.name] = err
    if errors:
        raise ApiError(400, _failure_message(event), errors)


def _failure_message(event: RecordEvent) -> str:
    return "Failed to create record." if event.original is None else "Failed to update record."


def _unique_errors(exc: apsw.ConstraintError, collection: Collection) -> ValidationErrors:
    """`UNIQUE constraint failed: posts.slug, posts.x` -> validation_not_unique on each column."""
    msg = str(exc).lower()
    if not _UNIQUE_FAILED.search(msg):
        return {}
    msg = " " + msg.replace(",", " ").strip() + " "
    errors: ValidationErrors = {}
    for name in collection.field_names():
        if f" {collection.name.lower()}.{name.lower()} " in msg:
            errors[name] = field_error("validation_not_unique", "Value must be unique.")
    return errors


def _before_write(app: App, conn: apsw.Connection, event: RecordEvent) -> None:
    """The execute-step defaults: autodates, tokenKey rotation, superuser flags, auth id check."""
    collection, record, original = event.collection, event.record, event.original
    now = dates.now()
    for f in collection.fields:
        if not isinstance(f, AutodateField):
            continue
        if original is None:
            if f.onCreate and not record.get(f.name):
                record[f.name] = now
        elif f.onUpdate and record.get(f.name) == original.get(f.name):
            record[f.name] = now

    if not collection.is_auth:
        return
    if collection.name == SUPERUSERS:
        record["verified"] = True
    if original is not None:
        stored = fetch_record(conn, collection, str(original.get("id", "")))
        if (
            stored is not None
            and stored.get("tokenKey") == record.get("tokenKey")
            and (
                stored.get("password") != record.get("password") or stored.get("email") != record.get("email")
            )
        ):
            record["tokenKey"] = random_string(50)
    elif not record.get("tokenKey"):
        record["tokenKey"] = random_string(50)
    # Auth ids are unique across every auth collection (SQLite checks the own table).
    for other in app.collections.all():
        if other.is_auth and other.id != collection.id:
            table = quote_ident(other.name)
            if query_one(conn, f"SELECT 1 AS x FROM {table} WHERE `id` = ? LIMIT 1", (record.get("id"),)):
                raise ApiError(
                    400,
                    _failure_message(event),
                    {
                        "id": field_error(
                            "validation_invalid_auth_id", "Invalid or duplicated auth record id."
                        )
                    },
                )


@functools.lru_cache(maxsize=512)
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    cols = ", ".join(quote_ident(c) for c in columns)
    return f"INSERT INTO {quote_ident(table)} ({cols}) VALUES ({', '.join('?' * len(columns))})"


@functools.lru_cache(maxsize=512)
def _update_sql(table: str, columns: tuple[str, ...]) -> str:
    sets = ", ".join(f"{quote_ident(c)} = ?" for c in columns)
    return f"UPDATE {quote_ident(table)} SET {sets} WHERE `id` = ?"


def _write_row(conn: apsw.Connection, event: RecordEvent) -> None:
    collection, record, original = event.collection, event.record, event.original
    row = record_to_row(collection, record)
    try:
        if original is None:
            conn.execute(_insert_sql(collection.name, tuple(row)), tuple(row.values()))
        else:
            conn.execute(_update_sql(collection.name, tuple(row)), (*row.values(), original.get("id")))
    except apsw.ConstraintError as exc:
        errors = _unique_errors(exc, collection)
        if errors:
            raise ApiError(400, _failure_message(event), errors) from exc
        raise


def _delete_installer(
    app: App, conn: apsw.Connection, collection: Collection, record: dict[str, Any]
) -> None:
    """Creating a real superuser removes the temporary installer account."""
    if record.get("email") == INSTALLER_EMAIL:
        return
    installer = find_record_by_field(conn, collection, "email", INSTALLER_EMAIL)
    if installer is not None:
        delete_record_in_tx(app, conn, collection, installer, None)


def save_record_in_tx(
    app: App,
    conn: apsw.Connection,
    collection: Collection,
    record: dict[str, Any],
    original: dict[str, Any] | None,
    request: RequestInfo | None = None,
    *,
    validate: bool = True,
    plain_passwords: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Create (`original` None) or update a record inside the current write; returns the saved record.

    `record` holds canonical values (password fields already hashed; file fields may hold
    pending UploadedFile objects). `plain_passwords` carries the plain text of password fields
    set in this save so their length/pattern rules can be checked. Must run inside `db.write`.
    """
    if collection.is_view:
        raise ApiError(400, "Unsupported collection type.")
    is_new = original is None
    hooks = app.hooks
    tags = collection.hook_tags
    event = RecordEvent(collection=collection, record=record, original=original, conn=conn, request=request)
    written: list[str] = []
    plain = plain_passwords or {}

    def execute(e: RecordEvent) -> None:
        _before_write(app, conn, e)
        written.extend(store_uploads(app, collection, e.record))
        _write_row(conn, e)
        if is_new and collection.name == SUPERUSERS:
            _delete_installer(app, conn, collection, e.record)

    def default_action(e: RecordEvent) -> None:
        if validate:
            hooks.on_record_validate.trigger(e, lambda ev: _validate_fields(app, conn, ev, plain), tags=tags)
        execute_hook = hooks.on_record_create_execute if is_new else hooks.on_record_update_execute
        execute_hook.trigger(e, execute, tags=tags)

    main_hook = hooks.on_record_create if is_new else hooks.on_record_update
    try:
        if is_new:
            # PocketBase fills autogenerated values before any create handler runs.
            _autogenerate(collection, record)
        main_hook.trigger(event, default_action, tags=tags)
    except Exception as exc:
        delete_keys(app, written)
        event.error = exc
        error_hook = hooks.on_record_after_create_error if is_new else hooks.on_record_after_update_error
        try:
            error_hook.trigger(event, tags=tags)
        except Exception:  # noqa: BLE001 - the original failure is what the client must see
            log.exception("after-error hook failed")
        raise _wrap_error(exc, _failure_message(event)) from exc

    saved = event.record
    stale = removed_file_keys(collection, saved, original) if original is not None else []
    success_hook = hooks.on_record_after_create_success if is_new else hooks.on_record_after_update_success

    async def after_commit() -> None:
        if stale:  # off the loop: on S3 this is network round trips
            await asyncio.to_thread(delete_keys, app, stale)
        await success_hook.atrigger(event, tags=tags)

    app.db.after_commit(after_commit)
    if written:  # the transaction may still fail later (a batch): its new files go with it
        app.db.on_rollback(lambda: delete_keys(app, written))
    return saved


# -- delete ------------------------------------------------------------------------


def _count(conn: apsw.Connection, collection: Collection) -> int:
    row = query_one(conn, f"SELECT COUNT(*) AS n FROM {quote_ident(collection.name)}")
    return int(row["n"]) if row else 0


def _delete_auth_refs(
    app: App, conn: apsw.Connection, collection: Collection, record: dict[str, Any]
) -> None:

    for name in AUTH_REF_COLLECTIONS:
        ref = app.collections.find(name)
        if ref is None or ref.id == collection.id or ref.is_view:
            continue
        if ref.field("collectionRef") is None or ref.field("recordRef") is None:
            continue
        rows = query_all(
            conn,
            f"SELECT * FROM {quote_ident(ref.name)} WHERE `collectionRef` = ? AND `recordRef` = ?",
            (collection.id, record.get("id")),
        )
        for row in rows:
            delete_record_in_tx(app, conn, ref, row_to_record(ref, row), None)


def delete_record_in_tx(
    app: App,
    conn: apsw.Connection,
    collection: Collection,
    record: dict[str, Any],
    request: RequestInfo | None = None,
) -> None:
    """Delete `record` with its cascades inside the current write (hooks fire for each record).

    Raises ApiError 400: the only superuser, a required relation reference, or a hook error.
    The record's storage folder is removed after commit.
    """

    hooks = app.hooks
    tags = collection.hook_tags
    event = RecordEvent(collection=collection, record=record, original=record, conn=conn, request=request)

    def execute(e: RecordEvent) -> None:
        conn.execute(f"DELETE FROM {quote_ident(collection.name)} WHERE `id` = ?", (e.record.get("id"),))
        _cascade_delete(app, conn, collection, e.record, request)
        if collection.is_auth:
            _delete_auth_refs(app, conn, collection, e.record)

    def default_action(e: RecordEvent) -> None:
        if collection.is_view:
            raise ApiError(400, "Unsupported collection type.")
        if collection.name == SUPERUSERS and _count(conn, collection) == 1:
            raise ApiError(400, "You can't delete the only existing superuser.")
        hooks.on_record_delete_execute.trigger(e, execute, tags=tags)

    try:
        hooks.on_record_delete.trigger(event, default_action, tags=tags)
    except Exception as exc:
        event.error = exc
        try:
            hooks.on_record_after_delete_error.trigger(event, tags=tags)
        except Exception:  # noqa: BLE001
            log.exception("after-error hook failed")
        raise _wrap_error(exc, MSG_DELETE_FAILED) from exc

    prefix = record_prefix(collection.id, str(record.get("id", "")))

    async def after_commit() -> None:
        try:  # off the loop: on S3 this is network round trips
            await asyncio.to_thread(app.storage.delete_prefix, prefix)
        except (OSError, ValueError) as exc:
            log.warning("failed to delete files of %s: %s", prefix, exc)
        await hooks.on_record_after_delete_success.atrigger(event, tags=tags)

    app.db.after_commit(after_commit)


def _cascade_delete(
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
