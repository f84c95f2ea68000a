"""`/api/collections/{collection}/records[/{id}]`: the records API, over `palapy.records.api`."""

from __future__ import annotations

from typing import Any

from palapy.core import App
from palapy.records import api
from palapy.records.body import ParsedBody, parse_body, read_body
from palapy.rules.request_info import RequestInfo
from palapy.schema.model import Collection
from palapy.storage.uploads import Spool
from palapy.tools.errors import ApiError
from palapy.web.request import Request
from palapy.web.response import JSON_HEADERS, Response, empty_response, json_response
from palapy.web.routing import Route

__all__ = ["ROUTES"]

_BASE = "/api/collections/{collection}/records"


def _parse(request: Request, raw: bytes) -> ParsedBody:
    return parse_body(request.header("content-type"), raw, request.query_string.encode("utf-8"))


async def _request_data(request: Request) -> dict[str, Any]:
    """A read or delete request's body data (rules may read `@request.body`); an empty body
    parses to nothing whatever its Content-Type."""
    raw = await request.body()
    return _parse(request, raw).data if raw else {}


async def _write_input(request: Request, spool: Spool) -> tuple[App, Collection, RequestInfo, ParsedBody]:
    """Create/update: the collection, its body read within the collection's size limit (views
    are refused once it is read; multipart files stream into `spool`), and the request info
    carrying the parsed body."""
    app = request.app
    coll = api.find_collection(app, request.params["collection"], api.MSG_MISSING_OR_INVALID_COLLECTION)
    limit = api.body_limit(coll)
    if coll.is_view:
        await request.body(limit)  # a body over the limit is a 413 first
        raise ApiError(400, api.MSG_UNSUPPORTED_TYPE)
    content_type = request.header("content-type")
    if content_type.startswith("multipart/form-data"):
        query = request.query_string.encode("utf-8")
        body = await read_body(content_type, request.body_chunks(limit), spool, query)
    else:
        body = _parse(request, await request.body(limit))
    info = await request.info()
    info.body = body.data
    return app, coll, info, body


def _answer(request: Request, result: Any) -> Response:
    """The flow's result: NO_CONTENT, a Response a hook built, nothing (an empty 200) or JSON."""
    if result is api.NO_CONTENT:
        return empty_response(204)
    if isinstance(result, Response):
        return result
    if result is None:
        return Response(200, [*JSON_HEADERS, ("content-length", "0")])
    return json_response(request, result)


async def records_list(request: Request) -> Response:
    """List/search records (paged, filtered, sorted, expanded)."""
    app = request.app
    coll = api.find_collection(app, request.params["collection"])
    info = await request.info()
    if request.has_body():
        info.body = await _request_data(request)
    return _answer(request, await api.list_request(app, info, coll, request.query()))


async def records_view(request: Request) -> Response:
    """View one record."""
    app = request.app
    coll = api.find_collection(app, request.params["collection"])
    info = await request.info()
    if request.has_body():
        info.body = await _request_data(request)
    return _answer(request, await api.view_request(app, info, coll, request.params["id"], request.query()))


async def records_create(request: Request) -> Response:
    """Create a record (JSON, multipart with files, or urlencoded)."""
    with Spool(request.app.spool_dir) as spool:
        app, coll, info, body = await _write_input(request, spool)
        return _answer(request, await api.create_request(app, info, coll, body, request.query()))


async def records_update(request: Request) -> Response:
    """Update a record (only the keys sent change; modifiers allowed)."""
    with Spool(request.app.spool_dir) as spool:
        app, coll, info, body = await _write_input(request, spool)
        record_id = request.params["id"]
        return _answer(request, await api.update_request(app, info, coll, record_id, body, request.query()))


async def records_delete(request: Request) -> Response:
    """Delete a record with its cascades: 204."""
    app = request.app
    coll = api.find_collection(app, request.params["collection"])
    if coll.is_view:
        raise ApiError(400, api.MSG_UNSUPPORTED_TYPE)
    info = await request.info()
    if request.has_body():
        info.body = await _request_data(request)
    return _answer(request, await api.delete_request(app, info, coll, request.params["id"]))


ROUTES = [
    Route("GET", _BASE, records_list),
    Route("GET", _BASE + "/{id}", records_view),
    # Writes read their body within their collection's own limit (`api.body_limit`).
    Route("POST", _BASE, records_create),
    Route("PATCH", _BASE + "/{id}", records_update),
    Route("DELETE", _BASE + "/{id}", records_delete),
]
