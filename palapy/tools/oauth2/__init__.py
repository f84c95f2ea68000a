"""OAuth2: the registry of PocketBase's built-in providers (names, defaults, neutral logos).

`routes.py` serves `GET /api/collections/meta/oauth2-providers`; it is imported by `palapy.http.app`
directly, not from here, so importing this package never pulls in Litestar.
"""

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
