"""`POST /api/collections/{c}/impersonate/{id}`: a superuser gets a non-refreshable auth token
for any auth record (PocketBase apis/record_auth_impersonate.go; pocketbase-api.md §4.10)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.harness.scenario import DATE, Jwt, Scenario

IMPERSONATE_U1 = "/api/collections/users/impersonate/{u1}"
U1_RECORD = {
    "avatar": "",
    "collectionId": "{users_id}",
    "collectionName": "users",
    "created": DATE,
    "email": "u1@example.com",
    "emailVisibility": False,
    "id": "{u1}",
    "name": "User One",
    "updated": DATE,
    "verified": True,
}
STATIC_U1_TOKEN = Jwt({"collectionId": "{users_id}", "id": "{u1}", "type": "auth", "refreshable": False})


def _error(status: int, message: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"data": data or {}, "message": message, "status": status}


SCENARIOS = [
    Scenario(
        "A guest is asked for a token before anything else.",
        method="POST",
        url="/api/collections/nope/impersonate/x",
        status=401,
        json=_error(401, "The request requires valid record authorization token."),
    ),
    Scenario(
        "A user may not impersonate anyone, not even itself.",
        method="POST",
        url=IMPERSONATE_U1,
        auth="user1",
        status=403,
        json=_error(403, "The authorized record is not allowed to perform this action."),
    ),
    Scenario(
        "An unknown collection is not an auth collection context.",
        method="POST",
        url="/api/collections/nope/impersonate/x",
        auth="superuser",
        status=404,
        json=_error(404, "Missing or invalid auth collection context."),
    ),
    Scenario(
        "A base collection is not an auth collection context either.",
        method="POST",
        url="/api/collections/posts/impersonate/{post1}",
        auth="superuser",
        status=404,
        json=_error(404, "Missing or invalid auth collection context."),
    ),
    Scenario(
        "An unknown record is not found, before the body is read.",
        method="POST",
        url="/api/collections/users/impersonate/missing",
        auth="superuser",
        raw=b"{not json",
        headers={"Content-Type": "application/json"},
        status=404,
        json=_error(404, "The requested resource wasn't found."),
    ),
    Scenario(
        "A body that cannot be read is refused.",
        method="POST",
        url=IMPERSONATE_U1,
        auth="superuser",
        body={"duration": "soon"},
        status=400,
        json=_error(400, "An error occurred while loading the submitted data."),
    ),
    Scenario(
        "A negative duration is refused with a validation error.",
        method="POST",
        url=IMPERSONATE_U1,
        auth="superuser",
        body={"duration": -1},
        status=400,
        json=_error(
            400,
            "An error occurred while validating the submitted data.",
            {
                "duration": {
                    "code": "validation_min_greater_equal_than_required",
                    "message": "Must be no less than 0.",
                    "params": {"threshold": 0},
                }
            },
        ),
    ),
    Scenario(
        "A superuser gets the record and a non-refreshable token for it.",
        method="POST",
        url=IMPERSONATE_U1,
        auth="superuser",
        json={"record": U1_RECORD, "token": STATIC_U1_TOKEN},
        capture={"impersonated": "token"},
        then=[
            Scenario(
                "The token works as the user's own.",
                url="/api/collections/users/records/{u1}",
                headers={"Authorization": "{impersonated}"},
                params={"fields": "id,email"},
                json={"id": "{u1}", "email": "u1@example.com"},
            ),
            Scenario(
                "Refreshing it gives the same token back, not a refreshable one.",
                method="POST",
                url="/api/collections/users/auth-refresh",
                headers={"Authorization": "{impersonated}"},
                json={"record": U1_RECORD, "token": "{impersonated}"},
            ),
        ],
    ),
    Scenario(
        "A duration given as a form value is honoured like a JSON one.",
        method="POST",
        url=IMPERSONATE_U1,
        auth="superuser",
        urlencoded=[("duration", "120")],
        json={"record": U1_RECORD, "token": STATIC_U1_TOKEN},
    ),
    Scenario(
        "A superuser may impersonate a superuser, itself included.",
        method="POST",
        url="/api/collections/_superusers/impersonate/{su}",
        auth="superuser",
        body={"duration": 60},
        json={
            "record": {
                "collectionId": "pbc_3142635823",
                "collectionName": "_superusers",
                "created": DATE,
                "email": "su@example.com",
                "emailVisibility": False,
                "id": "{su}",
                "updated": DATE,
                "verified": True,
            },
            "token": Jwt({"id": "{su}", "type": "auth", "refreshable": False}),
        },
    ),
]


def test_scenario(scenario: Scenario, play: Callable[[Scenario], None]) -> None:
    play(scenario)
