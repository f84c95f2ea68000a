"""The harness's own logic: matching, symbols, body encoding and server choice (no server needed)."""

from __future__ import annotations

import base64
import json

import pytest

from tests.harness.scenario import (
    ABSENT,
    ANY,
    DATE,
    File,
    Jwt,
    Re,
    Scenario,
    _build,
    match,
    scenario_id,
    substitute,
)


def _jwt(payload: dict[str, object]) -> str:
    def part(obj: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(payload)}.sig"


def test_match_is_a_subset_match_on_objects_and_exact_on_lists() -> None:
    assert match({"a": 1}, {"a": 1, "b": 2}) == []
    assert match({"a": [1, 2]}, {"a": [1, 2]}) == []
    assert match({"a": [1]}, {"a": [1, 2]}) != []
    assert match({"a": 1}, {"b": 1}) != []
    assert match({"a": ABSENT}, {"a": None}) != []
    assert match({"a": ABSENT}, {"b": 1}) == []
    assert match({"a": ANY}, {"a": None}) == []


def test_match_keeps_bools_apart_from_numbers_but_compares_ints_with_floats() -> None:
    assert match(True, 1) != []
    assert match(1, True) != []
    assert match(5, 5.0) == []
    assert match("5", 5) != []
    assert match(None, None) == []


def test_match_regex_and_jwt() -> None:
    assert match(DATE, "2026-11-29 10:27:14.409Z") == []
    assert match(DATE, "2026-11-29T10:27:14.409Z") != []
    assert match(Re("a+"), 1) != []
    token = _jwt({"id": "x", "type": "auth"})
    assert match(Jwt({"id": "x", "iat": ABSENT}), token) == []
    assert match(Jwt({"type": "file"}), token) != []
    assert match(Jwt({}), "not.a-jwt") != []


def test_substitute_replaces_symbols_everywhere_and_refuses_unknown_ones() -> None:
    symbols = {"post1": "abc", "u1": "u"}
    assert substitute({"{post1}": ["x{u1}", Re("{post1}.*")]}, symbols) == {"abc": ["xu", Re("abc.*")]}
    assert substitute('{"data":{}} [a-z]{15} {APP_NAME}', symbols) == '{"data":{}} [a-z]{15} {APP_NAME}'
    with pytest.raises(AssertionError, match="unknown symbol"):
        substitute("{nope}", symbols)


def test_build_encodes_json_multipart_urlencoded_and_auth() -> None:
    symbols = {"user1_token": "TOKEN", "p": "P1"}
    method, url, headers, content = _build(
        Scenario(
            "A JSON request is built.",
            method="post",
            url="/x/{p}",
            params={"filter": "a = 'b'"},
            auth="user1",
            body={"k": "{p}"},
        ),
        symbols,
    )
    assert (method, url) == ("POST", "/x/P1?filter=a%20%3D%20%27b%27")
    assert headers == {"Authorization": "TOKEN", "Content-Type": "application/json"}
    assert json.loads(content or b"") == {"k": "P1"}

    _, _, headers, content = _build(
        Scenario(
            "A multipart request is built.", multipart=[("a", "1"), ("a", "2"), ("f", File("x.txt", b"hi"))]
        ),
        symbols,
    )
    assert headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert content is not None and content.count(b'name="a"') == 2 and b'filename="x.txt"' in content

    _, _, headers, content = _build(Scenario("A form request is built.", urlencoded=[("a", "1 2")]), symbols)
    assert (headers["Content-Type"], content) == ("application/x-www-form-urlencoded", b"a=1+2")

    with pytest.raises(AssertionError, match="unknown auth"):
        _build(Scenario("An unknown auth name is refused.", auth="admin"), symbols)


def test_fresh_servers_for_writes_and_cheap_targets() -> None:
    read = Scenario("A read shares the server.")
    write = Scenario("A write gets a fresh server.", method="POST")
    refused = Scenario("A refused write may share.", method="POST", fresh=False)
    chained = Scenario("A read with a write step is a write.", then=[Scenario("A step.", method="DELETE")])
    assert not read.needs_fresh_server()
    assert write.needs_fresh_server()
    assert not refused.needs_fresh_server()
    assert refused.needs_fresh_server(cheap=True)
    assert chained.needs_fresh_server()
    assert scenario_id(Scenario("A guest's view (of posts) works.")) == "a_guest_s_view_of_posts_works"
