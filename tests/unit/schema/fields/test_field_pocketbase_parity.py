"""Proof of the field tables: replay every case against the real PocketBase 0.40.6 binary.

A PocketBase server is started on 127.0.0.1 (a free port) in a temporary folder, one collection
per table field is created, and each case is sent as a record create; the answer for that field
(the returned value, or its validation error) must be the table's. The settings table is
replayed as collection creates. The server is stopped by its own pid.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import apsw
import httpx
import pytest

from tests.harness.servers import SUPERUSER_EMAIL, SUPERUSER_PASSWORD, start_server, upsert_superuser
from tests.unit.schema.fields.field_cases import (
    CASES,
    FIELDS,
    SETTINGS_CASES,
    TARGET,
    TARGET_IDS,
    VIEW,
    Err,
    Ok,
    case_id,
)
from tests.unit.schema.fields.field_support import as_json, field_from_spec

pytestmark = [pytest.mark.live, pytest.mark.pocketbase]


class PocketBase:
    def __init__(self, client: httpx.Client, data_dir: Path) -> None:
        self.client = client
        self.data_dir = data_dir
        self.ids: dict[str, str] = {}

    def create_collection(self, body: dict[str, Any]) -> httpx.Response:
        return self.client.post("/api/collections", content=json.dumps(body))

    def resolve(self, spec: dict[str, Any]) -> dict[str, Any]:
        data = dict(spec)
        if data.get("collectionId") == TARGET:
            data["collectionId"] = self.ids["target"]
        elif data.get("collectionId") == VIEW:
            data["collectionId"] = self.ids["view"]
        return data


@pytest.fixture(scope="module")
def pocketbase(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PocketBase]:
    root: Path = tmp_path_factory.mktemp("pb_fields")
    upsert_superuser("pocketbase", root)
    server = start_server("pocketbase", root)
    try:
        with httpx.Client(
            base_url=server.base_url, timeout=30, headers={"Content-Type": "application/json"}
        ) as client:
            auth = client.post(
                "/api/collections/_superusers/auth-with-password",
                content=json.dumps({"identity": SUPERUSER_EMAIL, "password": SUPERUSER_PASSWORD}),
            )
            client.headers["Authorization"] = auth.json()["token"]
            pb = PocketBase(client, server.data_dir)
            target = pb.create_collection({"name": "target", "fields": [{"name": "t", "type": "text"}]})
            pb.ids["target"] = target.json()["id"]
            for rid in TARGET_IDS:
                assert (
                    client.post(
                        "/api/collections/target/records", content=json.dumps({"id": rid})
                    ).status_code
                    == 200
                )
            view = pb.create_collection(
                {"name": "target_view", "type": "view", "viewQuery": "SELECT id FROM target"}
            )
            pb.ids["view"] = view.json()["id"]
            for name, spec in FIELDS.items():
                created = pb.create_collection(
                    {"name": f"f_{name}", "fields": [{"name": name, **pb.resolve(spec)}]}
                )
                assert created.status_code == 200, created.text
            yield pb
    finally:
        server.stop()


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_pocketbase_answers_like_the_table(case: tuple[str, Any, Ok | Err], pocketbase: PocketBase) -> None:
    name, raw, expected = case
    resp = pocketbase.client.post(f"/api/collections/f_{name}/records", content=json.dumps({name: raw}))
    body = resp.json()
    if isinstance(expected, Err):
        assert resp.status_code == 400, body
        assert body["data"].get(name) == expected.as_dict()
    else:
        assert resp.status_code == 200, body
        if expected.value is not None or FIELDS[name]["type"] != "password":
            assert as_json(body[name]) == as_json(expected.value)


def _label(case: tuple[dict[str, Any], dict[str, Any]]) -> str:
    spec = dict(case[0])
    return f"{spec.pop('type')}:{str(spec)[:60]}"


@pytest.mark.parametrize("case", SETTINGS_CASES, ids=_label)
def test_pocketbase_settings_errors_are_the_table(case: Any, pocketbase: PocketBase) -> None:
    spec, expected = case
    body = {"name": f"s_{abs(hash(json.dumps(spec)))}", "fields": [pocketbase.resolve(spec)]}
    resp = pocketbase.create_collection(body)
    if not expected:
        assert resp.status_code == 200, resp.text
        pocketbase.client.delete(f"/api/collections/{resp.json()['id']}")
        return
    assert resp.status_code == 400, resp.text
    assert resp.json()["data"]["fields"]["1"] == expected


def test_rows_written_by_pocketbase_load_and_store_back_the_same(pocketbase: PocketBase) -> None:
    """Every record the cases created: `from_db(row value)` is what the API returned, and
    `to_db` of it is the stored value again (json compared decoded: PocketBase keeps raw text)."""
    if not pocketbase.client.get("/api/collections/f_txt/records").json()["items"]:
        for name, raw, expected in CASES:
            if isinstance(expected, Ok):
                pocketbase.client.post(f"/api/collections/f_{name}/records", content=json.dumps({name: raw}))
    conn = apsw.Connection(str(pocketbase.data_dir / "data.db"), flags=apsw.SQLITE_OPEN_READONLY)
    checked = 0
    try:
        for name, spec in FIELDS.items():
            field = field_from_spec(name, spec)
            items = pocketbase.client.get(f"/api/collections/f_{name}/records?perPage=500").json()["items"]
            rows = {r[0]: r[1] for r in conn.execute(f"SELECT id, `{name}` FROM `f_{name}`")}
            for item in items:
                raw = rows[item["id"]]
                loaded = field.from_db(raw)
                if field.type == "password":
                    assert loaded == raw and (raw == "" or raw.startswith("$2a$"))
                    continue
                assert as_json(loaded) == as_json(item[name]), (name, raw)
                stored = field.to_db(loaded)
                if field.type == "json":
                    # PocketBase may keep `null` as text or as NULL; both load as null.
                    assert as_json(field.from_db(stored)) == as_json(loaded)
                else:
                    assert stored == raw, (name, raw, stored)
                checked += 1
    finally:
        conn.close()
    assert checked > 200
