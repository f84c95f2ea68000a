"""`1763020353_update_default_auth_alert_templates.go`: the auth alert body that names the location.

Only collections still using the old default body are changed; customised ones are left alone.
"""

from __future__ import annotations

import apsw

from palapy.migrations._store import update_collection
from palapy.migrations.runner import SystemMigration
from palapy.schema import auth_templates
from palapy.schema.registry import load_collections

__all__ = ["MIGRATION"]


def _up(conn: apsw.Connection) -> None:
    for old in load_collections(conn):
        if not old.is_auth:
            continue
        template = (old.options.get("authAlert") or {}).get("emailTemplate") or {}
        if template.get("body") != auth_templates.OLD_AUTH_ALERT_BODY:
            continue
        new = old.clone()
        new.options["authAlert"]["emailTemplate"]["body"] = auth_templates.AUTH_ALERT_TEMPLATE["body"]
        update_collection(conn, old, new)


MIGRATION = SystemMigration("1763020353_update_default_auth_alert_templates.go", _up)
