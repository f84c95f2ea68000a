"""The MFA gate on password logins (answers checked against PocketBase 0.40.6 by hand)."""

from __future__ import annotations

from typing import Any

import apsw

from palapy.app import Palapy
from palapy.db.connection import query_all
from palapy.tools.dates import format_datetime, now
from tests.unit.auth.auth_support import PASSWORD_URL, Client, insert_auth_record, update_collection_options

BODY = {"identity": "u1@x.co", "password": "12345678"}


def _mfas(app: Palapy) -> list[dict[str, Any]]:
    return app.db.read_sync(lambda conn: query_all(conn, "SELECT * FROM `_mfas` ORDER BY rowid"))


def _insert_mfa(
    app: Palapy,
    record_id: str,
    method: str,
    created: str | None = None,
    collection_ref: str = "_pb_users_auth_",
) -> str:
    stamp = created or now()

    def write(conn: apsw.Connection) -> None:
        conn.execute(
            "INSERT INTO `_mfas` (id, collectionRef, recordRef, method, created, updated) VALUES (?, ?, ?, ?, ?, ?)",
            ("mfa" + "0" * 12, collection_ref, record_id, method, stamp, stamp),
        )

    app.db.write_sync(write)
    return "mfa" + "0" * 12


def _enable_mfa(app: Palapy, rule: str = "") -> None:
    update_collection_options(app, "users", mfa={"enabled": True, "duration": 600, "rule": rule})


def test_first_factor_answers_401_with_only_the_mfa_id(app: Palapy, client: Client) -> None:
    user = insert_auth_record(app, "users", "u1@x.co", "12345678")
    _enable_mfa(app)
    resp = client.login("users", BODY)
    assert resp.status_code == 401
    [row] = _mfas(app)
    assert resp.json() == {"mfaId": row["id"]}
    assert (row["collectionRef"], row["recordRef"], row["method"]) == (
        "_pb_users_auth_",
        user["id"],
        "password",
    )


def test_same_method_again_is_refused(app: Palapy, client: Client) -> None:
    insert_auth_record(app, "users", "u1@x.co", "12345678")
    _enable_mfa(app)
    mfa_id = client.login("users", BODY).json()["mfaId"]
    for resp in (
        client.login("users", {**BODY, "mfaId": mfa_id}),
        client.request("POST", PASSWORD_URL.format("users") + f"?mfaId={mfa_id}", json=BODY),
    ):
        assert (resp.status_code, resp.json()["message"]) == (
            400,
            "A different authentication method is required.",
        )


def test_a_different_first_factor_completes_the_login(app: Palapy, client: Client) -> None:
    user = insert_auth_record(app, "users", "u1@x.co", "12345678")
    _enable_mfa(app)
    mfa_id = _insert_mfa(app, user["id"], "otp")
    resp = client.login("users", {**BODY, "mfaId": mfa_id})
    assert resp.status_code == 200, resp.text
    assert set(resp.json()) == {"record", "token"}
    assert _mfas(app) == []  # consumed


def test_unknown_expired_and_foreign_sessions(app: Palapy, client: Client) -> None:
    user = insert_auth_record(app, "users", "u1@x.co", "12345678")
    other = insert_auth_record(app, "users", "u2@x.co", "12345678")
    _enable_mfa(app)
    resp = client.request("POST", PASSWORD_URL.format("users") + "?mfaId=zzz", json=BODY)
    assert (resp.status_code, resp.json()["message"]) == (400, "Invalid or expired MFA session.")

    from datetime import UTC, datetime, timedelta

    old = format_datetime(datetime.now(UTC) - timedelta(seconds=601))
    mfa_id = _insert_mfa(app, user["id"], "otp", created=old)
    resp = client.login("users", {**BODY, "mfaId": mfa_id})
    assert (resp.status_code, resp.json()["message"]) == (400, "Invalid or expired MFA session.")
    assert _mfas(app) == []  # the expired row is removed

    mfa_id = _insert_mfa(app, other["id"], "otp")
    resp = client.login("users", {**BODY, "mfaId": mfa_id})
    assert (resp.status_code, resp.json()["message"]) == (400, "Invalid MFA session.")


def test_wrong_password_never_reaches_mfa_and_bad_mfa_id_type(app: Palapy, client: Client) -> None:
    insert_auth_record(app, "users", "u1@x.co", "12345678")
    _enable_mfa(app)
    resp = client.request(
        "POST", PASSWORD_URL.format("users") + "?mfaId=zzz", json={**BODY, "password": "wrong"}
    )
    assert resp.json()["message"] == "Failed to authenticate."
    resp = client.login("users", {**BODY, "mfaId": 5})
    assert (resp.status_code, resp.json()["message"]) == (400, "Failed to read MFA Id.")


def test_refresh_skips_mfa(app: Palapy, client: Client) -> None:
    from palapy.auth.tokens import mint_auth_token

    user = insert_auth_record(app, "users", "u1@x.co", "12345678")
    _enable_mfa(app)
    users = app.collections.find("users")
    assert users is not None
    token = mint_auth_token(app, users, user)
    resp = client.request("POST", "/api/collections/users/auth-refresh", headers={"Authorization": token})
    assert resp.status_code == 200 and _mfas(app) == []
