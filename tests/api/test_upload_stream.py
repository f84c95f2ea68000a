"""Uploads stream to disk on a live palapy: a 100 MB file costs no 100 MB of memory, and an
upload that fails, is refused or is cut off by its client leaves no file anywhere.

Live only: the memory figure and the broken connection need a real server process.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.harness import servers

pytestmark = pytest.mark.live

BOUNDARY = "streamBoundary"
MiB = 1 << 20
BIG = 100 * MiB
CHUNK = b"\x00\x01palapy streams uploads\n" * 2048  # ~52 KiB, not text: sniffed as octet-stream


def _vm_hwm_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise AssertionError("no VmHWM in /proc status")


def _files_under(directory: Path) -> list[Path]:
    return [Path(d) / f for d, _, names in os.walk(directory) for f in names] if directory.exists() else []


class Server:
    def __init__(self, root: Path) -> None:
        servers.upsert_superuser("palapy", root)
        self.process = servers.start_server("palapy", root)
        self.client = httpx.Client(base_url=self.process.base_url, timeout=120)
        token = self.client.post(
            "/api/collections/_superusers/auth-with-password",
            json={"identity": servers.SUPERUSER_EMAIL, "password": servers.SUPERUSER_PASSWORD},
        ).json()["token"]
        self.client.headers["Authorization"] = token
        created = self.client.post(
            "/api/collections",
            json={
                "name": "big",
                "type": "base",
                "createRule": "",
                "updateRule": "",
                "fields": [
                    {"name": "title", "type": "text", "max": 5},
                    {"name": "blob", "type": "file", "maxSelect": 1, "maxSize": 200 * MiB},
                ],
            },
        )
        assert created.status_code == 200, created.text
        self.collection_id = created.json()["id"]

    @property
    def data_dir(self) -> Path:
        return self.process.data_dir

    def leftovers(self) -> list[Path]:
        """Files in the upload spool and in the collection's storage folder."""
        return _files_under(self.data_dir / ".pb_temp_to_delete") + _files_under(
            self.data_dir / "storage" / self.collection_id
        )

    def close(self) -> None:
        self.client.close()
        self.process.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(tmp_path_factory.mktemp("upload-stream"))
    yield srv
    srv.close()


def _multipart(title: str, size: int) -> tuple[int, Iterator[bytes]]:
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\n{title}\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="blob"; filename="big.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()

    def parts() -> Iterator[bytes]:
        yield head
        left = size
        while left > 0:
            piece = CHUNK[: min(left, len(CHUNK))]
            left -= len(piece)
            yield piece
        yield tail

    return len(head) + size + len(tail), parts()


def _post(server: Server, title: str, size: int) -> httpx.Response:
    length, parts = _multipart(title, size)
    return server.client.post(
        "/api/collections/big/records",
        content=parts,
        headers={"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", "Content-Length": str(length)},
    )


def test_a_100_mb_upload_is_stored_without_holding_it_in_memory(server: Server) -> None:
    before = _vm_hwm_kib(server.process.proc.pid)
    resp = _post(server, "big", BIG)
    assert resp.status_code == 200, resp.text
    record = resp.json()
    stored = server.data_dir / "storage" / server.collection_id / record["id"] / record["blob"]
    assert stored.stat().st_size == BIG
    attrs = json.loads(stored.with_name(stored.name + ".attrs").read_text())
    assert attrs["user.content_type"] == "application/octet-stream"
    assert attrs["user.metadata"] == {"original-filename": "big.bin"}
    digest = hashlib.md5()
    with stored.open("rb") as f:
        while block := f.read(MiB):
            digest.update(block)
    assert attrs["md5"] == base64.b64encode(digest.digest()).decode()  # taken while spooling
    grown_mib = (_vm_hwm_kib(server.process.proc.pid) - before) / 1024
    # Buffers and the parser's chunks only: far below the file's 100 MiB.
    assert grown_mib < 30, f"peak RSS grew by {grown_mib:.1f} MiB for a 100 MiB upload"
    downloaded = server.client.get(
        f"/api/files/big/{record['id']}/{record['blob']}", headers={"Range": "bytes=0-9"}
    )
    assert downloaded.status_code == 206 and downloaded.content == CHUNK[:10]
    assert list((server.data_dir / ".pb_temp_to_delete" / "uploads").iterdir()) == []


def test_a_refused_upload_leaves_no_file(server: Server) -> None:
    before = server.leftovers()
    resp = _post(server, "too long for max 5", 3 * MiB)
    assert resp.status_code == 400
    assert resp.json()["data"]["title"]["code"] == "validation_max_text_constraint"
    assert server.leftovers() == before


def test_a_client_gone_mid_upload_leaves_no_file(server: Server) -> None:
    before = server.leftovers()
    length, parts = _multipart("gone", 20 * MiB)
    request = (
        f"POST /api/collections/big/records HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\nContent-Length: {length}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", server.process.port)) as sock:
        sock.sendall(request)
        sent = 0
        for piece in parts:
            sock.sendall(piece)
            sent += len(piece)
            if sent > 5 * MiB:
                break  # and hang up with most of the body unsent
    deadline = time.monotonic() + 10
    while server.leftovers() != before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert server.leftovers() == before
    assert server.client.get("/api/health").status_code == 200
