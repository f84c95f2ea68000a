"""`serve` end to end on each program: the dependencies freezing can lose (see _exercise), stopping."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.binary._exercise import exercise, log_in
from tests.binary._programs import Program
from tests.harness.servers import ServerProcess, start_server, upsert_superuser


@pytest.fixture
def harness_env(program: Program, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The harness starts `program` as "palapy"; a one-file binary unpacks under tmp_path/tmp."""
    if program.frozen:
        monkeypatch.setenv("PALAPY_BIN", program.argv[0])
    else:
        monkeypatch.delenv("PALAPY_BIN", raising=False)
    (tmp_path / "tmp").mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))


@pytest.fixture
def server(harness_env: None, tmp_path: Path) -> Iterator[ServerProcess]:
    """A fresh server of `program` with the harness superuser, stopped by pid."""
    root = tmp_path / "root"
    upsert_superuser("palapy", root)
    proc = start_server("palapy", root)
    try:
        yield proc
    finally:
        proc.stop()


def test_records_files_filters_patterns_and_auth_work(server: ServerProcess) -> None:
    exercise(server.base_url, server.data_dir)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "sigint"])
def test_a_signal_stops_the_server_cleanly(
    program: Program, server: ServerProcess, tmp_path: Path, sig: signal.Signals
) -> None:
    """Exit code 0 within the stop timeout, and a one-file binary removes what it unpacked."""
    assert httpx.get(f"{server.base_url}/api/health").status_code == 200
    if program.frozen:
        assert list((tmp_path / "tmp").glob("_MEI*")), "the one-file binary unpacks under TMPDIR"
    server.proc.send_signal(sig)
    assert server.proc.wait(timeout=10) == 0, server.log_tail()
    assert list((tmp_path / "tmp").glob("_MEI*")) == []
    assert "Traceback" not in server.log_tail()


def test_a_pb_data_made_by_the_reference_binary_is_served(harness_env: None, tmp_path: Path) -> None:
    """PocketBase 0.40.6 makes the dir and a record; palapy serves both without a migration error."""
    root = tmp_path / "shared"
    upsert_superuser("pocketbase", root)
    reference = start_server("pocketbase", root)
    try:
        with httpx.Client(base_url=reference.base_url, timeout=30.0) as client:
            log_in(client)
            fields = [{"name": "title", "type": "text", "required": True}]
            resp = client.post("/api/collections", json={"name": "notes", "type": "base", "fields": fields})
            assert resp.status_code == 200, resp.text
            note = client.post("/api/collections/notes/records", json={"title": "from PocketBase"}).json()
    finally:
        reference.stop()
    server = start_server("palapy", root)
    try:
        with httpx.Client(base_url=server.base_url, timeout=30.0) as client:
            log_in(client)
            listed = client.get("/api/collections/notes/records").json()
    finally:
        server.stop()
    assert [(r["id"], r["title"]) for r in listed["items"]] == [(note["id"], "from PocketBase")]
