"""Shared pytest wiring: the scenario tables and their targets.

A test module with a `SCENARIOS` list and a test taking `scenario` and `play` runs each scenario
against every target: `inprocess` (palapy's ASGI app), `live` (a `palapy serve` process, or the
frozen binary with `PALAPY_BIN`) and `pocketbase` (the real 0.40.6 binary, which proves the table).
Select with `-k pocketbase`, `-m "not live"` (in process only) or `-m pocketbase`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# The harness is imported as `tests.harness` whatever pytest's import mode and entry point are.
_ROOT = Path(__file__).resolve().parents[1]
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from tests.harness.pool import SeedPool  # noqa: E402
from tests.harness.realtime import RealtimeScenario, run_realtime_scenario  # noqa: E402
from tests.harness.scenario import Scenario, run_scenario, scenario_id  # noqa: E402
from tests.harness.targets import TARGETS, Target  # noqa: E402

_TARGET_MARKS: dict[str, list[Any]] = {
    "inprocess": [pytest.mark.inprocess],
    "live": [pytest.mark.live],
    "pocketbase": [pytest.mark.live, pytest.mark.pocketbase],
}
_SENTENCE = re.compile(r"^[A-Z].* .*[.!?]$")


def _validate_table(module: Any, scenarios: list[Scenario]) -> list[str]:
    ids = [scenario_id(s) for s in scenarios]
    problems = [
        f"scenario name is not a full sentence: {s.name!r}" for s in scenarios if not _SENTENCE.match(s.name)
    ]
    problems += [f"duplicate scenario id {i!r}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    # `-k pocketbase` (or live/inprocess) must select a target, so names may not contain them.
    problems += [f"scenario id {i!r} contains a target name" for i in ids if any(t in i for t in TARGETS)]
    if problems:
        raise pytest.UsageError(f"{module.__name__}: " + "; ".join(problems))
    return ids


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    # Only scenario tables: a test asking for both `scenario` and `play`.
    if not {"scenario", "play"} <= set(metafunc.fixturenames):
        return
    scenarios = list(getattr(metafunc.module, "SCENARIOS", []))
    if not scenarios:
        raise pytest.UsageError(f"{metafunc.module.__name__} plays scenarios but has no SCENARIOS table")
    ids = _validate_table(metafunc.module, scenarios)
    metafunc.parametrize(
        "target_kind", [pytest.param(k, marks=_TARGET_MARKS[k], id=k) for k in TARGETS], scope="module"
    )
    metafunc.parametrize("scenario", scenarios, ids=ids)


@pytest.fixture(scope="session")
def seed_pool() -> Iterator[SeedPool]:
    pool = SeedPool()
    yield pool
    pool.close()


class _SharedServer:
    """The module's read-only server, started on first use so a start failure fails the test."""

    def __init__(self, pool: SeedPool, kind: str) -> None:
        self.pool = pool
        self.kind = kind
        self._cm: Any = None
        self._value: tuple[Target, dict[str, str]] | None = None
        self._error: BaseException | None = None

    def get(self) -> tuple[Target, dict[str, str]]:
        if self._error is not None:
            raise AssertionError(
                f"the shared {self.kind} server could not be seeded or started: {self._error}"
            )
        if self._value is None:
            try:
                self._cm = self.pool.server(self.kind)
                self._value = self._cm.__enter__()
            except BaseException as exc:
                self._error = exc
                raise
        return self._value

    def close(self) -> None:
        if self._cm is not None and self._value is not None:
            self._cm.__exit__(None, None, None)


@pytest.fixture(scope="module")
def shared_server(seed_pool: SeedPool, target_kind: str) -> Iterator[_SharedServer]:
    holder = _SharedServer(seed_pool, target_kind)
    yield holder
    holder.close()


@pytest.fixture
def play(
    seed_pool: SeedPool, shared_server: _SharedServer, target_kind: str
) -> Callable[[Scenario | RealtimeScenario], None]:
    """Run a scenario: writes on a fresh copy of the seed, reads on the module's shared server."""

    def run_on(target: Target, symbols: dict[str, str], scenario: Scenario | RealtimeScenario) -> None:
        if isinstance(scenario, RealtimeScenario):
            run_realtime_scenario(target, scenario, symbols)
        else:
            run_scenario(target, scenario, symbols)

    def run(scenario: Scenario | RealtimeScenario) -> None:
        if scenario.needs_fresh_server(cheap=target_kind == "inprocess"):
            with seed_pool.server(target_kind, scenario.settings) as (target, symbols):
                run_on(target, symbols, scenario)
        else:
            target, symbols = shared_server.get()
            run_on(target, symbols, scenario)

    return run
