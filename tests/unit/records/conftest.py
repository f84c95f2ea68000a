"""Fixtures for the records tests: a bootstrapped Palapy, collections made from code, tokens."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from palapy.app import Palapy
from palapy.schema.fields import Field
from palapy.schema.model import Collection
from tests.unit.records.records_support import Api, add_collection


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Palapy]:
    core = Palapy(tmp_path / "pb_data")
    core.bootstrap()
    yield core
    core.close()


@pytest.fixture
def make_collection(app: Palapy) -> Callable[..., Collection]:
    def make(kind: str, name: str, fields: list[Field] | None = None, **attrs: Any) -> Collection:
        return add_collection(app, kind, name, fields, **attrs)

    return make


@pytest.fixture
def api(app: Palapy) -> Api:
    return Api(app)
