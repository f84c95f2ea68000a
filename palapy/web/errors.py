"""The one mapper from an exception to PocketBase's error envelope `{"data","message","status"}`."""

from __future__ import annotations

import logging

from palapy.tools import jsonx
from palapy.tools.errors import MSG_INTERNAL, ApiError
from palapy.web.response import JSON_HEADERS, Response

__all__ = ["error_response"]

log = logging.getLogger("palapy.web")


def error_response(exc: BaseException, method: str = "", path: str = "") -> Response:
    """An ApiError as its envelope; anything else is logged and answered as PocketBase's 500."""
    if not isinstance(exc, ApiError):
        log.error("unexpected error on %s %s", method, path, exc_info=exc)
        exc = ApiError(500, MSG_INTERNAL)
    body = jsonx.encode(exc.to_dict())
    return Response(exc.status, [*JSON_HEADERS, ("content-length", str(len(body)))], body)
