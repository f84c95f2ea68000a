"""`json`: string inference, canonical values, size and required rules, storage."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from palapy.schema.fields import JSONField, ValueContext
from palapy.tools import jsonx
from tests.unit.schema.fields.field_cases import case_id, cases_for
from tests.unit.schema.fields.field_support import as_json


@pytest.mark.parametrize("case", cases_for("j", "jsmall", "jreq"), ids=case_id)
def test_input_gives_pocketbase_answer(case: Any, check_case: Callable[[Any], None]) -> None:
    check_case(case)


@pytest.mark.parametrize(
    ("value", "stored"),
    [
        (None, None),
        ({"b": 1, "a": [1, 2.5]}, '{"b":1,"a":[1,2.5]}'),  # canonical values are kept as they are
        (100000.0, "100000.0"),
        ("hello", '"hello"'),
        (0, "0"),
        (False, "false"),
        ([], "[]"),
    ],
)
def test_to_db(value: Any, stored: str | None) -> None:
    assert JSONField(name="j").to_db(value) == stored


@pytest.mark.parametrize(
    ("raw", "loaded"),
    [
        (None, None),
        ('{"a":[1,2.5],"z":1}', {"a": [1, 2.5], "z": 1}),
        ('"hello"', "hello"),
        ("hello", "hello"),
        ("true", True),
        (123, 123),  # NUMERIC affinity turns '123' into an integer
        (100000.0, 100000.0),  # read as the text "100000.0", as PocketBase does
        (1e21, 1e21),
        (1.5, 1.5),
        (b"[1]", [1]),
        ('{"a":1,"a":2}', {"a": 2}),
    ],
)
def test_from_db(raw: Any, loaded: Any) -> None:
    assert as_json(JSONField(name="j").from_db(raw)) == as_json(loaded)


def test_structured_input_is_stored_with_sorted_keys() -> None:
    field = JSONField(name="j")
    assert field.to_db(field.normalize({"b": 1.0, "a": {"y": 2, "x": 1}})) == '{"a":{"x":1,"y":2},"b":1}'
    assert field.to_db(field.normalize('{"b":1.0,"a":2}')) == '{"b":1.0,"a":2}'


def test_default_size_limit_is_one_mebibyte(make_ctx: Callable[..., ValueContext]) -> None:
    field = JSONField(name="j")
    assert field.validate_value("x" * ((1 << 20) - 2), make_ctx()) is None
    assert field.validate_value("x" * (1 << 20), make_ctx()) == {
        "code": "validation_json_size_limit",
        "message": "The maximum allowed JSON size is 1048576 bytes.",
        "params": {"maxSize": 1048576},
    }


def test_deeply_nested_text_stays_a_string() -> None:
    text = "[" * 100000
    assert JSONField(name="j").normalize(text) == text


def test_rejected_json_text_still_encodes_as_a_string() -> None:
    value = JSONField(name="j").normalize('{"a":1,"a":2}')
    assert jsonx.encode({"j": value}) == b'{"j":"{\\"a\\":1,\\"a\\":2}"}'
    assert JSONField(name="j").to_db(value) == '"{\\"a\\":1,\\"a\\":2}"'
