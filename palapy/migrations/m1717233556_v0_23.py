"""The four `v0.23_migrate*.go` system migrations of PocketBase.

They upgraded pre-0.23 data dirs (admins, old collection schema) and finished the 0.23 layout.
palapy does not convert pre-0.23 data: it refuses such a dir with a clear message. On 0.23+
data the first and third are checks, the second and fourth are small idempotent fixes.
"""

from __future__ import annotations

import apsw

from palapy.migrations._store import find_collection, update_collection
from palapy.migrations.m1640988000_init import otps_sent_to_field
from palapy.migrations.runner import MigrationError, SystemMigration
from palapy.schema.system import AUTH_ORIGINS, EXTERNAL_AUTHS, MFAS, OTPS, SUPERUSERS
from palapy.schema.tables import has_table
from palapy.tools.ids import collection_id

__all__ = ["MIGRATIONS"]


def _require_v023_layout(conn: apsw.Connection) -> None:
    if not (has_table(conn, MFAS) and has_table(conn, AUTH_ORIGINS)):
        raise MigrationError(
            "this pb_data was written by PocketBase older than v0.23, which palapy cannot convert; "
            "open it once with PocketBase v0.23 or newer, then with palapy"
        )


def _collections_index_and_delete_rules(conn: apsw.Connection) -> None:
    conn.execute("CREATE INDEX IF NOT EXISTS idx__collections_type on `_collections` (`type`)")
    # MFA and OTP rows are deleted by the server only.
    for name in (MFAS, OTPS):
        old = find_collection(conn, name)
        if old is not None and old.deleteRule is not None:
            new = old.clone()
            new.deleteRule = None
            update_collection(conn, old, new)


def _system_ids_are_canonical(conn: apsw.Connection) -> None:
    for name in (MFAS, OTPS, EXTERNAL_AUTHS, AUTH_ORIGINS, SUPERUSERS):
        found = find_collection(conn, name)
        if found is not None and found.id != collection_id(found.type, name):
            raise MigrationError(
                f"the {name} collection has the pre-release id {found.id}; "
                "open this pb_data once with PocketBase v0.23 or newer, then with palapy"
            )


def _otps_sent_to(conn: apsw.Connection) -> None:

    old = find_collection(conn, OTPS)
    if old is None or old.field("sentTo") is not None:
        return
    new = old.clone()
    new.fields.append(otps_sent_to_field())
    update_collection(conn, old, new)


MIGRATIONS = [
    SystemMigration("1717233556_v0.23_migrate.go", _require_v023_layout),
    SystemMigration("1717233557_v0.23_migrate2.go", _collections_index_and_delete_rules),
    SystemMigration("1717233558_v0.23_migrate3.go", _system_ids_are_canonical),
    SystemMigration("1717233559_v0.23_migrate4.go", _otps_sent_to),
]
