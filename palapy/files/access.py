"""Who may download a protected file: the `?token=` file token, judged by the viewRule.

PocketBase ignores the Authorization header here. The file token's record becomes
`@request.auth` and `@request.context` is `protectedFile`; the collection's viewRule then
decides (`""` lets everyone in, even without a token; `null` only superusers). A superuser
token from outside the `superuserIPs` allow-list counts as no token at all.
"""

from __future__ import annotations

import dataclasses
import logging

from palapy.auth.tokens import TOKEN_FILE, find_record_by_token
from palapy.core import App
from palapy.records.access import record_matches
from palapy.rules.request_info import RequestInfo
from palapy.schema.model import Collection
from palapy.schema.system import SUPERUSERS
from palapy.tools.security.ip_ranges import ip_in_list

__all__ = ["PROTECTED_FILE_CONTEXT", "file_token_requester", "can_download_protected"]

log = logging.getLogger("palapy.files")

PROTECTED_FILE_CONTEXT = "protectedFile"


def _ip_allowed(app: App, client_ip: str) -> bool:

    allowed = app.settings.get("superuserIPs") or []
    if not isinstance(allowed, list) or not allowed:
        return True
    return ip_in_list(client_ip, [str(a) for a in allowed])


async def file_token_requester(app: App, token: str, base: RequestInfo, client_ip: str = "") -> RequestInfo:
    """`base` (method, headers, query of the request) with the file token's record as the
    requester and the `protectedFile` context; an invalid token leaves a guest."""
    auth = auth_collection = None
    if token:
        try:
            found = await find_record_by_token(app, token, (TOKEN_FILE,))
        except Exception:  # a broken token or lookup only means "no requester"
            log.warning("file token lookup failed", exc_info=True)
            found = None
        if found is not None:
            auth, auth_collection = found[0], found[1]
    if auth_collection is not None and auth_collection.name == SUPERUSERS and not _ip_allowed(app, client_ip):
        auth = auth_collection = None
    return dataclasses.replace(
        base, auth=auth, auth_collection=auth_collection, context=PROTECTED_FILE_CONTEXT
    )


async def can_download_protected(
    app: App, collection: Collection, record_id: str, requester: RequestInfo
) -> bool:
    """Whether `requester` passes `collection`'s viewRule for the stored record `record_id`."""
    rule = collection.rule("viewRule")
    try:
        return await app.db.read(
            lambda conn: record_matches(app, conn, collection, record_id, rule, requester)
        )
    except Exception:  # a rule that fails to evaluate denies, like PocketBase's CanAccessRecord
        log.warning("viewRule of %s failed for a protected file", collection.name, exc_info=True)
        return False
