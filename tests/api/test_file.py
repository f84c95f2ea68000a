"""File downloads: `GET /api/files/{collection}/{record}/{filename}` (PocketBase apis/file_test.go;
pocketbase-api.md §5.2, T13, T14).

Files are uploaded by a setup step (the seed holds none), so most scenarios run on a fresh copy
of the seed and check several requests through `then` steps. Thumbnails are not generated yet;
the table only asks for thumbs that every server answers with the original.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.harness.scenario import File, Scenario

NOT_FOUND = {"data": {}, "message": "The requested resource wasn't found.", "status": 404}
POST1 = "/api/collections/posts/records/{post1}"
FILES = "/api/files/posts/{post1}"
CSP = "default-src 'none'; media-src 'self'; style-src 'unsafe-inline'; sandbox"
CACHE = "max-age=2592000, stale-while-revalidate=86400"
# A valid 1x1 PNG, so content sniffing sees an image.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c63f8cfc0f01f0005000201a5b3a1c80000000049454e44ae426082"
)
TEXT = b"hello world text"  # 16 bytes
OLD_DATE = "Sat, 01 Jan 2000 00:00:00 GMT"
FUTURE_DATE = "Fri, 01 Jan 2100 00:00:00 GMT"

UPLOAD = Scenario(
    "User one uploads a text file, an image, a stylesheet and a script to post one.",
    method="PATCH",
    url=POST1,
    auth="user1",
    multipart=[
        ("doc", File("doc.txt", TEXT, "text/plain")),
        ("files", File("red.png", PNG, "image/png")),
        ("files", File("style.css", b"body{color:red}", "text/css")),
        ("files", File("app.js", b"console.log(1)", "text/javascript")),
    ],
    capture={"doc": "doc", "png": "files.0", "css": "files.1", "js": "files.2"},
)


def _get(name: str, url: str, **kw: Any) -> Scenario:
    return Scenario(name, method=kw.pop("method", "GET"), url=url, **kw)


def _vault(view_rule: str | None) -> list[Scenario]:
    """Setup: a `vault` collection with a protected file field and the given viewRule, and one
    record owned by user one holding `secret.txt`."""
    return [
        Scenario(
            "The superuser creates a collection with a protected file field.",
            method="POST",
            url="/api/collections",
            auth="superuser",
            body={
                "name": "vault",
                "type": "base",
                "listRule": view_rule,
                "viewRule": view_rule,
                "fields": [
                    {"name": "secret", "type": "file", "maxSelect": 1, "protected": True},
                    {"name": "owner", "type": "relation", "collectionId": "_pb_users_auth_", "maxSelect": 1},
                ],
            },
            capture={"vault_id": "id"},
        ),
        Scenario(
            "The superuser stores a secret file owned by user one.",
            method="POST",
            url="/api/collections/vault/records",
            auth="superuser",
            multipart=[("owner", "{u1}"), ("secret", File("secret.txt", b"top secret", "text/plain"))],
            capture={"vault1": "id", "secret": "secret"},
        ),
    ]


def _file_token(who: str, symbol: str) -> Scenario:
    return Scenario(
        f"A file token is minted for {who}.",
        method="POST",
        url="/api/files/token",
        auth=who,
        capture={symbol: "token"},
    )


SECRET = "/api/files/vault/{vault1}/{secret}"

SCENARIOS = [
    # -- lookups that fail ------------------------------------------------------------------
    _get(
        "An unknown collection is refused before anything else.",
        "/api/files/nope/{post1}/x.txt",
        status=404,
        json={"data": {}, "message": "Missing or invalid collection context.", "status": 404},
    ),
    _get("An unknown record gives not found.", "/api/files/posts/nope/x.txt", status=404, json=NOT_FOUND),
    _get(
        "A name that is not in any file field of the record gives not found.",
        f"{FILES}/x.txt",
        status=404,
        json=NOT_FOUND,
    ),
    _get(
        "A field name is not a file name.",
        f"{FILES}/title",
        status=404,
        json=NOT_FOUND,
    ),
    _get(
        "Another method on a file url is an unknown route.",
        f"{FILES}/x.txt",
        method="POST",
        status=404,
        json=NOT_FOUND,
        fresh=False,
    ),
    # -- plain downloads ----------------------------------------------------------------------
    _get(
        "A file of a non protected field is public and a text file downloads as an attachment.",
        f"{FILES}/{{doc}}",
        setup=[UPLOAD],
        contains=["hello world text"],
        expect_headers={
            "Content-Disposition": 'attachment; filename="{doc}"',
            "Content-Type": "text/plain; charset=utf-8",
            "Content-Length": "16",
            "Accept-Ranges": "bytes",
            "Cache-Control": CACHE,
            "Content-Security-Policy": CSP,
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": None,
            "Content-Range": None,
        },
        hooks={"*": 0},
        then=[
            _get(
                "The collection may be named by its id.",
                "/api/files/{posts_id}/{post1}/{doc}",
                contains=["hello world text"],
            ),
            _get(
                "A HEAD request answers the same headers without a body.",
                f"{FILES}/{{doc}}",
                method="HEAD",
                not_contains=["hello"],
                expect_headers={"Content-Length": "16", "Content-Type": "text/plain; charset=utf-8"},
            ),
            _get(
                "The Authorization header does not matter for a public file.",
                f"{FILES}/{{doc}}",
                auth="user2",
                contains=["hello world text"],
            ),
            _get(
                "A thumb of a file that is not an image serves the original.",
                f"{FILES}/{{doc}}",
                params={"thumb": "100x100"},
                contains=["hello world text"],
                expect_headers={"Content-Disposition": 'attachment; filename="{doc}"'},
            ),
        ],
    ),
    _get(
        "An image is served inline and download forces an attachment.",
        f"{FILES}/{{png}}",
        setup=[UPLOAD],
        expect_headers={
            "Content-Disposition": 'inline; filename="{png}"',
            "Content-Type": "image/png",
            "Content-Length": str(len(PNG)),
        },
        then=[
            _get(
                "The download parameter set to one forces an attachment.",
                f"{FILES}/{{png}}",
                params={"download": "1"},
                expect_headers={"Content-Disposition": 'attachment; filename="{png}"'},
            ),
            _get(
                "The download parameter accepts the short true spelling.",
                f"{FILES}/{{png}}",
                params={"download": "t"},
                expect_headers={"Content-Disposition": 'attachment; filename="{png}"'},
            ),
            _get(
                "A download value that is not a boolean keeps the image inline.",
                f"{FILES}/{{png}}",
                params={"download": "yes"},
                expect_headers={"Content-Disposition": 'inline; filename="{png}"'},
            ),
            _get(
                "A thumb size the field does not list serves the original image.",
                f"{FILES}/{{png}}",
                params={"thumb": "70x70"},
                expect_headers={
                    "Content-Disposition": 'inline; filename="{png}"',
                    "Content-Length": str(len(PNG)),
                },
            ),
        ],
    ),
    _get(
        "A stylesheet is served with the content type forced by its extension.",
        f"{FILES}/{{css}}",
        setup=[UPLOAD],
        contains=["body{color:red}"],
        expect_headers={"Content-Type": "text/css", "Content-Disposition": 'attachment; filename="{css}"'},
        then=[
            _get(
                "A script is served as text/javascript.",
                f"{FILES}/{{js}}",
                expect_headers={"Content-Type": "text/javascript"},
            )
        ],
    ),
    # -- ranges -----------------------------------------------------------------------------------
    _get(
        "A byte range gets a partial answer.",
        f"{FILES}/{{doc}}",
        setup=[UPLOAD],
        headers={"Range": "bytes=0-3"},
        status=206,
        contains=["hell"],
        not_contains=["world"],
        expect_headers={"Content-Range": "bytes 0-3/16", "Content-Length": "4", "Accept-Ranges": "bytes"},
        then=[
            _get(
                "A suffix range gets the last bytes.",
                f"{FILES}/{{doc}}",
                headers={"Range": "bytes=-4"},
                status=206,
                expect_headers={"Content-Range": "bytes 12-15/16", "Content-Length": "4"},
                contains=["text"],
            ),
            _get(
                "An open range runs to the end of the file.",
                f"{FILES}/{{doc}}",
                headers={"Range": "bytes=6-"},
                status=206,
                expect_headers={"Content-Range": "bytes 6-15/16"},
                contains=["world text"],
            ),
            _get(
                "Several ranges come back as multipart byteranges.",
                f"{FILES}/{{doc}}",
                headers={"Range": "bytes=0-1,6-10"},
                status=206,
                contains=[
                    "Content-Range: bytes 0-1/16\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhe\r\n--",
                    "Content-Range: bytes 6-10/16\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nworld\r\n--",
                ],
            ),
            _get(
                "Ranges adding up to more than the file are ignored.",
                f"{FILES}/{{doc}}",
                headers={"Range": "bytes=0-10,0-10"},
                expect_headers={"Content-Length": "16", "Content-Range": None},
                contains=["hello world text"],
            ),
            _get(
                "A range past the end is not satisfiable.",
                f"{FILES}/{{doc}}",
                headers={"Range": "bytes=100-"},
                status=416,
                contains=["invalid range: failed to overlap"],
                expect_headers={
                    "Content-Range": "bytes */16",
                    "Content-Type": "text/plain; charset=utf-8",
                    "Cache-Control": None,
                    "Last-Modified": None,
                    "X-Frame-Options": None,
                },
            ),
            _get(
                "A malformed range is not satisfiable.",
                f"{FILES}/{{doc}}",
                headers={"Range": "bytes=x-1"},
                status=416,
                contains=["invalid range"],
                expect_headers={"Content-Range": None},
            ),
            _get(
                "A range in another unit is not satisfiable.",
                f"{FILES}/{{doc}}",
                headers={"Range": "items=0-1"},
                status=416,
            ),
        ],
    ),
    # -- conditional requests -------------------------------------------------------------------------
    _get(
        "A file not modified since the given date answers not modified.",
        f"{FILES}/{{doc}}",
        setup=[UPLOAD],
        headers={"If-Modified-Since": FUTURE_DATE},
        status=304,
        not_contains=["hello"],
        expect_headers={
            "Content-Type": None,
            "Cache-Control": CACHE,
            "Content-Disposition": 'attachment; filename="{doc}"',
            "X-Frame-Options": None,
        },
        then=[
            _get(
                "A file modified since the given date is sent.",
                f"{FILES}/{{doc}}",
                headers={"If-Modified-Since": OLD_DATE},
                contains=["hello world text"],
            ),
            _get(
                "If-None-Match with a star answers not modified.",
                f"{FILES}/{{doc}}",
                headers={"If-None-Match": "*"},
                status=304,
            ),
            _get(
                "A file modified after If-Unmodified-Since fails the precondition.",
                f"{FILES}/{{doc}}",
                headers={"If-Unmodified-Since": OLD_DATE},
                status=412,
                not_contains=["hello"],
            ),
            _get(
                "An If-Match entity tag fails the precondition, as files have no ETag.",
                f"{FILES}/{{doc}}",
                headers={"If-Match": '"abc"'},
                status=412,
            ),
            _get(
                "A stale If-Range date turns a range request into the whole file.",
                f"{FILES}/{{doc}}",
                headers={"Range": "bytes=0-1", "If-Range": OLD_DATE},
                contains=["hello world text"],
            ),
        ],
    ),
    # -- protected files ---------------------------------------------------------------------------
    _get(
        "A protected file needs a file token that passes the viewRule.",
        SECRET,
        setup=_vault("owner = @request.auth.id"),
        status=404,
        json=NOT_FOUND,
        then=[
            _get(
                "The Authorization header of the owner is ignored.",
                SECRET,
                auth="user1",
                status=404,
                json=NOT_FOUND,
            ),
            _file_token("user1", "u1_file_token"),
            _get(
                "The owner's file token opens the file.",
                SECRET,
                params={"token": "{u1_file_token}"},
                contains=["top secret"],
                expect_headers={
                    "Content-Disposition": 'attachment; filename="{secret}"',
                    "X-Frame-Options": None,
                },
            ),
            _get(
                "The file token also works with the collection id.",
                "/api/files/{vault_id}/{vault1}/{secret}",
                params={"token": "{u1_file_token}"},
                contains=["top secret"],
            ),
            _file_token("user2", "u2_file_token"),
            _get(
                "Another user's file token fails the viewRule.",
                SECRET,
                params={"token": "{u2_file_token}"},
                status=404,
                json=NOT_FOUND,
            ),
            _get(
                "An auth token is not a file token.",
                SECRET,
                params={"token": "{user1_token}"},
                status=404,
                json=NOT_FOUND,
            ),
            _get(
                "A malformed token is ignored.", SECRET, params={"token": "nope"}, status=404, json=NOT_FOUND
            ),
            _file_token("superuser", "su_file_token"),
            _get(
                "A superuser file token passes any viewRule.",
                SECRET,
                params={"token": "{su_file_token}"},
                contains=["top secret"],
            ),
        ],
    ),
    _get(
        "A protected file of a collection whose viewRule is empty is public.",
        SECRET,
        setup=_vault(""),
        contains=["top secret"],
    ),
    _get(
        "A protected file of a superusers only collection refuses user file tokens.",
        SECRET,
        setup=[*_vault(None), _file_token("user1", "u1_file_token")],
        params={"token": "{u1_file_token}"},
        status=404,
        json=NOT_FOUND,
        then=[
            _file_token("superuser", "su_file_token"),
            _get(
                "The superuser file token opens it.",
                SECRET,
                params={"token": "{su_file_token}"},
                contains=["top secret"],
            ),
        ],
    ),
    _get(
        "The viewRule sees the protectedFile request context.",
        SECRET,
        setup=_vault("@request.context = 'protectedFile'"),
        contains=["top secret"],
    ),
    _get(
        "A rule on the requester's fields is judged for the file token's record.",
        SECRET,
        setup=[*_vault("@request.auth.verified = true"), _file_token("user2", "u2_file_token")],
        params={"token": "{u2_file_token}"},
        status=404,
        json=NOT_FOUND,
        then=[
            _file_token("user1", "u1_file_token"),
            _get(
                "The verified user's file token opens it.",
                SECRET,
                params={"token": "{u1_file_token}"},
                contains=["top secret"],
            ),
        ],
    ),
    # -- view collections ---------------------------------------------------------------------------
    _get(
        "A file shown through a view collection is served from its source record.",
        "/api/files/postsview/{post1}/{doc}",
        setup=[
            UPLOAD,
            Scenario(
                "The superuser creates a view over the posts.",
                method="POST",
                url="/api/collections",
                auth="superuser",
                body={
                    "name": "postsview",
                    "type": "view",
                    "listRule": "",
                    "viewRule": "",
                    "viewQuery": "select p.id, p.doc as attachment, p.files from posts p",
                },
            ),
        ],
        contains=["hello world text"],
        expect_headers={"Content-Disposition": 'attachment; filename="{doc}"'},
        then=[
            _get(
                "A multi file column of the view serves the source file.",
                "/api/files/postsview/{post1}/{css}",
                contains=["body{color:red}"],
                expect_headers={"Content-Type": "text/css"},
            ),
        ],
    ),
]


def test_scenario(scenario: Scenario, play: Callable[[Scenario], None]) -> None:
    play(scenario)
