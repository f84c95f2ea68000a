"""Password authentication and the shared auth response, callable without HTTP.

The order of checks follows PocketBase: the collection must be an auth collection with
password auth enabled, the form is validated, the identity is looked up (email first, case
sensitivity from the unique index), the password is checked inside the
`on_record_auth_with_password_request` hook, then `auth_response()` checks the superuser IP
list and the collection's `authRule` before `on_record_auth_request` builds the body.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import apsw

from palapy.auth.identity import (
    any_password_hash,
    find_auth_record_by_email,
    find_record_by_identity,
    identity_fields,
)
from palapy.auth.mfa import check_mfa
from palapy.auth.tokens import mint_auth_token, unverified_claims
from palapy.core import App
from palapy.db.connection import quote_ident
from palapy.hooks.events import RecordAuthRequestEvent, RecordAuthWithPasswordRequestEvent, RecordRequestEvent
from palapy.records.access import record_matches
from palapy.records.enrich import enrich_record
from palapy.records.rows import fetch_record
from palapy.rules.request_info import RequestInfo
from palapy.schema.model import Collection
from palapy.schema.system import SUPERUSERS
from palapy.tools.errors import MSG_NOT_FOUND, ApiError, ValidationErrors, field_error
from palapy.tools.gocast import go_bool
from palapy.tools.security.ip_ranges import ip_in_list
from palapy.tools.security.passwords import dummy_verify, hash_password, needs_rehash, verify_password
from palapy.tools.validation_errors import min_value

__all__ = [
    "MSG_AUTH_FAILED",
    "MSG_VALIDATION",
    "MSG_LOAD_FAILED",
    "find_auth_collection",
    "ensure_password_auth",
    "identity_fields",
    "validate_password_form",
    "find_record_by_identity",
    "find_auth_record_by_email",
    "password_matches",
    "upgrade_password_hash",
    "authenticate_with_password",
    "auth_response",
    "refresh_auth",
]

log = logging.getLogger("palapy.auth")

MSG_AUTH_FAILED = "Failed to authenticate."
MSG_VALIDATION = "An error occurred while validating the submitted data."
MSG_LOAD_FAILED = "An error occurred while loading the submitted data."
MSG_MISSING_COLLECTION = "Missing or invalid collection context."
MSG_NOT_AUTH_COLLECTION = "Missing or invalid auth collection context."
MSG_PASSWORD_AUTH_DISABLED = "The collection is not configured to allow password authentication."
MSG_AUTH_RULE = "The request doesn't satisfy the collection requirements to authenticate."
METHOD_PASSWORD = "password"


def find_auth_collection(app: App, id_or_name: str, *, missing: str = MSG_MISSING_COLLECTION) -> Collection:
    """The auth collection named in the path; 404 with PocketBase's two messages otherwise
    (`missing` for an unknown name: most auth routes sit behind PocketBase's collection
    middleware, whose message it is; impersonate does not)."""
    collection = app.collections.find(id_or_name)
    if collection is None:
        raise ApiError(404, missing)
    if not collection.is_auth:
        raise ApiError(404, MSG_NOT_AUTH_COLLECTION)
    return collection


def ensure_password_auth(collection: Collection) -> None:
    """403 unless the collection has password auth enabled."""
    if not collection.option_dict("passwordAuth").get("enabled"):
        raise ApiError(403, MSG_PASSWORD_AUTH_DISABLED)


def _length_error(value: str) -> dict[str, Any] | None:
    """ozzo's Length(1, 255) counts bytes for strings."""
    if not value:
        return field_error("validation_required", "Cannot be blank.")
    if len(value.encode()) > 255:
        return field_error(
            "validation_length_out_of_range", "The length must be between 1 and 255.", {"max": 255, "min": 1}
        )
    return None


def validate_password_form(form: dict[str, str], collection: Collection) -> None:
    """Raise 400 with per-field codes for an empty or over-long identity/password or an
    `identityField` that is not one of the collection's identity fields."""
    errors: ValidationErrors = {}
    for name in ("identity", "password"):
        err = _length_error(form[name])
        if err is not None:
            errors[name] = err
    field = form.get("identityField", "")
    if field:
        if len(field.encode()) > 255:
            errors["identityField"] = field_error(
                "validation_length_out_of_range",
                "The length must be between 1 and 255.",
                {"max": 255, "min": 1},
            )
        elif field not in identity_fields(collection):
            errors["identityField"] = field_error("validation_in_invalid", "Must be a valid value.")
    if errors:
        raise ApiError(400, MSG_VALIDATION, errors)


async def password_matches(record: dict[str, Any], plain: str) -> bool:
    """Check `plain` against the record's stored hash off the event loop (argon2/bcrypt are slow)."""
    stored = record.get("password")
    if not isinstance(stored, str) or not stored:
        return False
    return await asyncio.to_thread(verify_password, plain, stored)


async def upgrade_password_hash(app: App, collection: Collection, record: dict[str, Any], plain: str) -> bool:
    """Replace a bcrypt (or outdated argon2) hash with a fresh argon2id one after a good login.

    A plain UPDATE of the one column, guarded by the old hash: the password itself does not
    change, so `tokenKey` stays (existing tokens live on), `updated` is untouched and no record
    hooks or realtime events fire. Returns True when the stored hash was replaced.
    """
    old = record.get("password")
    if not isinstance(old, str) or not needs_rehash(old):
        return False
    new = await asyncio.to_thread(hash_password, plain)
    table = quote_ident(collection.name)

    def write(conn: apsw.Connection) -> bool:
        conn.execute(
            f"UPDATE {table} SET `password` = ? WHERE `id` = ? AND `password` = ?", (new, record["id"], old)
        )
        return conn.changes() > 0

    changed = await app.db.write(write)
    if changed:
        record["password"] = new
    return changed


def _no_mfa_id() -> str:
    return ""


async def authenticate_with_password(
    app: App,
    collection: Collection,
    form: dict[str, str],
    info: RequestInfo,
    *,
    client_ip: str = "",
    read_mfa_id: Callable[[], str] | None = None,
) -> dict[str, Any]:
    """The whole password login after the form was bound: validate, look up, check, answer.

    Returns the response body (`{"record", "token"}`); raises ApiError for every failure.
    """
    ensure_password_auth(collection)
    validate_password_form(form, collection)
    info.context = METHOD_PASSWORD
    identity, identity_field = form["identity"], form.get("identityField", "")
    record = await app.db.read(
        lambda conn: find_record_by_identity(conn, collection, identity, identity_field)
    )

    event = RecordAuthWithPasswordRequestEvent(
        collection=collection,
        request=info,
        record=record,
        body=dict(form),
        identity=identity,
        password=form["password"],
        identity_field=identity_field,
    )

    async def final(e: RecordAuthWithPasswordRequestEvent) -> Any:
        found = e.record
        if found is None or not await password_matches(found, e.password):
            if found is None:
                # Spend the time a real check costs, against a hash of this collection.
                stored = await app.db.read(lambda conn: any_password_hash(conn, e.collection))
                if stored:
                    await asyncio.to_thread(dummy_verify, stored)
            raise ApiError(400, MSG_AUTH_FAILED)
        try:
            await upgrade_password_hash(app, e.collection, found, e.password)
        except apsw.Error:
            log.warning(
                "password hash upgrade failed for %s/%s", e.collection.name, found.get("id"), exc_info=True
            )

        token = mint_auth_token(app, e.collection, found)
        e.result = await auth_response(
            app,
            info,
            e.collection,
            found,
            token,
            METHOD_PASSWORD,
            client_ip=client_ip,
            read_mfa_id=read_mfa_id,
        )
        return e.result

    await app.hooks.on_record_auth_with_password_request.atrigger(event, final, tags=collection.hook_tags)
    if event.result is None:
        raise ApiError(400, MSG_AUTH_FAILED)
    result: dict[str, Any] = event.result
    return result


async def auth_response(
    app: App,
    info: RequestInfo,
    collection: Collection,
    record: dict[str, Any],
    token: str,
    auth_method: str = "",
    meta: Any = None,
    *,
    client_ip: str = "",
    read_mfa_id: Callable[[], str] | None = None,
) -> dict[str, Any]:
    """PocketBase's RecordAuthResponse: IP allow-list for superusers, the `authRule` (judged
    for the original requester), then `on_record_auth_request`, whose default action returns
    `{"meta"?, "record", "token"}` with the record enriched for its owner (email shown,
    hidden fields shown to superusers, `?expand=` applied). With MFA on, a first factor ends
    in `MFARequired` (401 `{"mfaId"}`); `read_mfa_id` supplies the client's `mfaId`."""

    if collection.name == SUPERUSERS:
        allowed = app.settings.get("superuserIPs") or []
        if isinstance(allowed, list) and allowed and not ip_in_list(client_ip, [str(a) for a in allowed]):
            raise ApiError(403, "You are not allowed to perform this request.")

    rule = collection.rule("authRule")
    try:
        ok = await app.db.read(lambda conn: record_matches(app, conn, collection, record["id"], rule, info))
    except Exception:  # a broken rule denies, like PocketBase's CanAccessRecord error path
        log.warning("authRule of %s failed to evaluate", collection.name, exc_info=True)
        ok = False
    if not ok:
        raise ApiError(403, MSG_AUTH_RULE)

    event = RecordAuthRequestEvent(
        collection=collection, request=info, record=record, token=token, meta=meta, auth_method=auth_method
    )

    async def final(e: RecordAuthRequestEvent) -> Any:
        assert e.record is not None
        found: dict[str, Any] = e.record
        target = e.collection
        await check_mfa(app, info, target, found, e.auth_method, read_mfa_id or _no_mfa_id)
        # Enrichment sees the authenticated record as the requester (its own email, its rules).
        owner = RequestInfo(
            auth=found,
            auth_collection=target,
            method=info.method,
            headers=info.headers,
            query=info.query,
            body=info.body,
            context=info.context,
        )
        expand = info.query.get("expand", "")
        record_json = await app.db.read(
            lambda conn: enrich_record(
                app,
                conn,
                target,
                found,
                owner,
                expand,
                show_email=True,
                show_hidden=target.name == SUPERUSERS,
            )
        )
        body: dict[str, Any] = {}
        if e.meta is not None:
            body["meta"] = e.meta
        body["record"] = record_json
        body["token"] = e.token
        e.result = body
        return body

    await app.hooks.on_record_auth_request.atrigger(event, final, tags=collection.hook_tags)
    if event.result is None:
        raise ApiError(400, MSG_AUTH_FAILED)
    result: dict[str, Any] = event.result
    return result


async def refresh_auth(
    app: App, collection_ref: str, info: RequestInfo, token: str, *, client_ip: str = ""
) -> dict[str, Any]:
    """`auth-refresh` for the requester `info` (authenticated by `token`): a fresh token (the
    same one for a non-refreshable token) and the current record, through
    `on_record_auth_refresh_request` and the shared auth response."""
    target = app.collections.find(collection_ref)
    if target is None:
        raise ApiError(404, MSG_MISSING_COLLECTION)
    if info.auth is None or info.auth_collection is None:
        raise ApiError(401, "The request requires valid record authorization token.")
    if info.auth_collection.id != target.id:
        raise ApiError(403, f"The request requires auth record from {info.auth_collection.name} collection.")

    event = RecordRequestEvent(collection=info.auth_collection, request=info, record=info.auth)

    async def final(e: RecordRequestEvent) -> Any:
        assert e.record is not None
        fresh = token
        if go_bool(unverified_claims(token).get("refreshable")):
            fresh = mint_auth_token(app, e.collection, e.record)
        e.result = await auth_response(app, info, e.collection, e.record, fresh, "", client_ip=client_ip)
        return e.result

    await app.hooks.on_record_auth_refresh_request.atrigger(event, final, tags=target.hook_tags)
    if event.result is None:
        raise ApiError(400, "Failed to refresh auth token.")
    result: dict[str, Any] = event.result
    return result


async def impersonate(
    app: App,
    info: RequestInfo,
    collection: Collection,
    record_id: str,
    read_duration: Callable[[], int],
    *,
    client_ip: str = "",
) -> dict[str, Any]:
    """A superuser's `impersonate`: the record (404 before the body is read), the duration
    (`read_duration`, seconds, 0 for the collection's), then a non-refreshable auth token in
    the shared auth response (no MFA: it has no auth method)."""
    record = await app.db.read(lambda conn: fetch_record(conn, collection, record_id))
    if record is None:
        raise ApiError(404, MSG_NOT_FOUND)
    duration = read_duration()
    if duration < 0:
        raise ApiError(400, MSG_VALIDATION, {"duration": min_value(0)})
    token = mint_auth_token(app, collection, record, refreshable=False, duration=duration)
    return await auth_response(app, info, collection, record, token, client_ip=client_ip)
