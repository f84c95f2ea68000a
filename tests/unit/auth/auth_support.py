"""Helpers for the auth tests: an in-process client, auth records and options written with plain SQL."""

from __future__ import annotations

import asyncio
from typing import Any

import apsw
import httpx

from palapy.apis import create_rsgi
from palapy.app import Palapy
from palapy.db.connection import quote_ident
from palapy.tools import jsonx
from palapy.tools.dates import now
from palapy.tools.ids import random_id, random_string
from palapy.tools.security.passwords import hash_password
from tests.harness.rsgi_client import RsgiTransport

PASSWORD_URL = "/api/collections/{}/auth-with-password"


class Client:
    """A synchronous face over palapy's RSGI app, in process."""

    def __init__(self, app: Palapy) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()
        self.http = httpx.AsyncClient(transport=RsgiTransport(create_rsgi(app)), base_url="http://127.0.0.1")

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self.loop.run_until_complete(self.http.request(method, url, **kwargs))

    def login(self, collection: str, body: Any, **kwargs: Any) -> httpx.Response:
        if isinstance(body, dict):
            kwargs["json"] = body
        else:
            kwargs["content"] = body
            kwargs.setdefault("headers", {})["Content-Type"] = "application/json"
        return self.request("POST", PASSWORD_URL.format(collection), **kwargs)

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    def close(self) -> None:
        self.loop.run_until_complete(self.http.aclose())
        self.loop.close()


def insert_auth_record(
    app: Palapy,
    collection: str,
    email: str,
    password: str | None = None,
    *,
    stored_hash: str | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Insert an auth record with plain SQL (independent of the records service under test)."""
    target = app.collections.find(collection)
    assert target is not None and target.is_auth
    stamp = now()
    row: dict[str, Any] = {
        "id": random_id(),
        "email": email,
        "emailVisibility": 0,
        "verified": 1 if collection == "_superusers" else 0,
        "password": stored_hash if stored_hash is not None else hash_password(password or ""),
        "tokenKey": random_string(50),
        "created": stamp,
        "updated": stamp,
        **extra,
    }
    columns = ", ".join(quote_ident(k) for k in row)
    marks = ", ".join("?" for _ in row)

    def write(conn: apsw.Connection) -> None:
        conn.execute(
            f"INSERT INTO {quote_ident(target.name)} ({columns}) VALUES ({marks})", tuple(row.values())
        )

    app.db.write_sync(write)
    return row


def set_column(app: Palapy, collection: str, record_id: str, column: str, value: Any) -> None:
    def write(conn: apsw.Connection) -> None:
        conn.execute(
            f"UPDATE {quote_ident(collection)} SET {quote_ident(column)} = ? WHERE id = ?", (value, record_id)
        )

    app.db.write_sync(write)


def update_collection_options(app: Palapy, name: str, **changes: Any) -> None:
    """Change a collection's options (or rules) in `_collections` and reload the registry."""
    target = app.collections.find(name)
    assert target is not None
    options = dict(target.options)
    rules: dict[str, Any] = {}
    for key, value in changes.items():
        if key.endswith("Rule") and key not in ("authRule", "manageRule"):
            rules[key] = value
        else:
            options[key] = value

    def write(conn: apsw.Connection) -> None:
        conn.execute(
            "UPDATE `_collections` SET options = ? WHERE id = ?", (jsonx.encode(options).decode(), target.id)
        )
        for key, value in rules.items():
            conn.execute(f"UPDATE `_collections` SET {quote_ident(key)} = ? WHERE id = ?", (value, target.id))

    app.db.write_sync(write)
    app.reload_collections_sync()
