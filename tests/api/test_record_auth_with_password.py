"""Password login, auth refresh, auth methods and token invalidation
(PocketBase apis/record_auth_with_password_test.go, record_auth_refresh_test.go; pocketbase-api.md §4, T2, T18, T19)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.harness.scenario import ABSENT, ANY, DATE, JWT, Jwt, Scenario

LOGIN = "/api/collections/users/auth-with-password"
SU_LOGIN = "/api/collections/_superusers/auth-with-password"
REFRESH = "/api/collections/users/auth-refresh"
PASSWORD = "12345678"
FAILED = {"data": {}, "message": "Failed to authenticate.", "status": 400}
UNAUTHORIZED = {
    "data": {},
    "message": "The request requires valid record authorization token.",
    "status": 401,
}
NOT_FOUND = {"data": {}, "message": "The requested resource wasn't found.", "status": 404}
AUTH_RULE_FAILED = {
    "data": {},
    "status": 403,
    "message": "The request doesn't satisfy the collection requirements to authenticate.",
}
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
AUTH_HOOKS = {
    "*": 0,
    "on_record_auth_with_password_request": 1,
    "on_record_auth_request": 1,
    "on_record_enrich": 1,
}


def _invalid(errors: dict[str, Any]) -> dict[str, Any]:
    return {
        "data": errors,
        "message": "An error occurred while validating the submitted data.",
        "status": 400,
    }


def _patch_users(body: dict[str, Any]) -> Scenario:
    return Scenario(
        "Change the users collection.",
        method="PATCH",
        url="/api/collections/users",
        auth="superuser",
        body=body,
    )


SCENARIOS = [
    # -- password login ---------------------------------------------------------------------
    Scenario(
        "A superuser logs in and gets the record and an HS256 auth token without iat.",
        method="POST",
        url=SU_LOGIN,
        body={"identity": "su@example.com", "password": "pass123456"},
        json={
            "record": {
                "collectionId": "{superusers_id}",
                "collectionName": "_superusers",
                "created": DATE,
                "email": "su@example.com",
                "emailVisibility": False,
                "id": "{su}",
                "updated": DATE,
                "verified": True,
            },
            "token": Jwt(
                {
                    "collectionId": "{superusers_id}",
                    "id": "{su}",
                    "type": "auth",
                    "refreshable": True,
                    "exp": ANY,
                    "iat": ABSENT,
                }
            ),
        },
        not_contains=["password", "tokenKey"],
    ),
    Scenario(
        "A user logs in and the auth response includes the email even though it is not visible.",
        method="POST",
        url=LOGIN,
        body={"identity": "u1@example.com", "password": PASSWORD},
        json={
            "record": U1_RECORD,
            "token": Jwt({"collectionId": "{users_id}", "id": "{u1}", "type": "auth", "refreshable": True}),
        },
        contains=['{"record":{"avatar":""'],
        hooks=AUTH_HOOKS,
    ),
    Scenario(
        "The new token works as the Authorization header of a later request.",
        method="POST",
        url=LOGIN,
        body={"identity": "u1@example.com", "password": PASSWORD},
        capture={"fresh_token": "token"},
        then=[
            Scenario(
                "The user views their own record with the new token.",
                url="/api/collections/users/records/{u1}",
                headers={"Authorization": "{fresh_token}"},
                json={"id": "{u1}"},
            )
        ],
    ),
    Scenario(
        "A wrong password fails with the uniform message.",
        method="POST",
        url=LOGIN,
        body={"identity": "u1@example.com", "password": "wrong-password"},
        status=400,
        json=FAILED,
        fresh=False,
    ),
    Scenario(
        "An unknown identity fails with the same message as a wrong password.",
        method="POST",
        url=LOGIN,
        body={"identity": "nobody@example.com", "password": PASSWORD},
        status=400,
        json=FAILED,
        fresh=False,
    ),
    Scenario(
        "The identity lookup is case-sensitive with the default email index.",
        method="POST",
        url=LOGIN,
        body={"identity": "U1@EXAMPLE.COM", "password": PASSWORD},
        status=400,
        json=FAILED,
        fresh=False,
    ),
    Scenario(
        "Superuser credentials do not log in to the users collection.",
        method="POST",
        url=LOGIN,
        body={"identity": "su@example.com", "password": "pass123456"},
        status=400,
        json=FAILED,
        fresh=False,
    ),
    Scenario(
        "User credentials do not log in to the superusers collection.",
        method="POST",
        url=SU_LOGIN,
        body={"identity": "u1@example.com", "password": PASSWORD},
        status=400,
        json=FAILED,
        fresh=False,
    ),
    Scenario(
        "An empty login body reports identity and password blank.",
        method="POST",
        url=LOGIN,
        body={},
        status=400,
        json=_invalid(
            {
                "identity": {"code": "validation_required", "message": "Cannot be blank."},
                "password": {"code": "validation_required", "message": "Cannot be blank."},
            }
        ),
        hooks={"*": 0},
        fresh=False,
    ),
    Scenario(
        "An identity longer than 255 characters is refused.",
        method="POST",
        url=LOGIN,
        body={"identity": "a" * 300, "password": PASSWORD},
        status=400,
        json=_invalid(
            {
                "identity": {
                    "code": "validation_length_out_of_range",
                    "message": "The length must be between 1 and 255.",
                    "params": {"max": 255, "min": 1},
                }
            }
        ),
        fresh=False,
    ),
    Scenario(
        "An identityField that is not configured is refused.",
        method="POST",
        url=LOGIN,
        body={"identity": "u1@example.com", "password": PASSWORD, "identityField": "name"},
        status=400,
        json=_invalid(
            {"identityField": {"code": "validation_in_invalid", "message": "Must be a valid value."}}
        ),
        fresh=False,
    ),
    Scenario(
        "An explicit email identityField logs in and the fields parameter trims the answer.",
        method="POST",
        url=LOGIN,
        params={"fields": "token,record.id"},
        body={"identity": "u1@example.com", "password": PASSWORD, "identityField": "email"},
        json={"record": {"id": "{u1}", "email": ABSENT}, "token": JWT},
    ),
    Scenario(
        "The login form keys are matched case-insensitively.",
        method="POST",
        url=LOGIN,
        body={"IDENTITY": "u1@example.com", "PASSWORD": PASSWORD},
        params={"fields": "record.id"},
        json={"record": {"id": "{u1}"}},
    ),
    Scenario(
        "An urlencoded login works like a JSON login.",
        method="POST",
        url=LOGIN,
        urlencoded=[("identity", "u2@example.com"), ("password", PASSWORD)],
        params={"fields": "record.email,record.emailVisibility,record.verified"},
        json={"record": {"email": "u2@example.com", "emailVisibility": True, "verified": False}},
    ),
    Scenario(
        "A multipart login works like a JSON login.",
        method="POST",
        url=LOGIN,
        multipart=[("identity", "u2@example.com"), ("password", PASSWORD)],
        params={"fields": "record.id"},
        json={"record": {"id": "{u2}"}},
    ),
    Scenario(
        "An unknown expand on a login is ignored silently.",
        method="POST",
        url=LOGIN,
        params={"expand": "nope", "fields": "record.id"},
        body={"identity": "u1@example.com", "password": PASSWORD},
        json={"record": {"id": "{u1}"}},
    ),
    Scenario(
        "A failed auth rule refuses the login with 403.",
        method="POST",
        url=LOGIN,
        body={"identity": "u2@example.com", "password": PASSWORD},
        setup=[_patch_users({"authRule": "verified = true"})],
        status=403,
        json=AUTH_RULE_FAILED,
        then=[
            Scenario(
                "The verified user still logs in.",
                method="POST",
                url=LOGIN,
                body={"identity": "u1@example.com", "password": PASSWORD},
                params={"fields": "record.id"},
                json={"record": {"id": "{u1}"}},
            )
        ],
    ),
    Scenario(
        "A null auth rule refuses every login with 403.",
        method="POST",
        url=LOGIN,
        body={"identity": "u1@example.com", "password": PASSWORD},
        setup=[_patch_users({"authRule": None})],
        status=403,
        json=AUTH_RULE_FAILED,
    ),
    Scenario(
        "Disabled password auth refuses the login with 403.",
        method="POST",
        url=LOGIN,
        body={"identity": "u1@example.com", "password": PASSWORD},
        setup=[_patch_users({"passwordAuth": {"enabled": False}})],
        status=403,
        json={
            "data": {},
            "message": "The collection is not configured to allow password authentication.",
            "status": 403,
        },
        then=[
            Scenario(
                "The auth methods report password auth disabled.",
                url="/api/collections/users/auth-methods",
                params={"fields": "password"},
                json={"password": {"identityFields": [], "enabled": False}},
            )
        ],
    ),
    # -- auth methods -----------------------------------------------------------------------
    Scenario(
        "The auth methods of users list password auth with legacy keys.",
        url="/api/collections/users/auth-methods",
        json={
            "password": {"identityFields": ["email"], "enabled": True},
            "oauth2": {"providers": [], "enabled": False},
            "mfa": {"enabled": False, "duration": 0},
            "otp": {"enabled": False, "duration": 0},
            "authProviders": [],
            "usernamePassword": False,
            "emailPassword": True,
        },
    ),
    Scenario(
        "The auth methods as the SDK asks for them drop the legacy keys.",
        url="/api/collections/users/auth-methods",
        params={"fields": "mfa,otp,password,oauth2"},
        json={
            "password": {"identityFields": ["email"], "enabled": True},
            "authProviders": ABSENT,
            "emailPassword": ABSENT,
        },
    ),
    # -- refresh ----------------------------------------------------------------------------
    Scenario(
        "An auth refresh without a token answers 401.",
        method="POST",
        url=REFRESH,
        status=401,
        json=UNAUTHORIZED,
        hooks={"*": 0},
        fresh=False,
    ),
    Scenario(
        "An auth refresh with a garbage token answers 401.",
        method="POST",
        url=REFRESH,
        headers={"Authorization": "garbage"},
        status=401,
        json=UNAUTHORIZED,
        fresh=False,
    ),
    Scenario(
        "An auth refresh with a token of another collection answers 403.",
        method="POST",
        url="/api/collections/_superusers/auth-refresh",
        auth="user1",
        status=403,
        json={
            "data": {},
            "message": "The request requires auth record from users collection.",
            "status": 403,
        },
        fresh=False,
    ),
    Scenario(
        "An auth refresh returns the current record and a fresh token.",
        method="POST",
        url=REFRESH,
        auth="user1",
        json={"record": U1_RECORD, "token": Jwt({"id": "{u1}", "type": "auth", "refreshable": True})},
        hooks={
            "*": 0,
            "on_record_auth_refresh_request": 1,
            "on_record_auth_request": 1,
            "on_record_enrich": 1,
        },
        fresh=False,
    ),
    Scenario(
        "A Bearer prefix on the Authorization header is accepted.",
        method="POST",
        url=REFRESH,
        headers={"Authorization": "Bearer {user1_token}"},
        params={"fields": "record.id"},
        json={"record": {"id": "{u1}"}},
        fresh=False,
    ),
    Scenario(
        "A lowercase bearer prefix is accepted too.",
        method="POST",
        url=REFRESH,
        headers={"Authorization": "bearer {user2_token}"},
        params={"fields": "record.id"},
        json={"record": {"id": "{u2}"}},
        fresh=False,
    ),
    Scenario(
        "A superuser refreshes on the superusers collection.",
        method="POST",
        url="/api/collections/_superusers/auth-refresh",
        auth="superuser",
        params={"fields": "record.email"},
        json={"record": {"email": "su@example.com"}},
        fresh=False,
    ),
    # -- superuser-only areas with a user token (T18) ---------------------------------------
    Scenario(
        "A user token on the settings answers 403.",
        url="/api/settings",
        auth="user1",
        status=403,
        json={
            "data": {},
            "message": "The authorized record is not allowed to perform this action.",
            "status": 403,
        },
    ),
    Scenario(
        "A user token on the superuser records answers Only superusers can perform this action.",
        url="/api/collections/_superusers/records",
        auth="user1",
        status=403,
        json={"data": {}, "message": "Only superusers can perform this action.", "status": 403},
    ),
    # -- token invalidation (T19) -----------------------------------------------------------
    Scenario(
        "A password change without the old password is refused.",
        method="PATCH",
        url="/api/collections/users/records/{u2}",
        auth="user2",
        body={"password": "abcdefgh1", "passwordConfirm": "abcdefgh1"},
        status=400,
        json={
            "data": {"oldPassword": {"code": "validation_required", "message": "Cannot be blank."}},
            "message": "Failed to update record.",
            "status": 400,
        },
        fresh=False,
    ),
    Scenario(
        "A password change with a wrong old password is refused.",
        method="PATCH",
        url="/api/collections/users/records/{u2}",
        auth="user2",
        body={"password": "abcdefgh1", "passwordConfirm": "abcdefgh1", "oldPassword": "bad"},
        status=400,
        json={
            "data": {
                "oldPassword": {
                    "code": "validation_invalid_old_password",
                    "message": "Missing or invalid old password.",
                }
            },
            "message": "Failed to update record.",
            "status": 400,
        },
        fresh=False,
    ),
    Scenario(
        "A password change with the old password succeeds and kills the old tokens.",
        method="PATCH",
        url="/api/collections/users/records/{u2}",
        auth="user2",
        body={"password": "abcdefgh1", "passwordConfirm": "abcdefgh1", "oldPassword": PASSWORD},
        json={"id": "{u2}", "email": "u2@example.com"},
        not_contains=["password"],
        then=[
            Scenario(
                "The old token now counts as a guest, so the view rule hides the record.",
                url="/api/collections/users/records/{u2}",
                auth="user2",
                status=404,
                json=NOT_FOUND,
            ),
            Scenario(
                "The old token cannot be refreshed.",
                method="POST",
                url=REFRESH,
                auth="user2",
                status=401,
                json=UNAUTHORIZED,
            ),
            Scenario(
                "The old password no longer logs in.",
                method="POST",
                url=LOGIN,
                body={"identity": "u2@example.com", "password": PASSWORD},
                status=400,
                json=FAILED,
            ),
            Scenario(
                "The new password logs in.",
                method="POST",
                url=LOGIN,
                body={"identity": "u2@example.com", "password": "abcdefgh1"},
                params={"fields": "record.id"},
                json={"record": {"id": "{u2}"}},
            ),
            Scenario(
                "Other users' tokens keep working.",
                method="POST",
                url=REFRESH,
                auth="user1",
                params={"fields": "record.id"},
                json={"record": {"id": "{u1}"}},
            ),
        ],
    ),
    Scenario(
        "A superuser sets a user's password without the old one and the user's old token dies.",
        method="PATCH",
        url="/api/collections/users/records/{u1}",
        auth="superuser",
        body={"password": "newpass123", "passwordConfirm": "newpass123"},
        params={"fields": "id"},
        json={"id": "{u1}"},
        then=[
            Scenario(
                "The user's old token is a guest now.",
                url="/api/collections/users/records/{u1}",
                auth="user1",
                status=404,
                json=NOT_FOUND,
            )
        ],
    ),
    Scenario(
        "Changing the auth rule rotates the collection secret and kills every token of the collection.",
        method="PATCH",
        url="/api/collections/users",
        auth="superuser",
        body={"authRule": "id != ''"},
        json={"authRule": "id != ''"},
        then=[
            Scenario(
                "The first user's old token cannot refresh.",
                method="POST",
                url=REFRESH,
                auth="user1",
                status=401,
                json=UNAUTHORIZED,
            ),
            Scenario(
                "The second user's old token cannot refresh.",
                method="POST",
                url=REFRESH,
                auth="user2",
                status=401,
                json=UNAUTHORIZED,
            ),
            Scenario(
                "A new login still works.",
                method="POST",
                url=LOGIN,
                body={"identity": "u1@example.com", "password": PASSWORD},
                params={"fields": "record.id"},
                json={"record": {"id": "{u1}"}},
            ),
            Scenario(
                "The superuser token is not affected.",
                url="/api/collections/users",
                auth="superuser",
                params={"fields": "name"},
                json={"name": "users"},
            ),
        ],
    ),
    Scenario(
        "Deleting a user makes its token a guest.",
        method="DELETE",
        url="/api/collections/users/records/{u2}",
        auth="superuser",
        status=204,
        setup=[
            Scenario(
                "Remove the note that requires the user.",
                method="DELETE",
                url="/api/collections/notes/records/{note2}",
                auth="superuser",
                status=204,
            )
        ],
        then=[
            Scenario(
                "The deleted user's token cannot refresh.",
                method="POST",
                url=REFRESH,
                auth="user2",
                status=401,
                json=UNAUTHORIZED,
            )
        ],
    ),
]


def test_scenario(scenario: Scenario, play: Callable[[Scenario], None]) -> None:
    play(scenario)
