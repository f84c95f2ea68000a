"""The MFA gate of every auth response (PocketBase's checkMFA).

When the collection has `mfa.enabled` (and the optional `mfa.rule` matches the record), a
first successful factor does not get a token: an `_mfas` row is stored and the client gets
`401 {"mfaId": "..."}`. A later auth with a *different* method that sends that `mfaId`
(query or body) consumes the row and gets the token. Refresh and impersonation (auth method
`""`) skip the gate.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import apsw

from palapy.core import App
from palapy.records.access import record_matches
from palapy.records.rows import empty_record, fetch_record
from palapy.records.service import delete_record_in_tx, save_record_in_tx
from palapy.rules.request_info import RequestInfo
from palapy.schema.model import Collection
from palapy.schema.system import MFAS
from palapy.tools.dates import parse_datetime
from palapy.tools.errors import ApiError

__all__ = ["MFARequired", "check_mfa"]


class MFARequired(ApiError):
    """The first factor succeeded; the answer is `401 {"mfaId": ...}` and nothing else."""

    def __init__(self, mfa_id: str) -> None:
        super().__init__(401, "MFA required.")
        self.mfa_id = mfa_id

    def to_dict(self) -> dict[str, Any]:
        return {"mfaId": self.mfa_id}


async def _wants_mfa(app: App, collection: Collection, record: dict[str, Any], info: RequestInfo) -> bool:
    """An empty rule means every record; a rule that cannot be evaluated fails the login."""
    rule = str(collection.option_dict("mfa").get("rule") or "")
    if not rule:
        return True

    try:
        return bool(
            await app.db.read(lambda conn: record_matches(app, conn, collection, record["id"], rule, info))
        )
    except Exception as exc:
        raise ApiError(400, "Failed to authenticate.") from exc


def _expired(mfa: dict[str, Any], duration: int) -> bool:
    created = parse_datetime(str(mfa.get("created") or ""))
    return created is None or datetime.now(UTC) - created > timedelta(seconds=duration)


async def check_mfa(
    app: App,
    info: RequestInfo,
    collection: Collection,
    record: dict[str, Any],
    auth_method: str,
    read_mfa_id: Callable[[], str],
) -> None:
    """Pass silently when no (more) MFA is needed; raise MFARequired or a 400 otherwise.

    `read_mfa_id()` returns the `mfaId` the client sent (query first, then body) and may raise
    ApiError 400 when the body cannot be read; it is only called when MFA applies.
    """
    options = collection.option_dict("mfa")
    if not options.get("enabled") or not auth_method:
        return
    if not await _wants_mfa(app, collection, record, info):
        return
    mfas = app.collections.find(MFAS)
    if mfas is None:
        raise ApiError(500, "Failed to create MFA record.")

    mfa_id = read_mfa_id()
    if not mfa_id:
        mfa = empty_record(mfas)
        mfa.update(collectionRef=collection.id, recordRef=record["id"], method=auth_method)

        def create(conn: apsw.Connection) -> dict[str, Any]:
            return save_record_in_tx(app, conn, mfas, mfa, None, None)

        saved = await app.db.write(create)
        raise MFARequired(str(saved["id"]))

    found = await app.db.read(lambda conn: fetch_record(conn, mfas, mfa_id))

    async def delete() -> None:
        if found is not None:
            await app.db.write(lambda conn: delete_record_in_tx(app, conn, mfas, found, None))

    if found is None or _expired(found, int(options.get("duration") or 0)):
        await delete()
        raise ApiError(400, "Invalid or expired MFA session.")
    if found.get("recordRef") != record["id"] or found.get("collectionRef") != collection.id:
        raise ApiError(400, "Invalid MFA session.")
    if found.get("method") == auth_method:
        raise ApiError(400, "A different authentication method is required.")
    await delete()
