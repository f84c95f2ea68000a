"""Records list/view/create/update/delete (PocketBase apis/record_crud_test.go; pocketbase-api.md §3, T4–T12)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.harness.scenario import ABSENT, DATE, ID, File, Scenario

NOT_FOUND = {"data": {}, "message": "The requested resource wasn't found.", "status": 404}
PASSWORD = "12345678"


def _failed(action: str, errors: dict[str, Any]) -> dict[str, Any]:
    return {"data": errors, "message": f"Failed to {action} record.", "status": 400}


def _err(code: str, message: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"code": code, "message": message}
    out["params"] = params if params is not None else ABSENT
    return out


POST1 = {
    "author": "{u1}",
    "body": "<p>Hello <b>world</b> this is a post</p>",
    "collectionId": "{posts_id}",
    "collectionName": "posts",
    "contact": "c@d.co",
    "created": DATE,
    "doc": "",
    "due": "2025-01-02 10:00:00.000Z",
    "files": [],
    "id": "{post1}",
    "link": "https://example.com/x",
    "loc": {"lon": 23.3, "lat": 42.7},
    "meta": {"k": [1, 2]},
    "published": True,
    "score": 1.5,
    "status": "draft",
    "tags": ["a", "b"],
    "title": "Hello",
    "updated": DATE,
    "views": 5,
}
POST4_EMPTY = {
    "author": "",
    "body": "",
    "contact": "",
    "doc": "",
    "due": "",
    "files": [],
    "id": "{post4}",
    "link": "",
    "loc": {"lon": 0, "lat": 0},
    "meta": None,
    "published": False,
    "score": 0,
    "status": "",
    "tags": [],
    "title": "P4",
    "views": 0,
}
LIST_HOOKS = {"*": 0, "on_records_list_request": 1, "on_record_enrich": 4}
CREATE_HOOKS = {
    "*": 0,
    "on_record_create_request": 1,
    "on_record_validate": 1,
    "on_record_create": 1,
    "on_record_create_execute": 1,
    "on_record_after_create_success": 1,
    "on_record_enrich": 1,
}
UPDATE_HOOKS = {
    "*": 0,
    "on_record_update_request": 1,
    "on_record_validate": 1,
    "on_record_update": 1,
    "on_record_update_execute": 1,
    "on_record_after_update_success": 1,
    "on_record_enrich": 1,
}
DELETE_HOOKS = {
    "*": 0,
    "on_record_delete_request": 1,
    "on_record_delete": 1,
    "on_record_delete_execute": 1,
    "on_record_after_delete_success": 1,
}


SCENARIOS = [
    # -- list -------------------------------------------------------------------------------
    Scenario(
        "A guest lists the posts in insertion order with every non-hidden field.",
        url="/api/collections/posts/records",
        json={
            "page": 1,
            "perPage": 30,
            "totalItems": 4,
            "totalPages": 1,
            "items": [POST1, {"id": "{post2}"}, {"id": "{post3}"}, {"id": "{post4}"}],
        },
        not_contains=["secret", "s3cret"],
        hooks=LIST_HOOKS,
    ),
    Scenario(
        "A superuser list includes the hidden field.",
        url="/api/collections/posts/records",
        auth="superuser",
        params={"fields": "id,secret", "perPage": "1"},
        json={"items": [{"id": "{post1}", "secret": "s3cret"}], "totalItems": 4, "totalPages": 4},
    ),
    Scenario(
        "The list response keys come in the order items, page, perPage, totalItems, totalPages.",
        url="/api/collections/comments/records",
        params={"perPage": "1"},
        contains=[
            '{"items":[{"collectionId":"{comments_id}"',
            '}],"page":1,"perPage":1,"totalItems":3,"totalPages":3}',
        ],
    ),
    Scenario(
        "The second page of two posts per page holds the third and fourth posts.",
        url="/api/collections/posts/records",
        params={"page": "2", "perPage": "2", "fields": "id"},
        json={
            "page": 2,
            "perPage": 2,
            "totalItems": 4,
            "totalPages": 2,
            "items": [{"id": "{post3}"}, {"id": "{post4}"}],
        },
    ),
    Scenario(
        "A perPage above 1000 is capped at 1000.",
        url="/api/collections/posts/records",
        params={"perPage": "5000", "fields": "id"},
        json={"perPage": 1000, "totalItems": 4},
    ),
    Scenario(
        "The skipTotal flag returns -1 totals and still pages the items.",
        url="/api/collections/posts/records",
        params={"page": "2", "perPage": "3", "skipTotal": "1", "fields": "title"},
        json={"items": [{"title": "P4"}], "page": 2, "perPage": 3, "totalItems": -1, "totalPages": -1},
    ),
    Scenario(
        "A page past the end returns no items with the real totals.",
        url="/api/collections/posts/records",
        params={"page": "9", "perPage": "2"},
        json={"items": [], "page": 9, "perPage": 2, "totalItems": 4, "totalPages": 2},
    ),
    Scenario(
        "Sorting by views descending then title orders the posts.",
        url="/api/collections/posts/records",
        params={"sort": "-views,title", "fields": "title,views"},
        json={
            "items": [
                {"title": "P2", "views": 20},
                {"title": "P3", "views": 10},
                {"title": "Hello", "views": 5},
                {"title": "P4", "views": 0},
            ]
        },
    ),
    Scenario(
        "Sorting by -@rowid returns the newest posts first.",
        url="/api/collections/posts/records",
        params={"sort": "-@rowid", "fields": "title"},
        json={"items": [{"title": "P4"}, {"title": "P3"}, {"title": "P2"}, {"title": "Hello"}]},
    ),
    Scenario(
        "A filter on the title returns only the matching post.",
        url="/api/collections/posts/records",
        params={"filter": "title = 'Hello'", "fields": "id"},
        json={"items": [{"id": "{post1}"}], "totalItems": 1},
    ),
    Scenario(
        "A plain any-of operator on a multi select compares the raw JSON text and finds nothing.",
        url="/api/collections/posts/records",
        params={"filter": "tags ?= 'c'", "fields": "title"},
        json={"items": [], "totalItems": 0},
    ),
    Scenario(
        "The each modifier with an any-of operator matches array members.",
        url="/api/collections/posts/records",
        params={"filter": "tags:each ?= 'c'", "sort": "title", "fields": "title"},
        json={"items": [{"title": "P2"}, {"title": "P3"}]},
    ),
    Scenario(
        "In filters && binds tighter than ||, as in SQL.",
        url="/api/collections/posts/records",
        params={"filter": "title='Hello' || title='P2' && views > 100", "fields": "title"},
        json={"items": [{"title": "Hello"}]},
    ),
    Scenario(
        "A null comparison matches empty dates.",
        url="/api/collections/posts/records",
        params={"filter": "due = null", "sort": "title", "fields": "title"},
        json={"items": [{"title": "P2"}, {"title": "P3"}, {"title": "P4"}]},
    ),
    Scenario(
        "The fields parameter with an excerpt modifier shortens the editor text.",
        url="/api/collections/posts/records",
        params={"fields": "title,body:excerpt(12,true)", "filter": 'title="Hello"'},
        json={"items": [{"body": "Hello world...", "title": "Hello"}], "totalItems": 1},
    ),
    Scenario(
        "A guest expanding the author gets an empty expand because the users view rule hides it.",
        url="/api/collections/posts/records",
        params={"expand": "author", "fields": "title,expand.author.name", "filter": 'title="Hello"'},
        json={"items": [{"expand": {}, "title": "Hello"}]},
    ),
    Scenario(
        "A superuser expands nested and multiple relations.",
        url="/api/collections/comments/records",
        auth="superuser",
        params={
            "expand": "post.author,likers",
            "sort": "text",
            "fields": "text,expand.post.title,expand.post.expand.author.name,expand.likers.name",
        },
        json={
            "items": [
                {
                    "text": "c1",
                    "expand": {
                        "likers": [{"name": "User One"}],
                        "post": {"title": "Hello", "expand": {"author": {"name": "User One"}}},
                    },
                },
                {
                    "text": "c2",
                    "expand": {
                        "likers": [{"name": "User One"}, {"name": "User Two"}],
                        "post": {"title": "Hello", "expand": {"author": {"name": "User One"}}},
                    },
                },
                {
                    "text": "c3",
                    "expand": {
                        "post": {"title": "P2", "expand": {"author": {"name": "User Two"}}},
                        "likers": ABSENT,
                    },
                },
            ]
        },
    ),
    Scenario(
        "A back-relation expand lists the comments of a post.",
        url="/api/collections/posts/records/{post1}",
        params={"expand": "comments_via_post", "fields": "expand.comments_via_post.text"},
        json={"expand": {"comments_via_post": [{"text": "c1"}, {"text": "c2"}]}},
    ),
    # -- view -------------------------------------------------------------------------------
    Scenario(
        "A guest views a post with every non-hidden field, keys sorted alphabetically.",
        url="/api/collections/posts/records/{post1}",
        json=POST1,
        contains=['{"author":"{u1}","body":'],
        not_contains=["secret"],
        hooks={"*": 0, "on_record_view_request": 1, "on_record_enrich": 1},
    ),
    Scenario(
        "Empty fields come back with their zero values, and json is null.",
        url="/api/collections/posts/records/{post4}",
        json=POST4_EMPTY,
    ),
    Scenario(
        "A superuser view includes the hidden field.",
        url="/api/collections/posts/records/{post1}",
        auth="superuser",
        json={"secret": "s3cret", "id": "{post1}"},
    ),
    Scenario(
        "Viewing an unknown record id answers 404.",
        url="/api/collections/posts/records/nonexistent0001",
        status=404,
        json=NOT_FOUND,
        hooks={"*": 0},
    ),
    Scenario(
        "A record is also found through the collection id.",
        url="/api/collections/{posts_id}/records/{post2}",
        params={"fields": "id,title,collectionName"},
        json={"id": "{post2}", "title": "P2", "collectionName": "posts"},
    ),
    # -- create -----------------------------------------------------------------------------
    Scenario(
        "A user creates a post with every field type and gets 200 with the normalized record.",
        method="POST",
        url="/api/collections/posts/records",
        auth="user1",
        body={
            "title": "Full",
            "body": "<p>x</p>",
            "views": 12,
            "score": 2.5,
            "published": True,
            "status": "archived",
            "tags": ["c", "a"],
            "author": "{u1}",
            "meta": {"x": [1, "y"]},
            "due": "2025-03-04 05:06:07.890Z",
            "contact": "x@y.co",
            "link": "https://a.b/c",
            "loc": {"lon": 10.5, "lat": -20.25},
        },
        json={
            "id": ID,
            "collectionId": "{posts_id}",
            "collectionName": "posts",
            "title": "Full",
            "body": "<p>x</p>",
            "views": 12,
            "score": 2.5,
            "published": True,
            "status": "archived",
            "tags": ["c", "a"],
            "author": "{u1}",
            "meta": {"x": [1, "y"]},
            "due": "2025-03-04 05:06:07.890Z",
            "contact": "x@y.co",
            "link": "https://a.b/c",
            "loc": {"lon": 10.5, "lat": -20.25},
            "doc": "",
            "files": [],
            "created": DATE,
            "updated": DATE,
        },
        hooks=CREATE_HOOKS,
        capture={"new": "id"},
        then=[
            Scenario(
                "The created post can be viewed.",
                url="/api/collections/posts/records/{new}",
                json={"id": "{new}", "title": "Full", "views": 12},
            )
        ],
    ),
    Scenario(
        "Loose input values are cast to each field's type on create.",
        method="POST",
        url="/api/collections/posts/records",
        auth="user1",
        body={
            "title": 123,
            "views": "12",
            "score": "2.5",
            "published": "t",
            "tags": ["c", "a", "c"],
            "meta": "123",
            "due": "2025-03-04",
            "loc": {"lat": 1.5},
            "status": ["draft", "published"],
        },
        json={
            "title": "123",
            "views": 12,
            "score": 2.5,
            "published": True,
            "tags": ["c", "a"],
            "meta": 123,
            "due": "2025-03-04 00:00:00.000Z",
            "loc": {"lon": 0, "lat": 1.5},
            "status": "published",
        },
    ),
    Scenario(
        "Unparseable dates become empty, bad numbers become 0 and odd strings stay json strings.",
        method="POST",
        url="/api/collections/posts/records",
        auth="user1",
        body={"title": "x", "due": "01/02/2025", "meta": "[1,2", "score": "abc", "published": "yes"},
        json={"due": "", "meta": "[1,2", "score": 0, "published": False},
    ),
    Scenario(
        "An RFC3339 date with an offset is converted to UTC and a unix number becomes empty.",
        method="POST",
        url="/api/collections/posts/records",
        auth="superuser",
        body={"title": "x", "due": "2025-01-02T10:00:00+02:00", "meta": "hello", "views": True},
        json={"due": "2025-01-02 08:00:00.000Z", "meta": "hello", "views": 1},
    ),
    Scenario(
        "A geo point sent as a JSON string is decoded and a null json stays null.",
        method="POST",
        url="/api/collections/posts/records",
        auth="user1",
        body={"title": "x", "loc": '{"lon":5,"lat":6}', "meta": None, "views": None},
        json={"loc": {"lon": 5, "lat": 6}, "meta": None, "views": 0},
    ),
    Scenario(
        "A single relation given several ids keeps the last one.",
        method="POST",
        url="/api/collections/posts/records",
        auth="superuser",
        body={"title": "x", "author": ["{u1}", "{u2}"]},
        json={"author": "{u2}"},
    ),
    Scenario(
        "Client-sent autodate values are ignored on create.",
        method="POST",
        url="/api/collections/posts/records",
        auth="user1",
        body={"title": "x", "created": "2000-01-01 00:00:00.000Z", "updated": "2000-01-01 00:00:00.000Z"},
        json={"created": DATE, "updated": DATE},
        not_contains=["2000-01-01"],
    ),
    Scenario(
        "Unknown keys and collectionName in the body are ignored.",
        method="POST",
        url="/api/collections/posts/records",
        auth="user1",
        body={
            "title": "x",
            "nope": 1,
            "collectionName": "other",
            "collectionId": "other",
            "expand": {"a": 1},
        },
        json={
            "title": "x",
            "collectionName": "posts",
            "collectionId": "{posts_id}",
            "nope": ABSENT,
            "expand": ABSENT,
        },
    ),
    Scenario(
        "A hidden field sent by a regular user is silently dropped.",
        method="POST",
        url="/api/collections/posts/records",
        auth="user1",
        body={"title": "With secret", "secret": "from-user"},
        json={"title": "With secret", "secret": ABSENT},
        capture={"new": "id"},
        then=[
            Scenario(
                "The superuser sees the secret was not saved.",
                url="/api/collections/posts/records/{new}",
                auth="superuser",
                json={"secret": ""},
            )
        ],
    ),
    Scenario(
        "A hidden field sent by a superuser is saved and returned to the superuser.",
        method="POST",
        url="/api/collections/posts/records",
        auth="superuser",
        body={"title": "x", "secret": "kept"},
        json={"secret": "kept"},
    ),
    Scenario(
        "A client-chosen 15 character id is accepted.",
        method="POST",
        url="/api/collections/posts/records",
        auth="user1",
        body={"title": "x", "id": "myclientid00001"},
        json={"id": "myclientid00001"},
        then=[
            Scenario(
                "The record is found by the chosen id.",
                url="/api/collections/posts/records/myclientid00001",
                json={"id": "myclientid00001", "title": "x"},
            )
        ],
    ),
    Scenario(
        "A client id of the wrong length is refused with the min length error.",
        method="POST",
        url="/api/collections/posts/records",
        auth="user1",
        body={"title": "a", "id": "short"},
        status=400,
        json=_failed(
            "create",
            {"id": _err("validation_min_text_constraint", "Must be at least 15 character(s).", {"min": 15})},
        ),
        fresh=False,
    ),
    Scenario(
        "A client id with uppercase letters is refused as an invalid format.",
        method="POST",
        url="/api/collections/posts/records",
        auth="user1",
        body={"title": "a", "id": "UPPERCASEID0001"},
        status=400,
        json=_failed("create", {"id": _err("validation_invalid_format", "Invalid value format.")}),
        fresh=False,
    ),
    Scenario(
        "A client id with path separators is refused as an invalid format.",
        method="POST",
        url="/api/collections/posts/records",
        auth="user1",
        body={"title": "a", "id": "abc/def/ghi/jkl"},
        status=400,
        json=_failed("create", {"id": _err("validation_invalid_format", "Invalid value format.")}),
        fresh=False,
    ),
    Scenario(
        "A client id that already exists is refused as not unique.",
        method="POST",
        url="/api/collections/posts/records",
        auth="user1",
        body={"title": "a", "id": "{post1}"},
        status=400,
        json=_failed("create", {"id": _err("validation_not_unique", "Value must be unique.")}),
        fresh=False,
    ),
    Scenario(
        "A title over the max length is refused with the max text error.",
        method="POST",
        url="/api/collections/posts/records",
        auth="user1",
        body={"title": "a" * 201},
        status=400,
        json=_failed(
            "create",
            {
                "title": _err(
                    "validation_max_text_constraint", "Must be no more than 200 character(s).", {"max": 200}
                )
            },
        ),
        fresh=False,
    ),
    Scenario(
        "A missing required title is reported blank on create.",
        method="POST",
        url="/api/collections/posts/records",
        auth="user1",
        body={"views": 1},
        status=400,
        json=_failed("create", {"title": _err("validation_required", "Cannot be blank.")}),
        hooks={"on_record_create_request": 1, "on_record_after_create_success": 0},
        fresh=False,
    ),
    Scenario(
        "A comment pointing at an unknown post is refused as missing relation records.",
        method="POST",
        url="/api/collections/comments/records",
        body={"text": "x", "post": "nonexistent0001"},
        status=400,
        json=_failed(
            "create",
            {
                "post": _err(
                    "validation_missing_rel_records",
                    "Failed to find all relation records with the provided ids.",
                )
            },
        ),
        fresh=False,
    ),
    Scenario(
        "More likers than maxSelect are refused.",
        method="POST",
        url="/api/collections/comments/records",
        body={
            "text": "x",
            "post": "{post1}",
            "likers": [
                "a00000000000001",
                "a00000000000002",
                "a00000000000003",
                "a00000000000004",
                "a00000000000005",
                "a00000000000006",
            ],
        },
        status=400,
        json=_failed(
            "create",
            {"likers": _err("validation_too_many_values", "Select no more than 5.", {"maxSelect": 5})},
        ),
        fresh=False,
    ),
    # -- multipart and urlencoded bodies ----------------------------------------------------
    Scenario(
        "A multipart create infers numbers and booleans, keeps 007 a string, merges @jsonPayload and stores a file.",
        method="POST",
        url="/api/collections/posts/records",
        auth="user1",
        multipart=[
            ("title", "007"),
            ("views", "12"),
            ("published", "true"),
            ("tags", "a"),
            ("tags", "b"),
            ("score", "1.50"),
            ("@jsonPayload", '{"meta":{"x":"12"}}'),
            ("status", "draft"),
            ("doc", File("doc.txt", b"hello doc", "text/plain")),
        ],
        json={
            "title": "007",
            "views": 12,
            "published": True,
            "tags": ["a", "b"],
            "score": 1.5,
            "meta": {"x": "12"},
            "status": "draft",
        },
        contains=['"doc":"doc_'],
    ),
    Scenario(
        "A multipart part holding a JSON object is decoded into a json field.",
        method="POST",
        url="/api/collections/posts/records",
        auth="user1",
        multipart=[("title", "x"), ("meta", '{"x":1}'), ("published", "false")],
        json={"meta": {"x": 1}, "published": False},
    ),
    Scenario(
        "An urlencoded create infers types the same way as multipart.",
        method="POST",
        url="/api/collections/posts/records",
        auth="user1",
        urlencoded=[
            ("title", "12"),
            ("views", "007"),
            ("published", "false"),
            ("tags", "c"),
            ("score", "1e3"),
            ("meta", '{"x":1}'),
        ],
        json={"title": "12", "views": 7, "published": False, "tags": ["c"], "score": 1000, "meta": {"x": 1}},
    ),
    # -- update -----------------------------------------------------------------------------
    Scenario(
        "The author updates the title only and the other fields stay as they were.",
        method="PATCH",
        url="/api/collections/posts/records/{post1}",
        auth="user1",
        body={"title": "Changed"},
        json={**POST1, "title": "Changed"},
        hooks=UPDATE_HOOKS,
        then=[
            Scenario(
                "The change is stored.",
                url="/api/collections/posts/records/{post1}",
                params={"fields": "title"},
                json={"title": "Changed"},
            )
        ],
    ),
    Scenario(
        "Several invalid values are all reported at once on update.",
        method="PATCH",
        url="/api/collections/posts/records/{post1}",
        auth="user1",
        body={
            "title": "",
            "views": 1.5,
            "tags": ["z"],
            "status": "x",
            "link": "notaurl",
            "contact": "bad",
            "loc": {"lon": 500, "lat": 0},
            "due": "garbage",
            "author": "zzz",
        },
        status=400,
        json=_failed(
            "update",
            {
                "author": _err(
                    "validation_missing_rel_records",
                    "Failed to find all relation records with the provided ids.",
                ),
                "contact": _err("validation_is_email", "Must be a valid email address."),
                "link": _err("validation_invalid_url", "Must be a valid url."),
                "loc": _err(
                    "validation_invalid_longitude", "Longitude must be between -180 and 180 degrees."
                ),
                "status": _err("validation_invalid_value", "Invalid value x.", {"value": "x"}),
                "tags": _err("validation_invalid_value", "Invalid value z.", {"value": "z"}),
                "title": _err("validation_required", "Cannot be blank."),
                "views": _err("validation_only_int_constraint", "Decimal numbers are not allowed."),
                "due": ABSENT,
            },
        ),
        then=[Scenario("Nothing was changed.", url="/api/collections/posts/records/{post1}", json=POST1)],
    ),
    Scenario(
        "An out of range latitude and a NaN number are refused on update.",
        method="PATCH",
        url="/api/collections/posts/records/{post1}",
        auth="user1",
        body={"loc": {"lon": 0, "lat": -91}, "views": "NaN"},
        status=400,
        json=_failed(
            "update",
            {
                "loc": _err("validation_invalid_latitude", "Latitude must be between -90 and 90 degrees."),
                "views": _err("validation_not_a_number", "The submitted number is not properly formatted."),
            },
        ),
        fresh=False,
    ),
    Scenario(
        "Changing the id of a record is refused.",
        method="PATCH",
        url="/api/collections/posts/records/{post1}",
        auth="user1",
        body={"id": "newidnewid00001"},
        status=400,
        json=_failed(
            "update", {"id": _err("validation_pk_change", "The record primary key cannot be changed.")}
        ),
        fresh=False,
    ),
    Scenario(
        "Number and select modifiers add, subtract, append, prepend and remove.",
        method="PATCH",
        url="/api/collections/posts/records/{post3}",
        auth="user1",
        body={"views+": 3, "score-": 0.5, "tags+": "a", "tags-": ["c"], "+tags": "b"},
        params={"fields": "views,score,tags"},
        json={"views": 13, "score": -0.5, "tags": ["b", "a"]},
    ),
    Scenario(
        "Relation modifiers append and remove ids on a multi relation.",
        method="PATCH",
        url="/api/collections/comments/records/{c3}",
        body={"likers+": ["{u2}", "{u1}"]},
        params={"fields": "likers"},
        json={"likers": ["{u2}", "{u1}"]},
        then=[
            Scenario(
                "Removing one liker keeps the other.",
                method="PATCH",
                url="/api/collections/comments/records/{c3}",
                body={"likers-": "{u2}"},
                params={"fields": "likers"},
                json={"likers": ["{u1}"]},
            )
        ],
    ),
    Scenario(
        "Appending an unknown id to a relation is refused.",
        method="PATCH",
        url="/api/collections/comments/records/{c3}",
        body={"likers+": "zzz"},
        status=400,
        json=_failed(
            "update",
            {
                "likers": _err(
                    "validation_missing_rel_records",
                    "Failed to find all relation records with the provided ids.",
                )
            },
        ),
        fresh=False,
    ),
    Scenario(
        "The updated autodate moves forward on update while created stays.",
        method="PATCH",
        url="/api/collections/comments/records/{c1}",
        body={"text": "edited"},
        json={"text": "edited", "created": DATE, "updated": DATE},
        capture={"updated": "updated", "created": "created"},
        then=[
            Scenario(
                "The stored dates differ.",
                url="/api/collections/comments/records/{c1}",
                json={"updated": "{updated}", "created": "{created}"},
                not_contains=['"created":"{updated}"'],
            )
        ],
    ),
    Scenario(
        "Updating an unknown record answers 404.",
        method="PATCH",
        url="/api/collections/posts/records/nonexistent0001",
        auth="superuser",
        body={"title": "x"},
        status=404,
        json=NOT_FOUND,
        fresh=False,
    ),
    # -- delete -----------------------------------------------------------------------------
    Scenario(
        "A superuser deletes an unreferenced post with 204 and an empty body.",
        method="DELETE",
        url="/api/collections/posts/records/{post4}",
        auth="superuser",
        status=204,
        hooks=DELETE_HOOKS,
        then=[
            Scenario(
                "The deleted post is gone.",
                url="/api/collections/posts/records/{post4}",
                status=404,
                json=NOT_FOUND,
            )
        ],
    ),
    Scenario(
        "Deleting a post cascades to its comments through the required cascade relation.",
        method="DELETE",
        url="/api/collections/posts/records/{post1}",
        auth="user1",
        status=204,
        then=[
            Scenario(
                "Only the comment of another post is left.",
                url="/api/collections/comments/records",
                params={"fields": "id"},
                json={"totalItems": 1, "items": [{"id": "{c3}"}]},
            )
        ],
    ),
    Scenario(
        "A user referenced by a required relation without cascade cannot be deleted.",
        method="DELETE",
        url="/api/collections/users/records/{u1}",
        auth="superuser",
        status=400,
        json={
            "data": {},
            "status": 400,
            "message": "Failed to delete record. Make sure that the record is not part of a required relation reference.",
        },
        then=[
            Scenario(
                "The user still exists.",
                url="/api/collections/users/records/{u1}",
                auth="superuser",
                json={"id": "{u1}"},
            )
        ],
    ),
    Scenario(
        "Deleting a user removes its id from optional relations that point at it.",
        method="DELETE",
        url="/api/collections/users/records/{u3}",
        auth="superuser",
        status=204,
        setup=[
            Scenario(
                "A third user signs up.",
                method="POST",
                url="/api/collections/users/records",
                body={"email": "u3@example.com", "password": PASSWORD, "passwordConfirm": PASSWORD},
                capture={"u3": "id"},
            ),
            Scenario(
                "The third user becomes the author of P4.",
                method="PATCH",
                url="/api/collections/posts/records/{post4}",
                auth="superuser",
                body={"author": "{u3}"},
                json={"author": "{u3}"},
            ),
            Scenario(
                "The third user likes comment c3.",
                method="PATCH",
                url="/api/collections/comments/records/{c3}",
                body={"likers": ["{u3}", "{u1}"]},
                json={"likers": ["{u3}", "{u1}"]},
            ),
        ],
        then=[
            Scenario(
                "P4 has no author any more.",
                url="/api/collections/posts/records/{post4}",
                json={"author": ""},
            ),
            Scenario(
                "Comment c3 keeps only the other liker.",
                url="/api/collections/comments/records/{c3}",
                json={"likers": ["{u1}"]},
            ),
        ],
    ),
    Scenario(
        "Deleting an unknown record answers 404.",
        method="DELETE",
        url="/api/collections/posts/records/nonexistent0001",
        auth="superuser",
        status=404,
        json=NOT_FOUND,
        hooks={"*": 0},
        fresh=False,
    ),
]


def test_scenario(scenario: Scenario, play: Callable[[Scenario], None]) -> None:
    play(scenario)
