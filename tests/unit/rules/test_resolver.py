"""Identifier resolution: accepted paths, PocketBase's raw errors, NULL fallbacks in @request."""

from __future__ import annotations

import pytest

from palapy.rules import filters as rules
from palapy.rules.record_scope import RecordScope
from palapy.rules.request_info import RequestInfo
from palapy.rules.resolver import Resolver, has_single_column_unique_index, split_modifier
from palapy.schema.fields import RelationField, TextField
from palapy.schema.model import Collection
from palapy.search.operand import ResolveError
from tests.unit.rules.filter_testdb import World, make_world


@pytest.fixture(scope="module")
def world() -> World:
    return make_world()


def error(world: World, flt: str, coll: str = "posts") -> str | None:
    return rules.validate_rule(flt, world.coll(coll), world.registry)


@pytest.mark.parametrize(
    "flt",
    [
        "id != ''",
        "author.friends.friends.name ?= 'x'",
        "likers:length > 1 && likers:each ?= author && tags:length = 0",
        "comments_via_post.text ?= 'x'",
        "meta.a.b.0 = 1 && loc.lon > 1 && loc.lat < 2",
        "title:lower = 'x' && title:isset = 1 && title:changed = 1 && title:length = 1",
        "@request.auth.anything.deep = 1 && @request.body.nope.x = 1 && @request.query.x:lower = 'a'",
        "@request.body.title:changed = true && @request.body.tags:each ?= 'a' && @request.body.tags:length > 1",
        "@request.body.author.name = 'x' && @request.headers.x_token = '' && @request.method = 'GET'",
        "@collection.users.name ?= title && @collection.users:other.age > 1 && @collection.pbc_comments.text = ''",
        "geoDistance(loc.lon, loc.lat, 1, -2) < 10 && strftime('%Y', due, 'utc') = '2025'",
        "@now > due && @weekday != 0 && @todayEnd > @todayStart && @monthEnd > @yearStart && @yearEnd != @tomorrow",
        "secret = 'rules may read hidden fields'",
    ],
)
def test_valid_rules(world: World, flt: str) -> None:
    assert error(world, flt) is None


@pytest.mark.parametrize(
    ("flt", "raw"),
    [
        ("nope = 1", 'invalid left operand "nope" - unknown field "nope"'),
        ("1 = nope", 'invalid right operand "nope" - unknown field "nope"'),
        ("#title = 1", 'invalid left operand "#title" - failed to resolve field "#title"'),
        ("title.x = 1", 'invalid left operand "title.x" - field "title" is not a valid relation'),
        ("views.x = 1", 'invalid left operand "views.x" - field "views" is not a valid relation'),
        ("nope.x = 1", 'invalid left operand "nope.x" - failed to resolve field "nope"'),
        ("title:foo = 1", 'invalid left operand "title:foo" - unknown modifier in "title:foo"'),
        ("@request.foo = 1", 'invalid left operand "@request.foo" - failed to resolve field "@request.foo"'),
        (
            "@request.context.x = 1",
            'invalid left operand "@request.context.x" - failed to resolve field "@request.context.x"',
        ),
        (
            "@request.query.x:each = 1",
            'invalid left operand "@request.query.x:each" - invalid modifier sequence x:each',
        ),
        (
            "@request.body.title:length = 1",
            'invalid left operand "@request.body.title:length" - field "title" doesn\'t support multivalue operations',
        ),
        (
            "@collection.nope.x = 1",
            'invalid left operand "@collection.nope.x" - failed to load collection "nope" from field path "@collection.nope.x"',
        ),
        (
            "@collection.users = 1",
            'invalid left operand "@collection.users" - failed to resolve field "@collection.users"',
        ),
        (
            "posts_via_title.x = 1",
            'invalid left operand "posts_via_title.x" - invalid back relation field "title"',
        ),
        (
            "nope_via_x.y = 1",
            'invalid left operand "nope_via_x.y" - failed to load back relation field "nope_via_x" collection',
        ),
        (
            "comments_via_nope.y = 1",
            'invalid left operand "comments_via_nope.y" - missing back relation field "nope"',
        ),
        ("foo(1) = 1", 'invalid left operand "foo" - unknown function "foo"'),
        (
            "geoDistance(1,2,3) = 1",
            'invalid left operand "geoDistance" - [geoDistance] expected 4 arguments, got 3',
        ),
        (
            "geoDistance(1,2,3,'a') = 1",
            'invalid left operand "geoDistance" - [geoDistance] argument 3 must be an identifier or number',
        ),
        (
            "strftime(title) = 1",
            'invalid left operand "strftime" - [strftime] expects the first argument to be a format string',
        ),
        (
            "strftime('%Y', title, 1) = 1",
            'invalid left operand "strftime" - [strftime] invalid modifier argument 0 - can be only string',
        ),
        ("title = 'x' && x", "invalid or incomplete filter expression"),
        ("a.b.c.d.e.f.g.h = 1", 'invalid left operand "a.b.c.d.e.f.g.h" - failed to resolve field "a"'),
    ],
)
def test_invalid_rules_give_pocketbase_raw_errors(world: World, flt: str, raw: str) -> None:
    assert error(world, flt) == raw


def test_at_most_six_relation_hops(world: World) -> None:
    six = ".".join(["author"] + ["friends"] * 5) + ".name ?= 'x'"
    seven = ".".join(["author"] + ["friends"] * 6) + ".name ?= 'x'"
    assert error(world, six) is None
    assert error(world, seven, "posts") == (
        f'invalid left operand "{seven[:-7]}" - max nested relations reached for field "friends"'
    )


def test_at_most_200_expressions(world: World) -> None:
    assert error(world, " && ".join(["title = 'x'"] * 200)) is None
    assert error(world, " && ".join(["title = 'x'"] * 201)) == "max filter expressions limit reached"


def test_missing_fields_inside_request_paths_are_null(world: World) -> None:
    scope = RecordScope(
        registry=world.registry, request=RequestInfo(auth={"id": "u"}, auth_collection=world.coll("users"))
    )
    res = Resolver(scope, world.coll("posts"), "p", allow_hidden=True)
    assert res.resolve("@request.auth.nope").sql.text() == "NULL"
    assert res.resolve("@request.body.nope").sql.text() == "NULL"
    assert res.resolve("@request.body.author.nope").sql.text() == "NULL"  # no ids submitted


def test_guests_read_null_for_every_auth_field(world: World) -> None:
    res = Resolver(
        RecordScope(registry=world.registry, request=RequestInfo()),
        world.coll("posts"),
        "p",
        allow_hidden=True,
    )
    for name in ("@request.auth.id", "@request.auth.friends.name", "@request.auth.id:isset"):
        assert res.resolve(name).sql.text() == "NULL"


def test_hidden_fields_only_with_allow_hidden(world: World) -> None:
    res = Resolver(
        RecordScope(registry=world.registry, request=RequestInfo()),
        world.coll("posts"),
        "p",
        allow_hidden=False,
    )
    with pytest.raises(ResolveError, match='non-filterable field "secret"'):
        res.resolve("secret")
    with pytest.raises(ResolveError, match='non-filterable field "bio"'):
        res.resolve("likers.bio")


def test_static_request_values() -> None:
    posts = Collection(id="c", name="posts", fields=[TextField(name="id"), TextField(name="views")])
    from palapy.schema.fields import NumberField

    posts.fields.append(NumberField(name="n"))
    from palapy.schema.registry import CollectionRegistry

    reg = CollectionRegistry()
    reg.replace([posts])
    req = RequestInfo(
        body={
            "n": "12.5",
            "views": "7",
            "obj": {"b": 1, "a": [1.0, "<"]},
            "list": ["x", "y"],
            "flag": True,
            "i": 3,
        },
        query={"n": "3"},
    )
    res = Resolver(RecordScope(registry=reg, request=req), posts, "p", allow_hidden=True)
    assert res.resolve("@request.body.n").sql.params() == [12.5]  # number field: cast
    assert res.resolve("@request.body.views").sql.params() == ["7"]  # text field: kept
    assert res.resolve("@request.query.n").sql.params() == [3.0]  # same rule for the query
    assert res.resolve("@request.body.obj").sql.params() == ['{"a":[1,"\\u003c"],"b":1}']
    assert res.resolve("@request.body.obj.a.1").sql.params() == ["<"]
    assert res.resolve("@request.body.list").sql.params() == ['["x","y"]']
    assert res.resolve("@request.body.flag").sql.params() == [True]
    assert res.resolve("@request.body.i").sql.params() == [3.0]
    assert res.resolve("@request.body.obj:isset").sql.text() == "TRUE"
    assert res.resolve("@request.body.zzz:isset").sql.text() == "FALSE"
    assert res.resolve("@request.body.list.5").sql.text() == "NULL"


def test_split_modifier() -> None:
    assert split_modifier("a:each") == ("a", "each")
    assert split_modifier("a") == ("a", "")
    assert split_modifier("a:b:c") == ("a:b:c", "")
    with pytest.raises(ResolveError):
        split_modifier("a:nope")


def test_unique_index_detection() -> None:
    assert has_single_column_unique_index(["CREATE UNIQUE INDEX `i` ON `t` (`user`)"], "user")
    assert has_single_column_unique_index(
        ["create unique index i on t (user COLLATE NOCASE) WHERE x"], "USER"
    )
    assert not has_single_column_unique_index(["CREATE INDEX `i` ON `t` (`user`)"], "user")
    assert not has_single_column_unique_index(["CREATE UNIQUE INDEX `i` ON `t` (`user`, `b`)"], "user")


def test_back_relations_need_a_relation_to_this_collection(world: World) -> None:
    # posts.author points at users, not at comments.
    assert error(world, "posts_via_author.title = 'x'", "comments") == (
        'invalid left operand "posts_via_author.title" - invalid collection reference of a back relation field "author"'
    )
    assert isinstance(world.coll("posts").field("author"), RelationField)
