"""The download route in process: its headers, HEAD, streaming and views."""

from __future__ import annotations

from typing import Any

import pytest

from palapy.app import Palapy
from palapy.records.forms import RecordUpsert
from palapy.schema.fields import FileField
from palapy.storage.local import LocalStorage
from palapy.storage.uploads import UploadedFile
from tests.unit.records.records_support import Api, add_collection, create_superuser, superuser_info


def _stored(app: Palapy, content: bytes, name: str = "doc.txt") -> tuple[Any, dict[str, Any], str]:
    docs = app.collections.find("docs") or add_collection(
        app, "base", "docs", [FileField(name="f", maxSelect=5, maxSize=8 << 20)], listRule="", viewRule=""
    )
    up = UploadedFile(name, content)
    form = RecordUpsert(app, docs, None, superuser_info(app))
    form.load({"f": [up]})
    return docs, app.db.write_sync(form.submit_in_tx), up.name


def test_downloads_drop_x_frame_options_and_keep_the_other_defaults(app: Palapy, api: Api) -> None:
    _, rec, name = _stored(app, b"hello world text")
    res = api.request("GET", f"/api/files/docs/{rec['id']}/{name}")
    assert res.status_code == 200 and res.content == b"hello world text"
    assert "x-frame-options" not in res.headers
    assert not any(k.startswith("x-palapy") for k in res.headers)  # the marker never leaves
    assert res.headers["x-content-type-options"] == "nosniff"
    assert res.headers["x-xss-protection"] == "1; mode=block"
    assert res.headers["cross-origin-opener-policy"] == "same-origin"
    assert res.headers["content-type"] == "text/plain; charset=utf-8"  # no charset appended twice
    # A refused download is an ordinary error answer, X-Frame-Options included.
    missing = api.request("GET", f"/api/files/docs/{rec['id']}/nope.txt")
    assert missing.status_code == 404 and missing.headers["x-frame-options"] == "SAMEORIGIN"


def test_head_answers_headers_without_opening_the_file(
    app: Palapy, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, rec, name = _stored(app, b"x" * 5000)

    def refuse(self: LocalStorage, key: str) -> Any:
        raise AssertionError(f"HEAD opened {key}")

    monkeypatch.setattr(LocalStorage, "open_reader", refuse)
    res = api.request("HEAD", f"/api/files/docs/{rec['id']}/{name}")
    assert res.status_code == 200 and res.content == b""
    assert res.headers["content-length"] == "5000"
    ranged = api.request("HEAD", f"/api/files/docs/{rec['id']}/{name}", headers={"Range": "bytes=0-9"})
    assert ranged.status_code == 206 and ranged.headers["content-length"] == "10" and ranged.content == b""


def test_large_files_stream_intact_and_ranges_pick_the_right_bytes(app: Palapy, api: Api) -> None:
    data = bytes(range(256)) * 12289  # ~3 MiB, several read chunks
    _, rec, name = _stored(app, data, "blob.bin")
    url = f"/api/files/docs/{rec['id']}/{name}"
    res = api.request("GET", url)
    assert res.status_code == 200 and res.content == data
    assert res.headers["content-type"] == "application/octet-stream"
    assert res.headers["content-disposition"] == f'attachment; filename="{name}"'
    part = api.request("GET", url, headers={"Range": "bytes=1000000-2000000"})
    assert part.status_code == 206 and part.content == data[1000000:2000001]
    multi = api.request("GET", url, headers={"Range": "bytes=0-0,-1"})
    assert multi.status_code == 206
    assert int(multi.headers["content-length"]) == len(multi.content)
    assert multi.content.count(b"Content-Range: ") == 2


def test_304_and_416_have_no_stray_body_or_type(app: Palapy, api: Api) -> None:
    _, rec, name = _stored(app, b"hello")
    url = f"/api/files/docs/{rec['id']}/{name}"
    first = api.request("GET", url)
    not_modified = api.request("GET", url, headers={"If-Modified-Since": first.headers["last-modified"]})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert "content-type" not in not_modified.headers and "x-frame-options" not in not_modified.headers
    bad = api.request("GET", url, headers={"Range": "bytes=9-"})
    assert bad.status_code == 416 and bad.content == b"invalid range: failed to overlap\n"
    assert bad.headers["content-type"] == "text/plain; charset=utf-8"


def test_a_cached_thumb_is_served_under_its_own_name(app: Palapy, api: Api) -> None:
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
        "0000000d49444154789c63f8cfc0f01f0005000201a5b3a1c80000000049454e44ae426082"
    )
    docs, rec, name = _stored(app, png, "red.png")
    storage = LocalStorage(app.storage_dir)
    storage.save(f"{docs.id}/{rec['id']}/thumbs_{name}/100x100_{name}", b"thumb", content_type="image/png")
    res = api.request("GET", f"/api/files/docs/{rec['id']}/{name}", params={"thumb": "100x100"})
    assert res.status_code == 200 and res.content == b"thumb"
    assert res.headers["content-disposition"] == f'inline; filename="100x100_{name}"'
    original = api.request("GET", f"/api/files/docs/{rec['id']}/{name}", params={"thumb": "300x300"})
    assert original.content == png


def test_view_collection_files_through_the_api(app: Palapy, api: Api) -> None:
    _, su_token = create_superuser(app)
    _, rec, name = _stored(app, b"from the source")
    res = api.request(
        "POST",
        "/api/collections",
        auth=su_token,
        json={
            "name": "docsview",
            "type": "view",
            "viewRule": "",
            "viewQuery": "select id, f as files from docs",
        },
    )
    assert res.status_code == 200, res.text
    served = api.request("GET", f"/api/files/docsview/{rec['id']}/{name}")
    assert served.status_code == 200 and served.content == b"from the source"
    assert api.request("GET", f"/api/files/docsview/{rec['id']}/nope.txt").status_code == 404
