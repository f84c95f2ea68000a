"""`palapy serve`: the banner, a taken port, and stopping by signal."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env() -> dict[str, str]:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def _serve(tmp_path: Path, port: int, name: str = "pb_data") -> subprocess.Popen[str]:
    cmd = [
        sys.executable,
        "-m",
        "palapy",
        "serve",
        "--http",
        f"127.0.0.1:{port}",
        "--dir",
        str(tmp_path / name),
    ]
    return subprocess.Popen(
        cmd, cwd=tmp_path, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _wait_healthy(proc: subprocess.Popen[str], port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.05)
    proc.kill()
    pytest.fail(f"palapy did not answer on {port}: {proc.communicate()}")


def test_serve_prints_the_banner_answers_refuses_a_second_server_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = _free_port()
    proc = _serve(tmp_path, port)
    try:
        _wait_healthy(proc, port)
        second = _serve(tmp_path, port, "other_data")
        out, err = second.communicate(timeout=60)
        assert second.returncode == 1
        assert err.strip() == (
            f"Error: 127.0.0.1:{port} is already in use; stop the other server or pass --http with another port."
        )
        # The first server still answers: the refused one did not take over its port.
        resp = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=5)
        assert resp.json()["message"] == "API is healthy."
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    assert out.splitlines()[:3] == [
        f"Server started at http://127.0.0.1:{port}",
        f"├─ REST API:  http://127.0.0.1:{port}/api/",
        f"└─ Dashboard: http://127.0.0.1:{port}/_/",
    ]


def test_serve_stops_on_sigint_with_a_request_still_open(tmp_path: Path) -> None:
    port = _free_port()
    proc = _serve(tmp_path, port)
    try:
        _wait_healthy(proc, port)
        # A request whose body never finishes arriving must not keep the server alive.
        client = socket.create_connection(("127.0.0.1", port))
        client.sendall(b"POST /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")
        time.sleep(0.2)
        started = time.monotonic()
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=20)
        assert time.monotonic() - started < 15
        client.close()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
