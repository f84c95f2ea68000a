"""`palapy serve`: the listening socket, the banner, a taken port, and stopping by signal."""

from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from palapy.server import bind_listener

REPO_ROOT = Path(__file__).resolve().parents[2]


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


def test_bind_listener_sets_nodelay_and_no_reuseport() -> None:
    sock = bind_listener("127.0.0.1", 0)
    try:
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT) == 0
        port = sock.getsockname()[1]
        # A second listener, even one asking for SO_REUSEPORT, cannot share the port.
        other = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        with pytest.raises(OSError) as info:
            other.bind(("127.0.0.1", port))
        other.close()
        assert info.value.errno == errno.EADDRINUSE
        with pytest.raises(OSError) as info:
            bind_listener("127.0.0.1", port)
        assert info.value.errno == errno.EADDRINUSE
    finally:
        sock.close()


def test_serve_prints_the_banner_answers_refuses_a_second_server_and_stops_on_sigterm(tmp_path: Path) -> None:
    holder = bind_listener("127.0.0.1", 0)
    port = holder.getsockname()[1]
    holder.close()
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
    holder = bind_listener("127.0.0.1", 0)
    port = holder.getsockname()[1]
    holder.close()
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


def test_the_server_runs_on_uvloop_where_it_is_installed() -> None:
    import asyncio

    import uvloop

    from palapy.server import loop_factory

    factory = loop_factory()
    assert factory is uvloop.new_event_loop
    loop = factory()
    try:
        assert isinstance(loop, asyncio.AbstractEventLoop)
    finally:
        loop.close()
