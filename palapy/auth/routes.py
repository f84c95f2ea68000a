"""Auth routes: `auth-with-password`, `auth-refresh` and `auth-methods` of an auth collection."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath

from palapy.auth.forms import FORM_STR, FormLoadError, bind_form
from palapy.auth.identity import identity_fields
from palapy.auth.service import (
    MSG_LOAD_FAILED,
    auth_response,
    authenticate_with_password,
    ensure_password_auth,
    find_auth_collection,
)
from palapy.auth.tokens import mint_auth_token, token_from_header, unverified_claims
from palapy.hooks.events import RecordRequestEvent
from palapy.http.context import core, json_response, query_param, request_info
from palapy.rules.request_info import RequestInfo
from palapy.schema.model import Collection
from palapy.tools.errors import ApiError

__all__ = ["ROUTES", "auth_methods_body"]

_PASSWORD_FORM = {"identity": FORM_STR, "password": FORM_STR, "identityField": FORM_STR}
_MFA_FORM = {"mfaId": FORM_STR}
_TRUE_TEXT = ("1", "t", "T", "TRUE", "true", "True")


def _client_ip(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else ""


async def _request_body_map(request: Request[Any, Any, Any], info: RequestInfo) -> None:
    """Fill `@request.body` (only needed when a rule reads it; parsing twice is avoidable)."""
    from palapy.records.body import parse_body

    try:
        info.body = parse_body(request.headers.get("content-type", ""), await request.body()).data
    except ApiError:
        info.body = {}


@post("/api/collections/{collection:str}/auth-with-password", status_code=200)
async def auth_with_password(request: Request[Any, Any, Any], collection: FromPath[str]) -> Response[bytes]:
    """Log in with identity + password; answers `{"record", "token"}`."""
    app = core(request)
    target = find_auth_collection(app, collection)
    ensure_password_auth(target)  # before the body is read, as in PocketBase
    content_type, raw = request.headers.get("content-type", ""), await request.body()
    query: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        query.setdefault(key, []).append(value)
    try:
        form = bind_form(content_type, raw, _PASSWORD_FORM, query)
    except FormLoadError as exc:
        raise ApiError(400, MSG_LOAD_FAILED) from exc
    info = await request_info(request)
    if "@request.body" in (target.rule("authRule") or ""):
        await _request_body_map(request, info)

    def read_mfa_id() -> str:
        """`?mfaId=` first, then the body's `mfaId` (read only when MFA applies)."""
        value = query_param(request, "mfaId")
        if value:
            return value
        try:
            return str(bind_form(content_type, raw, _MFA_FORM, query)["mfaId"])
        except FormLoadError as exc:
            raise ApiError(400, "Failed to read MFA Id.") from exc

    body = await authenticate_with_password(
        app, target, form, info, client_ip=_client_ip(request), read_mfa_id=read_mfa_id
    )
    return json_response(request, body)


def _to_bool(value: Any) -> bool:
    """spf13/cast's ToBool for a JSON claim value."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str):
        return value in _TRUE_TEXT
    return False


@post("/api/collections/{collection:str}/auth-refresh", status_code=200)
async def auth_refresh(request: Request[Any, Any, Any], collection: FromPath[str]) -> Response[bytes]:
    """A fresh token (the same one for non-refreshable tokens) and the current record."""
    app = core(request)
    target = app.collections.find(collection)
    if target is None:
        raise ApiError(404, "Missing or invalid collection context.")
    info = await request_info(request)
    if info.auth is None or info.auth_collection is None:
        raise ApiError(401, "The request requires valid record authorization token.")
    if info.auth_collection.id != target.id:
        raise ApiError(403, f"The request requires auth record from {info.auth_collection.name} collection.")

    event = RecordRequestEvent(collection=info.auth_collection, request=info, record=info.auth)

    async def final(e: RecordRequestEvent) -> Any:
        assert e.record is not None
        token = token_from_header(request.headers.get("authorization", "").strip())
        if _to_bool(unverified_claims(token).get("refreshable")):
            token = mint_auth_token(app, e.collection, e.record)
        e.result = await auth_response(
            app, info, e.collection, e.record, token, "", client_ip=_client_ip(request)
        )
        return e.result

    await app.hooks.on_record_auth_refresh_request.atrigger(event, final, tags=target.hook_tags)
    if event.result is None:
        raise ApiError(400, "Failed to refresh auth token.")
    return json_response(request, event.result)


def _enabled_with_duration(collection: Collection, key: str) -> dict[str, Any]:
    section = collection.option_dict(key)
    enabled = bool(section.get("enabled"))
    return {"enabled": enabled, "duration": int(section.get("duration") or 0) if enabled else 0}


def auth_methods_body(collection: Collection) -> dict[str, Any]:
    """The `auth-methods` answer. OAuth2 provider links are not built yet: `providers` is empty."""
    password = collection.option_dict("passwordAuth")
    enabled = bool(password.get("enabled"))
    fields = identity_fields(collection) if enabled else []
    oauth2 = collection.option_dict("oauth2")
    return {
        "password": {"identityFields": fields, "enabled": enabled},
        "oauth2": {"providers": [], "enabled": bool(oauth2.get("enabled"))},
        "mfa": _enabled_with_duration(collection, "mfa"),
        "otp": _enabled_with_duration(collection, "otp"),
        # Legacy keys that pre-0.23 SDKs still read.
        "authProviders": [],
        "usernamePassword": enabled and "username" in fields,
        "emailPassword": enabled and "email" in fields,
    }


@get("/api/collections/{collection:str}/auth-methods")
async def auth_methods(request: Request[Any, Any, Any], collection: FromPath[str]) -> Response[bytes]:
    """Which auth methods the collection offers (public)."""
    return json_response(request, auth_methods_body(find_auth_collection(core(request), collection)))


ROUTES = [auth_with_password, auth_refresh, auth_methods]
