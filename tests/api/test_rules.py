"""API rules and their status codes (pocketbase-api.md §2.3, §13 items 4, 5 and 17; T5, T10).

A null rule gives 403 (before any lookup), a failed view/update/delete rule gives 404, a failed
create rule gives 400 with empty data, and a list rule only filters.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.harness.scenario import Scenario

SUPERUSERS_ONLY = {"data": {}, "message": "Only superusers can perform this action.", "status": 403}
NOT_FOUND = {"data": {}, "message": "The requested resource wasn't found.", "status": 404}
CREATE_FAILED = {"data": {}, "message": "Failed to create record.", "status": 400}
BAD_REQUEST = {"data": {}, "message": "Something went wrong while processing your request.", "status": 400}
NO_HOOKS = {"*": 0}

SCENARIOS = [
    # -- null rules: superusers only (403 before the record is looked up) -------------------
    Scenario(
        "A guest cannot list a collection whose list rule is null.",
        url="/api/collections/locked/records",
        status=403,
        json=SUPERUSERS_ONLY,
        hooks=NO_HOOKS,
    ),
    Scenario(
        "A user cannot list a collection whose list rule is null.",
        url="/api/collections/locked/records",
        auth="user1",
        status=403,
        json=SUPERUSERS_ONLY,
    ),
    Scenario(
        "A guest cannot view a record whose view rule is null.",
        url="/api/collections/locked/records/{locked1}",
        status=403,
        json=SUPERUSERS_ONLY,
        hooks=NO_HOOKS,
    ),
    Scenario(
        "The null view rule answers 403 even for a record that does not exist.",
        url="/api/collections/locked/records/nonexistent0001",
        status=403,
        json=SUPERUSERS_ONLY,
    ),
    Scenario(
        "A user cannot create a record when the create rule is null.",
        method="POST",
        url="/api/collections/locked/records",
        auth="user1",
        body={"title": "x"},
        status=403,
        json=SUPERUSERS_ONLY,
        hooks=NO_HOOKS,
        fresh=False,
    ),
    Scenario(
        "A user cannot update a record when the update rule is null.",
        method="PATCH",
        url="/api/collections/locked/records/{locked1}",
        auth="user1",
        body={"title": "x"},
        status=403,
        json=SUPERUSERS_ONLY,
        hooks=NO_HOOKS,
        fresh=False,
    ),
    Scenario(
        "A guest cannot delete a record when the delete rule is null.",
        method="DELETE",
        url="/api/collections/locked/records/{locked1}",
        status=403,
        json=SUPERUSERS_ONLY,
        hooks=NO_HOOKS,
        fresh=False,
    ),
    Scenario(
        "A superuser lists a collection whose rules are all null.",
        url="/api/collections/locked/records",
        auth="superuser",
        params={"fields": "id,title"},
        json={"totalItems": 1, "items": [{"id": "{locked1}", "title": "L1"}]},
    ),
    Scenario(
        "A superuser updates a record whose update rule is null.",
        method="PATCH",
        url="/api/collections/locked/records/{locked1}",
        auth="superuser",
        body={"title": "L2"},
        json={"id": "{locked1}", "title": "L2"},
    ),
    # -- list rules filter ------------------------------------------------------------------
    Scenario(
        "A user lists only their own notes.",
        url="/api/collections/notes/records",
        auth="user1",
        params={"fields": "id,body"},
        json={"totalItems": 1, "items": [{"id": "{note1}", "body": "n1"}]},
    ),
    Scenario(
        "A guest lists no notes and gets an empty 200 page.",
        url="/api/collections/notes/records",
        json={"items": [], "page": 1, "perPage": 30, "totalItems": 0, "totalPages": 0},
    ),
    Scenario(
        "A user lists only their own user record.",
        url="/api/collections/users/records",
        auth="user2",
        params={"fields": "id"},
        json={"totalItems": 1, "items": [{"id": "{u2}"}]},
    ),
    Scenario(
        "A superuser lists every note regardless of the list rule.",
        url="/api/collections/notes/records",
        auth="superuser",
        params={"fields": "id", "sort": "body"},
        json={"totalItems": 2, "items": [{"id": "{note1}"}, {"id": "{note2}"}]},
    ),
    Scenario(
        "A client filter is combined with the list rule.",
        url="/api/collections/notes/records",
        auth="user1",
        params={"filter": "body = 'n2'"},
        json={"totalItems": 0, "items": []},
    ),
    # -- failed view, update and delete rules: 404 ------------------------------------------
    Scenario(
        "A user viewing another user's note gets 404.",
        url="/api/collections/notes/records/{note2}",
        auth="user1",
        status=404,
        json=NOT_FOUND,
        hooks=NO_HOOKS,
    ),
    Scenario(
        "A user viewing another user's record gets 404.",
        url="/api/collections/users/records/{u2}",
        auth="user1",
        status=404,
        json=NOT_FOUND,
    ),
    Scenario(
        "A guest viewing a user record gets 404.",
        url="/api/collections/users/records/{u1}",
        status=404,
        json=NOT_FOUND,
    ),
    Scenario(
        "A user updating another author's post gets 404.",
        method="PATCH",
        url="/api/collections/posts/records/{post1}",
        auth="user2",
        body={"title": "x"},
        status=404,
        json=NOT_FOUND,
        hooks=NO_HOOKS,
        then=[
            Scenario(
                "The post is unchanged.",
                url="/api/collections/posts/records/{post1}",
                params={"fields": "title"},
                json={"title": "Hello"},
            )
        ],
    ),
    Scenario(
        "A guest updating a post gets 404.",
        method="PATCH",
        url="/api/collections/posts/records/{post1}",
        body={"title": "x"},
        status=404,
        json=NOT_FOUND,
        fresh=False,
    ),
    Scenario(
        "A user deleting another author's post gets 404.",
        method="DELETE",
        url="/api/collections/posts/records/{post1}",
        auth="user2",
        status=404,
        json=NOT_FOUND,
        hooks=NO_HOOKS,
        then=[
            Scenario(
                "The post still exists.",
                url="/api/collections/posts/records/{post1}",
                params={"fields": "id"},
                json={"id": "{post1}"},
            )
        ],
    ),
    Scenario(
        "A guest deleting a post gets 404.",
        method="DELETE",
        url="/api/collections/posts/records/{post1}",
        status=404,
        json=NOT_FOUND,
        fresh=False,
    ),
    Scenario(
        "The author deletes their own post.",
        method="DELETE",
        url="/api/collections/posts/records/{post3}",
        auth="user1",
        status=204,
    ),
    Scenario(
        "The update rule sees the submitted author, so handing a post to another user is allowed.",
        method="PATCH",
        url="/api/collections/posts/records/{post1}",
        auth="user1",
        body={"author": "{u2}"},
        json={"author": "{u2}"},
        then=[
            Scenario(
                "The former author can no longer update it.",
                method="PATCH",
                url="/api/collections/posts/records/{post1}",
                auth="user1",
                body={"title": "x"},
                status=404,
                json=NOT_FOUND,
            )
        ],
    ),
    # -- failed create rules: 400 with empty data -------------------------------------------
    Scenario(
        "A guest creating a post fails the create rule with 400 and empty data.",
        method="POST",
        url="/api/collections/posts/records",
        body={"title": "x"},
        status=400,
        json=CREATE_FAILED,
        hooks=NO_HOOKS,
        fresh=False,
    ),
    Scenario(
        "A create rule is evaluated against the submitted values.",
        method="POST",
        url="/api/collections/notes/records",
        auth="user1",
        body={"body": "x", "owner": "{u2}"},
        status=400,
        json=CREATE_FAILED,
        fresh=False,
    ),
    Scenario(
        "A create that satisfies the create rule succeeds.",
        method="POST",
        url="/api/collections/notes/records",
        auth="user1",
        body={"body": "mine", "owner": "{u1}"},
        json={"body": "mine", "owner": "{u1}"},
    ),
    Scenario(
        "An empty create rule lets a guest create a comment.",
        method="POST",
        url="/api/collections/comments/records",
        body={"text": "guest", "post": "{post2}"},
        json={"text": "guest", "post": "{post2}", "likers": []},
    ),
    # -- client filters ---------------------------------------------------------------------
    Scenario(
        "A guest filter containing @request. anywhere, even quoted, answers 403.",
        url="/api/collections/posts/records",
        params={"filter": 'title = "@request.x"'},
        status=403,
        json={"data": {}, "message": "Only superusers can filter by @request.", "status": 403},
    ),
    Scenario(
        "A user filter with @collection. answers 403.",
        url="/api/collections/posts/records",
        auth="user1",
        params={"filter": "@collection.users.name = 'User One'"},
        status=403,
        json={"data": {}, "message": "Only superusers can filter by @collection.", "status": 403},
    ),
    Scenario(
        "A user sort with @request. answers 403.",
        url="/api/collections/posts/records",
        auth="user1",
        params={"sort": "@request.auth.id"},
        status=403,
        json={"data": {}, "message": "Only superusers can filter by @request.", "status": 403},
    ),
    Scenario(
        "A superuser may filter with @request.",
        url="/api/collections/posts/records",
        auth="superuser",
        params={"filter": "@request.auth.id != ''", "fields": "id"},
        json={"totalItems": 4},
    ),
    Scenario(
        "A guest filter on a hidden field answers 400.",
        url="/api/collections/posts/records",
        params={"filter": "secret = 's3cret'"},
        status=400,
        json=BAD_REQUEST,
    ),
    Scenario(
        "A guest sort on a hidden field answers 400.",
        url="/api/collections/posts/records",
        params={"sort": "secret"},
        status=400,
        json=BAD_REQUEST,
    ),
    Scenario(
        "A superuser may filter on a hidden field.",
        url="/api/collections/posts/records",
        auth="superuser",
        params={"filter": "secret = 's3cret'", "fields": "id"},
        json={"totalItems": 1, "items": [{"id": "{post1}"}]},
    ),
    Scenario(
        "A guest filter through a relation applies the related list rule and finds nothing.",
        url="/api/collections/posts/records",
        params={"filter": "author.name = 'User One'"},
        json={"totalItems": 0, "items": []},
    ),
    Scenario(
        "A superuser filter through a relation finds the matching posts.",
        url="/api/collections/posts/records",
        auth="superuser",
        params={"filter": "author.name = 'User One'", "sort": "title", "fields": "title"},
        json={"totalItems": 2, "items": [{"title": "Hello"}, {"title": "P3"}]},
    ),
    Scenario(
        "A user filter through a relation sees only what the related list rule allows.",
        url="/api/collections/posts/records",
        auth="user1",
        params={"filter": "author.name ~ 'User'", "sort": "title", "fields": "title"},
        json={"totalItems": 2, "items": [{"title": "Hello"}, {"title": "P3"}]},
    ),
    Scenario(
        "An invalid token is treated as a guest, not as an error.",
        url="/api/collections/notes/records",
        headers={"Authorization": "eyJhbGciOiJIUzI1NiJ9.e30.invalid"},
        json={"totalItems": 0},
    ),
]


def test_scenario(scenario: Scenario, play: Callable[[Scenario], None]) -> None:
    play(scenario)
