"""The RSGI lane end to end, on a small route table: redirects, preflights, 404s, errors, HEAD,
streams and the headers every answer leaves with."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator
from pathlib import Path
from typing import Any, cast

import pytest
from granian.rsgi import ProtocolClosed

from palapy.core import App
from palapy.tools.errors import ApiError
from palapy.web.headers import SECURITY_HEADERS
from palapy.web.request import Request
from palapy.web.response import Response, json_response
from palapy.web.routing import Route, RouteTable
from palapy.web.rsgi import RsgiApp, clean_path
from tests.harness.rsgi_client import RsgiProto, RsgiScope, call

DEFAULTS = [*SECURITY_HEADERS, ("vary", "Origin")]
closed: list[str] = []


async def _echo(request: Request) -> Response:
    return json_response(request, {"params": request.params, "query": request.query()})


async def _fails(request: Request) -> Response:
    raise ApiError(409, "nope", {"x": {"code": "c", "message": "m"}})


async def _breaks(request: Request) -> Response:
    raise RuntimeError("a bug")


async def _stream_body() -> AsyncGenerator[bytes, None]:
    try:
        yield b"one,"
        yield b"two"
    finally:
        closed.append("closed")


async def _streams(request: Request) -> Response:
    return Response(
        200,
        [("content-length", "7")],
        stream=_stream_body(),
        omit_default_headers=frozenset({"x-frame-options"}),
    )


def _app(origins: list[str] | None = None) -> RsgiApp:
    from palapy.web.headers import Cors

    routes = RouteTable(
        [
            Route("GET", "/api/echo/{name}", _echo),
            Route("POST", "/api/fails", _fails),
            Route("GET", "/api/breaks", _breaks),
            Route("GET", "/api/stream", _streams),
        ]
    )
    return RsgiApp(cast(App, None), routes, Cors(origins))


def test_answers_carry_the_handlers_headers_then_the_defaults() -> None:
    answer = call(_app(), "GET", "/api/echo/x", "fields=params")
    assert answer.status == 200
    assert answer.body == b'{"params":{"name":"x"}}'
    assert answer.headers == [("content-type", "application/json"), ("content-length", "23"), *DEFAULTS]


def test_head_keeps_the_headers_and_drops_the_body() -> None:
    get, head = call(_app(), "GET", "/api/echo/x"), call(_app(), "HEAD", "/api/echo/x")
    assert (head.status, head.headers, head.body) == (get.status, get.headers, b"")


def test_unknown_paths_and_other_methods_are_told_apart() -> None:
    unknown = call(_app(), "GET", "/api/nope")
    assert (unknown.status, unknown.body) == (404, b'{"data":{},"message":"File not found.","status":404}')
    wrong = call(_app(), "DELETE", "/api/echo/x")
    assert wrong.body == b'{"data":{},"message":"The requested resource wasn\'t found.","status":404}'
    assert wrong.headers[-2:] == [("cross-origin-opener-policy", "same-origin"), ("vary", "Origin")]


def test_api_errors_keep_their_status_and_data_and_bugs_are_a_logged_500(
    caplog: pytest.LogCaptureFixture,
) -> None:
    failed = call(_app(), "POST", "/api/fails")
    assert failed.status == 409
    assert failed.body == b'{"data":{"x":{"code":"c","message":"m"}},"message":"Nope.","status":409}'
    with caplog.at_level(logging.ERROR, logger="palapy.web"):
        broken = call(_app(), "GET", "/api/breaks")
    assert broken.status == 500
    assert b"a bug" not in broken.body
    assert "a bug" in caplog.text


def test_an_invalid_host_header_is_a_bad_request() -> None:
    answer = call(_app(), "GET", "/api/echo/x", headers=[("host", "bad host!")])
    assert answer.status == 400


def test_unclean_paths_are_redirected_like_go_does() -> None:
    get = call(_app(), "GET", "//api//echo/./x", "a=1")
    assert get.status == 307
    assert get.headers == [
        ("content-type", "text/html; charset=utf-8"),
        ("location", "/api/echo/x?a=1"),
        ("content-length", "51"),
    ]
    assert get.body == b'<a href="/api/echo/x?a=1">Temporary Redirect</a>.\n\n'
    post = call(_app(), "POST", "/api/x/../fails")
    assert (post.status, post.headers, post.body) == (
        307,
        [("location", "/api/fails"), ("content-length", "0")],
        b"",
    )
    assert clean_path("/a/b/../../..") == "/"
    assert clean_path("/a//b/") == "/a/b/"


def test_every_options_request_is_a_preflight() -> None:
    plain = call(_app(), "OPTIONS", "/api/echo/x")
    assert (plain.status, plain.headers) == (204, [("vary", "Origin")])
    cors = call(
        _app(),
        "OPTIONS",
        "/api/anything",
        headers=[("origin", "http://a.test"), ("access-control-request-headers", "authorization")],
    )
    assert cors.status == 204
    assert ("access-control-allow-origin", "*") in cors.headers
    assert ("access-control-allow-headers", "authorization") in cors.headers
    refused = call(_app(["http://b.test"]), "OPTIONS", "/api/x", headers=[("origin", "http://a.test")])
    assert refused.headers == [("vary", "Origin")]


def test_the_first_origin_header_is_the_origin() -> None:
    answer = call(
        _app(["http://a.test"]), "GET", "/api/echo/x", headers=[("origin", "http://a.test"), ("origin", "x")]
    )
    assert answer.headers[-1] == ("access-control-allow-origin", "http://a.test")


def test_streams_are_sent_in_pieces_and_closed_also_for_head_and_a_vanished_client() -> None:
    closed.clear()
    answer = call(_app(), "GET", "/api/stream")
    assert (answer.status, answer.body) == (200, b"one,two")
    assert ("x-frame-options", "SAMEORIGIN") not in answer.headers
    head = call(_app(), "HEAD", "/api/stream")
    assert (head.body, dict(head.headers)["content-length"]) == (b"", "7")

    class _Gone(RsgiProto):
        def response_stream(self, status: int, headers: list[tuple[str, str]]) -> Any:
            super().response_stream(status, headers)

            class _Transport:
                async def send_bytes(self, data: bytes) -> None:
                    raise ProtocolClosed("gone")

            return _Transport()

    asyncio.run(_app()(RsgiScope("GET", "/api/stream", "", [("host", "h")]), _Gone()))
    assert closed == ["closed", "closed"]  # the HEAD answer never started the stream


def test_the_app_serves_only_http(tmp_path: Path) -> None:
    proto = RsgiProto()
    scope = RsgiScope("GET", "/api/echo/x", "", [])
    scope.proto = "websocket"  # type: ignore[misc]
    asyncio.run(_app()(scope, proto))
    assert proto.answer.starts == 0
