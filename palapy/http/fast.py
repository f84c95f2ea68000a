"""A short cut through Litestar for hot routes (record writes, health, and the record reads the
RSGI front leaves to ASGI: HEAD, a GET with a body; see `http.hot` for the plain reads).

Litestar's per-request pipeline (router, kwargs model, signature model, exception middleware,
response handler) cost about 110 us of CPU per request on the bench (view by id: 269-345 us
per request through Litestar, 160-227 us calling the same code from a raw ASGI function;
the raw Granian floor is 31 us). For the handlers listed here, `FastDispatch` does only what
those handlers need and calls their own function, so each route's behaviour still lives in one
place (its `routes.py`):

- routing is Litestar's own (`handle_routing`, the same trie and path-parameter parsing);
- the request is Litestar's own `Request` on a scope prepared as Litestar prepares it (so body
  limits, header and query parsing are identical);
- the handler's result goes through the handler's own `to_response`, and an exception through
  the same exception-handler map Litestar would use.

A handler qualifies only when nothing else in Litestar's pipeline would touch it (no guards,
dependencies, hooks, middleware, DTOs, caching; parameters are `request` plus `str` path
parameters). `FastDispatch` checks this at start-up and refuses a handler that does not
qualify. Anything it does not recognise (other routes, unknown paths, a wrong method, an
invalid Host header, a mounted root path) goes to the Litestar app untouched.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from litestar import Litestar, Request, Response
from litestar._asgi.utils import is_valid_host
from litestar.handlers import HTTPRouteHandler
from litestar.middleware._internal.exceptions.middleware import get_exception_handler
from litestar.utils import normalize_path

__all__ = ["FastDispatch"]

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Any]]
Send = Callable[[Any], Awaitable[None]]


_JSON = "application/json"
_CONTENT_TYPE_JSON = (b"content-type", b"application/json")
_NO_BODY_STATUSES = frozenset({204, 304})


class _Route:
    """What the dispatcher needs of one qualifying handler."""

    __slots__ = ("handler", "fn", "exception_handlers", "plain_responses")

    def __init__(self, handler: HTTPRouteHandler) -> None:
        self.handler = handler
        self.fn = handler.fn
        self.exception_handlers = handler.resolve_exception_handlers()
        # Nothing at the handler's layers adds to its responses: a plain JSON `Response` it
        # returns is sent as Litestar would send it (content-type, content-length, body).
        self.plain_responses = not (
            handler.resolve_response_headers()
            or handler.resolve_response_cookies()
            or handler.background is not None
            or any(layer.after_request for layer in handler.ownership_layers)
        )


def _plain_json(data: Any) -> bytes | None:
    """The body of a `Response` whose ASGI form is just content-type, content-length and body."""
    if (
        type(data) is Response
        and type(data.content) is bytes
        and data.media_type == _JSON
        and not data.headers
        and not data.cookies
        and data.background is None
        and type(data.status_code) is int
        and data.status_code >= 200
        and data.status_code not in _NO_BODY_STATUSES
    ):
        return data.content
    return None


def _problems(app: Litestar, handler: HTTPRouteHandler, path_params: dict[str, Any]) -> list[str]:
    """Why `handler` (registered with `path_params`) cannot skip Litestar's pipeline (empty when it can)."""
    out: list[str] = []
    checks = {
        "guards": handler.resolve_guards(),
        "dependencies": handler.resolve_dependencies(),
        "middleware": handler.resolve_middleware(),
        "before_request": handler.resolve_before_request(),
        "after_response": handler.resolve_after_response(),
        "response cache": handler.cache,
        "DTOs": handler.resolve_return_dto() or handler.resolve_data_dto(),
        "app before_send hooks": app.before_send,
    }
    out.extend(name for name, found in checks.items() if found)
    if handler.resolve_request_class() is not Request:
        out.append("a custom request class")
    if handler.has_sync_callable or not inspect.iscoroutinefunction(handler.fn):
        out.append("a sync function")
    params = list(inspect.signature(handler.fn).parameters)
    if not params or params[0] != "request" or set(params[1:]) != set(path_params):
        out.append(f"parameters {params} (only `request` and the path parameters {sorted(path_params)})")
    if any(d.type is not str for d in path_params.values()):
        out.append("non-str path parameters")
    return out


class FastDispatch:
    """ASGI wrapper around the Litestar app: `handlers` are called directly (see module doc)."""

    def __init__(self, app: Litestar, handlers: Iterable[HTTPRouteHandler]) -> None:
        self.app = app
        self._routing = app.asgi_router.handle_routing
        # The app may register copies of the handler objects: match them by their function.
        wanted = {h.fn for h in handlers}
        self._routes: dict[int, _Route] = {}
        for registered in app.routes:
            for handler in getattr(registered, "route_handlers", ()):
                if not isinstance(handler, HTTPRouteHandler) or handler.fn not in wanted:
                    continue
                problems = _problems(app, handler, registered.path_parameters)
                if problems:
                    raise RuntimeError(f"{handler} cannot take the fast path: {', '.join(problems)}")
                self._routes[id(handler)] = _Route(handler)
        missing = wanted - {r.fn for r in self._routes.values()}
        if missing:
            raise RuntimeError(f"not registered on the app: {sorted(f.__name__ for f in missing)}")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        route = self._match(scope)
        if route is None:
            await self.app(scope, receive, send)  # type: ignore[arg-type]
            return
        await self._serve(route, scope, receive, send)

    def _match(self, scope: Scope) -> _Route | None:
        if scope["type"] != "http" or scope.get("root_path"):
            return None
        try:
            asgi_app, handler, path, params, template = self._routing(
                path=normalize_path(scope["path"]), method=scope["method"]
            )
        except Exception:  # noqa: BLE001 - not found / wrong method: Litestar answers it
            return None
        route = self._routes.get(id(handler))
        if route is None:
            return None
        for name, value in scope["headers"]:
            if name == b"host":
                if not is_valid_host(value):
                    return None
                break
        # The scope as Litestar's app and router leave it for the handler.
        scope["app"] = scope["litestar_app"] = self.app
        scope.setdefault("state", {})
        scope["path"] = path
        scope["path_params"] = params
        scope["route_handler"] = handler
        scope["path_template"] = template
        return route

    async def _serve(self, route: _Route, scope: Scope, receive: Receive, send: Send) -> None:
        request: Request[Any, Any, Any] = Request(scope, receive, send)  # type: ignore[arg-type]
        try:
            data = await route.fn(request=request, **scope["path_params"])
            if route.plain_responses and scope["method"] != "HEAD":
                body = _plain_json(data)
                if body is not None:
                    await self._send_json(send, data.status_code, body)
                    return
            response = await route.handler.to_response(app=self.app, data=data, request=request)
        except Exception as exc:  # noqa: BLE001 - mapped exactly as Litestar's exception middleware does
            on_error = get_exception_handler(route.exception_handlers, exc)
            if on_error is None:
                raise
            response = on_error(request, exc).to_asgi_response(app=None, request=request)
        await response(scope, receive, send)  # type: ignore[arg-type]

    @staticmethod
    async def _send_json(send: Send, status: int, body: bytes) -> None:
        headers = [_CONTENT_TYPE_JSON, (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body, "more_body": False})
