"""`1640988000_init.go`: `_params`, `_collections` and the system collections of a new data dir.

The collections are built from the field structs in the order PocketBase creates them
(`_mfas`, `_otps`, `_externalAuths`, `_authOrigins`, `_superusers`, `users`), which is also
the order the collections API lists them in.
"""

from __future__ import annotations

import apsw

from palapy.migrations._ddl import RANDOM_ID_PK, TIMESTAMP_DEFAULT, aligned_create_table
from palapy.migrations._store import insert_collection
from palapy.migrations.runner import SystemMigration
from palapy.schema.fields import Field, FileField, PasswordField, TextField
from palapy.schema.indexes import index_sql
from palapy.schema.model import AUTH, BASE, Collection
from palapy.schema.system import (
    AUTH_ORIGINS,
    EXTERNAL_AUTHS,
    MFAS,
    OTPS,
    OWNER_RULE,
    SUPERUSERS,
    USERS,
    USERS_ID,
    auth_forced_indexes,
    auth_system_fields,
    autodate_fields,
    base_system_fields,
    new_auth_options,
    with_default_id,
)
from palapy.tools.ids import collection_id

__all__ = ["MIGRATION", "system_collections", "otps_sent_to_field"]

_PARAMS_COLUMNS = (
    ("id", RANDOM_ID_PK),
    ("value", "JSON DEFAULT NULL"),
    ("created", TIMESTAMP_DEFAULT),
    ("updated", TIMESTAMP_DEFAULT),
)
_COLLECTIONS_COLUMNS = (
    ("id", RANDOM_ID_PK),
    ("system", "BOOLEAN DEFAULT FALSE NOT NULL"),
    ("type", 'TEXT DEFAULT "base" NOT NULL'),
    ("name", "TEXT UNIQUE NOT NULL"),
    ("fields", 'JSON DEFAULT "[]" NOT NULL'),
    ("indexes", 'JSON DEFAULT "[]" NOT NULL'),
    *(
        (rule, "TEXT DEFAULT NULL")
        for rule in ("listRule", "viewRule", "createRule", "updateRule", "deleteRule")
    ),
    ("options", 'JSON DEFAULT "{}" NOT NULL'),
    ("created", TIMESTAMP_DEFAULT),
    ("updated", TIMESTAMP_DEFAULT),
)
_AVATAR_MIME_TYPES = ["image/jpeg", "image/png", "image/svg+xml", "image/gif", "image/webp"]


def _system_text(name: str, *, required: bool = True, hidden: bool = False) -> Field:
    return with_default_id(TextField(name=name, system=True, required=required, hidden=hidden))


def _reference_collection(name: str, extra: list[Field], *, deletable: bool) -> Collection:
    """A system base collection whose rows belong to one auth record (collectionRef + recordRef)."""
    c = Collection(id=collection_id(BASE, name), name=name, type=BASE, system=True)
    c.fields = [*base_system_fields(), _system_text("collectionRef"), _system_text("recordRef"), *extra]
    c.fields += autodate_fields(system=True)
    c.listRule = c.viewRule = OWNER_RULE
    if deletable:
        c.deleteRule = OWNER_RULE
    return c


def otps_sent_to_field() -> Field:
    """`_otps.sentTo`: where the OTP was sent (hidden)."""
    return _system_text("sentTo", required=False, hidden=True)


def _mfas() -> Collection:
    c = _reference_collection(MFAS, [_system_text("method")], deletable=False)
    c.indexes = [index_sql("idx_mfas_collectionRef_recordRef", MFAS, "collectionRef,recordRef")]
    return c


def _otps() -> Collection:
    # bcrypt cost 8: OTPs are short-lived, so speed matters more than hash strength.
    password = with_default_id(
        PasswordField(name="password", system=True, hidden=True, required=True, cost=8)
    )
    c = _reference_collection(OTPS, [password, otps_sent_to_field()], deletable=False)
    c.indexes = [index_sql("idx_otps_collectionRef_recordRef", OTPS, "collectionRef, recordRef")]
    return c


def _external_auths() -> Collection:
    extra = [_system_text("provider"), _system_text("providerId")]
    c = _reference_collection(EXTERNAL_AUTHS, extra, deletable=True)
    c.indexes = [
        index_sql(
            "idx_externalAuths_record_provider",
            EXTERNAL_AUTHS,
            "collectionRef, recordRef, provider",
            unique=True,
        ),
        index_sql(
            "idx_externalAuths_collection_provider",
            EXTERNAL_AUTHS,
            "collectionRef, provider, providerId",
            unique=True,
        ),
    ]
    return c


def _auth_origins() -> Collection:
    c = _reference_collection(AUTH_ORIGINS, [_system_text("fingerprint")], deletable=True)
    c.indexes = [
        index_sql(
            "idx_authOrigins_unique_pairs", AUTH_ORIGINS, "collectionRef, recordRef, fingerprint", unique=True
        )
    ]
    return c


def _auth_collection(name: str, cid: str, *, system: bool, extra: list[Field]) -> Collection:
    c = Collection(id=cid, name=name, type=AUTH, system=system)
    c.fields = [*auth_system_fields(), *extra, *autodate_fields(system=system)]
    c.indexes = auth_forced_indexes(c)
    c.options = new_auth_options(name)
    return c


def _superusers() -> Collection:
    return _auth_collection(SUPERUSERS, collection_id(AUTH, SUPERUSERS), system=True, extra=[])


def _users() -> Collection:
    extra = [
        with_default_id(TextField(name="name", max=255)),
        with_default_id(FileField(name="avatar", maxSelect=1, mimeTypes=list(_AVATAR_MIME_TYPES))),
    ]
    c = _auth_collection(USERS, USERS_ID, system=False, extra=extra)
    owner = "id = @request.auth.id"
    c.listRule = c.viewRule = c.updateRule = c.deleteRule = owner
    c.createRule = ""
    c.options["oauth2"]["mappedFields"].update({"name": "name", "avatarURL": "avatar"})
    return c


def system_collections() -> list[Collection]:
    """Fresh definitions (with new token secrets) of the collections a new data dir starts with."""
    return [_mfas(), _otps(), _external_auths(), _auth_origins(), _superusers(), _users()]


def _up(conn: apsw.Connection) -> None:
    conn.execute(aligned_create_table("_params", _PARAMS_COLUMNS, 3))
    conn.execute(aligned_create_table("_collections", _COLLECTIONS_COLUMNS, 4))
    conn.execute("CREATE INDEX IF NOT EXISTS idx__collections_type on `_collections` (`type`)")
    for collection in system_collections():
        insert_collection(conn, collection)


MIGRATION = SystemMigration("1640988000_init.go", _up)
