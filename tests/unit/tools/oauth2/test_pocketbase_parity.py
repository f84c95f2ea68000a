"""Differential checks of the provider registry against the real PocketBase 0.40.6 binary.

1. `GET /api/collections/meta/oauth2-providers`: the same names, display names and order.
2. `auth-methods` with every provider enabled on `users`: each provider's default authorization
   URL, default scopes, PKCE default and extra URL parameters, as PocketBase builds them.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qsl

import httpx
import pytest

from palapy.tools.oauth2 import PROVIDERS, list_items
from tests.harness import servers

pytestmark = pytest.mark.pocketbase

# The parameters every authorization URL carries; anything else is a provider's extra.
_STANDARD = {
    "client_id",
    "response_type",
    "scope",
    "state",
    "redirect_uri",
    "code_challenge",
    "code_challenge_method",
}


@pytest.fixture(scope="module")
def pocketbase(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    root = tmp_path_factory.mktemp("pocketbase")
    servers.upsert_superuser("pocketbase", root, "su@x.co", "pass123456")
    server = servers.start_server("pocketbase", root)
    try:
        with httpx.Client(base_url=server.base_url, timeout=30) as client:
            auth = client.post(
                "/api/collections/_superusers/auth-with-password",
                json={"identity": "su@x.co", "password": "pass123456"},
            )
            assert auth.status_code == 200, auth.text
            client.headers["Authorization"] = auth.json()["token"]
            yield client
    finally:
        server.stop()


def test_names_display_names_and_order_match(pocketbase: httpx.Client) -> None:
    resp = pocketbase.get("/api/collections/meta/oauth2-providers")
    assert resp.status_code == 200
    expected = [(p["name"], p["displayName"]) for p in resp.json()]
    assert [(p["name"], p["displayName"]) for p in list_items()] == expected


def test_default_auth_urls_scopes_and_pkce_match(pocketbase: httpx.Client) -> None:
    names = [p["name"] for p in pocketbase.get("/api/collections/meta/oauth2-providers").json()]
    configs = [{"name": n, "clientId": "cid", "clientSecret": "secret"} for n in names]
    patched = pocketbase.patch(
        "/api/collections/users", json={"oauth2": {"enabled": True, "providers": configs}}
    )
    assert patched.status_code == 200, patched.text
    methods = pocketbase.get("/api/collections/users/auth-methods").json()["oauth2"]["providers"]
    assert [m["name"] for m in methods] == names

    for method in methods:
        ours = PROVIDERS[method["name"]]
        url = method["authURL"]
        assert url.endswith("&redirect_uri=")
        base, _, query = url.partition("?")
        params = dict(parse_qsl(query, keep_blank_values=True))
        assert base == ours.auth_url, ours.name
        assert params.get("scope", "").split() == list(ours.scopes), ours.name
        assert (method["codeChallengeMethod"] == "S256") is ours.pkce, ours.name
        extras = tuple(sorted((k, v) for k, v in params.items() if k not in _STANDARD))
        assert extras == tuple(sorted(ours.auth_url_params)), ours.name


def test_pocketbase_rejects_a_name_outside_the_registry(pocketbase: httpx.Client) -> None:
    assert "instagram" not in PROVIDERS
    body = {
        "oauth2": {
            "enabled": True,
            "providers": [{"name": "instagram", "clientId": "c", "clientSecret": "s"}],
        }
    }
    resp = pocketbase.patch("/api/collections/users", json=body)
    assert resp.status_code == 400
    assert resp.json()["data"]["oauth2"]["providers"]["0"]["name"]["code"] == "validation_missing_provider"


def test_logos_are_not_pocketbase_artwork(pocketbase: httpx.Client) -> None:
    theirs = {p["name"]: p["logo"] for p in pocketbase.get("/api/collections/meta/oauth2-providers").json()}
    for item in list_items():
        assert item["logo"] != theirs[item["name"]]
