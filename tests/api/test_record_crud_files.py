"""File fields through record create/update: uploads, naming, modifiers and validation
(PocketBase apis/record_crud_test.go file cases; pocketbase-api.md §5.1, T12)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.harness.scenario import File, Re, Scenario

# The bytes only need to look like what they claim; no field here restricts MIME types.
PNG = File("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "image/png")
POST1 = "/api/collections/posts/records/{post1}"


def _png(name: str) -> File:
    return File(name, PNG.content, "image/png")


def _failed(errors: dict[str, Any]) -> dict[str, Any]:
    return {"data": errors, "message": "Failed to update record.", "status": 400}


# Detected as `text/xml; charset=x y` and `text/html; charset=x y`: Go's blob writer cannot
# parse that type again (a space in a token), so storing the file fails the whole write.
BAD_CHARSET_XML = b'<?xml version="1.0" encoding="x y"?><a/>'
BAD_CHARSET_HTML = b'<html><head><meta charset="x y"></head></html>'
NOT_CREATED = {"data": {}, "message": "Failed to create record.", "status": 400}

BOUNDARY = "palapyBoundary"
MULTIPART = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
BAD_REQUEST = {"data": {}, "message": "Something went wrong while processing your request.", "status": 400}


def _form(*parts: tuple[bytes, bytes], end: bool = True) -> bytes:
    """A multipart body written by hand, for bodies a client library would not send."""
    out = b""
    for head, data in parts:
        out += b"--" + BOUNDARY.encode() + b"\r\n" + head + b"\r\n\r\n" + data + b"\r\n"
    return out + (b"--" + BOUNDARY.encode() + b"--\r\n" if end else b"")


def _file_part(filename: bytes, data: bytes = PNG.content) -> tuple[bytes, bytes]:
    return (b'Content-Disposition: form-data; name="doc"; filename="' + filename + b'"', data)


def _value_part(name: bytes, value: bytes) -> tuple[bytes, bytes]:
    return (b'Content-Disposition: form-data; name="' + name + b'"', value)


def _stored_as(filename: bytes, pattern: str, why: str) -> Scenario:
    return Scenario(
        f"An upload called {filename.decode()[:20]} {why}.",
        method="PATCH",
        url=POST1,
        auth="user1",
        raw=_form(_file_part(filename)),
        headers=MULTIPART,
        params={"fields": "doc"},
        json={"doc": Re(pattern)},
    )


def _refused_body(name: str, raw: bytes, answer: dict[str, Any] = BAD_REQUEST) -> Scenario:
    return Scenario(
        name,
        method="PATCH",
        url=POST1,
        auth="user1",
        raw=raw,
        headers=MULTIPART,
        status=400,
        json=answer,
        then=[
            Scenario(
                "Nothing was written.",
                url=POST1,
                auth="user1",
                params={"fields": "doc,title"},
                json={"doc": "", "title": "Hello"},
            )
        ],
    )


SCENARIOS = [
    Scenario(
        "Uploaded files get snake-cased names with a random suffix and keep the extension case.",
        method="PATCH",
        url=POST1,
        auth="user1",
        multipart=[("files", _png("My Blue File.PNG")), ("files", _png("red.png"))],
        params={"fields": "files"},
        json={"files": [Re(r"my_blue_file_[a-z0-9]{10}\.PNG"), Re(r"red_[a-z0-9]{10}\.png")]},
    ),
    Scenario(
        "A base name shorter than three characters is padded with random characters.",
        method="PATCH",
        url=POST1,
        auth="user1",
        multipart=[("doc", _png("b.png"))],
        params={"fields": "doc"},
        json={"doc": Re(r"b[a-z0-9]{10}_[a-z0-9]{10}\.png")},
    ),
    Scenario(
        "More uploads than maxSelect are refused.",
        method="PATCH",
        url=POST1,
        auth="user1",
        multipart=[
            ("files", _png("a.png")),
            ("files", _png("b.png")),
            ("files", _png("c.png")),
            ("files", _png("d.png")),
        ],
        status=400,
        json=_failed(
            {
                "files": {
                    "code": "validation_too_many_files",
                    "message": "The maximum allowed files is 3.",
                    "params": {"maxSelect": 3},
                }
            }
        ),
        fresh=False,
    ),
    Scenario(
        "A file over maxSize is refused with the size limit error.",
        method="PATCH",
        url=POST1,
        auth="user1",
        multipart=[("doc", File("big.bin", b"0" * 1000001, "application/octet-stream"))],
        status=400,
        json=_failed(
            {
                "doc": {
                    "code": "validation_file_size_limit",
                    "message": "Failed to upload big.bin - the maximum allowed file size is 1000000 bytes.",
                    "params": {"file": "big.bin", "maxSize": 1000000},
                }
            }
        ),
        fresh=False,
    ),
    Scenario(
        "A file name that is neither stored nor uploaded is refused as an invalid file.",
        method="PATCH",
        url=POST1,
        auth="user1",
        body={"files": ["nope.png"]},
        status=400,
        json=_failed(
            {
                "files": {
                    "code": "validation_invalid_file",
                    "message": "Invalid new files: [nope.png].",
                    "params": {"invalidFiles": ["nope.png"]},
                }
            }
        ),
        fresh=False,
    ),
    Scenario(
        "The files+ modifier appends uploads and files- removes stored names.",
        method="PATCH",
        url=POST1,
        auth="user1",
        setup=[
            Scenario(
                "Upload two files.",
                method="PATCH",
                url=POST1,
                auth="user1",
                multipart=[("files", _png("one.png")), ("files", _png("two.png"))],
                capture={"first": "files.0", "second": "files.1"},
            )
        ],
        multipart=[("files+", File("three.txt", b"hello", "text/plain"))],
        params={"fields": "files"},
        json={"files": ["{first}", "{second}", Re(r"three_[a-z0-9]{10}\.txt")]},
        then=[
            Scenario(
                "Removing the first keeps the others in order.",
                method="PATCH",
                url=POST1,
                auth="user1",
                body={"files-": ["{first}"]},
                params={"fields": "files"},
                json={"files": ["{second}", Re(r"three_[a-z0-9]{10}\.txt")]},
            )
        ],
    ),
    Scenario(
        "Sending an empty list clears a multi file field.",
        method="PATCH",
        url=POST1,
        auth="user1",
        body={"files": []},
        params={"fields": "files"},
        setup=[
            Scenario(
                "Upload a file.",
                method="PATCH",
                url=POST1,
                auth="user1",
                multipart=[("files", _png("one.png"))],
            )
        ],
        json={"files": []},
    ),
    Scenario(
        "A json value over the default 1 MiB limit is refused.",
        method="PATCH",
        url=POST1,
        auth="user1",
        body={"meta": "x" * (1 << 20)},
        status=400,
        json=_failed(
            {
                "meta": {
                    "code": "validation_json_size_limit",
                    "message": "The maximum allowed JSON size is 1048576 bytes.",
                    "params": {"maxSize": 1048576},
                }
            }
        ),
        fresh=False,
    ),
    # Names as Go's multipart reader hands them over: the last path element only.
    _stored_as(b"../../evil.png", r"evil_[a-z0-9]{10}\.png", "keeps only its last path element"),
    _stored_as(
        b"a/b/c.png", r"c[a-z0-9]{10}_[a-z0-9]{10}\.png", "keeps its last element, padded to three characters"
    ),
    _stored_as(
        b"dir/", r"dir_[a-z0-9]{10}\.png", "loses its trailing slash and gets the extension of its content"
    ),
    _stored_as(
        b"C:\\\\dir\\\\f.png", r"c_dir_f_[a-z0-9]{10}\.png", "keeps its escaped backslashes as separators"
    ),
    # Names of dots only: a random base, the extension guessed from the content.
    _stored_as(b"...", r"[a-z0-9]{10}_[a-z0-9]{10}\.png", "of three dots gets a random base"),
    _stored_as(b"..", r"[a-z0-9]{10}_[a-z0-9]{10}\.png", "of two dots gets a random base"),
    _stored_as(b".", r"[a-z0-9]{10}_[a-z0-9]{10}\.png", "of one dot gets a random base"),
    _stored_as(b".env", r"[a-z0-9]{10}_[a-z0-9]{10}\.env", "is all extension, with a random base"),
    _stored_as(b"noext", r"noext_[a-z0-9]{10}\.png", "gets the extension of its content"),
    _stored_as(b"x" * 300 + b".png", r"x{100}_[a-z0-9]{10}\.png", "of 300 characters is cut to 100"),
    Scenario(
        "A zero-byte file is accepted and stored.",
        method="PATCH",
        url=POST1,
        auth="user1",
        raw=_form(_file_part(b"empty.txt", b"")),
        headers=MULTIPART,
        params={"fields": "doc"},
        json={"doc": Re(r"empty_[a-z0-9]{10}\.txt")},
    ),
    Scenario(
        "Parts without a form name, or without a Content-Disposition, are skipped.",
        method="PATCH",
        url=POST1,
        auth="user1",
        raw=_form(
            (b'Content-Disposition: form-data; filename="x.png"', PNG.content),
            (b"Content-Type: text/plain", b"no disposition"),
            _value_part(b"title", b"Renamed"),
        ),
        headers=MULTIPART,
        params={"fields": "doc,title"},
        json={"doc": "", "title": "Renamed"},
    ),
    # A detected type the blob writer cannot format again is refused before anything is stored.
    Scenario(
        "An upload whose declared charset is not a MIME token fails the create, with no data.",
        method="POST",
        url="/api/collections/posts/records",
        auth="user1",
        multipart=[("title", "Bad charset"), ("doc", File("bad.xml", BAD_CHARSET_XML, "text/xml"))],
        status=400,
        json=NOT_CREATED,
        then=[
            Scenario(
                "No record was created.",
                url="/api/collections/posts/records",
                params={"filter": "title = 'Bad charset'"},
                json={"totalItems": 0, "items": []},
            )
        ],
    ),
    _refused_body(
        "An upload whose declared charset is not a MIME token fails the update, with no data.",
        _form(_value_part(b"title", b"Renamed"), _file_part(b"bad.html", BAD_CHARSET_HTML)),
        _failed({}),
    ),
    Scenario(
        "A valid upload beside one the blob writer refuses is not kept either.",
        method="PATCH",
        url=POST1,
        auth="user1",
        multipart=[("files", _png("good.png")), ("files", File("bad.xml", BAD_CHARSET_XML, "text/xml"))],
        status=400,
        json=_failed({}),
        then=[
            Scenario(
                "The record still has no files.",
                url=POST1,
                auth="user1",
                params={"fields": "files"},
                json={"files": []},
            )
        ],
    ),
    _refused_body("A NUL byte in a part header is a malformed body.", _form(_file_part(b"a\x00b.png"))),
    _refused_body(
        "A body cut before its closing boundary is refused.", _form(_file_part(b"t.png"), end=False)[:-20]
    ),
    _refused_body(
        "A body of 10,000 tiny parts is refused (Go reads at most 1,000).",
        _form(*[_value_part(b"x%d" % i, b"1") for i in range(10_000)]),
    ),
    _refused_body(
        "A body of 1,001 parts is one part too many.",
        _form(*[_value_part(b"title", b"1") for _ in range(1001)]),
    ),
]


def test_scenario(scenario: Scenario, play: Callable[[Scenario], None]) -> None:
    play(scenario)
