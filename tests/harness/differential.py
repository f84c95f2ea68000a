"""Differential requests: the same request to palapy and to real PocketBase, answers compared.

A `Probe` is one request (method, url, query params, JSON body, who sends it). Both servers
hold the fixture of `seed_query` (identical record ids), so the answers compare after
`normalise` masks only what must differ: tokens, autodate values, the superuser's id and ids
of records created during the run (numbered by first appearance, so equal shapes compare
equal). `unordered` compares list items as a multiset (e.g. `@random`).

`SeededPair` builds the seed once per server kind, then serves copies of the stopped seed.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.harness import servers
from tests.harness.scenario import substitute
from tests.harness.seed_query import FIXED_IDS, seed_query
from tests.harness.targets import Response, Target, prepare_root, start_target

__all__ = ["Probe", "SeededPair", "normalise", "compare", "run_probe", "scenario_slug", "KINDS"]

KINDS = ("live", "pocketbase")
_AUTH_TOKENS = {
    "superuser": "superuser_token",
    "user1": "user1_token",
    "user2": "user2_token",
    "user3": "user3_token",
}
_JWT = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z$")
_ID = re.compile(r"^[a-z0-9]{15}$")
_AUTODATE_KEYS = frozenset({"created", "updated"})
_KNOWN_IDS = frozenset(FIXED_IDS.values())


@dataclass(frozen=True)
class Probe:
    """One request sent to both servers; `name` is a sentence (the pytest id)."""

    name: str
    url: str
    params: tuple[tuple[str, str], ...] = ()
    auth: str = "guest"
    method: str = "GET"
    body: Any = None
    headers: tuple[tuple[str, str], ...] = ()
    unordered: bool = False


def scenario_slug(probe: Probe) -> str:
    """A readable pytest id from the probe's sentence, made unique by a short hash of it
    (filters that differ only in punctuation slug alike)."""
    slug = re.sub(r"[^a-z0-9]+", "_", probe.name.lower()).strip("_")[:100]
    return f"{slug}_{hashlib.sha1(probe.name.encode()).hexdigest()[:6]}"


def build_request(probe: Probe, symbols: dict[str, str]) -> tuple[str, str, dict[str, str], bytes | None]:
    """Method, url with query, headers and body, with `{symbol}`s substituted."""
    url = substitute(probe.url, symbols)
    if probe.params:
        query = urllib.parse.urlencode(substitute(list(probe.params), symbols), quote_via=urllib.parse.quote)
        url += ("&" if "?" in url else "?") + query
    headers = dict(substitute(list(probe.headers), symbols))
    if probe.auth != "guest":
        headers["Authorization"] = symbols[_AUTH_TOKENS[probe.auth]]
    content = None
    if probe.body is not None:
        content = json.dumps(substitute(probe.body, symbols)).encode()
        headers["Content-Type"] = "application/json"
    return probe.method, url, headers, content


class _Masker:
    def __init__(self, symbols: dict[str, str]) -> None:
        # The superuser's id is the only seeded id that differs between servers.
        self.names = {symbols["su"]: "<su>"}
        self.fresh: dict[str, str] = {}

    def value(self, value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: self.value(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v, key) for v in value]
        if not isinstance(value, str):
            return value
        if value in self.names:
            return self.names[value]
        if key in _AUTODATE_KEYS and _DATE.match(value):
            return "<date>"
        if _JWT.match(value) and value.count(".") == 2 and len(value) > 40:
            return "<jwt>"
        if _ID.match(value) and value not in _KNOWN_IDS and key in ("id", "", "record", *_REL_KEYS):
            return self.fresh.setdefault(value, f"<new{len(self.fresh) + 1}>")
        return value


# Keys whose values are record ids of the fixture's relation fields.
_REL_KEYS = ("author", "editors", "owner", "members", "article", "likes", "comment", "by", "user", "team")


def normalise(response: Response, symbols: dict[str, str], unordered: bool = False) -> tuple[int, Any]:
    """(status, masked JSON body) of one answer; an empty body is None, a non-JSON body its text."""
    body: Any
    if not response.body:
        body = None
    else:
        try:
            body = response.json()
        except ValueError:
            body = response.text
    body = _Masker(symbols).value(body)
    if unordered and isinstance(body, dict) and isinstance(body.get("items"), list):
        body["items"] = sorted(body["items"], key=lambda item: json.dumps(item, sort_keys=True))
    return response.status, body


def compare(probe: Probe, palapy: tuple[int, Any], pocketbase: tuple[int, Any]) -> str | None:
    """None when both answers agree, else a readable report."""
    if palapy == pocketbase:
        return None

    def dump(value: tuple[int, Any]) -> str:
        text = json.dumps(value[1], sort_keys=True, ensure_ascii=False)
        return f"{value[0]} {text[:3000]}"

    return (
        f"[{probe.name}] {probe.method} {probe.url} {dict(probe.params)} auth={probe.auth}\n"
        f"  palapy:     {dump(palapy)}\n"
        f"  pocketbase: {dump(pocketbase)}"
    )


@dataclass
class SeededPair:
    """A seeded root per server kind (built in parallel) and servers on copies of it."""

    base: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="palapy-qdiff-")))
    symbols: dict[str, dict[str, str]] = field(default_factory=dict)
    _running: list[Target] = field(default_factory=list)
    _counter: int = 0

    def _seed(self, kind: str) -> tuple[str, dict[str, str]]:
        root = self.base / f"seed-{kind}"
        prepare_root(kind, root)
        target = start_target(kind, root)
        try:
            return kind, seed_query(target)
        finally:
            target.close()

    def build(self) -> None:
        """Seed both kinds (raises on the first failure: the suite fails, never skips)."""
        with ThreadPoolExecutor(max_workers=len(KINDS)) as pool:
            for kind, symbols in pool.map(self._seed, KINDS):
                self.symbols[kind] = symbols

    def start(self) -> dict[str, Target]:
        """One server of each kind, each on its own copy of the seed, started in parallel."""

        def one(kind: str) -> tuple[str, Target]:
            self._counter += 1
            root = servers.copy_root(self.base / f"seed-{kind}", self.base / f"run-{kind}-{self._counter}")
            return kind, start_target(kind, root)

        with ThreadPoolExecutor(max_workers=len(KINDS)) as pool:
            started = dict(pool.map(one, KINDS))
        self._running.extend(started.values())
        return started

    def close(self) -> None:
        """Stop every server this pair started (by pid) and remove the temp dir."""
        for target in self._running:
            target.close()
        self._running.clear()
        shutil.rmtree(self.base, ignore_errors=True)


def run_probe(probe: Probe, targets: dict[str, Target], symbols: dict[str, dict[str, str]]) -> str | None:
    """Send `probe` to both servers; None when they agree, else the report."""
    answers: dict[str, tuple[int, Any]] = {}
    for kind in KINDS:
        method, url, headers, content = build_request(probe, symbols[kind])
        answers[kind] = normalise(
            targets[kind].request(method, url, headers, content), symbols[kind], probe.unordered
        )
    return compare(probe, answers["live"], answers["pocketbase"])
