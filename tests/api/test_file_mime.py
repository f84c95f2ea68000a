"""Content sniffing, differentially: every sample of `tests.harness.mime_samples` is uploaded to
palapy and to PocketBase 0.40.6, and both must store the same type and agree on `mimeTypes`.

Both servers get the same `mimes` collection: a file field `any` without `mimeTypes`, and for
sample number i a field `ok_i` whose `mimeTypes` lists the sample's type (it must accept the
upload) and a field `no_i` listing a parent type (it must refuse it: PocketBase matches only
the detected type and its aliases). Per sample and server the outcome is the stored
`user.content_type` (read from the `.attrs` sidecar), the extension given to an upload named
without one, and the two verdicts. PocketBase's outcome must equal the table (the table states
what PocketBase does) and palapy's must equal PocketBase's.

Two more tables use the same servers. `ALIAS_ROWS`: a field `alias_j` lists an alias of a
sample's type (mimetype's `Is` accepts the detected type's aliases) or a type that must still
be refused; PocketBase's verdict must be the row's, palapy's PocketBase's. `BLOB_ROWS`: HTML
and XML whose declared charset goes into the detected type, which PocketBase's blob writer
parses and formats again before storing it (Go's ParseMediaType/FormatMediaType), refusing the
whole record when it cannot parse it.
Select with `-k file_mime` or `-m pocketbase`; a server that cannot start fails the suite.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from palapy.storage.mime import detect
from tests.harness import servers
from tests.harness.mime_samples import SAMPLES, Sample

pytestmark = [pytest.mark.live, pytest.mark.pocketbase]

KINDS = ("palapy", "pocketbase")
COLLECTION = "mimes"
# Uploaded without an extension; stored as `sample_<10 random><guessed extension>`.
BASE_NAME = "sample"
# The client's claimed type and a misleading name: detection must look at the bytes only.
CLAIMED_TYPE = "application/octet-stream"
MISLEADING_NAME = "misleading.json"
ACCEPTED = "accepted"
REFUSED = "400 validation_invalid_mime_type"
# What both servers answer when the blob writer refuses the detected type.
RECORD_NOT_CREATED = {"data": {}, "message": "Failed to create record.", "status": 400}


def _media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip()


@dataclass(frozen=True)
class AliasRow:
    """A sample uploaded to a field whose `mimeTypes` are `mime_types`, and the verdict."""

    sample: str
    mime_types: tuple[str, ...]
    verdict: str

    @property
    def id(self) -> str:
        return f"{self.sample}-{'+'.join(self.mime_types)}"


SAMPLES_BY_NAME = {sample.name: sample for sample in SAMPLES}
# Every alias of every sample's type (mimetype's tree lists them), each alone in a field.
ALIAS_ROWS = [
    AliasRow(sample.name, (alias,), ACCEPTED)
    for sample in SAMPLES
    for alias in detect(sample.content)[0].aliases
] + [
    # Case, spaces and parameters are ignored, as for the type itself.
    AliasRow("zip", ("Application/X-Zip-Compressed; q=1",), ACCEPTED),
    AliasRow("gzip", (" application/x-gzip ",), ACCEPTED),
    AliasRow("wav", ("image/png", "audio/x-wav"), ACCEPTED),
    # An alias of another type, or of a parent, is still refused.
    AliasRow("zip", ("application/x-gzip",), REFUSED),
    AliasRow("docx", ("application/x-zip-compressed",), REFUSED),
    AliasRow("html", ("application/xml",), REFUSED),
    AliasRow("wav", ("audio/x-wav; a=1; a=2",), REFUSED),  # Go refuses a repeated parameter
]


@dataclass(frozen=True)
class BlobRow:
    """Content whose detected type carries a declared charset, and what gets stored: the
    formatted type, or None when the record is refused."""

    name: str
    content: bytes
    stored: str | None


BLOB_ROWS = [
    BlobRow(
        "html_quoted_charset",
        b"<html><head><meta charset='\"UTF-8\"'></head></html>",
        "text/html; charset=UTF-8",
    ),
    BlobRow(
        "html_quoted_spaces",
        b"<html><head><meta charset='\"a b\"'></head></html>",
        'text/html; charset="a b"',
    ),
    BlobRow(
        "html_trailing_semicolon",
        b'<html><head><meta charset="UTF-8;"></head></html>',
        "text/html; charset=UTF-8",
    ),
    BlobRow(
        "html_second_parameter",
        b'<html><head><meta charset="a;b=c"></head></html>',
        "text/html; b=c; charset=a",
    ),
    BlobRow(
        "xml_second_parameter", b'<?xml version="1.0" encoding="A;b=c"?><a/>', "text/xml; b=c; charset=A"
    ),
    BlobRow(
        "xml_plain_charset", b'<?xml version="1.0" encoding="Latin-1"?><a/>', "text/xml; charset=Latin-1"
    ),
    BlobRow("xml_space_in_charset", b'<?xml version="1.0" encoding="x y"?><a/>', None),
    BlobRow("html_space_in_charset", b'<html><head><meta charset="x y"></head></html>', None),
    BlobRow("html_repeated_charset", b'<html><head><meta charset="a;charset=b"></head></html>', None),
    BlobRow("html_non_ascii_charset", '<html><head><meta charset="\u00e9"></head></html>'.encode(), None),
]


def _fields() -> list[dict[str, Any]]:
    fields: list[dict[str, Any]] = [{"name": "any", "type": "file", "maxSelect": 1, "maxSize": 10_000_000}]
    for index, sample in enumerate(SAMPLES):
        for prefix, mime in (("ok", _media_type(sample.content_type)), ("no", sample.refused_by)):
            fields.append(
                {
                    "name": f"{prefix}_{index}",
                    "type": "file",
                    "maxSelect": 1,
                    "maxSize": 10_000_000,
                    "mimeTypes": [mime],
                }
            )
    for index, row in enumerate(ALIAS_ROWS):
        fields.append(
            {
                "name": f"alias_{index}",
                "type": "file",
                "maxSelect": 1,
                "maxSize": 10_000_000,
                "mimeTypes": list(row.mime_types),
            }
        )
    return fields


@dataclass
class MimeServer:
    """One running server with a superuser client and the `mimes` collection."""

    kind: str
    process: servers.ServerProcess
    client: httpx.Client
    collection_id: str

    def upload(self, field: str, filename: str, content: bytes) -> httpx.Response:
        return self.client.post(
            f"/api/collections/{COLLECTION}/records", files={field: (filename, content, CLAIMED_TYPE)}
        )

    def stored_content_type(self, record_id: str, filename: str) -> str:
        attrs = self.process.data_dir / "storage" / self.collection_id / record_id / f"{filename}.attrs"
        value: str = json.loads(attrs.read_text())["user.content_type"]
        return value

    def close(self) -> None:
        self.client.close()
        self.process.stop()


def _start(kind: str, base: Path) -> MimeServer:
    root = base / kind
    servers.upsert_superuser(kind, root)
    process = servers.start_server(kind, root)
    client = httpx.Client(base_url=process.base_url, timeout=60.0)
    try:
        auth = client.post(
            "/api/collections/_superusers/auth-with-password",
            json={"identity": servers.SUPERUSER_EMAIL, "password": servers.SUPERUSER_PASSWORD},
        )
        assert auth.status_code == 200, auth.text
        client.headers["Authorization"] = auth.json()["token"]
        created = client.post(
            "/api/collections", json={"name": COLLECTION, "type": "base", "fields": _fields()}
        )
        assert created.status_code == 200, created.text
        return MimeServer(kind, process, client, created.json()["id"])
    except BaseException:
        client.close()
        process.stop()
        raise


@pytest.fixture(scope="module")
def mime_servers() -> Iterator[dict[str, MimeServer]]:
    base = Path(tempfile.mkdtemp(prefix="palapy-mime-"))
    started: dict[str, MimeServer] = {}
    try:
        with ThreadPoolExecutor(max_workers=len(KINDS)) as pool:
            futures = {kind: pool.submit(_start, kind, base) for kind in KINDS}
            errors = []
            for kind, future in futures.items():
                try:
                    started[kind] = future.result()
                except BaseException as exc:  # every started server is stopped before failing
                    errors.append(exc)
            if errors:
                raise errors[0]
        yield started
    finally:
        for server in started.values():
            server.close()
        shutil.rmtree(base, ignore_errors=True)


def _verdict(response: httpx.Response, field: str) -> str:
    """ "accepted", or the status and the field's error code."""
    if response.status_code == 200:
        return "accepted"
    body = response.json()
    code = body.get("data", {}).get(field, {}).get("code", "")
    return f"{response.status_code} {code}".strip()


def _outcome(server: MimeServer, index: int, sample: Sample) -> dict[str, str]:
    stored = server.upload("any", BASE_NAME, sample.content)
    assert stored.status_code == 200, f"{server.kind}: {stored.text}"
    record = stored.json()
    filename: str = record["any"]
    assert filename.startswith(BASE_NAME + "_"), filename
    return {
        "content_type": server.stored_content_type(record["id"], filename),
        "extension": filename[len(BASE_NAME) + 11 :],
        "ok": _verdict(server.upload(f"ok_{index}", MISLEADING_NAME, sample.content), f"ok_{index}"),
        "no": _verdict(server.upload(f"no_{index}", MISLEADING_NAME, sample.content), f"no_{index}"),
    }


def test_the_table_is_large_and_unique() -> None:
    """At least 40 samples with distinct names, covering at least 40 distinct types."""
    names = [sample.name for sample in SAMPLES]
    assert len(names) >= 40
    assert len(set(names)) == len(names)
    assert len({sample.content_type for sample in SAMPLES}) >= 40


@pytest.mark.parametrize(("index", "sample"), list(enumerate(SAMPLES)), ids=[s.name for s in SAMPLES])
def test_both_servers_detect_the_same_type(
    index: int, sample: Sample, mime_servers: dict[str, MimeServer]
) -> None:
    expected = {
        "content_type": sample.content_type,
        "extension": sample.extension,
        "ok": "accepted",
        "no": "400 validation_invalid_mime_type",
    }
    reference = _outcome(mime_servers["pocketbase"], index, sample)
    assert reference == expected, f"PocketBase differs from the table for {sample.name}"
    assert _outcome(mime_servers["palapy"], index, sample) == reference


def test_the_alias_table_covers_the_named_types() -> None:
    """Every row names a sample; the sweep covers over 50 aliases, the common legacy ones among them."""
    assert all(row.sample in SAMPLES_BY_NAME for row in ALIAS_ROWS)
    swept = {(row.sample, row.mime_types[0]) for row in ALIAS_ROWS if row.verdict == ACCEPTED}
    assert {
        ("zip", "application/x-zip-compressed"),
        ("wav", "audio/x-wav"),
        ("gzip", "application/x-gzip"),
    } <= swept
    assert len(swept) >= 50


@pytest.mark.parametrize(("index", "row"), list(enumerate(ALIAS_ROWS)), ids=[row.id for row in ALIAS_ROWS])
def test_a_field_accepts_the_aliases_of_the_detected_type(
    index: int, row: AliasRow, mime_servers: dict[str, MimeServer]
) -> None:
    content = SAMPLES_BY_NAME[row.sample].content
    field = f"alias_{index}"
    verdicts = {
        kind: _verdict(server.upload(field, MISLEADING_NAME, content), field)
        for kind, server in mime_servers.items()
    }
    assert verdicts["pocketbase"] == row.verdict, "PocketBase differs from the table"
    assert verdicts["palapy"] == verdicts["pocketbase"]


def _stored_or_refused(server: MimeServer, content: bytes) -> str | dict[str, Any]:
    """The stored `user.content_type`, or the refusal's status and body."""
    response = server.upload("any", BASE_NAME, content)
    if response.status_code != 200:
        return {"status": response.status_code, "body": response.json()}
    record = response.json()
    return server.stored_content_type(record["id"], record["any"])


@pytest.mark.parametrize("row", BLOB_ROWS, ids=[row.name for row in BLOB_ROWS])
def test_the_blob_writer_formats_or_refuses_the_detected_type(
    row: BlobRow, mime_servers: dict[str, MimeServer]
) -> None:
    expected = row.stored if row.stored is not None else {"status": 400, "body": RECORD_NOT_CREATED}
    reference = _stored_or_refused(mime_servers["pocketbase"], row.content)
    assert reference == expected, "PocketBase differs from the table"
    assert _stored_or_refused(mime_servers["palapy"], row.content) == reference
