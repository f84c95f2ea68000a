"""System migrations: the schema PocketBase 0.40.6 gives a data dir, applied by `Palapy.bootstrap()`.

The list is imported statically (no entry points, no string imports), so frozen builds see it.
"""

from __future__ import annotations

from palapy.migrations import (
    m1640988000_aux_init,
    m1640988000_init,
    m1717233556_v0_23,
    m1763020353_auth_alert_templates,
    m1778828400_normalize_indexes,
)
from palapy.migrations.runner import MigrationError, SystemMigration, run_system_migrations

__all__ = ["SYSTEM_MIGRATIONS", "MigrationError", "SystemMigration", "run_system_migrations"]

# In file-name order, the order PocketBase applies them in.
SYSTEM_MIGRATIONS: tuple[SystemMigration, ...] = (
    m1640988000_aux_init.MIGRATION,
    m1640988000_init.MIGRATION,
    *m1717233556_v0_23.MIGRATIONS,
    m1763020353_auth_alert_templates.MIGRATION,
    m1778828400_normalize_indexes.MIGRATION,
)
