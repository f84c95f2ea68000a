"""API rules applied to records, through `palapy.rules`.

`None` means superusers only and `""` means everyone; both are decided here without SQL.
Any other rule is compiled by the rules engine and evaluated against the stored row
(`record_matches`) or against a would-be row in a one-row CTE (`new_record_matches`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import apsw

from palapy.core import App
from palapy.rules.evaluate import rule_matches_new_record, rule_matches_record
from palapy.rules.request_info import RequestInfo
from palapy.schema.model import Collection

__all__ = ["record_matches", "new_record_matches", "manage_access", "rule_allows_everyone"]


def rule_allows_everyone(rule: str | None) -> bool:
    return rule == ""


def _allowed(rule: str | None, request: RequestInfo, evaluate: Callable[[str], object]) -> bool:
    """Superusers pass every rule, `None` locks everyone else out and `""` lets everyone in;
    only a non-empty rule is evaluated (by SQL)."""
    if request.is_superuser:
        return True
    if rule is None:
        return False
    return rule == "" or bool(evaluate(rule))


def record_matches(
    app: App,
    conn: apsw.Connection,
    collection: Collection,
    record_id: str,
    rule: str | None,
    request: RequestInfo,
) -> bool:
    """Does the stored record `record_id` satisfy `rule` for `request`? (superusers: always)."""
    return _allowed(
        rule,
        request,
        lambda text: rule_matches_record(conn, collection, record_id, text, request, app.collections),
    )


def new_record_matches(
    app: App,
    conn: apsw.Connection,
    collection: Collection,
    db_values: dict[str, Any],
    rule: str | None,
    request: RequestInfo,
) -> bool:
    """Does a not yet stored row (`db_values`: column -> SQLite value) satisfy `rule`?"""
    return _allowed(
        rule,
        request,
        lambda text: rule_matches_new_record(conn, collection, db_values, text, request, app.collections),
    )


def manage_access(
    app: App,
    conn: apsw.Connection,
    collection: Collection,
    request: RequestInfo,
    *,
    record_id: str | None = None,
    db_values: dict[str, Any] | None = None,
) -> bool:
    """Whether the requester "manages" an auth record: a non-empty manageRule that matches
    (for guests, base collections and empty rules: never)."""
    if not collection.is_auth or request.auth is None:
        return False
    rule = collection.rule("manageRule")
    if not rule:
        return False
    try:
        if db_values is not None:
            return new_record_matches(app, conn, collection, db_values, rule, request)
        if record_id is not None:
            return record_matches(app, conn, collection, record_id, rule, request)
    except Exception:  # noqa: BLE001 - a broken manage rule only means "no manage access", as in PocketBase
        return False
    return False
