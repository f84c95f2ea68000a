"""Helpers of the field tests: fields built from the case tables, the stand-in target collections
and strict JSON comparison."""

from __future__ import annotations

import json
from typing import Any

from palapy.schema.fields import Field, TextField, convert_fields
from palapy.schema.model import Collection
from palapy.tools.ids import field_id
from tests.unit.schema.fields.field_cases import TARGET, VIEW

TARGET_ID = "pbc_target"
VIEW_ID = "pbc_view"


def field_from_spec(name: str, spec: dict[str, Any]) -> Field:
    """A field object from a case table entry (placeholders replaced by the test ids)."""
    data = {"id": field_id(spec["type"], name), "name": name, **spec}
    if data.get("collectionId") == TARGET:
        data["collectionId"] = TARGET_ID
    elif data.get("collectionId") == VIEW:
        data["collectionId"] = VIEW_ID
    return convert_fields([data])[0]


def id_field() -> TextField:
    return TextField(
        id="text3208210256",
        name="id",
        system=True,
        required=True,
        primaryKey=True,
        min=15,
        max=15,
        pattern="^[a-z0-9]+$",
        autogeneratePattern="[a-z0-9]{15}",
    )


TARGET_COLLECTION = Collection(id=TARGET_ID, name="target", fields=[id_field()])
VIEW_COLLECTION = Collection(id=VIEW_ID, name="target_view", type="view", fields=[id_field()])


def find_collection(ref: str) -> Collection | None:
    for c in (TARGET_COLLECTION, VIEW_COLLECTION):
        if ref in (c.id, c.name):
            return c
    return None


def as_json(value: Any) -> str:
    """Compare values strictly: 1 and 1.0 (and key order) differ."""
    return json.dumps(value, ensure_ascii=False)
