"""The data set of the differential filter tests, created over PocketBase's HTTP API.

Collections: `users` (extended), `cats` (public), `privs` (superusers only), `posts`,
`comments` (non-unique back relation), `profiles` (unique back relation), `notes`
(auth-dependent listRule). `seed()` returns symbolic name -> record id.
"""

from __future__ import annotations

from typing import Any

from tests.unit.rules.filter_pb_helpers import PocketBase

__all__ = ["seed", "USER_PASSWORD"]

USER_PASSWORD = "12345678"


def _field(name: str, type_: str, **opts: Any) -> dict[str, Any]:
    return {"name": name, "type": type_, **opts}


def _autodates() -> list[dict[str, Any]]:
    return [
        _field("created", "autodate", onCreate=True, onUpdate=False),
        _field("updated", "autodate", onCreate=True, onUpdate=True),
    ]


def _create_collection(pb: PocketBase, name: str, fields: list[dict[str, Any]], **extra: Any) -> str:
    body = {"name": name, "type": "base", "fields": fields + _autodates(), **extra}
    return str(pb.ok("POST", "/api/collections", body)["id"])


def _record(pb: PocketBase, coll: str, data: dict[str, Any]) -> str:
    return str(pb.ok("POST", f"/api/collections/{coll}/records", data)["id"])


def seed(pb: PocketBase) -> dict[str, str]:
    ids: dict[str, str] = {}
    users = pb.ok("GET", "/api/collections/users")
    users["fields"] += [
        _field("role", "select", values=["admin", "member", "guest"], maxSelect=1),
        _field("age", "number"),
        _field("bio", "text", hidden=True),
        _field("friends", "relation", collectionId="_pb_users_auth_", maxSelect=10),
    ]
    pb.ok("PATCH", "/api/collections/users", {"fields": users["fields"]})
    cats_id = _create_collection(
        pb, "cats", [_field("name", "text"), _field("rank", "number")], listRule="", viewRule=""
    )
    privs_id = _create_collection(pb, "privs", [_field("label", "text")])

    people = {
        "u1": {
            "name": "User One",
            "role": "admin",
            "age": 30,
            "bio": "likes go",
            "emailVisibility": True,
            "verified": True,
        },
        "u2": {"name": "User Two", "role": "member", "age": 20, "bio": "", "emailVisibility": False},
        "u3": {"name": "", "role": "", "age": 0, "bio": "secret bio", "emailVisibility": True},
        "u4": {"name": "user one", "role": "guest", "age": 45.5, "bio": "x"},
    }
    for key, data in people.items():
        body = {
            "email": f"{key}@example.com",
            "password": USER_PASSWORD,
            "passwordConfirm": USER_PASSWORD,
            **data,
        }
        ids[key] = _record(pb, "users", body)
    pb.ok("PATCH", f"/api/collections/users/records/{ids['u1']}", {"friends": [ids["u2"], ids["u3"]]})
    pb.ok("PATCH", f"/api/collections/users/records/{ids['u2']}", {"friends": [ids["u1"]]})

    for key, name, rank in (("c1", "News", 1), ("c2", "Tech", 2), ("c3", "", 0)):
        ids[key] = _record(pb, "cats", {"name": name, "rank": rank})
    ids["p1"] = _record(pb, "privs", {"label": "Secret"})

    _create_collection(
        pb,
        "posts",
        [
            _field("title", "text"),
            _field("body", "text"),
            _field("views", "number"),
            _field("score", "number"),
            _field("published", "bool"),
            _field("status", "select", values=["draft", "published", "archived"], maxSelect=1),
            _field("tags", "select", values=["a", "b", "c", "d", "%", "_"], maxSelect=6),
            _field("author", "relation", collectionId="_pb_users_auth_", maxSelect=1),
            _field("likers", "relation", collectionId="_pb_users_auth_", maxSelect=10),
            _field("cat", "relation", collectionId=cats_id, maxSelect=1),
            _field("cats", "relation", collectionId=cats_id, maxSelect=5),
            _field("priv", "relation", collectionId=privs_id, maxSelect=1),
            _field("meta", "json"),
            _field("loc", "geoPoint"),
            _field("due", "date"),
            _field("secret", "text", hidden=True),
        ],
        listRule="",
        viewRule="",
    )
    u1, u2, u3, u4 = ids["u1"], ids["u2"], ids["u3"], ids["u4"]
    posts = {
        "P0": dict(
            title="Hello",
            body="<p>Hello world</p>",
            views=5,
            score=1.5,
            published=True,
            status="draft",
            tags=["a", "b"],
            author=u1,
            likers=[u1],
            cat=ids["c1"],
            cats=[ids["c1"], ids["c2"]],
            priv=ids["p1"],
            meta={"k": [1, 2], "a": {"b": "deep"}},
            loc={"lon": 23.3, "lat": 42.7},
            due="2025-01-02 10:00:00.000Z",
            secret="s0",
        ),
        "P1": dict(
            title="P1",
            body="100% real_deal",
            views=10,
            score=0,
            published=False,
            status="published",
            tags=["c"],
            author=u2,
            likers=[u1, u2],
            cat=ids["c2"],
            cats=[ids["c2"]],
            meta=5,
            loc={"lon": -0.12, "lat": 51.5},
            due="2024-06-30 23:59:59.999Z",
            secret="",
        ),
        "P2": dict(
            title="P2",
            body="a\\b back",
            views=20,
            score=-2.25,
            published=True,
            status="archived",
            tags=["c", "d"],
            author=u1,
            likers=[u4],
            cats=[],
            meta="str",
            loc={"lon": 23.32, "lat": 42.69},
            due="2025-12-31 00:00:00.000Z",
            secret="s2",
        ),
        "P3": dict(
            title="",
            body="",
            views=0,
            score=0,
            published=False,
            status="",
            tags=[],
            author="",
            likers=[],
            meta=None,
            due="",
        ),
        "P4": dict(
            title='it\'s "quoted"',
            body="l1\nl2",
            views=100,
            score=3,
            published=True,
            status="draft",
            tags=["%", "_"],
            author=u3,
            likers=[u2, u3, u4],
            cat=ids["c3"],
            cats=[ids["c3"], ids["c1"]],
            meta=[1, "two", {"x": 3}],
            loc={"lon": 0, "lat": 0},
            due="2025-02-28 12:00:00.000Z",
        ),
        "P5": dict(
            title="HELLO again",
            body="Hello",
            views=7,
            score=7,
            published=True,
            status="published",
            tags=["a"],
            author=u4,
            likers=[u4, u4],
            meta={"k": []},
            due="2025-01-02 09:00:00.000Z",
        ),
        "P6": dict(
            title="P6",
            body="x",
            views=-3,
            score=1.5,
            published=False,
            status="draft",
            tags=["b", "a"],
            author=u2,
            likers=[u2],
            cat=ids["c1"],
            meta=True,
            loc={"lon": 179.9, "lat": -89.9},
        ),
    }
    for key, data in posts.items():
        ids[key] = _record(pb, "posts", data)

    comments_id = _create_collection(
        pb,
        "comments",
        [
            _field("text", "text"),
            _field("post", "relation", collectionId=_coll_id(pb, "posts"), maxSelect=1),
            _field("likers", "relation", collectionId="_pb_users_auth_", maxSelect=10),
            _field("author", "relation", collectionId="_pb_users_auth_", maxSelect=1),
            _field("order", "number"),
        ],
        listRule="",
    )
    for key, data in {
        "C1": dict(text="c1", post=ids["P0"], likers=[u1], author=u1, order=1),
        "C2": dict(text="c2", post=ids["P0"], likers=[u1, u2], author=u2, order=2),
        "C3": dict(text="c2", post=ids["P1"], likers=[u2], author=u2, order=3),
        "C4": dict(text="other", post=ids["P2"], likers=[], author=u3, order=4),
        "C5": dict(text="c5", post=ids["P1"], likers=[u4], author=u1, order=5),
    }.items():
        ids[key] = _record(pb, "comments", data)
    assert comments_id

    _create_collection(
        pb,
        "profiles",
        [_field("user", "relation", collectionId="_pb_users_auth_", maxSelect=1), _field("headline", "text")],
        listRule="",
        indexes=["CREATE UNIQUE INDEX `idx_profiles_user` ON `profiles` (`user`)"],
    )
    ids["PR1"] = _record(pb, "profiles", {"user": u1, "headline": "Admin here"})
    ids["PR2"] = _record(pb, "profiles", {"user": u2, "headline": "Member"})

    _create_collection(
        pb,
        "notes",
        [
            _field("owner", "relation", collectionId="_pb_users_auth_", maxSelect=1),
            _field("shared", "relation", collectionId="_pb_users_auth_", maxSelect=5),
            _field("public", "bool"),
            _field("text", "text"),
        ],
        listRule="owner = @request.auth.id || public = true || shared.id ?= @request.auth.id",
    )
    for key, data in {
        "N1": dict(owner=u1, public=False, text="n1"),
        "N2": dict(owner=u2, public=True, text="n2"),
        "N3": dict(owner=u2, shared=[u1, u3], public=False, text="n3"),
        "N4": dict(owner=u3, public=False, text="n4"),
    }.items():
        ids[key] = _record(pb, "notes", data)
    return ids


def _coll_id(pb: PocketBase, name: str) -> str:
    return str(pb.ok("GET", f"/api/collections/{name}")["id"])


TASK_CREATE_RULE = (
    "@request.auth.id != '' && owner = @request.auth.id && (status = 'todo' || @request.auth.role = 'admin')"
    " && @request.body.prio:isset = true && prio < 10 && @request.body.tags:length <= 2"
)
TASK_UPDATE_RULE = (
    "(owner = @request.auth.id && @request.body.status:changed = false)"
    " || (@request.auth.friends.name ?= 'User Two' && @request.body.tags:each ?= 'x')"
    " || @request.body.owner.role = 'guest'"
    " || (@request.body.title:lower = 'shout' && title:lower = @request.body.title:lower)"
)


def seed_tasks(pb: PocketBase, ids: dict[str, str]) -> None:
    """A collection whose create/update rules use @request.body and @request.auth joins."""
    _create_collection(
        pb,
        "tasks",
        [
            _field("title", "text"),
            _field("status", "select", values=["todo", "doing", "done"], maxSelect=1),
            _field("prio", "number"),
            _field("owner", "relation", collectionId="_pb_users_auth_", maxSelect=1),
            _field("tags", "select", values=["x", "y", "z"], maxSelect=3),
            _field("public", "bool"),
        ],
        listRule="",
        viewRule="",
        createRule=TASK_CREATE_RULE,
        updateRule=TASK_UPDATE_RULE,
    )
    for key, data in {
        "T1": dict(title="t1", status="todo", prio=1, owner=ids["u1"], tags=["x"]),
        "T2": dict(title="t2", status="doing", prio=2, owner=ids["u2"]),
        "T3": dict(title="t3", status="done", prio=3, owner=ids["u3"]),
        "T4": dict(title="SHOUT", status="done", prio=4, owner=ids["u3"]),
    }.items():
        ids[key] = _record(pb, "tasks", data)
