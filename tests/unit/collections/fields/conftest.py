"""Fixtures for the field tests: fields built from the case tables, a value context whose
database holds the relation target records, and the case checker."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import apsw
import pytest
from field_cases import FIELDS, TARGET, TARGET_IDS, VIEW, Err, Ok

from palapy.collections.fields import Field, SettingsContext, TextField, ValueContext, convert_fields
from palapy.collections.model import Collection
from palapy.tools.ids import field_id

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


@pytest.fixture
def conn() -> Iterator[apsw.Connection]:
    db = apsw.Connection(":memory:")
    db.execute("CREATE TABLE `target` (`id` TEXT PRIMARY KEY NOT NULL)")
    for rid in TARGET_IDS:
        db.execute("INSERT INTO `target` (id) VALUES (?)", (rid,))
    db.execute("CREATE VIEW `target_view` AS SELECT id FROM `target`")
    db.execute("CREATE TABLE `all` (`id` TEXT PRIMARY KEY NOT NULL)")
    yield db
    db.close()


@pytest.fixture
def make_ctx(conn: apsw.Connection) -> Callable[..., ValueContext]:
    def make(collection: Collection | None = None, original: dict[str, Any] | None = None) -> ValueContext:
        return ValueContext(
            conn=conn,
            collection=collection or Collection(id="pbc_all", name="all", fields=[id_field()]),
            find_collection=find_collection,
            record={},
            original=original,
        )

    return make


@pytest.fixture
def settings_ctx() -> Callable[..., SettingsContext]:
    def make(field: Field, original: Collection | None = None, kind: str = "base") -> SettingsContext:
        collection = Collection(id="pbc_new", name="settings", type=kind, fields=[id_field(), field])
        return SettingsContext(collection=collection, original=original, find_collection=find_collection)

    return make


@pytest.fixture
def check_case(make_ctx: Callable[..., ValueContext]) -> Callable[[tuple[str, Any, Ok | Err]], None]:
    """normalize + validate_value must give PocketBase's answer for a case."""

    def check(case: tuple[str, Any, Ok | Err]) -> None:
        name, raw, expected = case
        field = field_from_spec(name, FIELDS[name])
        value = field.normalize(raw)
        error = field.validate_value(value, make_ctx())
        if isinstance(expected, Err):
            assert error == expected.as_dict()
        else:
            assert error is None
            if expected.value is not None or field.type not in ("password",):
                assert as_json(value) == as_json(expected.value)

    return check
