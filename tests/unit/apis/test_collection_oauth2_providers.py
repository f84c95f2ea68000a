"""`GET /api/collections/meta/oauth2-providers` in process, through the full ASGI app."""

from __future__ import annotations

from typing import Any

from palapy.app import Palapy
from palapy.tools.oauth2 import list_items
from tests.unit.collections.collections_support import Client, insert_auth_record

URL = "/api/collections/meta/oauth2-providers"


def _providers(app: Palapy, token: str = "", suffix: str = "") -> tuple[int, Any]:
    resp = Client(app, token=token).request("GET", URL + suffix)
    return resp.status_code, resp.json()


def test_guest_gets_401(app: Palapy) -> None:
    assert _providers(app) == (
        401,
        {"data": {}, "message": "The request requires valid record authorization token.", "status": 401},
    )


def test_invalid_token_is_a_guest(app: Palapy) -> None:
    assert _providers(app, "not-a-token")[0] == 401


def test_regular_user_gets_403(app: Palapy) -> None:
    _, token = insert_auth_record(app, "users", "u@x.co")
    assert _providers(app, token) == (
        403,
        {
            "data": {},
            "message": "The authorized record is not allowed to perform this action.",
            "status": 403,
        },
    )


def test_superuser_gets_the_sorted_list(app: Palapy) -> None:
    _, token = insert_auth_record(app, "_superusers", "su@x.co")
    status, body = _providers(app, token)
    assert status == 200
    assert body == list_items()
    assert body[0]["name"] == "apple" and body[1] == {**body[1], "name": "google", "displayName": "Google"}


def test_fields_picker_applies(app: Palapy) -> None:
    _, token = insert_auth_record(app, "_superusers", "su@x.co")
    status, body = _providers(app, token, "?fields=name")
    assert status == 200
    assert body == [{"name": i["name"]} for i in list_items()]


def test_collection_named_meta_does_not_shadow_the_route(app: Palapy) -> None:
    _, token = insert_auth_record(app, "_superusers", "su@x.co")
    client = Client(app, token=token)
    created = client.request("POST", "/api/collections", json={"name": "meta"})
    assert created.status_code == 200, created.text
    assert client.request("GET", URL).json() == list_items()
    assert client.request("GET", "/api/collections/meta").json()["name"] == "meta"


def test_oauth2_provider_names_are_validated_against_the_registry(app: Palapy) -> None:
    _, token = insert_auth_record(app, "_superusers", "su@x.co")
    client = Client(app, token=token)

    def patch(name: str) -> Any:
        body = {
            "oauth2": {"enabled": True, "providers": [{"name": name, "clientId": "c", "clientSecret": "s"}]}
        }
        return client.request("PATCH", "/api/collections/users", json=body)

    resp = patch("instagram")
    assert resp.status_code == 400
    error = resp.json()["data"]["oauth2"]["providers"]["0"]["name"]
    assert error["code"] == "validation_missing_provider"
    assert patch("planningcenter").status_code == 200
