"""`GET /api/realtime` (the Server-Sent Events stream) and `POST /api/realtime` (subscriptions).

As PocketBase serves them:
- The stream starts with `PB_CONNECT` (`{"clientId": ...}`) and then carries the client's
  messages, framed `id:<clientId>` `event:<name>` `data:<json>`. It has no keep-alive; it ends
  after 5 idle minutes, after 30 minutes in any case, when the client goes, when the client
  falls too far behind (see `subscriptions.client`), or once it has carried `MAX_STREAM_BYTES`.
  The SDK then reconnects.
- A subscription request replaces the client's subscriptions and binds its own auth to the
  client. It must come from the client's IP, and once a client has an auth, a request with
  another auth (or none) is refused.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from palapy.auth.forms import FORM_STR, FORM_STRS, FormLoadError, bind_form
from palapy.hooks.events import (
    RealtimeConnectRequestEvent,
    RealtimeMessageEvent,
    RealtimeSubscribeRequestEvent,
)
from palapy.realtime import IP_KEY, bind_auth, client_auth, is_same_auth
from palapy.records.body import parse_urlencoded
from palapy.rules.request_info import RequestInfo
from palapy.subscriptions import Client, Message
from palapy.subscriptions.message import sse_frame
from palapy.tools.errors import MSG_BAD_REQUEST, ApiError
from palapy.tools.validation_errors import length, required, sort_errors
from palapy.web.request import Request
from palapy.web.response import STREAMED, Response, empty_response
from palapy.web.routing import Route
from palapy.web.stream import Stream, StreamClosed

__all__ = ["ROUTES"]

log = logging.getLogger("palapy.realtime")

SSE_HEADERS = [
    ("content-type", "text/event-stream"),
    ("cache-control", "no-store"),
    ("x-accel-buffering", "no"),  # no buffering behind nginx
]
MSG_MISSING_CLIENT = "Missing or invalid client id."
MSG_INVALID_CLIENT = "Invalid realtime client."
MSG_AUTH_MISMATCH = "The current and the previous request authorization don't match."
# Granian queues what a stream writes without limit (its RSGI stream is an unbounded channel),
# so a client that stops reading cannot be told from one that reads: each connection ends once
# it has carried this much, which bounds what a stalled one can pin. The SDK reconnects.
MAX_STREAM_BYTES = 8 << 20
MAX_SUBSCRIPTIONS = 1000
MAX_SUBSCRIPTION_LENGTH = 2500
_FORM = {"clientId": FORM_STR, "subscriptions": FORM_STRS}


# -- the stream ----------------------------------------------------------------------------


class _Connection:
    """One open stream: writes a client's messages through the message hook.

    A write to a client that stopped reading may never finish; discarding the client (its
    outbox overflowed, it timed out or it went) cancels that write, so the connection ends.
    """

    def __init__(self, request: Request, info: RequestInfo, client: Client, stream: Stream) -> None:
        self.request = request
        self.info = info
        self.client = client
        self.stream = stream
        self.hook = request.app.hooks.on_realtime_message_send
        self.task = asyncio.current_task()
        self.writing = False
        self.sent = 0
        client.on_discard = self._abort

    def _abort(self) -> None:
        if self.writing and self.task is not None:
            self.task.cancel()

    async def write(self, messages: list[Message]) -> bool:
        """Write `messages`; False once the connection cannot go on."""
        client_id = self.client.id
        self.writing = True
        try:
            if not self.hook.length():
                data = b"".join(sse_frame(client_id, m) for m in messages)
                self.sent += len(data)
                await self.stream.send(data)
                return self.sent < MAX_STREAM_BYTES
            for message in messages:
                event = RealtimeMessageEvent(client=self.client, message=message, request=self.info)

                async def final(e: RealtimeMessageEvent) -> None:
                    data = sse_frame(client_id, e.message)
                    self.sent += len(data)
                    await self.stream.send(data)

                await self.hook.atrigger(event, final)
            return self.sent < MAX_STREAM_BYTES
        except StreamClosed:
            return False
        except asyncio.CancelledError:
            if not self.client.discarded or self.task is None:
                raise
            self.task.uncancel()  # our own cancel (see _abort): end the connection quietly
            return False
        except Exception:  # noqa: BLE001 - as in PocketBase, a failed message ends the connection
            log.debug("realtime: closing %s after a failed message", client_id, exc_info=True)
            return False
        finally:
            self.writing = False


async def _serve(request: Request, event: RealtimeConnectRequestEvent) -> None:
    """Register the client and stream to it until it goes, idles or outlives its time."""
    app = request.app
    client = event.client
    loop = asyncio.get_running_loop()
    stream = request.open_stream(200, SSE_HEADERS)
    connection = _Connection(request, event.request, client, stream)
    client.attach(loop)
    app.subscriptions.register(client)
    gone = asyncio.ensure_future(request.disconnected())
    gone.add_done_callback(lambda _: client.discard())
    end_of_life = loop.call_later(event.max_timeout, client.discard)
    idle = loop.call_later(event.idle_timeout, client.discard)
    try:
        connect = Message("PB_CONNECT", b'{"clientId":"' + client.id.encode() + b'"}')
        if not await connection.write([connect]):
            return
        while True:
            await client.wait()
            if client.discarded:
                return
            if not await connection.write(client.take()):
                return
            idle.cancel()
            idle = loop.call_later(event.idle_timeout, client.discard)
    finally:
        client.on_discard = None
        gone.cancel()
        end_of_life.cancel()
        idle.cancel()
        app.subscriptions.unregister(client.id)


async def realtime_connect(request: Request) -> Response:
    """Open the client's event stream."""
    info = await request.info()
    info.context = "realtime"
    client = Client()
    client.store[IP_KEY] = request.client_ip
    event = RealtimeConnectRequestEvent(request=info, client=client)

    async def final(e: RealtimeConnectRequestEvent) -> None:
        await _serve(request, e)

    await request.app.hooks.on_realtime_connect_request.atrigger(event, final)
    # A handler that stopped the chain before the stream opened leaves an empty answer.
    return STREAMED if request.streamed else Response(200, list(SSE_HEADERS))


# -- subscriptions -------------------------------------------------------------------------


def _validate(client_id: str, subscriptions: list[str]) -> None:
    errors: dict[str, Any] = {}
    if not client_id:
        errors["clientId"] = required()
    else:
        problem = length(client_id, 1, 255)
        if problem is not None:
            errors["clientId"] = problem
    if len(subscriptions) > MAX_SUBSCRIPTIONS:
        errors["subscriptions"] = length("x" * len(subscriptions), 0, MAX_SUBSCRIPTIONS)
    else:
        each = {}
        for i, sub in enumerate(subscriptions):
            problem = length(sub, 0, MAX_SUBSCRIPTION_LENGTH)
            if problem is not None:
                each[str(i)] = problem
        if each:
            errors["subscriptions"] = each
    if errors:
        raise ApiError(400, MSG_BAD_REQUEST, sort_errors(errors))


async def realtime_subscribe(request: Request) -> Response:
    """Replace a client's subscriptions and bind this request's auth to it: 204."""
    app = request.app
    raw = await request.body()
    query = parse_urlencoded(request.query_string.encode()) if request.query_string else {}
    try:
        form = bind_form(request.header("content-type"), raw, _FORM, query)
    except FormLoadError as exc:
        raise ApiError(400, MSG_BAD_REQUEST) from exc
    client_id: str = form["clientId"]
    subscriptions: list[str] = form["subscriptions"]
    _validate(client_id, subscriptions)
    client = app.subscriptions.client(client_id)
    if client is None:
        raise ApiError(404, MSG_MISSING_CLIENT)
    ip = client.store.get(IP_KEY, "")
    if ip and ip != request.client_ip:
        raise ApiError(400, MSG_INVALID_CLIENT)
    info = await request.info()
    auth = (info.auth_collection, info.auth) if info.auth is not None and info.auth_collection else None
    current = client_auth(client)
    # Only a guest may become someone; any other change of auth is refused.
    if current is not None and not is_same_auth(current, auth):
        raise ApiError(403, MSG_AUTH_MISMATCH)
    event = RealtimeSubscribeRequestEvent(request=info, client=client, subscriptions=list(subscriptions))

    async def final(e: RealtimeSubscribeRequestEvent) -> Response:
        who = e.request
        bind_auth(e.client, (who.auth_collection, who.auth) if who.auth and who.auth_collection else None)
        e.client.unsubscribe()
        e.client.subscribe(*e.subscriptions)
        return empty_response(204)

    result = await app.hooks.on_realtime_subscribe_request.atrigger(event, final)
    # A handler that stopped the chain without answering leaves Go's empty 200.
    return result if isinstance(result, Response) else Response(200)


ROUTES = [
    Route("GET", "/api/realtime", realtime_connect),
    Route("POST", "/api/realtime", realtime_subscribe),
]
