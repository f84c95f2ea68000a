"""`/api/collections/{c}/records[/{id}]`: Litestar adapters over `palapy.records.api`."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, route
from litestar.params import FromPath

from palapy.http.context import (
    core,
    empty_response,
    json_response,
    query_param,
    read_body_limited,
    request_info,
)
from palapy.records import api
from palapy.records.body import parse_body
from palapy.tools.errors import ApiError

__all__ = ["ROUTES"]

_BASE = "/api/collections/{collection:str}/records"


def _query(request: Request[Any, Any, Any]) -> dict[str, str]:
    return {k: query_param(request, k) for k in request.query_params.keys()}  # noqa: SIM118


async def _body(request: Request[Any, Any, Any], limit: int | None = None) -> Any:
    raw = await request.body()
    if limit is not None and len(raw) > limit:
        raise ApiError(413, "Request entity too large.")
    return parse_body(request.headers.get("content-type", ""), raw, _raw_query(request))


def _raw_query(request: Request[Any, Any, Any]) -> bytes:
    value = request.scope.get("query_string", b"")
    return value if isinstance(value, bytes) else b""


def _answer(request: Request[Any, Any, Any], result: Any) -> Response[bytes]:
    if result is api.NO_CONTENT:
        return empty_response(204)
    if isinstance(result, Response):
        return result
    if result is None:
        return Response(content=b"", status_code=200)
    return json_response(request, result)


@route(_BASE, http_method=["GET"])
async def records_list(request: Request[Any, Any, Any], collection: FromPath[str]) -> Response[bytes]:
    """List/search records (paged, filtered, sorted, expanded)."""
    app = core(request)
    coll = api.find_collection(app, collection)
    info = await request_info(request)
    info.body = (await _body(request)).data
    return _answer(request, await api.list_request(app, info, coll, _query(request)))


@route(_BASE + "/{record_id:str}", http_method=["GET"])
async def records_view(request: Request[Any, Any, Any], collection: FromPath[str], record_id: FromPath[str]) -> Response[bytes]:
    """View one record."""
    app = core(request)
    coll = api.find_collection(app, collection)
    info = await request_info(request)
    info.body = (await _body(request)).data
    return _answer(request, await api.view_request(app, info, coll, record_id, _query(request)))


@route(_BASE, http_method=["POST"], request_max_body_size=None)
async def records_create(request: Request[Any, Any, Any], collection: FromPath[str]) -> Response[bytes]:
    """Create a record (JSON, multipart with files, or urlencoded)."""
    app = core(request)
    coll = api.find_collection(app, collection, api.MSG_MISSING_OR_INVALID_COLLECTION)
    raw = await read_body_limited(request, api.body_limit(coll))
    if coll.is_view:
        raise ApiError(400, api.MSG_UNSUPPORTED_TYPE)
    info = await request_info(request)
    body = parse_body(request.headers.get("content-type", ""), raw, _raw_query(request))
    info.body = body.data
    return _answer(request, await api.create_request(app, info, coll, body, _query(request)))


@route(_BASE + "/{record_id:str}", http_method=["PATCH"], request_max_body_size=None)
async def records_update(request: Request[Any, Any, Any], collection: FromPath[str], record_id: FromPath[str]) -> Response[bytes]:
    """Update a record (only the keys sent change; modifiers allowed)."""
    app = core(request)
    coll = api.find_collection(app, collection, api.MSG_MISSING_OR_INVALID_COLLECTION)
    raw = await read_body_limited(request, api.body_limit(coll))
    if coll.is_view:
        raise ApiError(400, api.MSG_UNSUPPORTED_TYPE)
    info = await request_info(request)
    body = parse_body(request.headers.get("content-type", ""), raw, _raw_query(request))
    info.body = body.data
    return _answer(request, await api.update_request(app, info, coll, record_id, body, _query(request)))


@route(_BASE + "/{record_id:str}", http_method=["DELETE"], status_code=200)
async def records_delete(request: Request[Any, Any, Any], collection: FromPath[str], record_id: FromPath[str]) -> Response[bytes]:
    """Delete a record with its cascades: 204."""
    app = core(request)
    coll = api.find_collection(app, collection)
    if coll.is_view:
        raise ApiError(400, api.MSG_UNSUPPORTED_TYPE)
    info = await request_info(request)
    info.body = (await _body(request)).data
    return _answer(request, await api.delete_request(app, info, coll, record_id))


ROUTES = [records_list, records_view, records_create, records_update, records_delete]
