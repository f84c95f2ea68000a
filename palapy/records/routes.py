"""`/api/collections/{c}/records[/{id}]`: Litestar adapters over `palapy.records.api`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from litestar import Request, Response, route
from litestar.params import FromPath

from palapy.http.context import (
    core,
    empty_response,
    json_response,
    query_values,
    read_body,
    read_body_limited,
    request_info,
)
from palapy.records import api
from palapy.records.body import ParsedBody, parse_body
from palapy.rules.request_info import RequestInfo
from palapy.schema.model import Collection
from palapy.tools.errors import ApiError

if TYPE_CHECKING:
    from palapy.core import App

__all__ = ["ROUTES", "FAST_ROUTES"]

_BASE = "/api/collections/{collection:str}/records"


def _query(request: Request[Any, Any, Any]) -> dict[str, str]:
    return dict(query_values(request))


def _parse(request: Request[Any, Any, Any], raw: bytes) -> ParsedBody:
    return parse_body(request.headers.get("content-type", ""), raw, _raw_query(request))


async def _body(request: Request[Any, Any, Any]) -> ParsedBody:
    raw = await read_body(request)
    # An empty body parses to nothing whatever its Content-Type (see parse_body).
    return _parse(request, raw) if raw else ParsedBody()


async def _write_input(
    request: Request[Any, Any, Any], collection: str
) -> tuple[App, Collection, RequestInfo, ParsedBody]:
    """Create/update: the collection, its body read within the collection's size limit (views
    are refused once it is read), and the request info carrying the parsed body."""
    app = core(request)
    coll = api.find_collection(app, collection, api.MSG_MISSING_OR_INVALID_COLLECTION)
    raw = await read_body_limited(request, api.body_limit(coll))
    if coll.is_view:
        raise ApiError(400, api.MSG_UNSUPPORTED_TYPE)
    info = await request_info(request)
    body = _parse(request, raw)
    info.body = body.data
    return app, coll, info, body


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
async def records_view(
    request: Request[Any, Any, Any], collection: FromPath[str], record_id: FromPath[str]
) -> Response[bytes]:
    """View one record."""
    app = core(request)
    coll = api.find_collection(app, collection)
    info = await request_info(request)
    info.body = (await _body(request)).data
    return _answer(request, await api.view_request(app, info, coll, record_id, _query(request)))


@route(_BASE, http_method=["POST"], request_max_body_size=None)
async def records_create(request: Request[Any, Any, Any], collection: FromPath[str]) -> Response[bytes]:
    """Create a record (JSON, multipart with files, or urlencoded)."""
    app, coll, info, body = await _write_input(request, collection)
    return _answer(request, await api.create_request(app, info, coll, body, _query(request)))


@route(_BASE + "/{record_id:str}", http_method=["PATCH"], request_max_body_size=None)
async def records_update(
    request: Request[Any, Any, Any], collection: FromPath[str], record_id: FromPath[str]
) -> Response[bytes]:
    """Update a record (only the keys sent change; modifiers allowed)."""
    app, coll, info, body = await _write_input(request, collection)
    return _answer(request, await api.update_request(app, info, coll, record_id, body, _query(request)))


@route(_BASE + "/{record_id:str}", http_method=["DELETE"], status_code=200)
async def records_delete(
    request: Request[Any, Any, Any], collection: FromPath[str], record_id: FromPath[str]
) -> Response[bytes]:
    """Delete a record with its cascades: 204."""
    app = core(request)
    coll = api.find_collection(app, collection)
    if coll.is_view:
        raise ApiError(400, api.MSG_UNSUPPORTED_TYPE)
    info = await request_info(request)
    info.body = (await _body(request)).data
    return _answer(request, await api.delete_request(app, info, coll, record_id))


ROUTES = [records_list, records_view, records_create, records_update, records_delete]
# Called straight from ASGI by palapy.http.fast (same functions, without Litestar's pipeline).
FAST_ROUTES = ROUTES
