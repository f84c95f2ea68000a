"""The collection model: one row of `_collections`, its API JSON, and field lookups."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from palapy.schema.fields import Field, decode_fields
from palapy.tools import jsonx

__all__ = ["Collection", "RULE_NAMES", "AUTH_RULE_NAMES", "AUTH_OPTION_KEYS", "BASE", "AUTH", "VIEW"]

BASE, AUTH, VIEW = "base", "auth", "view"
RULE_NAMES = ("listRule", "viewRule", "createRule", "updateRule", "deleteRule")
AUTH_RULE_NAMES = ("authRule", "manageRule")
# Auth collection keys, in the order PocketBase serialises them after `system`.
AUTH_OPTION_KEYS = (
    "authRule",
    "manageRule",
    "authAlert",
    "oauth2",
    "passwordAuth",
    "mfa",
    "otp",
    "authToken",
    "passwordResetToken",
    "emailChangeToken",
    "verificationToken",
    "fileToken",
    "verificationTemplate",
    "resetPasswordTemplate",
    "confirmEmailChangeTemplate",
)
TOKEN_OPTION_KEYS = ("authToken", "passwordResetToken", "emailChangeToken", "verificationToken", "fileToken")


@dataclass
class Collection:
    """A collection definition. `options` holds the auth options (with secrets) or `viewQuery`."""

    id: str
    name: str
    type: str = BASE
    system: bool = False
    fields: list[Field] = field(default_factory=list)
    indexes: list[str] = field(default_factory=list)
    listRule: str | None = None
    viewRule: str | None = None
    createRule: str | None = None
    updateRule: str | None = None
    deleteRule: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    created: str = ""
    updated: str = ""

    # -- kinds ---------------------------------------------------------------
    @property
    def is_auth(self) -> bool:
        return self.type == AUTH

    @property
    def is_view(self) -> bool:
        return self.type == VIEW

    @property
    def is_base(self) -> bool:
        return self.type == BASE

    @property
    def hook_tags(self) -> tuple[str, str]:
        """The tags its record/collection hooks fire with: a tagged handler matches the
        collection's id or its name."""
        return (self.id, self.name)

    # -- fields --------------------------------------------------------------
    def field(self, name: str) -> Field | None:
        """The field called `name` (case-sensitive), or None."""
        for f in self.fields:
            if f.name == name:
                return f
        return None

    def field_by_id(self, field_id: str) -> Field | None:
        for f in self.fields:
            if f.id == field_id:
                return f
        return None

    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def rule(self, name: str) -> str | None:
        """A rule by name: the five record rules, or authRule/manageRule from the options."""
        if name in RULE_NAMES:
            value: str | None = getattr(self, name)
            return value
        return self.options.get(name)

    def option_dict(self, name: str) -> dict[str, Any]:
        """The options object `name` (`passwordAuth`, `mfa`, `otp`, `authToken`, ...), or `{}`
        when it is missing or not an object."""
        value = self.options.get(name)
        return value if isinstance(value, dict) else {}

    @property
    def view_query(self) -> str:
        return str(self.options.get("viewQuery", ""))

    def clone(self) -> Collection:
        return copy.deepcopy(self)

    # -- storage -------------------------------------------------------------
    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Collection:
        """Build from a `_collections` row (JSON columns as text)."""
        return cls(
            id=row["id"],
            name=row["name"],
            type=row["type"],
            system=bool(row["system"]),
            fields=decode_fields(row["fields"] or "[]"),
            indexes=list(jsonx.decode(row["indexes"] or "[]")),
            listRule=row["listRule"],
            viewRule=row["viewRule"],
            createRule=row["createRule"],
            updateRule=row["updateRule"],
            deleteRule=row["deleteRule"],
            options=dict(jsonx.decode(row["options"] or "{}") or {}),
            created=row["created"],
            updated=row["updated"],
        )

    def to_row(self) -> dict[str, Any]:
        """The `_collections` row values (JSON columns encoded as text)."""
        return {
            "id": self.id,
            "system": self.system,
            "type": self.type,
            "name": self.name,
            "fields": jsonx.encode([f.to_json() for f in self.fields]).decode(),
            "indexes": jsonx.encode(self.indexes).decode(),
            "listRule": self.listRule,
            "viewRule": self.viewRule,
            "createRule": self.createRule,
            "updateRule": self.updateRule,
            "deleteRule": self.deleteRule,
            "options": jsonx.encode(self.options).decode(),
            "created": self.created,
            "updated": self.updated,
        }

    # -- API -----------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        """The collection as the API returns it: PocketBase's key order, secrets removed."""
        out: dict[str, Any] = {
            "id": self.id,
            "listRule": self.listRule,
            "viewRule": self.viewRule,
            "createRule": self.createRule,
            "updateRule": self.updateRule,
            "deleteRule": self.deleteRule,
            "name": self.name,
            "type": self.type,
            "fields": [f.to_json() for f in self.fields],
            "indexes": list(self.indexes),
            "created": self.created,
            "updated": self.updated,
            "system": self.system,
        }
        if self.is_view:
            out["viewQuery"] = self.view_query
        if self.is_auth:
            for key in AUTH_OPTION_KEYS:
                value = copy.deepcopy(self.options.get(key))
                if key in TOKEN_OPTION_KEYS and isinstance(value, dict):
                    value.pop("secret", None)
                if key == "oauth2" and isinstance(value, dict):
                    for provider in value.get("providers") or []:
                        if isinstance(provider, dict):
                            provider.pop("clientSecret", None)
                out[key] = value
        return out
