"""`POST /api/batch` (PocketBase apis/batch_test.go; pocketbase-api.md §3 batch).

The seed allows batches (50 requests, 3 s); scenarios that need other limits say so in
`settings`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tests.harness.scenario import ABSENT, DATE, ID, File, Re, Scenario

URL = "/api/batch"
PNG = File("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, "image/png")
INVALID = "Invalid batch request data."
FAILED = "Batch transaction failed."
GENERIC = "Something went wrong while processing your request."


def _req(method: str, url: str, body: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"method": method, "url": url, **extra}
    if body is not None:
        item["body"] = body
    return item


def _failed_at(index: int, response: dict[str, Any]) -> dict[str, Any]:
    entry = {"code": "batch_request_failed", "message": "Batch request failed.", "response": response}
    return {"status": 400, "message": FAILED, "data": {"requests": {str(index): entry}}}


def _comments_count(count: int) -> Scenario:
    return Scenario(
        f"Afterwards the comments collection holds {count} records.",
        url="/api/collections/comments/records",
        params={"fields": "id"},
        json={"totalItems": count},
    )


def _posts_titled(title: str, count: int) -> Scenario:
    return Scenario(
        f"Afterwards {count} posts are titled {title!r}.",
        url="/api/collections/posts/records",
        params={"filter": f"title = '{title}'", "fields": "id"},
        json={"totalItems": count},
    )


COMMENTS = "/api/collections/comments/records"
POSTS = "/api/collections/posts/records"

SCENARIOS = [
    # -- refused before anything runs -------------------------------------------------------
    Scenario(
        "Batches disabled in the settings are refused with 403.",
        method="POST",
        url=URL,
        body={"requests": [_req("POST", COMMENTS, {"text": "x", "post": "{post1}"})]},
        settings={"batch": {"enabled": False}},
        status=403,
        json={"status": 403, "message": "Batch requests are not allowed.", "data": {}},
        hooks={"*": 0},
        then=[_comments_count(3)],
    ),
    Scenario(
        "A batch with no requests is invalid: requests is required.",
        method="POST",
        url=URL,
        body={"requests": []},
        status=400,
        json={
            "status": 400,
            "message": INVALID,
            "data": {"requests": {"code": "validation_required", "message": "Cannot be blank."}},
        },
        hooks={"*": 0},
        fresh=False,
    ),
    Scenario(
        "A batch without a body is invalid: requests is required.",
        method="POST",
        url=URL,
        status=400,
        json={"message": INVALID, "data": {"requests": {"code": "validation_required"}}},
        fresh=False,
    ),
    Scenario(
        "A body that is not JSON cannot be read.",
        method="POST",
        url=URL,
        raw=b"{not json",
        headers={"Content-Type": "application/json"},
        status=400,
        json={"status": 400, "message": "Failed to read the submitted batch data.", "data": {}},
        fresh=False,
    ),
    Scenario(
        "More requests than the settings allow are invalid.",
        method="POST",
        url=URL,
        settings={"batch": {"maxRequests": 2}},
        body={"requests": [_req("POST", COMMENTS, {"text": str(i), "post": "{post1}"}) for i in range(3)]},
        status=400,
        json={
            "message": INVALID,
            "data": {
                "requests": {
                    "code": "validation_length_too_long",
                    "message": "The length must be no more than 2.",
                    "params": {"max": 2},
                }
            },
        },
        then=[_comments_count(3)],
    ),
    Scenario(
        "Each request needs a known method and a URL; the errors name the request's index.",
        method="POST",
        url=URL,
        body={
            "requests": [
                _req("POST", COMMENTS, {"text": "ok", "post": "{post1}"}),
                {"method": "HEAD", "url": COMMENTS},
                {"url": COMMENTS},
                {"method": "POST", "url": ""},
                {"method": "POST", "url": "/" + "x" * 2000},
            ]
        },
        status=400,
        json={
            "message": INVALID,
            "data": {
                "requests": {
                    "0": ABSENT,
                    "1": {"method": {"code": "validation_in_invalid", "message": "Must be a valid value."}},
                    "2": {"method": {"code": "validation_required"}, "url": ABSENT},
                    "3": {"url": {"code": "validation_required"}},
                    "4": {"url": {"code": "validation_length_too_long", "params": {"max": 2000}}},
                }
            },
        },
        then=[_comments_count(3)],
    ),
    # -- successes --------------------------------------------------------------------------
    Scenario(
        "A guest batch creates, updates and deletes comments and answers each in order.",
        method="POST",
        url=URL,
        body={
            "requests": [
                _req("POST", COMMENTS, {"text": "new", "post": "{post1}"}),
                _req("PATCH", COMMENTS + "/{c1}", {"text": "changed"}),
                _req("DELETE", COMMENTS + "/{c3}"),
            ]
        },
        json=[
            {
                "status": 200,
                "body": {
                    "id": ID,
                    "collectionName": "comments",
                    "text": "new",
                    "post": "{post1}",
                    "created": DATE,
                },
            },
            {"status": 200, "body": {"id": "{c1}", "text": "changed", "likers": ["{u1}"]}},
            {"status": 204, "body": None},
        ],
        contains=['"body":null,"status":204'],
        hooks={
            "*": 0,
            "on_batch_request": 1,
            "on_record_create_request": 1,
            "on_record_update_request": 1,
            "on_record_delete_request": 1,
            "on_record_validate": 2,
            "on_record_create": 1,
            "on_record_create_execute": 1,
            "on_record_after_create_success": 1,
            "on_record_update": 1,
            "on_record_update_execute": 1,
            "on_record_after_update_success": 1,
            "on_record_delete": 1,
            "on_record_delete_execute": 1,
            "on_record_after_delete_success": 1,
            "on_record_enrich": 2,
        },
        then=[
            _comments_count(3),
            Scenario(
                "Afterwards the first comment carries the changed text.",
                url=COMMENTS + "/{c1}",
                json={"text": "changed"},
            ),
            Scenario(
                "Afterwards the deleted comment is gone.",
                url=COMMENTS + "/{c3}",
                status=404,
            ),
        ],
    ),
    Scenario(
        "Each request's query applies fields and expand to its own answer.",
        method="POST",
        url=URL,
        body={
            "requests": [
                _req(
                    "POST",
                    COMMENTS + "?fields=text,expand.post.title&expand=post",
                    {"text": "e", "post": "{post1}"},
                ),
                _req("PATCH", COMMENTS + "/{c2}?fields=id", {"text": "f"}),
            ]
        },
        json=[
            {
                "status": 200,
                "body": {"text": "e", "expand": {"post": {"title": "Hello", "id": ABSENT}}, "id": ABSENT},
            },
            {"status": 200, "body": {"id": "{c2}", "text": ABSENT}},
        ],
    ),
    Scenario(
        "An upsert with an unknown id creates the record with that id.",
        method="POST",
        url=URL,
        body={"requests": [_req("PUT", COMMENTS, {"id": "upsertnew000001", "text": "u", "post": "{post2}"})]},
        json=[{"status": 200, "body": {"id": "upsertnew000001", "text": "u", "post": "{post2}"}}],
        hooks={
            "*": 0,
            "on_batch_request": 1,
            "on_record_create_request": 1,
            "on_record_validate": 1,
            "on_record_create": 1,
            "on_record_create_execute": 1,
            "on_record_after_create_success": 1,
            "on_record_enrich": 1,
        },
        then=[_comments_count(4)],
    ),
    Scenario(
        "An upsert with a stored id updates that record.",
        method="POST",
        url=URL,
        body={
            "requests": [_req("PUT", COMMENTS + "?fields=id,text,post", {"id": "{c3}", "text": "upserted"})]
        },
        json=[{"status": 200, "body": {"id": "{c3}", "text": "upserted", "post": "{post2}"}}],
        hooks={
            "*": 0,
            "on_batch_request": 1,
            "on_record_update_request": 1,
            "on_record_validate": 1,
            "on_record_update": 1,
            "on_record_update_execute": 1,
            "on_record_after_update_success": 1,
            "on_record_enrich": 1,
        },
        then=[_comments_count(3)],
    ),
    Scenario(
        "An upsert without an id creates a record with a new id.",
        method="POST",
        url=URL,
        body={"requests": [_req("PUT", COMMENTS, {"text": "noid", "post": "{post2}"})]},
        json=[{"status": 200, "body": {"id": ID, "text": "noid"}}],
        then=[_comments_count(4)],
    ),
    Scenario(
        "The requests run with the caller's auth: a user creates a post the rules allow.",
        method="POST",
        url=URL,
        auth="user1",
        body={"requests": [_req("POST", POSTS, {"title": "Mine", "author": "{u1}"})]},
        json=[{"status": 200, "body": {"title": "Mine", "author": "{u1}"}}],
        then=[_posts_titled("Mine", 1)],
    ),
    Scenario(
        "A superuser batch sees hidden fields in its answers.",
        method="POST",
        url=URL,
        auth="superuser",
        body={"requests": [_req("PATCH", POSTS + "/{post1}", {"secret": "new"})]},
        json=[{"status": 200, "body": {"id": "{post1}", "secret": "new"}}],
    ),
    Scenario(
        "A request's own headers take part in its rules as @request.headers.",
        method="POST",
        url=URL,
        body={
            "requests": [
                _req(
                    "POST",
                    "/api/collections/notes/records",
                    {"body": "h", "owner": "{u1}"},
                    headers={"Authorization": "{user1_token}"},
                )
            ]
        },
        status=400,
        json=_failed_at(0, {"status": 400, "message": "Failed to create record.", "data": {}}),
        then=[
            Scenario(
                "Afterwards no note was stored by the header-only auth.",
                url="/api/collections/notes/records",
                auth="superuser",
                json={"totalItems": 2},
            )
        ],
    ),
    Scenario(
        "A multipart batch attaches files to the request its part name points at.",
        method="POST",
        url=URL,
        auth="user1",
        multipart=[
            (
                "@jsonPayload",
                json.dumps(
                    {
                        "requests": [
                            _req("POST", POSTS, {"title": "NoFile", "author": "{u1}"}),
                            _req("POST", POSTS, {"title": "WithFile", "author": "{u1}"}),
                        ]
                    }
                ),
            ),
            ("requests.1.doc", PNG),
            ("requests[1].files", File("b.txt", b"hello", "text/plain")),
        ],
        json=[
            {"status": 200, "body": {"title": "NoFile", "doc": "", "files": []}},
            {
                "status": 200,
                "body": {
                    "title": "WithFile",
                    "doc": Re(r"a[a-z0-9]{10}_[a-z0-9]{10}_[a-z0-9]{10}\.png"),
                    "files": [Re(r"b[a-z0-9]{10}_[a-z0-9]{10}_[a-z0-9]{10}\.txt")],
                },
            },
        ],
        then=[_posts_titled("WithFile", 1)],
    ),
    Scenario(
        "Files for a request the batch does not have are ignored.",
        method="POST",
        url=URL,
        auth="user1",
        multipart=[
            (
                "@jsonPayload",
                json.dumps({"requests": [_req("POST", POSTS, {"title": "Lonely", "author": "{u1}"})]}),
            ),
            ("requests.3.doc", PNG),
            ("requests[-1].doc", PNG),
        ],
        json=[{"status": 200, "body": {"title": "Lonely", "doc": ""}}],
    ),
    Scenario(
        "A request naming a file that was never uploaded fails the batch with the field's error.",
        method="POST",
        url=URL,
        auth="user1",
        body={"requests": [_req("POST", POSTS, {"title": "Named", "author": "{u1}", "doc": "ghost.png"})]},
        status=400,
        json=_failed_at(
            0,
            {
                "status": 400,
                "message": "Failed to create record.",
                "data": {
                    "doc": {
                        "code": "validation_invalid_file",
                        "message": "Invalid new files: [ghost.png].",
                        "params": {"invalidFiles": ["ghost.png"]},
                    }
                },
            },
        ),
        then=[_posts_titled("Named", 0)],
    ),
    # -- failures roll everything back ------------------------------------------------------
    Scenario(
        "A failing request rolls back the ones before it and is named by its index.",
        method="POST",
        url=URL,
        body={
            "requests": [
                _req("POST", COMMENTS, {"text": "kept?", "post": "{post1}"}),
                _req("DELETE", COMMENTS + "/{c3}"),
                _req("POST", POSTS, {"title": "guest post"}),
            ]
        },
        status=400,
        json=_failed_at(2, {"status": 400, "message": "Failed to create record.", "data": {}}),
        then=[
            _comments_count(3),
            Scenario("Afterwards the deleted comment is back.", url=COMMENTS + "/{c3}", json={"text": "c3"}),
        ],
    ),
    Scenario(
        "A validation failure inside a batch carries the field errors in the nested response.",
        method="POST",
        url=URL,
        body={"requests": [_req("POST", COMMENTS, {"text": "no post"})]},
        status=400,
        json=_failed_at(
            0,
            {
                "status": 400,
                "message": "Failed to create record.",
                "data": {"post": {"code": "validation_required", "message": "Cannot be blank."}},
            },
        ),
        then=[_comments_count(3)],
    ),
    Scenario(
        "A request for a missing record fails the batch with the 404 inside.",
        method="POST",
        url=URL,
        body={"requests": [_req("PATCH", COMMENTS + "/nosuchrecord12", {"text": "x"})]},
        status=400,
        json=_failed_at(0, {"status": 404, "message": "The requested resource wasn't found.", "data": {}}),
        fresh=False,
    ),
    Scenario(
        "A request that is not one of the four record actions fails the batch.",
        method="POST",
        url=URL,
        body={"requests": [_req("GET", COMMENTS), _req("POST", COMMENTS, {"text": "x", "post": "{post1}"})]},
        status=400,
        json=_failed_at(0, {"status": 400, "message": GENERIC, "data": {}}),
        then=[_comments_count(3)],
    ),
    Scenario(
        "A later request that is not a record action fails as a 500 inside the request before it.",
        method="POST",
        url=URL,
        body={"requests": [_req("POST", COMMENTS, {"text": "x", "post": "{post1}"}), _req("GET", COMMENTS)]},
        status=400,
        json=_failed_at(1, {"status": 500, "message": GENERIC, "data": {}}),
        then=[_comments_count(3)],
    ),
    Scenario(
        "A batch request to a collection that does not exist fails with its 404.",
        method="POST",
        url=URL,
        body={"requests": [_req("POST", "/api/collections/missing/records", {"a": 1})]},
        status=400,
        json=_failed_at(0, {"status": 404, "message": "Missing collection context.", "data": {}}),
        fresh=False,
    ),
]


def test_scenario(scenario: Scenario, play: Callable[[Scenario], None]) -> None:
    play(scenario)
