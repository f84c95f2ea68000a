"""Application settings, stored like PocketBase in `_params` (id `settings`)."""

from __future__ import annotations

from typing import Any

import apsw

from palapy.db.connection import query_one
from palapy.tools import jsonx

__all__ = ["load_settings", "default_settings"]


def default_settings() -> dict[str, Any]:
    """The settings a fresh data dir starts with (the parts palapy uses so far)."""
    return {
        "meta": {"appName": "Acme", "appURL": "http://localhost:8090", "hideControls": False,
                 "senderName": "Support", "senderAddress": "support@example.com"},
        "batch": {"enabled": False, "maxRequests": 50, "timeout": 3, "maxBodySize": 0},
    }  # fmt: skip


def load_settings(conn: apsw.Connection) -> dict[str, Any]:
    """The stored settings merged over the defaults; defaults when none are stored or readable."""
    settings = default_settings()
    row = query_one(conn, "SELECT value FROM `_params` WHERE id = 'settings'")
    if row and isinstance(row["value"], str):
        try:
            stored = jsonx.decode(row["value"])
        except jsonx.DecodeError:
            stored = None
        if isinstance(stored, dict):
            for key, value in stored.items():
                if isinstance(value, dict) and isinstance(settings.get(key), dict):
                    settings[key] = {**settings[key], **value}
                else:
                    settings[key] = value
    return settings
