"""`Client`: subscriptions (PocketBase's `DefaultClient`), the bounded outbox and SSE framing."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator

import pytest

from palapy.subscriptions import client as client_module
from palapy.subscriptions.client import MAX_PENDING_BYTES, MAX_PENDING_MESSAGES, Client, Subscription
from palapy.subscriptions.message import Message, sse_frame
from palapy.subscriptions.options import SubscriptionOptions


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    lp = asyncio.new_event_loop()
    yield lp
    lp.close()


def attached(loop: asyncio.AbstractEventLoop) -> Client:
    """A client attached to `loop` from this thread (which then counts as the loop's thread)."""
    c = Client()
    c.attach(loop)
    return c


def run_briefly(loop: asyncio.AbstractEventLoop) -> None:
    """Run the callbacks already scheduled on `loop` (e.g. by call_soon_threadsafe)."""
    loop.run_until_complete(asyncio.sleep(0.01))


# -- identity --------------------------------------------------------------------


def test_a_new_client_gets_a_random_40_character_alphanumeric_id() -> None:
    a, b = Client(), Client()

    assert re.fullmatch(r"[A-Za-z0-9]{40}", a.id)
    assert re.fullmatch(r"[A-Za-z0-9]{40}", b.id)
    assert a.id != b.id


def test_a_client_keeps_the_id_it_is_given() -> None:
    assert Client("abc").id == "abc"


# -- subscriptions ----------------------------------------------------------------


def test_subscribe_skips_empty_strings_and_stores_parsed_options() -> None:
    c = Client()
    c.subscribe("", "posts/*", 'posts/abc?options={"query":{"a":"1"}}', "")

    assert c.subscriptions() == {
        "posts/*": SubscriptionOptions(),
        'posts/abc?options={"query":{"a":"1"}}': SubscriptionOptions(query={"a": "1"}),
    }


def test_subscribing_twice_to_the_same_string_keeps_one_subscription() -> None:
    c = Client()
    c.subscribe("posts/*")
    c.subscribe("posts/*")

    assert list(c.subscriptions()) == ["posts/*"]


def test_subscriptions_returns_a_copy_the_caller_cannot_use_to_change_the_client() -> None:
    c = Client()
    c.subscribe("posts/*")

    c.subscriptions().clear()

    assert c.has_subscription("posts/*")


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("posts/*?", ["posts/*", "posts/*?options=x"]),
        ("posts?", ["posts"]),
        ("posts/", ["posts/*", "posts/*?options=x", "posts/*x", "posts/abc"]),
        ("posts/abc?", ["posts/abc"]),
        ("other?", []),
    ],
)
def test_a_prefix_matches_subscriptions_that_start_with_it_once_a_question_mark_is_appended(
    prefix: str, expected: list[str]
) -> None:
    c = Client()
    c.subscribe("posts/*", "posts/*x", "posts/*?options=x", "posts/abc", "posts", "comments/*")

    assert sorted(c.subscriptions(prefix)) == expected


def test_several_prefixes_match_the_union_of_their_subscriptions() -> None:
    c = Client()
    c.subscribe("posts/*", "posts/abc", "comments/*", "users/*")

    assert sorted(c.subscriptions("posts/abc?", "comments/*?")) == ["comments/*", "posts/abc"]


def test_has_subscription_needs_the_exact_string() -> None:
    c = Client()
    c.subscribe("posts/*?options=x")

    assert c.has_subscription("posts/*?options=x")
    assert not c.has_subscription("posts/*")


def test_unsubscribe_removes_only_the_given_subscriptions_and_ignores_unknown_ones() -> None:
    c = Client()
    c.subscribe("a", "b", "c")

    c.unsubscribe("b", "missing")

    assert sorted(c.subscriptions()) == ["a", "c"]


def test_unsubscribe_without_arguments_removes_every_subscription() -> None:
    c = Client()
    c.subscribe("a", "b", "c")

    c.unsubscribe()

    assert c.subscriptions() == {}


def test_subscribe_and_unsubscribe_report_each_change_to_on_change() -> None:
    c = Client()
    seen: list[list[str]] = []
    c.on_change = lambda client: seen.append(sorted(client.subscriptions()))

    c.subscribe("a", "b")
    c.unsubscribe("a")
    c.unsubscribe()

    assert seen == [["a", "b"], ["b"], []]


@pytest.mark.parametrize(
    ("name", "root", "rest"),
    [
        ("posts/*", "posts", "*"),
        ("posts/*?options=x", "posts", "*"),
        ("posts/abc", "posts", "abc"),
        ("posts", "posts", None),
        ("posts?options=a/b", "posts", None),
        ("posts/", "posts", ""),
        ("posts/a/b", "posts", "a/b"),
        ("@oauth2", "@oauth2", None),
    ],
)
def test_a_subscription_splits_its_topic_into_root_and_rest(name: str, root: str, rest: str | None) -> None:
    entry = Subscription(name, Client())

    assert (entry.root, entry.rest) == (root, rest)


def test_entries_carry_their_name_options_and_client() -> None:
    c = Client()
    c.subscribe('posts/*?options={"query":{"a":"1"}}')

    (entry,) = c.entries()

    assert entry.name == 'posts/*?options={"query":{"a":"1"}}'
    assert entry.options == SubscriptionOptions(query={"a": "1"})
    assert entry.client is c


def test_clear_caches_empties_every_subscription_cache() -> None:
    c = Client()
    c.subscribe("a", "b")
    for entry in c.entries():
        entry.cache = {"compiled": True}

    c.clear_caches()

    assert [e.cache for e in c.entries()] == [None, None]


# -- sending ----------------------------------------------------------------------


def test_send_before_attach_is_ignored(loop: asyncio.AbstractEventLoop) -> None:
    c = Client()
    c.send(Message("posts/*", b"{}"))
    c.attach(loop)

    assert c.take() == []


def test_messages_sent_on_the_loop_thread_are_taken_in_order_and_the_outbox_is_emptied(
    loop: asyncio.AbstractEventLoop,
) -> None:
    c = attached(loop)
    first, second = Message("a", b"1"), Message("b", b"2")

    c.send(first)
    c.send(second)

    assert c.take() == [first, second]
    assert c.take() == []


def test_send_after_discard_is_ignored(loop: asyncio.AbstractEventLoop) -> None:
    c = attached(loop)
    c.discard()

    c.send(Message("a", b"1"))

    assert c.discarded
    assert c.take() == []


def test_discard_clears_the_outbox_and_calls_on_discard_once(loop: asyncio.AbstractEventLoop) -> None:
    c = attached(loop)
    calls: list[str] = []
    c.on_discard = lambda: calls.append("discarded")
    c.send(Message("a", b"1"))

    c.discard()
    c.discard()

    assert c.take() == []
    assert calls == ["discarded"]


def test_a_client_may_hold_exactly_the_maximum_number_of_messages(loop: asyncio.AbstractEventLoop) -> None:
    c = attached(loop)

    for i in range(MAX_PENDING_MESSAGES):
        c.send(Message("t", str(i).encode()))

    assert not c.discarded
    assert len(c.take()) == MAX_PENDING_MESSAGES


def test_one_message_more_than_the_maximum_discards_the_client(loop: asyncio.AbstractEventLoop) -> None:
    c = attached(loop)
    calls: list[str] = []
    c.on_discard = lambda: calls.append("discarded")

    for i in range(MAX_PENDING_MESSAGES + 1):
        c.send(Message("t", str(i).encode()))

    assert c.discarded
    assert c.take() == []
    assert calls == ["discarded"]


def test_pending_bytes_count_the_name_and_data_up_to_the_limit(loop: asyncio.AbstractEventLoop) -> None:
    at_limit = attached(loop)
    over_limit = attached(loop)
    name = "posts/*"

    at_limit.send(Message(name, b"x" * (MAX_PENDING_BYTES - len(name))))
    over_limit.send(Message(name, b"x" * (MAX_PENDING_BYTES - len(name) + 1)))

    assert not at_limit.discarded
    assert over_limit.discarded
    assert over_limit.take() == []


def test_taking_messages_frees_their_bytes(loop: asyncio.AbstractEventLoop) -> None:
    c = attached(loop)
    half = Message("t", b"x" * (MAX_PENDING_BYTES // 2 - 1))  # two of them fill the budget

    for _ in range(5):
        c.send(half)
        c.send(half)
        assert c.take() == [half, half]

    assert not c.discarded


def test_taking_messages_frees_their_count(
    loop: asyncio.AbstractEventLoop, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(client_module, "MAX_PENDING_MESSAGES", 3)
    c = attached(loop)

    for _ in range(4):
        for i in range(3):
            c.send(Message("t", str(i).encode()))
        assert len(c.take()) == 3

    assert not c.discarded


def test_send_from_another_thread_is_delivered_through_the_loop(loop: asyncio.AbstractEventLoop) -> None:
    c = attached(loop)
    message = Message("posts/*", b'{"action":"create"}')

    sender = threading.Thread(target=c.send, args=(message,))
    sender.start()
    sender.join()
    # Not queued from the other thread: it waits for the loop to run.
    assert c.take() == []

    run_briefly(loop)

    assert c.take() == [message]


def test_send_from_another_thread_after_the_loop_closed_is_silently_dropped() -> None:
    lp = asyncio.new_event_loop()
    c = Client()
    c.attach(lp)
    lp.close()
    errors: list[BaseException] = []

    def send() -> None:
        try:
            c.send(Message("a", b"1"))
        except BaseException as err:  # noqa: BLE001 - the test records any exception
            errors.append(err)

    sender = threading.Thread(target=send)
    sender.start()
    sender.join()

    assert errors == []
    assert c.take() == []


# -- waiting ----------------------------------------------------------------------


def test_wait_on_a_client_that_is_not_attached_raises() -> None:
    with pytest.raises(RuntimeError):
        asyncio.run(Client().wait())


def test_wait_returns_at_once_when_a_message_is_already_queued(loop: asyncio.AbstractEventLoop) -> None:
    c = attached(loop)
    c.send(Message("a", b"1"))

    loop.run_until_complete(asyncio.wait_for(c.wait(), timeout=1))

    assert c.take() == [Message("a", b"1")]


def test_wait_blocks_while_the_outbox_is_empty(loop: asyncio.AbstractEventLoop) -> None:
    c = attached(loop)

    with pytest.raises(TimeoutError):
        loop.run_until_complete(asyncio.wait_for(c.wait(), timeout=0.05))


def test_wait_wakes_when_a_message_is_sent_from_another_thread(loop: asyncio.AbstractEventLoop) -> None:
    c = attached(loop)
    message = Message("a", b"1")

    async def scenario() -> list[Message]:
        waiter = asyncio.ensure_future(c.wait())
        await asyncio.sleep(0.01)
        assert not waiter.done()
        threading.Thread(target=c.send, args=(message,)).start()
        await asyncio.wait_for(waiter, timeout=1)
        return c.take()

    assert loop.run_until_complete(scenario()) == [message]


def test_wait_wakes_when_the_client_is_discarded(loop: asyncio.AbstractEventLoop) -> None:
    c = attached(loop)

    async def scenario() -> None:
        waiter = asyncio.ensure_future(c.wait())
        await asyncio.sleep(0.01)
        assert not waiter.done()
        c.discard()
        await asyncio.wait_for(waiter, timeout=1)

    loop.run_until_complete(scenario())

    assert c.discarded


def test_wait_returns_at_once_for_a_discarded_client(loop: asyncio.AbstractEventLoop) -> None:
    c = attached(loop)
    c.discard()

    loop.run_until_complete(asyncio.wait_for(c.wait(), timeout=1))


def test_wait_blocks_again_after_the_outbox_was_drained(loop: asyncio.AbstractEventLoop) -> None:
    c = attached(loop)
    c.send(Message("a", b"1"))
    loop.run_until_complete(asyncio.wait_for(c.wait(), timeout=1))
    c.take()

    with pytest.raises(TimeoutError):
        loop.run_until_complete(asyncio.wait_for(c.wait(), timeout=0.05))


# -- framing ----------------------------------------------------------------------


def test_an_sse_frame_has_pocketbase_bytes_without_spaces_after_the_colons() -> None:
    frame = sse_frame("CID123", Message("posts/*?options=x", b'{"action":"update","record":{}}'))

    assert frame == b'id:CID123\nevent:posts/*?options=x\ndata:{"action":"update","record":{}}\n\n'


def test_an_sse_frame_encodes_a_non_ascii_event_name_as_utf8() -> None:
    assert sse_frame("c", Message("tópico", b"{}")) == "id:c\nevent:tópico\ndata:{}\n\n".encode()
