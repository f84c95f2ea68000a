"""The OAuth2 provider registry: shape, order, lookups, and its use by collection validation."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from palapy.collections.options_validation import OAUTH2_PROVIDER_NAMES
from palapy.tools.oauth2 import PROVIDERS, get_provider, list_items, provider_names, sorted_providers


def test_every_entry_is_registered_under_its_own_name() -> None:
    assert len(PROVIDERS) == 32
    for name, provider in PROVIDERS.items():
        assert provider.name == name
        assert provider.display_name
        assert provider.order > 0


def test_list_order_is_by_order_then_name() -> None:
    keys = [(p.order, p.name) for p in sorted_providers()]
    assert keys == sorted(keys)
    # The three OIDC slots share one order and fall back to the name.
    assert [p.name for p in sorted_providers()][-3:] == ["oidc", "oidc2", "oidc3"]
    assert sorted_providers()[0].name == "apple"


def test_list_items_have_exactly_the_api_keys() -> None:
    items = list_items()
    assert [i["name"] for i in items] == [p.name for p in sorted_providers()]
    for item in items:
        assert list(item) == ["name", "displayName", "logo"]
        assert item["logo"].startswith("<svg ")
    assert {"name": "vk", "displayName": "ВКонтакте"}.items() <= next(
        i for i in items if i["name"] == "vk"
    ).items()


def test_lookup() -> None:
    google = get_provider("google")
    assert google is not None and google.display_name == "Google" and google.pkce is True
    assert get_provider("instagram") is None  # the retired provider; only "instagram2" exists
    assert get_provider("") is None
    assert provider_names() == frozenset(PROVIDERS)


def test_default_urls_are_absolute_https_or_empty() -> None:
    for p in PROVIDERS.values():
        for url in (p.auth_url, p.token_url, p.user_info_url, p.jwks_url):
            assert url == "" or (urlsplit(url).scheme == "https" and urlsplit(url).hostname), (p.name, url)


@pytest.mark.parametrize("name", ["oidc", "oidc2", "oidc3", "mailcow"])
def test_self_hosted_providers_have_no_default_urls(name: str) -> None:
    p = PROVIDERS[name]
    assert (p.auth_url, p.token_url, p.user_info_url) == ("", "", "")


def test_pkce_is_off_only_where_the_provider_rejects_it() -> None:
    assert {p.name for p in PROVIDERS.values() if not p.pkce} == {"bitbucket", "vk", "linear"}


def test_apple_extras() -> None:
    apple = PROVIDERS["apple"]
    assert apple.auth_url_params == (("response_mode", "form_post"),)
    assert apple.jwks_url.endswith("/auth/keys") and apple.user_info_url == ""
    assert all(not p.auth_url_params for p in PROVIDERS.values() if p.name != "apple")


def test_collection_validation_uses_the_registry() -> None:
    assert OAUTH2_PROVIDER_NAMES is provider_names()
