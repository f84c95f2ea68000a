"""Differential test: the same filters on real PocketBase 0.40.6 and on palapy's compiler.

A real PocketBase is started on 127.0.0.1 (port 18501-18599), seeded over HTTP, asked every
case below, then stopped; its `data.db` is opened with APSW and each case is compiled by
`palapy.rules.filters.compile_search` and run there. Matching ids (and their order when a
sort is given), or the error status, must be identical.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import apsw
import pytest

from palapy.rules import evaluate
from palapy.rules import filters as rules
from palapy.rules.request_info import RequestInfo
from palapy.schema.registry import CollectionRegistry
from palapy.search.simple import compile_simple_filter, compile_simple_sort
from palapy.tools.errors import ApiError
from palapy.tools.gocast import go_json
from tests.unit.rules.filter_pb_helpers import SU_EMAIL, PocketBase
from tests.unit.rules.filter_pb_seed import USER_PASSWORD, seed, seed_tasks

HEADER_TOKEN = "abc123"
EXTRA_QUERY = {"foo": "bar", "num": "7"}
ALIAS = "t0"

# (who, collection, filter, sort)
CASES: list[tuple[str, str, str, str]] = [
    # -- literals, null and empty rules
    ("su", "posts", "title = 'Hello'", ""),
    ("su", "posts", 'title = "Hello"', ""),
    ("su", "posts", "'Hello' = title", ""),
    ("su", "posts", "title = ''", ""),
    ("su", "posts", "title = null", ""),
    ("su", "posts", "title != ''", ""),
    ("su", "posts", "title != null", ""),
    ("su", "posts", "null = title", ""),
    ("su", "posts", "title = NULL || views = 100", ""),
    ("su", "posts", "title = body", ""),
    ("su", "posts", "title != body", ""),
    ("su", "posts", "views = 0", ""),
    ("su", "posts", "views = ''", ""),
    ("su", "posts", "views != 0", ""),
    ("su", "posts", "views > 5.5", ""),
    ("su", "posts", "views >= -3 && views < 10", ""),
    ("su", "posts", "views <= 7", ""),
    ("su", "posts", "score = 1.5", ""),
    ("su", "posts", "score < 0", ""),
    ("su", "posts", "published = true", ""),
    ("su", "posts", "published = FALSE", ""),
    ("su", "posts", "published != true", ""),
    ("su", "posts", "status = 'draft'", ""),
    ("su", "posts", "status = ''", ""),
    ("su", "posts", "1 = 1", ""),
    ("su", "posts", "'a' = 'b'", ""),
    ("su", "posts", "null = null", ""),
    ("su", "posts", "title = 'it\\'s \"quoted\"'", ""),
    ("su", "posts", 'title = "it\'s \\"quoted\\""', ""),
    ("su", "posts", "body = 'l1\\nl2'", ""),
    ("su", "posts", "body = 'a\\\\b back'", ""),
    ("su", "posts", "body = 'a\\b back'", ""),
    # -- LIKE
    ("su", "posts", "title ~ 'hello'", ""),
    ("su", "posts", "title !~ 'hello'", ""),
    ("su", "posts", "title ~ 'P%'", ""),
    ("su", "posts", "body ~ '100%'", ""),
    ("su", "posts", "body ~ '100\\%'", ""),
    ("su", "posts", "body ~ 'real_deal'", ""),
    ("su", "posts", "body ~ 'l_deal'", ""),
    ("su", "posts", "body ~ '\\\\'", ""),
    ("su", "posts", "title ~ ''", ""),
    ("su", "posts", "body ~ title", ""),
    ("su", "posts", "title ~ 1", ""),
    # -- precedence, groups, comments
    ("su", "posts", "title='P1' || title='P2' && views > 100", ""),
    ("su", "posts", "(title='P1' || title='P2') && views > 15", ""),
    ("su", "posts", "views > 1 && (status = 'draft' || (status = 'archived' && published = true))", ""),
    ("su", "posts", "title = 'P1' // a comment\n|| title = 'P6'", ""),
    # -- multi select
    ("su", "posts", "tags ?= 'c'", ""),
    ("su", "posts", "tags:each ?= 'c'", ""),
    ("su", "posts", "tags:each = 'c'", ""),
    ("su", "posts", "tags:each != 'a'", ""),
    ("su", "posts", "tags:each ?!= 'a'", ""),
    ("su", "posts", "tags ~ 'c'", ""),
    ("su", "posts", "tags ~ '%'", ""),
    ("su", "posts", "tags:length = 2", ""),
    ("su", "posts", "tags:length = 0", ""),
    ("su", "posts", "tags = '[]'", ""),
    ("su", "posts", "tags = ''", ""),
    ("su", "posts", "status:length = 1", ""),
    ("su", "posts", "status:each = 'draft'", ""),
    # -- relations
    ("su", "posts", "author = ''", ""),
    ("su", "posts", "author.name = 'User One'", ""),
    ("su", "posts", "author.name != 'User One'", ""),
    ("su", "posts", "author.id != ''", ""),
    ("su", "posts", "author.role = 'admin' && author.age > 10", ""),
    ("su", "posts", "author.friends.name ?= 'User Two'", ""),
    ("su", "posts", "author.friends.name = 'User Two'", ""),
    ("su", "posts", "likers.name = 'User One'", ""),
    ("su", "posts", "likers.name ?= 'User One'", ""),
    ("su", "posts", "likers.name ~ 'user'", ""),
    ("su", "posts", "likers.name ?~ 'two'", ""),
    ("su", "posts", "likers.id ?= author", ""),
    ("su", "posts", "likers.id = author", ""),
    ("su", "posts", "likers:length > 1", ""),
    ("su", "posts", "likers:each ?= author", ""),
    ("su", "posts", "likers.age > 10", ""),
    ("su", "posts", "likers.age ?> 40", ""),
    ("su", "posts", "cats.name ?= 'Tech'", ""),
    ("su", "posts", "cats.name = likers.name", ""),
    ("su", "posts", "cats.rank ?> likers.age", ""),
    ("su", "posts", "cat.name = 'News' || cats.name ?= 'News'", ""),
    ("su", "posts", "likers.name ?= 'User One' && likers.name ?= 'User Two'", ""),
    ("su", "posts", "author.friends.friends.name ?= 'User One'", ""),
    # -- back relations
    ("su", "posts", "comments_via_post.text = 'c2'", ""),
    ("su", "posts", "comments_via_post.text ?= 'c2'", ""),
    ("su", "posts", "comments_via_post.id ?!= ''", ""),
    ("su", "posts", "comments_via_post.likers.name ?= 'User Two'", ""),
    ("su", "posts", "comments_via_post.order:length = 1", ""),
    ("su", "users", "profiles_via_user.headline = 'Member'", ""),
    ("su", "users", "profiles_via_user.headline != 'Member'", ""),
    ("su", "users", "posts_via_likers.title ?= 'P1'", ""),
    ("su", "users", "posts_via_likers.title = 'P1'", ""),
    ("su", "users", "posts_via_author.views > 6", ""),
    ("su", "users", "users_via_friends.name ?= 'User One'", ""),
    ("su", "comments", "post.comments_via_post.text ?= 'c5'", ""),
    # -- json and geoPoint
    ("su", "posts", "meta = null", ""),
    ("su", "posts", "meta = 5", ""),
    ("su", "posts", "meta = 'str'", ""),
    ("su", "posts", "meta = true", ""),
    ("su", "posts", "meta.k.0 = 1", ""),
    ("su", "posts", "meta.a.b = 'deep'", ""),
    ("su", "posts", "meta.2.x = 3", ""),
    ("su", "posts", "meta.1 = 'two'", ""),
    ("su", "posts", "meta.k != null", ""),
    ("su", "posts", "meta ~ 'two'", ""),
    ("su", "posts", "loc.lon > 20", ""),
    ("su", "posts", "loc.lat = 0", ""),
    ("su", "posts", "geoDistance(loc.lon, loc.lat, 23.32, 42.69) < 5", ""),
    ("su", "posts", "geoDistance(loc.lon, loc.lat, 0, 51.5) < 100", ""),
    # -- dates and functions
    ("su", "posts", "due > '2025-01-01'", ""),
    ("su", "posts", "due = ''", ""),
    ("su", "posts", "due < @now", ""),
    ("su", "posts", "created <= @now && created > @yesterday", ""),
    ("su", "posts", "due < @todayStart && due > @yearStart", ""),
    ("su", "posts", "@year > 2000 && @month >= 1 && @weekday < 7", ""),
    ("su", "posts", "strftime('%Y', due) = '2025'", ""),
    ("su", "posts", "strftime('%Y-%m', due, 'start of month') = '2025-01'", ""),
    ("su", "posts", "strftime('%Y', due) = ''", ""),
    ("su", "posts", "strftime('%m', likers.id) = ''", ""),
    # -- modifiers
    ("su", "posts", "title:lower = 'hello'", ""),
    ("su", "posts", "title:lower ~ 'hello'", ""),
    ("su", "posts", "likers.name:lower ?= 'user one'", ""),
    ("su", "posts", "likers.name:lower = 'user one'", ""),
    # -- @request and @collection (superuser)
    ("su", "posts", "@request.method = 'GET'", ""),
    ("su", "posts", "@request.context = 'default'", ""),
    ("su", "posts", "@request.query.foo = 'bar' && views > 10", ""),
    ("su", "posts", "@request.query.num = views", ""),
    ("su", "posts", "@request.query.missing = null", ""),
    ("su", "posts", "@request.query.foo:isset = true && @request.query.nope:isset = false", ""),
    ("su", "posts", "@request.headers.x_token = 'abc123'", ""),
    ("su", "posts", "@request.auth.collectionName = '_superusers' && title = 'P1'", ""),
    ("su", "posts", "@request.auth.id != ''", ""),
    ("su", "posts", "@request.body.title = null", ""),
    ("su", "posts", "@collection.users.name ?= 'User Two' && views = 10", ""),
    ("su", "posts", "@collection.users.id ?= author && @collection.users.role ?= 'guest'", ""),
    ("su", "posts", "@collection.users.name = 'User One'", ""),
    ("su", "posts", "@collection.cats:c.name ?= 'Tech' && @collection.cats:c.id ?= cat", ""),
    ("su", "posts", "@collection.comments.post ?= id && @collection.comments.text ?= 'c5'", ""),
    # -- functions and modifiers over relations
    ("su", "posts", "geoDistance(cats.rank, cats.rank, 1, 1) < 1", ""),
    ("su", "posts", "strftime('%Y', comments_via_post.created) = strftime('%Y', @now)", ""),
    ("su", "posts", "strftime('%Y', comments_via_post.created) ?= strftime('%Y', @now)", ""),
    ("su", "posts", "comments_via_post:length > 0", ""),
    ("su", "posts", "likers:each = author", ""),
    ("su", "posts", "tags:each ~ '%'", ""),
    ("su", "posts", "author.email ~ 'u1'", ""),
    ("u1", "posts", "author.email ~ 'u1'", ""),
    ("su", "users", "@request.auth.email = 'su@example.com' && name = 'User One'", ""),
    ("su", "users", "friends.friends.id ?= id", ""),
    ("su", "users", "friends:length = 0 || friends.age ?< 25", "-age"),
    # -- hidden fields and errors
    ("su", "posts", "secret = 's0'", ""),
    ("su", "users", "bio ~ 'bio'", ""),
    ("su", "posts", "nope = 1", ""),
    ("su", "posts", "title", ""),
    ("su", "posts", "views > 1e2", ""),
    ("su", "posts", "views > -", ""),
    ("su", "posts", "foo(1) = 1", ""),
    ("su", "posts", "title = 'x' && ()", ""),
    ("su", "posts", "title.x = 1", ""),
    ("su", "posts", "tags:foo = 1", ""),
    # -- sort
    ("su", "posts", "", "-views"),
    ("su", "posts", "", "score,-title"),
    ("su", "posts", "views > 0", "+title"),
    ("su", "posts", "", "author.name,-views"),
    ("su", "posts", "", "-@rowid"),
    ("su", "posts", "", "title:lower,id"),
    ("su", "posts", "", "tags:length,views"),
    ("su", "comments", "", "-post.views,order"),
    ("su", "posts", "", "nope"),
    ("su", "posts", "", "@request.auth.id"),
    # -- client restrictions (non-superusers)
    ("u1", "posts", "title = 'Hello'", ""),
    ("u1", "posts", "secret = 's0'", ""),
    ("u1", "posts", "@request.auth.id != ''", ""),
    ("u1", "posts", "title = '@collection.x'", ""),
    ("u1", "posts", "", "@request.auth.id"),
    ("u1", "posts", "author.name != ''", ""),
    ("u1", "posts", "author.name = 'User One' || title = 'P1'", ""),
    ("guest", "posts", "author.name = 'User One' || title = 'P1'", ""),
    ("guest", "posts", "author.id != ''", ""),
    ("u2", "posts", "likers.name ?= 'User Two'", ""),
    ("u1", "posts", "cat.name = 'News'", ""),
    ("u1", "posts", "priv.label = 'Secret'", ""),
    ("u1", "posts", "comments_via_post.text ?= 'c2'", ""),
    ("u1", "users", "email ~ 'example'", ""),
    ("su", "users", "email ~ 'example'", ""),
    ("u1", "posts", "", "author.name"),
    ("u1", "comments", "post.author.name ?= 'User One'", ""),
    ("u1", "privs", "", ""),
    # -- auth-dependent API rule (notes)
    ("u1", "notes", "", ""),
    ("u2", "notes", "", ""),
    ("u3", "notes", "", ""),
    ("guest", "notes", "", ""),
    ("u1", "notes", "text != 'n2'", ""),
    ("su", "notes", "", ""),
]


# Create/update requests on `tasks` (rules in filter_pb_seed): (who, method, record, body).
# "$u1"-style strings are replaced by the seeded ids.
MUTATIONS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("u1", "POST", "", {"title": "a", "status": "todo", "prio": 5, "owner": "$u1"}),
    ("u1", "POST", "", {"title": "b", "status": "todo", "prio": 5, "owner": "$u2"}),
    ("u2", "POST", "", {"title": "c", "status": "doing", "prio": 1, "owner": "$u2"}),
    ("u1", "POST", "", {"title": "d", "status": "doing", "prio": 3, "owner": "$u1"}),
    ("u1", "POST", "", {"title": "e", "status": "todo", "owner": "$u1"}),
    ("u1", "POST", "", {"title": "f", "status": "todo", "prio": 12, "owner": "$u1"}),
    ("u1", "POST", "", {"title": "g", "status": "todo", "prio": 1, "owner": "$u1", "tags": ["x", "y", "z"]}),
    ("u1", "POST", "", {"title": "h", "status": "todo", "prio": 1, "owner": "$u1", "tags": ["x", "y"]}),
    ("guest", "POST", "", {"title": "i", "status": "todo", "prio": 1}),
    ("u1", "PATCH", "T1", {"title": "new"}),
    ("u1", "PATCH", "T1", {"status": "doing"}),
    ("u1", "PATCH", "T1", {"status": "todo"}),
    ("u1", "PATCH", "T2", {"tags": ["x", "y"]}),
    ("u1", "PATCH", "T2", {"tags": ["y"]}),
    ("u2", "PATCH", "T2", {"status": "done"}),
    ("u2", "PATCH", "T2", {"prio": 9}),
    ("u3", "PATCH", "T3", {"owner": "$u4"}),
    ("u2", "PATCH", "T1", {"owner": "$u1"}),
    ("u2", "PATCH", "T4", {"title": "Shout"}),
    ("u2", "PATCH", "T4", {"title": "whisper"}),
    ("guest", "PATCH", "T3", {"owner": "$u4"}),
]


# GET /api/collections (plain-column resolver): (filter, sort).
COLLECTION_FIELDS = ["id", "created", "updated", "name", "system", "type"]
COLLECTION_CASES: list[tuple[str, str]] = [
    ("name ~ 'o' && system = false", "name"),
    ("type = 'auth'", "-name"),
    ("system = true || name = 'posts'", "-type,name"),
    ("name:lower = 'posts'", ""),
    ("fields ~ 'x'", ""),
    ("created > '2000-01-01' && id != ''", "-@rowid"),
    ("", "nope"),
    ("name = 'a' &&", ""),
]


def _subst(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str) and value.startswith("$"):
        return ids[value[1:]]
    if isinstance(value, list):
        return [_subst(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _subst(v, ids) for k, v in value.items()}
    return value


def _case_id(case: tuple[str, str, str, str]) -> str:
    who, coll, flt, sort = case
    return f"{who}:{coll}:{flt!r}:{sort!r}"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    pb = PocketBase()
    db_dir = tmp_path_factory.mktemp("pbcopy")
    try:
        ids = seed(pb)
        seed_tasks(pb, ids)
        # A consistent snapshot before any mutation case runs (rules see the stored rows).
        live = apsw.Connection(str(Path(pb.data) / "data.db"), flags=apsw.SQLITE_OPEN_READONLY)
        snapshot = apsw.Connection(str(db_dir / "data.db"))
        with snapshot.backup("main", live, "main") as backup:
            backup.step()
        live.close()
        snapshot.close()
        tokens = {"su": pb.su_token, "guest": None}
        for who in ("u1", "u2", "u3"):
            tokens[who] = pb.login("users", f"{who}@example.com", USER_PASSWORD)
        answers: dict[tuple[str, str, str, str], tuple[int, list[str] | None]] = {}
        for case in CASES:
            who, coll, flt, sort = case
            params = {"perPage": "1000", "skipTotal": "1", "fields": "id", **EXTRA_QUERY}
            if flt:
                params["filter"] = flt
            if sort:
                params["sort"] = sort
            status, body = pb.request(
                "GET",
                f"/api/collections/{coll}/records",
                token=tokens[who],
                params=params,
                headers={"X-Token": HEADER_TOKEN},
            )
            answers[case] = (status, [i["id"] for i in body["items"]] if status == 200 else None)
        collection_answers: list[tuple[int, list[str] | None]] = []
        for flt, sort in COLLECTION_CASES:
            params = {"perPage": "1000", "fields": "name", "filter": flt, "sort": sort}
            status, body = pb.request("GET", "/api/collections", token=pb.su_token, params=params)
            collection_answers.append((status, [c["name"] for c in body["items"]] if status == 200 else None))
        mutation_answers: list[int] = []
        for who, method, rec, body in MUTATIONS:
            path = "/api/collections/tasks/records" + (f"/{ids[rec]}" if rec else "")
            status, _ = pb.request(method, path, _subst(body, ids), token=tokens[who])
            mutation_answers.append(status)
    finally:
        pb.stop()
    pb.cleanup()
    conn = apsw.Connection(str(db_dir / "data.db"))
    registry = CollectionRegistry()
    registry.reload(conn)
    yield {
        "conn": conn,
        "registry": registry,
        "answers": answers,
        "ids": ids,
        "mutations": mutation_answers,
        "collections": collection_answers,
    }
    conn.close()


def _request(world: dict[str, Any], who: str, flt: str, sort: str) -> RequestInfo:
    registry: CollectionRegistry = world["registry"]
    query = {"perPage": "1000", "skipTotal": "1", "fields": "id", **EXTRA_QUERY}
    if flt:
        query["filter"] = flt
    if sort:
        query["sort"] = sort
    req = RequestInfo(method="GET", query=query, headers={"x_token": HEADER_TOKEN}, context="default")
    if who == "guest":
        return req
    coll_name, where, arg = (
        ("_superusers", "email = ?", SU_EMAIL)
        if who == "su"
        else ("users", "email = ?", f"{who}@example.com")
    )
    coll = registry.find(coll_name)
    assert coll is not None
    cur = world["conn"].execute(f"SELECT * FROM `{coll_name}` WHERE {where}", [arg])
    names = [d[0] for d in cur.getdescription()]
    row = dict(zip(names, cur.fetchone(), strict=True))
    for key in ("verified", "emailVisibility"):
        row[key] = bool(row[key])
    req.auth = row
    req.auth_collection = coll
    return req


def _palapy(world: dict[str, Any], case: tuple[str, str, str, str]) -> tuple[int, list[str] | None]:
    who, coll_name, flt, sort = case
    registry: CollectionRegistry = world["registry"]
    coll = registry.find(coll_name)
    assert coll is not None
    req = _request(world, who, flt, sort)
    if coll.listRule is None and not req.is_superuser:
        return 403, None
    try:
        where, order = rules.compile_search(
            coll, registry, req, alias=ALIAS, rule=coll.listRule, filter=flt, sort=sort
        )
    except ApiError as err:
        return err.status, None
    sql = f"SELECT `{ALIAS}`.`id` FROM `{coll.name}` AS `{ALIAS}` WHERE {where.sql}"
    if order.sql:
        sql += f" ORDER BY {order.sql}"
    rows = world["conn"].execute(sql, [*where.params, *order.params]).fetchall()
    return 200, [r[0] for r in rows]


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_same_result_as_pocketbase(world: dict[str, Any], case: tuple[str, str, str, str]) -> None:
    expected_status, expected_ids = world["answers"][case]
    status, got = _palapy(world, case)
    assert status == expected_status, (case, got)
    if expected_ids is None or got is None:
        return
    if not case[3] or "@random" in case[3]:
        expected_ids, got = sorted(expected_ids), sorted(got)
    names = {v: k for k, v in world["ids"].items()}
    assert [names.get(i, i) for i in got] == [names.get(i, i) for i in expected_ids]


def test_the_cases_discriminate(world: dict[str, Any]) -> None:
    """The data set is rich enough: successful answers are neither all empty nor all full."""
    sizes = {len(ids) for status, ids in world["answers"].values() if status == 200 and ids is not None}
    assert 0 in sizes and len(sizes) > 5
    assert sum(1 for status, _ in world["answers"].values() if status == 400) >= 8


def _palapy_mutation(world: dict[str, Any], who: str, method: str, rec: str, raw_body: dict[str, Any]) -> int:
    """The status palapy's rules give: create 200/400, update 200/404 (403 for a null rule)."""
    registry: CollectionRegistry = world["registry"]
    tasks = registry.find("tasks")
    assert tasks is not None
    body = _subst(raw_body, world["ids"])
    body = {k: float(v) if isinstance(v, int) and not isinstance(v, bool) else v for k, v in body.items()}
    req = _request(world, who, "", "")
    req.method = method
    req.body = body
    if method == "POST":
        values: dict[str, Any] = {}
        for key, value in body.items():
            values[key] = go_json(value) if isinstance(value, list) else value
        ok = evaluate.rule_matches_new_record(world["conn"], tasks, values, tasks.createRule, req, registry)
        return 200 if ok else 400
    ok = evaluate.rule_matches_record(
        world["conn"], tasks, world["ids"][rec], tasks.updateRule, req, registry
    )
    return 200 if ok else 404


@pytest.mark.parametrize(
    "index", range(len(MUTATIONS)), ids=lambda i: f"{MUTATIONS[i][0]}-{MUTATIONS[i][1]}-{i}"
)
def test_same_rule_outcome_as_pocketbase(world: dict[str, Any], index: int) -> None:
    who, method, rec, body = MUTATIONS[index]
    assert _palapy_mutation(world, who, method, rec, body) == world["mutations"][index]


def test_the_mutations_discriminate(world: dict[str, Any]) -> None:
    assert set(world["mutations"]) == {200, 400, 404}


@pytest.mark.parametrize("index", range(len(COLLECTION_CASES)), ids=lambda i: repr(COLLECTION_CASES[i]))
def test_collections_list_filter_as_pocketbase(world: dict[str, Any], index: int) -> None:
    flt, sort = COLLECTION_CASES[index]
    expected = world["collections"][index]
    try:
        where = compile_simple_filter(flt, COLLECTION_FIELDS)
        order = compile_simple_sort(sort, COLLECTION_FIELDS)
    except ApiError as err:
        assert (err.status, None) == expected
        return
    sql = f"SELECT name FROM _collections WHERE {where.sql}" + (f" ORDER BY {order.sql}" if order.sql else "")
    got = [r[0] for r in world["conn"].execute(sql, [*where.params, *order.params])]
    assert (200, got if sort else sorted(got)) == (
        expected[0],
        expected[1] if sort else sorted(expected[1] or []),
    )
