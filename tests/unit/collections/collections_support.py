"""Helpers for the collections tests: an app with a superuser token, an in-process client,
and the normalisation that makes palapy's answers comparable with real PocketBase's."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import apsw
import httpx
import pytest

from palapy.apis import create_rsgi
from palapy.app import Palapy
from palapy.auth.tokens import mint_auth_token
from palapy.collections import service
from palapy.db.connection import query_all, quote_ident
from palapy.schema.model import Collection
from palapy.tools import jsonx
from palapy.tools.dates import now
from palapy.tools.errors import ApiError
from palapy.tools.ids import random_id, random_string
from palapy.tools.security.passwords import hash_password
from tests.harness.rsgi_client import RsgiTransport

__all__ = [
    "new_app",
    "insert_auth_record",
    "Client",
    "normalize",
    "run",
    "create",
    "update",
    "columns",
    "insert",
    "rows",
    "stored_options",
    "api_error",
]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$")
_CLONE_ID = re.compile(r"^_clone_[A-Za-z0-9]{4}$")
_TEMP_VIEW = re.compile(r"temp_view_[A-Za-z0-9]{5}")
# Index names of the scaffolds embed a random 10-character suffix.
_SCAFFOLD_INDEX = re.compile(r"`idx_(tokenKey|email)_[a-z0-9]{10}` ON ``")


def new_app(root: Path) -> Palapy:
    """A bootstrapped Palapy in `root/pb_data`."""
    app = Palapy(root / "pb_data")
    app.bootstrap()
    return app


def insert_auth_record(
    app: Palapy, collection: str, email: str, password: str = "pass123456"
) -> tuple[dict[str, Any], str]:
    """An auth record written with plain SQL (independent of the services under test) and its token."""
    target = app.collections.find(collection)
    assert target is not None and target.is_auth
    stamp = now()
    row: dict[str, Any] = {
        "id": random_id(),
        "email": email,
        "emailVisibility": 0,
        "verified": 1,
        "password": hash_password(password),
        "tokenKey": random_string(50),
        "created": stamp,
        "updated": stamp,
    }

    def write(conn: apsw.Connection) -> None:
        columns = ", ".join(quote_ident(k) for k in row)
        conn.execute(
            f"INSERT INTO {quote_ident(target.name)} ({columns}) VALUES ({', '.join('?' * len(row))})",
            tuple(row.values()),
        )

    app.db.write_sync(write)
    return row, mint_auth_token(app, target, row)


class Client:
    """Drives palapy's RSGI app in process (or any base URL over HTTP) with a fixed token."""

    def __init__(self, app: Palapy | None = None, base_url: str = "", token: str = "") -> None:
        self.rsgi = create_rsgi(app) if app is not None else None
        self.base_url = base_url or "http://test"
        self.token = token

    def request(self, method: str, url: str, *, auth: str | None = None, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        token = self.token if auth is None else auth
        if token:
            headers["Authorization"] = token
        if self.rsgi is None:
            return httpx.request(method, self.base_url + url, headers=headers, timeout=30, **kwargs)

        async def go() -> httpx.Response:
            transport = RsgiTransport(self.rsgi)
            async with httpx.AsyncClient(transport=transport, base_url=self.base_url) as client:
                return await client.request(method, url, headers=headers, **kwargs)

        return asyncio.run(go())


def normalize(value: Any) -> Any:
    """Replace what legitimately differs between two servers: dates, random ids and names."""
    if isinstance(value, dict):
        out = {k: normalize(v) for k, v in value.items()}
        if _TEMP_VIEW.match(str(value.get("collectionName", ""))):
            out["collectionId"] = "<temp-view-id>"  # derived from the random temporary view name
        return out
    if isinstance(value, list):
        return [normalize(v) for v in value]
    if isinstance(value, str):
        if _DATE.match(value):
            return "<date>"
        if _CLONE_ID.match(value):
            return "<clone-id>"
        value = _SCAFFOLD_INDEX.sub(r"`idx_\1_<rnd>` ON ``", value)
        return _TEMP_VIEW.sub("temp_view_<rnd>", value)
    return value


# -- the collections service, called directly -------------------------------------------


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def create(app: Palapy, data: dict[str, Any]) -> Collection:
    return run(service.create_collection(app, data, None))


def update(app: Palapy, key: str, data: dict[str, Any]) -> Collection:
    return run(service.update_collection(app, key, data, None))


def columns(app: Palapy, table: str) -> list[str]:
    return [
        str(r["name"])
        for r in app.db.read_sync(lambda c: query_all(c, f"PRAGMA table_info({quote_ident(table)})"))
    ]


def insert(app: Palapy, table: str, **values: Any) -> None:
    def write(conn: apsw.Connection) -> None:
        cols = ", ".join(quote_ident(k) for k in values)
        conn.execute(
            f"INSERT INTO {quote_ident(table)} ({cols}) VALUES ({', '.join('?' * len(values))})",
            tuple(values.values()),
        )

    app.db.write_sync(write)


def rows(app: Palapy, table: str) -> list[dict[str, Any]]:
    return app.db.read_sync(lambda c: query_all(c, f"SELECT * FROM {quote_ident(table)} ORDER BY id"))


def stored_options(app: Palapy, name: str) -> dict[str, Any]:
    row = app.db.read_sync(
        lambda c: query_all(c, "SELECT options FROM `_collections` WHERE name = ?", (name,))
    )
    return dict(jsonx.decode(row[0]["options"]))


def api_error(fn: Any, *args: Any) -> ApiError:
    with pytest.raises(ApiError) as info:
        fn(*args)
    return info.value
