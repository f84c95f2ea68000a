"""`/api/collections...`: the collections API (superusers only), over the collections service.

Every route answers 401 without a valid token and 403 for non-superusers, before anything else.
"""

from __future__ import annotations

from typing import Any

import apsw

from palapy.apis.guards import require_superuser
from palapy.collections import service
from palapy.collections.importer import import_collections
from palapy.collections.listing import list_collections
from palapy.collections.scaffolds import scaffolds
from palapy.collections.view_fields import ViewDryRun, ViewQueryError, dry_run_view
from palapy.records.body import parse_body
from palapy.records.rows import row_to_record
from palapy.records.serialize import record_to_api
from palapy.records.truncate import truncate_collection
from palapy.schema.registry import load_collections
from palapy.search.paging import parse_list_params
from palapy.tools.errors import ApiError, not_found
from palapy.tools.oauth2.providers import list_items
from palapy.tools.validation_errors import length, required
from palapy.web.request import Request
from palapy.web.response import Response, empty_response, json_response
from palapy.web.routing import Route

__all__ = ["ROUTES"]

_BASE = "/api/collections"
MSG_LOAD_FAILED = "An error occurred while loading the submitted data."
MSG_VALIDATE_FAILED = "An error occurred while validating the submitted data."
MAX_VIEW_QUERY_LENGTH = 5000


async def _json_body(request: Request, message: str) -> dict[str, Any]:
    """The submitted object; any decoding problem is a 400 with the route's own message."""
    raw = await request.body()
    try:
        return parse_body(request.header("content-type"), raw).data
    except ApiError as exc:
        raise ApiError(400, message) from exc


async def collections_list(request: Request) -> Response:
    """A page of collections; filter/sort on id, created, updated, name, system and type."""
    info = await require_superuser(request)
    app = request.app
    params = parse_list_params(request.query())
    result = await app.db.read(lambda conn: list_collections(conn, app.collections, params, info))
    return json_response(request, result)


async def collection_create(request: Request) -> Response:
    """Create a collection from its JSON (type and name pick the blank it starts from)."""
    info = await require_superuser(request)
    data = await _json_body(request, service.MSG_LOAD_TYPE)
    created = await service.create_collection(request.app, data, info)
    return json_response(request, created.to_json())


async def collection_scaffolds(request: Request) -> Response:
    """Blank auth, base and view collections for the admin UI."""
    await require_superuser(request)
    return json_response(request, scaffolds())


async def oauth2_providers(request: Request) -> Response:
    """Every built-in OAuth2 provider as `{name, displayName, logo}`, by provider order then name."""
    await require_superuser(request)
    return json_response(request, list_items())


async def collection_dry_run_view(request: Request) -> Response:
    """The fields and up to 10 sample records of a view query, without saving anything."""
    await require_superuser(request)
    data = await _json_body(request, MSG_LOAD_FAILED)
    query = data.get("query")
    if query is not None and not isinstance(query, str):
        raise ApiError(400, MSG_LOAD_FAILED)
    query = query or ""
    problem = required() if not query else length(query, 0, MAX_VIEW_QUERY_LENGTH)
    if problem:
        raise ApiError(400, MSG_VALIDATE_FAILED, {"query": problem})

    def fn(conn: apsw.Connection) -> ViewDryRun:
        try:
            return dry_run_view(conn, load_collections(conn), query, 10)
        except (ViewQueryError, ValueError) as exc:
            raise ApiError(400, f"Invalid view query. Raw error: \n{exc}") from exc

    dry = await request.app.db.write(fn)
    sample = [record_to_api(dry.collection, row_to_record(dry.collection, row)) for row in dry.rows]
    return json_response(request, {"fields": [f.to_json() for f in dry.fields], "sample": sample})


async def collections_import(request: Request) -> Response:
    """Upsert many collections in one transaction (`deleteMissing` drops the unlisted ones)."""
    info = await require_superuser(request)
    data = await _json_body(request, MSG_LOAD_FAILED)
    items = data.get("collections")
    delete_missing = data.get("deleteMissing")
    if items is not None and not (isinstance(items, list) and all(isinstance(i, dict) for i in items)):
        raise ApiError(400, MSG_LOAD_FAILED)
    if delete_missing is not None and not isinstance(delete_missing, bool):
        raise ApiError(400, MSG_LOAD_FAILED)
    if not items:
        raise ApiError(400, MSG_VALIDATE_FAILED, {"collections": required()})
    await import_collections(request.app, items, bool(delete_missing), info)
    return empty_response(204)


async def collection_view(request: Request) -> Response:
    """One collection by id or name."""
    await require_superuser(request)
    found = request.app.collections.find(request.params["collection"])
    if found is None:
        raise not_found()
    return json_response(request, found.to_json())


async def collection_update(request: Request) -> Response:
    """Update a collection; a `fields` list replaces the whole field list."""
    info = await require_superuser(request)
    app, key = request.app, request.params["collection"]
    if app.collections.find(key) is None:
        raise not_found()
    data = await _json_body(request, service.MSG_LOAD_DATA)
    updated = await service.update_collection(app, key, data, info)
    return json_response(request, updated.to_json())


async def collection_delete(request: Request) -> Response:
    """Delete a collection with its records (refused for system and referenced collections)."""
    info = await require_superuser(request)
    await service.delete_collection(request.app, request.params["collection"], info)
    return empty_response(204)


async def collection_truncate(request: Request) -> Response:
    """Delete every record of a collection (cascades and file deletion included)."""
    info = await require_superuser(request)
    await truncate_collection(request.app, request.params["collection"], info)
    return empty_response(204)


ROUTES = [
    Route("GET", _BASE, collections_list),
    Route("POST", _BASE, collection_create),
    Route("GET", _BASE + "/meta/scaffolds", collection_scaffolds),
    Route("GET", _BASE + "/meta/oauth2-providers", oauth2_providers),
    Route("POST", _BASE + "/meta/dry-run-view", collection_dry_run_view),
    Route("PUT", _BASE + "/import", collections_import),
    Route("GET", _BASE + "/{collection}", collection_view),
    Route("PATCH", _BASE + "/{collection}", collection_update),
    Route("DELETE", _BASE + "/{collection}", collection_delete),
    Route("DELETE", _BASE + "/{collection}/truncate", collection_truncate),
]
