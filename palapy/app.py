"""`Palapy`: the application itself, one `pb_data/` directory and everything it owns.

It satisfies the `palapy.core.App` protocol the services work with, and it is where the layers
meet: it opens the databases, applies the system migrations handed to it (PocketBase's by
default), loads collections and settings, and sets up file storage. No HTTP here; the web
lane is built on top of it (`palapy.apis.create_rsgi`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import apsw

from palapy.core.settings import load_settings
from palapy.datadir import check_data_dir, explain
from palapy.db.executor import Database
from palapy.hooks.catalog import HookCatalog
from palapy.migrations import SYSTEM_MIGRATIONS, MigrationError, SystemMigration, run_system_migrations
from palapy.realtime import Broadcaster, bind_realtime
from palapy.schema.registry import CollectionRegistry
from palapy.storage.base import Storage
from palapy.storage.local import LocalStorage
from palapy.subscriptions import Broker

# PocketBase's `core.LocalTempDirName`: temporary files under pb_data/, cleared freely.
TEMP_DIR_NAME = ".pb_temp_to_delete"

__all__ = ["Palapy"]


class Palapy:
    """Everything a palapy process owns for one `pb_data/` directory.

    Create it, call `bootstrap()` (creates the layout, applies the system migrations, loads
    collections and settings), use it, then `close()`. `hooks_dir` and `migrations_dir` hold
    the user's Python code (PocketBase's defaults: siblings of `pb_data/`).
    """

    def __init__(
        self,
        data_dir: str | os.PathLike[str],
        *,
        dev: bool = False,
        readers: int = 3,
        hooks_dir: str | os.PathLike[str] | None = None,
        migrations_dir: str | os.PathLike[str] | None = None,
        system_migrations: Sequence[SystemMigration] = SYSTEM_MIGRATIONS,
    ) -> None:
        self.data_dir = Path(data_dir).absolute()
        self.hooks_dir = Path(hooks_dir).absolute() if hooks_dir else self.data_dir.parent / "pb_hooks"
        self.migrations_dir = (
            Path(migrations_dir).absolute() if migrations_dir else self.data_dir.parent / "pb_migrations"
        )
        self.dev = dev
        self.readers = readers
        self.system_migrations = tuple(system_migrations)
        self.hooks = HookCatalog()
        self.collections = CollectionRegistry()
        self.settings: dict[str, Any] = {}
        self.storage: Storage = LocalStorage(self.storage_dir)
        self.subscriptions = Broker()
        # Record changes reach realtime subscribers through the record hooks.
        self.realtime: Broadcaster = bind_realtime(self)
        self._db: Database | None = None
        self._aux_db: Database | None = None

    # -- layout --------------------------------------------------------------
    @property
    def data_db_path(self) -> Path:
        return self.data_dir / "data.db"

    @property
    def aux_db_path(self) -> Path:
        return self.data_dir / "auxiliary.db"

    @property
    def storage_dir(self) -> Path:
        return self.data_dir / "storage"

    @property
    def spool_dir(self) -> Path:
        """Where uploads are written while their request runs (PocketBase's temp dir name, so
        backups leave it out); on the same disk as local storage, so storing is a rename."""
        return self.data_dir / TEMP_DIR_NAME / "uploads"

    @property
    def db(self) -> Database:
        if self._db is None:
            raise RuntimeError("Palapy.bootstrap() has not run")
        return self._db

    @property
    def aux_db(self) -> Database:
        if self._aux_db is None:
            raise RuntimeError("Palapy.bootstrap() has not run")
        return self._aux_db

    # -- lifecycle -----------------------------------------------------------
    def bootstrap(self) -> None:
        """Create `pb_data/` as PocketBase lays it out and bring the schema up to date."""
        # Refuse a bad dir (read-only, a file, corrupt or newer databases) before creating anything.
        check_data_dir(self.data_dir, self.system_migrations)
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            self.storage_dir.mkdir(exist_ok=True)
            shutil.rmtree(self.spool_dir, ignore_errors=True)  # uploads of a process that died
            self._db = Database(str(self.data_db_path), readers=self.readers)
            self._aux_db = Database(str(self.aux_db_path), readers=1)
            run_system_migrations(self, self.system_migrations)
            self.db.read_sync(self.collections.reload)
            self.settings = self.db.read_sync(load_settings)
            self.storage = self.open_storage()
        except MigrationError as exc:
            self.close()
            if isinstance(exc.__cause__, apsw.Error):  # damage found while migrating
                raise explain(exc.__cause__, self.data_db_path) from exc
            raise
        except (apsw.Error, OSError) as exc:
            self.close()
            path = Path(exc.filename) if isinstance(exc, OSError) and exc.filename else self.data_db_path
            raise explain(exc, path) from exc

    def open_storage(self) -> Storage:
        """The file storage `settings` ask for: the S3 bucket when `s3.enabled`, else `storage_dir`.
        Bootstrap sets `storage` from it; a settings change can call it again and swap `storage`."""
        s3 = self.settings.get("s3")
        if isinstance(s3, dict) and s3.get("enabled") is True:
            # Imported only here: the S3 client costs start-up time a local-disk server never needs.
            from palapy.storage.s3 import S3Storage

            return S3Storage.from_settings(s3)
        return LocalStorage(self.storage_dir)

    def reload_collections_sync(self) -> None:
        self.db.read_sync(self.collections.reload)

    async def reload_collections(self) -> None:
        await self.db.read(self.collections.reload)

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._aux_db is not None:
            self._aux_db.close()
            self._aux_db = None
