"""The synchronous steps of record create/update/delete requests: body resolution and rule checks.

Each `prepare_*` runs on one connection (a reader for the HTTP API, the batch's writer inside a
batch) and returns what the request hooks and the final write need. Errors are ApiErrors with
PocketBase's status codes and messages.
"""

from __future__ import annotations

from typing import Any

import apsw

from palapy.core import App
from palapy.records.access import manage_access, new_record_matches, record_matches
from palapy.records.body import ParsedBody
from palapy.records.forms import MSG_CREATE_FAILED, RecordUpsert
from palapy.records.modifiers import resolve_modifiers
from palapy.records.rows import fetch_record, record_to_row
from palapy.rules.request_info import RequestInfo
from palapy.schema.fields import FileField
from palapy.schema.model import Collection
from palapy.tools.errors import MSG_NOT_FOUND, ApiError
from palapy.tools.gocast import unique_strings
from palapy.tools.ids import ID_ALPHABET, random_string

__all__ = [
    "MSG_SUPERUSERS_ONLY",
    "MSG_UNSUPPORTED_TYPE",
    "resolve_request_data",
    "require_rule",
    "prepare_create",
    "prepare_update",
    "prepare_delete",
    "prepare_view",
]

MSG_SUPERUSERS_ONLY = "Only superusers can perform this action."
MSG_UNSUPPORTED_TYPE = "Unsupported collection type."


def require_rule(rule: str | None, request: RequestInfo) -> None:
    """A `null` rule is superusers-only: 403 for everyone else, before any record lookup."""
    if rule is None and not request.is_superuser:
        raise ApiError(403, MSG_SUPERUSERS_ONLY)


def _file_keys(collection: Collection) -> set[str]:
    keys: set[str] = set()
    for f in collection.fields:
        if isinstance(f, FileField):
            keys |= {f.name, "+" + f.name, f.name + "+"}
    return keys


def resolve_request_data(
    collection: Collection, body: ParsedBody, base: dict[str, Any], request: RequestInfo, prefix: str = ""
) -> dict[str, Any]:
    """The body as the record will see it: modifiers applied against `base`, uploads merged
    into their file fields, and (for non-superusers) hidden fields dropped.

    `prefix` selects upload parts named `{prefix}.{key}` (batch requests).
    """
    result = resolve_modifiers(collection, body.data, base)
    uploads: dict[str, list[Any]] = {}
    for key in _file_keys(collection):
        part = f"{prefix}.{key}" if prefix else key
        if body.files.get(part):
            uploads[key] = list(body.files[part])
    if uploads:
        for key, files in uploads.items():
            merged: list[Any] = []
            # A plain key sent with uploads keeps the listed existing names (no accidental deletes).
            if body.data.get(key) is not None and not key.startswith("+") and not key.endswith(("+", "-")):
                merged.extend(unique_strings(body.data[key]))
            merged.extend(files)
            result[key] = merged
        result = resolve_modifiers(collection, result, base)
    if not request.is_superuser:
        for f in collection.fields:
            if f.hidden and not (collection.is_auth and f.name == "password"):
                result.pop(f.name, None)
    return result


def _body_view(collection: Collection, data: dict[str, Any]) -> dict[str, Any]:
    """`@request.body` as rules see it: pending uploads appear by their new file names."""
    out = dict(data)
    for f in collection.fields:
        if isinstance(f, FileField) and f.name in out:
            value = out[f.name]
            if isinstance(value, list):
                out[f.name] = [getattr(v, "name", v) for v in value]
            elif value is not None and not isinstance(value, str):
                out[f.name] = getattr(value, "name", "")
    return out


def _dummy_row(collection: Collection, record: dict[str, Any]) -> dict[str, Any]:
    """The would-be row the createRule runs against: a temporary id, `verified` forced off."""
    dummy = dict(record)
    if not dummy.get("id"):
        dummy["id"] = "__temp_id__" + "__pb_create__" + random_string(6, ID_ALPHABET)
    if collection.is_auth:
        dummy["verified"] = False
    dummy = _body_view(collection, dummy)
    return record_to_row(collection, dummy)


def prepare_create(
    app: App, conn: apsw.Connection, collection: Collection, body: ParsedBody, request: RequestInfo
) -> RecordUpsert:
    """Resolve the body, load the form and check createRule (400 on failure) and manageRule."""
    if collection.is_view:
        raise ApiError(400, MSG_UNSUPPORTED_TYPE)
    require_rule(collection.createRule, request)
    form = RecordUpsert(app, collection, None, request)
    data = resolve_request_data(collection, body, form.record, request)
    request.body = _body_view(collection, data)
    form.load(data)
    if not request.is_superuser and collection.createRule is not None:
        # The would-be row is only built when a rule will read it.
        needs_row = collection.createRule != "" or (collection.is_auth and request.auth is not None)
        row = _dummy_row(collection, form.record) if needs_row else {}
        if collection.createRule != "":
            try:
                ok = new_record_matches(app, conn, collection, row, collection.createRule, request)
            except ApiError:
                raise
            except Exception as exc:  # a rule that cannot run fails the create, as in PocketBase
                raise ApiError(400, MSG_CREATE_FAILED) from exc
            if not ok:
                raise ApiError(400, MSG_CREATE_FAILED)
        if (
            needs_row
            and not form.has_manage_access
            and manage_access(app, conn, collection, request, db_values=row)
        ):
            form.grant_manager_access()
    return form


def prepare_update(
    app: App,
    conn: apsw.Connection,
    collection: Collection,
    record_id: str,
    body: ParsedBody,
    request: RequestInfo,
) -> RecordUpsert:
    """403 for a null updateRule, 404 for a missing record or a failing rule, then the form."""
    if collection.is_view:
        raise ApiError(400, MSG_UNSUPPORTED_TYPE)
    require_rule(collection.updateRule, request)
    original = fetch_record(conn, collection, record_id)
    if original is None:
        raise ApiError(404, MSG_NOT_FOUND)
    data = resolve_request_data(collection, body, original, request)
    request.body = _body_view(collection, data)
    if not request.is_superuser and collection.updateRule:
        if not record_matches(app, conn, collection, record_id, collection.updateRule, request):
            raise ApiError(404, MSG_NOT_FOUND)
    form = RecordUpsert(app, collection, original, request)
    form.load(data)
    if not form.has_manage_access and manage_access(app, conn, collection, request, record_id=record_id):
        form.grant_manager_access()
    return form


def prepare_delete(
    app: App, conn: apsw.Connection, collection: Collection, record_id: str, request: RequestInfo
) -> dict[str, Any]:
    """The record to delete: 403 for a null deleteRule, 404 when missing or not matching it."""
    if collection.is_view:
        raise ApiError(400, MSG_UNSUPPORTED_TYPE)
    return _fetch_allowed(app, conn, collection, record_id, collection.deleteRule, request)


def prepare_view(
    app: App, conn: apsw.Connection, collection: Collection, record_id: str, request: RequestInfo
) -> dict[str, Any]:
    """The record to show: 403 for a null viewRule, 404 when missing or not matching it."""
    return _fetch_allowed(app, conn, collection, record_id, collection.viewRule, request)


def _fetch_allowed(
    app: App,
    conn: apsw.Connection,
    collection: Collection,
    record_id: str,
    rule: str | None,
    request: RequestInfo,
) -> dict[str, Any]:
    """The stored record when `rule` lets `request` see it: 403 for a null rule (non-superusers),
    404 when it is missing or does not match the rule."""
    require_rule(rule, request)
    record = fetch_record(conn, collection, record_id)
    if record is None or not record_matches(app, conn, collection, record_id, rule, request):
        raise ApiError(404, MSG_NOT_FOUND)
    return record
