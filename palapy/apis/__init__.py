"""PocketBase's Web API, one module per family as in PocketBase's `apis/`, on palapy's edge.

Each module lists its `ROUTES`; `create_rsgi` puts them in one route table behind the RSGI
lane. Handlers read a `web.Request` and return a `web.Response`; the behaviour itself lives in
the services (`collections`, `records`, `auth`, `files`), callable without HTTP.
"""

from __future__ import annotations

from collections.abc import Sequence

from palapy.apis import batch, collection, file, health, realtime, record_auth, record_crud, settings
from palapy.core import App
from palapy.web.headers import Cors
from palapy.web.routing import Route, RouteTable
from palapy.web.rsgi import RsgiApp

__all__ = ["ROUTES", "create_rsgi"]

# Static imports: the frozen binary must see every route module.
ROUTES: tuple[Route, ...] = (
    *health.ROUTES,
    *settings.ROUTES,
    *collection.ROUTES,
    *record_crud.ROUTES,
    *record_auth.ROUTES,
    *file.ROUTES,
    *batch.ROUTES,
    *realtime.ROUTES,
)


def create_rsgi(app: App, origins: Sequence[str] | None = None) -> RsgiApp:
    """The RSGI application serving every route of `app` (`origins`: the CORS allow-list)."""
    return RsgiApp(app, RouteTable(ROUTES), Cors(origins))
