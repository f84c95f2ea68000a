"""`/api/files/...`: the file token and the file download."""

from __future__ import annotations

from palapy.auth.tokens import TOKEN_FILE, new_record_token
from palapy.files.download import DownloadRequest, resolve_download
from palapy.files.ranges import Segment
from palapy.files.serve import plan_response, stream_segments
from palapy.rules.request_info import RequestInfo
from palapy.storage.base import Storage
from palapy.tools.errors import unauthorized
from palapy.tools.gocast import go_bool
from palapy.web.request import Request, snake_header
from palapy.web.response import Response, json_response
from palapy.web.routing import Route

__all__ = ["ROUTES"]

# Uploaded files may be embedded anywhere, so PocketBase drops X-Frame-Options from downloads.
_NOT_ON_DOWNLOADS = frozenset({"x-frame-options"})


async def file_token(request: Request) -> Response:
    """Mint a `file` token for the requester (any auth collection); guests get 401."""
    info = await request.info()
    if info.auth is None or info.auth_collection is None:
        raise unauthorized()
    token = new_record_token(info.auth_collection, info.auth, TOKEN_FILE)
    return json_response(request, {"token": token})


async def _make_thumb(storage: Storage, original_key: str, thumb_key: str, size: str) -> None:
    """Make a missing thumb with the process's one generator (each thumb once, bounded threads)."""
    # Imported on the first thumb: Pillow costs start-up time and memory a server may never need.
    from palapy.files.thumbs import GENERATOR

    await GENERATOR(storage, original_key, thumb_key, size)


def _rules_view(request: Request) -> RequestInfo:
    # Not `request.info()`: the Authorization header plays no part in downloads.
    return RequestInfo(
        method=request.method,
        headers={snake_header(k): v for k, v in request.headers},
        query=dict(request.query_pairs()),
    )


def _whole_file(segments: list[Segment], trailer: bytes, size: int) -> bool:
    return (
        len(segments) == 1
        and not trailer
        and not segments[0].prefix
        and (segments[0].start == 0 and segments[0].length == size)
    )


async def file_download(request: Request) -> Response:
    """Stream a record's file (HEAD too): thumbs, `?download=1`, `?token=` for protected
    fields, ranges and conditional requests; 404 for anything missing or not allowed."""
    app = request.app
    storage = app.storage
    req = DownloadRequest(
        collection=request.params["collection"],
        record_id=request.params["record_id"],
        filename=request.params["filename"],
        thumb=request.query_param("thumb"),
        token=request.query_param("token"),
        client_ip=request.client_ip,
        info=_rules_view(request),
    )
    served = await resolve_download(app, storage, req, make_thumb=_make_thumb)
    plan = plan_response(
        "HEAD" if request.head else request.method,
        dict(request.headers),
        key=served.key,
        name=served.name,
        attributes=served.attributes,
        force_attachment=go_bool(request.query_param("download")),
    )
    headers = [(name.lower(), value) for name, value in plan.headers]
    if not plan.segments or request.head:
        return Response(plan.status, headers, plan.body, omit_default_headers=_NOT_ON_DOWNLOADS)
    key = served.key
    path = storage.local_path(key)
    if path is not None and _whole_file(plan.segments, plan.trailer, served.attributes.size):
        # Granian sends it from disk without passing the bytes through Python.
        return Response(plan.status, headers, file=str(path), omit_default_headers=_NOT_ON_DOWNLOADS)
    stream = stream_segments(lambda: storage.open_reader(key), plan.segments, plan.trailer)
    return Response(plan.status, headers, stream=stream, omit_default_headers=_NOT_ON_DOWNLOADS)


ROUTES = [
    Route("POST", "/api/files/token", file_token),
    Route("GET", "/api/files/{collection}/{record_id}/{filename}", file_download),
]
