"""The list query language end to end: filter, sort, fields modifiers and expand
(pocketbase-api.md §1.7–1.10, §13 items 5–7; T8, T9, T11). Every row was checked on PocketBase 0.40.6.

Seed: posts Hello (views 5, tags a,b, author u1, due 2025), P2 (20, b,c, u2), P3 (10, c, u1), P4 (0, no
author); comments c1 (Hello, likers u1), c2 (Hello, likers u1,u2), c3 (P2, no likers). The users list
rule is `id = @request.auth.id`, so a guest joining users sees no user rows.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.harness.scenario import ABSENT, Scenario

BAD_REQUEST = {"data": {}, "message": "Something went wrong while processing your request.", "status": 400}


def posts(name: str, filter: str, titles: list[str], auth: str = "guest") -> Scenario:
    """A posts list filtered by `filter`, sorted by title, expecting exactly `titles`."""
    return Scenario(
        name,
        url="/api/collections/posts/records",
        auth=auth,
        params={"filter": filter, "sort": "title", "fields": "title"},
        json={"items": [{"title": t} for t in titles], "totalItems": len(titles)},
    )


def comments(name: str, filter: str, texts: list[str], auth: str = "guest") -> Scenario:
    """A comments list filtered by `filter`, sorted by text, expecting exactly `texts`."""
    return Scenario(
        name,
        url="/api/collections/comments/records",
        auth=auth,
        params={"filter": filter, "sort": "text", "fields": "text"},
        json={"items": [{"text": t} for t in texts], "totalItems": len(texts)},
    )


def sorted_posts(name: str, sort: str, titles: list[str], auth: str = "guest") -> Scenario:
    return Scenario(
        name,
        url="/api/collections/posts/records",
        auth=auth,
        params={"sort": sort, "fields": "title"},
        json={"items": [{"title": t} for t in titles]},
    )


def bad_filter(name: str, filter: str) -> Scenario:
    return Scenario(
        name, url="/api/collections/posts/records", params={"filter": filter}, status=400, json=BAD_REQUEST
    )


SCENARIOS = [
    # -- operators --------------------------------------------------------------------------
    posts("The contains operator matches a substring case-insensitively.", "title ~ 'p'", ["P2", "P3", "P4"]),
    posts("The not-contains operator excludes substring matches.", "title !~ 'P'", ["Hello"]),
    posts("The not-equal operator excludes the value.", "title != 'Hello'", ["P2", "P3", "P4"]),
    posts("Greater-or-equal compares numbers.", "views >= 10", ["P2", "P3"]),
    posts("Less-than compares numbers.", "views < 10", ["Hello", "P4"]),
    posts("Two comparisons joined with && both apply.", "views > 5 && views <= 20", ["P2", "P3"]),
    posts("Parentheses group an || before an &&.", "(title = 'Hello' || title = 'P2') && views > 10", ["P2"]),
    posts("Redundant parentheses are accepted.", "((title = 'Hello'))", ["Hello"]),
    posts("A line comment after the expression is ignored.", "title = 'Hello' // a comment", ["Hello"]),
    posts("A number with a fractional part equal to an integer compares equal.", "views = 5.0", ["Hello"]),
    posts("A negative number literal is accepted.", "views = -5", []),
    posts("A contains value with its own % is used as a raw LIKE pattern.", "title ~ 'hel%'", ["Hello"]),
    posts("A raw LIKE pattern may use the single character wildcard.", "title ~ '%l_o'", ["Hello"]),
    posts("A contains match works on email fields.", "contact ~ '@d.co'", ["Hello"]),
    posts("The lower modifier lowercases the field.", "title:lower = 'hello'", ["Hello"]),
    # -- booleans, nulls and empties --------------------------------------------------------
    posts("A bool field compares with true.", "published = true", ["Hello", "P2"]),
    posts("A bool field compares with false.", "published = false", ["P3", "P4"]),
    posts("An empty relation equals the empty string.", "author = ''", ["P4"]),
    posts("A non-empty relation differs from the empty string.", "author != ''", ["Hello", "P2", "P3"]),
    posts("A required text never equals null.", "title = null", []),
    posts("A null json path matches records without that key.", "meta.k = null", ["P2", "P3", "P4"]),
    # -- multi-valued fields ----------------------------------------------------------------
    posts("The length modifier counts multi select values.", "tags:length = 2", ["Hello", "P2"]),
    posts("The length of an empty multi select is zero.", "tags:length = 0", ["P4"]),
    posts("A plain each comparison requires every element to match.", "tags:each = 'c'", ["P3"]),
    posts("The each modifier with an any-of operator matches any element.", "tags:each ?= 'c'", ["P2", "P3"]),
    posts("A contains on a multi select searches its JSON text.", "tags ~ 'c'", ["P2", "P3"]),
    posts("A single select compares its value.", "status = 'draft'", ["Hello"]),
    posts("An any-of operator on a single select behaves like equals.", "status ?= 'draft'", ["Hello"]),
    # -- json, geo and dates ----------------------------------------------------------------
    posts("A json path with an array index reads into the value.", "meta.k.0 = 1", ["Hello"]),
    posts("A geo point longitude is addressable.", "loc.lon > 20", ["Hello"]),
    posts(
        "The geoDistance function measures kilometres.",
        "geoDistance(loc.lon, loc.lat, 23.32, 42.69) < 5",
        ["Hello"],
    ),
    posts("The strftime function formats a date field.", "strftime('%Y', due) = '2025'", ["Hello"]),
    posts("Dates compare as strings.", "due >= '2025-01-01' && due < '2025-12-31'", ["Hello"]),
    posts(
        "The @now macro is in the future of every created date.",
        "created <= @now",
        ["Hello", "P2", "P3", "P4"],
    ),
    posts("Nothing was created after @now.", "created > @now", []),
    # -- relations --------------------------------------------------------------------------
    posts("A relation compares with a record id.", "author = '{u1}'", ["Hello", "P3"]),
    posts("A relation id path is the relation itself.", "author.id = '{u1}'", ["Hello", "P3"]),
    posts(
        "A guest relation path joins under the users list rule and finds nothing.",
        "author.name = 'User One'",
        [],
    ),
    posts(
        "A user relation path sees the related rows the list rule allows.",
        "author.name = 'User One'",
        ["Hello", "P3"],
        auth="user1",
    ),
    posts(
        "A superuser relation path sees every related row.",
        "author.name = 'User One'",
        ["Hello", "P3"],
        "superuser",
    ),
    posts(
        "A back-relation with an any-of operator matches one comment.",
        "comments_via_post.text ?= 'c2'",
        ["Hello"],
    ),
    posts(
        "A back-relation with a plain operator needs every comment to match.",
        "comments_via_post.text = 'c2'",
        [],
    ),
    comments(
        "A plain operator on a multi relation needs all related rows to match.",
        "likers.name = 'User One'",
        ["c1"],
        auth="superuser",
    ),
    comments(
        "An any-of operator on a multi relation needs one related row to match.",
        "likers.name ?= 'User Two'",
        ["c2"],
        auth="superuser",
    ),
    comments(
        "A guest multi relation path is limited by the users list rule.", "likers.name ?= 'User Two'", []
    ),
    comments(
        "A user multi relation path sees the rows the list rule allows.",
        "likers.name ?= 'User One'",
        ["c1", "c2"],
        auth="user1",
    ),
    comments("The length modifier counts relation ids.", "likers:length = 2", ["c2"]),
    comments("The each modifier matches a relation id.", "likers:each ?= '{u2}'", ["c2"]),
    comments("A contains on a multi relation searches the id list.", "likers ~ '{u2}'", ["c2"]),
    comments("A two-level relation path joins through posts.", "post.title = 'Hello'", ["c1", "c2"]),
    comments(
        "A three-level relation path joins through posts and users.",
        "post.author.name = 'User Two'",
        ["c3"],
        auth="superuser",
    ),
    # -- invalid filters --------------------------------------------------------------------
    bad_filter("An unknown relation path answers 400.", "nope.x = 1"),
    bad_filter("A contains operator without a right operand answers 400.", "title ~ "),
    bad_filter("An unknown function answers 400.", "notafunc(title) = 1"),
    bad_filter("A dangling || answers 400.", "title = 'Hello' ||"),
    # -- sort -------------------------------------------------------------------------------
    sorted_posts("Sorting by a lowered field is accepted.", "title:lower", ["Hello", "P2", "P3", "P4"]),
    sorted_posts(
        "Sorting by created descending returns the newest first.", "-created", ["P4", "P3", "P2", "Hello"]
    ),
    sorted_posts("A plus prefix sorts ascending.", "+views", ["P4", "Hello", "P3", "P2"]),
    sorted_posts(
        "A guest sort through a relation applies the related list rule as a filter.",
        "author.name,title",
        ["P4"],
    ),
    sorted_posts(
        "A superuser sort through a relation orders by the related field.",
        "author.name,title",
        ["P4", "Hello", "P3", "P2"],
        auth="superuser",
    ),
    Scenario(
        "A random sort returns every post.",
        url="/api/collections/posts/records",
        params={"sort": "@random", "fields": "id"},
        json={"totalItems": 4},
    ),
    Scenario(
        "More than eight sort expressions answer 400.",
        url="/api/collections/posts/records",
        params={"sort": "title,views,score,status,due,link,contact,created,updated"},
        status=400,
        json=BAD_REQUEST,
    ),
    Scenario(
        "Sorting through an unknown relation path answers 400.",
        url="/api/collections/posts/records",
        params={"sort": "nope.x"},
        status=400,
        json=BAD_REQUEST,
    ),
    # -- fields modifiers -------------------------------------------------------------------
    Scenario(
        "The excerpt modifier without an ellipsis cuts to the given length.",
        url="/api/collections/posts/records/{post1}",
        params={"fields": "body:excerpt(5,false)"},
        json={"body": "Hello", "title": ABSENT},
    ),
    Scenario(
        "The excerpt modifier works on plain text fields too.",
        url="/api/collections/posts/records/{post1}",
        params={"fields": "title:excerpt(3)"},
        json={"title": "Hel"},
    ),
    Scenario(
        "An excerpt of zero length answers 400.",
        url="/api/collections/posts/records/{post1}",
        params={"fields": "body:excerpt(0)"},
        status=400,
        json=BAD_REQUEST,
    ),
    Scenario(
        "An excerpt without arguments answers 400.",
        url="/api/collections/posts/records/{post1}",
        params={"fields": "body:excerpt"},
        status=400,
        json=BAD_REQUEST,
    ),
    Scenario(
        "An unknown fields modifier answers 400.",
        url="/api/collections/posts/records/{post1}",
        params={"fields": "body:nope(3)"},
        status=400,
        json=BAD_REQUEST,
    ),
    Scenario(
        "A star keeps every field next to a picked expand path.",
        url="/api/collections/posts/records/{post1}",
        auth="superuser",
        params={"fields": "*,expand.author.name", "expand": "author"},
        json={
            "id": "{post1}",
            "title": "Hello",
            "secret": "s3cret",
            "expand": {"author": {"name": "User One"}},
        },
        not_contains=['"email"'],
    ),
    # -- expand -----------------------------------------------------------------------------
    Scenario(
        "An unknown expand is ignored and no expand key is added.",
        url="/api/collections/posts/records/{post1}",
        params={"expand": "nope"},
        json={"id": "{post1}", "expand": ABSENT},
    ),
    Scenario(
        "An expand through an unknown nested field is ignored as a whole.",
        url="/api/collections/posts/records/{post1}",
        auth="superuser",
        params={"expand": "author.nope"},
        json={"id": "{post1}", "expand": ABSENT},
    ),
    Scenario(
        "An expand of an empty relation still adds an empty expand object.",
        url="/api/collections/posts/records/{post4}",
        auth="superuser",
        params={"expand": "author", "fields": "id,expand"},
        json={"id": "{post4}", "expand": {}},
    ),
    Scenario(
        "A nested expand returns whole related records with their own expand.",
        url="/api/collections/comments/records/{c3}",
        auth="superuser",
        params={"expand": "post,post.author", "fields": "expand"},
        json={
            "expand": {
                "post": {
                    "id": "{post2}",
                    "collectionName": "posts",
                    "title": "P2",
                    "secret": "",
                    "expand": {"author": {"id": "{u2}", "name": "User Two", "email": "u2@example.com"}},
                }
            }
        },
        not_contains=["tokenKey", "password"],
    ),
    Scenario(
        "A create response honours expand and fields.",
        method="POST",
        url="/api/collections/comments/records",
        params={"expand": "post", "fields": "text,expand.post.title"},
        body={"text": "new", "post": "{post2}"},
        json={"text": "new", "expand": {"post": {"title": "P2"}}},
    ),
    Scenario(
        "An update response honours expand and fields.",
        method="PATCH",
        url="/api/collections/comments/records/{c1}",
        auth="superuser",
        params={"expand": "likers", "fields": "expand.likers.email"},
        body={"text": "x"},
        json={"expand": {"likers": [{"email": "u1@example.com"}]}},
    ),
]


def test_scenario(scenario: Scenario, play: Callable[[Scenario], None]) -> None:
    play(scenario)
