"""`POST /api/files/token`: a short-lived file token for protected files."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, post

from palapy.auth.tokens import TOKEN_FILE, new_record_token
from palapy.http.context import json_response, request_info
from palapy.tools.errors import unauthorized

__all__ = ["ROUTES"]


@post("/api/files/token", status_code=200)
async def file_token(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Mint a `file` token for the requester (any auth collection); guests get 401."""
    info = await request_info(request)
    if info.auth is None or info.auth_collection is None:
        raise unauthorized()
    token = new_record_token(info.auth_collection, info.auth, TOKEN_FILE)
    return json_response(request, {"token": token})


ROUTES = [file_token]
