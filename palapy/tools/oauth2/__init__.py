"""OAuth2: PocketBase's built-in providers as data (names, defaults, neutral logos)."""

from palapy.tools.oauth2.providers import (
    PROVIDERS,
    OAuth2Provider,
    get_provider,
    list_items,
    provider_names,
    sorted_providers,
)

__all__ = [
    "PROVIDERS",
    "OAuth2Provider",
    "get_provider",
    "list_items",
    "provider_names",
    "sorted_providers",
]
