"""System field, auth option and auth index builders."""

from __future__ import annotations

import json

from palapy.schema.model import Collection
from palapy.schema.system import (
    SUPERUSERS,
    auth_forced_indexes,
    auth_system_fields,
    autodate_fields,
    base_system_fields,
    ensure_auth_indexes,
    field_index_name,
    id_field,
    new_auth_options,
)

# The JSON of PocketBase's auth system fields as documented in pocketbase-api.md §2.2.2.
DOCUMENTED = """
{"autogeneratePattern":"[a-z0-9]{15}","help":"","hidden":false,"id":"text3208210256","max":15,"min":15,"name":"id","pattern":"^[a-z0-9]+$","presentable":false,"primaryKey":true,"required":true,"system":true,"type":"text"}
{"cost":0,"help":"","hidden":true,"id":"password901924565","max":0,"min":8,"name":"password","pattern":"","presentable":false,"required":true,"system":true,"type":"password"}
{"autogeneratePattern":"[a-zA-Z0-9]{50}","help":"","hidden":true,"id":"text2504183744","max":60,"min":30,"name":"tokenKey","pattern":"","presentable":false,"primaryKey":false,"required":true,"system":true,"type":"text"}
{"exceptDomains":[],"help":"","hidden":false,"id":"email3885137012","name":"email","onlyDomains":[],"presentable":false,"required":true,"system":true,"type":"email"}
{"help":"","hidden":false,"id":"bool1547992806","name":"emailVisibility","presentable":false,"required":false,"system":true,"type":"bool"}
{"help":"","hidden":false,"id":"bool256245529","name":"verified","presentable":false,"required":false,"system":true,"type":"bool"}
{"hidden":false,"id":"autodate2990389176","name":"created","onCreate":true,"onUpdate":false,"presentable":false,"system":false,"type":"autodate"}
{"hidden":false,"id":"autodate3332085495","name":"updated","onCreate":true,"onUpdate":true,"presentable":false,"system":false,"type":"autodate"}
"""


def _compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


def test_system_fields_serialise_exactly_like_pocketbase() -> None:
    expected = DOCUMENTED.split()
    got = [_compact(f.to_json()) for f in [*auth_system_fields(), *autodate_fields()]]
    assert got == expected
    assert [f.to_json() for f in base_system_fields()] == [id_field().to_json()]


def test_new_auth_options_have_fresh_distinct_secrets() -> None:
    a, b = new_auth_options("users"), new_auth_options("users")
    keys = ["authToken", "passwordResetToken", "emailChangeToken", "verificationToken", "fileToken"]
    secrets = [a[k]["secret"] for k in keys] + [b[k]["secret"] for k in keys]
    assert len(set(secrets)) == 10 and all(len(s) == 50 and s.isalnum() for s in secrets)
    assert list(a) == [
        "authRule", "manageRule", "authAlert", "oauth2", "passwordAuth", "mfa", "otp", *keys,
        "verificationTemplate", "resetPasswordTemplate", "confirmEmailChangeTemplate",
    ]  # fmt: skip
    assert a["authToken"]["duration"] == 432000
    assert new_auth_options(SUPERUSERS)["authToken"]["duration"] == 86400
    assert list(a["oauth2"]) == ["providers", "mappedFields", "enabled"]
    # Mutating one collection's options must not leak into the defaults of the next.
    a["authAlert"]["emailTemplate"]["body"] = "changed"
    assert new_auth_options("x")["authAlert"]["emailTemplate"]["body"] != "changed"


def test_templates_keep_placeholders() -> None:
    opts = new_auth_options("users")
    assert "{APP_URL}/_/#/auth/confirm-verification/{TOKEN}" in opts["verificationTemplate"]["body"]
    assert "{OTP}" in opts["otp"]["emailTemplate"]["body"]
    assert "{ALERT_INFO}" in opts["authAlert"]["emailTemplate"]["body"]
    assert opts["resetPasswordTemplate"]["subject"] == "Reset your {APP_NAME} password"


def test_forced_index_names_use_the_id_and_are_cut_to_64() -> None:
    c = Collection(id="_pb_users_auth_", name="users", type="auth")
    assert auth_forced_indexes(c) == [
        "CREATE UNIQUE INDEX `idx_tokenKey__pb_users_auth_` ON `users` (`tokenKey`)",
        "CREATE UNIQUE INDEX `idx_email__pb_users_auth_` ON `users` (`email`) WHERE `email` != ''",
    ]
    long = Collection(id="x" * 80, name="members", type="auth")
    assert field_index_name(long, "tokenKey") == ("idx_tokenKey_" + "x" * 80)[:64]
    assert len(field_index_name(long, "email")) == 64
    assert field_index_name(Collection(id="", name="members"), "email") == "idx_email_members"


def test_ensure_auth_indexes_keeps_existing_equivalents() -> None:
    c = Collection(
        id="c1",
        name="members",
        type="auth",
        indexes=["CREATE UNIQUE INDEX mine ON members (email COLLATE NOCASE)"],
    )
    ensure_auth_indexes(c)
    assert c.indexes == [
        "CREATE UNIQUE INDEX mine ON members (email COLLATE NOCASE)",
        "CREATE UNIQUE INDEX `idx_tokenKey_c1` ON `members` (`tokenKey`)",
    ]
    ensure_auth_indexes(c)
    assert len(c.indexes) == 2
