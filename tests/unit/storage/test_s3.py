"""The S3 driver beyond the shared contract (test_storage_contract.py): PocketBase's object
layout, failing fast on servers that are down or hang, streaming uploads, the app choosing S3,
and a failed upload leaving no record. Runs against a real SeaweedFS (tests.harness.s3_server).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import obstore
import pytest

from palapy.app import Palapy
from palapy.core.settings import save_settings
from palapy.storage.local import LocalStorage
from palapy.storage.s3 import (
    S3Config,
    S3Limits,
    S3Storage,
    S3StorageError,
    escape_metadata,
    unescape_metadata,
)
from tests.harness import s3_server, servers
from tests.harness.s3_server import PORTS, S3Server, shared_s3_server, spare_socket, start_s3_server
from tests.harness.targets import InProcessTarget, prepare_root

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c63f8cfc0f01f0005000201a5b3a1c80000000049454e44ae426082"
)


@pytest.fixture(scope="module")
def s3() -> S3Server:
    return shared_s3_server()


def _bucket() -> str:
    return f"unit-{uuid.uuid4().hex[:20]}"


# -- PocketBase's layout -------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        # Go's url.PathEscape: letters, digits, -_.~ and $&+:=@ stay; the rest is %XX of UTF-8.
        ("doc.txt", "doc.txt"),
        ("My File é.txt", "My%20File%20%C3%A9.txt"),
        ("a+b=c@d:e$f&g~h_i-j.k", "a+b=c@d:e$f&g~h_i-j.k"),
        ("a/b;c,d?e#f%g", "a%2Fb%3Bc%2Cd%3Fe%23f%25g"),
        ("Ünïcødé 漢字", "%C3%9Cn%C3%AFc%C3%B8d%C3%A9%20%E6%BC%A2%E5%AD%97"),
    ],
)
def test_metadata_is_escaped_as_go_path_escape(raw: str, escaped: str) -> None:
    assert escape_metadata(raw.encode()) == escaped
    assert unescape_metadata(escaped) == raw


def test_objects_carry_pocketbases_content_type_and_original_name(s3: S3Server) -> None:
    storage = s3.storage(_bucket())
    storage.save("c/r/my_file_abc.txt", b"hello", original_name="My File é.txt")
    head = obstore.get(storage.store, "c/r/my_file_abc.txt", options={"head": True})
    assert head.attributes["Content-Type"] == "text/plain; charset=utf-8"
    assert head.attributes["original-filename"] == "My%20File%20%C3%A9.txt"
    # PocketBase keeps 255 bytes of the name, even when that cuts a character in two.
    storage.save("c/r/long.txt", b"x", original_name="é" * 200)
    long = obstore.get(storage.store, "c/r/long.txt", options={"head": True})
    assert long.attributes["original-filename"] == "%C3%A9" * 127 + "%C3"


def test_objects_written_pocketbase_style_are_read(s3: S3Server) -> None:
    storage = s3.storage(_bucket())
    attrs = {"Content-Type": "image/png", "original-filename": "red%20dot.png"}
    obstore.put(storage.store, "pbc_1/rec1/red_dot_k3j4h5g6f7.png", PNG, attributes=attrs)
    assert storage.attributes("pbc_1/rec1/red_dot_k3j4h5g6f7.png").content_type == "image/png"
    assert storage.original_name("pbc_1/rec1/red_dot_k3j4h5g6f7.png") == "red dot.png"
    assert storage.open("pbc_1/rec1/red_dot_k3j4h5g6f7.png") == PNG


@pytest.mark.parametrize(
    ("endpoint", "path_style", "url", "plain"),
    [
        ("http://127.0.0.1:9000/", True, "http://127.0.0.1:9000", True),
        ("https://s3.example.com", False, "https://bkt.s3.example.com", False),
        ("s3.example.com", False, "https://bkt.s3.example.com", False),  # no scheme: https
        ("s3.example.com", True, "https://s3.example.com", False),
    ],
)
def test_urls_are_built_as_pocketbase_builds_them(
    endpoint: str, path_style: bool, url: str, plain: bool
) -> None:
    config = S3Config(bucket="bkt", region="r", endpoint=endpoint, force_path_style=path_style)
    assert config.base_url() == (url, plain)


def test_settings_section_is_read_as_pocketbase_stores_it() -> None:
    section = {
        "enabled": True,
        "bucket": "b",
        "region": "eu-1",
        "endpoint": "http://x",
        "accessKey": "AK",
        "secret": "SK",
        "forcePathStyle": True,
    }
    assert S3Config.from_settings(section) == S3Config("b", "eu-1", "http://x", "AK", "SK", True)


@pytest.mark.parametrize(
    ("config", "problem"),
    [
        (S3Config(region="r", endpoint="http://x"), "s3blob.New: missing bucket name"),
        (S3Config(bucket="b", region="r"), "s3blob.New: missing endpoint"),
        (S3Config(bucket="b", endpoint="http://x"), "s3blob.New: missing region"),
    ],
)
def test_an_unusable_config_fails_every_operation_saying_why(config: S3Config, problem: str) -> None:
    assert config.problem() == problem
    storage = S3Storage(config)
    for operation in (
        lambda: storage.save("c/r/a.txt", b"x"),
        lambda: storage.open("c/r/a.txt"),
        lambda: storage.exists("c/r/a.txt"),
        lambda: storage.attributes("c/r/a.txt"),
        lambda: storage.delete_prefix("c/r"),
        lambda: storage.open_reader("c/r/a.txt").read(1),
    ):
        with pytest.raises(S3StorageError, match=problem):
            operation()


# -- servers that are down or hang ---------------------------------------------------


def test_a_stopped_server_fails_fast_and_clearly() -> None:
    server = start_s3_server()
    storage = server.storage(_bucket())  # the default limits, as the app uses them
    try:
        storage.save("c/r/a.txt", b"before")
        assert storage.open("c/r/a.txt") == b"before"
    finally:
        server.stop()
    for name, operation in [
        ("save", lambda: storage.save("c/r/b.txt", b"x")),
        ("open", lambda: storage.open("c/r/a.txt")),
        ("exists", lambda: storage.exists("c/r/a.txt")),
        ("attributes", lambda: storage.attributes("c/r/a.txt")),
        ("delete", lambda: storage.delete("c/r/a.txt")),
        ("read", lambda: storage.open_reader("c/r/a.txt").read(1)),
    ]:
        start = time.monotonic()
        with pytest.raises(S3StorageError) as caught:
            operation()
        elapsed = time.monotonic() - start
        # No hang: refused at once and retried briefly (bounds loose for a loaded CI box).
        assert elapsed < 8.0, f"{name} took {elapsed:.1f}s"
        message = str(caught.value)
        assert "Connection refused" in message and server.endpoint in message, message
        assert isinstance(caught.value, OSError)  # callers' `except OSError` handlers apply


class _SilentServer:
    """Accepts TCP connections on a spare port and never answers (or, with `stall_after`,
    answers a GET with its headers and a few body bytes, then stalls)."""

    def __init__(self, stall_after: bytes | None = None) -> None:
        self.stall_after = stall_after
        self.sock = spare_socket(listen=True)
        self.port: int = self.sock.getsockname()[1]
        self.conns: list[socket.socket] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)
            if self.stall_after is not None:
                conn.recv(65536)
                head = b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nLast-Modified: Sat, 01 Jan 2000 00:00:00 GMT\r\n"
                conn.sendall(head + b'ETag: "x"\r\nContent-Type: text/plain\r\n\r\n' + self.stall_after)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self.sock.close()
        for conn in self.conns:
            conn.close()


@pytest.fixture
def silent() -> Iterator[_SilentServer]:
    server = _SilentServer()
    yield server
    server.close()


def _storage_at(endpoint: str, limits: S3Limits | None = None) -> S3Storage:
    config = S3Config("bkt", "us-east-1", endpoint, access_key="k", secret="s", force_path_style=True)
    return S3Storage(config, limits)


def test_a_server_that_never_answers_times_out(silent: _SilentServer) -> None:
    limits = S3Limits(connect=1.0, read=1.0, retries=2, retry_window=1.5)
    storage = _storage_at(silent.endpoint, limits)
    for name, operation in [
        ("save", lambda: storage.save("c/r/a.txt", b"x")),
        ("attributes", lambda: storage.attributes("c/r/a.txt")),
        ("read", lambda: storage.open_reader("c/r/a.txt").read(1)),
    ]:
        start = time.monotonic()
        with pytest.raises(S3StorageError, match="timed out"):
            operation()
        elapsed = time.monotonic() - start
        # One read timeout, a retry that starts inside the window, no more: about two timeouts.
        assert 0.9 < elapsed < 8.0, f"{name} took {elapsed:.1f}s"


def test_the_default_limits_end_a_hanging_request(silent: _SilentServer) -> None:
    storage = _storage_at(silent.endpoint)
    defaults = S3Limits()
    start = time.monotonic()
    with pytest.raises(S3StorageError, match="timed out"):
        storage.attributes("c/r/a.txt")
    assert time.monotonic() - start < defaults.read + defaults.retry_window + 2


def test_a_download_that_stalls_midway_ends_with_an_error() -> None:
    server = _SilentServer(stall_after=b"0123456789")
    try:
        storage = _storage_at(server.endpoint, S3Limits(connect=1.0, read=1.0, retries=0, retry_window=1.0))
        start = time.monotonic()
        reader = storage.open_reader("c/r/a.txt")
        with pytest.raises(S3StorageError, match="timed out"):
            reader.read(100)
        # The stall, then one fresh GET from where it stopped (which stalls too), no more.
        assert time.monotonic() - start < 8.0
        assert len(server.conns) == 2
    finally:
        server.close()


def test_a_reader_left_idle_past_the_read_timeout_resumes(s3: S3Server) -> None:
    # A slow client pauses a download longer than the read timeout: the stream is picked up again.
    storage = s3.storage(_bucket(), S3Limits(read=1.0))
    data = os.urandom(3 << 20)
    storage.save("c/r/slow.bin", data)
    with storage.open_reader("c/r/slow.bin") as reader:
        head = reader.read(100_000)
        time.sleep(1.5)
        assert head + reader.read() == data


# -- uploads stream ------------------------------------------------------------------

_RSS_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from palapy.storage.s3 import S3Config, S3Storage

    def hwm() -> int:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
        raise SystemExit("no VmHWM")

    storage = S3Storage(S3Config.from_settings(json.loads(sys.argv[1])))
    storage.save("warm/up.txt", b"x")
    before = hwm()
    storage.save_file("c/r/big.bin", Path(sys.argv[2]), content_type="application/octet-stream")
    print(json.dumps({"before": before, "after": hwm()}))
    """
)


def test_save_file_uploads_without_holding_the_file_in_memory(s3: S3Server, tmp_path: Path) -> None:
    source = tmp_path / "big.bin"
    block = os.urandom(1 << 20)
    with open(source, "wb") as f:
        for _ in range(96):
            f.write(block)
    bucket = _bucket()
    out = subprocess.run(
        [sys.executable, "-c", _RSS_SCRIPT, json.dumps(s3.settings(bucket)), str(source)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=servers.REPO_ROOT,
    )
    assert out.returncode == 0, out.stderr
    peak = json.loads(out.stdout)
    grown = peak["after"] - peak["before"]
    assert grown < 48 << 20, f"peak RSS grew by {grown >> 20} MiB for a 96 MiB upload"
    assert s3.storage(bucket).attributes("c/r/big.bin").size == 96 << 20


# -- the application -----------------------------------------------------------------


def test_the_app_stores_files_where_the_settings_say(s3: S3Server, tmp_path: Path) -> None:
    data_dir = tmp_path / "pb_data"
    app = Palapy(data_dir)
    app.bootstrap()
    try:
        assert isinstance(app.storage, LocalStorage)
        bucket = _bucket()
        settings = {**app.settings, "s3": s3.settings(bucket)}
        app.db.write_sync(lambda conn: save_settings(conn, settings))
    finally:
        app.close()
    app = Palapy(data_dir)
    app.bootstrap()
    try:
        assert isinstance(app.storage, S3Storage)
        assert app.storage.config == S3Config.from_settings(s3.settings(bucket))
        app.storage.save("c/r/a.txt", b"in the bucket")
        assert s3.storage(bucket).open("c/r/a.txt") == b"in the bucket"
        assert not (data_dir / "storage" / "c").exists()
    finally:
        app.close()


class _Api:
    """palapy in this process (the in-process target) with a superuser token."""

    def __init__(self, root: Path) -> None:
        self.collection_id = ""
        self.target = InProcessTarget(root)
        token = self.call("POST", "/api/collections/_superusers/auth-with-password", json={
            "identity": servers.SUPERUSER_EMAIL, "password": servers.SUPERUSER_PASSWORD,
        }).json()["token"]  # fmt: skip
        self.auth = {"Authorization": token}

    def call(self, method: str, url: str, **kwargs: object) -> httpx.Response:
        request = httpx.Request(method, "http://x" + url, **kwargs)
        headers = {k: v for k, v in request.headers.items() if k.lower() in ("content-type", "authorization")}
        resp = self.target.request(method, url, headers, request.read() or None)
        return httpx.Response(resp.status, headers=resp.headers, content=resp.body)


def _api_with_files(tmp_path: Path, s3_settings: dict[str, object]) -> _Api:
    root = tmp_path / "root"
    prepare_root("inprocess", root)
    servers.merge_settings(root, {"s3": s3_settings})
    api = _Api(root)
    made = api.call("POST", "/api/collections", headers=api.auth, json={
        "name": "docs", "type": "base", "createRule": "", "listRule": "",
        "fields": [{"name": "title", "type": "text", "required": True},
                   {"name": "file", "type": "file", "maxSelect": 2}],
    })  # fmt: skip
    if made.status_code != 200:
        api.target.close()
        raise AssertionError(made.text)
    api.collection_id = made.json()["id"]
    return api


def test_an_upload_the_server_refuses_leaves_no_record(tmp_path: Path) -> None:
    refusing = spare_socket(listen=False)  # bound, not listening: connections are refused
    dead = f"http://127.0.0.1:{refusing.getsockname()[1]}"
    settings = {"enabled": True, "bucket": "bkt", "region": "us-east-1", "endpoint": dead,
                "accessKey": "k", "secret": "s", "forcePathStyle": True}  # fmt: skip
    api = _api_with_files(tmp_path, settings)
    try:
        start = time.monotonic()
        resp = api.call("POST", "/api/collections/docs/records", data={"title": "t"},
                        files={"file": ("a.txt", b"hello", "text/plain")})  # fmt: skip
        assert time.monotonic() - start < 3.0
        assert resp.status_code == 400, resp.text
        assert resp.json() == {"data": {}, "message": "Failed to create record.", "status": 400}
        listed = api.call("GET", "/api/collections/docs/records").json()
        assert listed["totalItems"] == 0
    finally:
        api.target.close()
        refusing.close()


def test_a_record_that_fails_after_its_upload_leaves_no_object(s3: S3Server, tmp_path: Path) -> None:
    bucket = _bucket()
    api = _api_with_files(tmp_path, s3.settings(bucket))
    try:

        def fail_after_the_write(event: Any) -> Any:
            event.next()  # the uploads are stored and the row written; then the write fails
            if event.record.get("title") == "doomed":
                raise RuntimeError("a hook refused the record")

        api.target.core.hooks.on_record_create_execute.bind(fail_after_the_write, id="fail_after_the_write")
        resp = api.call("POST", "/api/collections/docs/records", data={"title": "doomed"},
                        files=[("file", ("a.txt", b"one", "text/plain")), ("file", ("b.txt", b"two", "text/plain"))])  # fmt: skip
        assert resp.status_code == 400, resp.text
        ok = api.call("POST", "/api/collections/docs/records", data={"title": "kept"},
                      files={"file": ("c.txt", b"kept", "text/plain")})  # fmt: skip
        assert ok.status_code == 200, ok.text
        record = ok.json()
        stored = [m["path"] for chunk in obstore.list(s3.storage(bucket).store) for m in chunk]
        assert stored == [f"{api.collection_id}/{record['id']}/{record['file'][0]}"]
        assert api.call("GET", "/api/collections/docs/records").json()["totalItems"] == 1
        got = api.call("GET", f"/api/files/docs/{record['id']}/{record['file'][0]}")
        assert (got.status_code, got.content) == (200, b"kept")
        assert got.headers["content-type"] == "text/plain; charset=utf-8"
    finally:
        api.target.close()


# -- the harness ---------------------------------------------------------------------


def _listening_ports(pid: int) -> set[tuple[str, int]]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        target = os.readlink(fd) if fd.is_symlink() else ""
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = set()
    for table in ("tcp", "tcp6"):
        for line in Path(f"/proc/{pid}/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # LISTEN
                address, port = fields[1].rsplit(":", 1)
                host = (
                    ".".join(str(int(address[i : i + 2], 16)) for i in (6, 4, 2, 0))
                    if table == "tcp"
                    else address
                )
                found.add((host, int(port, 16)))
    return found


def test_seaweedfs_listens_on_loopback_ports_of_its_range_only(s3: S3Server) -> None:
    listening = _listening_ports(s3.proc.pid)
    assert len(listening) == 10, listening
    assert all(host == "127.0.0.1" and port in PORTS for host, port in listening), listening


def test_a_missing_weed_binary_is_an_error_not_a_skip(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("WEED_BIN", "")
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(s3_server, "_REPO_ROOT", tmp_path)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    with pytest.raises(s3_server.S3ServerError, match="make install-dev"):
        s3_server.start_s3_server()
