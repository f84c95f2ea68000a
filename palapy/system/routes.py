"""`GET|HEAD /api/health`."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, route

from palapy.http.context import json_response, request_info

__all__ = ["ROUTES"]


@route("/api/health", http_method=["GET", "HEAD"])
async def health(request: Request[Any, Any, Any]) -> Response[bytes]:
    """PocketBase answers with `code` rather than `status`; superusers get a few more details."""
    info = await request_info(request)
    data: dict[str, Any] = {}
    if info.is_superuser:
        client = request.client.host if request.client else ""
        data = {"canBackup": True, "realIP": client, "possibleProxyHeader": ""}
    return json_response(request, {"message": "API is healthy.", "code": 200, "data": data})


ROUTES = [health]
