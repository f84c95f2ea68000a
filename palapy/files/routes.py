"""`/api/files/…`: the file token and the file download."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response.base import ASGIResponse
from litestar.response.streaming import ASGIStreamingResponse
from litestar.types import ASGIApp

from palapy.auth.tokens import TOKEN_FILE, new_record_token
from palapy.files.download import DownloadRequest, resolve_download
from palapy.files.serve import parse_go_bool, plan_response, stream_segments
from palapy.http.context import core, json_response, query_param, request_info, snake_header
from palapy.http.middleware import HEAD_SCOPE_KEY, OMIT_DEFAULT_HEADERS
from palapy.rules.request_info import RequestInfo
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


def _rules_view(request: Request[Any, Any, Any]) -> RequestInfo:
    # Built here rather than by `request_info`: the Authorization header plays no part in downloads.
    return RequestInfo(
        method=request.method,
        headers={snake_header(k): v for k, v in request.headers.items()},
        query={k: v for k, v in request.query_params.items()},
    )


@get("/api/files/{collection:str}/{record_id:str}/{filename:str}")
async def file_download(
    request: Request[Any, Any, Any],
    collection: FromPath[str],
    record_id: FromPath[str],
    filename: FromPath[str],
) -> ASGIApp:
    """Stream a record's file (HEAD too): thumbs, `?download=1`, `?token=` for protected
    fields, ranges and conditional requests; 404 for anything missing or not allowed."""
    app = core(request)
    storage = app.storage
    req = DownloadRequest(
        collection=collection,
        record_id=record_id,
        filename=filename,
        thumb=query_param(request, "thumb"),
        token=query_param(request, "token"),
        client_ip=request.client.host if request.client else "",
        info=_rules_view(request),
    )
    # Thumbnail generation plugs in here as `make_thumb=`; until then unmade thumbs serve the original.
    served = await resolve_download(app, storage, req)
    head = bool(request.scope.get(HEAD_SCOPE_KEY))  # type: ignore[call-overload,unused-ignore]
    method = "HEAD" if head else request.method
    plan = plan_response(
        method,
        {k.lower(): v for k, v in request.headers.items()},
        key=served.key,
        name=served.name,
        attributes=served.attributes,
        force_attachment=parse_go_bool(query_param(request, "download")),
    )
    # Uploaded files may be embedded anywhere, so PocketBase drops X-Frame-Options here.
    headers = [*plan.headers, (OMIT_DEFAULT_HEADERS, "x-frame-options")]
    if not plan.segments or head:
        return ASGIResponse(
            body=plan.body, status_code=plan.status, headers=headers, content_length=plan.content_length
        )
    key = served.key
    return ASGIStreamingResponse(
        iterator=stream_segments(lambda: storage.open_reader(key), plan.segments, plan.trailer),
        status_code=plan.status,
        headers=dict(headers),  # names are unique: the plan sets each header once
    )


ROUTES = [file_token, file_download]
