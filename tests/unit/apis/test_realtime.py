"""Realtime in process: what the scenario table cannot reach (hooks, timeouts, disconnects,
slow subscribers, custom topics, order, rollbacks)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from palapy.apis import create_rsgi
from palapy.app import Palapy
from palapy.hooks.events import (
    RealtimeConnectRequestEvent,
    RealtimeMessageEvent,
    RealtimeSubscribeRequestEvent,
    RecordEvent,
)
from palapy.realtime import IP_KEY
from palapy.schema.fields import TextField
from palapy.subscriptions import Message
from palapy.subscriptions.client import MAX_PENDING_MESSAGES
from tests.harness.rsgi_client import RsgiTransport
from tests.harness.sse import InProcessEventStream, SseEvent, _StreamProto, _Transport
from tests.unit.records.records_support import add_collection

OPEN = {"listRule": "", "viewRule": "", "createRule": "", "updateRule": "", "deleteRule": ""}
ITEMS = "/api/collections/items/records"


class Realtime:
    """palapy's RSGI app on one event loop, with realtime streams and plain requests."""

    def __init__(self, app: Palapy) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()
        self.rsgi = create_rsgi(app)
        self.http = httpx.AsyncClient(transport=RsgiTransport(self.rsgi), base_url="http://127.0.0.1:8090")
        self.streams: list[InProcessEventStream] = []

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self.loop.run_until_complete(self.http.request(method, url, **kwargs))

    def connect(self) -> tuple[InProcessEventStream, str]:
        stream = InProcessEventStream(self.rsgi, self.loop, {})
        self.streams.append(stream)
        self.pause(0.02)
        events = stream.snapshot()
        assert events and events[0].event == "PB_CONNECT", events
        return stream, events[0].id

    def subscribe(self, client_id: str, *subscriptions: str, token: str = "") -> httpx.Response:
        headers = {"Authorization": token} if token else {}
        body = {"clientId": client_id, "subscriptions": list(subscriptions)}
        return self.request("POST", "/api/realtime", json=body, headers=headers)

    def pause(self, seconds: float = 0.05) -> None:
        self.loop.run_until_complete(asyncio.sleep(seconds))

    def close(self) -> None:
        for stream in self.streams:
            stream.close()
        self.loop.run_until_complete(self.http.aclose())
        pending = [t for t in asyncio.all_tasks(self.loop) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            self.loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        self.loop.close()


@pytest.fixture
def rt(app: Palapy) -> Iterator[Realtime]:
    add_collection(app, "base", "items", [TextField(name="title")], **OPEN)
    r = Realtime(app)
    yield r
    r.close()


def _events(stream: InProcessEventStream) -> list[SseEvent]:
    return [e for e in stream.snapshot() if e.event != "PB_CONNECT"]


def test_a_connect_handler_may_shorten_the_idle_time_and_the_idle_client_is_let_go(
    app: Palapy, rt: Realtime
) -> None:
    def short(e: RealtimeConnectRequestEvent) -> Any:
        e.idle_timeout = 0.2
        return e.next()

    app.hooks.on_realtime_connect_request.bind(short)
    stream, _ = rt.connect()
    assert app.subscriptions.count() == 1
    rt.pause(0.4)
    assert stream.ended
    assert app.subscriptions.count() == 0


def test_messages_keep_a_client_from_idling_but_not_past_its_maximum(app: Palapy, rt: Realtime) -> None:
    def short(e: RealtimeConnectRequestEvent) -> Any:
        e.idle_timeout, e.max_timeout = 0.3, 1.0
        return e.next()

    app.hooks.on_realtime_connect_request.bind(short)
    stream, cid = rt.connect()
    assert rt.subscribe(cid, "ping").status_code == 204
    for _ in range(8):  # 0.2 s apart: never idle for 0.3 s, but on for 1.6 s
        app.subscriptions.publish("ping", b"{}")
        rt.pause(0.2)
    assert stream.ended
    assert 4 <= len(_events(stream)) <= 6


def test_a_client_that_disconnects_is_unregistered(app: Palapy, rt: Realtime) -> None:
    stream, cid = rt.connect()
    rt.subscribe(cid, "items")
    stream.close()
    rt.pause()
    assert app.subscriptions.count() == 0
    assert rt.subscribe(cid, "items").status_code == 404


def test_the_message_hook_sees_every_message_and_may_change_or_drop_it(app: Palapy, rt: Realtime) -> None:
    seen: list[str] = []

    def on_send(e: RealtimeMessageEvent) -> Any:
        seen.append(e.message.name)
        if e.message.name == "secret":
            return None
        if e.message.name == "loud":
            e.message = Message("loud", b'{"changed":true}')
        return e.next()

    app.hooks.on_realtime_message_send.bind(on_send)
    stream, cid = rt.connect()
    rt.subscribe(cid, "secret", "loud")
    app.subscriptions.publish("secret", b"{}")
    app.subscriptions.publish("loud", b"{}")
    rt.pause()
    assert seen == ["PB_CONNECT", "secret", "loud"]
    assert [(e.event, e.data) for e in _events(stream)] == [("loud", '{"changed":true}')]


def test_the_subscribe_hook_may_change_the_topics_or_refuse_silently(app: Palapy, rt: Realtime) -> None:
    def on_subscribe(e: RealtimeSubscribeRequestEvent) -> Any:
        if "forbidden" in e.subscriptions:
            return None  # the chain stops: nothing changes
        e.subscriptions = [*e.subscriptions, "extra"]
        return e.next()

    app.hooks.on_realtime_subscribe_request.bind(on_subscribe)
    _, cid = rt.connect()
    assert rt.subscribe(cid, "items").status_code == 204
    client = app.subscriptions.client(cid)
    assert client is not None
    assert sorted(client.subscriptions()) == ["extra", "items"]
    res = rt.subscribe(cid, "forbidden")
    assert (res.status_code, res.content) == (200, b"")
    assert sorted(client.subscriptions()) == ["extra", "items"]


def test_hooks_can_broadcast_to_custom_topics(app: Palapy, rt: Realtime) -> None:
    def announce(e: RecordEvent) -> Any:
        data = json.dumps({"title": e.record["title"]}).encode()
        app.subscriptions.publish("announcements", data)
        return e.next()

    app.hooks.on_record_after_create_success.bind(announce)
    listener, cid = rt.connect()
    other, other_id = rt.connect()
    rt.subscribe(cid, "announcements")
    rt.subscribe(other_id, "announcements?options=%7B%7D")  # another subscription string
    assert rt.request("POST", ITEMS, json={"title": "news"}).status_code == 200
    rt.pause()
    assert [(e.event, json.loads(e.data)) for e in _events(listener)] == [
        ("announcements", {"title": "news"})
    ]
    assert _events(other) == []


def test_a_subscription_from_another_ip_is_refused(app: Palapy, rt: Realtime) -> None:
    _, cid = rt.connect()
    client = app.subscriptions.client(cid)
    assert client is not None
    client.store[IP_KEY] = "10.0.0.9"
    res = rt.subscribe(cid, "items")
    assert res.status_code == 400
    assert res.json() == {"status": 400, "message": "Invalid realtime client.", "data": {}}


def test_events_of_one_record_arrive_in_commit_order(app: Palapy, rt: Realtime) -> None:
    stream, cid = rt.connect()
    rt.subscribe(cid, "items")
    created = rt.request("POST", ITEMS, json={"title": "v0"}).json()
    for i in range(1, 30):
        rt.request("PATCH", f"{ITEMS}/{created['id']}", json={"title": f"v{i}"})
    rt.pause(0.2)
    titles = [json.loads(e.data)["record"]["title"] for e in _events(stream)]
    assert titles == [f"v{i}" for i in range(30)]


def test_a_delete_rolled_back_with_its_batch_sends_nothing(app: Palapy, rt: Realtime) -> None:
    app.settings["batch"] = {"enabled": True, "maxRequests": 10, "timeout": 3}
    item = rt.request("POST", ITEMS, json={"title": "stays"}).json()
    stream, cid = rt.connect()
    rt.subscribe(cid, "items", f"items/{item['id']}")
    requests = [
        {"method": "DELETE", "url": f"{ITEMS}/{item['id']}"},
        {"method": "PATCH", "url": f"{ITEMS}/missing0000000", "body": {"title": "x"}},
    ]
    res = rt.request("POST", "/api/batch", json={"requests": requests})
    assert res.status_code == 400
    rt.pause(0.2)
    assert _events(stream) == []
    assert rt.request("GET", f"{ITEMS}/{item['id']}").status_code == 200


def test_a_subscriber_that_stops_reading_is_dropped_without_stalling_the_others(
    app: Palapy, rt: Realtime
) -> None:
    class Stuck(_Transport):
        async def send_bytes(self, data: bytes) -> None:
            if b"PB_CONNECT" not in data:
                await asyncio.Event().wait()  # the client never reads again
            self.parser.feed(data)

    class StuckProto(_StreamProto):
        def response_stream(self, status: int, headers: list[tuple[str, str]]) -> _Transport:
            super().response_stream(status, headers)
            return Stuck(self.stream.parser)

    slow = InProcessEventStream.__new__(InProcessEventStream)
    InProcessEventStream.__init__(slow, rt.rsgi, rt.loop, {})
    slow.proto.__class__ = StuckProto
    rt.streams.append(slow)
    rt.pause(0.02)
    slow_id = slow.snapshot()[0].id
    fast, fast_id = rt.connect()
    rt.subscribe(slow_id, "news")
    rt.subscribe(fast_id, "news")
    for i in range(MAX_PENDING_MESSAGES + 50):
        app.subscriptions.publish("news", json.dumps({"n": i}).encode())
        if i % 50 == 0:
            rt.pause(0.005)
    rt.pause(0.1)
    assert app.subscriptions.client(slow_id) is None  # dropped once its outbox overflowed
    assert [json.loads(e.data)["n"] for e in _events(fast)] == list(range(MAX_PENDING_MESSAGES + 50))


def test_realtime_requests_are_known_to_rules_as_the_realtime_context(app: Palapy, tmp_path: Path) -> None:
    add_collection(
        app, "base", "ctx", [TextField(name="title")], listRule="@request.context = 'realtime'", createRule=""
    )
    r = Realtime(app)
    try:
        stream, cid = r.connect()
        r.subscribe(cid, "ctx")
        assert r.request("POST", "/api/collections/ctx/records", json={"title": "t"}).status_code == 200
        r.pause(0.1)
        assert [e.event for e in _events(stream)] == ["ctx"]
        # The same rule refuses the list API, whose context is `default`.
        assert r.request("GET", "/api/collections/ctx/records").json()["totalItems"] == 0
    finally:
        r.close()


def test_a_connection_ends_once_it_has_carried_its_byte_budget(
    app: Palapy, rt: Realtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    from palapy.apis import realtime as realtime_api

    monkeypatch.setattr(realtime_api, "MAX_STREAM_BYTES", 20_000)
    stream, cid = rt.connect()
    rt.subscribe(cid, "news")
    for i in range(40):
        app.subscriptions.publish("news", json.dumps({"n": i, "pad": "x" * 900}).encode())
        rt.pause(0.005)
    rt.pause(0.05)
    assert stream.ended
    assert app.subscriptions.client(cid) is None
    received = len(_events(stream))
    assert 15 <= received < 40  # about 20 kB worth, then the stream ended
