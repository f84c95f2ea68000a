"""The rules API others call: compile_filter/sort/search, validate_rule, record_matches,
new_record_matches (createRule on a one-row CTE)."""

from __future__ import annotations

from typing import Any

import apsw
import pytest

from palapy.rules import evaluate
from palapy.rules import filters as rules
from palapy.rules.request_info import RequestInfo
from palapy.schema.fields import BoolField, EmailField, NumberField, RelationField, TextField
from palapy.schema.model import Collection
from palapy.schema.registry import CollectionRegistry
from palapy.search.errors import FilterError
from palapy.search.sql import SqlExpr
from palapy.tools.errors import ApiError

USERS = "_pb_users_auth_"


def _id() -> TextField:
    return TextField(name="id", primaryKey=True, system=True)


class Env:
    """users (auth) and posts (+ comments pointing at posts) in an in-memory database."""

    def __init__(self) -> None:
        self.users = Collection(
            id=USERS,
            name="users",
            type="auth",
            listRule="id = @request.auth.id",
            fields=[
                _id(),
                EmailField(name="email"),
                BoolField(name="emailVisibility"),
                BoolField(name="verified"),
                TextField(name="name"),
                TextField(name="token", hidden=True),
            ],
        )
        self.posts = Collection(
            id="pbc_posts",
            name="posts",
            listRule="published = true || author = @request.auth.id",
            createRule="author = @request.auth.id && title != '' && @request.body.title:isset = true",
            fields=[
                _id(),
                TextField(name="title"),
                BoolField(name="published"),
                NumberField(name="views"),
                RelationField(name="author", collectionId=USERS, maxSelect=1),
                RelationField(name="parent", collectionId="pbc_posts", maxSelect=1),
                TextField(name="secret", hidden=True),
            ],
        )
        self.comments = Collection(
            id="pbc_comments",
            name="comments",
            listRule="",
            fields=[
                _id(),
                TextField(name="text"),
                RelationField(name="post", collectionId="pbc_posts", maxSelect=1),
            ],
        )
        self.registry = CollectionRegistry()
        self.registry.replace([self.users, self.posts, self.comments])
        self.conn = apsw.Connection(":memory:")
        for c in self.registry.all():
            cols = ", ".join(f"`{f.name}` {f.column_definition()}" for f in c.fields)
            self.conn.execute(f"CREATE TABLE `{c.name}` ({cols})")
        self.add("users", id="u1", email="u1@x.co", name="One", token="t1")
        self.add("users", id="u2", email="u2@x.co", name="Two", verified=True)
        self.add("posts", id="p1", title="Hello", published=True, author="u1", views=3, secret="s")
        self.add("posts", id="p2", title="Draft", published=False, author="u2", parent="p1")
        self.add("posts", id="p3", title="Orphan", published=False)
        self.add("comments", id="c1", text="hi", post="p1")

    def add(self, coll: str, **values: Any) -> None:
        c = self.registry.find(coll)
        assert c is not None
        row = {f.name: f.to_db(f.normalize(values.get(f.name, f.empty_value()))) for f in c.fields}
        self.conn.execute(
            f"INSERT INTO `{coll}` ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
            list(row.values()),
        )

    def as_user(self, uid: str, **kw: Any) -> RequestInfo:
        row = self.conn.execute(
            "SELECT id, email, emailVisibility, verified, name, token FROM users WHERE id = ?", [uid]
        )
        rid, email, vis, verified, name, token = row.fetchone()
        auth = {
            "id": rid,
            "email": email,
            "emailVisibility": bool(vis),
            "verified": bool(verified),
            "name": name,
            "token": token,
        }
        return RequestInfo(auth=auth, auth_collection=self.users, **kw)

    @property
    def superuser(self) -> RequestInfo:
        return RequestInfo(
            auth={"id": "su"},
            auth_collection=Collection(id="pbc_3142635823", name="_superusers", type="auth"),
        )

    def ids(self, where: SqlExpr, order: SqlExpr | None = None, coll: str = "posts") -> list[str]:
        sql = f"SELECT p.id FROM `{coll}` AS p WHERE {where.sql}"
        params = list(where.params)
        if order is not None and order.sql:
            sql += f" ORDER BY {order.sql}"
            params += order.params
        return [r[0] for r in self.conn.execute(sql, params)]


@pytest.fixture
def env() -> Env:
    return Env()


# -- compile_filter ------------------------------------------------------------------
def test_empty_filter_is_true(env: Env) -> None:
    assert rules.compile_filter("", env.posts, env.registry, RequestInfo(), alias="p", client=True) == (
        "1",
        [],
    )


def test_sql_expr_is_sql_and_positional_params(env: Env) -> None:
    out = rules.compile_filter(
        "title = 'Hello' && views > 1", env.posts, env.registry, RequestInfo(), alias="p", client=True
    )
    assert isinstance(out, SqlExpr)
    assert out.sql.count("?") == len(out.params) == 2
    assert env.ids(out) == ["p1"]


@pytest.mark.parametrize(
    ("flt", "message"),
    [
        ("title = '@request.x'", "Only superusers can filter by @request."),
        ("@collection.users.name ?= 'x'", "Only superusers can filter by @collection."),
        ("@request.auth.id = '' && @collection.users.id = ''", "Only superusers can filter by @collection."),
    ],
)
def test_request_and_collection_markers_are_superuser_only(env: Env, flt: str, message: str) -> None:
    with pytest.raises(ApiError) as exc:
        rules.compile_filter(flt, env.posts, env.registry, env.as_user("u1"), alias="p", client=True)
    assert (exc.value.status, exc.value.message, exc.value.data) == (403, message, {})
    rules.compile_filter(flt, env.posts, env.registry, env.superuser, alias="p", client=True)
    rules.compile_filter(flt, env.posts, env.registry, env.as_user("u1"), alias="p", client=False)


def test_bad_filters_are_400_with_the_generic_message(env: Env) -> None:
    with pytest.raises(FilterError) as exc:
        rules.compile_filter("nope = 1", env.posts, env.registry, RequestInfo(), alias="p", client=True)
    err = exc.value
    assert err.to_dict() == {
        "data": {},
        "message": "Something went wrong while processing your request.",
        "status": 400,
    }
    assert err.raw == 'invalid left operand "nope" - unknown field "nope"'


def test_hidden_fields_are_filterable_only_by_superusers_and_rules(env: Env) -> None:
    with pytest.raises(FilterError):
        rules.compile_filter(
            "secret = 's'", env.posts, env.registry, env.as_user("u1"), alias="p", client=True
        )
    for req, client in ((env.superuser, True), (RequestInfo(), False)):
        out = rules.compile_filter("secret = 's'", env.posts, env.registry, req, alias="p", client=client)
        assert env.ids(out) == ["p1"]


def test_client_filter_length_limit_is_3500_bytes(env: Env) -> None:
    ok = "title = '" + "x" * (3500 - 10) + "'"
    assert len(ok) == 3500
    rules.compile_filter(ok, env.posts, env.registry, RequestInfo(), alias="p", client=True)
    with pytest.raises(FilterError):
        rules.compile_filter(ok[:-2] + "é'", env.posts, env.registry, RequestInfo(), alias="p", client=True)
    rules.compile_filter(ok + " ", env.posts, env.registry, RequestInfo(), alias="p", client=False)


def test_joined_collections_need_a_list_rule_for_clients(env: Env) -> None:
    env.users.listRule = None
    with pytest.raises(FilterError) as exc:
        rules.compile_filter(
            "author.name = 'One'", env.posts, env.registry, env.as_user("u1"), alias="p", client=True
        )
    assert exc.value.raw.endswith(
        '"users" fields can be accessed only when allowHiddenFields is enabled or by superusers'
    )


# -- compile_search ------------------------------------------------------------------
def test_search_applies_the_list_rule_for_non_superusers_only(env: Env) -> None:
    where, _ = rules.compile_search(
        env.posts, env.registry, env.as_user("u2"), alias="p", rule=env.posts.listRule
    )
    assert sorted(env.ids(where)) == ["p1", "p2"]
    where, _ = rules.compile_search(
        env.posts, env.registry, RequestInfo(), alias="p", rule=env.posts.listRule
    )
    assert sorted(env.ids(where)) == ["p1", "p3"]  # a guest's auth id is NULL, like p3's empty author
    where, _ = rules.compile_search(
        env.posts, env.registry, env.superuser, alias="p", rule=env.posts.listRule
    )
    assert sorted(env.ids(where)) == ["p1", "p2", "p3"]


def test_search_filter_and_joined_list_rules(env: Env) -> None:
    # users.listRule hides other users: u1 sees only posts whose author row is visible or absent.
    req = env.as_user("u1")
    where, order = rules.compile_search(
        env.posts, env.registry, req, alias="p", rule="", filter="author.name != 'x'", sort="-title"
    )
    assert env.ids(where, order) == ["p3", "p1"]  # p3 has no author: a NULL row passes "id = ''"
    where, order = rules.compile_search(env.posts, env.registry, req, alias="p", rule="", sort="author.name")
    assert env.ids(where, order) == ["p3", "p1"]  # sorting through users applies its listRule as well


def test_search_checks_the_sort_for_superuser_only_markers(env: Env) -> None:
    with pytest.raises(ApiError) as exc:
        rules.compile_search(
            env.posts, env.registry, RequestInfo(), alias="p", rule="", sort="@request.auth.id"
        )
    assert exc.value.status == 403


def test_compile_sort(env: Env) -> None:
    out = rules.compile_sort("-views,title", env.posts, env.registry, RequestInfo(), alias="p", client=True)
    assert env.ids(SqlExpr("1", []), out) == ["p1", "p2", "p3"]
    assert rules.compile_sort("", env.posts, env.registry, RequestInfo(), alias="p", client=True) == ("", [])


# -- validate_rule -------------------------------------------------------------------
def test_validate_rule(env: Env) -> None:
    assert rules.validate_rule(None, env.posts, env.registry) is None
    assert rules.validate_rule("", env.posts, env.registry) is None
    assert rules.validate_rule("secret = '' && @request.auth.token = 'x'", env.posts, env.registry) is None
    assert rules.validate_rule(" ", env.posts, env.registry) == "empty filter expression"
    assert (
        rules.validate_rule("views > 1e5", env.posts, env.registry)
        == 'expected && or ||, got "e5" (identifier)'
    )
    assert (
        rules.validate_rule("nope = 1", env.posts, env.registry)
        == 'invalid left operand "nope" - unknown field "nope"'
    )


def test_validate_rule_uses_the_collection_being_saved(env: Env) -> None:
    changed = env.posts.clone()
    changed.fields.append(TextField(name="subtitle"))
    assert rules.validate_rule("subtitle = '' && parent.subtitle = ''", changed, env.registry) is None
    assert rules.validate_rule("subtitle = ''", env.posts, env.registry) is not None


# -- record_matches ------------------------------------------------------------------
def test_record_matches(env: Env) -> None:
    u1 = env.as_user("u1")
    assert evaluate.rule_matches_record(
        env.conn, env.posts, "p1", "author = @request.auth.id", u1, env.registry
    )
    assert not evaluate.rule_matches_record(
        env.conn, env.posts, "p2", "author = @request.auth.id", u1, env.registry
    )
    assert evaluate.rule_matches_record(env.conn, env.posts, "p2", "", u1, env.registry)
    assert not evaluate.rule_matches_record(env.conn, env.posts, "p1", None, u1, env.registry)
    assert evaluate.rule_matches_record(env.conn, env.posts, "p1", None, env.superuser, env.registry)
    assert not evaluate.rule_matches_record(env.conn, env.posts, "p1", "nope = 1", u1, env.registry)
    assert evaluate.rule_matches_record(
        env.conn, env.posts, "p2", "parent.author.name = 'One'", u1, env.registry
    )
    assert evaluate.rule_matches_record(
        env.conn, env.posts, "p1", "comments_via_post.text ?= 'hi'", u1, env.registry
    )
    assert evaluate.rule_matches_record(
        env.conn, env.users, "u1", "token = @request.auth.token", u1, env.registry
    )


def test_record_matches_with_a_client_filter(env: Env) -> None:
    u1 = env.as_user("u1")
    assert evaluate.rule_matches_record(env.conn, env.posts, "p1", "", u1, env.registry, filter="views > 1")
    assert not evaluate.rule_matches_record(
        env.conn, env.posts, "p1", "", u1, env.registry, filter="views > 5"
    )
    assert not evaluate.rule_matches_record(
        env.conn, env.posts, "p1", "", u1, env.registry, filter="secret = 's'"
    )
    assert not evaluate.rule_matches_record(
        env.conn, env.posts, "p1", "published = false", u1, env.registry, filter="views > 1"
    )


# -- new_record_matches (createRule) ---------------------------------------------------
def _values(env: Env, **values: Any) -> dict[str, Any]:
    return {f.name: f.to_db(f.normalize(values[f.name])) for f in env.posts.fields if f.name in values}


def test_create_rule_sees_the_submitted_values(env: Env) -> None:
    req = env.as_user("u1", body={"title": "New", "author": "u1"})
    rule = env.posts.createRule
    assert evaluate.rule_matches_new_record(
        env.conn, env.posts, _values(env, title="New", author="u1"), rule, req, env.registry
    )
    assert not evaluate.rule_matches_new_record(
        env.conn, env.posts, _values(env, title="New", author="u2"), rule, req, env.registry
    )
    no_body = env.as_user("u1")
    assert not evaluate.rule_matches_new_record(
        env.conn, env.posts, _values(env, title="New", author="u1"), rule, no_body, env.registry
    )
    # Missing fields get their empty value; the record id gets a temporary one.
    assert evaluate.rule_matches_new_record(
        env.conn, env.posts, {}, "views = 0 && title = '' && id != ''", req, env.registry
    )


def test_create_rule_null_empty_and_broken(env: Env) -> None:
    req = env.as_user("u1")
    assert not evaluate.rule_matches_new_record(env.conn, env.posts, {}, None, req, env.registry)
    assert evaluate.rule_matches_new_record(env.conn, env.posts, {}, None, env.superuser, env.registry)
    assert evaluate.rule_matches_new_record(env.conn, env.posts, {}, "", req, env.registry)
    assert not evaluate.rule_matches_new_record(env.conn, env.posts, {}, "nope = 1", req, env.registry)


def test_create_rule_joins_relations_and_real_tables(env: Env) -> None:
    req = env.as_user("u1")
    vals = _values(env, title="x", author="u1", parent="p2")
    assert evaluate.rule_matches_new_record(
        env.conn, env.posts, vals, "author.name = 'One' && parent.title = 'Draft'", req, env.registry
    )
    assert evaluate.rule_matches_new_record(
        env.conn, env.posts, vals, "@collection.posts.id ?= 'p3'", req, env.registry
    )
    # The stand-in has its own id, so back-relations to it do not resolve (PocketBase: 400).
    assert not evaluate.rule_matches_new_record(
        env.conn, env.posts, vals, "comments_via_post.id ?= ''", req, env.registry
    )


def test_create_rule_forces_verified_false_for_auth_records(env: Env) -> None:
    values = {"email": "n@x.co", "verified": 1, "name": "N"}
    req = RequestInfo(body={"verified": True})
    assert evaluate.rule_matches_new_record(
        env.conn, env.users, values, "verified = false && name = 'N'", req, env.registry
    )
    assert not evaluate.rule_matches_new_record(
        env.conn, env.users, values, "verified = true", req, env.registry
    )
