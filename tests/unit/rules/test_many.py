"""`compile_access` + `evaluate_many`: one record checked for many realtime subscribers at once.

The property: for any set of requesters, `evaluate_many` answers exactly what checking each
requester on its own answers (`records.access.record_matches`: superusers pass every rule, a
null rule refuses everyone else, `""` admits everyone), although requesters whose compiled
rule shares its SQL text are answered together by one query over a VALUES CTE.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import apsw
import pytest

from palapy.app import Palapy
from palapy.records.access import record_matches
from palapy.records.forms import RecordUpsert
from palapy.rules import many
from palapy.rules.many import Access, Check, compile_access, evaluate_many
from palapy.rules.request_info import RequestInfo
from palapy.schema.fields import JSONField, NumberField, RelationField, SelectField, TextField
from palapy.schema.model import Collection
from tests.unit.records.records_support import add_collection, superuser_info

PASSWORD = "12345678"


@dataclass
class World:
    app: Palapy
    posts: Collection
    ids: dict[str, str]  # "p1".. and member/user labels -> record ids
    requesters: dict[str, RequestInfo] = field(default_factory=dict)

    def read(self, fn: Callable[[apsw.Connection], Any]) -> Any:
        return self.app.db.read_sync(fn)


def _create(app: Palapy, collection: Collection, data: dict[str, Any]) -> dict[str, Any]:
    form = RecordUpsert(app, collection, None, superuser_info(app))
    form.load(data)
    record: dict[str, Any] = app.db.write_sync(form.submit_in_tx)
    return record


def _member(app: Palapy, collection: Collection, email: str, **values: Any) -> dict[str, Any]:
    return _create(
        app, collection, {"email": email, "password": PASSWORD, "passwordConfirm": PASSWORD, **values}
    )


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    root: Path = tmp_path_factory.mktemp("many")
    app = Palapy(root / "pb_data")
    app.bootstrap()
    members = add_collection(
        app,
        "auth",
        "members",
        [TextField(name="name"), TextField(name="role"), NumberField(name="level")],
        listRule="",
        viewRule="",
    )
    ann = _member(app, members, "ann@x.co", name="Ann", role="a", level=3)
    bob = _member(app, members, "bob@x.co", name="Bob", role="b", level=7)
    cid = _member(app, members, "cid@x.co", name="Ann", role="c", level=7)
    dee = _member(app, members, "dee@x.co", name="", role="", level=0)
    users = app.collections.find("users")
    assert users is not None
    user = _member(app, users, "user@x.co", name="Ann")

    posts = add_collection(
        app,
        "base",
        "posts",
        [
            TextField(name="title"),
            NumberField(name="views"),
            RelationField(name="owner", collectionId=members.id, maxSelect=1),
            RelationField(name="editors", collectionId=members.id, maxSelect=5),
            SelectField(name="tags", values=["a", "b", "c"], maxSelect=3),
            JSONField(name="meta"),
            TextField(name="secret", hidden=True),
        ],
        listRule="",
        viewRule="",
    )
    comments = add_collection(
        app,
        "base",
        "comments",
        [
            TextField(name="text"),
            RelationField(name="post", collectionId=posts.id, maxSelect=1),
            RelationField(name="author", collectionId=members.id, maxSelect=1),
        ],
        listRule="",
        viewRule="",
    )
    p1 = _create(
        app,
        posts,
        {
            "title": "Hello",
            "views": 10,
            "owner": ann["id"],
            "editors": [bob["id"]],
            "tags": ["a", "b"],
            "meta": {"level": 3, "k": "v"},
            "secret": "s1",
        },
    )
    p2 = _create(app, posts, {"title": "a?b", "views": 3, "owner": bob["id"], "tags": ["c"], "secret": ""})
    p3 = _create(
        app,
        posts,
        {"title": "", "views": 6, "editors": [ann["id"], cid["id"]], "meta": {"level": 7}, "secret": "s3"},
    )
    _create(app, comments, {"text": "c1", "post": p1["id"], "author": bob["id"]})
    _create(app, comments, {"text": "c2", "post": p3["id"], "author": dee["id"]})

    su = superuser_info(app)
    ids = {
        "p1": p1["id"],
        "p2": p2["id"],
        "p3": p3["id"],
        "ann": ann["id"],
        "bob": bob["id"],
        "cid": cid["id"],
    }
    w = World(app=app, posts=posts, ids=ids)
    w.requesters = {
        "guest": RequestInfo(context="realtime"),
        "guest_q": RequestInfo(
            query={"min": "5", "t": "a?b"}, headers={"x_token": "secret"}, context="realtime"
        ),
        "ann": RequestInfo(
            auth=ann,
            auth_collection=members,
            query={"min": "20"},
            headers={"x_token": "secret"},
            context="realtime",
        ),
        "ann2": RequestInfo(
            auth=ann, auth_collection=members, query={"min": "1", "t": "Hello"}, context="realtime"
        ),
        "bob": RequestInfo(
            auth=bob,
            auth_collection=members,
            query={"t": "a?b"},
            headers={"x_token": "nope"},
            context="realtime",
        ),
        "cid": RequestInfo(
            auth=cid, auth_collection=members, query={"min": "6", "t": "ell"}, context="realtime"
        ),
        "dee": RequestInfo(auth=dee, auth_collection=members, context="realtime"),
        "user": RequestInfo(auth=user, auth_collection=users, query={"min": "0"}, context="realtime"),
        "su": RequestInfo(
            auth=su.auth, auth_collection=su.auth_collection, query={"min": "99"}, context="realtime"
        ),
    }
    yield w
    app.close()


def single(w: World, record: str, rule: str | None, who: str) -> bool:
    """The one-requester answer."""
    request = w.requesters[who]
    return bool(w.read(lambda conn: record_matches(w.app, conn, w.posts, w.ids[record], rule, request)))


def together(
    w: World, record: str, rule: str | None, who: list[str], options: dict[str, str] | None = None
) -> list[bool]:
    """The answers of `evaluate_many` for `who`, in order."""
    checks = [compile_access(w.posts, w.app.collections, w.requesters[r], rule, options) for r in who]
    return list(w.read(lambda conn: evaluate_many(conn, w.posts, w.ids[record], checks)))


EVERYONE = ["guest", "guest_q", "ann", "ann2", "bob", "cid", "dee", "user", "su"]
NON_SUPERUSERS = [r for r in EVERYONE if r != "su"]
RECORDS = ["p1", "p2", "p3"]

RULES: list[str] = [
    "owner = @request.auth.id",
    "@request.auth.id != ''",
    "views > 5 && owner.name = @request.auth.name",
    "tags:each ?= @request.auth.role",
    "tags ?= @request.auth.role || tags:length > 1",
    "views > @request.query.min",
    "@request.query.min > 5",  # two bound values: text > number whatever the digits
    "title = @request.query.t",
    "title ~ @request.query.t",
    "@request.headers.x_token = 'secret'",
    "@request.headers.x_token = 'secret' || owner = @request.auth.id",
    "title != 'a?b' && @request.auth.id != ''",
    "title ~ 'a?b' || owner = @request.auth.id",
    "editors.id ?= @request.auth.id",
    "editors.level ?> @request.auth.level",
    "meta.level = @request.auth.level",
    "owner.role ?= @request.auth.role && @request.auth.role != ''",
    "comments_via_post.author ?= @request.auth.id",
    "@collection.comments.post ?= id && @collection.comments.author ?= @request.auth.id",
    "@request.auth.collectionName = 'members' && views >= @request.query.min",
    "@now > '2000-01-01 00:00:00.000Z' && owner = @request.auth.id",
    "secret = 's1' && @request.auth.id != ''",
    "@request.auth.level >= 7 && (owner.id = '' || views < @request.query.min)",
]


@pytest.mark.parametrize("rule", [None, "", *RULES])
@pytest.mark.parametrize("record", RECORDS)
def test_many_requesters_get_the_same_answers_as_each_one_alone(
    world: World, record: str, rule: str | None
) -> None:
    expected = [single(world, record, rule, who) for who in EVERYONE]

    assert together(world, record, rule, EVERYONE) == expected


@pytest.mark.parametrize("record", RECORDS)
def test_checks_of_every_rule_and_requester_mixed_in_one_call_keep_their_own_answers(
    world: World, record: str
) -> None:
    pairs = [(rule, who) for rule in [None, "", *RULES] for who in EVERYONE]
    checks = [compile_access(world.posts, world.app.collections, world.requesters[w], r) for r, w in pairs]

    got = world.read(lambda conn: evaluate_many(conn, world.posts, world.ids[record], checks))

    assert got == [single(world, record, rule, who) for rule, who in pairs]


@pytest.mark.parametrize("rule", RULES)
def test_each_rule_of_the_matrix_admits_some_requesters_and_refuses_others(world: World, rule: str) -> None:
    # Guards the matrix: a rule every requester passes (or fails) everywhere proves nothing.
    answers = {single(world, record, rule, who) for record in RECORDS for who in NON_SUPERUSERS}

    assert answers == {True, False}


def test_the_answers_are_independent_of_the_order_of_the_requesters(world: World) -> None:
    rule = "owner = @request.auth.id || views > @request.query.min"
    forward = together(world, "p1", rule, EVERYONE)
    backward = together(world, "p1", rule, list(reversed(EVERYONE)))

    assert backward == list(reversed(forward))


def test_repeated_requesters_each_get_their_answer(world: World) -> None:
    who = ["ann", "bob", "ann", "guest", "bob", "ann"]

    assert together(world, "p1", "owner = @request.auth.id", who) == [True, False, True, False, False, True]


def test_known_answers_for_owner_and_query_rules(world: World) -> None:
    # Hand-computed, so that the reference itself is checked too.
    owner = together(world, "p1", "owner = @request.auth.id", EVERYONE)
    views = together(world, "p3", "views > @request.query.min", EVERYONE)  # p3 has 6 views

    assert dict(zip(EVERYONE, owner, strict=True)) == {
        "guest": False,
        "guest_q": False,
        "ann": True,
        "ann2": True,
        "bob": False,
        "cid": False,
        "dee": False,
        "user": False,
        "su": True,
    }
    assert dict(zip(EVERYONE, views, strict=True)) == {
        "guest": False,  # no min: NULL
        "guest_q": True,  # 6 > 5
        "ann": False,  # 6 > 20
        "ann2": True,
        "bob": False,
        "cid": False,  # 6 > 6
        "dee": False,
        "user": True,
        "su": True,  # superusers pass every rule, whatever their query
    }


def test_a_literal_with_a_question_mark_is_a_bound_value_and_groups_fine(world: World) -> None:
    who = ["guest", "ann", "bob", "dee"]

    assert together(world, "p2", "title = 'a?b' && @request.auth.id != ''", who) == [False, True, True, True]
    assert together(world, "p1", "title = 'a?b' && @request.auth.id != ''", who) == [
        False,
        False,
        False,
        False,
    ]


def test_requesters_sharing_a_rule_text_are_answered_by_one_grouped_query_with_a_row_per_distinct_value(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    sizes: list[int] = []
    original = many._group

    def spy(conn: apsw.Connection, collection: Collection, record_id: str, wheres: Any) -> set[int]:
        sizes.append(len(wheres))
        return original(conn, collection, record_id, wheres)

    monkeypatch.setattr(many, "_group", spy)
    who = ["ann", "bob", "cid", "dee", "ann2"]  # ann and ann2 bind the same auth id

    answers = together(world, "p1", "owner = @request.auth.id", who)

    assert sizes == [4]
    assert answers == [True, False, False, False, True]


def test_identical_requesters_share_one_single_query(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = many._single

    def spy(conn: apsw.Connection, collection: Collection, record_id: str, where: Check) -> bool:
        calls.append(where.sql)
        return original(conn, collection, record_id, where)

    monkeypatch.setattr(many, "_single", spy)
    monkeypatch.setattr(many, "_group", None)  # must not be needed

    assert together(world, "p1", "owner = @request.auth.id", ["ann", "ann2", "ann"]) == [True, True, True]
    assert len(calls) == 1


@pytest.mark.parametrize("limit", [1, 2, 3, 5, 7])
def test_chunks_smaller_than_the_group_give_the_same_answers(
    world: World, monkeypatch: pytest.MonkeyPatch, limit: int
) -> None:
    monkeypatch.setattr(many, "_MAX_VALUES", limit)
    rule = "views > @request.query.min || owner = @request.auth.id"
    expected = [single(world, "p1", rule, who) for who in EVERYONE]

    assert together(world, "p1", rule, EVERYONE * 3) == expected * 3


def test_a_large_group_gets_every_answer_right(world: World) -> None:
    # p1 has 10 views: requester i passes when i % 20 < 10 (every requester binds its own value).
    requests = [RequestInfo(query={"min": f"{i % 20}.{i:04d}"}, context="realtime") for i in range(2000)]
    checks = [
        compile_access(world.posts, world.app.collections, r, "views > @request.query.min") for r in requests
    ]
    assert len({c.key for c in checks if isinstance(c, Check)}) == 2000

    got = world.read(lambda conn: evaluate_many(conn, world.posts, world.ids["p1"], checks))

    assert got == [i % 20 < 10 for i in range(2000)]


def test_a_group_needing_more_values_than_sqlite_binds_at_once_is_split(world: World) -> None:
    # 17 bound values per requester x 2,000 requesters > 32,766 (SQLite's limit per statement).
    rule = "views > @request.query.min && " + " && ".join(f"title != @request.query.q{i}" for i in range(16))
    requests = []
    for i in range(2000):
        query = {"min": str(i % 20)} | {f"q{k}": f"x{k}-{i}" for k in range(16)}
        if i % 7 == 0:
            query["q3"] = "Hello"  # p1's title: refused
        requests.append(RequestInfo(query=query, context="realtime"))
    checks = [compile_access(world.posts, world.app.collections, r, rule) for r in requests]
    keys = {c.key for c in checks if isinstance(c, Check)}
    assert len(keys) == 2000
    assert sum(len(c.params) for c in checks if isinstance(c, Check)) > 32766

    got = world.read(lambda conn: evaluate_many(conn, world.posts, world.ids["p1"], checks))

    assert got == [i % 20 < 10 and i % 7 != 0 for i in range(2000)]
    sample = [0, 1, 2, 7, 9, 10, 1999]

    def alone(conn: apsw.Connection) -> list[bool]:
        return [
            record_matches(world.app, conn, world.posts, world.ids["p1"], rule, requests[i]) for i in sample
        ]

    assert [got[i] for i in sample] == world.read(alone)


# -- compile_access: decided checks -------------------------------------------------


def test_superusers_are_decided_without_sql_for_every_rule(world: World) -> None:
    su = world.requesters["su"]

    for rule in (None, "", "owner = @request.auth.id", "nonexistent = 1"):
        assert compile_access(world.posts, world.app.collections, su, rule) is True


def test_a_null_rule_refuses_and_an_empty_rule_admits_non_superusers_without_sql(world: World) -> None:
    for who in NON_SUPERUSERS:
        request = world.requesters[who]
        assert compile_access(world.posts, world.app.collections, request, None) is False
        assert compile_access(world.posts, world.app.collections, request, "") is True


def test_a_rule_that_does_not_compile_refuses_non_superusers(world: World) -> None:
    assert (
        compile_access(world.posts, world.app.collections, world.requesters["ann"], "nonexistent = 1")
        is False
    )
    assert together(world, "p1", "nonexistent = 1", ["guest", "ann", "su"]) == [False, False, True]


# -- options filters ----------------------------------------------------------------


def test_a_subscription_filter_applies_on_top_of_the_rule(world: World) -> None:
    rule = "owner = @request.auth.id || @request.auth.level >= 7"
    options = {"filter": "views > 5"}
    who = ["guest", "ann", "bob", "dee", "su"]

    assert together(world, "p1", rule, who, options) == [False, True, True, False, True]
    assert together(world, "p2", rule, who, options) == [False, False, False, False, False]  # 3 views
    # p3 has no owner: a guest's @request.auth.id is null, and '' equals null in PocketBase.
    assert together(world, "p3", rule, who, options) == [True, False, True, False, True]


def test_a_filter_for_everyone_under_an_empty_rule(world: World) -> None:
    options = {"filter": "tags:each ?= 'c'"}

    assert together(world, "p2", "", ["guest", "ann", "su"], options) == [True, True, True]
    assert together(world, "p1", "", ["guest", "ann", "su"], options) == [False, False, False]


def test_a_superuser_filter_still_filters_even_under_a_null_rule(world: World) -> None:
    assert together(world, "p1", None, ["su", "ann"], {"filter": "views > 100"}) == [False, False]
    assert together(world, "p1", None, ["su", "ann"], {"filter": "views > 5"}) == [True, False]


@pytest.mark.parametrize(
    "options",
    [
        {"filter": "@request.auth.id != ''"},
        {"filter": "title != '@request.'"},  # PocketBase only looks for the text
        {"filter": "@collection.comments.id ?!= ''"},
        {"filter": "views > 0", "sort": "@request.auth.id"},
        {"filter": "views > 0", "sort": "@collection.comments.text"},
    ],
)
def test_non_superusers_may_not_filter_or_sort_by_request_or_collection(
    world: World, options: dict[str, str]
) -> None:
    who = ["guest", "ann", "bob", "su"]

    assert together(world, "p1", "", who, options) == [False, False, False, True]


def test_a_sort_alone_is_not_checked_since_pocketbase_stops_when_there_is_no_filter(world: World) -> None:
    assert together(world, "p1", "", ["guest", "ann"], {"sort": "@request.auth.id"}) == [True, True]


def test_a_filter_on_a_hidden_field_refuses_everyone_even_superusers(world: World) -> None:
    who = ["guest", "ann", "su"]

    assert together(world, "p1", "", who, {"filter": "secret = 's1'"}) == [False, False, False]
    assert together(world, "p1", "", who, {"filter": "secret != 's1'"}) == [False, False, False]


def test_a_rule_may_read_a_hidden_field_where_a_filter_may_not(world: World) -> None:
    assert together(world, "p1", "secret = 's1'", ["guest", "ann"]) == [True, True]
    assert together(world, "p3", "secret = 's1'", ["guest", "ann"]) == [False, False]


def test_a_filter_that_does_not_compile_refuses_everyone(world: World) -> None:
    assert together(world, "p1", "", ["guest", "ann", "su"], {"filter": "nonexistent = 1"}) == [
        False,
        False,
        False,
    ]


def test_a_realtime_filter_has_no_length_limit(world: World) -> None:
    long_filter = "title != '" + "x" * 4000 + "'"

    assert together(world, "p1", "", ["guest", "ann", "su"], {"filter": long_filter}) == [True, True, True]


def test_filters_sharing_their_text_are_grouped_with_the_rule_values(world: World) -> None:
    rule = "owner = @request.auth.id || views > @request.query.min"
    options = {"filter": "tags:each ?= 'a'"}
    who = ["guest", "guest_q", "ann", "ann2", "bob", "cid", "dee", "user"]
    expected_rule = [single(world, "p1", rule, r) for r in who]

    assert together(world, "p1", rule, who, options) == expected_rule  # p1 has tag a
    assert together(world, "p3", rule, who, options) == [False] * len(who)  # p3 has no tags


# -- evaluate_many on its own -------------------------------------------------------


def make_check(sql: str, params: list[Any]) -> Check:
    """A hand-written check (its key: the text and the values)."""
    return Check(sql, params, (sql, tuple(params)))


def test_evaluate_many_keeps_decided_checks_and_their_order(world: World) -> None:
    owner = compile_access(
        world.posts, world.app.collections, world.requesters["ann"], "owner = @request.auth.id"
    )
    checks: list[Access] = [True, owner, False, owner, True]

    got = world.read(lambda conn: evaluate_many(conn, world.posts, world.ids["p1"], checks))

    assert got == [True, True, False, True, True]


def test_evaluate_many_with_no_checks_answers_nothing(world: World) -> None:
    assert world.read(lambda conn: evaluate_many(conn, world.posts, world.ids["p1"], [])) == []


def test_a_missing_record_passes_no_compiled_check(world: World) -> None:
    owner = compile_access(
        world.posts, world.app.collections, world.requesters["ann"], "owner = @request.auth.id"
    )
    plain = make_check("1", [])

    got = world.read(lambda conn: evaluate_many(conn, world.posts, "missing", [owner, owner, plain, True]))

    assert got == [False, False, False, True]


def test_a_check_that_fails_at_run_time_passes_nobody_and_spares_the_other_groups(world: World) -> None:
    broken = [make_check("json_extract(`posts`.`meta`, ?) IS NOT NULL", [path]) for path in ("$.[", "$.(")]
    fine = make_check("`posts`.`views` > ?", [5])

    got = world.read(
        lambda conn: evaluate_many(
            conn, world.posts, world.ids["p1"], [broken[0], fine, broken[1], broken[0]]
        )
    )

    assert got == [False, True, False, False]


def test_checks_without_bound_values_are_run_once_for_all_sharing_them(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    original = many._single

    def spy(conn: apsw.Connection, collection: Collection, record_id: str, where: Check) -> bool:
        calls.append(where.sql)
        return original(conn, collection, record_id, where)

    monkeypatch.setattr(many, "_single", spy)
    yes, no = make_check("`posts`.`views` > 5", []), make_check("`posts`.`views` > 50", [])

    got = world.read(lambda conn: evaluate_many(conn, world.posts, world.ids["p1"], [yes, no, yes, no, yes]))

    assert got == [True, False, True, False, True]
    assert sorted(calls) == sorted([yes.sql, no.sql])
