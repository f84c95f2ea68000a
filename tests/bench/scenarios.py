"""The benchmark scenarios: what one run sends, built from the seeded data.

A scenario turns `BenchData` (what seeding produced) into a list of requests that the load
generator cycles through. To add one (say filter+sort, or expand), write a builder and append a
`Scenario` to `SCENARIOS`; `--scenarios` picks them by name, `DEFAULT_SCENARIOS` is what
`make bench` runs. Scenarios that write come last so they do not change what the readers see.
"""

from __future__ import annotations

import io
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from PIL import Image

__all__ = [
    "BenchData",
    "BenchRequest",
    "Scenario",
    "SCENARIOS",
    "DEFAULT_SCENARIOS",
    "COLLECTION",
    "AUTHORS",
    "AUTHOR_COUNT",
    "authors_schema",
    "author_body",
    "record_body",
    "collection_schema",
    "select_scenarios",
    "LOGIN_USER",
    "MEDIA",
    "MEDIA_COUNT",
    "media_schema",
    "media_body",
]

COLLECTION = "posts"
AUTHORS = "authors"
AUTHOR_COUNT = 50

_BODY_TEXT = (
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut "
    "labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris "
    "nisi ut aliquip ex ea commodo consequat."
)


def authors_schema() -> dict[str, object]:
    """The `authors` collection the posts relate to (public, for the expand scenario)."""
    return {
        "name": AUTHORS,
        "type": "base",
        "listRule": "",
        "viewRule": "",
        "createRule": "",
        "fields": [{"name": "name", "type": "text", "required": True}, {"name": "bio", "type": "text"}],
    }


def author_body(index: int) -> dict[str, object]:
    return {"name": f"Author {index}", "bio": _BODY_TEXT[: 40 + index]}


def collection_schema(authors_id: str) -> dict[str, object]:
    """The `posts` collection, public rules so the load runs as a guest on both servers."""
    return {
        "name": COLLECTION,
        "type": "base",
        "listRule": "",
        "viewRule": "",
        "createRule": "",
        "updateRule": "",
        "deleteRule": "",
        "fields": [
            {"name": "title", "type": "text", "required": True, "max": 200},
            {"name": "body", "type": "text"},
            {"name": "views", "type": "number", "onlyInt": True},
            {"name": "published", "type": "bool"},
            {"name": "tags", "type": "select", "values": ["news", "tech", "life"], "maxSelect": 3},
            {"name": "author", "type": "relation", "collectionId": authors_id, "maxSelect": 1},
            {"name": "created", "type": "autodate", "onCreate": True, "onUpdate": False},
            {"name": "updated", "type": "autodate", "onCreate": True, "onUpdate": True},
        ],
    }


def record_body(index: int, authors: list[str]) -> dict[str, object]:
    """Record number `index`: the same values on both servers, varied enough to filter and sort
    on; its author is one of `authors` (the ids the server gave them), in turn."""
    return {
        "title": f"Post number {index}",
        "body": _BODY_TEXT,
        "views": (index * 7919) % 1000,
        "published": index % 2 == 0,
        "tags": [["news"], ["tech", "life"], []][index % 3],
        "author": authors[index % len(authors)] if authors else "",
    }


@dataclass(frozen=True)
class BenchData:
    """What seeding left on a server: the collection, the ids of its records and of the authors,
    and the `media` records (each with a 1 MiB `file` and a ~100 KB JPEG `image`)."""

    collection: str
    ids: list[str]
    authors: list[str] = field(default_factory=list)
    media: list[dict[str, str]] = field(default_factory=list)


LOGIN_USER = {"email": "bench-login@example.com", "password": "bench-password-1"}

MEDIA = "media"
MEDIA_COUNT = 32
_BOUNDARY = "benchBoundary"


def media_schema() -> dict[str, object]:
    """A public collection of files: the file, image and thumbnail scenarios use it."""
    return {
        "name": MEDIA,
        "type": "base",
        "listRule": "",
        "viewRule": "",
        "createRule": "",
        "updateRule": "",
        "fields": [
            {"name": "file", "type": "file", "maxSelect": 1, "maxSize": 10 << 20},
            {"name": "image", "type": "file", "maxSelect": 1, "maxSize": 10 << 20},
        ],
    }


@lru_cache(maxsize=1)
def _media_files() -> tuple[bytes, bytes]:
    """1 MiB of fixed pseudo-random bytes and a ~100 KB JPEG of noise (the same on every run)."""
    rng = random.Random(11)
    blob = rng.randbytes(1 << 20)
    side = 360
    image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return blob, out.getvalue()


def _multipart(parts: list[tuple[str, str, bytes]]) -> tuple[str, bytes]:
    body = b"".join(
        f'--{_BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n".encode()
        + data
        + b"\r\n"
        for name, filename, data in parts
    )
    return f"multipart/form-data; boundary={_BOUNDARY}", body + f"--{_BOUNDARY}--\r\n".encode()


def media_body() -> tuple[str, bytes]:
    """The Content-Type and body that create one media record."""
    blob, jpeg = _media_files()
    return _multipart([("file", "blob.bin", blob), ("image", "photo.jpg", jpeg)])


@dataclass(frozen=True)
class BenchRequest:
    """One HTTP request of a scenario (path includes the query string)."""

    method: str
    path: str
    body: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Scenario:
    """A named load: the generator cycles through `build(data)`'s requests on every connection."""

    name: str
    description: str
    build: Callable[[BenchData], list[BenchRequest]]
    writes: bool = field(default=False)


def _health(_: BenchData) -> list[BenchRequest]:
    return [BenchRequest("GET", "/api/health")]


def _list(data: BenchData) -> list[BenchRequest]:
    return [BenchRequest("GET", f"/api/collections/{data.collection}/records?perPage=30")]


def _view(data: BenchData) -> list[BenchRequest]:
    # A fixed shuffle so both servers see the same id order.
    ids = list(data.ids)
    random.Random(7).shuffle(ids)
    return [BenchRequest("GET", f"/api/collections/{data.collection}/records/{rid}") for rid in ids]


def _create(data: BenchData) -> list[BenchRequest]:
    body = json.dumps(record_body(1_000_000, data.authors), separators=(",", ":")).encode()
    headers = (("Content-Type", "application/json"),)
    return [BenchRequest("POST", f"/api/collections/{data.collection}/records", body, headers)]


def _update(data: BenchData) -> list[BenchRequest]:
    # Small edits of seeded records, in the view scenario's fixed shuffle.
    ids = list(data.ids)
    random.Random(7).shuffle(ids)
    headers = (("Content-Type", "application/json"),)
    return [
        BenchRequest(
            "PATCH",
            f"/api/collections/{data.collection}/records/{rid}",
            json.dumps({"title": f"edited {i}", "views": i % 1000}, separators=(",", ":")).encode(),
            headers,
        )
        for i, rid in enumerate(ids)
    ]


def _list_expand(data: BenchData) -> list[BenchRequest]:
    return [BenchRequest("GET", f"/api/collections/{data.collection}/records?perPage=30&expand=author")]


def _filter_sort(data: BenchData) -> list[BenchRequest]:
    query = "perPage=30&filter=views%3E500%20%26%26%20published%3Dtrue&sort=-views,title"
    return [BenchRequest("GET", f"/api/collections/{data.collection}/records?{query}")]


def _filter_sort_skip_total(data: BenchData) -> list[BenchRequest]:
    query = "perPage=30&skipTotal=1&filter=views%3E500%20%26%26%20published%3Dtrue&sort=-views,title"
    return [BenchRequest("GET", f"/api/collections/{data.collection}/records?{query}")]


def _login(_: BenchData) -> list[BenchRequest]:
    # The same user each time: the cost is the password check (argon2id here, bcrypt cost 10 there).
    body = json.dumps({"identity": LOGIN_USER["email"], "password": LOGIN_USER["password"]}).encode()
    headers = (("Content-Type", "application/json"),)
    return [BenchRequest("POST", "/api/collections/users/auth-with-password", body, headers)]


def _file_1mb(data: BenchData) -> list[BenchRequest]:
    return [BenchRequest("GET", f"/api/files/{MEDIA}/{m['id']}/{m['file']}") for m in data.media]


def _thumb(data: BenchData) -> list[BenchRequest]:
    # The first request of each makes the thumb; the warm-up covers them, so this serves them.
    return [
        BenchRequest("GET", f"/api/files/{MEDIA}/{m['id']}/{m['image']}?thumb=100x100") for m in data.media
    ]


def _upload_1mb(data: BenchData) -> list[BenchRequest]:
    # Each upload replaces the record's file (the old one is deleted), so the disk stays small.
    content_type, body = _multipart([("file", "blob.bin", _media_files()[0])])
    headers = (("Content-Type", content_type),)
    return [
        BenchRequest("PATCH", f"/api/collections/{MEDIA}/records/{m['id']}", body, headers)
        for m in data.media
    ]


SCENARIOS: list[Scenario] = [
    Scenario("health", "GET /api/health", _health),
    Scenario("list", f"GET /api/collections/{COLLECTION}/records?perPage=30", _list),
    Scenario("view", f"GET /api/collections/{COLLECTION}/records/{{id}} (random seeded ids)", _view),
    Scenario("list_expand", "the list with expand=author (a relation to 50 authors)", _list_expand),
    Scenario("filter_sort", "list with filter=views>500 && published=true, sort=-views,title", _filter_sort),
    Scenario(
        "filter_skip", "the filter_sort list with skipTotal=1 (no COUNT query)", _filter_sort_skip_total
    ),
    Scenario("create", f"POST /api/collections/{COLLECTION}/records (JSON)", _create, writes=True),
    Scenario(
        "update", f"PATCH /api/collections/{COLLECTION}/records/{{id}} (title, views)", _update, writes=True
    ),
    Scenario("file_1mb", f"GET /api/files/{MEDIA}/{{id}}/{{file}} (1 MiB)", _file_1mb),
    Scenario("thumb", f"GET /api/files/{MEDIA}/{{id}}/{{image}}?thumb=100x100 (a ~100 KB JPEG)", _thumb),
    Scenario("login", "POST /api/collections/users/auth-with-password (one user, right password)", _login),
    Scenario(
        "upload_1mb",
        f"PATCH /api/collections/{MEDIA}/records/{{id}} (a 1 MiB file, multipart)",
        _upload_1mb,
        writes=True,
    ),
]

DEFAULT_SCENARIOS = [
    "health",
    "list",
    "view",
    "list_expand",
    "filter_sort",
    "filter_skip",
    "file_1mb",
    "thumb",
    "login",
    "create",
    "update",
    "upload_1mb",
]


def select_scenarios(names: list[str]) -> list[Scenario]:
    """The named scenarios in registry order (readers before writers); unknown names raise."""
    known = {s.name: s for s in SCENARIOS}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValueError(f"unknown scenario(s) {', '.join(unknown)}; known: {', '.join(known)}")
    chosen = [s for s in SCENARIOS if s.name in names]
    return [s for s in chosen if not s.writes] + [s for s in chosen if s.writes]
