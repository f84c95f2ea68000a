"""auth-with-password, auth-refresh and auth-methods, driven in process over ASGI."""

from __future__ import annotations

import base64
import json
from typing import Any

import bcrypt
import pytest

from palapy.app import Palapy
from palapy.auth.tokens import mint_auth_token, resolve_auth_header
from palapy.db.connection import query_one
from palapy.tools.errors import ApiError
from tests.unit.auth.auth_support import PASSWORD_URL, Client, insert_auth_record, update_collection_options

REFRESH_URL = "/api/collections/{}/auth-refresh"
FAILED = {"data": {}, "message": "Failed to authenticate.", "status": 400}


def _claims(token: str) -> dict[str, Any]:
    segment = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))))


def _stored(app: Palapy, collection: str, record_id: str) -> dict[str, Any]:
    row = app.db.read_sync(
        lambda conn: query_one(conn, f"SELECT * FROM `{collection}` WHERE id = ?", (record_id,))
    )
    assert row is not None
    return row


# -- auth-with-password ----------------------------------------------------------------


def test_superuser_login_answers_record_and_token(app: Palapy, client: Client) -> None:
    su = insert_auth_record(app, "_superusers", "a@b.co", "pass123456")
    resp = client.login("_superusers", {"identity": "a@b.co", "password": "pass123456"})
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert list(body) == ["record", "token"]
    record = body["record"]
    assert list(record) == sorted(record)
    assert record["id"] == su["id"] and record["email"] == "a@b.co"
    assert record["collectionId"] == "pbc_3142635823" and record["collectionName"] == "_superusers"
    assert "password" not in record and "tokenKey" not in record
    claims = _claims(body["token"])
    assert claims["id"] == su["id"] and claims["type"] == "auth" and claims["refreshable"] is True
    assert client.run(resolve_auth_header(app, body["token"])) is not None


def test_user_login_always_shows_the_email(app: Palapy, client: Client) -> None:
    insert_auth_record(app, "users", "u1@x.co", "12345678", name="User One")
    resp = client.login("users", {"identity": "u1@x.co", "password": "12345678"})
    assert resp.status_code == 200, resp.text
    assert resp.json()["record"]["email"] == "u1@x.co"  # emailVisibility is false


def test_collection_may_be_named_by_id(app: Palapy, client: Client) -> None:
    insert_auth_record(app, "users", "u1@x.co", "12345678")
    assert client.login("_pb_users_auth_", {"identity": "u1@x.co", "password": "12345678"}).status_code == 200


def test_fields_picks_from_the_auth_response(app: Palapy, client: Client) -> None:
    su = insert_auth_record(app, "_superusers", "a@b.co", "pass123456")
    url = PASSWORD_URL.format("_superusers") + "?fields=token,record.id,record.email"
    resp = client.request("POST", url, json={"identity": "a@b.co", "password": "pass123456"})
    assert resp.status_code == 200
    body = resp.json()
    assert set(body) == {"record", "token"} and body["record"] == {"id": su["id"], "email": "a@b.co"}


@pytest.mark.parametrize(
    ("body", "status", "data"),
    [
        ({}, 400, {"identity": "validation_required", "password": "validation_required"}),
        (b"", 400, {"identity": "validation_required", "password": "validation_required"}),
        (b"null", 400, {"identity": "validation_required", "password": "validation_required"}),
        ({"identity": None, "password": "x"}, 400, {"identity": "validation_required"}),
        ({"identity": "a" * 256, "password": "x"}, 400, {"identity": "validation_length_out_of_range"}),
        ({"identity": "a@b.co", "password": "é" * 128}, 400, {"password": "validation_length_out_of_range"}),
        (
            {"identity": "a@b.co", "password": "x", "identityField": "name"},
            400,
            {"identityField": "validation_in_invalid"},
        ),
        (
            {"identity": "a@b.co", "password": "x", "identityField": "EMAIL"},
            400,
            {"identityField": "validation_in_invalid"},
        ),
    ],
)
def test_form_validation_errors(
    app: Palapy, client: Client, body: Any, status: int, data: dict[str, str]
) -> None:
    resp = client.login("_superusers", body)
    assert resp.status_code == status
    payload = resp.json()
    assert payload["message"] == "An error occurred while validating the submitted data."
    assert {k: v["code"] for k, v in payload["data"].items()} == data


def test_length_error_params(app: Palapy, client: Client) -> None:
    resp = client.login("_superusers", {"identity": "a" * 256, "password": "x"})
    assert resp.json()["data"]["identity"] == {
        "code": "validation_length_out_of_range",
        "message": "The length must be between 1 and 255.",
        "params": {"max": 255, "min": 1},
    }


@pytest.mark.parametrize(
    "raw",
    [
        b"garbage",
        b'"str"',
        b"[1]",
        b'{"identity":1,"password":"x"}',
        b'{"identity":true,"password":"x"}',
        b'{"identity":["a"],"password":"x"}',
        b'{"identity":"a@b.co","password":"x","identity":"zz"}',
        b'{"identity":"a@b.co","password":"x","IDENTITY":"zz"}',
        b'{"identity":"a@b.co","password":"x","extra":1,"extra":2}',
        b'{"identity":"a@b.co","password":"x",}',
    ],
)
def test_unreadable_bodies(app: Palapy, client: Client, raw: bytes) -> None:
    resp = client.login("_superusers", raw)
    assert resp.status_code == 400
    assert resp.json() == {
        "data": {},
        "message": "An error occurred while loading the submitted data.",
        "status": 400,
    }


@pytest.mark.parametrize(
    ("kwargs"),
    [
        {
            "content": b'{"IDENTITY":"a@b.co","Password":"pass123456"}',
            "headers": {"Content-Type": "application/json"},
        },
        {
            "content": b' {"identity":"a@b.co","password":"pass123456"} {"junk":',
            "headers": {"Content-Type": "application/json"},
        },
        {
            "content": b'{"identity":"a@b.co","password":"pass123456","Extra":1,"extra":2}',
            "headers": {"Content-Type": "application/json"},
        },
        {
            "content": b'{"identity":"a@b.co","password":"pass123456","identityField":null}',
            "headers": {"Content-Type": "application/json; charset=utf-8"},
        },
        {"data": {"identity": "a@b.co", "password": "pass123456"}},
        {"files": {"identity": (None, "a@b.co"), "password": (None, "pass123456")}},
        {"files": {"@jsonPayload": (None, '{"identity":"a@b.co","password":"pass123456"}')}},
    ],
)
def test_accepted_body_shapes(app: Palapy, client: Client, kwargs: dict[str, Any]) -> None:
    insert_auth_record(app, "_superusers", "a@b.co", "pass123456")
    resp = client.request("POST", PASSWORD_URL.format("_superusers"), **kwargs)
    assert resp.status_code == 200, resp.text


def test_form_keys_are_case_sensitive_and_other_types_unsupported(app: Palapy, client: Client) -> None:
    url = PASSWORD_URL.format("_superusers")
    resp = client.request("POST", url, data={"IDENTITY": "a@b.co", "password": "pass123456"})
    assert resp.json()["data"] == {"identity": {"code": "validation_required", "message": "Cannot be blank."}}
    resp = client.request("POST", url, content=b"x", headers={"Content-Type": "text/plain"})
    assert resp.status_code == 400 and resp.json()["message"] == "Unsupported Content-Type."


def test_wrong_password_unknown_user_and_case_are_uniform_failures(app: Palapy, client: Client) -> None:
    insert_auth_record(app, "users", "u1@x.co", "12345678")
    for body in (
        {"identity": "u1@x.co", "password": "wrong-password"},
        {"identity": "nobody@x.co", "password": "12345678"},
        {"identity": "U1@X.CO", "password": "12345678"},  # the default email index is case-sensitive
        {"identity": "u1", "password": "12345678", "identityField": "email"},
    ):
        resp = client.login("users", body)
        assert (resp.status_code, resp.json()) == (400, FAILED), body


def test_nocase_unique_index_makes_the_lookup_case_insensitive(app: Palapy, client: Client) -> None:
    insert_auth_record(app, "users", "u1@x.co", "12345678")
    users = app.collections.find("users")
    assert users is not None
    indexes = [i for i in users.indexes if "email" not in i] + [
        "CREATE UNIQUE INDEX `idx_email__pb_users_auth_` ON `users` (`email` COLLATE NOCASE) WHERE `email` != ''"
    ]
    _set_indexes(app, "users", indexes)
    assert client.login("users", {"identity": "U1@X.CO", "password": "12345678"}).status_code == 200


def _set_indexes(app: Palapy, name: str, indexes: list[str]) -> None:
    target = app.collections.find(name)
    assert target is not None
    app.db.write_sync(
        lambda conn: conn.execute(
            "UPDATE `_collections` SET indexes = ? WHERE id = ?", (json.dumps(indexes), target.id)
        )
    )
    app.reload_collections_sync()


def test_other_identity_fields_email_first(app: Palapy, client: Client) -> None:
    user = insert_auth_record(app, "users", "u1@x.co", "12345678", name="Nick")
    other = insert_auth_record(app, "users", "u2@x.co", "abcdefgh", name="u1@x.co")
    users = app.collections.find("users")
    assert users is not None
    _set_indexes(
        app, "users", [*users.indexes, "CREATE UNIQUE INDEX idx_name ON users (name COLLATE NOCASE)"]
    )
    update_collection_options(
        app, "users", passwordAuth={"enabled": True, "identityFields": ["name", "email"]}
    )

    by_name = client.login("users", {"identity": "NICK", "password": "12345678"})
    assert by_name.status_code == 200 and by_name.json()["record"]["id"] == user["id"]
    # An email-shaped identity is tried as an email first, even though `name` is listed first.
    by_email = client.login("users", {"identity": "u1@x.co", "password": "12345678"})
    assert by_email.status_code == 200 and by_email.json()["record"]["id"] == user["id"]
    # With identityField only that field is searched.
    forced = client.login("users", {"identity": "u1@x.co", "password": "abcdefgh", "identityField": "name"})
    assert forced.status_code == 200 and forced.json()["record"]["id"] == other["id"]
    assert (
        client.login("users", {"identity": "NICK", "password": "12345678", "identityField": "email"}).json()
        == FAILED
    )


def test_identity_field_without_unique_index_never_matches(app: Palapy, client: Client) -> None:
    insert_auth_record(app, "users", "u1@x.co", "12345678", name="Nick")
    update_collection_options(
        app, "users", passwordAuth={"enabled": True, "identityFields": ["email", "name"]}
    )
    assert client.login("users", {"identity": "Nick", "password": "12345678"}).json() == FAILED


def test_password_auth_disabled_is_403(app: Palapy, client: Client) -> None:
    update_collection_options(app, "users", passwordAuth={"enabled": False, "identityFields": ["email"]})
    resp = client.login("users", b"garbage")  # checked before the body is read
    assert resp.status_code == 403
    assert resp.json()["message"] == "The collection is not configured to allow password authentication."


def test_unknown_and_non_auth_collections_are_404(app: Palapy, client: Client) -> None:
    for name, message in (
        ("nope", "Missing or invalid collection context."),
        ("_mfas", "Missing or invalid auth collection context."),
    ):
        for method, url in (("POST", PASSWORD_URL), ("GET", "/api/collections/{}/auth-methods")):
            resp = client.request(method, url.format(name), json={})
            assert (resp.status_code, resp.json()["message"]) == (404, message), (name, url)


def test_auth_rule_null_allows_only_superuser_requesters(app: Palapy, client: Client) -> None:
    insert_auth_record(app, "users", "u1@x.co", "12345678")
    su = insert_auth_record(app, "_superusers", "a@b.co", "pass123456")
    update_collection_options(app, "users", authRule=None)
    body = {"identity": "u1@x.co", "password": "12345678"}
    resp = client.login("users", body)
    assert resp.status_code == 403
    assert (
        resp.json()["message"] == "The request doesn't satisfy the collection requirements to authenticate."
    )
    superusers = app.collections.find("_superusers")
    assert superusers is not None
    token = mint_auth_token(app, superusers, su)
    assert client.login("users", body, headers={"Authorization": token}).status_code == 200


def test_superuser_ip_allow_list(app: Palapy, client: Client) -> None:
    insert_auth_record(app, "_superusers", "a@b.co", "pass123456")
    body = {"identity": "a@b.co", "password": "pass123456"}
    app.settings["superuserIPs"] = ["10.0.0.0/8"]
    resp = client.login("_superusers", body)
    assert (
        resp.status_code == 403 and resp.json()["message"] == "You are not allowed to perform this request."
    )
    app.settings["superuserIPs"] = ["10.0.0.0/8", "127.0.0.1"]
    assert client.login("_superusers", body).status_code == 200


def test_bcrypt_hash_from_pocketbase_is_upgraded_without_rotating_token_key(
    app: Palapy, client: Client
) -> None:
    stored = "$2a$" + bcrypt.hashpw(b"12345678", bcrypt.gensalt(10)).decode()[4:]
    user = insert_auth_record(app, "users", "u1@x.co", stored_hash=stored)
    users = app.collections.find("users")
    assert users is not None
    old_token = mint_auth_token(app, users, user)

    resp = client.login("users", {"identity": "u1@x.co", "password": "12345678"})
    assert resp.status_code == 200, resp.text
    row = _stored(app, "users", user["id"])
    assert row["password"].startswith("$argon2id$")
    assert row["tokenKey"] == user["tokenKey"] and row["updated"] == user["updated"]
    assert client.run(resolve_auth_header(app, old_token)) is not None
    # The upgraded hash keeps working, and is not rewritten again.
    assert client.login("users", {"identity": "u1@x.co", "password": "12345678"}).status_code == 200
    assert _stored(app, "users", user["id"])["password"] == row["password"]
    assert client.login("users", {"identity": "u1@x.co", "password": "1234567"}).json() == FAILED


def test_wrong_password_does_not_upgrade(app: Palapy, client: Client) -> None:
    stored = bcrypt.hashpw(b"12345678", bcrypt.gensalt(4)).decode()
    user = insert_auth_record(app, "users", "u1@x.co", stored_hash=stored)
    assert client.login("users", {"identity": "u1@x.co", "password": "nope-nope"}).json() == FAILED
    assert _stored(app, "users", user["id"])["password"] == stored


def test_password_hooks_fire_and_can_reject(app: Palapy, client: Client) -> None:
    insert_auth_record(app, "users", "u1@x.co", "12345678")
    seen: list[str] = []

    async def on_password(e: Any) -> Any:
        seen.append(f"password:{e.identity}:{e.record is not None}")
        return await e.next()

    async def on_auth(e: Any) -> Any:
        seen.append(f"auth:{e.auth_method}:{e.collection.name}")
        if e.record.get("email") == "blocked@x.co":
            raise ApiError(403, "Blocked.")
        return await e.next()

    app.hooks.on_record_auth_with_password_request.bind_for(["users"], on_password)
    app.hooks.on_record_auth_request.bind(on_auth)
    assert client.login("users", {"identity": "u1@x.co", "password": "12345678"}).status_code == 200
    assert client.login("users", {"identity": "zz@x.co", "password": "12345678"}).status_code == 400
    insert_auth_record(app, "users", "blocked@x.co", "12345678")
    resp = client.login("users", {"identity": "blocked@x.co", "password": "12345678"})
    assert (resp.status_code, resp.json()["message"]) == (403, "Blocked.")
    assert seen == [
        "password:u1@x.co:True",
        "auth:password:users",
        "password:zz@x.co:False",
        "password:blocked@x.co:True",
        "auth:password:users",
    ]
    # Handlers bound for another collection do not run.
    insert_auth_record(app, "_superusers", "a@b.co", "pass123456")
    assert client.login("_superusers", {"identity": "a@b.co", "password": "pass123456"}).status_code == 200
    assert seen[-1] == "auth:password:_superusers"


def test_a_hook_may_replace_the_token(app: Palapy, client: Client) -> None:
    insert_auth_record(app, "users", "u1@x.co", "12345678")

    async def swap(e: Any) -> Any:
        e.token = "custom"
        return await e.next()

    app.hooks.on_record_auth_request.bind(swap)
    assert client.login("users", {"identity": "u1@x.co", "password": "12345678"}).json()["token"] == "custom"


# -- auth-refresh ---------------------------------------------------------------------


def _user_and_token(app: Palapy, **kwargs: Any) -> tuple[dict[str, Any], str]:
    user = insert_auth_record(app, "users", "u1@x.co", "12345678")
    users = app.collections.find("users")
    assert users is not None
    return user, mint_auth_token(app, users, user, **kwargs)


def test_refresh_needs_a_token_of_the_same_collection(app: Palapy, client: Client) -> None:
    _, token = _user_and_token(app)
    resp = client.request("POST", REFRESH_URL.format("users"))
    assert (resp.status_code, resp.json()) == (
        401,
        {"data": {}, "message": "The request requires valid record authorization token.", "status": 401},
    )
    resp = client.request("POST", REFRESH_URL.format("_superusers"), headers={"Authorization": token})
    assert (resp.status_code, resp.json()["message"]) == (
        403,
        "The request requires auth record from users collection.",
    )
    resp = client.request("POST", REFRESH_URL.format("_mfas"), headers={"Authorization": token})
    assert resp.status_code == 403
    resp = client.request("POST", REFRESH_URL.format("nope"), headers={"Authorization": token})
    assert (resp.status_code, resp.json()["message"]) == (404, "Missing or invalid collection context.")


@pytest.mark.parametrize("prefix", ["", "Bearer "])
def test_refresh_returns_a_new_token_and_the_record(app: Palapy, client: Client, prefix: str) -> None:
    user, token = _user_and_token(app, duration=30)
    resp = client.request(
        "POST", REFRESH_URL.format("_pb_users_auth_"), headers={"Authorization": prefix + token}
    )
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["record"]["id"] == user["id"] and body["record"]["email"] == "u1@x.co"
    assert body["token"] != token
    assert (
        _claims(body["token"])["exp"] > _claims(token)["exp"]
        and _claims(body["token"])["refreshable"] is True
    )


def test_non_refreshable_token_comes_back_unchanged(app: Palapy, client: Client) -> None:
    _, token = _user_and_token(app, refreshable=False)
    resp = client.request(
        "POST", REFRESH_URL.format("users") + "?fields=token", headers={"Authorization": token}
    )
    assert resp.json() == {"token": token}


def test_refresh_checks_the_auth_rule_again(app: Palapy, client: Client) -> None:
    _, token = _user_and_token(app)
    update_collection_options(app, "users", authRule=None)
    resp = client.request("POST", REFRESH_URL.format("users"), headers={"Authorization": token})
    assert resp.status_code == 403


def test_refresh_hook_fires_with_the_record(app: Palapy, client: Client) -> None:
    user, token = _user_and_token(app)
    seen: list[tuple[str, str]] = []

    async def on_refresh(e: Any) -> Any:
        seen.append((e.collection.name, e.record["id"]))
        return await e.next()

    async def on_auth(e: Any) -> Any:
        seen.append(("auth", e.auth_method))
        return await e.next()

    app.hooks.on_record_auth_refresh_request.bind(on_refresh)
    app.hooks.on_record_auth_request.bind(on_auth)
    client.request("POST", REFRESH_URL.format("users"), headers={"Authorization": token})
    assert seen == [("users", user["id"]), ("auth", "")]


# -- auth-methods ---------------------------------------------------------------------


def test_auth_methods_default_shape(app: Palapy, client: Client) -> None:
    resp = client.request("GET", "/api/collections/users/auth-methods")
    assert resp.status_code == 200
    assert resp.text == (
        '{"password":{"identityFields":["email"],"enabled":true},"oauth2":{"providers":[],"enabled":false},'
        '"mfa":{"enabled":false,"duration":0},"otp":{"enabled":false,"duration":0},'
        '"authProviders":[],"usernamePassword":false,"emailPassword":true}'
    )


def test_auth_methods_reflect_the_options(app: Palapy, client: Client) -> None:
    update_collection_options(
        app,
        "users",
        passwordAuth={"enabled": True, "identityFields": ["username", "email"]},
        otp={"enabled": True, "duration": 99, "length": 8},
        mfa={"enabled": True, "duration": 600, "rule": ""},
    )
    body = client.request("GET", "/api/collections/users/auth-methods").json()
    assert body["password"] == {"identityFields": ["username", "email"], "enabled": True}
    assert body["otp"] == {"enabled": True, "duration": 99} and body["mfa"] == {
        "enabled": True,
        "duration": 600,
    }
    assert body["usernamePassword"] is True and body["emailPassword"] is True
    update_collection_options(app, "users", passwordAuth={"enabled": False, "identityFields": ["email"]})
    body = client.request("GET", "/api/collections/users/auth-methods?fields=password,emailPassword").json()
    assert body == {"password": {"identityFields": [], "enabled": False}, "emailPassword": False}


def test_auth_rule_filter_is_judged_for_the_original_requester(app: Palapy, client: Client) -> None:
    insert_auth_record(app, "users", "u1@x.co", "12345678")
    verified = insert_auth_record(app, "users", "u2@x.co", "12345678", verified=1)
    update_collection_options(app, "users", authRule="verified = true")
    assert client.login("users", {"identity": "u1@x.co", "password": "12345678"}).status_code == 403
    assert client.login("users", {"identity": "u2@x.co", "password": "12345678"}).status_code == 200

    # A guest logging in is not the record itself; a refresh is.
    update_collection_options(app, "users", authRule="id = @request.auth.id")
    assert client.login("users", {"identity": "u2@x.co", "password": "12345678"}).status_code == 403
    users = app.collections.find("users")
    assert users is not None
    token = mint_auth_token(app, users, verified)
    resp = client.request("POST", REFRESH_URL.format("users"), headers={"Authorization": token})
    assert resp.status_code == 200, resp.text


def _add_hidden_field(app: Palapy, collection: str, name: str) -> None:
    from palapy.schema.fields import TextField

    target = app.collections.find(collection)
    assert target is not None
    fields = [f.to_json() for f in target.fields] + [
        TextField(id=f"text_{name}", name=name, hidden=True).to_json()
    ]

    def write(conn: Any) -> None:
        conn.execute("UPDATE `_collections` SET fields = ? WHERE id = ?", (json.dumps(fields), target.id))
        conn.execute(f"ALTER TABLE `{collection}` ADD COLUMN `{name}` TEXT DEFAULT '' NOT NULL")

    app.db.write_sync(write)
    app.reload_collections_sync()


def test_only_superusers_see_their_hidden_fields(app: Palapy, client: Client) -> None:
    _add_hidden_field(app, "_superusers", "note")
    _add_hidden_field(app, "users", "note")
    insert_auth_record(app, "_superusers", "a@b.co", "pass123456", note="su secret")
    insert_auth_record(app, "users", "u1@x.co", "12345678", note="user secret")
    su = client.login("_superusers", {"identity": "a@b.co", "password": "pass123456"}).json()["record"]
    assert su["note"] == "su secret"
    user = client.login("users", {"identity": "u1@x.co", "password": "12345678"}).json()["record"]
    assert "note" not in user


def test_expand_runs_with_the_record_as_requester(app: Palapy, client: Client) -> None:
    from palapy.schema.fields import RelationField

    users = app.collections.find("users")
    assert users is not None
    relation = RelationField(id="relation_friend", name="friend", collectionId=users.id, maxSelect=1)
    fields = [f.to_json() for f in users.fields] + [relation.to_json()]

    def write(conn: Any) -> None:
        conn.execute("UPDATE `_collections` SET fields = ? WHERE id = ?", (json.dumps(fields), users.id))
        conn.execute("ALTER TABLE `users` ADD COLUMN `friend` TEXT DEFAULT '' NOT NULL")

    app.db.write_sync(write)
    app.reload_collections_sync()
    me = insert_auth_record(app, "users", "u1@x.co", "12345678")
    app.db.write_sync(
        lambda conn: conn.execute("UPDATE users SET friend = ? WHERE id = ?", (me["id"], me["id"]))
    )
    url = (
        PASSWORD_URL.format("users")
        + "?expand=friend&fields=record.expand.friend.id,record.expand.friend.email"
    )
    resp = client.request("POST", url, json={"identity": "u1@x.co", "password": "12345678"})
    assert resp.status_code == 200, resp.text
    # users.viewRule is `id = @request.auth.id`: the record may see itself, email included.
    assert resp.json() == {"record": {"expand": {"friend": {"id": me["id"], "email": "u1@x.co"}}}}


def test_query_values_join_form_bodies_like_go_request_form(app: Palapy, client: Client) -> None:
    """Multipart: query values come first; urlencoded: body values first; JSON: query ignored."""
    insert_auth_record(app, "_superusers", "a@b.co", "pass123456")
    url = PASSWORD_URL.format("_superusers")
    multipart = {"identity": (None, "a@b.co"), "password": (None, "wrong-password")}
    assert client.request("POST", url + "?password=pass123456", files=multipart).status_code == 200
    assert (
        client.request(
            "POST", url + "?password=pass123456", data={"identity": "a@b.co", "password": "x"}
        ).status_code
        == 400
    )
    assert (
        client.request("POST", url + "?password=pass123456", data={"identity": "a@b.co"}).status_code == 200
    )
    assert (
        client.request("POST", url + "?password=pass123456", json={"identity": "a@b.co"}).status_code == 400
    )
