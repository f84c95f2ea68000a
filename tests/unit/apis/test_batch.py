"""`POST /api/batch` in process: what the scenario tables cannot see (hook nesting, rollback of
files and after-success hooks, the time budget, a deep batch)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from palapy.app import Palapy
from palapy.hooks.events import BatchRequestEvent, RecordEvent, RecordRequestEvent
from palapy.schema.fields import FileField, TextField
from tests.unit.records.records_support import Api, add_collection

OPEN = {"listRule": "", "viewRule": "", "createRule": "", "updateRule": "", "deleteRule": ""}
NOTES = "/api/collections/notes/records"


@pytest.fixture
def notes(app: Palapy) -> Any:
    app.settings["batch"] = {"enabled": True, "maxRequests": 2000, "timeout": 3}
    return add_collection(
        app,
        "base",
        "notes",
        [TextField(name="title", required=True), FileField(name="doc", maxSelect=1, maxSize=1000)],
        **OPEN,
    )


def _batch(api: Api, *requests: dict[str, Any], **kwargs: Any) -> Any:
    return api.request("POST", "/api/batch", json={"requests": list(requests)}, **kwargs)


def _create(title: str) -> dict[str, Any]:
    return {"method": "POST", "url": NOTES, "body": {"title": title}}


def _count(api: Api) -> int:
    res = api.request("GET", NOTES, params={"fields": "id"})
    return int(res.json()["totalItems"])


def test_each_request_runs_inside_the_hook_chain_of_the_one_before(app: Palapy, api: Api, notes: Any) -> None:
    log: list[str] = []

    async def around(e: RecordRequestEvent) -> Any:
        title = e.request.body["title"]
        log.append(f"before {title}")
        out = await e.next()
        log.append(f"after {title}")
        return out

    app.hooks.on_record_create_request.bind(around)
    res = _batch(api, _create("a"), _create("b"), _create("c"))
    assert res.status_code == 200, res.text
    assert [r["body"]["title"] for r in res.json()] == ["a", "b", "c"]
    assert log == ["before a", "before b", "before c", "after c", "after b", "after a"]


def test_a_handler_that_stops_the_chain_still_lets_the_later_requests_run(
    app: Palapy, api: Api, notes: Any
) -> None:
    def stop_first(e: RecordRequestEvent) -> Any:
        return None if e.request.body["title"] == "a" else e.next()

    app.hooks.on_record_create_request.bind(stop_first)
    res = _batch(api, _create("a"), _create("b"))
    assert res.status_code == 200, res.text
    assert res.json()[0] == {"body": None, "status": 200}
    assert res.json()[1]["body"]["title"] == "b"
    assert _count(api) == 1


def test_a_failed_batch_leaves_no_rows_no_files_and_no_after_success_hooks(
    app: Palapy, api: Api, notes: Any
) -> None:
    fired: list[str] = []
    app.hooks.on_record_after_create_success.bind(lambda e: (fired.append("success"), e.next())[1])
    app.hooks.on_record_after_create_error.bind(lambda e: (fired.append("error"), e.next())[1])
    payload = {"requests": [_create("with file"), {"method": "POST", "url": NOTES, "body": {}}]}
    res = api.request(
        "POST",
        "/api/batch",
        files=[
            ("@jsonPayload", (None, json.dumps(payload).encode())),
            ("requests.0.doc", ("doc.txt", b"hello", "text/plain")),
        ],
    )
    assert res.status_code == 400
    assert res.json()["data"]["requests"]["1"]["response"]["data"]["title"]["code"] == "validation_required"
    assert _count(api) == 0
    stored = Path(app.data_dir) / "storage" / notes.id
    assert not stored.exists() or not any(p.is_file() for p in stored.rglob("*"))
    assert "success" not in fired


def test_after_success_hooks_fire_once_the_batch_is_committed(app: Palapy, api: Api, notes: Any) -> None:
    seen: list[int] = []

    def after(e: RecordEvent) -> Any:
        seen.append(app.db.read_sync(lambda conn: conn.execute("SELECT count(*) FROM notes").fetchone()[0]))
        return e.next()

    app.hooks.on_record_after_create_success.bind(after)
    res = _batch(api, _create("a"), _create("b"))
    assert res.status_code == 200, res.text
    # Both rows are visible to other connections when either hook runs: they ran after COMMIT.
    assert seen == [2, 2]


def test_a_batch_over_its_time_budget_fails_and_stores_nothing(app: Palapy, api: Api, notes: Any) -> None:
    app.settings["batch"]["timeout"] = 1

    async def slow(e: RecordRequestEvent) -> Any:
        if e.request.body["title"] == "slow":
            await asyncio.sleep(1.5)
        return await e.next()

    app.hooks.on_record_create_request.bind(slow)
    res = _batch(api, _create("fast"), _create("slow"))
    assert res.status_code == 400
    assert res.json() == {"status": 400, "message": "Batch transaction failed.", "data": {}}
    assert _count(api) == 0
    # The writer is free again.
    assert _batch(api, _create("after")).status_code == 200
    assert _count(api) == 1


def test_the_batch_hook_sees_the_requests_and_the_results(app: Palapy, api: Api, notes: Any) -> None:
    seen: dict[str, Any] = {}

    async def batch_hook(e: BatchRequestEvent) -> Any:
        seen["count"] = len(e.requests)
        e.requests = e.requests[:1]  # a handler may drop requests
        out = await e.next()
        seen["result"] = [r["status"] for r in e.result]
        return out

    app.hooks.on_batch_request.bind(batch_hook)
    res = _batch(api, _create("kept"), _create("dropped"))
    assert res.status_code == 200, res.text
    assert [r["body"]["title"] for r in res.json()] == ["kept"]
    assert seen == {"count": 2, "result": [200]}
    assert _count(api) == 1


def test_a_batch_of_a_thousand_requests_runs(app: Palapy, api: Api, notes: Any) -> None:
    res = _batch(api, *[_create(f"n{i}") for i in range(1000)])
    assert res.status_code == 200, res.text[:500]
    assert len(res.json()) == 1000
    assert _count(api) == 1000


def test_a_file_replaced_in_a_failed_batch_stays_and_goes_only_after_a_commit(
    app: Palapy, api: Api, notes: Any
) -> None:
    created = api.request(
        "POST", NOTES, data={"title": "has a file"}, files=[("doc", ("old.txt", b"old", "text/plain"))]
    ).json()
    folder = Path(app.data_dir) / "storage" / notes.id / created["id"]
    old = folder / created["doc"]
    assert old.read_bytes() == b"old"
    url = f"{NOTES}/{created['id']}"

    def replace(*then: dict[str, Any]) -> Any:
        payload = {"requests": [{"method": "PATCH", "url": url, "body": {}}, *then]}
        return api.request(
            "POST",
            "/api/batch",
            files=[
                ("@jsonPayload", (None, json.dumps(payload).encode())),
                ("requests.0.doc", ("new.txt", b"new", "text/plain")),
            ],
        )

    failed = replace({"method": "POST", "url": NOTES, "body": {}})  # the second request fails
    assert failed.status_code == 400
    assert old.read_bytes() == b"old"
    assert sorted(p.name for p in folder.iterdir()) == sorted([old.name, old.name + ".attrs"])
    assert not any((Path(app.data_dir) / ".pb_temp_to_delete").rglob("upload_*"))

    done = replace()
    assert done.status_code == 200, done.text
    new_name = done.json()[0]["body"]["doc"]
    assert not old.exists()
    assert (folder / new_name).read_bytes() == b"new"
