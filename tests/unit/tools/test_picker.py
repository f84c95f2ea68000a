import pytest

from palapy.tools.errors import ApiError
from palapy.tools.picker import pick_fields


def test_picks_nested_paths_and_keeps_list_keys() -> None:
    data = {
        "items": [{"id": "a", "title": "T", "expand": {"author": {"name": "N", "email": "e"}}}],
        "page": 1,
        "perPage": 30,
        "totalItems": 1,
        "totalPages": 1,
    }
    out = pick_fields(data, "id,expand.author.name")
    assert out["items"] == [{"id": "a", "expand": {"author": {"name": "N"}}}]
    assert out["totalItems"] == 1


def test_star_keeps_everything_at_its_level() -> None:
    assert pick_fields({"a": 1, "b": {"c": 2, "d": 3}}, "*,b.c") == {"a": 1, "b": {"c": 2}}


def test_excerpt_modifier() -> None:
    out = pick_fields({"body": "<p>Hello <b>world</b> this is</p>"}, "body:excerpt(12,true)")
    assert out == {"body": "Hello world..."}


def test_bad_excerpt_is_400() -> None:
    with pytest.raises(ApiError) as err:
        pick_fields({"body": "x"}, "body:excerpt(0)")
    assert err.value.status == 400
