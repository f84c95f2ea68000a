"""Record tokens exactly as PocketBase mints and checks them.

HS256 JWTs, header `{"alg":"HS256","typ":"JWT"}`, no `iat`; `exp` = now + the collection's
duration for that token kind. The signing key is the record's `tokenKey` followed by the
collection's secret for that kind (`options["authToken"]["secret"]`, ...), so rotating either
kills every token signed with it. Nothing here is cached: each check reads the record afresh.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import apsw

from palapy.core import App
from palapy.records.rows import fetch_record
from palapy.schema.model import Collection
from palapy.tools.security.jwt_hs256 import JWTError, encode_hs256, parse_unverified, verify_hs256

__all__ = [
    "TOKEN_AUTH",
    "TOKEN_FILE",
    "TOKEN_VERIFICATION",
    "TOKEN_PASSWORD_RESET",
    "TOKEN_EMAIL_CHANGE",
    "TOKEN_OPTIONS",
    "new_record_token",
    "mint_auth_token",
    "token_secret",
    "token_duration",
    "token_from_header",
    "unverified_claims",
    "find_record_by_token_sync",
    "find_record_by_token",
    "resolve_auth_header",
]

log = logging.getLogger("palapy.auth")

TOKEN_AUTH = "auth"
TOKEN_FILE = "file"
TOKEN_VERIFICATION = "verification"
TOKEN_PASSWORD_RESET = "passwordReset"
TOKEN_EMAIL_CHANGE = "emailChange"

# Token type -> the collection option holding its {"secret", "duration"}.
TOKEN_OPTIONS = {
    TOKEN_AUTH: "authToken",
    TOKEN_FILE: "fileToken",
    TOKEN_VERIFICATION: "verificationToken",
    TOKEN_PASSWORD_RESET: "passwordResetToken",
    TOKEN_EMAIL_CHANGE: "emailChangeToken",
}


def token_secret(collection: Collection, token_type: str) -> str:
    """The collection-level half of the signing key for `token_type`."""
    return str(collection.option_dict(TOKEN_OPTIONS[token_type]).get("secret") or "")


def token_duration(collection: Collection, token_type: str) -> int:
    """Seconds a `token_type` token of this collection lives (from its options)."""
    try:
        return int(collection.option_dict(TOKEN_OPTIONS[token_type]).get("duration") or 0)
    except (TypeError, ValueError):
        return 0


def new_record_token(
    collection: Collection,
    record: dict[str, Any],
    token_type: str,
    extra: dict[str, Any] | None = None,
    duration: int = 0,
) -> str:
    """A signed token of `token_type` for `record`; `duration <= 0` uses the collection's setting.

    Raises ValueError for a non-auth collection or an empty signing key (PocketBase refuses both).
    """
    if not collection.is_auth:
        raise ValueError("not an auth collection record")
    key = str(record.get("tokenKey") or "") + token_secret(collection, token_type)
    if not key:
        raise ValueError("missing or invalid signing key")
    if duration <= 0:
        duration = token_duration(collection, token_type)
    claims: dict[str, Any] = {
        "id": record["id"],
        "type": token_type,
        "collectionId": collection.id,
        **(extra or {}),
        "exp": int(time.time()) + duration,
    }
    return encode_hs256(claims, key)


def mint_auth_token(
    app: App | None,
    collection: Collection,
    record: dict[str, Any],
    *,
    refreshable: bool = True,
    duration: int = 0,
) -> str:
    """An auth token for `record`: refreshable for logins, non-refreshable for impersonation."""
    return new_record_token(collection, record, TOKEN_AUTH, {"refreshable": refreshable}, duration)


def token_from_header(header: str) -> str:
    """The raw token of an `Authorization` value; an optional case-insensitive `Bearer ` is dropped."""
    if len(header) > 7 and header[:7].lower() == "bearer ":
        return header[7:]
    return header


def unverified_claims(token: str) -> dict[str, Any]:
    """The claims of `token` without a signature check ({} when malformed or expired)."""
    try:
        return parse_unverified(token)[1]
    except JWTError:
        return {}


def _fetch_record(conn: apsw.Connection, collection: Collection, record_id: str) -> dict[str, Any] | None:
    return fetch_record(conn, collection, record_id)


def _check_claims(
    app: App, token: str, valid_types: tuple[str, ...]
) -> tuple[dict[str, Any], Collection, dict[str, Any], str] | None:
    """(header, collection, claims, record id) when the unverified token is worth a lookup."""
    try:
        header, claims = parse_unverified(token)
    except JWTError:
        return None
    record_id, collection_id, token_type = claims.get("id"), claims.get("collectionId"), claims.get("type")
    if not (isinstance(record_id, str) and isinstance(collection_id, str) and isinstance(token_type, str)):
        return None
    if not record_id or not collection_id or token_type not in valid_types or token_type not in TOKEN_OPTIONS:
        return None
    # Like PocketBase's FindRecordById, the claim may name the collection by id or by name.
    collection = app.collections.find(collection_id)
    if collection is None or not collection.is_auth:
        return None
    return header, collection, claims, record_id


def _verify(
    token: str,
    header: dict[str, Any],
    collection: Collection,
    claims: dict[str, Any],
    record: dict[str, Any] | None,
) -> dict[str, Any] | None:
    if record is None:
        return None
    key = str(record.get("tokenKey") or "") + token_secret(collection, str(claims["type"]))
    try:
        verify_hs256(token, key, header)
    except JWTError:
        return None
    return record


def find_record_by_token_sync(
    app: App, conn: apsw.Connection, token: str, valid_types: tuple[str, ...] = (TOKEN_AUTH,)
) -> tuple[dict[str, Any], Collection, dict[str, Any]] | None:
    """(record, collection, claims) for a valid token of one of `valid_types`, else None.

    PocketBase's order: decode the claims (exp checked), require `id`, `collectionId` and
    `type`, load the record of that auth collection, then verify the signature with its key.
    """
    checked = _check_claims(app, token, valid_types)
    if checked is None:
        return None
    header, collection, claims, record_id = checked
    record = _verify(token, header, collection, claims, _fetch_record(conn, collection, record_id))
    return None if record is None else (record, collection, claims)


async def find_record_by_token(
    app: App, token: str, valid_types: tuple[str, ...] = (TOKEN_AUTH,)
) -> tuple[dict[str, Any], Collection, dict[str, Any]] | None:
    """Async form of `find_record_by_token_sync`: claims are checked on the event loop, so a
    malformed or expired token costs no database round trip."""
    checked = _check_claims(app, token, valid_types)
    if checked is None:
        return None
    header, collection, claims, record_id = checked
    # One primary-key look-up: cheaper on this thread than a trip to a reader (see read_here).
    fetched = app.db.read_here(lambda conn: _fetch_record(conn, collection, record_id))
    record = _verify(token, header, collection, claims, fetched)
    return None if record is None else (record, collection, claims)


async def resolve_auth_header(app: App, header: str) -> tuple[dict[str, Any], Collection] | None:
    """The (record, collection) an `Authorization` header authenticates; None means guest."""
    token = token_from_header(header.strip()) if header else ""
    if not token:
        return None
    try:
        found = await find_record_by_token(app, token, (TOKEN_AUTH,))
    except Exception:  # a broken token or lookup must never turn into an error response
        log.warning("auth token lookup failed", exc_info=True)
        return None
    if found is None:
        return None
    return found[0], found[1]
