"""The write pipeline inside the writer thread: hooks, validation, rollback, cascades, files."""

from __future__ import annotations

import re
from typing import Any

import pytest

from palapy.app import Palapy
from palapy.records.forms import RecordUpsert
from palapy.records.rows import fetch_record, find_record_by_field
from palapy.records.service import delete_record_in_tx, save_record_in_tx
from palapy.schema.fields import AutodateField, FileField, NumberField, RelationField, TextField
from palapy.storage.uploads import UploadedFile
from palapy.tools.errors import ApiError
from tests.unit.records.records_support import add_collection, create_superuser, create_user, superuser_info


def _posts(app: Palapy, **rules: Any) -> Any:
    return add_collection(
        app,
        "base",
        "posts",
        [
            TextField(name="title", required=True),
            TextField(name="slug"),
            NumberField(name="views"),
            FileField(name="files", maxSelect=3, maxSize=1000),
            AutodateField(name="created", onCreate=True),
            AutodateField(name="updated", onCreate=True, onUpdate=True),
        ],
        indexes=["CREATE UNIQUE INDEX `idx_slug` ON `posts` (`slug`) WHERE `slug` != ''"],
        **rules,
    )


def _create(app: Palapy, collection: Any, data: dict[str, Any]) -> dict[str, Any]:
    form = RecordUpsert(app, collection, None, superuser_info(app))
    form.load(data)
    return app.db.write_sync(form.submit_in_tx)


def _count(app: Palapy, table: str) -> int:
    return app.db.read_sync(lambda c: c.execute(f"SELECT COUNT(*) FROM `{table}`").fetchone()[0])


def test_create_fills_id_and_autodates_and_fires_hooks_in_order(app: Palapy) -> None:
    posts = _posts(app)
    calls: list[str] = []

    def tracker(name: str) -> Any:
        def handler(e: Any) -> Any:
            calls.append(name)
            return e.next()

        return handler

    for name in (
        "on_record_create",
        "on_record_validate",
        "on_record_create_execute",
        "on_record_after_create_success",
    ):
        getattr(app.hooks, name).bind(tracker(name), tags=["posts"])
    app.hooks.on_record_create.bind(tracker("other"), tags=["users"])

    saved = _create(app, posts, {"title": "Hello", "views": 3})
    assert re.fullmatch(r"[a-z0-9]{15}", saved["id"])
    assert saved["created"] and saved["created"] == saved["updated"]
    assert calls == [
        "on_record_create",
        "on_record_validate",
        "on_record_create_execute",
        "on_record_after_create_success",
    ]
    stored = app.db.read_sync(lambda c: fetch_record(c, posts, saved["id"]))
    assert stored is not None and stored["title"] == "Hello"


def test_a_hook_sees_the_open_transaction_and_can_change_the_record(app: Palapy) -> None:
    posts = _posts(app)

    def before_insert(e: Any) -> Any:
        assert e.conn is not None and app.db.in_writer()
        e.record["title"] = e.record["title"].upper()
        return e.next()

    app.hooks.on_record_create_execute.bind(before_insert)
    assert _create(app, posts, {"title": "loud"})["title"] == "LOUD"


def test_failing_validation_writes_nothing_and_fires_the_error_hook(app: Palapy) -> None:
    posts = _posts(app)
    errors: list[BaseException | None] = []
    app.hooks.on_record_after_create_error.bind(lambda e: errors.append(e.error))
    app.hooks.on_record_validate.bind(
        lambda e: (_ for _ in ()).throw(ApiError(400, "Failed to create record.", {"x": 1}))
    )
    with pytest.raises(ApiError) as exc:
        _create(app, posts, {"title": "x"})
    assert exc.value.status == 400 and exc.value.data == {"x": 1}
    assert len(errors) == 1
    assert _count(app, "posts") == 0


def test_an_exception_after_the_insert_rolls_the_insert_back(app: Palapy) -> None:
    posts = _posts(app)

    def after_insert(e: Any) -> Any:
        e.next()
        raise RuntimeError("boom")

    app.hooks.on_record_create_execute.bind(after_insert)
    with pytest.raises(ApiError) as exc:
        _create(app, posts, {"title": "x"})
    assert (exc.value.status, exc.value.message, exc.value.data) == (400, "Failed to create record.", {})
    assert _count(app, "posts") == 0


def test_unique_index_violation_is_a_field_error(app: Palapy) -> None:
    posts = _posts(app)
    _create(app, posts, {"title": "a", "slug": "same"})
    with pytest.raises(ApiError) as exc:
        _create(app, posts, {"title": "b", "slug": "same"})
    assert exc.value.message == "Failed to create record."
    assert exc.value.data == {"slug": {"code": "validation_not_unique", "message": "Value must be unique."}}
    with pytest.raises(ApiError) as exc:
        _create(
            app,
            posts,
            {"title": "b", "id": app.db.read_sync(lambda c: c.execute("SELECT id FROM posts").fetchone()[0])},
        )
    assert exc.value.data == {"id": {"code": "validation_not_unique", "message": "Value must be unique."}}


def test_update_refreshes_updated_only(app: Palapy) -> None:
    posts = _posts(app)
    saved = _create(app, posts, {"title": "a"})
    original = dict(saved)
    form = RecordUpsert(app, posts, original, superuser_info(app))
    form.load({"title": "b", "created": "2000-01-01 00:00:00.000Z"})
    updated = app.db.write_sync(form.submit_in_tx)
    assert updated["title"] == "b"
    assert updated["created"] == saved["created"]
    assert updated["updated"] >= saved["updated"]


def test_email_or_password_change_rotates_the_token_key(app: Palapy) -> None:
    user, _ = create_user(app, "u1@x.co")
    users = app.collections.find("users")
    assert users is not None and len(user["tokenKey"]) == 50
    before = user["tokenKey"]

    form = RecordUpsert(app, users, user, superuser_info(app))
    form.load({"name": "renamed"})
    unchanged = app.db.write_sync(form.submit_in_tx)
    assert unchanged["tokenKey"] == before

    form = RecordUpsert(app, users, unchanged, superuser_info(app))
    form.load({"email": "u1new@x.co"})
    changed = app.db.write_sync(form.submit_in_tx)
    assert changed["tokenKey"] != before

    form = RecordUpsert(app, users, changed, superuser_info(app))
    form.load({"password": "newpass123", "passwordConfirm": "newpass123"})
    again = app.db.write_sync(form.submit_in_tx)
    assert again["tokenKey"] != changed["tokenKey"]
    assert again["password"] != changed["password"]


def test_auth_ids_are_unique_across_auth_collections(app: Palapy) -> None:
    user, _ = create_user(app, "u1@x.co")
    admins = app.collections.find("_superusers")
    assert admins is not None
    form = RecordUpsert(app, admins, None, superuser_info(app))
    form.load(
        {"id": user["id"], "email": "a@x.co", "password": "pass123456", "passwordConfirm": "pass123456"}
    )
    with pytest.raises(ApiError) as exc:
        app.db.write_sync(form.submit_in_tx)
    assert exc.value.data["id"]["code"] == "validation_invalid_auth_id"


def test_superusers_are_always_verified_and_the_last_one_cannot_be_deleted(app: Palapy) -> None:
    su, _ = create_superuser(app)
    assert su["verified"] is True or su["verified"] == 1
    admins = app.collections.find("_superusers")
    assert admins is not None
    with pytest.raises(ApiError) as exc:
        app.db.write_sync(lambda c: delete_record_in_tx(app, c, admins, su))
    assert (exc.value.status, exc.value.message) == (400, "You can't delete the only existing superuser.")
    other, _ = create_superuser(app, "b@x.co")
    app.db.write_sync(lambda c: delete_record_in_tx(app, c, admins, other))
    assert _count(app, "_superusers") == 1


def test_creating_a_real_superuser_removes_the_installer(app: Palapy) -> None:
    create_superuser(app, "__pbinstaller@example.com")
    create_superuser(app, "real@x.co")
    admins = app.collections.find("_superusers")
    assert admins is not None
    emails = app.db.read_sync(lambda c: [r[0] for r in c.execute("SELECT email FROM _superusers")])
    assert emails == ["real@x.co"]


def _blog(app: Palapy) -> tuple[Any, Any, Any]:
    posts = _posts(app)
    comments = add_collection(
        app,
        "base",
        "comments",
        [
            TextField(name="text"),
            RelationField(name="post", collectionId=posts.id, maxSelect=1, cascadeDelete=True, required=True),
        ],
    )
    likes = add_collection(
        app,
        "base",
        "likes",
        [
            RelationField(name="posts", collectionId=posts.id, maxSelect=5),
            RelationField(name="pinned", collectionId=posts.id, maxSelect=1, required=True),
        ],
    )
    return posts, comments, likes


def test_delete_cascades_and_unlinks(app: Palapy) -> None:
    posts, comments, likes = _blog(app)
    p1 = _create(app, posts, {"title": "p1"})
    p2 = _create(app, posts, {"title": "p2"})
    c1 = _create(app, comments, {"text": "c1", "post": p1["id"]})
    _create(app, comments, {"text": "c2", "post": p2["id"]})
    like = _create(app, likes, {"posts": [p1["id"], p2["id"]], "pinned": p2["id"]})
    deleted: list[str] = []
    app.hooks.on_record_after_delete_success.bind(lambda e: deleted.append(e.record["id"]))

    app.db.write_sync(lambda c: delete_record_in_tx(app, c, posts, p1))
    assert app.db.read_sync(lambda c: fetch_record(c, comments, c1["id"])) is None
    stored_like = app.db.read_sync(lambda c: fetch_record(c, likes, like["id"]))
    assert stored_like is not None and stored_like["posts"] == [p2["id"]]
    assert set(deleted) == {p1["id"], c1["id"]}


def test_delete_refused_by_a_required_relation_rolls_everything_back(app: Palapy) -> None:
    posts, comments, likes = _blog(app)
    p2 = _create(app, posts, {"title": "p2"})
    _create(app, comments, {"text": "c2", "post": p2["id"]})
    _create(app, likes, {"posts": [p2["id"]], "pinned": p2["id"]})
    with pytest.raises(ApiError) as exc:
        app.db.write_sync(lambda c: delete_record_in_tx(app, c, posts, p2))
    assert exc.value.message.startswith("Failed to delete record. Make sure")
    assert _count(app, "posts") == 1 and _count(app, "comments") == 1


def test_files_are_stored_replaced_and_removed(app: Palapy) -> None:
    posts = _posts(app)
    up = UploadedFile("doc.txt", b"hello")
    saved = _create(app, posts, {"title": "f", "files": [up]})
    assert saved["files"] == [up.name]
    path = app.storage_dir / posts.id / saved["id"] / up.name
    assert path.read_bytes() == b"hello"

    up2 = UploadedFile("new.txt", b"new")
    form = RecordUpsert(app, posts, saved, superuser_info(app))
    form.load({"files": [up2]})
    updated = app.db.write_sync(form.submit_in_tx)
    assert updated["files"] == [up2.name]
    assert not path.exists()
    assert (app.storage_dir / posts.id / saved["id"] / up2.name).exists()

    app.db.write_sync(lambda c: delete_record_in_tx(app, c, posts, updated))
    assert not (app.storage_dir / posts.id / saved["id"]).exists()


def test_save_without_validation_and_lookups(app: Palapy) -> None:
    posts = _posts(app)
    record = {"title": "", "slug": "s1", "views": 0, "files": [], "created": "", "updated": ""}
    saved = app.db.write_sync(lambda c: save_record_in_tx(app, c, posts, record, None, None, validate=False))
    found = app.db.read_sync(lambda c: find_record_by_field(c, posts, "slug", "s1"))
    assert found is not None and found["id"] == saved["id"]
    assert app.db.read_sync(lambda c: find_record_by_field(c, posts, "nope", "s1")) is None
