"""Seeded servers for the scenario tables: one seed per target per session, copied per use.

The seed root is built once per target (a server is started, seeded over HTTP, stopped), then
every module, and every scenario that writes, serves its own copy of that stopped root. Tokens
minted while seeding stay valid in the copies (same token keys and secrets).
A seed that fails is remembered, so every scenario of that target fails with the same cause.

Server processes are slow to start and stop compared with a scenario, so for the process
targets the next copy is started in the background while the current scenario runs, and used
servers are stopped in the background too. Every process is still ours alone, stopped by pid.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.harness import servers
from tests.harness.seed import seed
from tests.harness.targets import Target, prepare_root, start_target

__all__ = ["SeedPool"]

# Targets whose start-up is worth overlapping with the running scenario.
_PROCESS_TARGETS = frozenset({"live", "pocketbase"})
# Settings every seed copy starts with (the settings API is not a scenario's business yet).
SEED_SETTINGS = {"batch": {"enabled": True, "maxRequests": 50, "timeout": 3}}


class SeedPool:
    """Per-target seed templates under one session temp dir, and servers started from copies."""

    def __init__(self, base: Path | None = None) -> None:
        self._owned = base is None
        self.base = base or Path(tempfile.mkdtemp(prefix="palapy-scenarios-"))
        self._templates: dict[str, tuple[Path, dict[str, str]]] = {}
        self._failures: dict[str, BaseException] = {}
        self._counter = itertools.count()
        self._background = ThreadPoolExecutor(max_workers=2, thread_name_prefix="scenario-servers")
        self._warm: dict[str, Future[tuple[Path, Target]]] = {}
        self._disposals: list[Future[None]] = []

    def template(self, kind: str) -> tuple[Path, dict[str, str]]:
        """The stopped, seeded root of `kind` and its symbols (built on first use)."""
        if kind in self._failures:
            raise AssertionError(
                f"the {kind} seed failed earlier: {self._failures[kind]}"
            ) from self._failures[kind]
        if kind not in self._templates:
            root = self.base / f"seed-{kind}"
            try:
                prepare_root(kind, root)
                target = start_target(kind, root)
                try:
                    symbols = seed(target)
                finally:
                    target.close()
                servers.merge_settings(root, SEED_SETTINGS)
            except BaseException as exc:
                self._failures[kind] = exc
                raise
            self._templates[kind] = (root, symbols)
        return self._templates[kind]

    def _start_copy(self, kind: str, settings: Mapping[str, Any] | None = None) -> tuple[Path, Target]:
        template, _ = self._templates[kind]
        root = servers.copy_root(template, self.base / f"run-{kind}-{next(self._counter)}")
        if settings:
            servers.merge_settings(root, settings)
        try:
            return root, start_target(kind, root)
        except BaseException:
            shutil.rmtree(root, ignore_errors=True)
            raise

    def _take(self, kind: str, settings: Mapping[str, Any] | None = None) -> tuple[Path, Target]:
        if settings or kind not in _PROCESS_TARGETS:
            return self._start_copy(kind, settings)
        warm = self._warm.pop(kind, None)
        # A failed warm start raises here, failing the scenario that needed it.
        pair = warm.result() if warm is not None else self._start_copy(kind)
        self._warm[kind] = self._background.submit(self._start_copy, kind)
        return pair

    @staticmethod
    def _dispose_now(root: Path, target: Target) -> None:
        try:
            target.close()
        finally:
            shutil.rmtree(root, ignore_errors=True)

    def _dispose(self, kind: str, root: Path, target: Target) -> None:
        if kind in _PROCESS_TARGETS:
            self._disposals.append(self._background.submit(self._dispose_now, root, target))
        else:
            self._dispose_now(root, target)

    @contextmanager
    def server(
        self, kind: str, settings: Mapping[str, Any] | None = None
    ) -> Iterator[tuple[Target, dict[str, str]]]:
        """A server of `kind` on a fresh copy of the seed (its stored settings changed by
        `settings`); stopped and removed afterwards."""
        _, symbols = self.template(kind)
        root, target = self._take(kind, settings)
        try:
            yield target, symbols
        finally:
            self._dispose(kind, root, target)

    def close(self) -> None:
        """Stop every server still running (warm ones included) and remove the temp dir."""
        for kind, warm in list(self._warm.items()):
            try:
                root, target = warm.result()
            except BaseException:  # noqa: BLE001 - it already failed a scenario; nothing to stop
                continue
            self._dispose_now(root, target)
            del self._warm[kind]
        for disposal in self._disposals:
            disposal.result()
        self._background.shutdown(wait=True)
        if self._owned:
            shutil.rmtree(self.base, ignore_errors=True)
