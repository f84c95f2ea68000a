"""Impersonation tokens: their lifetime and what they may do (the answers themselves are proven
against PocketBase in tests/api/test_record_auth_impersonate.py)."""

from __future__ import annotations

import base64
import json
import time

import pytest

from palapy.app import Palapy
from tests.unit.auth.auth_support import Client, insert_auth_record, update_collection_options


def _claims(token: str) -> dict[str, object]:
    segment = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))))


@pytest.fixture
def superuser_token(app: Palapy, client: Client) -> str:
    insert_auth_record(app, "_superusers", "root@example.com", "pass123456")
    res = client.login("_superusers", {"identity": "root@example.com", "password": "pass123456"})
    assert res.status_code == 200, res.text
    return str(res.json()["token"])


@pytest.mark.parametrize(
    ("body", "lifetime"), [({"duration": 120}, 120), ({}, 4321), ({"duration": 0}, 4321)]
)
def test_the_token_lives_for_the_duration_or_the_collections_auth_token_duration(
    app: Palapy, client: Client, superuser_token: str, body: dict[str, int], lifetime: int
) -> None:
    update_collection_options(app, "users", authToken={"duration": 4321})
    user = insert_auth_record(app, "users", "u@example.com", "pass123456")["id"]
    before = int(time.time())
    res = client.request(
        "POST",
        f"/api/collections/users/impersonate/{user}",
        json=body,
        headers={"Authorization": superuser_token},
    )
    assert res.status_code == 200, res.text
    claims = _claims(res.json()["token"])
    assert claims["refreshable"] is False and claims["id"] == user
    assert before + lifetime <= int(str(claims["exp"])) <= int(time.time()) + lifetime


def test_an_impersonation_token_is_a_user_token_not_a_superuser_one(
    app: Palapy, client: Client, superuser_token: str
) -> None:
    user = insert_auth_record(app, "users", "u@example.com", "pass123456")["id"]
    token = client.request(
        "POST", f"/api/collections/users/impersonate/{user}", headers={"Authorization": superuser_token}
    ).json()["token"]
    res = client.request(
        "POST", f"/api/collections/users/impersonate/{user}", headers={"Authorization": token}
    )
    assert res.status_code == 403
    assert client.request("GET", "/api/collections", headers={"Authorization": token}).status_code == 403
