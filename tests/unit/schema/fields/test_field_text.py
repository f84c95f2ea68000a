"""`text`: casts, length/pattern rules, primary key rules, storage."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from palapy.schema.fields import TextField, ValueContext
from palapy.schema.model import Collection
from tests.unit.schema.fields.field_cases import case_id, cases_for
from tests.unit.schema.fields.field_support import id_field


@pytest.mark.parametrize("case", cases_for("txt", "txtopt", "txtreq"), ids=case_id)
def test_input_gives_pocketbase_answer(case: Any, check_case: Callable[[Any], None]) -> None:
    check_case(case)


@pytest.mark.parametrize(
    ("raw", "stored", "loaded"),
    [("abc", "abc", "abc"), (None, "", ""), (5, "5", "5"), ("é", "é", "é")],
)
def test_storage_round_trip(raw: Any, stored: str, loaded: str) -> None:
    field = TextField(name="t")
    assert field.to_db(field.normalize(raw)) == stored
    assert field.from_db(stored) == loaded
    assert field.from_db(None) == ""


def test_lone_surrogates_become_replacement_characters() -> None:
    assert TextField(name="t").normalize("a\ud800b") == "a\ufffdb"


PK = {"name": "id", "primaryKey": True, "required": True, "pattern": "^.*$", "min": 1, "max": 20}


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (
            "a.b",
            ("validation_forbidden_pk_character", "'.' is not a valid primary key character.", {"ch": "."}),
        ),
        (
            "a b",
            ("validation_forbidden_pk_character", "' ' is not a valid primary key character.", {"ch": " "}),
        ),
        (
            "abc%",
            ("validation_forbidden_pk_character", "'%' is not a valid primary key character.", {"ch": "%"}),
        ),
        (
            "CON",
            (
                "validation_reserved_pk",
                "The primary key 'CON' is reserved and cannot be used.",
                {"reserved": "CON"},
            ),
        ),
        (
            "con",
            (
                "validation_reserved_pk",
                "The primary key 'CON' is reserved and cannot be used.",
                {"reserved": "CON"},
            ),
        ),
        (
            "com1",
            (
                "validation_reserved_pk",
                "The primary key 'COM1' is reserved and cannot be used.",
                {"reserved": "COM1"},
            ),
        ),
        (
            "LPT9",
            (
                "validation_reserved_pk",
                "The primary key 'LPT9' is reserved and cannot be used.",
                {"reserved": "LPT9"},
            ),
        ),
        ("x" * 21, ("validation_max_text_constraint", "Must be no more than 20 character(s).", {"max": 20})),
        ("", ("validation_required", "Cannot be blank.", None)),
        ("ok1", None),
        ("console", None),
    ],
)
def test_custom_primary_key_rules(value: str, error: Any, make_ctx: Callable[..., ValueContext]) -> None:
    field = TextField(**PK)  # type: ignore[arg-type]
    got = field.validate_value(value, make_ctx())
    if error is None:
        assert got is None
    else:
        code, message, params = error
        expected = {"code": code, "message": message}
        if params is not None:
            expected["params"] = params
        assert got == expected


def test_default_pattern_skips_the_extra_primary_key_checks(make_ctx: Callable[..., ValueContext]) -> None:
    field = id_field()
    assert field.validate_value("abcdefghijklmno", make_ctx()) is None
    assert field.validate_value("ABCDEFGHIJKLMNO", make_ctx()) == {
        "code": "validation_invalid_format",
        "message": "Invalid value format.",
    }
    assert field.validate_value("abc", make_ctx())["code"] == "validation_min_text_constraint"


def test_custom_primary_key_must_not_exist_in_any_case(make_ctx: Callable[..., ValueContext]) -> None:
    field = TextField(**PK)  # type: ignore[arg-type]
    target = Collection(id="pbc_target", name="target", fields=[field])
    err = {"code": "validation_pk_invalid", "message": "The record primary key is invalid or already exists."}
    assert field.validate_value("TARGET000000000", make_ctx(collection=target)) == err
    assert field.validate_value("target000000009", make_ctx(collection=target)) is None


def test_primary_key_cannot_change_on_update(make_ctx: Callable[..., ValueContext]) -> None:
    field = TextField(**PK)  # type: ignore[arg-type]
    ctx = make_ctx(original={"id": "old-id"})
    assert field.validate_value("new-id", ctx) == {
        "code": "validation_pk_change",
        "message": "The record primary key cannot be changed.",
    }
    # A stored id is not checked again, even when it breaks today's rules.
    assert field.validate_value("old-id", make_ctx(original={"id": "old-id"})) is None
    assert field.validate_value("a.b", make_ctx(original={"id": "a.b"})) is None


def test_autogenerate_appends_a_random_value() -> None:
    field = TextField(name="slug", autogeneratePattern="[a-z]{4}")
    value = field.autogenerate("post-")
    assert value.startswith("post-") and len(value) == 9 and value[5:].isalpha()
    assert TextField(name="plain").autogenerate("x") == "x"


def test_column_definitions() -> None:
    assert TextField(name="t").column_definition() == "TEXT DEFAULT '' NOT NULL"
    assert (
        id_field().column_definition() == "TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL"
    )
