"""One pass over what a frozen build must carry, against a running palapy; PocketBase's answers.

APSW's SQLite, bcrypt password hashes, RE2 patterns (`\\p{N}` is RE2 syntax Python's `re` lacks),
the filter and sort engine, multipart uploads into storage, JSON error responses.
"""

from __future__ import annotations

from pathlib import Path

import httpx

from tests.harness.servers import SUPERUSER_EMAIL, SUPERUSER_PASSWORD

__all__ = ["exercise", "log_in"]


def log_in(client: httpx.Client) -> None:
    """Authenticate `client` as the harness superuser."""
    resp = client.post(
        "/api/collections/_superusers/auth-with-password",
        json={"identity": SUPERUSER_EMAIL, "password": SUPERUSER_PASSWORD},
    )
    assert resp.status_code == 200, resp.text
    client.headers["Authorization"] = resp.json()["token"]


def exercise(base_url: str, data_dir: Path) -> None:
    """Create a collection and records, upload, filter, authenticate; assert PocketBase's answers."""
    with (
        httpx.Client(base_url=base_url, timeout=30.0) as su,
        httpx.Client(base_url=base_url, timeout=30.0) as anon,
    ):
        log_in(su)
        assert anon.get("/api/health").json()["message"] == "API is healthy."
        fields = [
            {"name": "title", "type": "text", "pattern": r"^[a-z]+\p{N}*$"},
            {"name": "n", "type": "number"},
            {"name": "doc", "type": "file", "maxSelect": 1, "maxSize": 1_000_000},
        ]
        resp = su.post(
            "/api/collections",
            json={
                "name": "posts",
                "type": "base",
                "listRule": "",
                "viewRule": "",
                "createRule": "",
                "fields": fields,
            },
        )
        assert resp.status_code == 200, resp.text

        bad = anon.post("/api/collections/posts/records", json={"title": "Bad Title", "n": 1})
        assert bad.status_code == 400
        assert bad.json()["data"]["title"]["code"] == "validation_invalid_format"

        created = anon.post(
            "/api/collections/posts/records",
            data={"title": "abc1", "n": "5"},
            files={"doc": ("note.txt", b"hello from a file", "text/plain")},
        )
        assert created.status_code == 200, created.text
        record = created.json()
        assert record["title"] == "abc1" and record["n"] == 5 and record["doc"].startswith("note_")
        stored = list((data_dir / "storage").rglob(record["doc"]))
        assert [p.read_bytes() for p in stored] == [b"hello from a file"]
        assert anon.post("/api/collections/posts/records", json={"title": "xyz", "n": 1}).status_code == 200
        assert anon.post("/api/collections/posts/records", json={"title": "zzz", "n": 9}).status_code == 200

        listed = anon.get(
            "/api/collections/posts/records",
            params={"filter": '(title ~ "ab" || n < 2) && n >= 1', "sort": "-n", "fields": "title,n"},
        )
        assert listed.status_code == 200, listed.text
        assert listed.json() == {
            "items": [{"n": 5, "title": "abc1"}, {"n": 1, "title": "xyz"}],
            "page": 1,
            "perPage": 30,
            "totalItems": 2,
            "totalPages": 1,
        }

        user = {"email": "u@example.com", "password": "secret12345", "passwordConfirm": "secret12345"}
        assert anon.post("/api/collections/users/records", json=user).status_code == 200
        ok = anon.post(
            "/api/collections/users/auth-with-password",
            json={"identity": "u@example.com", "password": "secret12345"},
        )
        assert ok.status_code == 200 and ok.json()["record"]["email"] == "u@example.com"
        wrong = anon.post(
            "/api/collections/users/auth-with-password",
            json={"identity": "u@example.com", "password": "wrong"},
        )
        assert wrong.json() == {"data": {}, "message": "Failed to authenticate.", "status": 400}
        assert anon.get("/api/nope").json() == {"data": {}, "message": "File not found.", "status": 404}
