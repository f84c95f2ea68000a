"""Blank collections, the field-list rules of PocketBase's `FieldsList`, and body loading."""

from __future__ import annotations

import zlib

import pytest

from palapy.collections.loading import BodyFormatError, apply_collection_body
from palapy.collections.scaffolds import add_field, init_default_fields, new_collection, scaffolds
from palapy.schema.fields import AutodateField, BoolField, NumberField, TextField


def test_a_field_without_id_gets_type_and_crc32_and_replaces_a_same_named_field_in_place() -> None:
    fields = [TextField(id="custom", name="title"), NumberField(name="views", id="number300981383")]
    add_field(fields, BoolField(name="title"))
    assert [(f.id, f.name, f.type) for f in fields] == [
        ("custom", "title", "bool"),
        ("number300981383", "views", "number"),
    ]
    add_field(fields, TextField(name="other"))
    assert fields[-1].id == f"text{zlib.crc32(b'other')}"


def test_a_field_with_an_id_replaces_the_field_with_that_id_and_generated_ids_avoid_collisions() -> None:
    fields = [TextField(id="text724990059", name="old")]
    add_field(fields, TextField(id="text724990059", name="renamed"))
    assert [f.name for f in fields] == ["renamed"]
    add_field(fields, TextField(name="title"))  # crc32("title") is 724990059: taken, so suffixed
    assert fields[-1].id == "text7249900592"


def test_missing_system_fields_are_added_and_their_flags_enforced() -> None:
    auth = new_collection("auth", "members")
    auth.fields = [TextField(name="email"), TextField(name="id", hidden=True, pattern="")]
    init_default_fields(auth)
    assert [(f.name, f.type) for f in auth.fields] == [
        ("email", "email"),  # a same-named field of the wrong type is replaced in place
        ("id", "text"),
        ("password", "password"),
        ("tokenKey", "text"),
        ("emailVisibility", "bool"),
        ("verified", "bool"),
    ]
    id_field = auth.field("id")
    assert isinstance(id_field, TextField)
    assert (id_field.hidden, id_field.system, id_field.primaryKey, id_field.pattern) == (
        False,
        True,
        True,
        "^[a-z0-9]+$",
    )


def test_scaffolds_are_blank_collections_of_each_type() -> None:
    out = scaffolds()
    assert sorted(out) == ["auth", "base", "view"]
    assert {k: (v["id"], v["name"], v["type"]) for k, v in out.items()} == {
        "auth": ("", "", "auth"),
        "base": ("", "", "base"),
        "view": ("", "", "view"),
    }
    assert out["view"]["viewQuery"] == "" and out["view"]["fields"] == []
    suffixes = {idx.split("`")[1].rsplit("_", 1)[1] for idx in out["auth"]["indexes"]}
    assert len(suffixes) == 1 and len(suffixes.pop()) == 10


def test_submitted_fields_start_from_zero_values_not_from_struct_defaults() -> None:
    c = new_collection("base", "posts")
    apply_collection_body(
        c, {"fields": [{"name": "created", "type": "autodate"}, {"name": "n", "type": "number", "min": 5}]}
    )
    created = c.field("created")
    assert isinstance(created, AutodateField) and (created.onCreate, created.onUpdate) == (False, False)
    assert c.field("n").to_json()["min"] == 5  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "body",
    [
        {"listRule": 5},
        {"system": "true"},
        {"indexes": [1]},
        {"fields": {}},
        {"fields": [None]},
        {"fields": [{"name": "s", "type": "select", "maxSelect": 1.5}]},
        {"fields": [{"name": "n", "type": "number", "max": "5"}]},
        {"authToken": {"duration": "5"}},
        {"oauth2": {"providers": [{"name": 1}]}},
    ],
)
def test_values_of_the_wrong_json_type_are_formatting_errors_and_change_nothing(
    body: dict[str, object],
) -> None:
    c = new_collection("auth", "members")
    before = c.to_json()
    with pytest.raises(BodyFormatError):
        apply_collection_body(c, {"name": "changed", **body})
    assert c.to_json() == before


def test_null_resets_to_the_zero_value_and_unknown_or_miscased_keys_are_ignored() -> None:
    c = new_collection("base", "posts")
    c.listRule = "x = 1"
    apply_collection_body(c, {"listRule": None, "NAME": "other", "whatever": 1, "indexes": None})
    assert (c.listRule, c.name, c.indexes) == (None, "posts", [])
