"""Realtime scenario table rows: subscribers, the steps that make things happen, and the events
each subscriber must receive.

A `RealtimeScenario` opens one realtime stream per subscriber label, then runs its steps in
order: `Subscribe` (a `POST /api/realtime` for a subscriber, with an auth), a plain `Scenario`
(any request, checked as in the request tables), and `Expect`, which waits until the streams
are quiet and compares what each subscriber received since the previous `Expect` (every
subscriber not named must have received nothing). Events are compared by name (the
subscription string, symbols substituted) and by a `match` of their JSON data; between two
`Expect`s their order is free, since PocketBase sends each from its own goroutine.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tests.harness.scenario import ABSENT, Scenario, _run_one, match, substitute
from tests.harness.sse import EventStream, SseEvent
from tests.harness.targets import Target

__all__ = ["RealtimeScenario", "Subscribe", "Expect", "run_realtime_scenario"]

_AUTH_TOKENS = {"superuser": "superuser_token", "user1": "user1_token", "user2": "user2_token"}
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
QUIET = 0.3  # seconds without a new event before the streams count as settled
SETTLE_LIMIT = 6.0


@dataclass(frozen=True)
class Subscribe:
    """`POST /api/realtime` for subscriber `who`, carrying `auth`'s token ("guest": none)."""

    who: str
    subscriptions: Sequence[str]
    auth: str = "guest"
    status: int = 204
    json: Any = ABSENT
    client_id: str | None = None  # send this id instead of the subscriber's own


@dataclass(frozen=True)
class Expect:
    """The events each named subscriber received since the previous `Expect`: (name, data)."""

    events: Mapping[str, Sequence[tuple[str, Any]]] = field(default_factory=dict)


@dataclass
class RealtimeScenario:
    name: str
    subscribers: Sequence[str]
    steps: Sequence[Subscribe | Scenario | Expect]
    settings: Mapping[str, Any] | None = None

    def needs_fresh_server(self, cheap: bool = False) -> bool:
        return bool(self.settings) or any(
            isinstance(s, Scenario) and s.method.upper() not in _SAFE for s in self.steps
        )


def _auth_headers(auth: str, symbols: Mapping[str, str]) -> dict[str, str]:
    if auth == "guest":
        return {}
    if auth not in _AUTH_TOKENS:
        raise AssertionError(f"unknown auth name {auth!r}")
    return {"Authorization": symbols[_AUTH_TOKENS[auth]]}


def _settle(target: Target, streams: Mapping[str, EventStream]) -> None:
    """Until no stream has received anything for QUIET seconds (at most SETTLE_LIMIT)."""
    started = time.monotonic()
    last_change = started
    seen = sum(len(s.snapshot()) for s in streams.values())
    while time.monotonic() - last_change < QUIET and time.monotonic() - started < SETTLE_LIMIT:
        target.pause(0.05)
        now = sum(len(s.snapshot()) for s in streams.values())
        if now != seen:
            seen, last_change = now, time.monotonic()


def _connect(target: Target, labels: Sequence[str]) -> tuple[dict[str, EventStream], dict[str, str]]:
    streams = {label: target.open_events({}) for label in labels}
    ids: dict[str, str] = {}
    deadline = time.monotonic() + 10
    while len(ids) < len(labels) and time.monotonic() < deadline:
        target.pause(0.02)
        for label, stream in streams.items():
            events = stream.snapshot()
            if label not in ids and events:
                first = events[0]
                assert first.event == "PB_CONNECT", f"{label}: the first event is {first!r}"
                data = json.loads(first.data)
                assert data == {"clientId": first.id}, (
                    f"{label}: PB_CONNECT data {data!r} and id {first.id!r}"
                )
                assert len(first.id) == 40 and first.id.isalnum(), f"{label}: client id {first.id!r}"
                ids[label] = first.id
    missing = sorted(set(labels) - set(ids))
    assert not missing, f"no PB_CONNECT for {missing}"
    return streams, ids


def _subscribe(target: Target, step: Subscribe, ids: Mapping[str, str], symbols: Mapping[str, str]) -> None:
    body = {
        "clientId": step.client_id if step.client_id is not None else ids[step.who],
        "subscriptions": substitute(list(step.subscriptions), symbols),
    }
    headers = {"Content-Type": "application/json", **_auth_headers(step.auth, symbols)}
    resp = target.request("POST", "/api/realtime", headers, json.dumps(body).encode())
    where = f"[subscribe {step.who} as {step.auth}] -> {resp.status}\n{resp.text}"
    assert resp.status == step.status, f"status {resp.status}, expected {step.status}\n{where}"
    if step.json is not ABSENT:
        errors = match(substitute(step.json, symbols), resp.json())
        assert not errors, "\n".join(errors) + "\n" + where


def _pair(
    label: str, got: list[SseEvent], wanted: list[tuple[str, Any]], client_id: str, symbols: Mapping[str, str]
) -> list[str]:
    """Match received events to expected ones: same name, data matching; events of one name
    may come in any order (PocketBase sends each from its own goroutine)."""
    shown = [f"{e.event} {e.data}" for e in got]
    if len(got) != len(wanted):
        return [f"{label}: expected {len(wanted)} events, got {len(got)}: {shown}"]
    errors = [f"{label}: event id {e.id!r} is not the client id" for e in got if e.id != client_id]
    left = list(got)
    for name, data in wanted:
        name = substitute(name, symbols)
        pattern = substitute(data, symbols)
        candidates = [e for e in left if e.event == name]
        if not candidates:
            errors.append(f"{label}: no event {name!r} among {shown}")
            continue
        problems: list[str] = []
        for event in candidates:
            problems = match(pattern, json.loads(event.data))
            if not problems:
                left.remove(event)
                break
        else:
            errors += [f"{label} {name}: {p}" for p in problems] + [f"{label}: received {shown}"]
    return errors


def _check_events(
    step: Expect,
    streams: Mapping[str, EventStream],
    ids: Mapping[str, str],
    consumed: dict[str, int],
    symbols: Mapping[str, str],
) -> None:
    errors: list[str] = []
    unknown = set(step.events) - set(streams)
    assert not unknown, f"Expect names unknown subscribers {sorted(unknown)}"
    for label, stream in streams.items():
        events = stream.snapshot()
        new = events[consumed[label] :]
        consumed[label] = len(events)
        errors += _pair(label, new, list(step.events.get(label, ())), ids[label], symbols)
    assert not errors, "\n".join(errors)


def run_realtime_scenario(
    target: Target, scenario: RealtimeScenario, seed_symbols: Mapping[str, str]
) -> None:
    """Connect the subscribers, run the steps, compare the events; raise AssertionError on a mismatch."""
    symbols = dict(seed_symbols)
    streams, ids = _connect(target, scenario.subscribers)
    for label, client_id in ids.items():
        symbols[f"{label}_client"] = client_id
    consumed = {label: 1 for label in streams}  # PB_CONNECT is checked by _connect
    try:
        for step in scenario.steps:
            if isinstance(step, Subscribe):
                _subscribe(target, step, ids, symbols)
            elif isinstance(step, Expect):
                _settle(target, streams)
                try:
                    _check_events(step, streams, ids, consumed, symbols)
                except AssertionError as exc:
                    raise AssertionError(f"[{scenario.name}] {exc}") from None
            else:
                _run_one(target, step, symbols, check_hooks=False)
    finally:
        for stream in streams.values():
            stream.close()
