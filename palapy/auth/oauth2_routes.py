"""`GET /api/collections/meta/oauth2-providers`: the built-in OAuth2 providers (superusers only)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, route

from palapy.http.context import json_response, request_info
from palapy.tools.errors import forbidden, unauthorized
from palapy.tools.oauth2.providers import list_items

__all__ = ["ROUTES"]


@route("/api/collections/meta/oauth2-providers", http_method=["GET"])
async def oauth2_providers(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Every provider as `{name, displayName, logo}`, by provider order then name.

    401 for guests and 403 for non-superusers, like the rest of the collections API.
    """
    info = await request_info(request)
    if info.is_guest:
        raise unauthorized()
    if not info.is_superuser:
        raise forbidden()
    return json_response(request, list_items())


ROUTES: list[Any] = [oauth2_providers]
