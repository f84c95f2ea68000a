"""Fixtures for the API tests: a bootstrapped Palapy, and in-process clients of its RSGI app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from palapy.app import Palapy
from tests.unit.auth.auth_support import Client
from tests.unit.records.records_support import Api


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Palapy]:
    core = Palapy(tmp_path / "pb_data")
    core.bootstrap()
    yield core
    core.close()


@pytest.fixture
def api(app: Palapy) -> Api:
    """Requests with a raw token as `auth=`."""
    return Api(app)


@pytest.fixture
def client(app: Palapy) -> Iterator[Client]:
    """Requests, with login helpers for auth collections."""
    c = Client(app)
    yield c
    c.close()
