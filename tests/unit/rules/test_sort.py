"""Sort strings: parsing, specials, limits and invalid keys."""

from __future__ import annotations

import pytest

from palapy.rules import filters as rules
from palapy.rules.request_info import RequestInfo
from palapy.search.errors import FilterError
from palapy.search.sort import parse_sort
from palapy.tools.errors import ApiError
from tests.unit.rules.filter_testdb import World, make_world


@pytest.fixture(scope="module")
def world() -> World:
    return make_world()


def order(world: World, sort: str, request: RequestInfo | None = None, client: bool = False) -> str:
    out = rules.compile_sort(
        sort, world.coll("posts"), world.registry, request or RequestInfo(), alias="p", client=client
    )
    assert out.params == []
    return out.sql


def test_parse_sort() -> None:
    assert parse_sort(" -a , +b,c ") == [("a", "DESC"), ("b", "ASC"), ("c", "ASC")]
    assert parse_sort("--a") == [("-a", "DESC")]
    assert parse_sort("a,") == [("a", "ASC"), ("", "ASC")]


def test_sort_shapes(world: World) -> None:
    assert order(world, "") == ""
    assert order(world, "-title,+views") == "`p`.`title` DESC, `p`.`views` ASC"
    assert order(world, "-@random,@rowid") == "RANDOM(), `p`.`_rowid_` ASC"
    assert order(world, "title:lower") == "LOWER(`p`.`title`) ASC"
    assert order(world, "author.name").startswith(
        "(SELECT `p_author`.`name` FROM (SELECT 1) `__pb_root` LEFT JOIN"
    )


@pytest.mark.parametrize(
    "sort",
    ["nope", "title,", " ", "@request.auth.id", "@now", "null", "'title'", "a,b,c,d,e,f,g,h,i", "x" * 256],
)
def test_invalid_sorts_are_400(world: World, sort: str) -> None:
    with pytest.raises(FilterError) as exc:
        order(world, sort)
    assert exc.value.status == 400


def test_eight_keys_are_allowed(world: World) -> None:
    assert order(world, ",".join(["title"] * 8)).count("ASC") == 8


def test_clients_cannot_sort_by_hidden_fields_or_request_values(world: World) -> None:
    with pytest.raises(FilterError):
        order(world, "secret", client=True)
    assert order(world, "secret") == "`p`.`secret` ASC"
    with pytest.raises(ApiError) as exc:
        order(world, "@request.auth.id", client=True)
    assert exc.value.status == 403
