"""The RSGI front answers exactly as the ASGI stack does: same status, headers and body.

Each request goes once through `create_rsgi` (hot reads served from RSGI, the rest carried over
to ASGI by `serve_asgi`) with a stand-in for Granian's RSGI objects, and once straight to the
Litestar app behind `DefaultHeaders`; the answers are compared.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from palapy.app import Palapy
from palapy.http.app import create_app, create_rsgi
from palapy.http.hot import HotReads
from palapy.http.middleware import DefaultHeaders
from palapy.http.rsgi import RsgiFront, asgi_scope
from tests.unit.http.test_fast import _JSON, _call, _json, _masked, _seed, core  # noqa: F401 - fixture

Answer = tuple[int, list[tuple[bytes, bytes]], bytes]


class _Headers:
    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._pairs = pairs

    def items(self) -> list[tuple[str, str]]:
        return list(self._pairs)


class _Scope:
    proto = "http"
    http_version = "1.1"
    scheme = "http"
    client = "127.0.0.1:50000"
    server = "127.0.0.1:8090"
    authority = None

    def __init__(self, method: str, path: str, query: str, headers: list[tuple[str, str]]) -> None:
        self.method = method
        self.path = path
        self.query_string = query
        self.headers = _Headers(headers)


class _Stream:
    def __init__(self, out: dict[str, Any]) -> None:
        self.out = out

    async def send_bytes(self, data: bytes) -> None:
        self.out["body"] += data


class _Proto:
    """Granian's RSGI HTTP protocol object, as far as palapy uses it."""

    def __init__(self, body: bytes, chunk: int) -> None:
        self.chunks = [body[i : i + chunk] for i in range(0, len(body), chunk)] if body else []
        self.out: dict[str, Any] = {"body": b"", "answers": 0}

    async def __call__(self) -> bytes:
        return b"".join(self.chunks)

    async def _iterate(self) -> AsyncIterator[bytes]:
        for c in self.chunks:
            yield c

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._iterate()

    async def client_disconnect(self) -> None:
        await asyncio.sleep(3600)

    def _start(self, status: int, headers: list[tuple[str, str]]) -> None:
        self.out["answers"] += 1
        self.out["status"] = status
        self.out["headers"] = [(k.encode("latin-1"), v.encode("utf-8")) for k, v in headers]

    def response_bytes(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self._start(status, headers)
        self.out["body"] += body

    def response_stream(self, status: int, headers: list[tuple[str, str]]) -> _Stream:
        self._start(status, headers)
        return _Stream(self.out)


def _rsgi_call(
    front: RsgiFront,
    method: str,
    path: str,
    query: bytes = b"",
    headers: list[tuple[bytes, bytes]] | None = None,
    body: bytes = b"",
    chunk: int = 7,
) -> Answer:
    pairs = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in headers or []]
    if not any(k == "host" for k, _ in pairs):
        pairs.insert(0, ("host", "127.0.0.1:8090"))
    proto = _Proto(body, chunk)
    asyncio.run(front(_Scope(method, path, query.decode(), pairs), proto))
    assert proto.out["answers"] == 1
    return proto.out["status"], proto.out["headers"], proto.out["body"]


@pytest.fixture
def sides(core: Palapy) -> tuple[RsgiFront, Any]:  # noqa: F811 - the imported fixture
    return create_rsgi(core), DefaultHeaders(create_app(core))


def _spy_hot(front: RsgiFront) -> list[str]:
    served: list[str] = []
    hot = front.hot
    assert isinstance(hot, HotReads)
    try_serve = hot.try_serve

    async def spy(scope: Any, proto: Any) -> bool:
        done = await try_serve(scope, proto)
        if done:
            served.append(scope.path)
        return done

    hot.try_serve = spy  # type: ignore[method-assign]
    return served


def test_reads_answer_exactly_like_the_asgi_stack(core: Palapy, sides: tuple[RsgiFront, Any]) -> None:  # noqa: F811
    front, plain = sides
    seed = _seed(core, (front.app, plain))
    su = [(b"authorization", seed["su"].encode())]
    user = [(b"authorization", seed["user"].encode())]
    post = f"/api/collections/posts/records/{seed['post']}"
    hot_cases: list[tuple[str, str, bytes, list[tuple[bytes, bytes]]]] = [
        ("GET", "/api/collections/posts/records", b"", []),
        ("GET", "/api/collections/posts/records", b"", su),
        ("GET", "/api/collections/posts/records", b"perPage=2&page=2&sort=-views&filter=views%3E5", []),
        ("GET", "/api/collections/posts/records", b"skipTotal=1&perPage=1&perPage=9", []),
        ("GET", "/api/collections/posts/records", b"fields=id,title&expand=author", []),
        ("GET", "/api/collections/posts/records", b"fields=id&fields=title", []),
        ("GET", "/api/collections/posts/records", b"perPage=abc", []),
        ("GET", "/api/collections/posts/records", b"filter=nope%3D", []),
        ("GET", "/api/collections/posts/records", b"filter=title%3D%27%C3%A9%27", []),
        ("GET", "/api/collections/posts/records", b"", [(b"origin", b"http://site.test")]),
        ("GET", "/api/collections/posts/records", b"", [(b"content-length", b"0")]),
        ("GET", "/api/collections/nope/records", b"", []),
        ("GET", "/api/collections/locked/records", b"", []),
        ("GET", "/api/collections/locked/records", b"", user),
        ("GET", "/api/collections/users/records", b"", user),
        ("GET", "/api/collections/users/records", b"", [(b"authorization", b"Bearer nonsense")]),
        ("GET", post, b"", []),
        ("GET", post, b"expand=author&fields=id,expand", su),
        ("GET", "/api/collections/posts/records/missing", b"", []),
    ]
    other_cases: list[tuple[str, str, bytes, list[tuple[bytes, bytes]]]] = [
        ("GET", "/api/health", b"", []),
        ("GET", "/api/health", b"", su),
        ("HEAD", "/api/health", b"", []),
        ("HEAD", "/api/collections/posts/records", b"", []),
        ("HEAD", post, b"", []),
        ("GET", "/api/collections/posts/records/", b"", []),
        ("GET", "/api/collections/posts/records/a/b", b"", []),
        ("GET", "/api/collections//records", b"", []),
        ("GET", "/api/collections/posts/nope", b"", []),
        ("PUT", "/api/collections/posts/records", b"", []),
        ("OPTIONS", "/api/collections/posts/records", b"", [(b"origin", b"http://a.test")]),
        (
            "OPTIONS",
            "/api/collections/posts/records",
            b"",
            [(b"origin", b"http://a.test"), (b"access-control-request-method", b"GET")],
        ),
        ("GET", "/api/collections/posts/records", b"", [(b"host", b"bad host!")]),
        ("GET", "/api/nowhere", b"", []),
        ("GET", "/api/collections", b"", su),
    ]
    served = _spy_hot(front)
    for method, path, query, headers in hot_cases + other_cases:
        want = _call(plain, method, path, query, headers)
        assert _rsgi_call(front, method, path, query, headers) == want, (method, path, query)
    assert len(served) == len(hot_cases)


def test_writes_and_bodies_go_through_the_bridge(core: Palapy, sides: tuple[RsgiFront, Any]) -> None:  # noqa: F811
    front, plain = sides
    _seed(core, (front.app, plain))
    good = _json({"title": "New", "views": 3, "published": True})
    cases: list[tuple[str, str, list[tuple[bytes, bytes]], bytes]] = [
        ("POST", "/api/collections/posts/records", _JSON, good),
        ("POST", "/api/collections/posts/records", _JSON, _json({"views": 3})),
        ("POST", "/api/collections/posts/records", _JSON, b"{not json"),
        ("POST", "/api/collections/posts/records", [*_JSON, (b"content-length", b"999999999999")], good),
        ("POST", "/api/collections/nope/records", _JSON, good),
        ("PATCH", "/api/collections/posts/records/missing", _JSON, good),
        ("DELETE", "/api/collections/posts/records/missing", [], b""),
        # A GET with a body is not a hot read: `@request.body` must see it.
        (
            "GET",
            "/api/collections/posts/records",
            [*_JSON, (b"content-length", str(len(good)).encode())],
            good,
        ),
    ]
    served = _spy_hot(front)
    for method, path, headers, body in cases:
        for chunk in (1, 7, 1 << 20):
            got = _masked(_rsgi_call(front, method, path, b"", headers, body, chunk))
            assert got == _masked(_call(plain, method, path, b"", headers, body)), (method, path, chunk)
    assert served == []


def test_a_bound_request_hook_sends_reads_through_litestar(
    core: Palapy, sides: tuple[RsgiFront, Any]
) -> None:  # noqa: F811
    front, plain = sides
    seed = _seed(core, (front.app, plain))

    def answer_itself(e: Any) -> Any:
        e.result = {"from": "hook"}
        return None

    core.hooks.on_record_view_request.bind(answer_itself, id="test_answer")
    served = _spy_hot(front)
    path = f"/api/collections/posts/records/{seed['post']}"
    got = _rsgi_call(front, "GET", path)
    assert got == _call(plain, "GET", path)
    assert got[2] == b'{"from":"hook"}'
    assert served == []


def test_streamed_answers_arrive_whole() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 206, "headers": [(b"x-a", "é".encode())]})
        for part in (b"ab", b"", b"cd"):
            await send({"type": "http.response.body", "body": part, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    proto = _Proto(b"", 1)
    asyncio.run(RsgiFront(app)(_Scope("GET", "/x", "", []), proto))
    assert (proto.out["status"], proto.out["headers"], proto.out["body"]) == (
        206,
        [(b"x-a", "é".encode())],
        b"abcd",
    )


def test_an_app_that_answers_nothing_gets_a_500() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        raise RuntimeError("boom")

    proto = _Proto(b"", 1)
    asyncio.run(RsgiFront(app)(_Scope("GET", "/x", "", []), proto))
    assert proto.out["status"] == 500


def test_the_asgi_scope_of_an_rsgi_request() -> None:
    scope = _Scope("GET", "/a b/é", "q=%C3%A9&r=é", [("host", "h"), ("x-a", "1"), ("x-a", "2")])
    scope.client = "[::1]:4000"
    scope.http_version = "1"
    got = asgi_scope(scope)
    assert got["path"] == "/a b/é" and got["query_string"] == "q=%C3%A9&r=é".encode()
    assert got["headers"] == [(b"host", b"h"), (b"x-a", b"1"), (b"x-a", b"2")]
    assert got["client"] == ("::1", 4000) and got["server"] == ("127.0.0.1", 8090)
    assert got["http_version"] == "1.0" and got["method"] == "GET"
