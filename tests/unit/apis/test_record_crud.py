"""The records API over HTTP, in process: status codes, messages, shapes and check order."""

from __future__ import annotations

from typing import Any

import pytest

from palapy.app import Palapy
from palapy.schema.fields import (
    AutodateField,
    BoolField,
    NumberField,
    RelationField,
    TextField,
)
from tests.unit.records.records_support import Api, add_collection, create_superuser, create_user


def _setup(app: Palapy, **rules: Any) -> tuple[Any, str]:
    everyone = {"listRule": "", "viewRule": "", "createRule": "", "updateRule": "", "deleteRule": ""}
    everyone.update(rules)
    posts = add_collection(
        app,
        "base",
        "posts",
        [
            TextField(name="title", required=True),
            NumberField(name="views"),
            BoolField(name="published"),
            TextField(name="secret", hidden=True),
            AutodateField(name="created", onCreate=True),
            AutodateField(name="updated", onCreate=True, onUpdate=True),
        ],
        **everyone,
    )
    _, su_token = create_superuser(app)
    return posts, su_token


def _create(api: Api, token: str, data: dict[str, Any], coll: str = "posts") -> dict[str, Any]:
    res = api.request("POST", f"/api/collections/{coll}/records", auth=token, json=data)
    assert res.status_code == 200, res.text
    return res.json()  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("method", "path", "message"),
    [
        ("GET", "/api/collections/nope/records", "Missing collection context."),
        ("GET", "/api/collections/nope/records/abc", "Missing collection context."),
        ("DELETE", "/api/collections/nope/records/abc", "Missing collection context."),
        ("POST", "/api/collections/nope/records", "Missing or invalid collection context."),
        ("PATCH", "/api/collections/nope/records/abc", "Missing or invalid collection context."),
    ],
)
def test_unknown_collection_messages(api: Api, method: str, path: str, message: str) -> None:
    res = api.request(method, path, json={})
    assert res.status_code == 404
    assert res.json() == {"data": {}, "message": message, "status": 404}


def test_create_answers_200_with_sorted_keys_and_collection_refs(app: Palapy, api: Api) -> None:
    posts, _ = _setup(app)
    res = api.request(
        "POST", "/api/collections/posts/records", json={"title": "Hello", "views": 5, "published": True}
    )
    assert res.status_code == 200
    body = res.json()
    assert list(body) == sorted(body)
    assert body["collectionId"] == posts.id and body["collectionName"] == "posts"
    assert body["title"] == "Hello" and body["views"] == 5 and body["published"] is True
    assert "secret" not in body and "expand" not in body
    assert len(body["id"]) == 15 and body["created"].endswith("Z")


def test_client_id_and_hidden_fields(app: Palapy, api: Api) -> None:
    _, su = _setup(app)
    body = _create(api, "", {"id": "myid12345678901", "title": "x", "secret": "s1"})
    assert body["id"] == "myid12345678901"
    # The guest's hidden value was dropped; the superuser sees the (empty) hidden field.
    view = api.request("GET", "/api/collections/posts/records/myid12345678901", auth=su).json()
    assert view["secret"] == ""
    body = _create(api, su, {"title": "y", "secret": "s2"})
    assert body["secret"] == "s2"
    res = api.request(
        "POST", "/api/collections/posts/records", json={"id": "myid12345678901", "title": "dup"}
    )
    assert res.status_code == 400
    assert res.json()["data"]["id"]["code"] in ("validation_not_unique", "validation_pk_invalid")


def test_null_rules_are_superuser_only_and_checked_before_lookup(app: Palapy, api: Api) -> None:
    _, su = _setup(app, listRule=None, viewRule=None, createRule=None, updateRule=None, deleteRule=None)
    forbidden = {"data": {}, "message": "Only superusers can perform this action.", "status": 403}
    for method, path in [
        ("GET", "/api/collections/posts/records"),
        ("GET", "/api/collections/posts/records/missing"),
        ("POST", "/api/collections/posts/records"),
        ("PATCH", "/api/collections/posts/records/missing"),
        ("DELETE", "/api/collections/posts/records/missing"),
    ]:
        res = api.request(method, path, json={"title": "x"})
        assert (res.status_code, res.json()) == (403, forbidden), (method, path)
    assert api.request("GET", "/api/collections/posts/records", auth=su).status_code == 200
    assert api.request("GET", "/api/collections/posts/records/missing", auth=su).status_code == 404


def test_body_errors(app: Palapy, api: Api) -> None:
    _setup(app)
    res = api.request(
        "POST", "/api/collections/posts/records", content=b"x=1", headers={"Content-Type": "text/plain"}
    )
    assert (res.status_code, res.json()["message"]) == (400, "Unsupported Content-Type.")
    res = api.request(
        "POST",
        "/api/collections/posts/records",
        content=b"{bad",
        headers={"Content-Type": "application/json"},
    )
    assert (res.status_code, res.json()["message"]) == (
        400,
        "Something went wrong while processing your request.",
    )


def test_urlencoded_and_multipart_values_are_inferred(app: Palapy, api: Api) -> None:
    _setup(app)
    res = api.request(
        "POST", "/api/collections/posts/records", data={"title": "Form", "views": "12", "published": "true"}
    )
    assert res.status_code == 200, res.text
    body = res.json()
    assert (body["title"], body["views"], body["published"]) == ("Form", 12, True)
    res = api.request(
        "POST",
        "/api/collections/posts/records",
        data={"title": "Multi", "@jsonPayload": '{"views": 3}'},
        files={"unused": ("a.txt", b"x")},
    )
    assert res.status_code == 200, res.text
    assert res.json()["views"] == 3


def test_list_pagination_shape(app: Palapy, api: Api) -> None:
    _, su = _setup(app)
    for i in range(5):
        _create(api, su, {"title": f"P{i}", "views": i})
    res = api.request("GET", "/api/collections/posts/records?perPage=2&page=2")
    body = res.json()
    assert list(body) == ["items", "page", "perPage", "totalItems", "totalPages"]
    assert (body["page"], body["perPage"], body["totalItems"], body["totalPages"]) == (2, 2, 5, 3)
    assert [r["title"] for r in body["items"]] == ["P2", "P3"]
    body = api.request("GET", "/api/collections/posts/records?skipTotal=1&perPage=5000&fields=id").json()
    assert (body["perPage"], body["totalItems"], body["totalPages"]) == (1000, -1, -1)
    assert all(list(item) == ["id"] for item in body["items"])
    body = api.request("GET", "/api/collections/posts/records?page=9").json()
    assert body["items"] == [] and body["totalItems"] == 5
    assert api.request("GET", "/api/collections/posts/records?skipTotal=yes").status_code == 400
    assert api.request("GET", "/api/collections/posts/records?page=x").status_code == 400


def test_update_with_modifiers_and_delete(app: Palapy, api: Api) -> None:
    _, su = _setup(app)
    rec = _create(api, su, {"title": "Hello", "views": 5})
    res = api.request("PATCH", f"/api/collections/posts/records/{rec['id']}", json={"views+": 3})
    assert res.status_code == 200 and res.json()["views"] == 8
    assert res.json()["updated"] >= rec["updated"] and res.json()["created"] == rec["created"]
    res = api.request("PATCH", f"/api/collections/posts/records/{rec['id']}", json={"title": ""})
    assert res.status_code == 400
    assert res.json()["message"] == "Failed to update record."
    assert res.json()["data"]["title"]["code"] == "validation_required"
    assert api.request("PATCH", "/api/collections/posts/records/missing", json={}).status_code == 404
    res = api.request("DELETE", f"/api/collections/posts/records/{rec['id']}")
    assert (res.status_code, res.content) == (204, b"")
    assert api.request("GET", f"/api/collections/posts/records/{rec['id']}").status_code == 404


def test_view_collections_are_read_only(app: Palapy, api: Api) -> None:
    _setup(app)
    add_collection(
        app, "view", "post_titles", options={"viewQuery": "SELECT id, title FROM posts"}, listRule=""
    )
    for method, path in [
        ("POST", "/api/collections/post_titles/records"),
        ("PATCH", "/api/collections/post_titles/records/x"),
        ("DELETE", "/api/collections/post_titles/records/x"),
    ]:
        res = api.request(method, path, json={})
        assert (res.status_code, res.json()["message"]) == (400, "Unsupported collection type."), method


def test_auth_sign_up_rules(app: Palapy, api: Api) -> None:
    create_superuser(app)
    url = "/api/collections/users/records"
    res = api.request(
        "POST",
        url,
        json={"email": "u2@x.co", "password": "12345678", "passwordConfirm": "12345678", "verified": True},
    )
    assert res.status_code == 400
    assert res.json()["data"] == {
        "verified": {"code": "validation_values_mismatch", "message": "Values don't match."}
    }
    res = api.request("POST", url, json={"email": "u2@x.co", "password": "12345678"})
    assert res.json()["data"] == {
        "passwordConfirm": {"code": "validation_required", "message": "Cannot be blank."}
    }
    res = api.request(
        "POST", url, json={"email": "u2@x.co", "password": "12345678", "passwordConfirm": "nope"}
    )
    assert res.json()["data"]["passwordConfirm"]["code"] == "validation_values_mismatch"
    res = api.request(
        "POST", url, json={"email": "u2@x.co", "password": "12345678", "passwordConfirm": "12345678"}
    )
    assert res.status_code == 200, res.text
    body = res.json()
    assert "password" not in body and "tokenKey" not in body and "passwordConfirm" not in body
    # emailVisibility is false and the requester is a guest: no email.
    assert "email" not in body and body["verified"] is False
    res = api.request(
        "POST", url, json={"email": "u2@x.co", "password": "12345678", "passwordConfirm": "12345678"}
    )
    assert res.json()["data"] == {
        "email": {"code": "validation_not_unique", "message": "Value must be unique."}
    }


def test_auth_email_visibility_and_password_change(app: Palapy, api: Api) -> None:
    _, su = create_superuser(app)
    user, token = create_user(app, "u1@x.co")
    url = f"/api/collections/users/records/{user['id']}"
    assert api.request("GET", url, auth=su).json()["email"] == "u1@x.co"
    res = api.request(
        "PATCH", url, auth=token, json={"password": "abcdefgh1", "passwordConfirm": "abcdefgh1"}
    )
    assert res.status_code == 400
    assert res.json()["data"] == {
        "oldPassword": {"code": "validation_required", "message": "Cannot be blank."}
    }
    res = api.request(
        "PATCH",
        url,
        auth=token,
        json={"password": "abcdefgh1", "passwordConfirm": "abcdefgh1", "oldPassword": "bad"},
    )
    assert res.json()["data"]["oldPassword"]["code"] == "validation_invalid_old_password"
    res = api.request("PATCH", url, auth=token, json={"email": "other@x.co"})
    assert res.json()["data"]["email"]["code"] == "validation_values_mismatch"
    res = api.request(
        "PATCH",
        url,
        auth=token,
        json={"password": "abcdefgh1", "passwordConfirm": "abcdefgh1", "oldPassword": "12345678"},
    )
    assert res.status_code == 200, res.text
    assert res.json()["email"] == "u1@x.co"  # the requester's own record
    # The password change rotated tokenKey: the old token is now a guest.
    assert api.request("GET", url, auth=token).status_code == 404
    # Superusers change passwords without oldPassword.
    res = api.request("PATCH", url, auth=su, json={"password": "zzzzzzzz1", "passwordConfirm": "zzzzzzzz1"})
    assert res.status_code == 200


def test_expand_relations_and_back_relations(app: Palapy, api: Api) -> None:
    posts, su = _setup(app)
    add_collection(
        app,
        "base",
        "comments",
        [TextField(name="text"), RelationField(name="post", collectionId=posts.id, maxSelect=1)],
        listRule="",
        viewRule="",
    )
    secrets = add_collection(app, "base", "secrets", [TextField(name="v")])
    add_collection(
        app,
        "base",
        "notes",
        [TextField(name="t"), RelationField(name="hidden_ref", collectionId=secrets.id, maxSelect=1)],
        listRule="",
        viewRule="",
    )
    p = _create(api, su, {"title": "Hello"})
    c1 = _create(api, su, {"text": "c1", "post": p["id"]}, "comments")
    _create(api, su, {"text": "c2", "post": p["id"]}, "comments")
    body = api.request("GET", f"/api/collections/comments/records/{c1['id']}?expand=post").json()
    assert body["expand"]["post"]["title"] == "Hello"
    assert body["expand"]["post"]["collectionName"] == "posts"
    body = api.request("GET", f"/api/collections/posts/records/{p['id']}?expand=comments_via_post").json()
    assert [c["text"] for c in body["expand"]["comments_via_post"]] == ["c1", "c2"]
    body = api.request(
        "GET", f"/api/collections/comments/records/{c1['id']}?expand=post.comments_via_post"
    ).json()
    assert len(body["expand"]["post"]["expand"]["comments_via_post"]) == 2
    # Unknown paths are ignored; no expand key when expansion never reached the record.
    res = api.request("GET", f"/api/collections/comments/records/{c1['id']}?expand=nope")
    assert res.status_code == 200 and "expand" not in res.json()
    assert "expand" not in api.request("GET", f"/api/collections/comments/records/{c1['id']}").json()
    # A superusers-only related collection is not expanded for guests.
    s = _create(api, su, {"v": "x"}, "secrets")
    n = _create(api, su, {"t": "n", "hidden_ref": s["id"]}, "notes")
    assert (
        "expand"
        not in api.request("GET", f"/api/collections/notes/records/{n['id']}?expand=hidden_ref").json()
    )
    body = api.request("GET", f"/api/collections/notes/records/{n['id']}?expand=hidden_ref", auth=su).json()
    assert body["expand"]["hidden_ref"]["v"] == "x"


def test_request_hooks_run_after_rules_and_can_answer(app: Palapy, api: Api) -> None:
    _, su = _setup(app, createRule=None)
    seen: list[str] = []

    async def handler(e: Any) -> Any:
        seen.append(e.record["title"])
        e.record["title"] = "changed by hook"
        return await e.next()

    app.hooks.on_record_create_request.bind(handler, tags=["posts"])
    assert api.request("POST", "/api/collections/posts/records", json={"title": "guest"}).status_code == 403
    assert seen == []
    assert _create(api, su, {"title": "su"})["title"] == "changed by hook"
    assert seen == ["su"]

    async def short_circuit(e: Any) -> Any:
        e.result = {"custom": True}

    app.hooks.on_record_view_request.bind(short_circuit)
    rec = api.request("GET", "/api/collections/posts/records?fields=id", auth=su).json()["items"][0]
    assert api.request("GET", f"/api/collections/posts/records/{rec['id']}").json() == {"custom": True}


def test_rules_filter_sort_and_their_status_codes(app: Palapy, api: Api) -> None:
    _, su = _setup(
        app,
        listRule="views > 1",
        viewRule="views > 1",
        createRule="views > 10 && @request.body.title != 'blocked'",
        updateRule="views > 1",
        deleteRule="views > 1",
    )
    low = _create(api, su, {"title": "low", "views": 1})
    for i, views in enumerate((20, 15, 30)):
        _create(api, su, {"title": f"P{i}", "views": views})
    body = api.request("GET", "/api/collections/posts/records?sort=-views").json()
    assert [r["title"] for r in body["items"]] == ["P2", "P0", "P1"] and body["totalItems"] == 3
    body = api.request("GET", "/api/collections/posts/records?sort=-views", auth=su).json()
    assert body["totalItems"] == 4
    body = api.request(
        "GET", "/api/collections/posts/records", params={"filter": "title = 'P1' || views >= 30"}
    ).json()
    assert sorted(r["title"] for r in body["items"]) == ["P1", "P2"]
    assert (
        api.request("GET", "/api/collections/posts/records", params={"filter": "nope = 1"}).status_code == 400
    )
    res = api.request("GET", "/api/collections/posts/records", params={"filter": "title = @request.auth.id"})
    assert (res.status_code, res.json()["message"]) == (403, "Only superusers can filter by @request.")
    assert (
        api.request("GET", "/api/collections/posts/records", params={"filter": "secret = ''"}).status_code
        == 400
    )
    assert (
        api.request(
            "GET", "/api/collections/posts/records", params={"filter": "secret = ''"}, auth=su
        ).status_code
        == 200
    )

    url = f"/api/collections/posts/records/{low['id']}"
    not_found = {"data": {}, "message": "The requested resource wasn't found.", "status": 404}
    assert api.request("GET", url).json() == not_found
    assert api.request("PATCH", url, json={"title": "x"}).json() == not_found
    assert api.request("DELETE", url).json() == not_found
    assert api.request("GET", url, auth=su).status_code == 200

    failed = {"data": {}, "message": "Failed to create record.", "status": 400}
    res = api.request("POST", "/api/collections/posts/records", json={"title": "few", "views": 2})
    assert (res.status_code, res.json()) == (400, failed)
    res = api.request("POST", "/api/collections/posts/records", json={"title": "blocked", "views": 50})
    assert (res.status_code, res.json()) == (400, failed)
    res = api.request("POST", "/api/collections/posts/records", json={"title": "many", "views+": 50})
    assert res.status_code == 200 and res.json()["views"] == 50


def test_manage_rule_grants_email_and_password_management(app: Palapy, api: Api) -> None:
    create_superuser(app)
    users = app.collections.find("users")
    assert users is not None
    users.options["manageRule"] = "@request.auth.name = 'boss'"
    boss, boss_token = create_user(app, "boss@x.co", name="boss")
    other, other_token = create_user(app, "o@x.co")
    url = f"/api/collections/users/records/{other['id']}"
    app.collections.find("users").updateRule = ""  # type: ignore[union-attr]
    app.collections.find("users").viewRule = ""  # type: ignore[union-attr]
    # A manager sees the hidden email and may change it without oldPassword.
    assert api.request("GET", url, auth=boss_token).json()["email"] == "o@x.co"
    assert (
        "email"
        not in api.request("GET", f"/api/collections/users/records/{boss['id']}", auth=other_token).json()
    )
    res = api.request("PATCH", url, auth=boss_token, json={"email": "o2@x.co", "verified": True})
    assert res.status_code == 200, res.text
    assert (res.json()["email"], res.json()["verified"]) == ("o2@x.co", True)
    res = api.request(
        "PATCH", f"/api/collections/users/records/{boss['id']}", auth=other_token, json={"verified": True}
    )
    assert res.json()["data"]["verified"]["code"] == "validation_values_mismatch"
