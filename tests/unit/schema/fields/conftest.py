"""Fixtures for the field tests: a value context whose database holds the relation target
records, a settings context, and the case checker."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import apsw
import pytest

from palapy.schema.fields import Field, SettingsContext, ValueContext
from palapy.schema.model import Collection
from tests.unit.schema.fields.field_cases import FIELDS, TARGET_IDS, Err, Ok
from tests.unit.schema.fields.field_support import as_json, field_from_spec, find_collection, id_field


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
