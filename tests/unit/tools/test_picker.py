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


# Each row was observed on PocketBase 0.40.6 (`?fields=` on a record whose title is TITLE).
TITLE = "<p>Hello <b>world</b> this is long</p>"
RECORD = {"author": "", "collectionId": "pbc_", "collectionName": "posts", "id": "l4dg", "title": TITLE}


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ("title:excerpt(5 true)", {"title": "Hello..."}),
        ("title:excerpt 5", {"title": "Hello"}),
        ("title:excerpt(5)(1)", {"title": "Hello..."}),
        ("title:excerpt(5,tRuE)", {"title": "Hello"}),
        ("title:excerpt(010,true)", {"title": "Hello wo..."}),
        ("title:excerpt(0x5,true)", {"title": "Hello..."}),
        ("title:excerpt(5.5)", {"title": "Hello"}),
        ("title:excerpt(5),title", {"title": TITLE}),
        ("title,title:excerpt(5)", {"title": "Hello"}),
        (
            "*:excerpt(4)",
            {"author": "", "collectionId": "pbc_", "collectionName": "post", "id": "l4dg", "title": "Hell"},
        ),
        ("title.x:excerpt(3)", {"title": TITLE}),
        ("title:excerpt(3).x", {"title": "Hel"}),
        ("(title)", {}),
        (":excerpt(3)", {}),
    ],
)
def test_pocketbase_fields_semantics(fields: str, expected: dict[str, str]) -> None:
    assert pick_fields(dict(RECORD), fields) == expected


@pytest.mark.parametrize(
    "fields",
    ["nope:excerpt(0)", "nope:bad", "title:excerpt('5')", "title:excerpt(5,true,x)", "title:", "title::excerpt(3)",
     "title:excerpt()", "title'", "id,("],
)  # fmt: skip
def test_invalid_fields_are_400_even_for_missing_keys(fields: str) -> None:
    with pytest.raises(ApiError) as err:
        pick_fields(dict(RECORD), fields)
    assert err.value.status == 400


def test_picked_answers_hold_numbers_as_float64() -> None:
    out = pick_fields({"items": [], "page": 2**62, "perPage": 2, "totalItems": 0, "totalPages": 0}, "id")
    assert out["page"] == 4611686018427388000
    assert pick_fields({"page": 2**62}, "") == {"page": 2**62}
