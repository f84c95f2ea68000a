"""Response headers are finished in one place: security headers, Vary and CORS, as PocketBase."""

from __future__ import annotations

from palapy.web.headers import SECURITY_HEADERS, Cors, finish_headers, preflight_headers

JSON = [("content-type", "application/json"), ("content-length", "2")]


def test_the_defaults_follow_the_handlers_own_headers() -> None:
    assert finish_headers(JSON, None) == [*JSON, *SECURITY_HEADERS, ("vary", "Origin")]
    assert finish_headers(JSON, "*")[-1] == ("access-control-allow-origin", "*")


def test_a_default_the_handler_set_or_omits_is_not_added() -> None:
    own = [("x-content-type-options", "nosniff")]
    out = finish_headers(own, None, frozenset({"x-frame-options"}))
    names = [name for name, _ in out]
    assert names.count("x-content-type-options") == 1
    assert "x-frame-options" not in names
    assert names[-1] == "vary"


def test_cors_allows_every_origin_by_default_and_only_the_listed_ones_otherwise() -> None:
    assert Cors().allowed_origin("http://a.test") == "*"
    assert Cors().allowed_origin(None) is None
    listed = Cors(["http://a.test"])
    assert listed.allowed_origin("http://a.test") == "http://a.test"
    assert listed.allowed_origin("http://b.test") is None


def test_preflights_carry_only_cors_headers() -> None:
    assert preflight_headers(None, None, "") == [("vary", "Origin")]
    assert preflight_headers(None, "http://b.test", "x-a") == [("vary", "Origin")]
    assert preflight_headers("*", "http://a.test", "content-type") == [
        ("vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers"),
        ("access-control-allow-origin", "*"),
        ("access-control-allow-methods", "GET,HEAD,PUT,PATCH,POST,DELETE"),
        ("access-control-allow-headers", "content-type"),
    ]
