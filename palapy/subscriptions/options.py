"""`topic?options=<JSON {"query": {...}, "headers": {...}}>`: what a subscription carries.

Read as PocketBase reads it: the topic is parsed as a URL, the first `options` query value is
decoded as JSON, its values become strings (`cast.ToString`: numbers the Go way, anything
structured as "") and its header names are snake-cased. Anything unreadable is no options.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from palapy.tools import jsonx
from palapy.tools.gocast import go_string
from palapy.tools.inflector import snakecase

__all__ = ["SubscriptionOptions", "parse_options", "EMPTY_OPTIONS"]

_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class SubscriptionOptions:
    """A subscription's `query` (e.g. `fields`, `expand`, `filter`) and `headers` (snake_case)."""

    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


EMPTY_OPTIONS = SubscriptionOptions()


def _query_value(raw_query: str, key: str) -> str | None:
    """The first value of `key` in a query string, as Go's `url.ParseQuery(...).Get` reads it:
    pairs with a `;` or a bad escape are skipped, `+` is a space."""
    for pair in raw_query.split("&"):
        if not pair or ";" in pair:
            continue
        name, _, value = pair.partition("=")
        if _BAD_ESCAPE.search(name) or _BAD_ESCAPE.search(value):
            continue
        if unquote(name.replace("+", " ")) == key:
            return unquote(value.replace("+", " "))
    return None


def _object_field(obj: dict[str, Any], name: str) -> Any:
    """A struct field as Go's decoder fills it: the exact key, else the last case-insensitive one."""
    if name in obj:
        return obj[name]
    found = None
    for key, value in obj.items():
        if key.lower() == name:
            found = value
    return found


def parse_options(subscription: str) -> SubscriptionOptions:
    """The options of `subscription` (empty when it has none or they cannot be read)."""
    if "?" not in subscription:
        return EMPTY_OPTIONS
    url = subscription.split("#", 1)[0]
    path, sep, raw_query = url.partition("?")
    # Go's url.Parse refuses control characters and bad escapes: then there are no options.
    if not sep or _CONTROL.search(subscription) or _BAD_ESCAPE.search(path):
        return EMPTY_OPTIONS
    raw = _query_value(raw_query, "options")
    if not raw:
        return EMPTY_OPTIONS
    try:
        decoded = jsonx.decode(raw)
    except (jsonx.DecodeError, UnicodeError):
        return EMPTY_OPTIONS
    if not isinstance(decoded, dict):
        return EMPTY_OPTIONS
    query = _object_field(decoded, "query")
    headers = _object_field(decoded, "headers")
    return SubscriptionOptions(
        query={k: go_string(v) for k, v in query.items()} if isinstance(query, dict) else {},
        headers={snakecase(k): go_string(v) for k, v in headers.items()} if isinstance(headers, dict) else {},
    )
