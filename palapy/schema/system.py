"""The building blocks PocketBase adds to every collection: system fields, auth options, auth indexes.

Field ids follow PocketBase's rule (`type` + crc32(name)), so `id` is always `text3208210256`
and `email` always `email3885137012`, in every collection and every data dir.
"""

from __future__ import annotations

import copy
from typing import Any

from palapy.schema import auth_templates as tpl
from palapy.schema.fields import (
    AutodateField,
    BoolField,
    EmailField,
    Field,
    PasswordField,
    TextField,
)
from palapy.schema.indexes import find_single_column_unique_index
from palapy.schema.model import Collection
from palapy.tools.ids import ID_ALPHABET, field_id, random_string

__all__ = [
    "SUPERUSERS",
    "USERS",
    "USERS_ID",
    "MFAS",
    "OTPS",
    "EXTERNAL_AUTHS",
    "AUTH_ORIGINS",
    "SYSTEM_COLLECTION_NAMES",
    "OWNER_RULE",
    "RECORD_ID_PATTERN",
    "TOKEN_SECRET_LENGTH",
    "with_default_id",
    "id_field",
    "base_system_fields",
    "auth_system_fields",
    "autodate_fields",
    "new_token_secret",
    "new_auth_options",
    "field_index_name",
    "auth_forced_indexes",
    "ensure_auth_indexes",
    "AUTH_REF_COLLECTIONS",
]

SUPERUSERS = "_superusers"
USERS = "users"
USERS_ID = "_pb_users_auth_"
MFAS = "_mfas"
OTPS = "_otps"
EXTERNAL_AUTHS = "_externalAuths"
AUTH_ORIGINS = "_authOrigins"
# System collections whose rows point at an auth record by (collectionRef, recordRef).
AUTH_REF_COLLECTIONS = (EXTERNAL_AUTHS, MFAS, OTPS, AUTH_ORIGINS)
SYSTEM_COLLECTION_NAMES = (SUPERUSERS, MFAS, OTPS, EXTERNAL_AUTHS, AUTH_ORIGINS)
# Who may read an MFA/OTP/external-auth/auth-origin row: the auth record it belongs to.
OWNER_RULE = (
    "@request.auth.id != '' && recordRef = @request.auth.id && collectionRef = @request.auth.collectionId"
)
RECORD_ID_PATTERN = "^[a-z0-9]+$"
TOKEN_SECRET_LENGTH = 50


def with_default_id(field: Field) -> Field:
    """Give `field` PocketBase's default id (`type` + crc32(name)) unless it has one."""
    if not field.id:
        field.id = field_id(field.type, field.name)
    return field


def id_field() -> TextField:
    """The `id` primary key: 15 characters of [a-z0-9], generated when empty."""
    field = TextField(
        name="id",
        system=True,
        required=True,
        primaryKey=True,
        min=15,
        max=15,
        pattern=RECORD_ID_PATTERN,
        autogeneratePattern="[a-z0-9]{15}",
    )
    return with_default_id(field)  # type: ignore[return-value]


def base_system_fields() -> list[Field]:
    """The fields every base collection starts with (only `id`)."""
    return [id_field()]


def auth_system_fields() -> list[Field]:
    """id, password, tokenKey, email, emailVisibility, verified, as PocketBase adds them."""
    fields: list[Field] = [
        id_field(),
        PasswordField(name="password", system=True, hidden=True, required=True, min=8),
        TextField(
            name="tokenKey",
            system=True,
            hidden=True,
            required=True,
            min=30,
            max=60,
            autogeneratePattern=f"[a-zA-Z0-9]{{{TOKEN_SECRET_LENGTH}}}",
        ),
        EmailField(name="email", system=True, required=True),
        BoolField(name="emailVisibility", system=True),
        BoolField(name="verified", system=True),
    ]
    return [with_default_id(f) for f in fields]


def autodate_fields(*, system: bool = False) -> list[Field]:
    """`created` (set on create) and `updated` (set on create and update)."""
    return [
        with_default_id(AutodateField(name="created", system=system, onCreate=True)),
        with_default_id(AutodateField(name="updated", system=system, onCreate=True, onUpdate=True)),
    ]


def new_token_secret() -> str:
    """A fresh signing secret for one token type of an auth collection."""
    return random_string(TOKEN_SECRET_LENGTH)


def _token(duration: int) -> dict[str, Any]:
    return {"secret": new_token_secret(), "duration": duration}


def new_auth_options(name: str) -> dict[str, Any]:
    """Default auth options of a new auth collection, in PocketBase's key order, with new secrets.

    `_superusers` differs only in its auth token lifetime (1 day instead of 5).
    """
    return {
        "authRule": "",
        "manageRule": None,
        "authAlert": {"enabled": True, "emailTemplate": copy.deepcopy(tpl.AUTH_ALERT_TEMPLATE)},
        "oauth2": {
            "providers": [],
            "mappedFields": {"id": "", "name": "", "username": "", "avatarURL": ""},
            "enabled": False,
        },
        "passwordAuth": {"enabled": True, "identityFields": ["email"]},
        "mfa": {"enabled": False, "duration": 600, "rule": ""},
        "otp": {
            "enabled": False,
            "duration": 180,
            "length": 8,
            "emailTemplate": copy.deepcopy(tpl.OTP_TEMPLATE),
        },
        "authToken": _token(86400 if name == SUPERUSERS else 432000),
        "passwordResetToken": _token(1800),
        "emailChangeToken": _token(1800),
        "verificationToken": _token(86400),
        "fileToken": _token(180),
        "verificationTemplate": copy.deepcopy(tpl.VERIFICATION_TEMPLATE),
        "resetPasswordTemplate": copy.deepcopy(tpl.RESET_PASSWORD_TEMPLATE),
        "confirmEmailChangeTemplate": copy.deepcopy(tpl.CONFIRM_EMAIL_CHANGE_TEMPLATE),
    }


def field_index_name(collection: Collection, field_name: str) -> str:
    """`idx_{field}_{collection id or name}`, cut to SQLite-friendly 64 characters like PocketBase."""
    suffix = collection.id or collection.name or random_string(10, ID_ALPHABET)
    return f"idx_{field_name}_{suffix}"[:64]


def auth_forced_indexes(collection: Collection) -> list[str]:
    """The unique `tokenKey` and `email` indexes every auth collection must have."""
    return [
        f"CREATE UNIQUE INDEX `{field_index_name(collection, 'tokenKey')}` ON `{collection.name}` (`tokenKey`)",
        f"CREATE UNIQUE INDEX `{field_index_name(collection, 'email')}` ON `{collection.name}` (`email`) "
        "WHERE `email` != ''",
    ]


def ensure_auth_indexes(collection: Collection) -> None:
    """Append the forced auth indexes that have no single-column UNIQUE equivalent yet."""
    token_sql, email_sql = auth_forced_indexes(collection)
    if find_single_column_unique_index(collection.indexes, "tokenKey") is None:
        collection.indexes.append(token_sql)
    if find_single_column_unique_index(collection.indexes, "email") is None:
        collection.indexes.append(email_sql)
