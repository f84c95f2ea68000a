"""The query engine, differentially: every probe goes to palapy and to PocketBase 0.40.6.

Both servers are seeded identically by `tests.harness.seed_query` (fixed record ids) and
answer the same generated probes (`query_cases_read`, `query_cases_write`); statuses and
normalised bodies must be equal (see `tests.harness.differential`). Read probes share one
server of each kind; the writing probes run in their fixed order on a second pair.
Select with `-k differential` or `-m pocketbase`; a server that cannot start fails the suite.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.api.query_cases_read import read_probes
from tests.api.query_cases_write import write_probes
from tests.harness.differential import Probe, SeededPair, run_probe, scenario_slug
from tests.harness.targets import Target

pytestmark = [pytest.mark.live, pytest.mark.pocketbase]

READ = read_probes()
WRITE = write_probes()


@pytest.fixture(scope="module")
def pair() -> Iterator[SeededPair]:
    seeded = SeededPair()
    try:
        seeded.build()
        yield seeded
    finally:
        seeded.close()


@pytest.fixture(scope="module")
def readers(pair: SeededPair) -> dict[str, Target]:
    return pair.start()


@pytest.fixture(scope="module")
def writers(pair: SeededPair) -> dict[str, Target]:
    return pair.start()


def test_the_tables_are_large_and_unique() -> None:
    """At least 300 probes, and no two share a name (their pytest ids)."""
    names = [scenario_slug(p) for p in (*READ, *WRITE)]
    assert len(names) >= 300
    assert len(set(names)) == len(names), sorted({n for n in names if names.count(n) > 1})


@pytest.mark.parametrize("probe", READ, ids=[scenario_slug(p) for p in READ])
def test_read(probe: Probe, pair: SeededPair, readers: dict[str, Target]) -> None:
    report = run_probe(probe, readers, pair.symbols)
    assert report is None, report


@pytest.mark.parametrize("probe", WRITE, ids=[scenario_slug(p) for p in WRITE])
def test_write(probe: Probe, pair: SeededPair, writers: dict[str, Target]) -> None:
    report = run_probe(probe, writers, pair.symbols)
    assert report is None, report
