"""`Broker`: the registry of clients, indexed by the roots of the topics they follow."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from palapy.subscriptions.broker import Broker, topic_root
from palapy.subscriptions.client import Client
from palapy.subscriptions.message import Message


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    lp = asyncio.new_event_loop()
    yield lp
    lp.close()


@pytest.fixture
def broker() -> Broker:
    return Broker()


def connected(broker: Broker, loop: asyncio.AbstractEventLoop, *subscriptions: str) -> Client:
    """A registered client, attached to `loop` from this thread, with `subscriptions`."""
    c = Client()
    c.attach(loop)
    broker.register(c)
    c.subscribe(*subscriptions)
    return c


def ids(clients: list[Client]) -> set[str]:
    return {c.id for c in clients}


@pytest.mark.parametrize(
    ("subscription", "root"),
    [
        ("posts/*", "posts"),
        ("posts/abc?options=x", "posts"),
        ("posts?options=a/b", "posts"),
        ("posts", "posts"),
        ("@oauth2", "@oauth2"),
        ("a?b/c", "a"),
        ("/x", ""),
        ("", ""),
    ],
)
def test_the_root_of_a_topic_is_what_comes_before_the_first_slash_or_question_mark(
    subscription: str, root: str
) -> None:
    assert topic_root(subscription) == root


def test_registered_clients_are_found_by_id_and_counted(broker: Broker) -> None:
    a, b = Client(), Client()
    broker.register(a)
    broker.register(b)

    assert broker.client(a.id) is a
    assert broker.client("missing") is None
    assert broker.count() == 2
    assert ids(broker.clients()) == {a.id, b.id}


def test_clients_returns_a_snapshot(broker: Broker) -> None:
    a = Client()
    broker.register(a)
    snapshot = broker.clients()

    broker.register(Client())

    assert snapshot == [a]


def test_unregister_forgets_and_discards_the_client(broker: Broker) -> None:
    a, b = Client(), Client()
    broker.register(a)
    broker.register(b)

    broker.unregister(a.id)

    assert a.discarded
    assert not b.discarded
    assert broker.client(a.id) is None
    assert broker.count() == 1


def test_unregistering_an_unknown_id_does_nothing(broker: Broker) -> None:
    a = Client()
    broker.register(a)

    broker.unregister("missing")

    assert broker.count() == 1
    assert not a.discarded


def test_following_finds_clients_by_the_roots_of_their_subscriptions(
    broker: Broker, loop: asyncio.AbstractEventLoop
) -> None:
    posts = connected(broker, loop, "posts/*")
    one_post = connected(broker, loop, "posts/abc?options=x")
    comments = connected(broker, loop, "comments")
    connected(broker, loop)  # no subscriptions

    assert ids(broker.following(["posts"])) == {posts.id, one_post.id}
    assert ids(broker.following(["comments"])) == {comments.id}
    assert broker.following(["users"]) == []


def test_following_several_roots_lists_each_client_once(
    broker: Broker, loop: asyncio.AbstractEventLoop
) -> None:
    both = connected(broker, loop, "posts/*", "posts/abc", "comments/*")
    posts = connected(broker, loop, "posts/*")

    found = broker.following(["posts", "comments", "posts"])

    assert sorted(c.id for c in found) == sorted([both.id, posts.id])


def test_subscriptions_made_before_registering_are_indexed(broker: Broker) -> None:
    c = Client()
    c.subscribe("posts/*")

    broker.register(c)

    assert ids(broker.following(["posts"])) == {c.id}


def test_the_index_follows_later_subscribes_and_unsubscribes(
    broker: Broker, loop: asyncio.AbstractEventLoop
) -> None:
    c = connected(broker, loop, "posts/*")

    c.subscribe("comments/*")
    assert ids(broker.following(["comments"])) == {c.id}

    c.unsubscribe("posts/*")
    assert broker.following(["posts"]) == []
    assert ids(broker.following(["comments"])) == {c.id}

    c.unsubscribe()
    assert broker.following(["comments"]) == []


def test_a_root_stays_followed_while_any_subscription_under_it_remains(
    broker: Broker, loop: asyncio.AbstractEventLoop
) -> None:
    c = connected(broker, loop, "posts/*", "posts/abc")

    c.unsubscribe("posts/*")

    assert ids(broker.following(["posts"])) == {c.id}


def test_an_unregistered_client_is_no_longer_followed_even_if_it_subscribes_again(
    broker: Broker, loop: asyncio.AbstractEventLoop
) -> None:
    c = connected(broker, loop, "posts/*")
    broker.unregister(c.id)

    c.subscribe("posts/abc", "comments/*")

    assert broker.following(["posts", "comments"]) == []
    assert broker.count() == 0


def test_publish_sends_to_clients_with_exactly_that_subscription(
    broker: Broker, loop: asyncio.AbstractEventLoop
) -> None:
    exact = connected(broker, loop, "chat")
    also = connected(broker, loop, "chat", "posts/*")
    with_options = connected(broker, loop, "chat?options=x")
    deeper = connected(broker, loop, "chat/room1")

    sent = broker.publish("chat", b'{"text":"hi"}')

    assert sent == 2
    assert exact.take() == [Message("chat", b'{"text":"hi"}')]
    assert also.take() == [Message("chat", b'{"text":"hi"}')]
    assert with_options.take() == []
    assert deeper.take() == []


def test_publish_to_a_topic_nobody_follows_sends_nothing(
    broker: Broker, loop: asyncio.AbstractEventLoop
) -> None:
    c = connected(broker, loop, "posts/*")

    assert broker.publish("posts/abc", b"{}") == 0
    assert c.take() == []


def test_publish_skips_unregistered_clients(broker: Broker, loop: asyncio.AbstractEventLoop) -> None:
    gone = connected(broker, loop, "chat")
    stays = connected(broker, loop, "chat")
    broker.unregister(gone.id)

    assert broker.publish("chat", b"{}") == 1
    assert stays.take() == [Message("chat", b"{}")]


def test_concurrent_subscribes_from_many_threads_keep_the_index_consistent(broker: Broker) -> None:
    clients = [Client() for _ in range(20)]
    for c in clients:
        broker.register(c)

    def churn(c: Client) -> None:
        for i in range(50):
            c.subscribe(f"t{i % 5}/*")
            c.unsubscribe(f"t{(i + 2) % 5}/*")

    threads = [threading.Thread(target=churn, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    for root in (f"t{i}" for i in range(5)):
        expected = {c.id for c in clients if c.subscriptions(f"{root}/")}
        assert ids(broker.following([root])) == expected


def test_matching_finds_subscriptions_by_root_and_rest(
    broker: Broker, loop: asyncio.AbstractEventLoop
) -> None:
    a = connected(broker, loop, "posts/*", "posts/abc?options=x", "comments/*")
    b = connected(broker, loop, "posts", "posts/xyz")

    lists = broker.matching(["posts"], [None, "*"])
    views = broker.matching(["posts", "pbc_123"], ["abc"])

    assert sorted((e.client.id, e.name) for e in lists) == sorted([(a.id, "posts/*"), (b.id, "posts")])
    assert [(e.client.id, e.name) for e in views] == [(a.id, "posts/abc?options=x")]


def test_matching_forgets_unsubscribed_and_unregistered_subscriptions(
    broker: Broker, loop: asyncio.AbstractEventLoop
) -> None:
    a = connected(broker, loop, "posts/*", "posts/abc")
    b = connected(broker, loop, "posts/*")

    a.unsubscribe("posts/*")
    broker.unregister(b.id)

    assert broker.matching(["posts"], ["*"]) == []
    assert [e.name for e in broker.matching(["posts"], ["abc"])] == ["posts/abc"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="pa/*?#xb", max_size=8), max_size=6))
def test_matching_agrees_with_pocketbase_prefix_matching_for_record_events(subs: list[str]) -> None:
    # PocketBase: list events go to `pa/*?`, `pa?` prefixes, view events of record `b` to `pa/b?`.
    broker = Broker()
    c = Client()
    broker.register(c)
    c.subscribe(*subs)

    lists = {e.name for e in broker.matching(["pa"], [None, "*"])}
    views = {e.name for e in broker.matching(["pa"], ["b"])}

    assert lists == set(c.subscriptions("pa/*?", "pa?"))
    assert views == set(c.subscriptions("pa/b?"))
