"""An upload's sniffed type: computed once, matched against `mimeTypes` with its aliases, and
formatted again by the blob writer, which refuses what Go's mime package cannot parse."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import pytest

from palapy.core import App
from palapy.records.record_files import store_uploads
from palapy.schema.fields import FileField
from palapy.schema.model import Collection
from palapy.storage import uploads
from palapy.storage.local import LocalStorage
from palapy.storage.uploads import Spool, UploadedFile

PNG = b"\x89PNG\r\n\x1a\n" + bytes(16)
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(20)
# Detected as `text/xml; charset=x y`: a space is not allowed in a parameter token.
BAD_CHARSET_XML = b'<?xml version="1.0" encoding="x y"?><a/>'


def _zip() -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.txt", "hello")
    return out.getvalue()


@dataclass(eq=False)
class _PlainUpload:
    """An upload as `schema` sees one from elsewhere: no `content_type_is` of its own."""

    name: str
    content_type: str
    original_name: str = "x"
    size: int = 1


def test_the_type_is_sniffed_once_and_kept_by_a_renamed_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[bytes] = []

    def counting(head: bytes, filename: str = "") -> str:
        calls.append(head)
        return "image/png"

    monkeypatch.setattr(uploads, "sniff_content_type", counting)
    upload = UploadedFile("photo.png", PNG)
    assert [upload.content_type, upload.content_type, upload.content_type_is("image/png")] == [
        "image/png",
        "image/png",
        True,
    ]
    copy = upload.renamed("other.png")
    assert copy.content_type == "image/png" and copy.name != upload.name
    assert calls == [PNG]


def test_a_spooled_upload_is_sniffed_from_its_head(tmp_path: Path) -> None:
    with Spool(tmp_path) as spool:
        writer = spool.new_file()
        writer.write(PNG)
        upload = writer.finish("noext")
        assert upload.content_type == "image/png" and upload.name.endswith(".png")


@pytest.mark.parametrize(
    ("content", "expected", "accepted"),
    [
        (PNG, "image/png", True),
        (PNG, " IMAGE/PNG; q=1", True),
        (WAV, "audio/x-wav", True),  # an alias of audio/wav
        (WAV, "audio/wave", True),
        (b"\x1f\x8b\x08\x00" + bytes(16), "application/x-gzip", True),
        (b"plain", "text/plain", True),
        (PNG, "image/*", False),
        (PNG, "audio/x-wav", False),  # an alias of another type
        (b"plain", "text/plain; a=1; a=2", False),  # Go refuses a repeated parameter
    ],
)
def test_content_type_is_accepts_the_type_and_its_aliases(
    content: bytes, expected: str, accepted: bool
) -> None:
    assert UploadedFile("f", content).content_type_is(expected) is accepted


def test_a_zip_is_accepted_by_its_aliases_but_a_docx_is_not() -> None:
    archive = UploadedFile("a.zip", _zip())
    assert archive.content_type == "application/zip"
    assert archive.content_type_is("application/x-zip-compressed")
    assert archive.content_type_is("application/x-zip")
    docx = BytesIO()
    with zipfile.ZipFile(docx, "w") as out:
        out.writestr("word/document.xml", "<w/>")
    assert not UploadedFile("a.docx", docx.getvalue()).content_type_is("application/x-zip-compressed")


def test_a_file_field_lists_an_alias() -> None:
    field = FileField(name="f", mimeTypes=["image/png", "application/x-zip-compressed"])
    assert field.validate_upload(UploadedFile("a.zip", _zip())) is None
    gzip = UploadedFile("a.gz", b"\x1f\x8b\x08\x00")
    assert field.validate_upload(gzip) == {
        "code": "validation_invalid_mime_type",
        "message": f'"{gzip.name}" mime type must be one of: image/png, application/x-zip-compressed.',
    }


def test_an_upload_without_content_type_is_compares_base_types() -> None:
    field = FileField(name="f", mimeTypes=["application/x-zip-compressed"])
    assert field.validate_upload(_PlainUpload("a.zip", "application/x-zip-compressed; q=1")) is None
    assert field.validate_upload(_PlainUpload("b.zip", "application/zip")) is not None


def test_local_storage_stores_the_formatted_type(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    storage.save("c/r/a.html", b"x", content_type='text/html; charset="UTF-8"; B=c')
    assert storage.attributes("c/r/a.html").content_type == "text/html; b=c; charset=UTF-8"
    source = tmp_path / "upload"
    source.write_bytes(b"<html><head><meta charset='\"UTF-8\"'></head></html>")
    storage.save_file("c/r/b.html", source)
    assert storage.attributes("c/r/b.html").content_type == "text/html; charset=UTF-8"


def test_local_storage_refuses_what_go_cannot_parse_before_writing(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "storage")
    with pytest.raises(ValueError):
        storage.save("c/r/a.xml", BAD_CHARSET_XML)
    source = tmp_path / "upload"
    source.write_bytes(BAD_CHARSET_XML)
    with pytest.raises(ValueError):
        storage.save_file("c/r/b.xml", source)
    with pytest.raises(ValueError):
        storage.save("c/r/c.txt", b"x", content_type="text/plain; charset=a b")
    assert source.exists() and not (tmp_path / "storage").exists()


def test_a_refused_upload_takes_the_files_stored_before_it(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path)
    app = cast(App, SimpleNamespace(storage=storage))
    collection = Collection(id="pbc_1", name="docs", fields=[FileField(name="files", maxSelect=3)])
    good, bad = UploadedFile("good.png", PNG), UploadedFile("bad.xml", BAD_CHARSET_XML)
    with pytest.raises(ValueError):
        store_uploads(app, collection, {"id": "rec1", "files": [good, bad]})
    assert not storage.exists(f"pbc_1/rec1/{good.name}")
    assert list(tmp_path.rglob("*.*")) == []
    keys = store_uploads(app, collection, {"id": "rec2", "files": [good]})
    assert keys == [f"pbc_1/rec2/{good.name}"] and storage.exists(keys[0])
