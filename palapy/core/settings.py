"""Application settings, stored like PocketBase in `_params` (id `settings`).

PocketBase writes the full default settings when it initialises a data dir; the value is a JSON
BLOB whose keys follow its settings struct order. palapy writes the same bytes so that either
program reads the other's settings unchanged.
"""

from __future__ import annotations

import copy
from typing import Any

import apsw

from palapy.db.connection import query_one
from palapy.tools import dates, jsonx

__all__ = [
    "load_settings",
    "default_settings",
    "ensure_settings",
    "save_settings",
    "public_settings",
    "SETTINGS_PARAM",
]

SETTINGS_PARAM = "settings"


def _s3() -> dict[str, Any]:
    return {
        "enabled": False,
        "bucket": "",
        "region": "",
        "endpoint": "",
        "accessKey": "",
        "forcePathStyle": False,
    }


def _rate_rule(label: str, duration: int, max_requests: int) -> dict[str, Any]:
    return {"label": label, "audience": "", "duration": duration, "maxRequests": max_requests}


def default_settings() -> dict[str, Any]:
    """The settings a fresh data dir starts with, in PocketBase's key order."""
    return {
        "superuserIPs": [],
        "smtp": {"enabled": False, "port": 587, "host": "smtp.example.com", "username": "", "password": "",
                 "authMethod": "", "tls": False, "localName": ""},
        "backups": {"cron": "", "cronMaxKeep": 3, "s3": _s3()},
        "s3": _s3(),
        "meta": {"accentColor": "#1055c9", "appName": "Acme", "appURL": "http://localhost:8090",
                 "senderName": "Support", "senderAddress": "support@example.com", "hideControls": False},
        "rateLimits": {
            "rules": [_rate_rule("*:auth", 3, 2), _rate_rule("*:create", 5, 20),
                      _rate_rule("/api/batch", 1, 3), _rate_rule("/api/", 10, 300)],
            "excludedIPs": [],
            "enabled": False,
        },
        "trustedProxy": {"headers": [], "useLeftmostIP": False},
        "batch": {"enabled": False, "maxRequests": 50, "timeout": 3, "maxBodySize": 0},
        "logs": {"maxDataSize": 0, "maxDays": 5, "minLevel": 0, "logIP": True, "logAuthId": False},
    }  # fmt: skip


def load_settings(conn: apsw.Connection) -> dict[str, Any]:
    """The stored settings merged over the defaults; defaults when none are stored or readable.

    The value may be TEXT or a BLOB (PocketBase writes a BLOB); an encrypted value
    (PocketBase's `--encryptionEnv`) is not JSON and falls back to the defaults.
    """
    settings = default_settings()
    row = query_one(conn, "SELECT value FROM `_params` WHERE id = ?", (SETTINGS_PARAM,))
    raw = row["value"] if row else None
    if isinstance(raw, (str, bytes)) and raw:
        try:
            stored = jsonx.decode(raw)
        except jsonx.DecodeError:
            stored = None
        if isinstance(stored, dict):
            for key, value in stored.items():
                if isinstance(value, dict) and isinstance(settings.get(key), dict):
                    settings[key] = {**settings[key], **value}
                else:
                    settings[key] = value
    return settings


def save_settings(conn: apsw.Connection, settings: dict[str, Any]) -> None:
    """Insert or replace the settings row (value as a JSON BLOB, like PocketBase)."""
    now = dates.now()
    conn.execute(
        "INSERT INTO `_params` (id, value, created, updated) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(id) DO UPDATE SET value = excluded.value, updated = excluded.updated",
        (SETTINGS_PARAM, jsonx.encode(settings), now, now),
    )


def ensure_settings(conn: apsw.Connection) -> bool:
    """Write the default settings when the data dir has none yet; True when written."""
    if query_one(conn, "SELECT 1 AS x FROM `_params` WHERE id = ?", (SETTINGS_PARAM,)):
        return False
    save_settings(conn, default_settings())
    return True


# Keys PocketBase never sends back: (section path, key).
_WRITE_ONLY = ((("smtp",), "password"), (("s3",), "secret"), (("backups", "s3"), "secret"))


def public_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of `settings` without the write-only secrets, for `GET /api/settings`."""
    out: dict[str, Any] = copy.deepcopy(settings)
    for path, key in _WRITE_ONLY:
        node: Any = out
        for part in path:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node.pop(key, None)
    return out
