"""Records of auth collections through the records API: sign-up, email visibility, protected
auth fields (PocketBase apis/record_crud_auth_test.go family; pocketbase-api.md §3.1, §3.4, §3.5, T4)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.harness.scenario import ABSENT, DATE, ID, Scenario

PASSWORD = "12345678"


def _failed(action: str, errors: dict[str, Any]) -> dict[str, Any]:
    return {"data": errors, "message": f"Failed to {action} record.", "status": 400}


def _err(code: str, message: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"code": code, "message": message}
    out["params"] = params if params is not None else ABSENT
    return out


def _users_public() -> Scenario:
    """Setup step: open the users list/view rules so email visibility can be observed."""
    return Scenario(
        "Open the users rules.",
        method="PATCH",
        url="/api/collections/users",
        auth="superuser",
        body={"listRule": "", "viewRule": ""},
    )


SCENARIOS = [
    # -- auth collection records ------------------------------------------------------------
    Scenario(
        "A guest signs up and the new record hides its email and never shows password or tokenKey.",
        method="POST",
        url="/api/collections/users/records",
        body={"email": "u3@example.com", "password": PASSWORD, "passwordConfirm": PASSWORD, "name": "U3"},
        json={
            "id": ID,
            "collectionName": "users",
            "name": "U3",
            "emailVisibility": False,
            "verified": False,
            "email": ABSENT,
            "avatar": "",
            "created": DATE,
            "updated": DATE,
        },
        not_contains=["password", "tokenKey", PASSWORD],
    ),
    Scenario(
        "A guest sign-up that sets verified is refused.",
        method="POST",
        url="/api/collections/users/records",
        body={"email": "u3@example.com", "password": PASSWORD, "passwordConfirm": PASSWORD, "verified": True},
        status=400,
        json=_failed("create", {"verified": _err("validation_values_mismatch", "Values don't match.")}),
        fresh=False,
    ),
    Scenario(
        "A sign-up with an email already in use is refused as not unique.",
        method="POST",
        url="/api/collections/users/records",
        body={"email": "u1@example.com", "password": PASSWORD, "passwordConfirm": PASSWORD},
        status=400,
        json=_failed("create", {"email": _err("validation_not_unique", "Value must be unique.")}),
        fresh=False,
    ),
    Scenario(
        "A sign-up whose password confirmation differs is refused.",
        method="POST",
        url="/api/collections/users/records",
        body={"email": "u4@example.com", "password": PASSWORD, "passwordConfirm": "87654321"},
        status=400,
        json=_failed(
            "create", {"passwordConfirm": _err("validation_values_mismatch", "Values don't match.")}
        ),
        fresh=False,
    ),
    Scenario(
        "A sign-up with a too short password is refused.",
        method="POST",
        url="/api/collections/users/records",
        body={"email": "u4@example.com", "password": "123", "passwordConfirm": "123"},
        status=400,
        json=_failed(
            "create",
            {
                "password": {
                    "code": "validation_min_text_constraint",
                    "message": "Must be at least 8 character(s).",
                }
            },
        ),
        fresh=False,
    ),
    Scenario(
        "A sign-up with a malformed email is refused.",
        method="POST",
        url="/api/collections/users/records",
        body={"email": "notanemail", "password": PASSWORD, "passwordConfirm": PASSWORD},
        status=400,
        json=_failed("create", {"email": _err("validation_is_email", "Must be a valid email address.")}),
        fresh=False,
    ),
    Scenario(
        "A sign-up without a password reports password and confirmation blank.",
        method="POST",
        url="/api/collections/users/records",
        body={},
        status=400,
        json=_failed(
            "create",
            {
                "password": _err("validation_required", "Cannot be blank."),
                "passwordConfirm": _err("validation_required", "Cannot be blank."),
            },
        ),
        fresh=False,
    ),
    Scenario(
        "A superuser may create a verified user and sees its email.",
        method="POST",
        url="/api/collections/users/records",
        auth="superuser",
        body={"email": "u3@example.com", "password": PASSWORD, "passwordConfirm": PASSWORD, "verified": True},
        json={"email": "u3@example.com", "verified": True},
        not_contains=["password", "tokenKey"],
    ),
    Scenario(
        "A user sees their own email even though it is not visible.",
        url="/api/collections/users/records/{u1}",
        auth="user1",
        json={
            "id": "{u1}",
            "email": "u1@example.com",
            "emailVisibility": False,
            "name": "User One",
            "verified": True,
            "collectionId": "{users_id}",
        },
        not_contains=["tokenKey", "password"],
    ),
    Scenario(
        "Another user does not see an email whose visibility is off.",
        url="/api/collections/users/records/{u1}",
        auth="user2",
        setup=[_users_public()],
        json={"id": "{u1}", "email": ABSENT, "emailVisibility": False},
    ),
    Scenario(
        "Another user sees an email whose visibility is on.",
        url="/api/collections/users/records/{u2}",
        auth="user1",
        setup=[_users_public()],
        json={"id": "{u2}", "email": "u2@example.com", "emailVisibility": True},
    ),
    Scenario(
        "A superuser sees every email in the users list.",
        url="/api/collections/users/records",
        auth="superuser",
        params={"fields": "email", "sort": "email"},
        json={"items": [{"email": "u1@example.com"}, {"email": "u2@example.com"}]},
    ),
    Scenario(
        "A user may not change their own email through an update.",
        method="PATCH",
        url="/api/collections/users/records/{u1}",
        auth="user1",
        body={"email": "new@example.com"},
        status=400,
        json=_failed("update", {"email": _err("validation_values_mismatch", "Values don't match.")}),
        fresh=False,
    ),
    Scenario(
        "A user may not change their own verified flag.",
        method="PATCH",
        url="/api/collections/users/records/{u1}",
        auth="user1",
        body={"verified": False},
        status=400,
        json=_failed("update", {"verified": _err("validation_values_mismatch", "Values don't match.")}),
        fresh=False,
    ),
    Scenario(
        "A user updates their own name.",
        method="PATCH",
        url="/api/collections/users/records/{u1}",
        auth="user1",
        body={"name": "Renamed"},
        json={"name": "Renamed", "email": "u1@example.com"},
    ),
    Scenario(
        "A guest sign-up with visible email gets the email back.",
        method="POST",
        url="/api/collections/users/records",
        body={
            "email": "u7@example.com",
            "password": PASSWORD,
            "passwordConfirm": PASSWORD,
            "emailVisibility": True,
        },
        params={"fields": "email,emailVisibility"},
        json={"email": "u7@example.com", "emailVisibility": True},
    ),
    Scenario(
        "A superuser changes a user's email and verified flag and the user's old token dies.",
        method="PATCH",
        url="/api/collections/users/records/{u2}",
        auth="superuser",
        body={"email": "u2new@example.com", "verified": True},
        params={"fields": "email,verified"},
        json={"email": "u2new@example.com", "verified": True},
        then=[
            Scenario(
                "The old token is a guest now.",
                url="/api/collections/users/records/{u2}",
                auth="user2",
                status=404,
            ),
            Scenario(
                "The new email logs in.",
                method="POST",
                url="/api/collections/users/auth-with-password",
                body={"identity": "u2new@example.com", "password": PASSWORD},
                params={"fields": "record.id"},
                json={"record": {"id": "{u2}"}},
            ),
        ],
    ),
    Scenario(
        "A user toggles their own email visibility.",
        method="PATCH",
        url="/api/collections/users/records/{u1}",
        auth="user1",
        body={"emailVisibility": True},
        params={"fields": "email,emailVisibility"},
        json={"email": "u1@example.com", "emailVisibility": True},
        setup=[_users_public()],
        then=[
            Scenario(
                "Another user now sees the email.",
                url="/api/collections/users/records/{u1}",
                auth="user2",
                params={"fields": "email"},
                json={"email": "u1@example.com"},
            )
        ],
    ),
    Scenario(
        "A tokenKey sent by a user is ignored, so the user's token keeps working.",
        method="PATCH",
        url="/api/collections/users/records/{u1}",
        auth="user1",
        body={"tokenKey": "x" * 50},
        params={"fields": "id"},
        json={"id": "{u1}"},
        not_contains=["tokenKey"],
        then=[
            Scenario(
                "The token still authenticates.",
                url="/api/collections/users/records/{u1}",
                auth="user1",
                params={"fields": "id"},
                json={"id": "{u1}"},
            )
        ],
    ),
    Scenario(
        "A user cannot view the superusers records and gets 403.",
        url="/api/collections/_superusers/records/{su}",
        auth="user1",
        status=403,
        json={"data": {}, "message": "Only superusers can perform this action.", "status": 403},
    ),
    Scenario(
        "A superuser lists the superusers without password or tokenKey.",
        url="/api/collections/_superusers/records",
        auth="superuser",
        json={"totalItems": 1, "items": [{"id": "{su}", "email": "su@example.com", "verified": True}]},
        not_contains=["password", "tokenKey"],
    ),
]


def test_scenario(scenario: Scenario, play: Callable[[Scenario], None]) -> None:
    play(scenario)
