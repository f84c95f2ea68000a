"""The `App` protocol: what palapy's services need of the application, and nothing more.

Services (collections, records, auth, files, migrations, hooks) take an `App` and use its
databases, collection registry, hook catalog, settings, file storage and realtime clients. The concrete
application, `palapy.app.Palapy`, satisfies it; it sits at the top of the layers and wires
everything, so no service imports it (PocketBase's `core.App` interface plays the same part).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from palapy.db.executor import Database
from palapy.hooks.catalog import HookCatalog
from palapy.schema.registry import CollectionRegistry
from palapy.storage.base import Storage
from palapy.subscriptions import Broker

__all__ = ["App"]


class App(Protocol):
    """One `pb_data/` directory with its databases, collections, hooks, settings and files."""

    @property
    def data_dir(self) -> Path:
        """The `pb_data/` directory (absolute)."""
        ...

    @property
    def spool_dir(self) -> Path:
        """Where a request's uploads wait as temporary files until they are stored."""
        ...

    @property
    def db(self) -> Database:
        """`data.db`: collections and records."""
        ...

    @property
    def aux_db(self) -> Database:
        """`auxiliary.db`: request logs."""
        ...

    @property
    def collections(self) -> CollectionRegistry:
        """The collections, kept in memory and reloaded after every committed change."""
        ...

    @property
    def hooks(self) -> HookCatalog:
        """Every hook palapy fires."""
        ...

    @property
    def settings(self) -> dict[str, Any]:
        """The application settings (`_params` row `settings`), as last loaded."""
        ...

    @property
    def storage(self) -> Storage:
        """Where uploaded files live."""
        ...

    @property
    def subscriptions(self) -> Broker:
        """The connected realtime clients."""
        ...

    async def reload_collections(self) -> None:
        """Re-read `_collections` into `collections` (after a committed collection change)."""
        ...
