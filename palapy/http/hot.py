"""The hottest reads answered straight from RSGI: GET a record list, GET a record by id.

These two are most of a PocketBase server's traffic. Through ASGI, Litestar's request object,
routing and the headers middleware, the view by id spent about half of its Python time outside
the records code. Here a request that needs nothing else is answered with the same functions
the Litestar routes call (`records.api`), the same RequestInfo (`http.context`), the same JSON
and error bodies, and the same headers `DefaultHeaders` adds; tests compare the two paths byte
for byte (tests/unit/http/test_rsgi.py).

A request is left to the ASGI stack (nothing sent) unless it is a GET of exactly one of the two
paths, without a body, with a valid Host header, and no request hook is bound for its route
(a hook may answer with anything, which only the Litestar route knows how to send).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from litestar._asgi.utils import is_valid_host
from litestar._parsers import parse_query_string

from palapy.http.context import build_request_info, json_body
from palapy.http.middleware import BASE_HEADERS, DefaultHeaders
from palapy.records import api
from palapy.tools import jsonx
from palapy.tools.errors import MSG_INTERNAL, ApiError

if TYPE_CHECKING:
    from palapy.core import App

__all__ = ["HotReads"]

log = logging.getLogger("palapy.http")

_PREFIX = "/api/collections/"
_AFTER_HEADERS = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in BASE_HEADERS] + [("vary", "Origin")]


class HotReads:
    """`try_serve` for `RsgiFront`: the record list and view of `app`, CORS as `cors` decides."""

    def __init__(self, app: App, cors: DefaultHeaders) -> None:
        self.app = app
        self.cors = cors

    async def try_serve(self, scope: Any, proto: Any) -> bool:
        if scope.method != "GET":
            return False
        path: str = scope.path
        if not path.startswith(_PREFIX):
            return False
        parts = path[len(_PREFIX) :].split("/")
        if len(parts) == 2:
            record_id = None
            hook = self.app.hooks.on_records_list_request
        elif len(parts) == 3 and parts[2]:
            record_id = parts[2]
            hook = self.app.hooks.on_record_view_request
        else:
            return False
        if parts[1] != "records" or not parts[0] or hook.length():
            return False
        headers: list[tuple[str, str]] = scope.headers.items()
        origin: str | None = None
        for name, value in headers:
            if name == "content-length":
                if value not in ("0", ""):
                    return False
            elif name == "transfer-encoding":
                return False
            elif name == "host":
                if not is_valid_host(value.encode("latin-1")):
                    return False
            elif name == "origin":
                origin = value  # the last one, as DefaultHeaders keeps it
        status, body = await self._answer(parts[0], record_id, headers, scope.query_string)
        out = [("content-type", "application/json"), ("content-length", str(len(body))), *_AFTER_HEADERS]
        if origin is not None:
            allow = self.cors.allowed_origin(origin.encode("latin-1"))
            if allow is not None:
                out.append(("access-control-allow-origin", allow.decode("latin-1")))
        proto.response_bytes(status, out, body)
        return True

    async def _answer(
        self, collection: str, record_id: str | None, headers: list[tuple[str, str]], query_string: str
    ) -> tuple[int, bytes]:
        app = self.app
        pairs = parse_query_string(query_string.encode("utf-8"))
        query: dict[str, str] = {}
        for key, value in pairs:
            query.setdefault(key, value)  # PocketBase reads a parameter's first value
        try:
            coll = api.find_collection(app, collection)
            info = await build_request_info(app, "GET", headers, pairs)
            if record_id is None:
                result = await api.list_request(app, info, coll, query)
            else:
                result = await api.view_request(app, info, coll, record_id, query)
            return 200, json_body(result, query.get("fields", ""))
        except ApiError as err:
            return err.status, jsonx.encode(err.to_dict())
        except Exception:
            log.exception("unexpected error on GET %s/%s", collection, record_id or "")
            return 500, jsonx.encode(ApiError(500, MSG_INTERNAL).to_dict())
