"""The collection write pipeline, called directly (no HTTP): create, update, delete, truncate, import."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from palapy.app import Palapy
from palapy.collections import service
from palapy.collections.importer import import_collections
from palapy.db.connection import query_all
from palapy.hooks.events import CollectionEvent
from palapy.tools.errors import ApiError
from tests.unit.collections.collections_support import (
    api_error,
    columns,
    create,
    insert,
    new_app,
    rows,
    run,
    stored_options,
    update,
)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Palapy]:
    core = new_app(tmp_path)
    yield core
    core.close()


# -- create ------------------------------------------------------------------------


def test_a_base_collection_created_without_fields_has_only_the_id_field(app: Palapy) -> None:
    created = create(app, {"name": "posts", "type": "base"})
    assert created.id == "pbc_1125843985"
    assert [f.name for f in created.fields] == ["id"]
    assert created.fields[0].id == "text3208210256"
    assert columns(app, "posts") == ["id"]
    assert app.collections.find("posts") is not None  # the registry was reloaded after commit


def test_a_duplicate_name_is_rejected_case_insensitively(app: Palapy) -> None:
    create(app, {"name": "posts"})
    err = api_error(create, app, {"name": "POSTS"})
    assert err.status == 400 and err.message == "Failed to create collection."
    assert err.data == {
        "name": {
            "code": "validation_collection_name_exists",
            "message": "Collection name must be unique (case insensitive).",
        }
    }


def test_errors_of_several_keys_are_reported_together_sorted(app: Palapy) -> None:
    err = api_error(create, app, {"name": "a b", "type": "weird", "indexes": ["bad"], "listRule": "nope = 1"})
    assert list(err.data) == ["indexes", "listRule", "name", "type"]
    assert err.data["indexes"]["0"]["code"] == "validation_invalid_index_expression"
    assert err.data["listRule"]["message"].startswith("Invalid rule. Raw error: ")
    assert err.data["name"]["code"] == "validation_match_invalid"
    assert err.data["type"]["code"] == "validation_in_invalid"


def test_field_errors_are_keyed_by_position_after_the_id_field(app: Palapy) -> None:
    err = api_error(
        create, app, {"name": "t", "fields": [{"name": "a", "type": "text"}, {"name": "A", "type": "bool"}]}
    )
    assert err.data == {
        "fields": {
            "2": {
                "name": {
                    "code": "validation_duplicated_field_name",
                    "message": "Duplicated or invalid field name A.",
                    "params": {"fieldName": "A"},
                }
            }
        }
    }


def test_an_unknown_field_type_is_a_formatting_error(app: Palapy) -> None:
    err = api_error(create, app, {"name": "t", "fields": [{"name": "a", "type": "nope"}]})
    assert (err.status, err.message, err.data) == (
        400,
        "Failed to load the submitted data due to invalid formatting.",
        {},
    )
    err = api_error(create, app, {"name": 5})
    assert err.message == "Failed to load the collection type data due to invalid formatting."


def test_an_auth_collection_gets_system_fields_indexes_and_secret_options(app: Palapy) -> None:
    created = create(app, {"name": "members", "type": "auth", "fields": [{"name": "nick", "type": "text"}]})
    assert [f.name for f in created.fields] == [
        "id",
        "nick",
        "password",
        "tokenKey",
        "email",
        "emailVisibility",
        "verified",
    ]
    assert created.indexes == [
        f"CREATE UNIQUE INDEX `idx_tokenKey_{created.id}` ON `members` (`tokenKey`)",
        f"CREATE UNIQUE INDEX `idx_email_{created.id}` ON `members` (`email`) WHERE `email` != ''",
    ]
    options = stored_options(app, "members")
    assert len(options["authToken"]["secret"]) == 50 and options["authToken"]["duration"] == 432000
    assert "secret" not in created.to_json()["authToken"]


def test_a_generated_id_that_is_taken_gets_a_numeric_suffix(app: Palapy) -> None:
    first = create(app, {"name": "posts"})
    update(app, "posts", {"name": "renamed"})
    second = create(app, {"name": "posts"})
    assert second.id == first.id + "2"


def test_index_table_names_are_rewritten_to_the_collection(app: Palapy) -> None:
    created = create(
        app,
        {
            "name": "posts",
            "fields": [{"name": "slug", "type": "text"}],
            "indexes": ["create unique index idx_slug on whatever (slug)"],
        },
    )
    assert created.indexes == ["CREATE UNIQUE INDEX `idx_slug` ON `posts` (`slug`)"]


# -- update ------------------------------------------------------------------------


def test_a_fields_list_replaces_all_fields_renames_by_id_and_keeps_column_data(app: Palapy) -> None:
    created = create(
        app,
        {"name": "posts", "fields": [{"name": "title", "type": "text"}, {"name": "views", "type": "number"}]},
    )
    insert(app, "posts", id="p00000000000001", title="Hello", views=3)
    title = created.field("title")
    assert title is not None
    updated = update(
        app,
        "posts",
        {"fields": [{"id": title.id, "name": "headline", "type": "text"}, {"name": "extra", "type": "bool"}]},
    )
    assert [f.name for f in updated.fields] == ["id", "headline", "extra"]  # `id` re-added, `views` dropped
    assert sorted(columns(app, "posts")) == ["extra", "headline", "id"]
    assert rows(app, "posts")[0]["headline"] == "Hello"


def test_a_field_type_change_and_a_collection_type_change_are_rejected(app: Palapy) -> None:
    created = create(app, {"name": "posts", "fields": [{"name": "views", "type": "number"}]})
    views = created.field("views")
    assert views is not None
    err = api_error(update, app, "posts", {"fields": [{"id": views.id, "name": "views", "type": "text"}]})
    assert err.message == "Failed to update collection."
    assert err.data["fields"] == {
        "1": {"code": "validation_field_type_change", "message": "Field type cannot be changed."}
    }
    err = api_error(update, app, "posts", {"system": True})
    assert err.data["system"]["code"] == "validation_collection_system_flag_change"


def test_system_collections_keep_their_name_rules_and_fields(app: Palapy) -> None:
    assert api_error(update, app, "_superusers", {"name": "x"}).data["name"]["code"] == (
        "validation_collection_system_name_change"
    )
    assert api_error(update, app, "_superusers", {"listRule": ""}).data["listRule"]["code"] == (
        "validation_collection_system_rule_change"
    )
    assert (
        api_error(update, app, "_superusers", {"fields": []}).data["fields"]["code"]
        == "validation_system_field_change"
    )


def test_changing_the_auth_rule_rotates_the_auth_token_secret_only(app: Palapy) -> None:
    before = stored_options(app, "users")
    update(app, "users", {"authRule": None})  # "" -> null is not a change of the rule text
    assert stored_options(app, "users")["authToken"]["secret"] == before["authToken"]["secret"]
    update(app, "users", {"authRule": "verified = true"})
    after = stored_options(app, "users")
    assert after["authToken"]["secret"] != before["authToken"]["secret"]
    assert after["fileToken"]["secret"] == before["fileToken"]["secret"]


def test_nested_auth_options_are_merged_key_by_key(app: Palapy) -> None:
    before = stored_options(app, "users")
    update(app, "users", {"authToken": {"duration": 100}, "otp": {"enabled": True}})
    after = stored_options(app, "users")
    assert after["authToken"] == {"secret": before["authToken"]["secret"], "duration": 100}
    assert after["otp"]["length"] == 8 and after["otp"]["enabled"] is True


def test_an_unknown_collection_or_a_changed_id_is_not_found(app: Palapy) -> None:
    assert api_error(update, app, "nope", {}).status == 404
    assert api_error(update, app, "users", {"id": "other"}).status == 404


def test_updating_a_source_collection_resaves_its_dependent_views(app: Palapy) -> None:
    create(app, {"name": "posts", "fields": [{"name": "title", "type": "text", "max": 10}]})
    create(app, {"name": "titles", "type": "view", "viewQuery": "select id, title from posts"})
    posts = app.collections.find("posts")
    assert posts is not None
    fields = [f.to_json() for f in posts.fields]
    fields[1]["max"] = 99
    update(app, "posts", {"fields": fields})
    view = app.collections.find("titles")
    assert view is not None
    title = view.field("title")
    assert title is not None and title.max == 99  # type: ignore[attr-defined]


# -- views -------------------------------------------------------------------------


def test_view_fields_come_from_the_query_and_the_view_is_created(app: Palapy) -> None:
    create(
        app,
        {"name": "posts", "fields": [{"name": "title", "type": "text"}, {"name": "views", "type": "number"}]},
    )
    insert(app, "posts", id="p00000000000001", title="Hello", views=3)
    view = create(
        app,
        {
            "name": "stats",
            "type": "view",
            "viewQuery": "select id, title as t, count(id) as c, cast(views as int) as v, 1+1 as two from posts group by id",
            "fields": [{"name": "ignored", "type": "text"}],
        },
    )
    assert [(f.name, f.type) for f in view.fields] == [
        ("id", "text"),
        ("t", "text"),
        ("c", "number"),
        ("v", "number"),
        ("two", "json"),
    ]
    assert view.fields[1].id.startswith("_clone_")
    assert rows(app, "stats") == [{"id": "p00000000000001", "t": "Hello", "c": 1, "v": 3, "two": 2}]


def test_a_view_without_id_or_with_write_rules_is_rejected(app: Palapy) -> None:
    create(app, {"name": "posts", "fields": [{"name": "title", "type": "text"}]})
    err = api_error(
        create, app, {"name": "v", "type": "view", "viewQuery": "select title from posts", "createRule": ""}
    )
    assert err.data["createRule"]["code"] == "validation_nil"
    assert err.data["fields"]["code"] == "validation_missing_primary_key"
    assert err.data["viewQuery"]["message"].startswith("Invalid query - missing required id column")


# -- delete and truncate -----------------------------------------------------------------


def delete(app: Palapy, key: str) -> None:
    run(service.delete_collection(app, key, None))


def test_delete_drops_the_table_the_row_and_the_files(app: Palapy) -> None:
    posts = create(app, {"name": "posts"})
    stored = app.storage_dir / posts.id / "r00000000000001" / "a.txt"
    stored.parent.mkdir(parents=True)
    stored.write_text("x")
    delete(app, "posts")
    assert app.collections.find("posts") is None
    assert not (app.storage_dir / posts.id).exists()
    assert not app.db.read_sync(lambda c: query_all(c, "SELECT 1 FROM sqlite_master WHERE name = 'posts'"))


def test_delete_is_refused_for_system_referenced_and_view_source_collections(app: Palapy) -> None:
    err = api_error(delete, app, "_superusers")
    assert (err.status, err.message) == (400, "Failed to delete collection.")
    posts = create(app, {"name": "posts"})
    create(
        app, {"name": "comments", "fields": [{"name": "post", "type": "relation", "collectionId": posts.id}]}
    )
    create(app, {"name": "likes", "fields": [{"name": "post", "type": "relation", "collectionId": posts.id}]})
    err = api_error(delete, app, "posts")
    assert err.message == "Failed to delete collection probably due to existing reference in comments, likes."
    create(app, {"name": "tags"})
    create(app, {"name": "tag_ids", "type": "view", "viewQuery": "select id from tags"})
    assert api_error(delete, app, "tags").message == "Failed to delete collection."
    assert app.collections.find("tags") is not None and columns(app, "tags") == ["id"]


# -- hooks -------------------------------------------------------------------------------


def test_collection_hooks_fire_and_a_failing_hook_rolls_back(app: Palapy) -> None:
    seen: list[str] = []

    def on_create(e: CollectionEvent) -> Any:
        seen.append("create:" + e.collection.name)
        return e.next()

    def on_validate(e: CollectionEvent) -> Any:
        seen.append("validate")
        if e.collection.name == "blocked":
            raise ApiError(400, "Blocked by a hook.")
        return e.next()

    async def on_success(e: CollectionEvent) -> Any:
        seen.append("after:" + e.collection.name)
        return await e.next()

    app.hooks.on_collection_create.bind(on_create)
    app.hooks.on_collection_validate.bind(on_validate)
    app.hooks.on_collection_after_create_success.bind(on_success)
    create(app, {"name": "posts"})
    assert seen == ["create:posts", "validate", "after:posts"]
    assert api_error(create, app, {"name": "blocked"}).message == "Blocked by a hook."
    assert app.collections.find("blocked") is None
    assert not app.db.read_sync(lambda c: query_all(c, "SELECT 1 FROM sqlite_master WHERE name = 'blocked'"))


# -- import ------------------------------------------------------------------------------


def do_import(app: Palapy, items: list[dict[str, Any]], delete_missing: bool = False) -> None:
    run(import_collections(app, items, delete_missing, None))


def test_import_upserts_by_name_and_keeps_unlisted_fields(app: Palapy) -> None:
    create(app, {"name": "posts", "fields": [{"name": "keep", "type": "text"}]})
    do_import(
        app,
        [
            {"name": "posts", "fields": [{"name": "extra", "type": "bool"}]},
            {"name": "tags", "fields": [{"name": "label", "type": "text"}]},
        ],
    )
    posts = app.collections.find("posts")
    assert posts is not None and [f.name for f in posts.fields] == ["extra", "id", "keep"]
    assert sorted(columns(app, "tags")) == ["id", "label"]


def test_import_is_one_transaction(app: Palapy) -> None:
    with pytest.raises(ApiError) as info:
        do_import(app, [{"name": "first"}, {"name": "second", "listRule": "nope = 1"}])
    err = info.value
    assert err.message == "Failed to import collections."
    assert err.data["collections"]["code"] == "validation_collections_import_failure"
    assert 'Data validations failed for collection "second"' in err.data["collections"]["message"]
    assert app.collections.find("first") is None
    assert not app.db.read_sync(lambda c: query_all(c, "SELECT 1 FROM sqlite_master WHERE name = 'first'"))


def test_import_with_delete_missing_drops_unlisted_collections_and_fields(app: Palapy) -> None:
    create(app, {"name": "old"})
    create(app, {"name": "posts", "fields": [{"name": "gone", "type": "text"}]})
    do_import(app, [{"name": "posts", "fields": [{"name": "kept", "type": "text"}]}], delete_missing=True)
    assert app.collections.find("old") is None and app.collections.find("users") is None
    assert app.collections.find("_superusers") is not None  # system collections stay
    assert sorted(columns(app, "posts")) == ["id", "kept"]


def test_import_creates_views_after_their_sources_and_resolves_relations(app: Palapy) -> None:
    do_import(
        app,
        [
            {"name": "v", "type": "view", "viewQuery": "select id from src"},
            {"name": "refs", "fields": [{"name": "r", "type": "relation", "collectionId": "srcid"}]},
            {"id": "srcid", "name": "src"},
        ],
    )
    view = app.collections.find("v")
    assert view is not None and view.is_view and [f.name for f in view.fields] == ["id"]
