"""`GET|HEAD /api/health`."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, route

from palapy.core.settings import public_settings
from palapy.http.context import core, json_response, request_info
from palapy.rules.request_info import RequestInfo
from palapy.tools.errors import forbidden, unauthorized

__all__ = ["ROUTES", "FAST_ROUTES"]


@route("/api/health", http_method=["GET", "HEAD"])
async def health(request: Request[Any, Any, Any]) -> Response[bytes]:
    """PocketBase answers with `code` rather than `status`; superusers get a few more details."""
    info = await request_info(request)
    data: dict[str, Any] = {}
    if info.is_superuser:
        client = request.client.host if request.client else ""
        data = {"canBackup": True, "realIP": client, "possibleProxyHeader": ""}
    return json_response(request, {"message": "API is healthy.", "code": 200, "data": data})


async def _require_superuser(request: Request[Any, Any, Any]) -> RequestInfo:
    info = await request_info(request)
    if info.auth is None:
        raise unauthorized()
    if not info.is_superuser:
        raise forbidden()
    return info


@get("/api/settings")
async def settings_view(request: Request[Any, Any, Any]) -> Response[bytes]:
    """The application settings without their write-only secrets (superusers only)."""
    await _require_superuser(request)
    return json_response(request, public_settings(core(request).settings))


ROUTES = [health, settings_view]
# Called straight from ASGI by palapy.http.fast (same functions, without Litestar's pipeline).
FAST_ROUTES = [health]
