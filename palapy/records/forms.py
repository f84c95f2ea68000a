"""The record upsert form: loads resolved body data into a record and checks the auth-only rules.

Mirrors PocketBase's RecordUpsert: superusers may set hidden fields; superusers and "managers"
(requesters matching an auth collection's manageRule) may change `email`, `verified` and the
password without `oldPassword`. The form checks run before the record's own validation.
"""

from __future__ import annotations

import copy
from typing import Any

import apsw

from palapy.core import App
from palapy.records.modifiers import normalize_value
from palapy.records.rows import empty_record
from palapy.records.service import save_record_in_tx
from palapy.rules.request_info import RequestInfo
from palapy.schema.fields import AutodateField, PasswordField
from palapy.schema.model import Collection
from palapy.tools.errors import ApiError, ValidationErrors, field_error
from palapy.tools.gocast import go_string
from palapy.tools.security import passwords

__all__ = [
    "RecordUpsert",
    "ACCESS_DEFAULT",
    "ACCESS_MANAGER",
    "ACCESS_SUPERUSER",
    "MSG_CREATE_FAILED",
    "MSG_UPDATE_FAILED",
    "hash_password",
    "verify_password",
]

ACCESS_DEFAULT, ACCESS_MANAGER, ACCESS_SUPERUSER = 0, 1, 2
MSG_CREATE_FAILED = "Failed to create record."
MSG_UPDATE_FAILED = "Failed to update record."

_MISMATCH = ("validation_values_mismatch", "Values don't match.")
_REQUIRED = ("validation_required", "Cannot be blank.")


def hash_password(plain: str, cost: int = 0) -> str:
    """Hash with the configured scheme (`cost` is the field's bcrypt cost, unused by argon2)."""

    return str(passwords.hash_password(plain, cost))


def verify_password(plain: str, hashed: str) -> bool:
    """Constant-time check of `plain` against a stored hash."""

    return bool(hashed) and bool(passwords.verify_password(plain, hashed))


def _copy_record(record: dict[str, Any]) -> dict[str, Any]:
    """A copy the form may change without touching `record`: lists of plain values are copied
    flat, anything else nested (json values) deeply; cheaper than one `deepcopy` of it all."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        kind = type(value)
        if kind is list:
            out[key] = list(value) if all(type(v) in _FLAT for v in value) else copy.deepcopy(value)
        elif kind is dict:
            out[key] = copy.deepcopy(value)
        else:
            out[key] = value
    return out


_FLAT = frozenset({str, int, float, bool, type(None)})


class RecordUpsert:
    """One create or update in the making: `record` is the would-be record (canonical values,
    password fields already hashed), `original` the stored one (None on create)."""

    def __init__(
        self,
        app: App,
        collection: Collection,
        original: dict[str, Any] | None,
        request: RequestInfo | None,
    ) -> None:
        self.app = app
        self.collection = collection
        self.original = original
        self.request = request
        self.record: dict[str, Any] = (
            _copy_record(original) if original is not None else empty_record(collection)
        )
        self.access = ACCESS_SUPERUSER if request is not None and request.is_superuser else ACCESS_DEFAULT
        self.password = ""
        self.password_confirm = ""
        self.old_password = ""
        # Plain text of each password field set by this form (validated against the field rules).
        self.plain_passwords: dict[str, str] = {}
        # OAuth2 sign-ups set a random password and skip the password form rules.
        self.skip_password_checks = False

    @property
    def is_new(self) -> bool:
        return self.original is None

    @property
    def has_manage_access(self) -> bool:
        return self.access in (ACCESS_MANAGER, ACCESS_SUPERUSER)

    def grant_manager_access(self) -> None:
        if self.access < ACCESS_MANAGER:
            self.access = ACCESS_MANAGER

    @property
    def failure_message(self) -> str:
        return MSG_CREATE_FAILED if self.is_new else MSG_UPDATE_FAILED

    # -- loading ---------------------------------------------------------------
    def set_password(self, field: PasswordField, plain: str) -> None:
        """Set a password field from plain text (empty clears it, like PocketBase)."""
        self.plain_passwords[field.name] = plain
        self.record[field.name] = hash_password(plain, field.cost) if plain else ""

    def load(self, data: dict[str, Any]) -> None:
        """Load resolved body data (modifiers already applied) into the record."""
        is_auth = self.collection.is_auth
        skip = {"expand"}
        if is_auth:
            if "password" in data:
                self.password = go_string(data["password"])
            if "passwordConfirm" in data:
                self.password_confirm = go_string(data["passwordConfirm"])
            if "oldPassword" in data:
                self.old_password = go_string(data["oldPassword"])
            skip |= {"passwordConfirm", "oldPassword"}
        for key, value in data.items():
            if key in skip:
                continue
            field = self.collection.field(key)
            if field is None or isinstance(field, AutodateField):
                continue
            # Hidden fields keep their stored value unless a superuser sets them
            # (the auth `password` is the exception).
            if (
                field.hidden
                and self.access != ACCESS_SUPERUSER
                and not (is_auth and field.name == "password")
            ):
                continue
            if isinstance(field, PasswordField):
                self.set_password(field, go_string(value))
            else:
                self.record[field.name] = normalize_value(field, value)

    # -- the auth form rules ---------------------------------------------------
    def validate_form(self) -> ValidationErrors:
        """Errors of the auth-only rules (email/verified changes, password confirmation, oldPassword)."""
        if not self.collection.is_auth:
            return {}
        errors: ValidationErrors = {}
        original = self.original if self.original is not None else empty_record(self.collection)
        manage = self.has_manage_access
        if not self.is_new and not manage and self.record.get("email") != original.get("email"):
            errors["email"] = field_error(*_MISMATCH)
        if not manage and bool(self.record.get("verified")) != bool(original.get("verified")):
            errors["verified"] = field_error(*_MISMATCH)
        if self.skip_password_checks:
            return errors
        pw, confirm, old = self.password, self.password_confirm, self.old_password
        if (self.is_new or confirm or old) and not pw:
            errors["password"] = field_error(*_REQUIRED)
        if (self.is_new or pw or old) and not confirm:
            errors["passwordConfirm"] = field_error(*_REQUIRED)
        elif confirm != pw:
            errors["passwordConfirm"] = field_error(*_MISMATCH)
        if not self.is_new and not manage and (pw or confirm):
            if not old:
                errors["oldPassword"] = field_error(*_REQUIRED)
            elif not verify_password(old, str(original.get("password") or "")):
                errors["oldPassword"] = field_error(
                    "validation_invalid_old_password", "Missing or invalid old password."
                )
        return errors

    def submit_in_tx(self, conn: apsw.Connection) -> dict[str, Any]:
        """Check the form rules, then validate and save the record in the current write.

        Returns the saved record; raises ApiError 400 with per-field data on failure.
        """

        errors = self.validate_form()
        if errors:
            raise ApiError(400, self.failure_message, errors)
        plain = {} if self.skip_password_checks else self.plain_passwords
        return save_record_in_tx(
            self.app, conn, self.collection, self.record, self.original, self.request, plain_passwords=plain
        )
