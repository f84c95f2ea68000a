"""The `@request.*` values of a request as plain data, and paths read out of them.

`@request.method`, `@request.query.x`, `@request.body.x`, the plain auth fields... are always
bound as parameters; this module builds the nested mapping those identifiers read.
"""

from __future__ import annotations

from typing import Any

from palapy.rules.request_info import RequestInfo

__all__ = ["MissingValue", "request_values", "extract", "as_list", "to_param_value"]


class MissingValue(LookupError):
    """A path that does not exist in the request values."""


def request_values(request: RequestInfo | None) -> dict[str, Any]:
    """The nested mapping `@request.<path>` reads (auth: every field, hidden ones included)."""
    if request is None:
        return {}
    auth: dict[str, Any] | None = None
    if request.auth is not None:
        auth = dict(request.auth)
        if request.auth_collection is not None:
            auth.setdefault("collectionId", request.auth_collection.id)
            auth.setdefault("collectionName", request.auth_collection.name)
    return {
        "context": request.context,
        "method": request.method,
        "query": dict(request.query),
        "headers": dict(request.headers),
        "body": request.body,
        "auth": auth,
    }


def extract(data: Any, keys: list[str]) -> Any:
    """Walk maps by key and lists by index; anything else (or a missing key) is MissingValue."""
    cur = data
    for key in keys:
        if isinstance(cur, dict):
            if key not in cur:
                raise MissingValue(key)
            cur = cur[key]
        elif isinstance(cur, (list, tuple)):
            idx = int(key) if key.isascii() and key.isdigit() else -1
            if idx < 0 or idx >= len(cur):
                raise MissingValue(key)
            cur = cur[idx]
        else:
            raise MissingValue(key)
    return cur


def as_list(value: Any) -> list[Any]:
    """A value as the list of its items: None is empty, a scalar is one item."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def to_param_value(value: Any) -> Any:
    """A request value as Go would bind it: numbers are float64, bools stay 0/1."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, float)):
        return value
    if isinstance(value, int):
        return float(value)
    return value
