"""The query engine, differentially: every probe goes to palapy and to PocketBase 0.40.6.

Both servers are seeded identically by `tests.harness.seed_query` (fixed record ids) and
answer the same generated probes (`query_cases_read`, `query_cases_write`); statuses and
normalised bodies must be equal (see `tests.harness.differential`). Read probes share one
server of each kind; the writing probes run in their fixed order on a second pair.
Select with `-k differential` or `-m pocketbase`; a server that cannot start fails the suite.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

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


# Twelve unrelated joins of `comments` whose conditions no index can answer: 6**12 row
# combinations per article, far beyond the reader time budget (palapy only; PocketBase
# has no budget and would grind on).
RUNAWAY = (
    " && ".join(f"@collection.comments:a{i}.text ?!~ @collection.comments:a{i + 1}.author" for i in range(11))
    + " && @collection.comments:a0.rating ?> @collection.comments:a11.rating"
    + " && @collection.comments:a11.rating ?> @collection.comments:a0.rating"
)


def test_a_runaway_filter_is_cut_off_without_blocking_other_requests(
    pair: SeededPair, readers: dict[str, Target]
) -> None:
    """The reader time budget answers a pathological filter with PocketBase's 400 while
    other requests keep being served (the harness client gives up after 60 s)."""
    live, symbols = readers["live"], pair.symbols["live"]
    query = urllib.parse.urlencode({"filter": RUNAWAY, "fields": "id"}, quote_via=urllib.parse.quote)
    auth = {"Authorization": symbols["superuser_token"]}
    with ThreadPoolExecutor(max_workers=1) as pool:
        runaway = pool.submit(live.request, "GET", f"/api/collections/articles/records?{query}", auth, None)
        for _ in range(5):
            assert live.request("GET", "/api/collections/articles/records?fields=id", {}, None).status == 200
        assert not runaway.done(), "the runaway filter finished before the quick requests"
        answer = runaway.result()
    assert answer.status == 400
    assert json.loads(answer.body) == {
        "data": {},
        "message": "Something went wrong while processing your request.",
        "status": 400,
    }
