"""Events of the auth request hooks (extra fields on top of the record request event)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from palapy.hooks.events import RecordRequestEvent

__all__ = ["RecordAuthRequestEvent", "RecordAuthWithPasswordRequestEvent"]


@dataclass(eq=False)
class RecordAuthRequestEvent(RecordRequestEvent):
    """`on_record_auth_request`: a successful authentication about to be answered.

    `token` is the token to return (handlers may replace it), `meta` the optional OAuth2 meta,
    `auth_method` the method name (`password`, `otp`, `oauth2`; `""` for refresh and
    impersonation, which skip MFA and login alerts). `result` receives the response body.
    """

    token: str = ""
    meta: Any = None
    auth_method: str = ""


@dataclass(eq=False)
class RecordAuthWithPasswordRequestEvent(RecordRequestEvent):
    """`on_record_auth_with_password_request`: `record` is the identity match (or None).

    Handlers may swap `record` (e.g. a custom lookup) before `e.next()` checks the password.
    """

    identity: str = ""
    password: str = ""
    identity_field: str = ""
