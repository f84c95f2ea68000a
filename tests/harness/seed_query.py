"""The richer fixture of the differential query suite (`tests/api/test_query_differential.py`).

Built over HTTP like `seed.seed`, but every record gets an explicit id, so PocketBase and
palapy hold byte-identical ids and answers compare without id masking (only the superuser,
created by the CLI, has a random id; it is returned in the symbols).

Collections (all relation targets exist before they are referenced):
- users (extended): role (single select), age, bio (hidden), team -> teams, friends -> users (multi);
  listRule/viewRule `verified = true || id = @request.auth.id`, manageRule `@request.auth.role = 'admin'`,
  authRule `role != 'banned'`;
- orgs: a self relation `parent`, four levels deep (expand chains of 7 levels);
- teams: org, owner, members (multi); viewRule through a multi relation of the requester;
- articles: one field of every type, a hidden `secret`, owner-dependent rules using @request.body;
- comments: article (required, cascadeDelete, no index: `comments_via_article` is multi), likes (multi);
- profiles: `user` with a UNIQUE index (`profiles_via_user` is a single back-relation);
- reactions: comment -> comments (the head of the 6-level expand chain);
- docs: a listRule with @request.auth relations and a @collection join;
- vault: every rule null; tasks: create/update/delete rules with :isset, :changed, @request.body;
- article_stats (view with a relation column), user_totals (view with an aggregate);
- snippets: editor HTML of many shapes (breaks, NBSP, head elements, tables...) for `:excerpt`.
"""

from __future__ import annotations

import json
from typing import Any

from tests.harness import servers
from tests.harness.targets import Target

__all__ = ["QUERY_USER_PASSWORD", "seed_query", "FIXED_IDS", "USER_LOGINS", "SNIPPETS"]

QUERY_USER_PASSWORD = "12345678"

# Logins minted at seed time: symbol of the token -> (email).
USER_LOGINS = {"user1": "u1@example.com", "user2": "u2@example.com", "user3": "u3@example.com"}


def _rid(key: str) -> str:
    """A fixed 15-character record id for a fixture key (`a1` -> `a1qqqqqqqqqqqqq`)."""
    return (key + "q" * 15)[:15]


# Every fixed record key of the fixture; the differential suite maps these ids back to names.
FIXED_IDS: dict[str, str] = {
    k: _rid(k)
    for k in (
        *("u1", "u2", "u3", "u4"),
        *("o1", "o2", "o3", "o4"),
        *("t1", "t2", "t3"),
        *("a1", "a2", "a3", "a4", "a5", "a6"),
        *("c1", "c2", "c3", "c4", "c5", "c6"),
        *("p1", "p2"),
        *("r1", "r2", "r3", "r4"),
        *("d1", "d2", "d3"),
        *("v1",),
        *("k1", "k2", "k3", "k4"),
        *(f"s{i}" for i in range(1, 13)),
    )
}

# The `html` of each snippet record s1..s12, in order.
SNIPPETS = (
    "<p>Hello <b>world</b> this is a longer paragraph of text</p>",
    "line one<br>line two<br/>line three",
    "x&nbsp;&nbsp;y \u00a0 z and more words here",
    "foo<u>bar</u>baz <mark>hi</mark>lighted <custom>tag</custom>end",
    "<title>Title</title><style>p{}</style>Body text after head elements",
    "<ul><li>one</li><li>two</li></ul><table><tr><td>1</td><td>2</td></tr></table>",
    "<p>\u65e5\u672c\u8a9e<b>\u30c6\u30ad\u30b9\u30c8</b>\u3067\u3059 \U0001f600\U0001f600 emoji</p>",
    "<div>caf\u00e9 <script>alert(1)</script>na\u00efve <img src=x>pic</div>",
    "a</p>b and <p>unclosed <p>paragraphs",
    "   lots   of\t\twhitespace \n\n here   ",
    "<textarea><b>hidden</b></textarea>shown <select><option>o</option></select>text",
    "",
)


class SeedError(AssertionError):
    """A seed request did not answer as expected."""


class _Api:
    def __init__(self, target: Target) -> None:
        self.target = target
        self.token = ""

    def call(
        self, method: str, url: str, body: Any = None, *, token: str | None = None, expect: int = 200
    ) -> Any:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        tok = self.token if token is None else token
        if tok:
            headers["Authorization"] = tok
        content = json.dumps(body).encode() if body is not None else None
        resp = self.target.request(method, url, headers, content)
        if resp.status != expect:
            raise SeedError(
                f"query seed on {self.target.name}: {method} {url} gave {resp.status}, "
                f"expected {expect}: {resp.text[:1500]}"
            )
        return resp.json() if resp.body else None

    def collection(self, body: dict[str, Any]) -> str:
        out = self.call("POST", "/api/collections", body)
        return str(out["id"])

    def record(self, collection: str, key: str, body: dict[str, Any]) -> None:
        self.call("POST", f"/api/collections/{collection}/records", {"id": FIXED_IDS[key], **body})


def _f(name: str, type_: str, **opts: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, **opts}


def _autodates() -> list[dict[str, Any]]:
    return [
        _f("created", "autodate", onCreate=True, onUpdate=False),
        _f("updated", "autodate", onCreate=True, onUpdate=True),
    ]


def _rel(name: str, collection_id: str, max_select: int = 1, **opts: Any) -> dict[str, Any]:
    return _f(name, "relation", collectionId=collection_id, maxSelect=max_select, **opts)


def _collections(api: _Api, sym: dict[str, str]) -> None:
    users = "_pb_users_auth_"
    sym["orgs_id"] = api.collection(
        {
            "name": "orgs",
            "listRule": "",
            "viewRule": "",
            "fields": [
                _f("name", "text"),
                _f("country", "select", maxSelect=1, values=["bg", "de", "us"]),
                *_autodates(),
            ],
        }
    )
    api.call(
        "PATCH",
        "/api/collections/orgs",
        {"fields": [*api.call("GET", "/api/collections/orgs")["fields"], _rel("parent", sym["orgs_id"])]},
    )
    sym["teams_id"] = api.collection(
        {
            "name": "teams",
            "listRule": "",
            "viewRule": "owner = @request.auth.id || members.id ?= @request.auth.id",
            "fields": [
                _f("name", "text"),
                _rel("org", sym["orgs_id"]),
                _rel("owner", users),
                _rel("members", users, 10),
                *_autodates(),
            ],
        }
    )
    current = api.call("GET", "/api/collections/users")
    api.call(
        "PATCH",
        "/api/collections/users",
        {
            "listRule": "verified = true || id = @request.auth.id",
            "viewRule": "verified = true || id = @request.auth.id",
            "manageRule": "@request.auth.role = 'admin'",
            "authRule": "role != 'banned'",
            "fields": [
                *current["fields"],
                _f("role", "select", maxSelect=1, values=["admin", "member", "banned"]),
                _f("age", "number"),
                _f("bio", "text", hidden=True),
                _rel("team", sym["teams_id"]),
                _rel("friends", users, 10),
            ],
        },
    )
    sym["articles_id"] = api.collection(
        {
            "name": "articles",
            "listRule": "published = true || author = @request.auth.id",
            "viewRule": "published = true || author = @request.auth.id",
            "createRule": "@request.auth.id != '' && author = @request.auth.id",
            "updateRule": "author = @request.auth.id && (@request.body.status:isset = false || @request.body.status != 'archived')",
            "deleteRule": "author = @request.auth.id && status = 'draft'",
            "fields": [
                _f("title", "text", required=True, max=200),
                _f("body", "editor"),
                _f("views", "number", onlyInt=True),
                _f("score", "number"),
                _f("published", "bool"),
                _f("status", "select", maxSelect=1, values=["draft", "published", "archived"]),
                _f("tags", "select", maxSelect=4, values=["a", "b", "c", "d"]),
                _rel("author", users),
                _rel("editors", users, 5),
                _f("meta", "json"),
                _f("due", "date"),
                _f("contact", "email"),
                _f("link", "url"),
                _f("loc", "geoPoint"),
                _f("doc", "file", maxSelect=1, maxSize=1000000),
                _f("secret", "text", hidden=True),
                *_autodates(),
            ],
        }
    )
    sym["comments_id"] = api.collection(
        {
            "name": "comments",
            "listRule": "",
            "viewRule": "",
            "createRule": "@request.auth.id != '' && article.published = true",
            "updateRule": "author = @request.auth.id",
            "deleteRule": "author = @request.auth.id || @request.auth.role = 'admin'",
            "fields": [
                _f("text", "text"),
                _rel("article", sym["articles_id"], required=True, cascadeDelete=True),
                _rel("author", users),
                _rel("likes", users, 5),
                _f("rating", "number"),
                *_autodates(),
            ],
        }
    )
    sym["profiles_id"] = api.collection(
        {
            "name": "profiles",
            "listRule": "",
            "viewRule": "",
            "fields": [_rel("user", users), _f("nickname", "text"), _f("website", "url"), *_autodates()],
            "indexes": ["CREATE UNIQUE INDEX `idx_profiles_user` ON `profiles` (`user`)"],
        }
    )
    sym["reactions_id"] = api.collection(
        {
            "name": "reactions",
            "listRule": "",
            "viewRule": "",
            "fields": [
                _f("kind", "select", maxSelect=1, values=["like", "love"]),
                _rel("comment", sym["comments_id"]),
                _rel("by", users),
                *_autodates(),
            ],
        }
    )
    docs_rule = (
        "team = @request.auth.team || "
        "(@collection.teams.owner ?= @request.auth.id && @collection.teams.id ?= team)"
    )
    sym["docs_id"] = api.collection(
        {
            "name": "docs",
            "listRule": docs_rule,
            "viewRule": docs_rule,
            "fields": [_f("title", "text"), _rel("team", sym["teams_id"]), *_autodates()],
        }
    )
    sym["vault_id"] = api.collection({"name": "vault", "fields": [_f("title", "text"), *_autodates()]})
    sym["tasks_id"] = api.collection(
        {
            "name": "tasks",
            "listRule": "owner = @request.auth.id",
            "viewRule": "owner = @request.auth.id",
            "createRule": (
                "@request.auth.id != '' && owner = @request.auth.id && "
                "@request.body.priority:isset = true && priority <= 5"
            ),
            "updateRule": (
                "owner = @request.auth.id && "
                "(@request.body.done:changed = false || @request.auth.role = 'admin')"
            ),
            "deleteRule": "owner = @request.auth.id && done = true",
            "fields": [
                _f("title", "text"),
                _rel("owner", users),
                _f("done", "bool"),
                _f("priority", "number"),
                _f("labels", "select", maxSelect=3, values=["x", "y", "z"]),
                *_autodates(),
            ],
        }
    )
    sym["article_stats_id"] = api.collection(
        {
            "name": "article_stats",
            "type": "view",
            "listRule": "",
            "viewRule": "views > 0",
            "viewQuery": "SELECT a.id, a.title, a.author, a.views FROM articles a WHERE a.published = 1",
        }
    )
    sym["snippets_id"] = api.collection(
        {
            "name": "snippets",
            "listRule": "",
            "viewRule": "",
            "fields": [_f("html", "editor"), _f("n", "number"), *_autodates()],
        }
    )
    sym["user_totals_id"] = api.collection(
        {
            "name": "user_totals",
            "type": "view",
            "listRule": "total > 0",
            "viewRule": "",
            "viewQuery": (
                "SELECT u.id, u.name, (SELECT COUNT(*) FROM articles a WHERE a.author = u.id) AS total "
                "FROM users u"
            ),
        }
    )


def _users(api: _Api) -> None:
    rows = (
        ("u1", "User One", "admin", 30, "likes go", False, True),
        ("u2", "User Two", "member", 25, "", True, False),
        ("u3", "user three", "member", 41, "secret bio", True, True),
        ("u4", "Banned Four", "banned", 0, "", False, True),
    )
    for key, name, role, age, bio, visible, verified in rows:
        api.record(
            "users",
            key,
            {
                "email": f"{key}@example.com",
                "password": QUERY_USER_PASSWORD,
                "passwordConfirm": QUERY_USER_PASSWORD,
                "name": name,
                "role": role,
                "age": age,
                "bio": bio,
                "emailVisibility": visible,
                "verified": verified,
            },
        )


def _records(api: _Api) -> None:
    ids = FIXED_IDS
    api.record("orgs", "o1", {"name": "Root Org", "country": "bg"})
    api.record("orgs", "o2", {"name": "Child Org", "country": "de", "parent": ids["o1"]})
    api.record("orgs", "o3", {"name": "Grandchild", "country": "us", "parent": ids["o2"]})
    api.record("orgs", "o4", {"name": "Great grandchild", "parent": ids["o3"]})
    api.record(
        "teams",
        "t1",
        {"name": "Alpha", "org": ids["o3"], "owner": ids["u1"], "members": [ids["u1"], ids["u2"]]},
    )
    api.record("teams", "t2", {"name": "Beta", "org": ids["o2"], "owner": ids["u2"], "members": [ids["u3"]]})
    api.record("teams", "t3", {"name": "Gamma", "owner": ids["u3"]})
    for key, team, friends in (
        ("u1", "t1", ["u2", "u3"]),
        ("u2", "t2", ["u1"]),
        ("u3", "t1", []),
        ("u4", "", ["u1"]),
    ):
        api.call(
            "PATCH",
            f"/api/collections/users/records/{ids[key]}",
            {"team": ids[team] if team else "", "friends": [ids[f] for f in friends]},
        )
    api.record(
        "articles",
        "a1",
        {
            "title": "Hello World",
            "body": "<p>Hello <b>world</b> \u2014 the first post with 100% effort</p>",
            "views": 5,
            "score": 1.5,
            "published": True,
            "status": "draft",
            "tags": ["a", "b"],
            "author": ids["u1"],
            "editors": [ids["u2"], ids["u3"]],
            "meta": {"k": [1, 2], "s": "x", "n": None, "nested": {"deep": True}},
            "due": "2025-01-02 10:00:00.000Z",
            "contact": "c@d.co",
            "link": "https://example.com/x",
            "loc": {"lon": 23.3, "lat": 42.7},
            "secret": "s3cret",
        },
    )
    api.record(
        "articles",
        "a2",
        {
            "title": "\u00dcn\u00efc\u00f6d\u00e9 \u2713 \u65e5\u672c",
            "body": "<div>caf\u00e9 <script>x()</script>na\u00efve</div>",
            "views": 20,
            "score": -2.25,
            "published": True,
            "status": "published",
            "tags": ["b", "c"],
            "author": ids["u2"],
            "editors": [ids["u1"]],
            "meta": [1, 2, 3],
            "due": "2024-06-30 08:30:00.000Z",
            "contact": "x@y.org",
            "link": "http://a.b/c?d=e",
            "loc": {"lon": -73.98, "lat": 40.75},
            "secret": "two",
        },
    )
    api.record(
        "articles",
        "a3",
        {
            "title": 'it\'s "quoted"',
            "body": "under_score and 50% off \\ backslash",
            "views": 10,
            "published": False,
            "status": "archived",
            "tags": ["c"],
            "author": ids["u1"],
            "meta": "plain string",
        },
    )
    api.record("articles", "a4", {"title": "P4"})
    api.record(
        "articles",
        "a5",
        {
            "title": "100% real_deal",
            "views": 0,
            "score": 0.001,
            "published": True,
            "tags": ["a", "b", "c", "d"],
            "author": ids["u3"],
            "editors": [ids["u1"], ids["u2"], ids["u3"]],
            "meta": {"k": []},
            "due": "2026-12-31 23:59:59.999Z",
            "loc": {"lon": 23.32, "lat": 42.69},
        },
    )
    api.record(
        "articles",
        "a6",
        {
            "title": "lower UPPER Mixed",
            "views": 7,
            "score": 7,
            "published": True,
            "status": "draft",
            "author": ids["u2"],
            "meta": {"k": 3},
            "contact": "m@example.com",
        },
    )
    for key, text, art, author, likes, rating in (
        ("c1", "first!", "a1", "u2", ["u1"], 3),
        ("c2", "second", "a1", "u1", ["u1", "u2"], 5),
        ("c3", "on unicode", "a2", "u1", [], 0),
        ("c4", "deal", "a5", "u3", ["u2", "u3"], 4),
        ("c5", "hidden article", "a3", "u2", ["u1", "u2", "u3"], 1),
        ("c6", "%_\\ special", "a1", "u3", [], -1),
    ):
        api.record(
            "comments",
            key,
            {
                "text": text,
                "article": ids[art],
                "author": ids[author],
                "likes": [ids[x] for x in likes],
                "rating": rating,
            },
        )
    api.record("profiles", "p1", {"user": ids["u1"], "nickname": "one", "website": "https://one.example"})
    api.record("profiles", "p2", {"user": ids["u2"], "nickname": "two"})
    for key, kind, comment, by in (
        ("r1", "like", "c1", "u1"),
        ("r2", "love", "c2", "u2"),
        ("r3", "like", "c4", "u3"),
        ("r4", "love", "c1", "u3"),
    ):
        api.record("reactions", key, {"kind": kind, "comment": ids[comment], "by": ids[by]})
    api.record("docs", "d1", {"title": "Alpha doc", "team": ids["t1"]})
    api.record("docs", "d2", {"title": "Beta doc", "team": ids["t2"]})
    api.record("docs", "d3", {"title": "No team"})
    api.record("vault", "v1", {"title": "locked"})
    for i, html in enumerate(SNIPPETS, start=1):
        api.record("snippets", f"s{i}", {"html": html, "n": i})
    for key, title, owner, done, priority, labels in (
        ("k1", "task one", "u1", False, 1, ["x"]),
        ("k2", "task two", "u1", True, 3, ["x", "y"]),
        ("k3", "task three", "u2", False, 5, []),
        ("k4", "task four", "u2", True, 2, ["z"]),
    ):
        api.record(
            "tasks",
            key,
            {"title": title, "owner": ids[owner], "done": done, "priority": priority, "labels": labels},
        )


def seed_query(target: Target) -> dict[str, str]:
    """Create the query fixture through `target`'s API; returns its symbols (ids, tokens)."""
    api = _Api(target)
    su = api.call(
        "POST",
        "/api/collections/_superusers/auth-with-password",
        {"identity": servers.SUPERUSER_EMAIL, "password": servers.SUPERUSER_PASSWORD},
    )
    api.token = su["token"]
    sym: dict[str, str] = {"su": su["record"]["id"], "superuser_token": su["token"]}
    _collections(api, sym)
    _users(api)
    _records(api)
    for key, email in USER_LOGINS.items():
        out = api.call(
            "POST",
            "/api/collections/users/auth-with-password",
            {"identity": email, "password": QUERY_USER_PASSWORD},
            token="",
        )
        sym[f"{key}_token"] = out["token"]
    sym.update(FIXED_IDS)
    return sym
