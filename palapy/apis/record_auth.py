"""Auth routes of an auth collection: `auth-with-password`, `auth-refresh`, `auth-methods` and
`impersonate`."""

from __future__ import annotations

from palapy.apis.guards import require_superuser
from palapy.auth.forms import FORM_INT, FORM_STR, FormLoadError, bind_form
from palapy.auth.methods import auth_methods
from palapy.auth.service import (
    MSG_LOAD_FAILED,
    MSG_NOT_AUTH_COLLECTION,
    authenticate_with_password,
    ensure_password_auth,
    find_auth_collection,
    impersonate,
    refresh_auth,
)
from palapy.auth.tokens import token_from_header
from palapy.records.body import parse_body
from palapy.tools.errors import ApiError
from palapy.web.request import Request
from palapy.web.response import Response, json_response
from palapy.web.routing import Route

__all__ = ["ROUTES"]

_BASE = "/api/collections/{collection}"
_PASSWORD_FORM = {"identity": FORM_STR, "password": FORM_STR, "identityField": FORM_STR}
_MFA_FORM = {"mfaId": FORM_STR}
_IMPERSONATE_FORM = {"duration": FORM_INT}


async def auth_with_password(request: Request) -> Response:
    """Log in with identity + password; answers `{"record", "token"}`."""
    app = request.app
    target = find_auth_collection(app, request.params["collection"])
    ensure_password_auth(target)  # before the body is read, as in PocketBase
    content_type, raw = request.header("content-type"), await request.body()
    query: dict[str, list[str]] = {}
    for key, value in request.query_pairs():
        query.setdefault(key, []).append(value)
    try:
        form = bind_form(content_type, raw, _PASSWORD_FORM, query)
    except FormLoadError as exc:
        raise ApiError(400, MSG_LOAD_FAILED) from exc
    info = await request.info()
    if "@request.body" in (target.rule("authRule") or ""):
        try:  # only when the rule reads it: the body would otherwise be parsed twice
            info.body = parse_body(content_type, raw).data
        except ApiError:
            info.body = {}

    def read_mfa_id() -> str:
        """`?mfaId=` first, then the body's `mfaId` (read only when MFA applies)."""
        value = request.query_param("mfaId")
        if value:
            return value
        try:
            return str(bind_form(content_type, raw, _MFA_FORM, query)["mfaId"])
        except FormLoadError as exc:
            raise ApiError(400, "Failed to read MFA Id.") from exc

    body = await authenticate_with_password(
        app, target, form, info, client_ip=request.client_ip, read_mfa_id=read_mfa_id
    )
    return json_response(request, body)


async def auth_refresh(request: Request) -> Response:
    """A fresh token (the same one for non-refreshable tokens) and the current record."""
    info = await request.info()
    token = token_from_header(request.header("authorization").strip())
    body = await refresh_auth(
        request.app, request.params["collection"], info, token, client_ip=request.client_ip
    )
    return json_response(request, body)


async def auth_impersonate(request: Request) -> Response:
    """A superuser's non-refreshable token for any auth record (`{"duration": seconds}`)."""
    info = await require_superuser(request)  # 401/403 before anything else, as in PocketBase
    app = request.app
    target = find_auth_collection(app, request.params["collection"], missing=MSG_NOT_AUTH_COLLECTION)
    content_type, raw = request.header("content-type"), await request.body()

    def read_duration() -> int:
        try:
            return int(bind_form(content_type, raw, _IMPERSONATE_FORM)["duration"])
        except FormLoadError as exc:
            raise ApiError(400, MSG_LOAD_FAILED) from exc

    body = await impersonate(
        app, info, target, request.params["id"], read_duration, client_ip=request.client_ip
    )
    return json_response(request, body)


async def auth_methods_list(request: Request) -> Response:
    """Which auth methods the collection offers (public)."""
    return json_response(
        request, auth_methods(find_auth_collection(request.app, request.params["collection"]))
    )


ROUTES = [
    Route("POST", _BASE + "/auth-with-password", auth_with_password),
    Route("POST", _BASE + "/auth-refresh", auth_refresh),
    Route("GET", _BASE + "/auth-methods", auth_methods_list),
    Route("POST", _BASE + "/impersonate/{id}", auth_impersonate),
]
