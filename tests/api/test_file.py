"""File downloads: `GET /api/files/{collection}/{record}/{filename}` (PocketBase apis/file_test.go;
pocketbase-api.md §5.2, T13, T14).

Files are uploaded by a setup step (the seed holds none), so most scenarios run on a fresh copy
of the seed and check several requests through `then` steps. Images are made with Pillow here.

Thumbnails: the table checks what is byte-exact between servers (status, every header but the
length, the original served when no thumb is made). Thumb bytes differ between Go's codecs and
Pillow's, so `test_thumb_images` decodes each thumb and compares its format, mode and size, on
every target; the concurrent first requests and the decompression bomb have their own tests.
"""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from PIL import Image

from tests.harness.images import png_declaring
from tests.harness.pool import SeedPool
from tests.harness.scenario import File, Scenario
from tests.harness.targets import TARGETS, Response, Target

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


# -- images for thumbs ----------------------------------------------------------------------------


def _image(fmt: str, size: tuple[int, int] = (300, 200), mode: str = "RGB", **kw: Any) -> bytes:
    """A striped test image (red, green, blue bands from the top) in `fmt`; half transparent in RGBA."""
    img = Image.new(mode, size)
    for i, colour in enumerate(((255, 0, 0), (0, 255, 0), (0, 0, 255))):
        fill = (*colour, 128) if mode == "RGBA" else colour
        img.paste(fill, (0, size[1] * i // 3, size[0], size[1] * (i + 1) // 3))
    out = io.BytesIO()
    img.save(out, fmt, **kw)
    return out.getvalue()


def _animated(fmt: str) -> bytes:
    frames = [Image.new("RGB", (120, 80), c) for c in ((255, 0, 0), (0, 0, 255))]
    out = io.BytesIO()
    frames[0].save(out, fmt, save_all=True, append_images=frames[1:], duration=50, loop=0)
    return out.getvalue()


GALLERY_THUMBS = ["50x0", "0x50", "50x50t", "50x50b", "50x50f", "70x30", "1000x1000f"]
# name in the table: (upload name, bytes); all upload as application/octet-stream, so each
# server sniffs the stored content type itself.
IMAGES: dict[str, tuple[str, bytes]] = {
    "png": ("a.png", _image("PNG")),
    "rgba": ("b.png", _image("PNG", mode="RGBA")),
    "jpg": ("c.jpg", _image("JPEG", quality=90)),
    "gif": ("d.gif", _image("GIF")),
    "webp": ("e.webp", _image("WEBP")),
    "agif": ("f.gif", _animated("GIF")),
    "awebp": ("g.webp", _animated("WEBP")),
    "small": ("h.png", _image("PNG", size=(40, 10))),
    "broken": ("i.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 200),
    "svg": ("j.svg", b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'),
    "bmp": ("k.bmp", _image("BMP", size=(30, 20))),
}
GALLERY_FIELDS = [
    {"name": "img", "type": "file", "maxSelect": 20, "maxSize": 5_000_000, "thumbs": GALLERY_THUMBS}
]
GALLERY = [
    Scenario(
        "The superuser creates a public gallery whose file field lists thumb sizes.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        body={"name": "gallery", "type": "base", "listRule": "", "viewRule": "", "fields": GALLERY_FIELDS},
    ),
    Scenario(
        "The superuser uploads one image of each kind to the gallery.",
        method="POST",
        url="/api/collections/gallery/records",
        auth="superuser",
        multipart=[("img", File(name, data)) for name, data in IMAGES.values()],
        capture={"pic": "id", **{key: f"img.{i}" for i, key in enumerate(IMAGES)}},
    ),
]
PICS = "/api/files/gallery/{pic}"


def _thumb(name: str, key: str, size: str, **kw: Any) -> Scenario:
    return _get(name, f"{PICS}/{{{key}}}", params={"thumb": size, **kw.pop("params", {})}, **kw)


def _original(key: str, content_type: str, disposition: str = "inline") -> dict[str, str | None]:
    """The headers of `key`'s original, served in place of a thumb."""
    return {
        "Content-Type": content_type,
        "Content-Disposition": f'{disposition}; filename="{{{key}}}"',
        "Content-Length": str(len(IMAGES[key][1])),
    }


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
    # -- thumbs -----------------------------------------------------------------------------------------
    _thumb(
        "A png thumb is made on the first request and served inline under its own name.",
        "png",
        "100x100",
        setup=GALLERY,
        expect_headers={
            "Content-Type": "image/png",
            "Content-Disposition": 'inline; filename="100x100_{png}"',
            "Content-Security-Policy": CSP,
            "Cache-Control": CACHE,
            "Accept-Ranges": "bytes",
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": None,
            "Content-Range": None,
        },
        then=[
            _thumb(
                "The stored thumb is served again.",
                "png",
                "100x100",
                expect_headers={
                    "Content-Type": "image/png",
                    "Content-Disposition": 'inline; filename="100x100_{png}"',
                },
            ),
            _thumb(
                "A HEAD request for a thumb answers its headers without a body.",
                "png",
                "50x50t",
                method="HEAD",
                expect_headers={
                    "Content-Type": "image/png",
                    "Content-Disposition": 'inline; filename="50x50t_{png}"',
                },
            ),
            _thumb(
                "The download parameter makes a thumb an attachment.",
                "png",
                "70x30",
                params={"download": "1"},
                expect_headers={"Content-Disposition": 'attachment; filename="70x30_{png}"'},
            ),
            _thumb(
                "A byte range of a thumb gets a partial answer.",
                "png",
                "100x100",
                headers={"Range": "bytes=0-7"},
                status=206,
                contains=["PNG"],
                expect_headers={"Content-Length": "8", "Content-Type": "image/png"},
            ),
            _thumb(
                "A thumb not modified since the given date answers not modified.",
                "png",
                "100x100",
                headers={"If-Modified-Since": FUTURE_DATE},
                status=304,
                expect_headers={
                    "Content-Type": None,
                    "Content-Disposition": 'inline; filename="100x100_{png}"',
                },
            ),
            _thumb(
                "A jpeg thumb stays a jpeg.",
                "jpg",
                "50x50b",
                expect_headers={
                    "Content-Type": "image/jpeg",
                    "Content-Disposition": 'inline; filename="50x50b_{jpg}"',
                },
            ),
            _thumb(
                "A gif thumb stays a gif.",
                "gif",
                "0x50",
                expect_headers={
                    "Content-Type": "image/gif",
                    "Content-Disposition": 'inline; filename="0x50_{gif}"',
                },
            ),
            _thumb(
                "A webp thumb becomes a png that keeps the original's name.",
                "webp",
                "50x50f",
                expect_headers={
                    "Content-Type": "image/png",
                    "Content-Disposition": 'inline; filename="50x50f_{webp}"',
                },
            ),
            _thumb(
                "A size the field does not list serves the original image.",
                "png",
                "60x60",
                expect_headers=_original("png", "image/png"),
            ),
            _thumb(
                "A listed size with a different suffix is another size.",
                "png",
                "50x50",
                expect_headers=_original("png", "image/png"),
            ),
            _thumb(
                "An image that cannot be decoded serves the original.",
                "broken",
                "100x100",
                expect_headers=_original("broken", "image/png"),
            ),
            _thumb(
                "An animated webp serves the original, as Go's decoder refuses it.",
                "awebp",
                "100x100",
                expect_headers=_original("awebp", "image/webp"),
            ),
            _thumb(
                "An svg image is never thumbed and stays an attachment.",
                "svg",
                "100x100",
                expect_headers=_original("svg", "image/svg+xml", "attachment"),
            ),
            _thumb(
                "A bmp image is not among the types thumbs are made of.",
                "bmp",
                "100x100",
                expect_headers=_original("bmp", "image/bmp"),
            ),
        ],
    ),
    _thumb(
        "A protected image's thumb needs a file token too.",
        "png",
        "100x100",
        setup=[
            Scenario(
                "The superuser creates a gallery with a protected file field.",
                method="POST",
                url="/api/collections",
                auth="superuser",
                body={
                    "name": "gallery",
                    "type": "base",
                    "listRule": "",
                    "viewRule": "@request.auth.id != ''",
                    "fields": [{**GALLERY_FIELDS[0], "protected": True}],
                },
            ),
            GALLERY[1],
        ],
        status=404,
        json=NOT_FOUND,
        then=[
            _file_token("user1", "u1_file_token"),
            _thumb(
                "The file token opens the thumb.",
                "png",
                "100x100",
                params={"token": "{u1_file_token}"},
                expect_headers={
                    "Content-Type": "image/png",
                    "Content-Disposition": 'inline; filename="100x100_{png}"',
                },
            ),
        ],
    ),
    _get(
        "A thumb of an image shown through a view is made from its source record.",
        "/api/files/galleryview/{pic}/{png}",
        setup=[
            *GALLERY,
            Scenario(
                "The superuser creates a view over the gallery.",
                method="POST",
                url="/api/collections",
                auth="superuser",
                body={
                    "name": "galleryview",
                    "type": "view",
                    "listRule": "",
                    "viewRule": "",
                    "viewQuery": "select g.id, g.img as pictures from gallery g",
                },
            ),
        ],
        params={"thumb": "100x100"},
        expect_headers={
            "Content-Type": "image/png",
            "Content-Disposition": 'inline; filename="100x100_{png}"',
        },
        then=[
            _get(
                "A size listed on the source field is honoured through the view.",
                "/api/files/galleryview/{pic}/{png}",
                params={"thumb": "70x30"},
                expect_headers={"Content-Disposition": 'inline; filename="70x30_{png}"'},
            ),
        ],
    ),
    # -- more served types --------------------------------------------------------------------------
    _get(
        "An svg is served as an svg attachment whatever was sniffed.",
        f"{PICS}/{{svg}}",
        setup=GALLERY,
        expect_headers={
            "Content-Type": "image/svg+xml",
            "Content-Disposition": 'attachment; filename="{svg}"',
            "Content-Security-Policy": CSP,
        },
        then=[
            _get(
                "A bmp image is served inline.",
                f"{PICS}/{{bmp}}",
                expect_headers={
                    "Content-Type": "image/bmp",
                    "Content-Disposition": 'inline; filename="{bmp}"',
                },
            ),
        ],
    ),
    _get(
        "Module scripts and office documents get the content type of their extension.",
        f"{FILES}/{{mjs}}",
        setup=[
            Scenario(
                "User one uploads a module script and a word document to post one.",
                method="PATCH",
                url=POST1,
                auth="user1",
                multipart=[
                    ("files", File("mod.mjs", b"export default 1", "text/javascript")),
                    ("files", File("report.docx", b"PK\x03\x04" + b"\0" * 60, "application/zip")),
                ],
                capture={"mjs": "files.0", "docx": "files.1"},
            )
        ],
        expect_headers={
            "Content-Type": "text/javascript",
            "Content-Disposition": 'attachment; filename="{mjs}"',
        },
        then=[
            _get(
                "A word document is served with its OOXML content type.",
                f"{FILES}/{{docx}}",
                expect_headers={
                    "Content-Type": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    "Content-Disposition": 'attachment; filename="{docx}"',
                },
            )
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


# -- thumbs, decoded ----------------------------------------------------------------------------------

_MARKS: dict[str, list[pytest.MarkDecorator]] = {
    "inprocess": [pytest.mark.inprocess],
    "live": [pytest.mark.live],
    "pocketbase": [pytest.mark.live, pytest.mark.pocketbase],
}


def _targets(*kinds: str) -> list[Any]:
    return [pytest.param(k, marks=_MARKS[k], id=k) for k in kinds]


# (image, size, Content-Type, decoded format, mode, dimensions): imaging's geometry and PocketBase's
# output formats, the first frame of animations, and originals where no thumb is made.
THUMB_CASES = [
    ("png", "100x100", "image/png", "PNG", "RGB", (100, 100)),
    ("png", "50x50t", "image/png", "PNG", "RGB", (50, 50)),
    ("png", "50x50b", "image/png", "PNG", "RGB", (50, 50)),
    ("png", "50x50f", "image/png", "PNG", "RGB", (50, 33)),
    ("png", "70x30", "image/png", "PNG", "RGB", (70, 30)),
    ("png", "50x0", "image/png", "PNG", "RGB", (50, 33)),
    ("png", "0x50", "image/png", "PNG", "RGB", (75, 50)),
    ("png", "1000x1000f", "image/png", "PNG", "RGB", (300, 200)),
    ("rgba", "50x50f", "image/png", "PNG", "RGBA", (50, 33)),
    ("rgba", "100x100", "image/png", "PNG", "RGBA", (100, 100)),
    ("jpg", "100x100", "image/jpeg", "JPEG", "RGB", (100, 100)),
    ("jpg", "0x50", "image/jpeg", "JPEG", "RGB", (75, 50)),
    ("gif", "100x100", "image/gif", "GIF", "P", (100, 100)),
    ("gif", "50x50f", "image/gif", "GIF", "P", (50, 33)),
    ("webp", "100x100", "image/png", "PNG", "RGB", (100, 100)),
    ("webp", "50x0", "image/png", "PNG", "RGB", (50, 33)),
    ("agif", "100x100", "image/gif", "GIF", "P", (100, 100)),
    ("agif", "1000x1000f", "image/gif", "GIF", "P", (120, 80)),
    ("small", "100x100", "image/png", "PNG", "RGB", (100, 100)),
    ("small", "0x50", "image/png", "PNG", "RGB", (200, 50)),
    ("small", "50x50f", "image/png", "PNG", "RGB", (40, 10)),
    ("awebp", "100x100", "image/webp", "WEBP", "RGB", (120, 80)),
    ("bmp", "100x100", "image/bmp", "BMP", "RGB", (30, 20)),
    ("png", "60x60", "image/png", "PNG", "RGB", (300, 200)),
]


def _send(target: Target, method: str, url: str, token: str, body: Any = None, files: Any = None) -> Response:
    headers = {"Authorization": token}
    content: bytes | None = None
    if body is not None:
        content, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
    elif files is not None:
        boundary = uuid.uuid4().hex
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
            f"Content-Type: application/octet-stream\r\n\r\n".encode()
            + data
            + b"\r\n"
            for field, name, data in files
        ]
        content = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    resp = target.request(method, url, headers, content)
    assert resp.status == 200, f"{method} {url} -> {resp.status} {resp.text}"
    return resp


def _gallery(target: Target, symbols: dict[str, str], images: dict[str, tuple[str, bytes]]) -> dict[str, str]:
    """Create the gallery and one record holding `images`; their stored names, and `id`."""
    token = symbols["superuser_token"]
    body = {"name": "gallery", "type": "base", "listRule": "", "viewRule": "", "fields": GALLERY_FIELDS}
    _send(target, "POST", "/api/collections", token, body=body)
    files = [("img", name, data) for name, data in images.values()]
    record = _send(target, "POST", "/api/collections/gallery/records", token, files=files).json()
    return {"id": record["id"], **dict(zip(images, record["img"], strict=True))}


def _decoded(resp: Response) -> tuple[str, str, str, tuple[int, int]]:
    img = Image.open(io.BytesIO(resp.body))
    return resp.headers.get("content-type", ""), str(img.format), img.mode, img.size


@pytest.mark.parametrize("kind", _targets(*TARGETS))
def test_thumb_images(kind: str, seed_pool: SeedPool) -> None:
    """Every case's thumb, decoded: the same format, mode and size from palapy and PocketBase."""
    with seed_pool.server(kind) as (target, symbols):
        names = _gallery(target, dict(symbols), IMAGES)
        mismatches = []
        for key, size, content_type, fmt, mode, dims in THUMB_CASES:
            resp = target.request(
                "GET", f"/api/files/gallery/{names['id']}/{names[key]}?thumb={size}", {}, None
            )
            got = (resp.status, *_decoded(resp)) if resp.status == 200 else (resp.status,)
            if got != (200, content_type, fmt, mode, dims):
                mismatches.append(f"{key} {size}: {got}")
        assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("kind", _targets("live", "pocketbase"))
def test_concurrent_first_requests_all_get_the_thumb(kind: str, seed_pool: SeedPool) -> None:
    """Many clients ask at once for a thumb nobody made yet; each gets the thumb, not the original."""
    with seed_pool.server(kind) as (target, symbols):
        names = _gallery(target, dict(symbols), {"png": IMAGES["png"], "jpg": IMAGES["jpg"]})
        urls = [
            f"/api/files/gallery/{names['id']}/{names[k]}?thumb={s}"
            for k in ("png", "jpg")
            for s in ("0x50", "70x30")
        ]
        with ThreadPoolExecutor(16) as pool:
            answers = list(pool.map(lambda url: (url, target.request("GET", url, {}, None)), urls * 8))
        for url, resp in answers:
            assert resp.status == 200, url
            content_type, _, _, dims = _decoded(resp)
            assert dims == ((75, 50) if "0x50" in url else (70, 30)), (url, dims)
            assert content_type == ("image/png" if names["png"] in url else "image/jpeg")


# Not against PocketBase: Go would try to allocate the 10 GB this image declares.
@pytest.mark.parametrize("kind", _targets("inprocess", "live"))
def test_a_decompression_bomb_serves_the_original(kind: str, seed_pool: SeedPool) -> None:
    bomb = png_declaring(50_000, 50_000)
    with seed_pool.server(kind) as (target, symbols):
        names = _gallery(target, dict(symbols), {"bomb": ("bomb.png", bomb)})
        resp = target.request(
            "GET", f"/api/files/gallery/{names['id']}/{names['bomb']}?thumb=100x100", {}, None
        )
        assert resp.status == 200 and resp.body == bomb
        assert resp.headers["content-disposition"] == f'inline; filename="{names["bomb"]}"'
        assert resp.headers["content-type"] == "image/png"
