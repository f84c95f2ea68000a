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
]


def test_scenario(scenario: Scenario, play: Callable[[Scenario], None]) -> None:
    play(scenario)
