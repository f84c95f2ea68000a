"""Realtime: `GET|POST /api/realtime` and record events (PocketBase apis/realtime_test.go;
pocketbase-api.md §6, T15). Each row connects its subscribers, makes changes, and lists what
every subscriber must receive; the `pocketbase` target proves the table."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Callable
from typing import Any

from tests.harness.realtime import Expect, RealtimeScenario, Subscribe
from tests.harness.scenario import ABSENT, DATE, ID, Scenario

COMMENTS = "/api/collections/comments/records"
POSTS = "/api/collections/posts/records"
NOTES = "/api/collections/notes/records"
NOT_FOUND = {"status": 404, "message": "The requested resource wasn't found.", "data": {}}


def opts(topic: str, **options: Any) -> str:
    """A topic with options, encoded as the JS SDK encodes them (encodeURIComponent), except
    that braces stay, so `{symbols}` in them are still substituted."""
    text = json.dumps(options, separators=(",", ":"))
    return topic + "?options=" + urllib.parse.quote(text, safe="-_.!~*'(){}")


def rec(action: str, **record: Any) -> dict[str, Any]:
    return {"record": record, "action": action}


def create_comment(text: str, capture: str = "", post: str = "{post1}", auth: str = "guest") -> Scenario:
    return Scenario(
        f"A comment {text!r} is created.",
        method="POST",
        url=COMMENTS,
        auth=auth,
        body={"text": text, "post": post},
        capture={capture: "id"} if capture else {},
    )


SCENARIOS: list[Scenario | RealtimeScenario] = [
    # -- the subscription request ------------------------------------------------------------
    Scenario(
        "Subscribing without a client id is a 400 naming clientId.",
        method="POST",
        url="/api/realtime",
        body={"subscriptions": ["posts"]},
        status=400,
        json={
            "status": 400,
            "message": "Something went wrong while processing your request.",
            "data": {"clientId": {"code": "validation_required", "message": "Cannot be blank."}},
        },
    ),
    Scenario(
        "Subscribing with an unknown client id is a 404.",
        method="POST",
        url="/api/realtime",
        body={"clientId": "nope", "subscriptions": ["posts"]},
        status=404,
        json={"status": 404, "message": "Missing or invalid client id.", "data": {}},
    ),
    Scenario(
        "More than 1000 topics are refused before the client is looked up.",
        method="POST",
        url="/api/realtime",
        body={"clientId": "nope", "subscriptions": [f"t{i}" for i in range(1001)]},
        status=400,
        json={
            "data": {
                "subscriptions": {
                    "code": "validation_length_too_long",
                    "message": "The length must be no more than 1000.",
                    "params": {"max": 1000},
                }
            }
        },
    ),
    Scenario(
        "A topic longer than 2500 characters is refused by its index.",
        method="POST",
        url="/api/realtime",
        body={"clientId": "nope", "subscriptions": ["ok", "x" * 2501]},
        status=400,
        json={
            "data": {
                "subscriptions": {
                    "1": {"code": "validation_length_too_long", "params": {"max": 2500}},
                    "0": ABSENT,
                }
            }
        },
    ),
    Scenario(
        "A subscription body that is not JSON is a generic 400.",
        method="POST",
        url="/api/realtime",
        raw=b'{"clientId": ',
        headers={"Content-Type": "application/json"},
        status=400,
        json={"status": 400, "message": "Something went wrong while processing your request.", "data": {}},
    ),
    Scenario(
        "Subscriptions of the wrong type are a generic 400.",
        method="POST",
        url="/api/realtime",
        body={"clientId": "abc", "subscriptions": "posts"},
        status=400,
        json={"message": "Something went wrong while processing your request.", "data": {}},
    ),
    RealtimeScenario(
        "A guest may subscribe, and an empty list unsubscribes from everything.",
        subscribers=["g"],
        steps=[
            Subscribe("g", ["comments"]),
            create_comment("first"),
            Expect({"g": [("comments", rec("create", text="first"))]}),
            Subscribe("g", []),
            create_comment("second"),
            Expect({}),
        ],
    ),
    RealtimeScenario(
        "A client bound to a user cannot switch to another user or back to a guest.",
        subscribers=["a"],
        steps=[
            Subscribe("a", ["notes"], auth="user1"),
            Subscribe(
                "a",
                ["notes"],
                auth="user2",
                status=403,
                json={
                    "status": 403,
                    "message": "The current and the previous request authorization don't match.",
                    "data": {},
                },
            ),
            Subscribe("a", ["notes"], status=403),
            Subscribe("a", ["notes", "comments"], auth="user1"),
        ],
    ),
    RealtimeScenario(
        "A guest client may become a user with its next subscription.",
        subscribers=["a"],
        steps=[
            Subscribe("a", ["notes"]),
            Scenario(
                "User one writes a note.",
                method="POST",
                url=NOTES,
                auth="user1",
                body={"body": "x", "owner": "{u1}"},
            ),
            Expect({}),
            Subscribe("a", ["notes"], auth="user1"),
            Scenario(
                "User one writes another note.",
                method="POST",
                url=NOTES,
                auth="user1",
                body={"body": "y", "owner": "{u1}"},
            ),
            Expect({"a": [("notes", rec("create", body="y", owner="{u1}"))]}),
        ],
    ),
    # -- what is sent ------------------------------------------------------------------------
    RealtimeScenario(
        "A collection subscriber receives create, update and delete, with the record and action.",
        subscribers=["g"],
        steps=[
            Subscribe("g", ["comments"]),
            create_comment("hello", capture="new"),
            Expect(
                {
                    "g": [
                        (
                            "comments",
                            {
                                "record": {
                                    "id": "{new}",
                                    "collectionId": "{comments_id}",
                                    "collectionName": "comments",
                                    "text": "hello",
                                    "post": "{post1}",
                                    "likers": [],
                                    "created": DATE,
                                    "updated": DATE,
                                },
                                "action": "create",
                            },
                        )
                    ]
                }
            ),
            Scenario(
                "The comment is edited.", method="PATCH", url=COMMENTS + "/{new}", body={"text": "edited"}
            ),
            Expect({"g": [("comments", rec("update", id="{new}", text="edited"))]}),
            Scenario("The comment is deleted.", method="DELETE", url=COMMENTS + "/{new}", status=204),
            Expect({"g": [("comments", rec("delete", id="{new}", text="edited"))]}),
        ],
    ),
    RealtimeScenario(
        "Every matching subscription gets its own event, named exactly as subscribed.",
        subscribers=["a", "b"],
        steps=[
            Subscribe("a", ["comments/*", "comments/{c1}", "comments/{c2}", "{comments_id}/*", "posts"]),
            Subscribe("b", ["comments/{c2}"]),
            Scenario(
                "The first comment is edited.", method="PATCH", url=COMMENTS + "/{c1}", body={"text": "e1"}
            ),
            Expect(
                {
                    "a": [
                        ("comments/*", rec("update", id="{c1}", text="e1")),
                        ("comments/{c1}", rec("update", id="{c1}", text="e1")),
                        ("{comments_id}/*", rec("update", id="{c1}", text="e1")),
                    ]
                }
            ),
        ],
    ),
    RealtimeScenario(
        "The options' fields and expand shape each subscription's record.",
        subscribers=["a"],
        steps=[
            Subscribe(
                "a",
                [
                    opts("comments/*", query={"fields": "id,text"}),
                    opts("comments/{c1}", query={"expand": "post", "fields": "text,expand.post.title"}),
                ],
            ),
            Scenario(
                "The first comment is edited.", method="PATCH", url=COMMENTS + "/{c1}", body={"text": "e"}
            ),
            Expect(
                {
                    "a": [
                        (
                            opts("comments/*", query={"fields": "id,text"}),
                            {"record": {"id": "{c1}", "text": "e", "post": ABSENT}, "action": "update"},
                        ),
                        (
                            opts(
                                "comments/{c1}", query={"expand": "post", "fields": "text,expand.post.title"}
                            ),
                            {
                                "record": {"text": "e", "expand": {"post": {"title": "Hello"}}, "id": ABSENT},
                                "action": "update",
                            },
                        ),
                    ]
                }
            ),
        ],
    ),
    RealtimeScenario(
        "An options filter only lets matching records through.",
        subscribers=["a"],
        steps=[
            Subscribe("a", [opts("comments", query={"filter": "text = 'yes'"})]),
            create_comment("no"),
            create_comment("yes"),
            Expect({"a": [(opts("comments", query={"filter": "text = 'yes'"}), rec("create", text="yes"))]}),
        ],
    ),
    RealtimeScenario(
        "A guest's filter on @request fields is refused silently.",
        subscribers=["a"],
        steps=[
            Subscribe("a", [opts("comments", query={"filter": "@request.auth.id = ''"})]),
            create_comment("x"),
            Expect({}),
        ],
    ),
    RealtimeScenario(
        "Owner-only rules: each user hears only of their own notes, guests of none.",
        subscribers=["g", "a", "b"],
        steps=[
            Subscribe("g", ["notes"]),
            Subscribe("a", ["notes"], auth="user1"),
            Subscribe("b", ["notes/*"], auth="user2"),
            Scenario(
                "User one writes a note.",
                method="POST",
                url=NOTES,
                auth="user1",
                body={"body": "mine", "owner": "{u1}"},
            ),
            Scenario(
                "User two writes a note.",
                method="POST",
                url=NOTES,
                auth="user2",
                body={"body": "theirs", "owner": "{u2}"},
            ),
            Expect(
                {
                    "a": [("notes", rec("create", body="mine", owner="{u1}"))],
                    "b": [("notes/*", rec("create", body="theirs", owner="{u2}"))],
                }
            ),
        ],
    ),
    RealtimeScenario(
        "A null rule keeps everyone but superusers out, and superusers see hidden fields.",
        subscribers=["g", "u", "s"],
        steps=[
            Subscribe("g", ["locked", "posts"]),
            Subscribe("u", ["locked"], auth="user1"),
            Subscribe("s", ["locked", "posts"], auth="superuser"),
            Scenario(
                "The locked record is edited.",
                method="PATCH",
                url="/api/collections/locked/records/{locked1}",
                auth="superuser",
                body={"title": "L2"},
            ),
            Scenario(
                "The first post is edited.",
                method="PATCH",
                url=POSTS + "/{post1}",
                auth="user1",
                body={"views": 6},
            ),
            Expect(
                {
                    "g": [("posts", rec("update", id="{post1}", views=6, secret=ABSENT))],
                    "s": [
                        ("locked", rec("update", id="{locked1}", title="L2")),
                        ("posts", rec("update", id="{post1}", views=6, secret="s3cret")),
                    ],
                }
            ),
        ],
    ),
    RealtimeScenario(
        "A record topic follows the view rule: a user hears of their own record, not another's.",
        subscribers=["a"],
        steps=[
            Subscribe("a", ["users/{u1}", "users/{u2}"], auth="user1"),
            Scenario(
                "User one is renamed.",
                method="PATCH",
                url="/api/collections/users/records/{u1}",
                auth="superuser",
                body={"name": "One"},
            ),
            Scenario(
                "User two is renamed.",
                method="PATCH",
                url="/api/collections/users/records/{u2}",
                auth="superuser",
                body={"name": "Two"},
            ),
            Expect({"a": [("users/{u1}", rec("update", id="{u1}", name="One", email="u1@example.com"))]}),
        ],
    ),
    RealtimeScenario(
        "Auth records show their email to their owner and superusers, else by emailVisibility.",
        subscribers=["g", "s"],
        steps=[
            Subscribe("g", ["users"]),
            Subscribe("s", ["users"], auth="superuser"),
            Scenario(
                "User one is renamed.",
                method="PATCH",
                url="/api/collections/users/records/{u1}",
                auth="superuser",
                body={"name": "One"},
            ),
            Expect(
                {
                    "s": [
                        (
                            "users",
                            rec(
                                "update", id="{u1}", email="u1@example.com", password=ABSENT, tokenKey=ABSENT
                            ),
                        )
                    ]
                }
            ),
        ],
    ),
    RealtimeScenario(
        "Options headers take part in rules, snake-cased.",
        subscribers=["right", "wrong"],
        steps=[
            Scenario(
                "A collection whose list rule reads a header is created.",
                method="POST",
                url="/api/collections",
                auth="superuser",
                body={
                    "name": "signals",
                    "type": "base",
                    "listRule": "@request.headers.x_token = 'abc' && @request.context = 'realtime'",
                    "createRule": "",
                    "fields": [{"name": "label", "type": "text"}],
                },
            ),
            Subscribe("right", [opts("signals", headers={"X-Token": "abc"})]),
            Subscribe("wrong", [opts("signals", headers={"X-Token": "nope"})]),
            Scenario(
                "A signal is created.",
                method="POST",
                url="/api/collections/signals/records",
                body={"label": "ping"},
            ),
            Expect({"right": [(opts("signals", headers={"X-Token": "abc"}), rec("create", label="ping"))]}),
        ],
    ),
    RealtimeScenario(
        "A delete is checked against the record before it goes, cascades included.",
        subscribers=["a", "b"],
        steps=[
            Subscribe("a", [opts("comments", query={"filter": "post = '{post1}'"})]),
            Subscribe("b", ["posts/{post1}"]),
            Scenario(
                "User one deletes the first post.",
                method="DELETE",
                url=POSTS + "/{post1}",
                auth="user1",
                status=204,
            ),
            Expect(
                {
                    "a": [
                        (opts("comments", query={"filter": "post = '{post1}'"}), rec("delete", id="{c1}")),
                        (opts("comments", query={"filter": "post = '{post1}'"}), rec("delete", id="{c2}")),
                    ],
                    "b": [("posts/{post1}", rec("delete", id="{post1}", title="Hello"))],
                }
            ),
        ],
    ),
    RealtimeScenario(
        "A batch sends its events once it commits, and a failed batch sends none.",
        subscribers=["a"],
        steps=[
            Subscribe("a", ["comments"]),
            Scenario(
                "A batch creates a comment and edits another.",
                method="POST",
                url="/api/batch",
                body={
                    "requests": [
                        {"method": "POST", "url": COMMENTS, "body": {"text": "b1", "post": "{post1}"}},
                        {"method": "PATCH", "url": COMMENTS + "/{c2}", "body": {"text": "b2"}},
                    ]
                },
            ),
            Expect(
                {
                    "a": [
                        ("comments", rec("create", text="b1")),
                        ("comments", rec("update", id="{c2}", text="b2")),
                    ]
                }
            ),
            Scenario(
                "A batch whose second request fails.",
                method="POST",
                url="/api/batch",
                body={
                    "requests": [
                        {"method": "POST", "url": COMMENTS, "body": {"text": "never", "post": "{post1}"}},
                        {"method": "POST", "url": COMMENTS, "body": {"text": "no post"}},
                    ]
                },
                status=400,
            ),
            Expect({}),
        ],
    ),
    RealtimeScenario(
        "A password change drops the client's auth: owner-only events stop.",
        subscribers=["a"],
        steps=[
            Subscribe("a", ["notes"], auth="user1"),
            Scenario(
                "The superuser sets user one's password.",
                method="PATCH",
                url="/api/collections/users/records/{u1}",
                auth="superuser",
                body={"password": "another-pass-1", "passwordConfirm": "another-pass-1"},
            ),
            Scenario(
                "The superuser writes a note for user one.",
                method="POST",
                url=NOTES,
                auth="superuser",
                body={"body": "z", "owner": "{u1}"},
            ),
            Expect({}),
        ],
    ),
    RealtimeScenario(
        "A user's new values are what later rule checks see.",
        subscribers=["a"],
        steps=[
            Scenario(
                "A collection whose list rule reads the subscriber's name is created.",
                method="POST",
                url="/api/collections",
                auth="superuser",
                body={
                    "name": "memos",
                    "type": "base",
                    "listRule": "@request.auth.name = 'Chosen'",
                    "createRule": "",
                    "fields": [{"name": "label", "type": "text"}],
                },
            ),
            Subscribe("a", ["memos"], auth="user1"),
            Scenario(
                "A memo is created.",
                method="POST",
                url="/api/collections/memos/records",
                body={"label": "m1"},
            ),
            Expect({}),
            Scenario(
                "User one is renamed Chosen.",
                method="PATCH",
                url="/api/collections/users/records/{u1}",
                auth="superuser",
                body={"name": "Chosen"},
            ),
            Scenario(
                "Another memo is created.",
                method="POST",
                url="/api/collections/memos/records",
                body={"label": "m2"},
            ),
            Expect({"a": [("memos", rec("create", label="m2", id=ID))]}),
        ],
    ),
]


def test_scenario(
    scenario: Scenario | RealtimeScenario, play: Callable[[Scenario | RealtimeScenario], None]
) -> None:
    play(scenario)
