"""What handlers read of a request: first query values, the requester, the body within its limit."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any, cast

import pytest

from palapy.app import Palapy
from palapy.core import App
from palapy.tools.errors import ApiError
from palapy.web.request import Request, parse_query, snake_header
from tests.unit.collections.collections_support import insert_auth_record, new_app


class _Body:
    """The request body as the server holds it; counts what was read."""

    def __init__(self, data: bytes, chunk: int = 4) -> None:
        self.data = data
        self.chunk = chunk
        self.read = 0

    async def read_all(self) -> bytes:
        self.read = len(self.data)
        return self.data

    async def _chunks(self) -> AsyncIterator[bytes]:
        for i in range(0, len(self.data), self.chunk):
            self.read = i + self.chunk
            yield self.data[i : i + self.chunk]

    def chunks(self) -> AsyncIterator[bytes]:
        return self._chunks()


def _request(
    headers: list[tuple[str, str]] | None = None,
    query: str = "",
    body: _Body | None = None,
    limit: int = 100,
    app: App | None = None,
    method: str = "GET",
) -> Request:
    source = body or _Body(b"")
    return Request(
        cast(App, app),
        method,
        "/x",
        {},
        query,
        headers or [],
        "127.0.0.1",
        limit,
        source.read_all,
        source.chunks,
    )


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Palapy]:
    core = new_app(tmp_path)
    yield core
    core.close()


def test_head_is_served_as_get_and_says_so() -> None:
    request = _request(method="HEAD")
    assert (request.method, request.head) == ("GET", True)


def test_the_first_value_of_a_query_parameter_counts_and_blank_values_are_kept() -> None:
    request = _request(query="a=1&b=&a=2&c=%C3%A9")
    assert request.query() == {"a": "1", "b": "", "c": "é"}
    assert request.query_pairs() == (("a", "1"), ("b", ""), ("a", "2"), ("c", "é"))
    assert request.query_param("missing", "d") == "d"
    assert parse_query("x=é") == (("x", "Ã©"),)  # raw bytes are read as latin-1 (clients escape them)


def test_a_header_is_its_first_value_and_rules_see_the_last() -> None:
    request = _request([("x-token", "one"), ("x-token", "two")])
    assert request.header("x-token") == "one"
    info = asyncio.run(request.info())
    assert info.headers == {"x_token": "two"} and info.is_guest
    assert snake_header("X-Custom-Header.2") == "x_custom_header_2"


def test_the_first_authorization_header_decides_who_is_asking(app: Palapy) -> None:
    _, token = insert_auth_record(app, "_superusers", "su@x.co")
    valid_first = _request([("authorization", token), ("authorization", "bad")], app=app)
    assert asyncio.run(valid_first.info()).is_superuser
    bad_first = _request([("authorization", "bad"), ("authorization", token)], app=app)
    assert asyncio.run(bad_first.info()).is_guest


def test_no_announced_body_means_none_is_read() -> None:
    body = _Body(b"ignored")
    assert asyncio.run(_request(body=body).body()) == b""
    assert body.read == 0


def test_a_declared_body_over_the_limit_is_refused_before_it_is_read() -> None:
    body = _Body(b"x" * 200)
    request = _request([("content-length", "200")], body=body)
    with pytest.raises(ApiError) as info:
        asyncio.run(request.body())
    assert (info.value.status, info.value.message) == (413, "Request entity too large.")
    assert body.read == 0
    assert (
        asyncio.run(_request([("content-length", "200")], body=_Body(b"x" * 200)).body(limit=200))
        == b"x" * 200
    )


def test_a_chunked_body_is_refused_as_soon_as_it_passes_the_limit() -> None:
    body = _Body(b"y" * 400, chunk=10)
    request = _request([("transfer-encoding", "chunked")], body=body)
    with pytest.raises(ApiError) as info:
        asyncio.run(request.body())
    assert info.value.status == 413
    assert body.read <= 110  # never buffered past the limit


def test_the_body_is_read_once() -> None:
    body = _Body(b'{"a":1}')
    request = _request([("content-length", "7")], body=body)

    async def twice() -> Any:
        return await request.body(), await request.body()

    assert asyncio.run(twice()) == (b'{"a":1}', b'{"a":1}')
