"""System migrations: the schema PocketBase 0.40.6 gives a data dir, applied by `App.bootstrap()`.

The list is imported statically (no entry points, no string imports), so frozen builds see it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from palapy.migrations import (
    m1640988000_aux_init,
    m1640988000_init,
    m1717233556_v0_23,
    m1763020353_auth_alert_templates,
    m1778828400_normalize_indexes,
)
from palapy.migrations.runner import MigrationError, SystemMigration, run_system_migrations

if TYPE_CHECKING:
    from palapy.app import App

__all__ = ["apply_system_migrations", "SYSTEM_MIGRATIONS", "MigrationError", "SystemMigration"]

# In file-name order, the order PocketBase applies them in.
SYSTEM_MIGRATIONS: tuple[SystemMigration, ...] = (
    m1640988000_aux_init.MIGRATION,
    m1640988000_init.MIGRATION,
    *m1717233556_v0_23.MIGRATIONS,
    m1763020353_auth_alert_templates.MIGRATION,
    m1778828400_normalize_indexes.MIGRATION,
)


def apply_system_migrations(app: App) -> None:
    """Bring `app`'s data dir to PocketBase 0.40.6's system schema; idempotent.

    A new dir gets `_params`, `_collections`, `_migrations`, the system collections with their
    tables, the default settings and auxiliary.db's `_logs`. A dir made by PocketBase (or an
    earlier palapy) only gets what it lacks. Raises MigrationError for dirs written by a newer
    PocketBase/palapy or by PocketBase older than v0.23.
    """
    run_system_migrations(app, SYSTEM_MIGRATIONS)
