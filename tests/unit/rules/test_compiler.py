"""SQL shapes: null/'' rules, LIKE wrapping, bound parameters, "all must match" subqueries."""

from __future__ import annotations

import pytest

from palapy.rules import filters as rules
from palapy.rules.request_info import RequestInfo
from palapy.search.compiler import _escape_unescaped, wrap_like
from palapy.search.sql import SqlExpr
from tests.unit.rules.filter_testdb import World, make_world


@pytest.fixture(scope="module")
def world() -> World:
    return make_world()


def sql(world: World, flt: str, request: RequestInfo | None = None, *, client: bool = False) -> SqlExpr:
    return rules.compile_filter(
        flt, world.coll("posts"), world.registry, request or RequestInfo(), alias="p", client=client
    )


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        ("title = 'x'", "(`p`.`title` = ?)"),
        ("title != 'x'", "(`p`.`title` IS NOT ?)"),
        ("title = ''", "((`p`.`title` = '' OR `p`.`title` IS NULL))"),
        ("title = null", "((`p`.`title` = '' OR `p`.`title` IS NULL))"),
        ("title != null", "((`p`.`title` IS NOT '' AND `p`.`title` IS NOT NULL))"),
        ("'' = title", "(('' = `p`.`title` OR `p`.`title` IS NULL))"),
        ("title = status", "(COALESCE(`p`.`title`, '') = COALESCE(`p`.`status`, ''))"),
        ("null = ''", "('' = '')"),
        ("null != null", "('' IS NOT '')"),
        ("published = true", "(`p`.`published` = 1)"),
        ("published = False", "(`p`.`published` = 0)"),
        ("views > 1", "(`p`.`views` > ?)"),
        ("views ?<= 1", "(`p`.`views` <= ?)"),
        (
            "meta = null",
            "((CASE WHEN json_valid(`p`.`meta`) THEN JSON_EXTRACT(`p`.`meta`, '$') "
            "ELSE JSON_EXTRACT(json_object('pb', `p`.`meta`), '$.pb') END) IS NULL)",
        ),
        ("title ~ status", "(`p`.`title` LIKE ('%' || `p`.`status` || '%') ESCAPE '\\')"),
        ("title !~ 'x'", "(`p`.`title` NOT LIKE ? ESCAPE '\\')"),
        ("strftime('%Y') = ''", "((strftime(?) = '' OR strftime(?) IS NULL))"),
    ],
)
def test_comparison_shapes(world: World, flt: str, expected: str) -> None:
    assert sql(world, flt).sql == expected


def test_and_or_are_written_flat_so_sql_precedence_applies(world: World) -> None:
    out = sql(world, "title = 'a' || title = 'b' && views > 1")
    assert out.sql == "(`p`.`title` = ? OR `p`.`title` = ? AND `p`.`views` > ?)"
    assert out.params == ["a", "b", 1.0]


def test_every_literal_is_a_bound_parameter(world: World) -> None:
    out = sql(world, 'title = "x\'); DROP TABLE posts; --" && views > 1.5 && due < @now')
    assert "DROP" not in out.sql
    assert out.params[0] == "x'); DROP TABLE posts; --"
    assert out.params[1] == 1.5 and isinstance(out.params[1], float)
    assert out.params[2].endswith("Z")


def test_request_values_are_bound_too(world: World) -> None:
    req = RequestInfo(body={"title": "a' OR 1=1 --"}, query={"q": "x"})
    out = sql(world, "title = @request.body.title && @request.query.q:lower != ''", req)
    assert "OR 1=1" not in out.sql
    assert out.params == ["a' OR 1=1 --", "x"]


def test_single_relation_id_needs_no_join(world: World) -> None:
    assert sql(world, "author.id = 'x'").sql == sql(world, "author = 'x'").sql == "(`p`.`author` = ?)"


def test_relations_are_walked_inside_one_exists(world: World) -> None:
    out = sql(world, "author.name = 'a' && author.age > 1")
    assert out.sql.startswith("EXISTS (SELECT 1 FROM (SELECT 1) `__pb_root` LEFT JOIN `users` `p_author` ON ")
    assert out.sql.count("LEFT JOIN `users` `p_author`") == 1  # one shared join


def test_plain_operators_on_multi_paths_add_a_not_exists(world: World) -> None:
    all_sql = sql(world, "likers.name = 'a'").sql
    any_sql = sql(world, "likers.name ?= 'a'").sql
    assert (
        "NOT EXISTS (SELECT 1 FROM (SELECT `__mm_p_likers`.`name` AS `multiMatchValue` FROM `posts` `__mm_p`"
        in all_sql
    )
    assert "WHERE `__mm_p`.`id` = `p`.`id`" in all_sql
    assert "NOT EXISTS" not in any_sql


def test_each_on_a_single_select_is_not_multi(world: World) -> None:
    assert "NOT EXISTS" not in sql(world, "status:each = 'draft'").sql
    assert "NOT EXISTS" in sql(world, "tags:each = 'a'").sql


def test_many_vs_many_compares_two_subqueries(world: World) -> None:
    out = sql(world, "likers.name = tags:each").sql
    assert "`__ml" in out and "LEFT JOIN (SELECT" in out and "`__mr" in out


def test_unique_single_back_relation_is_not_multi(world: World) -> None:
    users = world.coll("users")
    out = rules.compile_filter(
        "profiles_via_user.headline = 'x'", users, world.registry, RequestInfo(), alias="u", client=False
    )
    assert "NOT EXISTS" not in out.sql
    out = rules.compile_filter(
        "posts_via_author.title = 'x'", users, world.registry, RequestInfo(), alias="u", client=False
    )
    assert "NOT EXISTS" in out.sql  # no unique index on posts.author


def test_email_of_auth_records_needs_visibility_for_clients() -> None:
    w = make_world()
    users = w.coll("users")
    su = RequestInfo(auth={"id": "s"}, auth_collection=_superusers())
    client = rules.compile_filter("email = 'x'", users, w.registry, RequestInfo(), alias="u", client=True).sql
    assert client == "(((`u`.`email` = ?) AND (`u`.`emailVisibility` = TRUE)))"
    assert (
        rules.compile_filter("email = 'x'", users, w.registry, su, alias="u", client=True).sql
        == "(`u`.`email` = ?)"
    )


def _superusers():  # type: ignore[no-untyped-def]
    from palapy.schema.model import Collection

    return Collection(id="pbc_3142635823", name="_superusers", type="auth")


@pytest.mark.parametrize(
    ("value", "pattern"),
    [
        ("abc", "%abc%"),
        ("a_c", "%a\\_c%"),
        ("100\\%", "%100\\%%"),
        ("a\\b", "%a\\\\b%"),
        ("a\\\\b", "%a\\\\b%"),
        ("pc%", "pc%"),  # an unescaped % makes it a raw pattern
        ("%a\\%", "%a\\%"),
        ("__", "%_\\_%"),  # PocketBase's right-to-left walk leaves the first one
        (5.0, "%5%"),
        (-0.0, "%-0%"),
        (1.25, "%1.25%"),
        (None, "%%"),
        (True, "%true%"),
    ],
)
def test_like_wrapping(value: object, pattern: str) -> None:
    assert wrap_like(value) == pattern


def test_escape_walk() -> None:
    assert _escape_unescaped("a%b_c\\", "\\%_") == "a\\%b\\_c\\\\"
