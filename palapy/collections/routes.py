"""`/api/collections...`: the collections API (superusers only), as Litestar adapters over the service.

Every route answers 401 without a valid token and 403 for non-superusers, before anything else.
"""

from __future__ import annotations

from typing import Any

import apsw
from litestar import Request, Response, route
from litestar.params import FromPath

from palapy.collections import service
from palapy.collections.importer import import_collections
from palapy.collections.listing import list_collections
from palapy.collections.scaffolds import scaffolds
from palapy.collections.view_fields import ViewDryRun, ViewQueryError, dry_run_view
from palapy.http.context import core, empty_response, json_response, query_param, request_info
from palapy.records.body import parse_body
from palapy.records.rows import row_to_record
from palapy.records.serialize import record_to_api
from palapy.records.truncate import truncate_collection
from palapy.rules.request_info import RequestInfo
from palapy.schema.registry import load_collections
from palapy.search.paging import parse_list_params
from palapy.tools.errors import ApiError, forbidden, not_found, unauthorized
from palapy.tools.validation_errors import length, required

__all__ = ["ROUTES"]

_BASE = "/api/collections"
MSG_LOAD_FAILED = "An error occurred while loading the submitted data."
MSG_VALIDATE_FAILED = "An error occurred while validating the submitted data."
MAX_VIEW_QUERY_LENGTH = 5000


async def _superuser(request: Request[Any, Any, Any]) -> RequestInfo:
    info = await request_info(request)
    if info.is_guest:
        raise unauthorized()
    if not info.is_superuser:
        raise forbidden()
    return info


async def _json_body(request: Request[Any, Any, Any], message: str) -> dict[str, Any]:
    """The submitted object; any decoding problem is a 400 with the route's own message."""
    raw = await request.body()
    try:
        return parse_body(request.headers.get("content-type", ""), raw).data
    except ApiError as exc:
        raise ApiError(400, message) from exc


def _query(request: Request[Any, Any, Any]) -> dict[str, str]:
    return {k: query_param(request, k) for k in request.query_params.keys()}  # noqa: SIM118


@route(_BASE, http_method=["GET"])
async def collections_list(request: Request[Any, Any, Any]) -> Response[bytes]:
    """A page of collections; filter/sort on id, created, updated, name, system and type."""
    info = await _superuser(request)
    app = core(request)
    params = parse_list_params(_query(request))
    result = await app.db.read(lambda conn: list_collections(conn, app.collections, params, info))
    return json_response(request, result)


@route(_BASE, http_method=["POST"])
async def collection_create(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Create a collection from its JSON (type and name pick the blank it starts from)."""
    info = await _superuser(request)
    data = await _json_body(request, service.MSG_LOAD_TYPE)
    created = await service.create_collection(core(request), data, info)
    return json_response(request, created.to_json())


@route(_BASE + "/meta/scaffolds", http_method=["GET"])
async def collection_scaffolds(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Blank auth, base and view collections for the admin UI."""
    await _superuser(request)
    return json_response(request, scaffolds())


@route(_BASE + "/meta/dry-run-view", http_method=["POST"])
async def collection_dry_run_view(request: Request[Any, Any, Any]) -> Response[bytes]:
    """The fields and up to 10 sample records of a view query, without saving anything."""
    await _superuser(request)
    data = await _json_body(request, MSG_LOAD_FAILED)
    query = data.get("query")
    if query is not None and not isinstance(query, str):
        raise ApiError(400, MSG_LOAD_FAILED)
    query = query or ""
    problem = required() if not query else length(query, 0, MAX_VIEW_QUERY_LENGTH)
    if problem:
        raise ApiError(400, MSG_VALIDATE_FAILED, {"query": problem})
    app = core(request)

    def fn(conn: apsw.Connection) -> ViewDryRun:
        try:
            return dry_run_view(conn, load_collections(conn), query, 10)
        except (ViewQueryError, ValueError) as exc:
            raise ApiError(400, f"Invalid view query. Raw error: \n{exc}") from exc

    dry = await app.db.write(fn)
    sample = [record_to_api(dry.collection, row_to_record(dry.collection, row)) for row in dry.rows]
    return json_response(request, {"fields": [f.to_json() for f in dry.fields], "sample": sample})


@route(_BASE + "/import", http_method=["PUT"])
async def collections_import(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Upsert many collections in one transaction (`deleteMissing` drops the unlisted ones)."""
    info = await _superuser(request)
    data = await _json_body(request, MSG_LOAD_FAILED)
    items = data.get("collections")
    delete_missing = data.get("deleteMissing")
    if items is not None and not (isinstance(items, list) and all(isinstance(i, dict) for i in items)):
        raise ApiError(400, MSG_LOAD_FAILED)
    if delete_missing is not None and not isinstance(delete_missing, bool):
        raise ApiError(400, MSG_LOAD_FAILED)
    if not items:
        raise ApiError(400, MSG_VALIDATE_FAILED, {"collections": required()})
    await import_collections(core(request), items, bool(delete_missing), info)
    return empty_response(204)


@route(_BASE + "/{collection:str}", http_method=["GET"])
async def collection_view(request: Request[Any, Any, Any], collection: FromPath[str]) -> Response[bytes]:
    """One collection by id or name."""
    await _superuser(request)
    found = core(request).collections.find(collection)
    if found is None:
        raise not_found()
    return json_response(request, found.to_json())


@route(_BASE + "/{collection:str}", http_method=["PATCH"])
async def collection_update(request: Request[Any, Any, Any], collection: FromPath[str]) -> Response[bytes]:
    """Update a collection; a `fields` list replaces the whole field list."""
    info = await _superuser(request)
    app = core(request)
    if app.collections.find(collection) is None:
        raise not_found()
    data = await _json_body(request, service.MSG_LOAD_DATA)
    updated = await service.update_collection(app, collection, data, info)
    return json_response(request, updated.to_json())


@route(_BASE + "/{collection:str}", http_method=["DELETE"], status_code=200)
async def collection_delete(request: Request[Any, Any, Any], collection: FromPath[str]) -> Response[bytes]:
    """Delete a collection with its records (refused for system and referenced collections)."""
    info = await _superuser(request)
    await service.delete_collection(core(request), collection, info)
    return empty_response(204)


@route(_BASE + "/{collection:str}/truncate", http_method=["DELETE"], status_code=200)
async def collection_truncate(request: Request[Any, Any, Any], collection: FromPath[str]) -> Response[bytes]:
    """Delete every record of a collection (cascades and file deletion included)."""
    info = await _superuser(request)
    await truncate_collection(core(request), collection, info)
    return empty_response(204)


ROUTES: list[Any] = [
    collections_list,
    collection_create,
    collection_scaffolds,
    collection_dry_run_view,
    collections_import,
    collection_view,
    collection_update,
    collection_delete,
    collection_truncate,
]
