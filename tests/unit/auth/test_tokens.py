"""Tokens as PocketBase mints them, and the Authorization header resolved like PocketBase."""

from __future__ import annotations

import asyncio
import base64
import json
import time

import jwt as pyjwt
import pytest

from palapy.app import Palapy
from palapy.auth import tokens
from palapy.auth.tokens import (
    mint_auth_token,
    new_record_token,
    resolve_auth_header,
    token_from_header,
    token_secret,
    unverified_claims,
)
from palapy.tools.security.jwt_hs256 import encode_hs256
from tests.unit.auth.auth_support import insert_auth_record, set_column, update_collection_options


def _payload(token: str) -> dict[str, object]:
    segment = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))))


def _resolve(app: Palapy, header: str) -> tuple[dict[str, object], object] | None:
    return asyncio.run(resolve_auth_header(app, header))


def test_auth_token_claims_header_and_key(app: Palapy) -> None:
    su = insert_auth_record(app, "_superusers", "a@b.co", "pass123456")
    collection = app.collections.find("_superusers")
    assert collection is not None
    before = int(time.time())
    token = mint_auth_token(app, collection, su)
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header == {"alg": "HS256", "typ": "JWT"}
    claims = _payload(token)
    assert list(claims) == ["collectionId", "exp", "id", "refreshable", "type"]  # sorted, no iat
    assert claims["id"] == su["id"] and claims["collectionId"] == collection.id == "pbc_3142635823"
    assert claims["type"] == "auth" and claims["refreshable"] is True
    duration = collection.options["authToken"]["duration"]
    assert before + duration <= int(str(claims["exp"])) <= int(time.time()) + duration
    key = su["tokenKey"] + collection.options["authToken"]["secret"]
    assert pyjwt.decode(token, key, algorithms=["HS256"])["id"] == su["id"]
    with pytest.raises(pyjwt.InvalidSignatureError):
        pyjwt.decode(token, collection.options["authToken"]["secret"], algorithms=["HS256"])


def test_non_refreshable_and_custom_duration(app: Palapy) -> None:
    user = insert_auth_record(app, "users", "u@x.co", "12345678")
    users = app.collections.find("users")
    assert users is not None
    token = mint_auth_token(app, users, user, refreshable=False, duration=60)
    claims = _payload(token)
    assert claims["refreshable"] is False
    assert abs(int(str(claims["exp"])) - (int(time.time()) + 60)) <= 1


def test_other_token_kinds_use_their_own_secret(app: Palapy) -> None:
    user = insert_auth_record(app, "users", "u@x.co", "12345678")
    users = app.collections.find("users")
    assert users is not None
    token = new_record_token(users, user, "emailChange", {"email": "u@x.co", "newEmail": "n@x.co"})
    assert list(_payload(token)) == ["collectionId", "email", "exp", "id", "newEmail", "type"]
    pyjwt.decode(token, user["tokenKey"] + token_secret(users, "emailChange"), algorithms=["HS256"])
    base = app.collections.find("_mfas")
    assert base is not None
    with pytest.raises(ValueError):
        new_record_token(base, user, "auth")


@pytest.mark.parametrize("prefix", ["", "Bearer ", "bearer ", "BEARER "])
def test_header_resolves_raw_and_bearer_tokens(app: Palapy, prefix: str) -> None:
    su = insert_auth_record(app, "_superusers", "a@b.co", "pass123456")
    collection = app.collections.find("_superusers")
    assert collection is not None
    resolved = _resolve(app, prefix + mint_auth_token(app, collection, su))
    assert resolved is not None
    record, found = resolved
    assert record["id"] == su["id"] and record["email"] == "a@b.co"
    assert found is collection


def test_token_from_header() -> None:
    assert token_from_header("Bearer abc") == "abc"
    assert token_from_header("bEaReR abc") == "abc"
    assert token_from_header("Bearer ") == "Bearer "  # too short to carry a token: kept as is
    assert token_from_header("abc") == "abc"


def test_bad_tokens_mean_guest(app: Palapy) -> None:
    su = insert_auth_record(app, "_superusers", "a@b.co", "pass123456")
    collection = app.collections.find("_superusers")
    assert collection is not None
    key = su["tokenKey"] + token_secret(collection, "auth")
    good = {"id": su["id"], "type": "auth", "collectionId": collection.id, "refreshable": True}
    future = int(time.time()) + 600
    cases = {
        "garbage": "garbage",
        "empty": "",
        "expired": encode_hs256({**good, "exp": int(time.time()) - 1}, key),
        "wrong key": encode_hs256({**good, "exp": future}, key + "x"),
        "file token": new_record_token(collection, su, "file"),
        "unknown type": encode_hs256({**good, "type": "nope", "exp": future}, key),
        "missing id": encode_hs256({"type": "auth", "collectionId": collection.id, "exp": future}, key),
        "unknown record": encode_hs256({**good, "id": "x" * 15, "exp": future}, key),
        "unknown collection": encode_hs256({**good, "collectionId": "nope", "exp": future}, key),
        "base collection": encode_hs256({**good, "collectionId": "_mfas", "exp": future}, key),
    }
    token = mint_auth_token(app, collection, su)
    head, payload, sig = token.split(".")
    cases["tampered"] = f"{head}.{payload[:-2]}{'A' if payload[-2] != 'A' else 'B'}{payload[-1]}.{sig}"
    for name, value in cases.items():
        assert _resolve(app, value) is None, name


def test_claim_may_name_the_collection(app: Palapy) -> None:
    """PocketBase finds the token's collection by id or name."""
    su = insert_auth_record(app, "_superusers", "a@b.co", "pass123456")
    collection = app.collections.find("_superusers")
    assert collection is not None
    key = su["tokenKey"] + token_secret(collection, "auth")
    token = encode_hs256(
        {"id": su["id"], "type": "auth", "collectionId": "_superusers", "exp": int(time.time()) + 60}, key
    )
    assert _resolve(app, token) is not None


def test_token_key_rotation_and_secret_change_kill_tokens(app: Palapy) -> None:
    user = insert_auth_record(app, "users", "u@x.co", "12345678")
    users = app.collections.find("users")
    assert users is not None
    token = mint_auth_token(app, users, user)
    assert _resolve(app, token) is not None
    set_column(app, "users", user["id"], "tokenKey", "r" * 50)
    assert _resolve(app, token) is None  # nothing cached survives the rotation

    fresh = mint_auth_token(app, users, {**user, "tokenKey": "r" * 50})
    assert _resolve(app, fresh) is not None
    update_collection_options(app, "users", authToken={"secret": "n" * 50, "duration": 604800})
    assert _resolve(app, fresh) is None


def test_deleted_record_token_means_guest(app: Palapy) -> None:
    user = insert_auth_record(app, "users", "u@x.co", "12345678")
    users = app.collections.find("users")
    assert users is not None
    token = mint_auth_token(app, users, user)
    app.db.write_sync(lambda conn: conn.execute("DELETE FROM users WHERE id = ?", (user["id"],)))
    assert _resolve(app, token) is None


def test_malformed_tokens_cost_no_database_read(app: Palapy, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_: object) -> None:
        raise AssertionError("the database was read for a malformed token")

    monkeypatch.setattr(tokens, "_fetch_record", fail)
    for header in ("x.y.z", "Bearer nope", "a" * 500):
        assert _resolve(app, header) is None


def test_lookup_errors_mean_guest(app: Palapy, monkeypatch: pytest.MonkeyPatch) -> None:
    su = insert_auth_record(app, "_superusers", "a@b.co", "pass123456")
    collection = app.collections.find("_superusers")
    assert collection is not None
    token = mint_auth_token(app, collection, su)

    def broken(*_: object) -> None:
        raise RuntimeError("database gone")

    monkeypatch.setattr(tokens, "_fetch_record", broken)
    assert _resolve(app, token) is None


def test_unverified_claims() -> None:
    assert unverified_claims("nope") == {}
    token = encode_hs256({"id": "x", "refreshable": False, "exp": int(time.time()) + 5}, "k" * 100)
    assert unverified_claims(token)["refreshable"] is False
