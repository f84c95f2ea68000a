"""The records API flows, HTTP-free: each takes the App, the requester and the parsed request
and returns the answer (or raises ApiError). `palapy.apis.record_crud` only adapts HTTP to these.

Rules are checked first; then the request hook (`on_record_*_request`) wraps the default
action, so a handler may change `e.record`, answer itself via `e.result`, or stop the chain.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from palapy.core import App
from palapy.db.executor import Transaction
from palapy.hooks.events import RecordRequestEvent
from palapy.hooks.hook import Hook
from palapy.records.body import ParsedBody
from palapy.records.enrich import (
    enrich_record,
    enrich_records,
    is_plain,
    serialize_plain,
    serialize_plain_rows,
)
from palapy.records.expand import expands_forward_only
from palapy.records.forms import RecordUpsert
from palapy.records.query import list_records, list_rows
from palapy.records.rows import fetch_record_row
from palapy.records.service import delete_record_in_tx
from palapy.records.upsert import (
    MSG_UNSUPPORTED_TYPE,
    prepare_create,
    prepare_delete,
    prepare_update,
    prepare_view,
    require_rule,
)
from palapy.rules.filters import check_superuser_only
from palapy.rules.request_info import RequestInfo
from palapy.schema.fields import EditorField, FileField, JSONField
from palapy.schema.model import Collection
from palapy.search.paging import parse_list_params
from palapy.tools.errors import MSG_NOT_FOUND, ApiError

__all__ = [
    "NO_CONTENT",
    "MSG_UNSUPPORTED_TYPE",
    "MSG_MISSING_COLLECTION",
    "MSG_MISSING_OR_INVALID_COLLECTION",
    "find_collection",
    "short_write",
    "body_limit",
    "list_request",
    "view_request",
    "create_request",
    "update_request",
    "delete_request",
]

T = TypeVar("T")
Then = Callable[[], Awaitable[None]]

MSG_MISSING_COLLECTION = "Missing collection context."
MSG_MISSING_OR_INVALID_COLLECTION = "Missing or invalid collection context."
DEFAULT_MAX_BODY = 32 << 20
_FILE_MAX_DEFAULT = 5 << 20
_EDITOR_MAX_DEFAULT = 5 << 20
_JSON_MAX_DEFAULT = 1 << 20


@dataclass(frozen=True)
class _NoContent:
    """Marker answer: 204 with an empty body."""


NO_CONTENT = _NoContent()


def find_collection(app: App, ref: str, message: str = MSG_MISSING_COLLECTION) -> Collection:
    """The collection by id or name, or 404 with the route's message."""
    collection = app.collections.find(ref)
    if collection is None:
        raise ApiError(404, message)
    return collection


_limits: dict[int, tuple[Collection, int]] = {}


def body_limit(collection: Collection) -> int:
    """Record writes accept 32 MiB plus each field's own maximum (files, editor, json)."""
    found = _limits.get(id(collection))
    if found is not None and found[0] is collection:
        return found[1]
    limit = _body_limit(collection)
    if len(_limits) > 256:
        _limits.clear()
    _limits[id(collection)] = (collection, limit)
    return limit


def _body_limit(collection: Collection) -> int:
    limit = DEFAULT_MAX_BODY
    if collection.is_view:
        return limit
    for f in collection.fields:
        if isinstance(f, FileField):
            limit += (f.maxSize or _FILE_MAX_DEFAULT) * max(f.maxSelect, 1)
        elif isinstance(f, EditorField):
            limit += f.maxSize or _EDITOR_MAX_DEFAULT
        elif isinstance(f, JSONField):
            limit += f.maxSize or _JSON_MAX_DEFAULT
    return limit


async def list_request(app: App, request: RequestInfo, collection: Collection, query: dict[str, str]) -> Any:
    """GET /api/collections/{c}/records."""
    require_rule(collection.listRule, request)
    check_superuser_only(request, query.get("filter", ""), query.get("sort", ""))
    params = parse_list_params(query)
    expand = query.get("expand", "")

    def page(records: list[dict[str, Any]], total: int, pages: int, items: list[Any]) -> dict[str, Any]:
        return {
            "items": items,
            "page": params.page,
            "perPage": params.per_page,
            "totalItems": total,
            "totalPages": pages,
        }

    hook = app.hooks.on_records_list_request
    if hook.length() == 0 and not expand and is_plain(app, collection, request):
        # A reader runs only the SQL (with the GIL released); decoding and serialising are
        # Python work, done here on the event loop rather than in up to three readers taking
        # the GIL from it and from each other (docs/performance.md).
        rows, total, pages = await app.db.read(lambda conn: list_rows(app, conn, collection, params, request))
        items = serialize_plain_rows(app, rows, request)
        if items is None:  # an auth collection (emails shown per record), or a handler bound meanwhile
            records = rows.records()
            items = serialize_plain(app, collection, records, request)
            if items is None:
                items = await app.db.read(
                    lambda conn: enrich_records(app, conn, collection, records, request)
                )
        return page([], total, pages, items)
    if hook.length() == 0 and expands_forward_only(expand):
        # The page's SQL (filter, sort, count: the heavy part) on a reader; expansion and
        # visibility on the event loop, since they are Python work (decoding, rules, serialising
        # every node) between primary-key look-ups, and Python work on a reader thread fights the
        # loop for the GIL (docs/performance.md).
        rows, total, pages = await app.db.read(lambda conn: list_rows(app, conn, collection, params, request))
        records = rows.records()
        items = app.db.read_here(lambda conn: enrich_records(app, conn, collection, records, request, expand))
        return page(records, total, pages, items)
    if hook.length() == 0:
        # No request handlers: find and serialise the page in one read.
        def run_all(conn: Any) -> dict[str, Any]:
            records, total, pages = list_records(app, conn, collection, params, request)
            return page(
                records, total, pages, enrich_records(app, conn, collection, records, request, expand)
            )

        return await app.db.read(run_all)

    found = await app.db.read(lambda conn: list_records(app, conn, collection, params, request))
    event = RecordRequestEvent(collection=collection, request=request, records=found[0])

    async def final(e: RecordRequestEvent) -> Any:
        items = await app.db.read(
            lambda conn: enrich_records(app, conn, collection, e.records, request, expand)
        )
        e.result = page(e.records, found[1], found[2], items)
        return e.result

    await hook.atrigger(event, final, tags=collection.hook_tags)
    return event.result


def _view_plain(
    app: App,
    conn: Any,
    collection: Collection,
    record_id: str,
    request: RequestInfo,
    otherwise: Callable[[Any], Any],
) -> Any:
    """A view whose rule needs no SQL: the row decoded straight into its API record when the
    serialisation needs nothing else (`serialize_plain_rows`), else `otherwise(conn)`."""
    require_rule(collection.viewRule, request)
    rows = fetch_record_row(conn, collection, record_id)
    if not rows.rows:
        raise ApiError(404, MSG_NOT_FOUND)
    items = serialize_plain_rows(app, rows, request)
    return items[0] if items is not None else otherwise(conn)


def _access_runs_no_sql(collection: Collection, request: RequestInfo, rule: str | None) -> bool:
    """Do `rule` and the auth-record visibility checks run no SQL for `request`? So for a
    superuser, or for an empty rule on a non-auth collection (an auth collection's manageRule
    may be evaluated). Such steps, and a primary-key look-up of a table, are cheaper on the
    event loop (`db.read_here`) than a trip to a reader thread."""
    return request.is_superuser or (rule == "" and not collection.is_auth)


async def view_request(
    app: App, request: RequestInfo, collection: Collection, record_id: str, query: dict[str, str]
) -> Any:
    """GET /api/collections/{c}/records/{id}."""
    expand = query.get("expand", "")
    hook = app.hooks.on_record_view_request
    if hook.length() == 0:

        def run(conn: Any) -> dict[str, Any]:
            record = prepare_view(app, conn, collection, record_id, request)
            return enrich_record(app, conn, collection, record, request, expand)

        # One primary-key look-up (a view collection would run its whole query).
        if (
            not expand
            and not collection.is_view
            and _access_runs_no_sql(collection, request, collection.viewRule)
        ):
            return app.db.read_here(lambda conn: _view_plain(app, conn, collection, record_id, request, run))
        return await app.db.read(run)
    record = await app.db.read(lambda conn: prepare_view(app, conn, collection, record_id, request))
    event = RecordRequestEvent(collection=collection, request=request, record=record)

    async def final(e: RecordRequestEvent) -> Any:
        rec = e.record or record
        e.result = await app.db.read(lambda conn: enrich_record(app, conn, collection, rec, request, expand))
        return e.result

    await hook.atrigger(event, final, tags=collection.hook_tags)
    return event.result


# The hooks that run inside a record write: user code there may take any time.
_WRITE_HOOKS = (
    "on_record_validate",
    "on_record_create",
    "on_record_create_execute",
    "on_record_after_create_error",
    "on_record_update",
    "on_record_update_execute",
    "on_record_after_update_error",
    "on_record_delete",
    "on_record_delete_execute",
    "on_record_after_delete_error",
)


_user_code: dict[int, tuple[int, bool]] = {}


def short_write(app: App, collection: Collection, *, files: bool = False, delete: bool = False) -> bool:
    """Is this record write known to be short, so it may run on the event loop (`inline`)?
    Not with user code in its hooks, uploads to store, or cascades to follow."""
    if files:
        return False
    hooks = app.hooks
    known = _user_code.get(id(hooks))
    if known is None or known[0] != Hook.version:
        known = (Hook.version, any(getattr(hooks, name).has_user_handlers() for name in _WRITE_HOOKS))
        _user_code[id(hooks)] = known
    if known[1]:
        return False
    return not (delete and (collection.is_auth or app.collections.referencing(collection.id)))


class _Steps:
    """Where a write flow's reads and its write run: each on its own (a reader, then the
    writer), or all inside one open transaction (a batch, which sees its own earlier writes).

    `then` is a batch's continuation: the requests after this one. As in PocketBase, it runs
    inside this request's hook chain once the answer is ready (or right after the chain, when
    a handler stopped it), so a handler's code after `e.next()` sees the later requests done.
    """

    __slots__ = ("app", "tx", "then", "inline")

    def __init__(
        self, app: App, tx: Transaction | None, then: Then | None = None, inline: bool = False
    ) -> None:
        self.app = app
        self.tx = tx
        self.then = then
        self.inline = inline

    async def read(self, fn: Callable[[Any], T], *, cheap: bool = False) -> T:
        """`cheap`: a read with nothing to look up, run on this thread rather than a reader's."""
        if self.tx is not None:
            return await self.tx.run(fn)
        if cheap:
            # Key look-ups only: no runaway query to guard against, so no read budget.
            return self.app.db.read_here(fn, timeout=None)
        return await self.app.db.read(fn)

    async def write(self, fn: Callable[[Any], T]) -> T:
        if self.tx is not None:
            return await self.tx.run(fn)
        return await self.app.db.write(fn, inline=self.inline)

    async def finish(self) -> None:
        """Run the continuation, once."""
        then, self.then = self.then, None
        if then is not None:
            await then()


async def _save_request(
    steps: _Steps,
    request: RequestInfo,
    collection: Collection,
    form: RecordUpsert,
    query: dict[str, str],
    hook: Hook[RecordRequestEvent],
) -> Any:
    """Run the create/update request hook around the default action: submit the form (with the
    handlers' `e.record`, if they set one) and answer the enriched saved record."""
    app = steps.app
    event = RecordRequestEvent(collection=collection, request=request, record=form.record, body=request.body)

    async def final(e: RecordRequestEvent) -> Any:
        if e.record is not None:
            form.record = e.record
        saved = await steps.write(form.submit_in_tx)
        e.record = saved
        expand = query.get("expand", "")

        def enrich(conn: Any) -> dict[str, Any]:
            return enrich_record(app, conn, collection, saved, request, expand)

        cheap = not expand and _access_runs_no_sql(collection, request, "")  # nothing to look up
        e.result = await steps.read(enrich, cheap=cheap)
        await steps.finish()
        return e.result

    await hook.atrigger(event, final, tags=collection.hook_tags)
    await steps.finish()
    return event.result


async def create_request(
    app: App,
    request: RequestInfo,
    collection: Collection,
    body: ParsedBody,
    query: dict[str, str],
    *,
    tx: Transaction | None = None,
    then: Then | None = None,
) -> Any:
    """POST /api/collections/{c}/records: 200 with the created record. With `tx`, every step
    runs inside that open transaction, and `then` once the answer is ready (a batch)."""
    if collection.is_view:
        raise ApiError(400, MSG_UNSUPPORTED_TYPE)
    steps = _Steps(app, tx, then, inline=short_write(app, collection, files=bool(body.files)))

    def prepare(conn: Any) -> RecordUpsert:
        return prepare_create(app, conn, collection, body, request)

    # The form is only checked when the rule runs no SQL: nothing is looked up. Auth records
    # hash their password while loading (tens of ms): never on the event loop.
    cheap = not collection.is_auth and _access_runs_no_sql(collection, request, collection.createRule)
    form = await steps.read(prepare, cheap=cheap)
    return await _save_request(steps, request, collection, form, query, app.hooks.on_record_create_request)


async def update_request(
    app: App,
    request: RequestInfo,
    collection: Collection,
    record_id: str,
    body: ParsedBody,
    query: dict[str, str],
    *,
    tx: Transaction | None = None,
    then: Then | None = None,
) -> Any:
    """PATCH /api/collections/{c}/records/{id}: 200 with the updated record (`tx`: as create)."""
    if collection.is_view:
        raise ApiError(400, MSG_UNSUPPORTED_TYPE)
    steps = _Steps(app, tx, then, inline=short_write(app, collection, files=bool(body.files)))
    # A primary-key look-up and a rule that runs no SQL: cheaper here than on a reader (auth
    # records may hash a new password while loading: never on the event loop).
    cheap = not collection.is_auth and _access_runs_no_sql(collection, request, collection.updateRule)
    form = await steps.read(
        lambda conn: prepare_update(app, conn, collection, record_id, body, request), cheap=cheap
    )
    return await _save_request(steps, request, collection, form, query, app.hooks.on_record_update_request)


async def delete_request(
    app: App,
    request: RequestInfo,
    collection: Collection,
    record_id: str,
    *,
    tx: Transaction | None = None,
    then: Then | None = None,
) -> Any:
    """DELETE /api/collections/{c}/records/{id}: 204 (NO_CONTENT) (`tx`: as create)."""
    if collection.is_view:
        raise ApiError(400, MSG_UNSUPPORTED_TYPE)
    steps = _Steps(app, tx, then, inline=short_write(app, collection, delete=True))
    record = await steps.read(lambda conn: prepare_delete(app, conn, collection, record_id, request))
    event = RecordRequestEvent(collection=collection, request=request, record=record)

    async def final(e: RecordRequestEvent) -> Any:
        target = e.record or record
        await steps.write(lambda conn: delete_record_in_tx(app, conn, collection, target, request))
        e.result = NO_CONTENT
        await steps.finish()
        return e.result

    await app.hooks.on_record_delete_request.atrigger(event, final, tags=collection.hook_tags)
    await steps.finish()
    return event.result
