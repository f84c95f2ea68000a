"""Finding what a download serves: record, field, protected access, view sources and thumbs."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from palapy.app import Palapy
from palapy.auth.tokens import TOKEN_FILE, new_record_token
from palapy.collections.scaffolds import new_collection
from palapy.files.download import (
    MSG_MISSING_COLLECTION,
    DownloadRequest,
    PendingThumb,
    ServedFile,
    locate_file,
    resolve_download,
    thumb_location,
)
from palapy.files.view_source import find_view_file_source
from palapy.records.forms import RecordUpsert
from palapy.rules.request_info import RequestInfo
from palapy.schema.fields import FileField, RelationField, TextField
from palapy.schema.model import Collection
from palapy.storage.base import Storage
from palapy.storage.local import LocalStorage
from palapy.storage.uploads import UploadedFile
from palapy.tools.errors import ApiError
from tests.unit.records.records_support import add_collection, create_superuser, create_user, superuser_info

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c63f8cfc0f01f0005000201a5b3a1c80000000049454e44ae426082"
)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Palapy]:
    core = Palapy(tmp_path / "pb_data")
    core.bootstrap()
    yield core
    core.close()


def _docs(app: Palapy, view_rule: str | None = "owner = @request.auth.id") -> Collection:
    return add_collection(
        app,
        "base",
        "docs",
        [
            TextField(name="title"),
            FileField(name="f", maxSelect=5, maxSize=1 << 20, thumbs=["50x50"]),
            FileField(name="p", maxSelect=1, protected=True),
            RelationField(name="owner", collectionId="_pb_users_auth_", maxSelect=1),
        ],
        listRule="",
        viewRule=view_rule,
    )


def _create(app: Palapy, collection: Collection, data: dict[str, Any]) -> dict[str, Any]:
    form = RecordUpsert(app, collection, None, superuser_info(app))
    form.load(data)
    return app.db.write_sync(form.submit_in_tx)


def _resolve(app: Palapy, **kw: Any) -> ServedFile:
    storage = LocalStorage(app.storage_dir)
    make_thumb = kw.pop("make_thumb", None)
    return asyncio.run(resolve_download(app, storage, DownloadRequest(**kw), make_thumb))


def _status_and_message(app: Palapy, **kw: Any) -> tuple[int, str]:
    with pytest.raises(ApiError) as err:
        _resolve(app, **kw)
    return err.value.status, err.value.message


# -- resolve_download ------------------------------------------------------------------------------


def test_plain_files_ignore_the_view_rule(app: Palapy) -> None:
    docs = _docs(app)
    up = UploadedFile("doc.txt", b"hello")
    rec = _create(app, docs, {"title": "x", "f": [up]})
    served = _resolve(app, collection="docs", record_id=rec["id"], filename=up.name)
    assert served.key == f"{docs.id}/{rec['id']}/{up.name}" and served.name == up.name
    assert served.attributes.size == 5 and served.attributes.content_type == "text/plain; charset=utf-8"
    assert _resolve(app, collection=docs.id, record_id=rec["id"], filename=up.name).key == served.key


def test_missing_pieces_are_not_found(app: Palapy) -> None:
    docs = _docs(app)
    up = UploadedFile("doc.txt", b"hello")
    rec = _create(app, docs, {"f": [up]})
    assert _status_and_message(app, collection="nope", record_id=rec["id"], filename=up.name) == (
        404,
        MSG_MISSING_COLLECTION,
    )
    not_found = (404, "The requested resource wasn't found.")
    assert _status_and_message(app, collection="docs", record_id="missing", filename=up.name) == not_found
    assert _status_and_message(app, collection="docs", record_id=rec["id"], filename="other.txt") == not_found
    assert _status_and_message(app, collection="docs", record_id=rec["id"], filename="title") == not_found
    # In the record but gone from storage.
    (app.storage_dir / docs.id / rec["id"] / up.name).unlink()
    assert _status_and_message(app, collection="docs", record_id=rec["id"], filename=up.name) == not_found


def test_protected_files_need_a_file_token_that_passes_the_view_rule(app: Palapy) -> None:
    docs = _docs(app)
    users = app.collections.find("users")
    assert users is not None
    owner, owner_auth = create_user(app, "owner@x.co")
    other, _ = create_user(app, "other@x.co")
    su, _ = create_superuser(app)
    superusers = app.collections.find("_superusers")
    assert superusers is not None
    up = UploadedFile("secret.txt", b"top secret")
    rec = _create(app, docs, {"p": up, "owner": owner["id"]})
    args = {"collection": "docs", "record_id": rec["id"], "filename": up.name}

    def allowed(token: str, *, client_ip: str = "127.0.0.1", auth: Any = None) -> bool:
        info = RequestInfo(auth=auth, auth_collection=users if auth else None)
        try:
            _resolve(app, token=token, client_ip=client_ip, info=info, **args)
        except ApiError as err:
            assert err.status == 404
            return False
        return True

    owner_file = new_record_token(users, owner, TOKEN_FILE)
    assert allowed(owner_file)
    assert not allowed("")
    assert not allowed("", auth=owner)  # an authenticated requester without a token is a guest here
    assert not allowed(owner_auth)  # an auth token is not a file token
    assert not allowed(new_record_token(users, other, TOKEN_FILE))
    su_file = new_record_token(superusers, su, TOKEN_FILE)
    assert allowed(su_file)

    app.settings["superuserIPs"] = ["10.0.0.0/8"]
    assert not allowed(su_file, client_ip="127.0.0.1")
    assert allowed(su_file, client_ip="10.1.2.3")
    assert allowed(owner_file, client_ip="127.0.0.1")  # the allow-list is for superusers only


def test_protected_file_rules_see_the_protected_file_context(app: Palapy) -> None:
    docs = _docs(app, view_rule="@request.context = 'protectedFile'")
    up = UploadedFile("secret.txt", b"top secret")
    rec = _create(app, docs, {"p": up})
    assert _resolve(app, collection="docs", record_id=rec["id"], filename=up.name).name == up.name


@pytest.mark.parametrize(("rule", "public"), [("", True), (None, False), ("title ~ ", False)])
def test_protected_files_with_empty_null_or_broken_rules(app: Palapy, rule: str | None, public: bool) -> None:
    docs = _docs(app, view_rule=rule)
    up = UploadedFile("secret.txt", b"top secret")
    rec = _create(app, docs, {"p": up})
    args = {"collection": "docs", "record_id": rec["id"], "filename": up.name}
    if public:
        assert _resolve(app, **args).name == up.name
    else:
        assert _status_and_message(app, **args)[0] == 404


# -- thumbs --------------------------------------------------------------------------------------


def _field(**kw: Any) -> FileField:
    return FileField(name="f", maxSelect=5, **kw)


def _store_png(storage: Storage, folder: str = "c/r", name: str = "red_abc.png") -> None:
    storage.save(f"{folder}/{name}", PNG, original_name="red.png")


def test_thumb_location_matches_the_storage_layout() -> None:
    assert thumb_location("c/r", "a.png", "100x100") == ("c/r/thumbs_a.png/100x100_a.png", "100x100_a.png")


def test_an_existing_thumb_is_served_as_it_is(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    _store_png(storage)
    storage.save("c/r/thumbs_red_abc.png/100x100_red_abc.png", b"thumb-bytes", content_type="image/png")
    served = locate_file(storage, "c/r", "red_abc.png", _field(), "100x100")
    assert isinstance(served, ServedFile)
    assert (served.key, served.name, served.attributes.size) == (
        "c/r/thumbs_red_abc.png/100x100_red_abc.png",
        "100x100_red_abc.png",
        len(b"thumb-bytes"),
    )


@pytest.mark.parametrize("size", ["70x70", "50x50t", "", "0x0"])
def test_unlisted_sizes_serve_the_original(tmp_path: Path, size: str) -> None:
    storage = LocalStorage(tmp_path)
    _store_png(storage)
    served = locate_file(storage, "c/r", "red_abc.png", _field(thumbs=["50x50"]), size)
    assert isinstance(served, ServedFile) and served.key == "c/r/red_abc.png"


def test_a_missing_thumb_is_pending_with_the_original_beside_it(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    _store_png(storage)
    found = locate_file(storage, "c/r", "red_abc.png", _field(thumbs=["50x50"]), "50x50")
    assert isinstance(found, PendingThumb)
    assert (found.key, found.name, found.size) == (
        "c/r/thumbs_red_abc.png/50x50_red_abc.png",
        "50x50_red_abc.png",
        "50x50",
    )
    assert (found.original.key, found.original.name) == ("c/r/red_abc.png", "red_abc.png")


def _thumbs_app(app: Palapy) -> tuple[LocalStorage, str, str]:
    """A `docs` record holding a png; (storage, record id, file name)."""
    collection = _docs(app)
    record = _create(app, collection, {"f": [UploadedFile("red.png", PNG, "image/png")]})
    return LocalStorage(app.storage_dir), record["id"], record["f"][0]


def test_a_missing_thumb_is_made_by_the_thumb_maker(app: Palapy) -> None:
    storage, rid, name = _thumbs_app(app)
    calls: list[tuple[str, str, str]] = []

    async def make(st: Storage, original: str, thumb_key: str, size: str) -> None:
        calls.append((original, thumb_key, size))
        st.save(thumb_key, b"small", content_type="image/png")

    served = _resolve(app, collection="docs", record_id=rid, filename=name, thumb="50x50", make_thumb=make)
    folder = f"{app.collections.find('docs').id}/{rid}"  # type: ignore[union-attr]
    assert calls == [(f"{folder}/{name}", f"{folder}/thumbs_{name}/50x50_{name}", "50x50")]
    assert served.name == f"50x50_{name}" and served.attributes.size == 5
    # Made once: the next request finds it in storage.
    _resolve(app, collection="docs", record_id=rid, filename=name, thumb="50x50", make_thumb=make)
    assert len(calls) == 1


def test_a_failing_thumb_maker_falls_back_to_the_original_and_logs(
    app: Palapy, caplog: pytest.LogCaptureFixture
) -> None:
    storage, rid, name = _thumbs_app(app)

    async def broken(*_: Any) -> None:
        raise RuntimeError("decoder exploded")

    with caplog.at_level("WARNING", logger="palapy.files"):
        served = _resolve(
            app, collection="docs", record_id=rid, filename=name, thumb="100x100", make_thumb=broken
        )
    assert served.name == name and served.key.endswith(f"/{rid}/{name}")
    assert "failed to create thumb 100x100_" in caplog.text and "decoder exploded" in caplog.text


def test_without_a_thumb_maker_a_missing_thumb_serves_the_original(app: Palapy) -> None:
    _, rid, name = _thumbs_app(app)
    served = _resolve(app, collection="docs", record_id=rid, filename=name, thumb="100x100")
    assert served.name == name


def test_a_thumb_that_vanishes_after_it_was_made_is_not_found(app: Palapy) -> None:
    _, rid, name = _thumbs_app(app)

    async def make_nothing(*_: Any) -> None:
        return None

    status, _ = _status_and_message(
        app, collection="docs", record_id=rid, filename=name, thumb="100x100", make_thumb=make_nothing
    )
    assert status == 404


def test_thumbs_of_non_images_serve_the_original(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    storage.save("c/r/doc_abc.txt", b"hello", original_name="doc.txt")
    storage.save("c/r/thumbs_doc_abc.txt/100x100_doc_abc.txt", b"x")
    served = locate_file(storage, "c/r", "doc_abc.txt", _field(), "100x100")
    assert isinstance(served, ServedFile) and served.key == "c/r/doc_abc.txt"


def test_a_thumb_request_for_a_missing_original_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        locate_file(LocalStorage(tmp_path), "c/r", "gone.png", _field(), "100x100")


# -- the storage attributes downloads rely on ----------------------------------------------------


def test_attributes_read_the_sidecar_size_and_mtime(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    storage.save("c/r/a.txt", b"hello", content_type="text/plain; charset=utf-8")
    os.utime(tmp_path / "c/r/a.txt", (1_700_000_000.7, 1_700_000_000.7))
    attrs = storage.attributes("c/r/a.txt")
    assert (attrs.content_type, attrs.size, attrs.modified) == ("text/plain; charset=utf-8", 5, 1_700_000_000)
    with storage.open_reader("c/r/a.txt") as reader:
        reader.seek(1)
        assert reader.read(3) == b"ell"


def test_attributes_without_a_sidecar_default_to_octet_stream(tmp_path: Path) -> None:
    (tmp_path / "c/r").mkdir(parents=True)
    (tmp_path / "c/r/raw.bin").write_bytes(b"\x00\x01")
    assert LocalStorage(tmp_path).attributes("c/r/raw.bin").content_type == "application/octet-stream"


def test_attributes_of_missing_files_and_broken_sidecars(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    with pytest.raises(FileNotFoundError):
        storage.attributes("c/r/none.txt")
    storage.save("c/r/a.txt", b"x")
    with pytest.raises(FileNotFoundError):
        storage.attributes("c/r")  # a folder is not a file
    (tmp_path / "c/r/a.txt.attrs").write_text("{not json")
    with pytest.raises(ValueError):
        storage.attributes("c/r/a.txt")
    (tmp_path / "c/r/a.txt.attrs").write_text("[]")
    with pytest.raises(ValueError):
        storage.attributes("c/r/a.txt")


# -- view sources ----------------------------------------------------------------------------------


def _view(name: str, query: str, *file_fields: str) -> Collection:
    """A view collection as the registry holds it (its file columns are file fields)."""
    view = new_collection("view", name)
    view.options["viewQuery"] = query
    for field_name in file_fields:
        view.fields.append(FileField(name=field_name, maxSelect=5))
    return view


def _with_views(app: Palapy, *views: Collection) -> None:
    app.collections.replace([*app.collections.all(), *views])


def test_view_files_resolve_to_their_source_record(app: Palapy) -> None:
    docs = _docs(app)
    single = UploadedFile("one.txt", b"1")
    multi = [UploadedFile("a.txt", b"a"), UploadedFile("b.txt", b"b")]
    rec = _create(app, docs, {"p": single, "f": multi})
    _create(app, docs, {"f": [UploadedFile("c.txt", b"c")]})
    v1 = _view("v1", "select d.id, d.f as files, d.p, count(d.id) as n from docs d", "files", "p")
    v2 = _view("v2", "SELECT id, files AS stuff FROM v1", "stuff")
    _with_views(app, v1, v2)

    def source(view: Collection, field: str, filename: str) -> Any:
        return app.db.read_sync(lambda c: find_view_file_source(c, app.collections, view, field, filename))

    assert source(v1, "files", multi[1].name) == (docs, rec["id"])
    assert source(v1, "p", single.name) == (docs, rec["id"])
    assert source(v2, "stuff", multi[0].name) == (docs, rec["id"])  # through another view
    assert source(v1, "files", "unknown.txt") is None
    assert source(v1, "n", multi[0].name) is None  # an aggregate has no source field
    assert source(v1, "id", multi[0].name) is None
    assert source(v1, "nope", multi[0].name) is None


def test_view_chains_deeper_than_five_levels_are_not_followed(app: Palapy) -> None:
    docs = _docs(app)
    up = UploadedFile("a.txt", b"a")
    rec = _create(app, docs, {"f": [up]})
    views = [_view("w1", "select id, f from docs", "f")]
    for i in range(2, 7):
        views.append(_view(f"w{i}", f"select id, f from w{i - 1}", "f"))
    _with_views(app, *views)

    def source(view: Collection) -> Any:
        return app.db.read_sync(lambda c: find_view_file_source(c, app.collections, view, "f", up.name))

    assert source(views[4]) == (docs, rec["id"])  # w5: five levels
    assert source(views[5]) is None  # w6: six levels
