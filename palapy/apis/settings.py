"""`GET /api/settings` (superusers only)."""

from __future__ import annotations

from palapy.apis.guards import require_superuser
from palapy.core.settings import public_settings
from palapy.web.request import Request
from palapy.web.response import Response, json_response
from palapy.web.routing import Route

__all__ = ["ROUTES"]


async def settings_view(request: Request) -> Response:
    """The application settings without their write-only secrets."""
    await require_superuser(request)
    return json_response(request, public_settings(request.app.settings))


ROUTES = [Route("GET", "/api/settings", settings_view)]
