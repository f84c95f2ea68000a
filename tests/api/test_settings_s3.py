"""`POST /api/settings/test/s3` and record files on S3, palapy against real PocketBase 0.40.6
(PocketBase apis/settings_test.go, forms/test_s3_filesystem.go; pocketbase-api.md §7.2).

Every case runs on both servers with the same stored settings, against the test run's SeaweedFS
(`tests.harness.s3_server`); the `pocketbase` runs prove the expectations. The last tests hand
one bucket between the two: each serves, and deletes, what the other stored.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import socket
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import obstore
import pytest
from PIL import Image

from tests.harness import servers
from tests.harness.s3_server import STORAGE_ENV, S3Server, shared_s3_server, spare_socket

pytestmark = pytest.mark.live

KINDS = [
    pytest.param("palapy", id="palapy"),
    pytest.param("pocketbase", marks=pytest.mark.pocketbase, id="pocketbase"),
]
FAILED = "Failed to test the S3 filesystem."
RAW = FAILED + " Raw error: \n"
UNAUTHORIZED = {
    "data": {},
    "message": "The request requires valid record authorization token.",
    "status": 401,
}
LOAD_FAILED = {"data": {}, "message": "An error occurred while loading the submitted data.", "status": 400}


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


# Big enough that PocketBase makes its thumbs (it serves a 1x1 image's original instead).
PNG = _png(64, 48)


def _bucket() -> str:
    return f"api-{uuid.uuid4().hex[:20]}"


@contextlib.contextmanager
def _own_settings() -> Iterator[None]:
    """These tests store their own S3 settings: `make test-s3`'s override stays out of them."""
    saved = os.environ.pop(STORAGE_ENV, None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ[STORAGE_ENV] = saved


class Server:
    """A started server of `kind` on its own root, with a superuser client."""

    def __init__(self, kind: str, root: Path, settings: dict[str, Any] | None = None) -> None:
        self.kind = kind
        self.root = root
        # Also on another program's data dir: PocketBase cannot verify palapy's argon2id hashes.
        servers.upsert_superuser(kind, root)
        if settings:
            servers.merge_settings(root, settings)
        with _own_settings():
            self.process = servers.start_server(kind, root)
        self.client = httpx.Client(base_url=self.process.base_url, timeout=60)
        try:
            login = self.client.post(
                "/api/collections/_superusers/auth-with-password",
                json={"identity": servers.SUPERUSER_EMAIL, "password": servers.SUPERUSER_PASSWORD},
            )
            assert login.status_code == 200, login.text
        except BaseException:
            self.stop()  # nobody else holds this server yet
            raise
        self.auth = {"Authorization": login.json()["token"]}

    def stop(self) -> None:
        self.client.close()
        self.process.stop()


# -- the connection test ------------------------------------------------------------


def _working(s3: S3Server, refusing_port: int) -> dict[str, Any]:
    return {
        "s3": s3.settings("settings-test-storage"),
        "backups": {"s3": s3.settings("settings-test-backups")},
    }


def _no_bucket(s3: S3Server, refusing_port: int) -> dict[str, Any]:
    return {"s3": {**s3.settings(""), "bucket": ""}}


def _refused(s3: S3Server, refusing_port: int) -> dict[str, Any]:
    return {"s3": {**s3.settings("refused"), "endpoint": f"http://127.0.0.1:{refusing_port}"}}


def _bad_secret(s3: S3Server, refusing_port: int) -> dict[str, Any]:
    return {"s3": {**s3.settings("badsecret"), "secret": "not-the-secret"}}


STATES: dict[str, Callable[[S3Server, int], dict[str, Any]]] = {
    "disabled": lambda s3, refusing_port: {},
    "no bucket": _no_bucket,
    "refused": _refused,
    "bad secret": _bad_secret,
    "working": _working,
}


@dataclass
class Case:
    name: str
    state: str
    body: Any = None
    raw: bytes | None = None
    form: dict[str, str] | None = None
    auth: bool = True
    status: int = 400
    json: dict[str, Any] | None = None
    # For S3 errors, whose raw text is each program's own: the message's start and a fragment.
    starts: str = ""
    contains: str = ""
    within: float = 10.0


def _invalid(code: str, message: str) -> dict[str, Any]:
    return {"data": {"filesystem": {"code": code, "message": message}}, "message": FAILED, "status": 400}


def _raw(text: str) -> dict[str, Any]:
    return {"data": {}, "message": RAW + text, "status": 400}


CASES = [
    Case("A guest is refused.", "disabled", body={"filesystem": "storage"}, auth=False, status=401, json=UNAUTHORIZED),
    Case("An empty body asks for the filesystem.", "disabled", raw=b"",
         json=_invalid("validation_required", "Cannot be blank.")),
    Case("An empty object asks for the filesystem.", "disabled", body={},
         json=_invalid("validation_required", "Cannot be blank.")),
    Case("Broken JSON cannot be loaded.", "disabled", raw=b"{", json=LOAD_FAILED),
    Case("A filesystem that is not a string cannot be loaded.", "disabled", body={"filesystem": 1}, json=LOAD_FAILED),
    Case("An unknown filesystem is invalid.", "disabled", body={"filesystem": "photos"},
         json=_invalid("validation_in_invalid", "Must be a valid value.")),
    Case("Storage on local disk is not enabled.", "disabled", body={"filesystem": "storage"},
         json=_raw("S3 storage filesystem is not enabled.")),
    Case("Backups on local disk are not enabled.", "disabled", body={"filesystem": "backups"},
         json=_raw("S3 storage filesystem is not enabled.")),
    Case("A config without a bucket cannot make a filesystem.", "no bucket", body={"filesystem": "storage"},
         json=_raw("failed to initialize the S3 filesystem: s3blob.New: missing bucket name.")),
    Case("The backups config is checked on its own.", "no bucket", body={"filesystem": "backups"},
         json=_raw("S3 storage filesystem is not enabled.")),
    Case("A server that is down fails the upload at once.", "refused", body={"filesystem": "storage"},
         starts=RAW + "failed to upload a test file: ", contains="connection refused"),
    Case("A wrong secret fails the upload.", "bad secret", body={"filesystem": "storage"},
         starts=RAW + "failed to upload a test file: ", contains="SignatureDoesNotMatch"),
    Case("A working storage bucket passes.", "working", body={"filesystem": "storage"}, status=204),
    Case("A working backups bucket passes.", "working", body={"filesystem": "backups"}, status=204),
    Case("A form body is read too.", "working", form={"filesystem": "storage"}, status=204),
]  # fmt: skip


@pytest.fixture(scope="module")
def s3() -> S3Server:
    return shared_s3_server()


@dataclass
class _Servers:
    s3: S3Server
    base: Path
    started: dict[tuple[str, str], Server] = field(default_factory=dict)
    # Bound and not listening for the whole module: an endpoint that refuses connections.
    refusing: socket.socket = field(default_factory=lambda: spare_socket(listen=False))

    def get(self, kind: str, state: str) -> Server:
        if (kind, state) not in self.started:
            root = self.base / f"{kind}-{state.replace(' ', '-')}"
            settings = STATES[state](self.s3, self.refusing.getsockname()[1])
            self.started[kind, state] = Server(kind, root, settings)
        return self.started[kind, state]


@pytest.fixture(scope="module")
def started(s3: S3Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Servers]:
    pool = _Servers(s3, tmp_path_factory.mktemp("settings-s3"))
    yield pool
    for server in pool.started.values():
        server.stop()
    pool.refusing.close()


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
@pytest.mark.parametrize("kind", KINDS)
def test_s3_connection_test(kind: str, case: Case, started: _Servers, s3: S3Server) -> None:
    server = started.get(kind, case.state)
    headers = dict(server.auth) if case.auth else {}
    kwargs: dict[str, Any] = {}
    if case.raw is not None:
        kwargs["content"] = case.raw
        headers["Content-Type"] = "application/json"
    elif case.form is not None:
        kwargs["data"] = case.form
    else:
        kwargs["json"] = case.body
    start = time.monotonic()
    resp = server.client.post("/api/settings/test/s3", headers=headers, **kwargs)
    elapsed = time.monotonic() - start
    assert resp.status_code == case.status, resp.text
    assert elapsed < case.within, f"answered after {elapsed:.1f}s: {resp.text}"
    if case.status == 204:
        assert resp.content == b""
        # The test file was uploaded (the bucket exists now) and its prefix deleted again.
        filesystem = (case.body or case.form or {})["filesystem"]
        assert _keys(s3, f"settings-test-{filesystem}") == []
        return
    body = resp.json()
    if case.json is not None:
        assert body == case.json
    else:
        assert (body["status"], body["data"]) == (400, {})
        assert body["message"].startswith(case.starts), body["message"]
        assert case.contains.lower() in body["message"].lower(), body["message"]


# -- one bucket, two programs --------------------------------------------------------

FILES_COLLECTION = {
    "name": "docs",
    "type": "base",
    "listRule": "",
    "viewRule": "",
    "createRule": "",
    "fields": [
        {"name": "title", "type": "text"},
        {"name": "files", "type": "file", "maxSelect": 5, "thumbs": ["20x20"]},
    ],
}
_SERVED_HEADERS = ("content-type", "content-disposition", "content-length", "accept-ranges")


def _upload(server: Server, title: str) -> dict[str, Any]:
    resp = server.client.post(
        "/api/collections/docs/records",
        data={"title": title},
        files=[
            ("files", ("My Doc é.txt", b"hello from " + title.encode(), "text/plain")),
            ("files", ("red.png", PNG, "image/png")),
        ],
    )
    assert resp.status_code == 200, resp.text
    record: dict[str, Any] = resp.json()
    return record


def _served(
    server: Server, record: dict[str, Any], query: str = ""
) -> list[tuple[int, dict[str, str], bytes]]:
    out = []
    for name in record["files"]:
        resp = server.client.get(f"/api/files/docs/{record['id']}/{name}{query}")
        out.append((resp.status_code, {h: resp.headers.get(h, "") for h in _SERVED_HEADERS}, resp.content))
    return out


def _keys(s3: S3Server, bucket: str, prefix: str = "") -> list[str]:
    return sorted(
        m["path"] for chunk in obstore.list(s3.storage(bucket).store, prefix or None) for m in chunk
    )


@pytest.mark.pocketbase
def test_palapy_serves_and_deletes_what_pocketbase_stored(s3: S3Server, tmp_path: Path) -> None:
    bucket = _bucket()
    pocketbase = Server("pocketbase", tmp_path / "pb", {"s3": s3.settings(bucket)})
    try:
        made = pocketbase.client.post("/api/collections", headers=pocketbase.auth, json=FILES_COLLECTION)
        assert made.status_code == 200, made.text
        record = _upload(pocketbase, "pocketbase")
        expected = _served(pocketbase, record)
        expected_thumb = _served(pocketbase, record, "?thumb=20x20")[1]  # PocketBase makes the thumb
        ranged = pocketbase.client.get(
            f"/api/files/docs/{record['id']}/{record['files'][0]}", headers={"Range": "bytes=2-6"}
        )
    finally:
        pocketbase.stop()
    folder = f"{made.json()['id']}/{record['id']}"
    names = record["files"]
    assert _keys(s3, bucket) == sorted(
        [f"{folder}/{n}" for n in names] + [f"{folder}/thumbs_{names[1]}/20x20_{names[1]}"]
    )
    assert s3.storage(bucket).original_name(f"{folder}/{names[0]}") == "My Doc é.txt"

    palapy = Server("palapy", servers.copy_root(tmp_path / "pb", tmp_path / "palapy"))
    try:
        assert _served(palapy, record) == expected
        assert expected[0][1]["content-type"] == "text/plain; charset=utf-8"
        assert _served(palapy, record, "?thumb=20x20")[1] == expected_thumb
        again = palapy.client.get(
            f"/api/files/docs/{record['id']}/{names[0]}", headers={"Range": "bytes=2-6"}
        )
        assert (again.status_code, again.content, again.headers["content-range"]) == (
            ranged.status_code,
            ranged.content,
            ranged.headers["content-range"],
        )
        gone = palapy.client.delete(f"/api/collections/docs/records/{record['id']}", headers=palapy.auth)
        assert gone.status_code == 204, gone.text
        deadline = time.monotonic() + 5  # files go after the commit
        while _keys(s3, bucket, folder) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _keys(s3, bucket, folder) == []  # the files and PocketBase's thumb
    finally:
        palapy.stop()


@pytest.mark.pocketbase
def test_pocketbase_serves_what_palapy_stored(s3: S3Server, tmp_path: Path) -> None:
    bucket = _bucket()
    palapy = Server("palapy", tmp_path / "palapy", {"s3": s3.settings(bucket)})
    try:
        made = palapy.client.post("/api/collections", headers=palapy.auth, json=FILES_COLLECTION)
        assert made.status_code == 200, made.text
        record = _upload(palapy, "palapy")
        expected = _served(palapy, record)
    finally:
        palapy.stop()
    folder = f"{made.json()['id']}/{record['id']}"
    assert _keys(s3, bucket) == sorted(f"{folder}/{n}" for n in record["files"])
    assert re.fullmatch(r"my_doc_[a-z0-9]{10}\.txt", record["files"][0])

    pocketbase = Server("pocketbase", servers.copy_root(tmp_path / "palapy", tmp_path / "pb"))
    try:
        assert _served(pocketbase, record) == expected
        thumb = _served(pocketbase, record, "?thumb=20x20")[1]
        assert (thumb[0], thumb[1]["content-type"]) == (200, "image/png")
    finally:
        pocketbase.stop()
