"""A bootstrapped Palapy in a temp dir, an in-process client of the auth routes, and SQL helpers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from palapy.app import Palapy
from tests.unit.auth.auth_support import Client


@pytest.fixture
def client(app: Palapy) -> Iterator[Client]:
    c = Client(app)
    yield c
    c.close()


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Palapy]:
    core = Palapy(tmp_path / "pb_data")
    core.bootstrap()
    yield core
    core.close()
