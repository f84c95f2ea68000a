"""`FastDispatch` answers exactly as the Litestar app does: same status, headers and body.

Every request is sent twice, once to the full stack (`create_asgi`, fast path in front) and once
to the same app without it (`DefaultHeaders(create_app(core))`), and the two raw ASGI answers
are compared. Writes are paired on twin records so both sides change the same kind of state.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar import Request, Response, get, route
from litestar.params import FromPath, FromQuery

from palapy.app import Palapy
from palapy.http.app import create_app, create_asgi
from palapy.http.fast import FastDispatch
from palapy.http.middleware import DefaultHeaders
from palapy.schema.fields import BoolField, NumberField, RelationField, TextField
from palapy.tools import jsonx
from tests.unit.records.conftest import add_collection, create_superuser, create_user

Answer = tuple[int, list[tuple[bytes, bytes]], bytes]


def _call(
    asgi: Any,
    method: str,
    path: str,
    query: bytes = b"",
    headers: list[tuple[bytes, bytes]] | None = None,
    body: bytes = b"",
) -> Answer:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": [
            *([] if any(k == b"host" for k, _ in headers or []) else [(b"host", b"127.0.0.1:8090")]),
            *(headers or []),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8090),
    }
    chunks = [body]

    async def receive() -> dict[str, Any]:
        if chunks:
            return {"type": "http.request", "body": chunks.pop(), "more_body": False}
        await asyncio.sleep(3600)
        return {"type": "http.disconnect"}

    out: dict[str, Any] = {"body": b""}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            out["status"] = message["status"]
            out["headers"] = [(bytes(k), bytes(v)) for k, v in message.get("headers") or []]
        else:
            out["body"] += message.get("body", b"")

    asyncio.run(asgi(scope, receive, send))
    return out["status"], out["headers"], out["body"]


_IDS = re.compile(rb'"(id|created|updated)":"[^"]*"')


def _masked(answer: Answer) -> Answer:
    """Writes create different ids and dates on each side; everything else must match."""
    status, headers, body = answer
    return status, headers, _IDS.sub(rb'"\1":"*"', body)


@pytest.fixture
def core(tmp_path: Path) -> Iterator[Palapy]:
    app = Palapy(tmp_path / "pb_data")
    app.bootstrap()
    authors = add_collection(
        app, "base", "authors", [TextField(name="name")], listRule="", viewRule="", createRule=""
    )
    add_collection(
        app,
        "base",
        "posts",
        [
            TextField(name="title", required=True),
            NumberField(name="views"),
            BoolField(name="published"),
            TextField(name="note", hidden=True),
            RelationField(name="author", collectionId=authors.id, maxSelect=1),
        ],
        listRule="",
        viewRule="",
        createRule="",
        updateRule="",
        deleteRule="",
    )
    add_collection(app, "base", "locked", [TextField(name="title")])
    yield app
    app.close()


@pytest.fixture
def sides(core: Palapy) -> tuple[Any, Any]:
    fast = create_asgi(core)
    plain = DefaultHeaders(create_app(core))
    assert isinstance(fast.app, FastDispatch)
    return fast, plain


def _json(data: Any) -> bytes:
    return jsonx.encode(data)


_JSON = [(b"content-type", b"application/json")]


def _spy_fast_path(dispatch: FastDispatch) -> list[str]:
    """Record the paths `dispatch` serves itself (the others go to Litestar)."""
    served: list[str] = []
    serve = dispatch._serve

    async def spy(route: Any, scope: Any, receive: Any, send: Any) -> None:
        served.append(scope["path"])
        await serve(route, scope, receive, send)

    dispatch._serve = spy  # type: ignore[method-assign]
    return served


def _seed(core: Palapy, sides: tuple[Any, Any]) -> dict[str, str]:
    fast, _ = sides
    author = _call(
        fast, "POST", "/api/collections/authors/records", headers=_JSON, body=_json({"name": "Ann"})
    )
    author_id = jsonx.decode(author[2])["id"]
    ids = []
    for i in range(5):
        body = {
            "title": f"Post {i}",
            "views": i * 10,
            "published": i % 2 == 0,
            "note": "n",
            "author": author_id,
        }
        ids.append(
            jsonx.decode(
                _call(fast, "POST", "/api/collections/posts/records", headers=_JSON, body=_json(body))[2]
            )["id"]
        )
    _, su_token = create_superuser(core)
    _, user_token = create_user(core, "u@x.co")
    return {"post": ids[0], "author": author_id, "su": su_token, "user": user_token}


def test_reads_answer_exactly_like_litestar(core: Palapy, sides: tuple[Any, Any]) -> None:
    seed = _seed(core, sides)
    su = [(b"authorization", seed["su"].encode())]
    user = [(b"authorization", seed["user"].encode())]
    post = f"/api/collections/posts/records/{seed['post']}"
    cases: list[tuple[str, str, bytes, list[tuple[bytes, bytes]]]] = [
        ("GET", "/api/health", b"", []),
        ("GET", "/api/health", b"", su),
        ("HEAD", "/api/health", b"", []),
        ("GET", "/api/collections/posts/records", b"", []),
        ("GET", "/api/collections/posts/records", b"", su),
        ("GET", "/api/collections/posts/records", b"perPage=2&page=2&sort=-views&filter=views%3E5", []),
        ("GET", "/api/collections/posts/records", b"skipTotal=1&perPage=1&perPage=9", []),
        ("GET", "/api/collections/posts/records", b"fields=id,title&expand=author", []),
        ("GET", "/api/collections/posts/records", b"perPage=abc", []),
        ("GET", "/api/collections/posts/records", b"filter=nope%3D", []),
        ("GET", "/api/collections/posts/records", b"", [(b"origin", b"http://site.test")]),
        ("HEAD", "/api/collections/posts/records", b"", []),
        ("GET", "/api/collections/nope/records", b"", []),
        ("GET", "/api/collections/locked/records", b"", []),
        ("GET", "/api/collections/locked/records", b"", user),
        ("GET", "/api/collections/users/records", b"", user),
        ("GET", post, b"", []),
        ("GET", post, b"expand=author&fields=id,expand", su),
        ("GET", "/api/collections/posts/records/missing", b"", []),
        ("GET", "/api/collections/posts/records/", b"", []),
        ("GET", "/api/collections/posts/records/a/b", b"", []),
        ("PUT", "/api/collections/posts/records", b"", []),
        ("GET", "/api/collections/posts/records", b"", [(b"host", b"bad host!")]),
    ]
    fast, plain = sides
    served = _spy_fast_path(fast.app)
    for method, path, query, headers in cases:
        assert _call(fast, method, path, query, headers) == _call(plain, method, path, query, headers), (
            method,
            path,
            query,
        )
    # All but the trailing slash, the unroutable path and method, and the bad Host header
    # went through the fast path.
    assert len(served) == len(cases) - 4


def test_writes_answer_exactly_like_litestar(core: Palapy, sides: tuple[Any, Any]) -> None:
    _seed(core, sides)
    fast, plain = sides
    good = _json({"title": "New", "views": 3, "published": True})
    writes: list[tuple[str, str, list[tuple[bytes, bytes]], bytes]] = [
        ("POST", "/api/collections/posts/records", _JSON, good),
        ("POST", "/api/collections/posts/records", _JSON, _json({"views": 3})),  # title required
        ("POST", "/api/collections/posts/records", _JSON, b"{not json"),
        ("POST", "/api/collections/posts/records", [*_JSON, (b"content-length", b"999999999999")], good),
        ("POST", "/api/collections/nope/records", _JSON, good),
        ("POST", "/api/collections/locked/records", _JSON, good),
        ("PATCH", "/api/collections/posts/records/missing", _JSON, good),
        ("DELETE", "/api/collections/posts/records/missing", [], b""),
    ]
    for method, path, headers, body in writes:
        assert _masked(_call(fast, method, path, b"", headers, body)) == _masked(
            _call(plain, method, path, b"", headers, body)
        ), (method, path, body[:40])

    # Twin records, one changed through each side.
    twins = [
        jsonx.decode(_call(fast, "POST", "/api/collections/posts/records", headers=_JSON, body=good)[2])["id"]
        for _ in range(2)
    ]
    patch = _json({"title": "Changed", "views+": 5})
    for side, rid in zip((fast, plain), twins, strict=True):
        answer = _call(side, "PATCH", f"/api/collections/posts/records/{rid}", b"", _JSON, patch)
        assert answer[0] == 200 and b'"views":8' in answer[2]
    updated = [
        _masked(_call(s, "GET", f"/api/collections/posts/records/{r}"))
        for s, r in zip(sides, twins, strict=True)
    ]
    assert updated[0] == updated[1]
    deleted = [
        _call(s, "DELETE", f"/api/collections/posts/records/{r}") for s, r in zip(sides, twins, strict=True)
    ]
    assert deleted[0] == deleted[1] and deleted[0][0] == 204


def test_hooks_and_errors_take_the_same_course(core: Palapy, sides: tuple[Any, Any]) -> None:
    seed = _seed(core, sides)
    fast, plain = sides

    def enrich(e: Any) -> Any:
        e.data["extra"] = e.collection.name
        return e.next()

    core.hooks.on_record_enrich.bind(enrich, id="test_enrich")
    view = f"/api/collections/posts/records/{seed['post']}"
    for path in ("/api/collections/posts/records", view):
        answer = _call(fast, "GET", path)
        assert b'"extra":"posts"' in answer[2]
        assert answer == _call(plain, "GET", path)

    def boom(e: Any) -> Any:
        raise RuntimeError("handler failed")

    core.hooks.on_records_list_request.bind(boom, id="test_boom")
    answer = _call(fast, "GET", "/api/collections/posts/records")
    assert answer[0] == 500
    assert answer == _call(plain, "GET", "/api/collections/posts/records")


def test_only_routes_litestar_would_not_treat_differently_qualify(core: Palapy) -> None:
    @get("/x/{name:str}")
    async def with_query(
        request: Request[Any, Any, Any], name: FromPath[str], q: FromQuery[str] = ""
    ) -> Response[bytes]:
        return Response(content=b"")

    async def deny(*_: Any) -> None:
        return None

    @route("/y", http_method=["GET"], guards=[deny])
    async def guarded(request: Request[Any, Any, Any]) -> Response[bytes]:
        return Response(content=b"")

    @route("/z/{n:int}", http_method=["GET"])
    async def int_param(request: Request[Any, Any, Any], n: FromPath[int]) -> Response[bytes]:
        return Response(content=b"")

    from litestar import Litestar

    app = Litestar(route_handlers=[with_query, guarded, int_param])
    for handler, why in ((with_query, "parameters"), (guarded, "guards"), (int_param, "non-str")):
        with pytest.raises(RuntimeError, match=why):
            FastDispatch(app, [handler])
    with pytest.raises(RuntimeError, match="not registered"):
        FastDispatch(Litestar(route_handlers=[guarded]), [int_param])
