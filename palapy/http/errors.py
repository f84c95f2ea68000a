"""One map from every exception to PocketBase's error envelope."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotFoundException,
)

from palapy.tools import jsonx
from palapy.tools.errors import MSG_BAD_REQUEST, MSG_INTERNAL, MSG_NOT_FOUND, ApiError

__all__ = ["exception_handlers", "error_response"]

log = logging.getLogger("palapy.http")


def error_response(err: ApiError) -> Response[bytes]:
    return Response(
        content=jsonx.encode(err.to_dict()), status_code=err.status, media_type="application/json"
    )


def _api_error(_: Request[Any, Any, Any], exc: ApiError) -> Response[bytes]:
    return error_response(exc)


def _http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[bytes]:
    if isinstance(exc, MethodNotAllowedException):
        return error_response(ApiError(404, MSG_NOT_FOUND))
    if isinstance(exc, NotFoundException):
        # Unknown paths fall through to the static handler in PocketBase, hence its message.
        return error_response(ApiError(404, "File not found."))
    if exc.status_code == 413:
        return error_response(ApiError(413, "Request entity too large."))
    if exc.status_code >= 500:
        log.error("http error on %s %s: %s", request.method, request.url.path, exc.detail)
        return error_response(ApiError(500, MSG_INTERNAL))
    return error_response(
        ApiError(exc.status_code, MSG_BAD_REQUEST if exc.status_code == 400 else str(exc.detail))
    )


def _unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    log.exception("unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(ApiError(500, MSG_INTERNAL))


exception_handlers: dict[Any, Any] = {
    ApiError: _api_error,
    HTTPException: _http_error,
    Exception: _unexpected,
}
