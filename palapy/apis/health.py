"""`GET|HEAD /api/health`."""

from __future__ import annotations

from typing import Any

from palapy.web.request import Request
from palapy.web.response import Response, json_response
from palapy.web.routing import Route

__all__ = ["ROUTES"]


async def health(request: Request) -> Response:
    """PocketBase answers with `code` rather than `status`; superusers get a few more details."""
    info = await request.info()
    data: dict[str, Any] = {}
    if info.is_superuser:
        data = {"canBackup": True, "realIP": request.client_ip, "possibleProxyHeader": ""}
    return json_response(request, {"message": "API is healthy.", "code": 200, "data": data})


ROUTES = [Route("GET", "/api/health", health)]
