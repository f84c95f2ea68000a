"""The error envelope and the generic failures of the HTTP edge (pocketbase-api.md §1.1–1.4, T20)."""

from __future__ import annotations

from collections.abc import Callable

from tests.harness.scenario import Scenario

NOT_FOUND = {"data": {}, "message": "The requested resource wasn't found.", "status": 404}
BAD_REQUEST = {"data": {}, "message": "Something went wrong while processing your request.", "status": 400}
UNSUPPORTED = {"data": {}, "message": "Unsupported Content-Type.", "status": 400}
MISSING = {"data": {}, "message": "Missing collection context.", "status": 404}
MISSING_OR_INVALID = {"data": {}, "message": "Missing or invalid collection context.", "status": 404}
MISSING_AUTH = {"data": {}, "message": "Missing or invalid auth collection context.", "status": 404}


def _oversize() -> bytes:
    # 33 MiB of JSON: over the 32 MiB default body limit of every non-record route.
    return b'{"identity":"' + b"a" * (33 << 20) + b'","password":"x"}'


SCENARIOS = [
    # -- routing ----------------------------------------------------------------------------
    Scenario(
        "An unknown api path falls through to the static handler and answers 404 File not found.",
        url="/api/nope",
        status=404,
        json={"data": {}, "message": "File not found.", "status": 404},
        hooks={"*": 0},
    ),
    Scenario(
        "A trailing slash is not normalised, so the records list path with a slash is not found.",
        url="/api/collections/posts/records/",
        status=404,
        json={"data": {}, "message": "File not found.", "status": 404},
    ),
    Scenario(
        "An unknown method on a known path answers 404 rather than 405.",
        method="PUT",
        url="/api/health",
        status=404,
        json=NOT_FOUND,
        fresh=False,
    ),
    Scenario(
        "A DELETE on the health route answers 404 rather than 405.",
        method="DELETE",
        url="/api/health",
        status=404,
        json=NOT_FOUND,
        fresh=False,
    ),
    Scenario(
        "A path with a doubled slash is redirected to its clean form (307), as Go's router does.",
        url="/api//health",
        status=307,
        expect_headers={"Location": "/api/health", "X-Frame-Options": None},
        hooks={"*": 0},
    ),
    Scenario(
        "A POST to a path with a doubled slash is redirected without a body.",
        method="POST",
        url="/api//health",
        status=307,
        expect_headers={"Location": "/api/health", "Content-Length": "0"},
        fresh=False,
    ),
    Scenario(
        "Every OPTIONS request is a CORS preflight: without an Origin only Vary comes back.",
        method="OPTIONS",
        url="/api/health",
        status=204,
        expect_headers={"Vary": "Origin", "Access-Control-Allow-Origin": None, "X-Frame-Options": None},
        fresh=False,
    ),
    Scenario(
        "An OPTIONS request with an Origin but no requested method is answered as a preflight.",
        method="OPTIONS",
        url="/api/nope",
        headers={"Origin": "http://site.test"},
        status=204,
        expect_headers={
            "Access-Control-Allow-Origin": "*",
            "Access-Control-Allow-Methods": "GET,HEAD,PUT,PATCH,POST,DELETE",
            "X-Frame-Options": None,
        },
        fresh=False,
    ),
    Scenario(
        "A PATCH of /api/collections/import updates the collection named import, which does not exist.",
        method="PATCH",
        url="/api/collections/import",
        auth="superuser",
        body={},
        status=404,
        json=NOT_FOUND,
        fresh=False,
    ),
    Scenario(
        "Error bodies are JSON with data, message and status keys.",
        url="/api/nope",
        status=404,
        expect_headers={"Content-Type": "application/json"},
        contains=['"data":{}', '"status":404'],
    ),
    # -- bodies -----------------------------------------------------------------------------
    Scenario(
        "A text/plain body on a record update is refused as an unsupported content type.",
        method="PATCH",
        url="/api/collections/posts/records/{post1}",
        auth="user1",
        raw=b"x=1",
        headers={"Content-Type": "text/plain"},
        status=400,
        json=UNSUPPORTED,
        fresh=False,
    ),
    Scenario(
        "An octet-stream body on a record create is refused as an unsupported content type.",
        method="POST",
        url="/api/collections/comments/records",
        raw=b"x=1",
        headers={"Content-Type": "application/octet-stream"},
        status=400,
        json=UNSUPPORTED,
        fresh=False,
    ),
    Scenario(
        "Invalid JSON on a record create answers the generic 400 message.",
        method="POST",
        url="/api/collections/posts/records",
        auth="user1",
        raw=b'{"title": ',
        headers={"Content-Type": "application/json"},
        status=400,
        json=BAD_REQUEST,
        fresh=False,
    ),
    Scenario(
        "A JSON array instead of an object on a record create answers the generic 400 message.",
        method="POST",
        url="/api/collections/posts/records",
        auth="user1",
        raw=b"[1,2]",
        headers={"Content-Type": "application/json"},
        status=400,
        json=BAD_REQUEST,
        fresh=False,
    ),
    Scenario(
        "Invalid JSON on a collection create reports the collection type data as badly formatted.",
        method="POST",
        url="/api/collections",
        auth="superuser",
        raw=b'{"name": ',
        headers={"Content-Type": "application/json"},
        status=400,
        json={
            "data": {},
            "message": "Failed to load the collection type data due to invalid formatting.",
            "status": 400,
        },
        fresh=False,
    ),
    Scenario(
        "Invalid JSON on a collection update reports the submitted data as badly formatted.",
        method="PATCH",
        url="/api/collections/posts",
        auth="superuser",
        raw=b'{"name": ',
        headers={"Content-Type": "application/json"},
        status=400,
        json={
            "data": {},
            "message": "Failed to load the submitted data due to invalid formatting.",
            "status": 400,
        },
        fresh=False,
    ),
    Scenario(
        "An empty record create body means no data, so the required relation is reported blank.",
        method="POST",
        url="/api/collections/comments/records",
        status=400,
        json={
            "data": {"post": {"code": "validation_required", "message": "Cannot be blank."}},
            "message": "Failed to create record.",
            "status": 400,
        },
        fresh=False,
    ),
    Scenario(
        "Trailing junk after the JSON value of a login body is tolerated.",
        method="POST",
        url="/api/collections/users/auth-with-password",
        raw=b'{"identity":"u1@example.com","password":"12345678"} junk',
        headers={"Content-Type": "application/json"},
        json={"record": {"id": "{u1}"}},
    ),
    Scenario(
        "A body over 32 MiB is refused with 413 Request entity too large.",
        method="POST",
        url="/api/collections/users/auth-with-password",
        raw=_oversize,
        headers={"Content-Type": "application/json"},
        status=413,
        json={"data": {}, "message": "Request entity too large.", "status": 413},
        fresh=False,
    ),
    # -- unknown collections (the per-route messages of §1.4) -------------------------------
    Scenario(
        "Listing records of an unknown collection answers Missing collection context.",
        url="/api/collections/nope/records",
        status=404,
        json=MISSING,
        hooks={"*": 0},
    ),
    Scenario(
        "Viewing a record of an unknown collection answers Missing collection context.",
        url="/api/collections/nope/records/abc",
        status=404,
        json=MISSING,
    ),
    Scenario(
        "Deleting a record of an unknown collection answers Missing collection context.",
        method="DELETE",
        url="/api/collections/nope/records/abc",
        status=404,
        json=MISSING,
        fresh=False,
    ),
    Scenario(
        "Creating a record in an unknown collection answers Missing or invalid collection context.",
        method="POST",
        url="/api/collections/nope/records",
        body={},
        status=404,
        json=MISSING_OR_INVALID,
        fresh=False,
    ),
    Scenario(
        "Updating a record of an unknown collection answers Missing or invalid collection context.",
        method="PATCH",
        url="/api/collections/nope/records/abc",
        body={},
        status=404,
        json=MISSING_OR_INVALID,
        fresh=False,
    ),
    Scenario(
        "A password login on an unknown collection answers Missing or invalid collection context.",
        method="POST",
        url="/api/collections/nope/auth-with-password",
        body={"identity": "a@b.co", "password": "x"},
        status=404,
        json=MISSING_OR_INVALID,
        fresh=False,
    ),
    Scenario(
        "An auth refresh on an unknown collection answers Missing or invalid collection context.",
        method="POST",
        url="/api/collections/nope/auth-refresh",
        status=404,
        json=MISSING_OR_INVALID,
        fresh=False,
    ),
    Scenario(
        "A password login on a base collection answers Missing or invalid auth collection context.",
        method="POST",
        url="/api/collections/posts/auth-with-password",
        body={"identity": "a@b.co", "password": "x"},
        status=404,
        json=MISSING_AUTH,
        fresh=False,
    ),
    Scenario(
        "The auth methods of a base collection answer Missing or invalid auth collection context.",
        url="/api/collections/posts/auth-methods",
        status=404,
        json=MISSING_AUTH,
    ),
    Scenario(
        "The auth methods of an unknown collection answer Missing or invalid collection context.",
        url="/api/collections/nope/auth-methods",
        status=404,
        json=MISSING_OR_INVALID,
    ),
    # -- bad query parameters ---------------------------------------------------------------
    Scenario(
        "A non-integer page answers the generic 400 message.",
        url="/api/collections/posts/records",
        params={"page": "abc"},
        status=400,
        json=BAD_REQUEST,
    ),
    Scenario(
        "A fractional perPage answers the generic 400 message.",
        url="/api/collections/posts/records",
        params={"perPage": "1.5"},
        status=400,
        json=BAD_REQUEST,
    ),
    Scenario(
        "A skipTotal value that is not a Go bool answers 400.",
        url="/api/collections/posts/records",
        params={"skipTotal": "yes"},
        status=400,
        json=BAD_REQUEST,
    ),
    Scenario(
        "Sorting by an unknown field answers 400.",
        url="/api/collections/posts/records",
        params={"sort": "nope"},
        status=400,
        json=BAD_REQUEST,
    ),
    Scenario(
        "A filter with a missing right operand answers 400.",
        url="/api/collections/posts/records",
        params={"filter": "title ="},
        status=400,
        json=BAD_REQUEST,
    ),
    Scenario(
        "A filter on an unknown field answers 400.",
        url="/api/collections/posts/records",
        params={"filter": "nope = 1"},
        status=400,
        json=BAD_REQUEST,
    ),
    Scenario(
        "A bare identifier as a filter answers 400.",
        url="/api/collections/posts/records",
        params={"filter": "title"},
        status=400,
        json=BAD_REQUEST,
    ),
    Scenario(
        "A filter number in exponent notation answers 400.",
        url="/api/collections/posts/records",
        params={"filter": "views > 1.5e1"},
        status=400,
        json=BAD_REQUEST,
    ),
    Scenario(
        "A zero perPage and negative page fall back to the defaults.",
        url="/api/collections/posts/records",
        params={"page": "-3", "perPage": "0", "fields": "id"},
        json={"page": 1, "perPage": 30, "totalItems": 4, "totalPages": 1},
    ),
    Scenario(
        "Unknown query parameters are ignored.",
        url="/api/collections/posts/records",
        params={"unknown": "1", "fields": "id"},
        json={"page": 1, "totalItems": 4},
    ),
    # -- the Authorization header (§1.3) ---------------------------------------------------
    Scenario(
        "A token with a tampered signature is ignored, so a refresh answers 401.",
        method="POST",
        url="/api/collections/users/auth-refresh",
        headers={"Authorization": "{user1_token}x"},
        status=401,
        json={"data": {}, "message": "The request requires valid record authorization token.", "status": 401},
        fresh=False,
    ),
    Scenario(
        "A file token is not accepted as an auth token in the Authorization header.",
        method="POST",
        url="/api/collections/users/auth-refresh",
        setup=[
            Scenario(
                "The user gets a file token.",
                method="POST",
                url="/api/files/token",
                auth="user1",
                capture={"file_token": "token"},
            )
        ],
        headers={"Authorization": "{file_token}"},
        status=401,
        json={"data": {}, "message": "The request requires valid record authorization token.", "status": 401},
    ),
    # -- HEAD, CORS and headers on the records API ------------------------------------------
    Scenario(
        "A HEAD request on a records list answers 200 without a body.",
        method="HEAD",
        url="/api/collections/posts/records",
        not_contains=["items"],
    ),
    Scenario(
        "A preflight on a records route answers 204 with CORS headers and no security headers.",
        method="OPTIONS",
        url="/api/collections/posts/records",
        headers={"Origin": "http://x.y", "Access-Control-Request-Method": "PATCH"},
        status=204,
        expect_headers={
            "Access-Control-Allow-Origin": "*",
            "Access-Control-Allow-Methods": "GET,HEAD,PUT,PATCH,POST,DELETE",
            "Vary": "Origin, Access-Control-Request-Method, Access-Control-Request-Headers",
            "X-Frame-Options": None,
            "X-XSS-Protection": None,
        },
    ),
    Scenario(
        "A record answer to a cross-origin request carries CORS and security headers.",
        url="/api/collections/posts/records/{post1}",
        headers={"Origin": "http://x.y"},
        expect_headers={
            "Access-Control-Allow-Origin": "*",
            "Content-Type": "application/json",
            "Cross-Origin-Opener-Policy": "same-origin",
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "SAMEORIGIN",
            "X-XSS-Protection": "1; mode=block",
            "Vary": "Origin",
        },
    ),
    Scenario(
        "An error answer carries the security headers too.",
        url="/api/collections/nope/records",
        status=404,
        expect_headers={"X-Frame-Options": "SAMEORIGIN", "Content-Type": "application/json"},
    ),
]


def test_scenario(scenario: Scenario, play: Callable[[Scenario], None]) -> None:
    play(scenario)
