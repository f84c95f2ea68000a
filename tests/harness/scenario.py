"""A scenario table row (`Scenario`) and the code that runs one against a target.

A scenario is one HTTP request and what must come back. Symbols such as `{post1}`, `{u1}`,
`{posts_id}` or `{user1_token}` in the url, params, headers, body and expectations are replaced
with the seed's values (or values captured by an earlier step). Tokens are never pasted: `auth`
names a login minted at seed time ("superuser", "user1", "user2"; "guest" sends none).

Expectations: `status`; `contains` / `not_contains` substrings of the raw body; `json`, a subset
match of the decoded body (see `match`); `expect_headers`; `hooks`, hook-fire counts checked only
where hooks are observable (in process), `{"*": 0}` meaning no other hook fired.
`setup` steps run before the request and `then` steps after it, on the same server, each with
its own expectations; `capture` stores response values as new symbols for later steps.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.parse
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tests.harness.targets import Response, Target

__all__ = [
    "Scenario",
    "File",
    "ANY",
    "ABSENT",
    "Re",
    "Jwt",
    "DATE",
    "ID",
    "JWT",
    "match",
    "run_scenario",
    "substitute",
    "scenario_id",
]

_SYMBOL = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_AUTH_TOKENS = {"superuser": "superuser_token", "user1": "user1_token", "user2": "user2_token"}


class _Any:
    def __repr__(self) -> str:
        return "ANY"


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ANY: Any = _Any()
"""Matches any value (the key must still be present)."""
ABSENT: Any = _Absent()
"""As a dict value in `json`: the key must not be present."""


@dataclass(frozen=True)
class Re:
    """A string value that must fully match `pattern` (after symbol substitution)."""

    pattern: str


@dataclass(frozen=True)
class Jwt:
    """A string that is a JWT whose header and payload contain `claims` (a `match` subset)."""

    claims: Mapping[str, Any]
    header: Mapping[str, Any] = field(default_factory=lambda: {"alg": "HS256", "typ": "JWT"})


def _b64json(part: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


# PocketBase's datetime and id shapes, used in expectations.
DATE = Re(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}Z")
ID = Re(r"[a-z0-9]{15}")
JWT = Re(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


@dataclass(frozen=True)
class File:
    """A file part of a multipart body."""

    filename: str
    content: bytes
    content_type: str = "application/octet-stream"


@dataclass
class Scenario:
    """One request and its expected answer; see the module docstring."""

    name: str
    method: str = "GET"
    url: str = "/"
    params: Sequence[tuple[str, str]] | Mapping[str, str] = ()
    body: Any = None
    multipart: Sequence[tuple[str, str | File]] | None = None
    urlencoded: Sequence[tuple[str, str]] | None = None
    raw: bytes | Callable[[], bytes] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    auth: str = "guest"
    status: int = 200
    contains: Sequence[str] = ()
    not_contains: Sequence[str] = ()
    json: Any = ABSENT
    expect_headers: Mapping[str, str | None] = field(default_factory=dict)
    hooks: Mapping[str, int] | None = None
    setup: Sequence[Scenario] = ()
    then: Sequence[Scenario] = ()
    capture: Mapping[str, str] = field(default_factory=dict)
    fresh: bool | None = None
    # Stored settings laid over the seed's before the server starts (a fresh server then).
    settings: Mapping[str, Any] | None = None

    def needs_fresh_server(self, cheap: bool = False) -> bool:
        """Whether to run on a fresh copy of the seed rather than the module's shared server.

        Writes get a fresh copy; `fresh=True` forces one. `fresh=False` marks a write that must
        not change anything (a refused request) so it may share the server; where a fresh server
        is `cheap` (in process) writes still get one, so a wrongly accepted write cannot leak
        into the following scenarios.
        """
        if self.settings:
            return True
        methods = {self.method.upper()} | {s.method.upper() for s in (*self.setup, *self.then)}
        writes = not methods <= _SAFE_METHODS
        if self.fresh is None:
            return writes
        return self.fresh or (cheap and writes)


def scenario_id(scenario: Scenario) -> str:
    """A readable pytest id from the scenario's sentence."""
    slug = re.sub(r"[^a-z0-9]+", "_", scenario.name.lower()).strip("_")
    return slug[:120]


def substitute(value: Any, symbols: Mapping[str, str]) -> Any:
    """Replace `{name}` symbols in every string inside `value` (dict keys included)."""
    if isinstance(value, str):

        def repl(m: re.Match[str]) -> str:
            if m.group(1) not in symbols:
                if m.group(1).isupper():  # PocketBase template placeholders such as {APP_NAME}
                    return m.group(0)
                raise AssertionError(f"unknown symbol {{{m.group(1)}}} in {value!r}")
            return symbols[m.group(1)]

        return _SYMBOL.sub(repl, value)
    if isinstance(value, Re):
        return Re(substitute(value.pattern, symbols))
    if isinstance(value, Jwt):
        return Jwt(substitute(dict(value.claims), symbols), dict(value.header))
    if isinstance(value, dict):
        return {substitute(k, symbols): substitute(v, symbols) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(substitute(v, symbols) for v in value)
    if isinstance(value, File):
        return value
    return value


def match(expected: Any, actual: Any, path: str = "$") -> list[str]:
    """Subset match: dict keys in `expected` must match (ABSENT: must be missing); lists match
    element by element with equal length; `ANY` matches anything; `Re` fully matches a string;
    bools only match bools and numbers compare by value. Returns the mismatches."""
    if expected is ANY:
        return []
    if isinstance(expected, Re):
        if isinstance(actual, str) and re.fullmatch(expected.pattern, actual):
            return []
        return [f"{path}: {actual!r} does not match /{expected.pattern}/"]
    if isinstance(expected, Jwt):
        parts = actual.split(".") if isinstance(actual, str) else []
        if len(parts) != 3:
            return [f"{path}: {actual!r} is not a JWT"]
        try:
            header, payload = _b64json(parts[0]), _b64json(parts[1])
        except ValueError as exc:
            return [f"{path}: undecodable JWT ({exc})"]
        return match(dict(expected.header), header, f"{path}<header>") + match(
            dict(expected.claims), payload, f"{path}<payload>"
        )
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{path}: expected an object, got {actual!r}"]
        errors: list[str] = []
        for key, want in expected.items():
            if want is ABSENT:
                if key in actual:
                    errors.append(f"{path}.{key}: must be absent, got {actual[key]!r}")
            elif key not in actual:
                errors.append(f"{path}.{key}: missing (keys: {sorted(actual)})")
            else:
                errors += match(want, actual[key], f"{path}.{key}")
        return errors
    if isinstance(expected, list | tuple):
        if not isinstance(actual, list):
            return [f"{path}: expected an array, got {actual!r}"]
        if len(expected) != len(actual):
            return [f"{path}: expected {len(expected)} items, got {len(actual)}: {actual!r}"]
        errors = []
        for i, (want, got) in enumerate(zip(expected, actual, strict=True)):
            errors += match(want, got, f"{path}[{i}]")
        return errors
    if isinstance(expected, bool) or isinstance(actual, bool):
        ok = isinstance(expected, bool) and isinstance(actual, bool) and expected == actual
    elif isinstance(expected, int | float) and isinstance(actual, int | float):
        ok = expected == actual
    else:
        ok = type(expected) is type(actual) and expected == actual
    return [] if ok else [f"{path}: expected {expected!r}, got {actual!r}"]


def _multipart(parts: Sequence[tuple[str, str | File]]) -> tuple[bytes, str]:
    boundary = "scenario" + uuid.uuid4().hex
    out = bytearray()
    for name, value in parts:
        out += f"--{boundary}\r\n".encode()
        if isinstance(value, File):
            out += (
                f'Content-Disposition: form-data; name="{name}"; filename="{value.filename}"\r\n'
                f"Content-Type: {value.content_type}\r\n\r\n"
            ).encode()
            out += value.content
        else:
            out += f'Content-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            out += value.encode()
        out += b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


def _build(s: Scenario, symbols: Mapping[str, str]) -> tuple[str, str, dict[str, str], bytes | None]:
    url = substitute(s.url, symbols)
    params = list(s.params.items()) if isinstance(s.params, Mapping) else list(s.params)
    if params:
        query = urllib.parse.urlencode(substitute(params, symbols), quote_via=urllib.parse.quote)
        url += ("&" if "?" in url else "?") + query
    headers: dict[str, str] = {}
    if s.auth != "guest":
        if s.auth not in _AUTH_TOKENS:
            raise AssertionError(
                f"unknown auth name {s.auth!r}; use one of {sorted(_AUTH_TOKENS)} or 'guest'"
            )
        headers["Authorization"] = symbols[_AUTH_TOKENS[s.auth]]
    content: bytes | None = None
    if s.body is not None:
        content = json.dumps(substitute(s.body, symbols)).encode()
        headers["Content-Type"] = "application/json"
    elif s.multipart is not None:
        content, headers["Content-Type"] = _multipart(substitute(list(s.multipart), symbols))
    elif s.urlencoded is not None:
        content = urllib.parse.urlencode(substitute(list(s.urlencoded), symbols)).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif s.raw is not None:
        content = s.raw() if callable(s.raw) else s.raw
    headers.update(substitute(dict(s.headers), symbols))
    return s.method.upper(), url, headers, content


def _describe(s: Scenario, method: str, url: str, resp: Response) -> str:
    text = resp.text
    if len(text) > 3000:
        text = text[:3000] + f"... ({len(resp.body)} bytes)"
    return f"[{s.name}] {method} {url} (auth={s.auth}) -> {resp.status}\n{text}"


def _check_hooks(s: Scenario, counts: Mapping[str, int]) -> list[str]:
    assert s.hooks is not None
    errors = []
    for name, want in s.hooks.items():
        if name == "*":
            continue
        if name not in counts:
            errors.append(f"hook {name} is not in palapy's hook catalog")
        elif counts[name] != want:
            errors.append(f"hook {name} fired {counts[name]} times, expected {want}")
    if "*" in s.hooks:
        extra = {k: v for k, v in counts.items() if v and k not in s.hooks}
        if extra:
            errors.append(f"unexpected hooks fired: {extra}")
    return errors


def _dig(data: Any, path: str) -> Any:
    for part in path.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


def _run_one(target: Target, s: Scenario, symbols: dict[str, str], check_hooks: bool) -> None:
    method, url, headers, content = _build(s, symbols)
    if check_hooks:
        target.reset_hook_counts()
    resp = target.request(method, url, headers, content)
    where = _describe(s, method, url, resp)
    assert resp.status == s.status, f"status {resp.status}, expected {s.status}\n{where}"
    errors: list[str] = []
    if s.json is not ABSENT:
        try:
            decoded = resp.json()
        except ValueError:
            errors.append("the body is not JSON")
        else:
            errors += match(substitute(s.json, symbols), decoded)
    for needle in substitute(list(s.contains), symbols):
        if needle not in resp.text:
            errors.append(f"body lacks {needle!r}")
    for needle in substitute(list(s.not_contains), symbols):
        if needle in resp.text:
            errors.append(f"body must not contain {needle!r}")
    for name, want in s.expect_headers.items():
        got = resp.headers.get(name)
        if want is None:
            if got is not None:
                errors.append(f"header {name} must be absent, got {got!r}")
        elif got != substitute(want, symbols):
            errors.append(f"header {name}: expected {want!r}, got {got!r}")
    if check_hooks and s.hooks is not None:
        counts = target.hook_counts()
        if counts is not None:
            errors += _check_hooks(s, counts)
    assert not errors, "\n".join(errors) + "\n" + where
    for symbol, path in s.capture.items():
        try:
            symbols[symbol] = str(_dig(resp.json(), path))
        except (KeyError, IndexError, ValueError, TypeError) as exc:
            raise AssertionError(f"cannot capture {symbol} from {path}: {exc!r}\n{where}") from exc


def run_scenario(target: Target, scenario: Scenario, seed_symbols: Mapping[str, str]) -> None:
    """Run the setup steps, the request and the follow-up steps; raise AssertionError on a mismatch."""
    symbols = dict(seed_symbols)
    for step in scenario.setup:
        _run_one(target, step, symbols, check_hooks=False)
    _run_one(target, scenario, symbols, check_hooks=True)
    for step in scenario.then:
        _run_one(target, step, symbols, check_hooks=False)
