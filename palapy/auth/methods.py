"""The `auth-methods` answer: which ways of signing in an auth collection offers."""

from __future__ import annotations

from typing import Any

from palapy.auth.identity import identity_fields
from palapy.schema.model import Collection

__all__ = ["auth_methods"]


def _enabled_with_duration(collection: Collection, key: str) -> dict[str, Any]:
    section = collection.option_dict(key)
    enabled = bool(section.get("enabled"))
    return {"enabled": enabled, "duration": int(section.get("duration") or 0) if enabled else 0}


def auth_methods(collection: Collection) -> dict[str, Any]:
    """The answer for `collection`. OAuth2 provider links are not built yet: `providers` is empty."""
    password = collection.option_dict("passwordAuth")
    enabled = bool(password.get("enabled"))
    fields = identity_fields(collection) if enabled else []
    oauth2 = collection.option_dict("oauth2")
    return {
        "password": {"identityFields": fields, "enabled": enabled},
        "oauth2": {"providers": [], "enabled": bool(oauth2.get("enabled"))},
        "mfa": _enabled_with_duration(collection, "mfa"),
        "otp": _enabled_with_duration(collection, "otp"),
        # Legacy keys that pre-0.23 SDKs still read.
        "authProviders": [],
        "usernamePassword": enabled and "username" in fields,
        "emailPassword": enabled and "email" in fields,
    }
