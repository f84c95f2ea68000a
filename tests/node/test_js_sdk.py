"""The official PocketBase JS SDK (`pocketbase` npm) drives a live server through `node --test`.

Each parameter starts its own server in a fresh temp dir on a free loopback port, creates the
superuser with `<server> superuser upsert`, runs every `*.test.mjs` in this folder with the
server's URL in the environment, and stops the server by pid. The `pocketbase` parameter runs
the same files against the reference binary, proving the expectations themselves are right.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.harness.servers import (
    SUPERUSER_EMAIL,
    SUPERUSER_PASSWORD,
    ServerError,
    ServerProcess,
    merge_settings,
    start_server,
    upsert_superuser,
)

pytestmark = pytest.mark.live

NODE_DIR = Path(__file__).resolve().parent
NODE_TIMEOUT = 300


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed; the JS SDK tests need Node.js >= 20 (apt-get install nodejs npm)")
    return node


def _ensure_node_modules() -> None:
    """Install the pinned SDK from package-lock.json when `make node-deps` has not run yet."""
    if (NODE_DIR / "node_modules" / "pocketbase" / "package.json").is_file():
        return
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is not installed; run `make node-deps` on a machine with Node.js and npm")
    out = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund"], cwd=NODE_DIR, capture_output=True, text=True, timeout=300
    )
    if out.returncode != 0:
        pytest.fail(f"npm ci failed in {NODE_DIR}:\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}")


@pytest.fixture(params=["palapy", "pocketbase"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServerProcess]:
    """A fresh server of the given kind with the harness superuser, stopped by pid afterwards."""
    kind: str = request.param
    root = tmp_path / kind
    root.mkdir()
    try:
        upsert_superuser(kind, root)
        merge_settings(root, {"batch": {"enabled": True, "maxRequests": 50, "timeout": 3}})
        proc = start_server(kind, root)
    except ServerError as exc:
        pytest.fail(str(exc))
    try:
        yield proc
    finally:
        proc.stop()


def test_js_sdk_suite(server: ServerProcess) -> None:
    """Every `*.test.mjs` passes against the server (node's own report is shown on failure)."""
    node = _node()
    _ensure_node_modules()
    files = sorted(p.name for p in NODE_DIR.glob("*.test.mjs"))
    assert files, f"no *.test.mjs files in {NODE_DIR}"
    env = dict(os.environ)
    env.update(
        PB_URL=server.base_url,
        PB_SUPERUSER_EMAIL=SUPERUSER_EMAIL,
        PB_SUPERUSER_PASSWORD=SUPERUSER_PASSWORD,
        NODE_NO_WARNINGS="1",
    )
    try:
        out = subprocess.run(
            [node, "--test", "--test-reporter=spec", *files],
            cwd=NODE_DIR,
            env=env,
            capture_output=True,
            text=True,
            timeout=NODE_TIMEOUT,
        )
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"node --test did not finish within {NODE_TIMEOUT}s against {server.kind}: {exc}")
    if out.returncode != 0:
        pytest.fail(
            f"node --test failed against {server.kind} (rc={out.returncode}):\n"
            f"{out.stdout[-12000:]}\n{out.stderr[-4000:]}\n--- server log ---\n{server.log_tail()}"
        )
