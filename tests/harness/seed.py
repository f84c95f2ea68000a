"""The fixture data of the scenario tables, built from code through the HTTP API.

The same function seeds PocketBase and palapy, so both hold the same collections and records
(ids differ; scenarios name them symbolically: `{post1}`, `{u1}`, `{posts_id}`, tokens as
`{user1_token}`). Only plain JSON requests are used, so the seed needs no file storage.

Fixture:
- users u1 (verified, email hidden) and u2 (unverified, email visible), password `12345678`;
- posts: one field of every type plus a hidden `secret`; rules as in pocketbase-api.md §12;
- comments: `post` (required, cascadeDelete) and multi `likers`; every rule "";
- notes: owner-only rules; locked: every rule null (superusers only).
"""

from __future__ import annotations

import json
from typing import Any

from tests.harness import servers
from tests.harness.targets import Target

__all__ = ["USER_PASSWORD", "seed", "POSTS_FIELDS", "COMMENTS_FIELDS"]

USER_PASSWORD = "12345678"

POSTS_FIELDS: list[dict[str, Any]] = [
    {"name": "title", "type": "text", "required": True, "max": 200},
    {"name": "body", "type": "editor"},
    {"name": "views", "type": "number", "onlyInt": True},
    {"name": "score", "type": "number"},
    {"name": "published", "type": "bool"},
    {"name": "status", "type": "select", "maxSelect": 1, "values": ["draft", "published", "archived"]},
    {"name": "tags", "type": "select", "maxSelect": 3, "values": ["a", "b", "c"]},
    {"name": "author", "type": "relation", "collectionId": "_pb_users_auth_", "maxSelect": 1},
    {"name": "meta", "type": "json"},
    {"name": "due", "type": "date"},
    {"name": "contact", "type": "email"},
    {"name": "link", "type": "url"},
    {"name": "loc", "type": "geoPoint"},
    {"name": "doc", "type": "file", "maxSelect": 1, "maxSize": 1000000},
    {"name": "files", "type": "file", "maxSelect": 3, "maxSize": 1000000, "thumbs": ["100x100"]},
    {"name": "secret", "type": "text", "hidden": True},
    {"name": "created", "type": "autodate", "onCreate": True, "onUpdate": False},
    {"name": "updated", "type": "autodate", "onCreate": True, "onUpdate": True},
]


def COMMENTS_FIELDS(posts_id: str) -> list[dict[str, Any]]:  # noqa: N802 - reads like the constant above
    """The comments fields; `post` must name the posts collection by id."""
    return [
        {"name": "text", "type": "text"},
        {
            "name": "post",
            "type": "relation",
            "collectionId": posts_id,
            "maxSelect": 1,
            "required": True,
            "cascadeDelete": True,
        },
        {"name": "likers", "type": "relation", "collectionId": "_pb_users_auth_", "maxSelect": 5},
        {"name": "created", "type": "autodate", "onCreate": True, "onUpdate": False},
        {"name": "updated", "type": "autodate", "onCreate": True, "onUpdate": True},
    ]


class SeedError(AssertionError):
    """A seed request did not answer as expected (the target is missing a feature the seed needs)."""


class _Api:
    def __init__(self, target: Target) -> None:
        self.target = target

    def call(self, method: str, url: str, body: Any = None, token: str = "", expect: int = 200) -> Any:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = token
        content = json.dumps(body).encode() if body is not None else None
        resp = self.target.request(method, url, headers, content)
        if resp.status != expect:
            raise SeedError(
                f"seed on {self.target.name}: {method} {url} gave {resp.status}, expected {expect}: {resp.text[:1500]}"
            )
        return resp.json() if resp.body else None

    def login(self, collection: str, identity: str, password: str) -> dict[str, Any]:
        out: dict[str, Any] = self.call(
            "POST",
            f"/api/collections/{collection}/auth-with-password",
            {"identity": identity, "password": password},
        )
        return out


def seed(target: Target) -> dict[str, str]:
    """Create the fixture through `target`'s API; returns the symbols scenarios refer to."""
    api = _Api(target)
    su = api.login("_superusers", servers.SUPERUSER_EMAIL, servers.SUPERUSER_PASSWORD)
    tok = su["token"]
    sym: dict[str, str] = {"su": su["record"]["id"], "superuser_token": tok}
    sym["superusers_id"] = su["record"]["collectionId"]

    users = api.call("GET", "/api/collections/users", token=tok)
    sym["users_id"] = users["id"]

    # Users are created by the superuser so `verified` can be set; logins mint the tokens.
    for key, email, name, visible, verified in (
        ("u1", "u1@example.com", "User One", False, True),
        ("u2", "u2@example.com", "User Two", True, False),
    ):
        rec = api.call(
            "POST",
            "/api/collections/users/records",
            {
                "email": email,
                "password": USER_PASSWORD,
                "passwordConfirm": USER_PASSWORD,
                "name": name,
                "emailVisibility": visible,
                "verified": verified,
            },
            token=tok,
        )
        sym[key] = rec["id"]

    posts = api.call(
        "POST",
        "/api/collections",
        {
            "name": "posts",
            "type": "base",
            "listRule": "",
            "viewRule": "",
            "createRule": "@request.auth.id != ''",
            "updateRule": "author = @request.auth.id",
            "deleteRule": "author = @request.auth.id",
            "fields": POSTS_FIELDS,
        },
        token=tok,
    )
    sym["posts_id"] = posts["id"]
    comments = api.call(
        "POST",
        "/api/collections",
        {
            "name": "comments",
            "type": "base",
            "listRule": "",
            "viewRule": "",
            "createRule": "",
            "updateRule": "",
            "deleteRule": "",
            "fields": COMMENTS_FIELDS(posts["id"]),
        },
        token=tok,
    )
    sym["comments_id"] = comments["id"]
    owner_rule = "owner = @request.auth.id"
    notes = api.call(
        "POST",
        "/api/collections",
        {
            "name": "notes",
            "type": "base",
            "listRule": owner_rule,
            "viewRule": owner_rule,
            "createRule": "@request.auth.id != '' && owner = @request.auth.id",
            "updateRule": owner_rule,
            "deleteRule": owner_rule,
            "fields": [
                {"name": "body", "type": "text"},
                {
                    "name": "owner",
                    "type": "relation",
                    "collectionId": "_pb_users_auth_",
                    "maxSelect": 1,
                    "required": True,
                },
            ],
        },
        token=tok,
    )
    sym["notes_id"] = notes["id"]
    locked = api.call(
        "POST",
        "/api/collections",
        {"name": "locked", "type": "base", "fields": [{"name": "title", "type": "text"}]},
        token=tok,
    )
    sym["locked_id"] = locked["id"]

    def create(collection: str, key: str, body: dict[str, Any]) -> None:
        rec = api.call("POST", f"/api/collections/{collection}/records", body, token=tok)
        sym[key] = rec["id"]

    create(
        "posts",
        "post1",
        {
            "title": "Hello",
            "body": "<p>Hello <b>world</b> this is a post</p>",
            "views": 5,
            "score": 1.5,
            "published": True,
            "status": "draft",
            "tags": ["a", "b"],
            "author": sym["u1"],
            "meta": {"k": [1, 2]},
            "due": "2025-01-02 10:00:00.000Z",
            "contact": "c@d.co",
            "link": "https://example.com/x",
            "loc": {"lon": 23.3, "lat": 42.7},
            "secret": "s3cret",
        },
    )
    create(
        "posts",
        "post2",
        {
            "title": "P2",
            "views": 20,
            "published": True,
            "status": "published",
            "tags": ["b", "c"],
            "author": sym["u2"],
        },
    )
    create("posts", "post3", {"title": "P3", "views": 10, "tags": ["c"], "author": sym["u1"]})
    create("posts", "post4", {"title": "P4"})
    create("comments", "c1", {"text": "c1", "post": sym["post1"], "likers": [sym["u1"]]})
    create("comments", "c2", {"text": "c2", "post": sym["post1"], "likers": [sym["u1"], sym["u2"]]})
    create("comments", "c3", {"text": "c3", "post": sym["post2"]})
    create("notes", "note1", {"body": "n1", "owner": sym["u1"]})
    create("notes", "note2", {"body": "n2", "owner": sym["u2"]})
    create("locked", "locked1", {"title": "L1"})

    for key, email in (("user1", "u1@example.com"), ("user2", "u2@example.com")):
        sym[f"{key}_token"] = api.login("users", email, USER_PASSWORD)["token"]
    return sym
