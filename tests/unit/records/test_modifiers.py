"""Modifier keys resolved against the current values (PocketBase's ReplaceModifiers)."""

from __future__ import annotations

from palapy.records.modifiers import resolve_modifiers
from palapy.schema.fields import (
    AutodateField,
    FileField,
    NumberField,
    RelationField,
    SelectField,
    TextField,
)
from palapy.schema.model import Collection
from palapy.storage.uploads import UploadedFile


def _posts() -> Collection:
    return Collection(
        id="pbc_1",
        name="posts",
        fields=[
            TextField(name="id", primaryKey=True),
            TextField(name="title"),
            TextField(name="code", autogeneratePattern="[0-9]{4}"),
            NumberField(name="views"),
            NumberField(name="score"),
            SelectField(name="tags", maxSelect=5, values=["a", "b", "c"]),
            SelectField(name="status", maxSelect=1, values=["draft", "live"]),
            RelationField(name="likers", maxSelect=9, collectionId="x"),
            FileField(name="files", maxSelect=5),
            AutodateField(name="created"),
        ],
    )


def test_number_and_list_modifiers_match_the_observed_update() -> None:
    base = {"views": 5, "score": 1.5, "tags": ["a", "b"]}
    out = resolve_modifiers(
        _posts(), {"views+": 3, "score-": 0.5, "tags+": "c", "tags-": ["a"], "+tags": "b"}, base
    )
    assert out["views"] == 8
    assert out["score"] == 1
    assert out["tags"] == ["b", "c"]
    assert not any(k.endswith(("+", "-")) or k.startswith("+") for k in out)


def test_plain_and_modifier_keys_apply_shortest_first() -> None:
    out = resolve_modifiers(_posts(), {"views": 10, "views+": "2", "views-": True}, {"views": 0})
    # views=10, then +2 and -1 (true casts to 1): 11.
    assert out["views"] == 11


def test_unknown_keys_pass_through_and_autodate_is_ignored() -> None:
    out = resolve_modifiers(
        _posts(),
        {"passwordConfirm": "x", "nope+": 1, "created": "2020-01-01"},
        {"created": "2024-01-01 00:00:00.000Z"},
    )
    assert out == {"passwordConfirm": "x", "nope+": 1, "created": "2024-01-01 00:00:00.000Z"}


def test_single_select_modifiers_keep_the_last_value() -> None:
    out = resolve_modifiers(_posts(), {"status+": ["live"]}, {"status": "draft"})
    assert out["status"] == "live"
    out = resolve_modifiers(_posts(), {"status-": "draft"}, {"status": "draft"})
    assert out["status"] == ""


def test_relation_append_deduplicates() -> None:
    out = resolve_modifiers(_posts(), {"likers+": ["u1", "u2", "u2"]}, {"likers": ["u1"]})
    assert out["likers"] == ["u1", "u2"]


def test_autogenerate_modifier_appends_a_random_part() -> None:
    out = resolve_modifiers(_posts(), {"code:autogenerate": "pre-"}, {"code": ""})
    assert out["code"].startswith("pre-") and len(out["code"]) == 8 and out["code"][4:].isdigit()
    assert "code:autogenerate" not in out


def test_file_modifiers_mix_names_and_uploads() -> None:
    upload = UploadedFile("new.txt", b"hi")
    out = resolve_modifiers(
        _posts(), {"files+": [upload], "files-": "old1.txt"}, {"files": ["old1.txt", "old2.txt"]}
    )
    assert out["files"] == ["old2.txt", upload]
    out = resolve_modifiers(_posts(), {"+files": upload}, {"files": ["old2.txt"]})
    assert out["files"] == [upload, "old2.txt"]


def test_a_collection_changed_in_place_gets_fresh_setters() -> None:
    posts = _posts()
    assert resolve_modifiers(posts, {"views+": 2}, {"views": 1})["views"] == 3
    posts.fields = [f for f in posts.fields if f.name != "views"] + [TextField(name="views")]
    out = resolve_modifiers(posts, {"views+": 2, "views": 7}, {"views": "1"})
    assert out == {"views+": 2, "views": "7"}  # no longer a number: `views+` is an unknown key
