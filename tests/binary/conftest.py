"""`program`: each palapy program under test (source, and the binary when `PALAPY_BIN` is set)."""

from __future__ import annotations

import pytest

from tests.binary._programs import PROGRAMS, Program, binary_path

# The bundle check compares the binary with a source run: nothing to compare without a binary.
collect_ignore = [] if binary_path() is not None else ["test_bundle.py"]


@pytest.fixture(params=PROGRAMS, ids=[p.kind for p in PROGRAMS])
def program(request: pytest.FixtureRequest) -> Program:
    return request.param  # type: ignore[no-any-return]
