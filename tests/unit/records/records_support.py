"""Helpers for the records tests: collections made from code, users and tokens, an in-process API client."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from palapy.apis import create_rsgi
from palapy.app import Palapy
from palapy.collections.scaffolds import new_collection
from palapy.db.connection import quote_ident
from palapy.rules.request_info import RequestInfo
from palapy.schema.fields import Field
from palapy.schema.model import Collection
from palapy.schema.tables import sync_schema
from tests.harness.rsgi_client import RsgiTransport


def add_collection(
    app: Palapy, kind: str, name: str, fields: list[Field] | None = None, **attrs: Any
) -> Collection:
    """Create a collection (row in `_collections` + its table) and reload the registry."""
    collection = new_collection(kind, name)
    for f in fields or []:
        collection.fields.append(f)
    for key, value in attrs.items():
        if key in ("manageRule", "authRule"):
            collection.options[key] = value
        else:
            setattr(collection, key, value)

    def write(conn: Any) -> None:
        row = collection.to_row()
        cols = ", ".join(quote_ident(c) for c in row)
        conn.execute(
            f"INSERT INTO `_collections` ({cols}) VALUES ({', '.join('?' * len(row))})", list(row.values())
        )
        sync_schema(conn, None, collection)

    app.db.write_sync(write)
    app.reload_collections_sync()
    found = app.collections.find(name)
    assert found is not None
    return found


def superuser_info(app: Palapy, record: dict[str, Any] | None = None) -> RequestInfo:
    coll = app.collections.find("_superusers")
    assert coll is not None
    return RequestInfo(auth=record or {"id": "su0000000000001", "email": "su@x.co"}, auth_collection=coll)


class Api:
    """Drives the RSGI app in process; `auth` is a raw token sent as `Authorization`."""

    def __init__(self, app: Palapy) -> None:
        self.rsgi = create_rsgi(app)

    def request(self, method: str, url: str, *, auth: str = "", **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        if auth:
            headers["Authorization"] = auth

        async def go() -> httpx.Response:
            transport = RsgiTransport(self.rsgi)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
                return await c.request(method, url, headers=headers, **kwargs)

        return asyncio.run(go())


def create_superuser(
    app: Palapy, email: str = "su@x.co", password: str = "pass123456"
) -> tuple[dict[str, Any], str]:
    """A stored superuser and an auth token for it."""
    from palapy.auth.tokens import mint_auth_token
    from palapy.records.forms import RecordUpsert

    coll = app.collections.find("_superusers")
    assert coll is not None
    form = RecordUpsert(app, coll, None, superuser_info(app))
    form.load({"email": email, "password": password, "passwordConfirm": password})
    record = app.db.write_sync(form.submit_in_tx)
    return record, mint_auth_token(app, coll, record)


def create_user(
    app: Palapy, email: str, password: str = "12345678", **extra: Any
) -> tuple[dict[str, Any], str]:
    """A stored `users` record and an auth token for it."""
    from palapy.auth.tokens import mint_auth_token
    from palapy.records.forms import RecordUpsert

    coll = app.collections.find("users")
    assert coll is not None
    form = RecordUpsert(app, coll, None, superuser_info(app))
    form.load({"email": email, "password": password, "passwordConfirm": password, **extra})
    record = app.db.write_sync(form.submit_in_tx)
    return record, mint_auth_token(app, coll, record)
