"""Filters evaluated on an in-memory APSW database built from palapy's own field columns.

Rows (see filter_testdb.make_world): P0 Hello (tags a,b; author u1; likers u1), P1 "100% real_deal"
(tags c; author u2; likers u1,u2), P2 empty, P3 "a\\b" (tags %; author u3; likers u2,u3).
"""

from __future__ import annotations

import pytest

from palapy.rules.request_info import RequestInfo
from tests.unit.rules.filter_testdb import World, make_world


@pytest.fixture(scope="module")
def world() -> World:
    return make_world()


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        ("title = 'Hello'", ["P0"]),
        ("title = ''", ["P2"]),
        ("title = null", ["P2"]),
        ("title != ''", ["P0", "P1", "P3"]),
        ("views = ''", []),  # numbers are never '' or NULL
        ("views = 0", ["P2"]),
        ("views > 5 && views <= 20", ["P1", "P3"]),
        ("published = true", ["P0"]),
        ("status = ''", ["P2", "P3"]),
        ("title ~ 'HELLO'", ["P0"]),
        ("title ~ '100%'", ["P1"]),
        ("title ~ 'l_d'", ["P1"]),
        ("title ~ 'a\\\\b'", ["P3"]),
        ("title !~ 'e'", ["P2", "P3"]),
        ("title = 'x' || views = 10 && published = false", ["P1"]),
        ("(title = 'x' || views = 10) && published = true", []),
        ("tags ?= 'c'", []),  # compares the raw JSON text
        ("tags = '[\"c\"]'", ["P1"]),
        ("tags:each ?= 'c'", ["P1"]),
        ("tags:each = 'a'", []),  # P2's empty array gives one NULL row, which never equals
        ("tags:each ?= 'a'", ["P0"]),
        ("tags ~ 'c'", ["P1"]),
        ("tags:length = 2", ["P0"]),
        ("tags:length = 0", ["P2"]),
        ("status:length = 1", ["P0", "P1"]),
        ("author = ''", ["P2"]),
        ("author.name = 'User One'", ["P0"]),
        ("author.role = 'admin' || author.age < 10", ["P0", "P3"]),
        ("author.friends.name ?= 'User One'", ["P1"]),
        ("likers.name = 'User One'", ["P0"]),
        ("likers.name ?= 'User One'", ["P0", "P1"]),
        ("likers.name ?= 'User One' && likers.name ?= 'User Two'", []),  # one shared join row
        ("likers.id ?= author", ["P0", "P1", "P2", "P3"]),  # P2: NULL liker vs '' author
        ("likers.id = author", ["P0", "P2"]),
        ("likers:length >= 2", ["P1", "P3"]),
        ("likers.age ?> 25", ["P0", "P1"]),
        ("likers.age > 25", ["P0"]),
        ("comments_via_post.text = 'c2'", ["P1"]),  # P0 also has c1
        ("comments_via_post.text ?= 'c2'", ["P0", "P1"]),
        ("comments_via_post.id ?!= ''", ["P0", "P1"]),
        ("meta = 5", ["P1"]),
        ("meta = 'str'", ["P3"]),
        ("meta = null", ["P2"]),
        ("meta.k.1 = 2", ["P0"]),
        ("meta.a.b = 'deep'", ["P0"]),
        ("loc.lon > 0", ["P0"]),
        ("geoDistance(loc.lon, loc.lat, 23.32, 42.69) < 5", ["P0"]),
        ("due = ''", ["P2", "P3"]),
        ("due > '2025-01-01'", ["P0"]),
        ("strftime('%Y', due) = '2024'", ["P1"]),
        ("strftime('%Y', due) = ''", ["P2", "P3"]),
        ("title:lower = 'hello'", ["P0"]),
        ("@collection.users.name ?= 'User Two' && views = 10", ["P1"]),
        ("@collection.users.age > 10", []),  # every user row must match
        ("@collection.users:a.id ?= author && @collection.users:a.age ?= 0", ["P3"]),
        ("@collection.users:a.id ?= author && @collection.users:a.age = 0", []),
        ("due < @now && @year > 2000", ["P0", "P1", "P2", "P3"]),  # '' sorts first
        ("secret = 's0'", ["P0"]),
    ],
)
def test_api_rule_semantics(world: World, flt: str, expected: list[str]) -> None:
    assert world.select("posts", flt) == expected


def test_back_relation_with_a_unique_index_is_single(world: World) -> None:
    assert world.select("users", "profiles_via_user.headline = 'Admin'") == ["u1"]
    assert world.select("users", "profiles_via_user.headline != 'Admin'") == ["u2", "u3"]
    assert world.select("users", "posts_via_likers.title ?= 'Hello'") == ["u1"]
    assert world.select("users", "posts_via_likers.views ?= 20") == ["u2", "u3"]
    assert world.select("users", "posts_via_likers.views = 20") == ["u3"]


def test_request_auth_and_body(world: World) -> None:
    u1 = world.auth("u1")
    u1.body = {"title": "Hello", "tags": ["a", "z"], "author": world.ids["u2"]}
    assert world.select("posts", "author = @request.auth.id", u1) == ["P0"]
    assert world.select("posts", "@request.auth.role = 'admin' && views > 5", u1) == ["P1", "P3"]
    assert world.select("posts", "@request.auth.friends:length = 0 && title = 'Hello'", u1) == ["P0"]
    assert world.select("posts", "title = @request.body.title", u1) == ["P0"]
    assert world.select("posts", "@request.body.tags:each ?= tags:each", u1) == ["P0"]
    assert world.select("posts", "@request.body.tags:length = 2 && views = 0", u1) == ["P2"]
    assert world.select("posts", "@request.body.author.name = author.name", u1) == ["P1"]
    assert world.select("posts", "@request.body.title:changed = false", u1) == ["P0"]
    assert world.select("posts", "@request.body.views:changed = false", u1) == ["P0", "P1", "P2", "P3"]
    assert world.select("posts", "@request.auth.email = 'u1@x.co' && @request.auth.verified = false", u1) == [
        "P0",
        "P1",
        "P2",
        "P3",
    ]
    guest = RequestInfo()
    assert world.select("posts", "@request.auth.id != ''", guest) == []
    assert world.select("posts", "@request.auth.id = ''", guest) == ["P0", "P1", "P2", "P3"]


def test_client_filters_apply_joined_collections_list_rules(world: World) -> None:
    # users.listRule = "id = @request.auth.id": only the requester's own user row is visible.
    u2 = world.auth("u2")
    assert world.select("posts", "author.name != ''", u2, client=True) == ["P1"]
    assert world.select("posts", "author.name = 'User One' || title = 'Hello'", u2, client=True) == []
    assert world.select("posts", "likers.name ?= 'User Two'", u2, client=True) == ["P1", "P3"]
    assert world.select("posts", "likers.name ?= 'User One'", u2, client=True) == []
    # An API rule (client=False) sees every row.
    assert world.select("posts", "author.name = 'User One' || title = 'Hello'", u2) == ["P0"]


def test_sort(world: World) -> None:
    assert world.select("posts", "", sort="-views") == ["P3", "P1", "P0", "P2"]
    assert world.select("posts", "", sort="author.name,-views") == ["P2", "P3", "P0", "P1"]
    assert world.select("posts", "", sort="tags:length,title") == ["P2", "P1", "P3", "P0"]
    assert world.select("posts", "", sort="-@rowid") == ["P3", "P2", "P1", "P0"]
    assert world.select("posts", "", sort="@random,title") != []
