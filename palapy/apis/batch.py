"""`POST /api/batch`: record creates, updates, upserts and deletes in one transaction.

As PocketBase runs it:
- Settings `batch` decide whether batches are allowed (403 otherwise), how many requests one
  may hold, its time budget and its body limit.
- The body is JSON (`{"requests": [{method, url, headers, body}]}`) or multipart: the same
  JSON in `@jsonPayload`, with files in parts named `requests.N.field` or `requests[N].field`.
- Each request must be one of four actions, matched on `METHOD URL`: create, update, upsert
  (`PUT .../records`: an update when `body.id` names a stored record, a create otherwise) and
  delete.
- Each request runs through the record API's own flows: rules, hooks, validation, `?fields=`
  and `?expand=`. It uses the caller's auth, and its own headers laid over the caller's. The
  request context is `batch`.
- All requests run in one transaction. The first failure rolls everything back, files and
  realtime events included, and the answer names its index.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from palapy.auth.forms import FormLoadError, decode_json_value, fold_equal
from palapy.core import App
from palapy.db.executor import Transaction
from palapy.hooks.events import BatchRequestEvent
from palapy.records import api
from palapy.records.body import JSON_PAYLOAD_KEY, payload_body, read_multipart
from palapy.records.rows import fetch_record
from palapy.rules.request_info import RequestInfo
from palapy.storage.uploads import Spool, UploadedFile
from palapy.tools.errors import MSG_BAD_REQUEST, ApiError, field_error
from palapy.tools.gocast import go_string
from palapy.tools.multipart import MultipartError
from palapy.tools.picker import pick_fields
from palapy.tools.validation_errors import in_invalid, length, required, sort_errors
from palapy.web.request import Request, parse_query, snake_header
from palapy.web.response import Response, json_response
from palapy.web.routing import Route

__all__ = ["ROUTES", "BatchItem"]

MSG_NOT_ALLOWED = "Batch requests are not allowed."
MSG_READ_FAILED = "Failed to read the submitted batch data."
MSG_FILES_FAILED = "Failed to read the submitted batch files data."
MSG_INVALID = "Invalid batch request data."
MSG_FAILED = "Batch transaction failed."
CONTEXT = "batch"
_DEFAULT_TIMEOUT = 3  # seconds, when the setting is 0
_DEFAULT_MAX_BODY = 128 << 20
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
_MAX_URL = 2000
_FILE_PART = re.compile(r"^requests(?:\.(\d+)\.|\[(\d+)\]\.)(.+)$", re.S)
_COLLECTION = r"(?P<collection>[^/?]+)"
_ID = r"(?P<id>[^/?]+)"
_QUERY = r"(?:\?(?P<query>.*))?"
# The four actions, as PocketBase matches them on "METHOD URL".
_ACTIONS = (
    ("upsert", re.compile(rf"^PUT /api/collections/{_COLLECTION}/records{_QUERY}$", re.S)),
    ("create", re.compile(rf"^POST /api/collections/{_COLLECTION}/records{_QUERY}$", re.S)),
    ("update", re.compile(rf"^PATCH /api/collections/{_COLLECTION}/records/{_ID}{_QUERY}$", re.S)),
    ("delete", re.compile(rf"^DELETE /api/collections/{_COLLECTION}/records/{_ID}{_QUERY}$", re.S)),
)


@dataclass
class BatchItem:
    """One request of a batch, as submitted."""

    method: str = ""
    url: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)
    files: dict[str, list[UploadedFile]] = field(default_factory=dict)


class _ItemFailed(Exception):
    """Request `index` of the batch failed with `error`."""

    def __init__(self, index: int, error: ApiError) -> None:
        super().__init__(error.message)
        self.index = index
        self.error = error


# -- reading the form ----------------------------------------------------------------------


def _field(obj: dict[str, Any], name: str) -> Any:
    """The value of struct field `name` in a JSON object (names fold as Go's do; two that fold
    together are an error), or None."""
    found = [key for key in obj if fold_equal(key, name)]
    if len(found) > 1:
        raise FormLoadError(f"duplicate name {name!r}")
    return obj[found[0]] if found else None


def _item(value: Any) -> BatchItem:
    if value is None:
        return BatchItem()
    if not isinstance(value, dict):
        raise FormLoadError("a batch request is not an object")
    method, url = _field(value, "method"), _field(value, "url")
    headers, body = _field(value, "headers"), _field(value, "body")
    if not isinstance(method, str | None) or not isinstance(url, str | None):
        raise FormLoadError("method and url are strings")
    if headers is not None and not (
        isinstance(headers, dict) and all(isinstance(v, str | None) for v in headers.values())
    ):
        raise FormLoadError("headers map names to strings")
    if body is not None and not isinstance(body, dict):
        raise FormLoadError("body is an object")
    return BatchItem(
        method=method or "",
        url=url or "",
        headers={k: v or "" for k, v in (headers or {}).items()},
        body=dict(body or {}),
    )


def _bind_json(text: str, items: list[BatchItem]) -> list[BatchItem]:
    value = decode_json_value(text)
    if value is None:
        return items
    if not isinstance(value, dict):
        raise FormLoadError("the batch body is not an object")
    requests = _field(value, "requests")
    if requests is None:
        return items
    if not isinstance(requests, list):
        raise FormLoadError("requests is a list")
    return [_item(entry) for entry in requests]


async def _read_form(content_type: str, chunks: AsyncIterator[bytes], spool: Spool) -> list[BatchItem]:
    """The submitted requests (files attached, spooled); ApiError 400 when the body cannot be read."""
    items: list[BatchItem] = []
    try:
        if not content_type.startswith("multipart/form-data"):
            raw = b"".join([chunk async for chunk in chunks])
            if not raw:
                return items
            if content_type.startswith("application/json"):
                return _bind_json(raw.decode("utf-8"), items)
            raise FormLoadError("unsupported content type")
        form = await read_multipart(content_type, chunks, spool)
        if form is None:
            return items
        values, files = form
        for payload in values.get(JSON_PAYLOAD_KEY, []):
            items = _bind_json(payload, items)
    except (FormLoadError, MultipartError, UnicodeDecodeError) as exc:
        raise ApiError(400, MSG_READ_FAILED) from exc
    for part_name, uploads in files.items():
        match = _FILE_PART.match(part_name)
        if match is None:
            continue
        index = int(match.group(1) or match.group(2))
        if index < len(items):
            for arrived in uploads:
                # PocketBase names the file on arrival, then submits it to the record API under
                # that name, which names it again: `a.png` is stored as `a<r>_<r>_<r>.png`.
                upload = arrived.renamed(arrived.name, "application/octet-stream")
                items[index].files.setdefault(match.group(3), []).append(upload)
    return items


def _validate(items: list[BatchItem], max_requests: int) -> None:
    """`requests` required and within the limit, then each request's method and URL."""
    if not items:
        raise ApiError(400, MSG_INVALID, {"requests": required()})
    problem = length("x" * len(items), 0, max_requests)
    if problem is not None:
        raise ApiError(400, MSG_INVALID, {"requests": problem})
    errors: dict[str, Any] = {}
    for i, item in enumerate(items):
        own: dict[str, Any] = {}
        if not item.method:
            own["method"] = required()
        elif item.method not in _METHODS:
            own["method"] = in_invalid()
        url_problem = required() if not item.url else length(item.url, 0, _MAX_URL)
        if url_problem is not None:
            own["url"] = url_problem
        if own:
            errors[str(i)] = own
    if errors:
        raise ApiError(400, MSG_INVALID, {"requests": sort_errors(errors)})


# -- running it ----------------------------------------------------------------------------


class _UnknownAction(Exception):
    """The request is none of the four record actions."""


def _item_info(
    base: RequestInfo, headers: list[tuple[str, str]], item: BatchItem, method: str
) -> RequestInfo:
    by_name = {snake_header(name): value for name, value in headers}
    for name, value in item.headers.items():
        # The auth is the batch caller's: a request's own Authorization header is ignored.
        if name.lower() != "authorization":
            by_name[snake_header(name)] = value
    # PocketBase sends each request on as multipart, under a fresh boundary.
    by_name["content_type"] = "multipart/form-data; boundary=" + secrets.token_hex(30)
    return RequestInfo(
        auth=base.auth,
        auth_collection=base.auth_collection,
        method=method,
        headers=by_name,
        context=CONTEXT,
    )


def _match_action(item: BatchItem) -> tuple[str, dict[str, str]]:
    full = item.method.upper() + " " + item.url
    for name, pattern in _ACTIONS:
        found = pattern.match(full)
        if found is not None:
            return name, {k: v for k, v in found.groupdict().items() if v is not None}
    raise _UnknownAction(full)


async def _run_item(
    app: App,
    tx: Transaction,
    base: RequestInfo,
    headers: list[tuple[str, str]],
    item: BatchItem,
    then: api.Then,
) -> dict[str, Any]:
    """`{"body", "status"}` of one request, run inside the batch's transaction; `then` (the
    requests after it) runs inside its hook chain."""
    action, params = _match_action(item)
    raw_query = params.get("query", "")
    query: dict[str, str] = {}
    for key, value in parse_query(raw_query) if raw_query else ():
        query.setdefault(key, value)
    method = item.method.upper()
    collection_ref = params["collection"]
    if action == "upsert":
        record_id = go_string(item.body.get("id")) if item.body.get("id") not in (None, "") else ""
        exists = False
        if record_id:
            target = app.collections.find(collection_ref)
            if target is not None:
                exists = await tx.run(lambda conn: fetch_record(conn, target, record_id) is not None)
        action, method = ("update", "PATCH") if exists else ("create", "POST")
        params["id"] = record_id
    info = _item_info(base, headers, item, method)
    body = payload_body(dict(sorted(item.body.items())), item.files, raw_query.encode("utf-8"))
    info.query = dict(parse_query(raw_query)) if raw_query else {}
    info.body = body.data
    if action == "delete":
        coll = api.find_collection(app, collection_ref)
        result = await api.delete_request(app, info, coll, params["id"], tx=tx, then=then)
    else:
        coll = api.find_collection(app, collection_ref)
        if action == "create":
            result = await api.create_request(app, info, coll, body, query, tx=tx, then=then)
        else:
            result = await api.update_request(app, info, coll, params["id"], body, query, tx=tx, then=then)
    if result is api.NO_CONTENT:
        return {"body": None, "status": 204}
    if isinstance(result, Response):
        return {"body": None, "status": result.status}
    fields = query.get("fields", "")
    return {"body": pick_fields(result, fields) if fields else result, "status": 200}


class _Run:
    """One batch run. As in PocketBase, request i+1 runs inside request i's hook chain; a
    failure unwinds them all and the deepest failing index is the one reported."""

    def __init__(self, app: App, base: RequestInfo, headers: list[tuple[str, str]], items: list[BatchItem]):
        self.app, self.base, self.headers, self.items = app, base, headers, items
        self.results: list[dict[str, Any]] = [{} for _ in items]
        self.failed_index: int | None = None

    async def run(self, timeout: float) -> list[dict[str, Any]]:
        async with asyncio.timeout(timeout), self.app.db.transaction() as tx:
            await self._process(tx, 0)
        return self.results

    async def _process(self, tx: Transaction, index: int) -> None:
        if index == len(self.items):
            return

        async def then() -> None:
            try:
                # A task of its own: the nesting lives on the heap, not the C stack, so a batch
                # of any length runs (a plain await recursed past Python's limit at ~100).
                await asyncio.create_task(self._process(tx, index + 1))
            except ApiError:
                raise
            except Exception as exc:  # the enclosing request answers any other failure as a 500
                raise ApiError(500, MSG_BAD_REQUEST) from exc

        try:
            self.results[index] = await _run_item(
                self.app, tx, self.base, self.headers, self.items[index], then
            )
        except Exception:
            if self.failed_index is None:
                self.failed_index = index
            raise


def _failure(index: int, exc: Exception) -> ApiError:
    # Anything but an ApiError is a generic 400, as PocketBase's ToApiError makes it.
    error = exc if isinstance(exc, ApiError) else ApiError(400, MSG_BAD_REQUEST)
    entry = field_error("batch_request_failed", "Batch request failed.")
    entry["response"] = error.to_dict()
    return ApiError(400, MSG_FAILED, {"requests": {str(index): entry}})


async def batch(request: Request) -> Response:
    """Run the submitted record requests in one transaction; a list of their answers."""
    app = request.app
    settings = app.settings.get("batch") or {}
    max_requests = int(settings.get("maxRequests") or 0)
    if not settings.get("enabled") or max_requests <= 0:
        raise ApiError(403, MSG_NOT_ALLOWED)
    timeout = float(settings.get("timeout") or 0) or _DEFAULT_TIMEOUT
    max_body = int(settings.get("maxBodySize") or 0) or _DEFAULT_MAX_BODY
    with Spool(app.spool_dir) as spool:
        items = await _read_form(request.header("content-type"), request.body_chunks(max_body), spool)
        return await _run_batch(request, app, items, max_requests, timeout)


async def _run_batch(
    request: Request, app: App, items: list[BatchItem], max_requests: int, timeout: float
) -> Response:
    _validate(items, max_requests)
    info = await request.info()
    info.context = CONTEXT
    event = BatchRequestEvent(request=info, requests=items)

    async def final(e: BatchRequestEvent) -> Any:
        run = _Run(app, info, request.headers, list(e.requests))
        try:
            e.result = await run.run(timeout)
        except TimeoutError as exc:
            raise ApiError(400, MSG_FAILED) from exc
        except Exception as exc:  # noqa: BLE001 - every failure is reported under its index
            if run.failed_index is None:
                raise
            raise _failure(run.failed_index, exc) from exc
        return e.result

    await app.hooks.on_batch_request.atrigger(event, final)
    return json_response(request, event.result)


ROUTES = [Route("POST", "/api/batch", batch, body_limit=_DEFAULT_MAX_BODY)]
