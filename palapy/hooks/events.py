"""Event classes passed to hook handlers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import apsw

from palapy.hooks.hook import Event
from palapy.rules.request_info import RequestInfo
from palapy.schema.model import Collection
from palapy.subscriptions import Client, Message

__all__ = [
    "RecordEvent",
    "CollectionEvent",
    "RecordRequestEvent",
    "RecordAuthRequestEvent",
    "RecordAuthWithPasswordRequestEvent",
    "ServeEvent",
    "RecordEnrichEvent",
    "BatchRequestEvent",
    "RealtimeConnectRequestEvent",
    "RealtimeSubscribeRequestEvent",
    "RealtimeMessageEvent",
]


@dataclass(eq=False)
class RecordEvent(Event):
    """A record being validated, created, updated or deleted (model hooks, writer thread).

    `conn` is the writer connection inside the open transaction; `record` holds canonical
    values keyed by field name; `original` is the stored record before an update/delete.
    """

    collection: Collection
    record: dict[str, Any]
    original: dict[str, Any] | None = None
    conn: apsw.Connection | None = None
    request: RequestInfo | None = None
    error: BaseException | None = None


@dataclass(eq=False)
class RecordRequestEvent(Event):
    """An API request about records, before the default handler runs (async hooks)."""

    collection: Collection
    request: RequestInfo
    record: dict[str, Any] | None = None
    body: dict[str, Any] = field(default_factory=dict)
    result: Any = None
    # List requests: the page of records found (canonical values), before serialisation.
    records: list[dict[str, Any]] = field(default_factory=list)


@dataclass(eq=False)
class RecordEnrichEvent(Event):
    """A record about to be sent to a client; handlers may hide or add keys of `data`."""

    collection: Collection
    data: dict[str, Any]
    request: RequestInfo | None = None


@dataclass(eq=False)
class CollectionEvent(Event):
    """A collection being created, updated or deleted (writer thread)."""

    collection: Collection
    original: Collection | None = None
    conn: apsw.Connection | None = None
    request: RequestInfo | None = None
    error: BaseException | None = None


@dataclass(eq=False)
class BatchRequestEvent(Event):
    """`POST /api/batch`, validated, before its requests run in one transaction.

    `requests` are the submitted requests (handlers may change or reorder them); `request` is
    the batch request as rules see it; `result` receives the answer (a list of results).
    """

    request: RequestInfo
    requests: list[Any] = field(default_factory=list)
    result: Any = None


@dataclass(eq=False)
class RealtimeConnectRequestEvent(Event):
    """`GET /api/realtime`: a client connecting. The default action registers it and keeps the
    stream open until it goes, is discarded, or stays idle `idle_timeout` seconds (or is open
    `max_timeout` seconds); handlers may change both before `e.next()`."""

    request: RequestInfo
    client: Client
    idle_timeout: float = 300.0
    max_timeout: float = 1800.0


@dataclass(eq=False)
class RealtimeSubscribeRequestEvent(Event):
    """`POST /api/realtime`, validated: `subscriptions` replace the client's (handlers may
    change the list); the request's auth becomes the client's."""

    request: RequestInfo
    client: Client
    subscriptions: list[str] = field(default_factory=list)


@dataclass(eq=False)
class RealtimeMessageEvent(Event):
    """A message about to be written to a client's stream (`PB_CONNECT` included); handlers
    may change `message` or drop it by not calling `e.next()`."""

    client: Client
    message: Message
    request: RequestInfo | None = None


@dataclass(eq=False)
class ServeEvent(Event):
    """The server is about to start; `router` is the HTTP app being built."""

    app: Any
    router: Any = None


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
