"""Viewing a record runs on the calling thread only when it is one primary-key look-up; every
other view goes to a reader thread. Both give the same answers."""

from __future__ import annotations

from typing import Any

import pytest

from palapy.app import Palapy
from palapy.schema.fields import TextField
from tests.unit.records.records_support import Api, add_collection, create_superuser, create_user


def _spy(app: Palapy) -> list[str]:
    """Which bridge each read takes: "here" (calling thread) or "thread" (a reader)."""
    seen: list[str] = []
    read_here, read = app.db.read_here, app.db.read

    def here(fn: Any, **kw: Any) -> Any:
        seen.append("here")
        return read_here(fn, **kw)

    async def thread(fn: Any, **kw: Any) -> Any:
        seen.append("thread")
        return await read(fn, **kw)

    app.db.read_here = here  # type: ignore[method-assign]
    app.db.read = thread  # type: ignore[method-assign]
    return seen


@pytest.fixture
def setup(app: Palapy, api: Api) -> dict[str, Any]:
    add_collection(app, "base", "public", [TextField(name="title")], viewRule="", createRule="")
    add_collection(app, "base", "ruled", [TextField(name="title")], viewRule="title = 'ok'", createRule="")
    add_collection(app, "view", "titles", options={"viewQuery": "SELECT id, title FROM public"}, viewRule="")
    ids = {}
    for name in ("public", "ruled"):
        ids[name] = api.request("POST", f"/api/collections/{name}/records", json={"title": "ok"}).json()["id"]
    _, su = create_superuser(app)
    _, user = create_user(app, "u@x.co")
    users = app.collections.find("users")
    assert users is not None
    users.viewRule = ""  # the registry's object: read at request time
    return {"ids": ids, "su": su, "user": user}


@pytest.mark.parametrize(
    ("collection", "record", "auth", "query", "bridge"),
    [
        ("public", "public", "", "", "here"),
        ("public", "public", "su", "", "here"),
        ("public", "public", "", "expand=x", "thread"),
        ("ruled", "ruled", "", "", "thread"),
        ("ruled", "ruled", "su", "", "here"),
        ("titles", "public", "", "", "thread"),
        ("users", "user", "user", "", "thread"),
        ("users", "user", "su", "", "here"),
        ("public", "missing", "", "", "here"),
    ],
)
def test_bridge_taken_by_views(
    app: Palapy,
    api: Api,
    setup: dict[str, Any],
    collection: str,
    record: str,
    auth: str,
    query: str,
    bridge: str,
) -> None:
    if record == "user":
        users = app.collections.find("users")
        assert users is not None
        record_id = app.db.read_sync(lambda c: c.execute("SELECT id FROM users").fetchall()[0][0])
    else:
        record_id = setup["ids"].get(record, "missing")
    seen = _spy(app)
    url = f"/api/collections/{collection}/records/{record_id}" + (f"?{query}" if query else "")
    res = api.request("GET", url, auth=setup[auth] if auth else "")
    assert seen[-1:] == [bridge], seen
    assert res.status_code == (404 if record == "missing" else 200)
    if res.status_code == 200 and collection != "titles":  # the view has no fields of its own here
        assert res.json()["id"] == record_id
