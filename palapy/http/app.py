"""create_app(App) -> the ASGI application: Litestar routes wrapped in PocketBase's headers/CORS."""

from __future__ import annotations

from typing import Any

from litestar import Litestar

from palapy.core import App
from palapy.http.errors import exception_handlers
from palapy.http.fast import FastDispatch
from palapy.http.hot import HotReads
from palapy.http.middleware import DefaultHeaders
from palapy.http.rsgi import RsgiFront

__all__ = ["create_app", "create_asgi", "create_rsgi", "MAX_BODY_SIZE"]

# PocketBase's default body limit; record writes add their fields' maxima on top (see records).
MAX_BODY_SIZE = 32 << 20


def _route_handlers() -> list[Any]:
    # Static imports: PyInstaller must see every router.
    from palapy.auth.oauth2_routes import ROUTES as OAUTH2_ROUTES
    from palapy.auth.routes import ROUTES as AUTH_ROUTES
    from palapy.collections.routes import ROUTES as COLLECTION_ROUTES
    from palapy.files.routes import ROUTES as FILE_ROUTES
    from palapy.records.routes import ROUTES as RECORD_ROUTES
    from palapy.system.routes import ROUTES as SYSTEM_ROUTES

    return [*SYSTEM_ROUTES, *COLLECTION_ROUTES, *RECORD_ROUTES, *AUTH_ROUTES, *OAUTH2_ROUTES, *FILE_ROUTES]


def create_app(core: App) -> Litestar:
    """The Litestar application for `core` (already bootstrapped)."""
    app = Litestar(
        route_handlers=_route_handlers(),
        exception_handlers=exception_handlers,
        request_max_body_size=MAX_BODY_SIZE,
        openapi_config=None,
        debug=False,
        logging_config=None,
    )
    app.state["pb"] = core
    return app


def _fast_handlers() -> list[Any]:
    # The hottest routes skip Litestar's per-request pipeline (measured; see palapy.http.fast).
    from palapy.records.routes import FAST_ROUTES as RECORD_FAST_ROUTES
    from palapy.system.routes import FAST_ROUTES as SYSTEM_FAST_ROUTES

    return [*SYSTEM_FAST_ROUTES, *RECORD_FAST_ROUTES]


def create_asgi(core: App, origins: list[str] | None = None) -> DefaultHeaders:
    """The full ASGI stack the server runs."""
    app = create_app(core)
    return DefaultHeaders(FastDispatch(app, _fast_handlers()), origins=origins)


def create_rsgi(core: App, origins: list[str] | None = None) -> RsgiFront:
    """What the server runs: the hot reads answered from RSGI, the rest by `create_asgi`'s stack."""
    asgi = create_asgi(core, origins)
    return RsgiFront(asgi, HotReads(core, asgi))
