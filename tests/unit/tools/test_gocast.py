"""The Go-compatible casts behind every field's normalize."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest

from palapy.tools.gocast import (
    decode_string_array_prefix,
    format_float_f,
    format_float_v,
    go_bool,
    go_float,
    go_int,
    go_quote,
    go_quote_rune,
    go_string,
    json_number,
    parse_go_bool,
    parse_go_float,
    parse_go_int,
    unique_strings,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.1, "0.1"),
        (100.0, "100"),
        (1e21, "1000000000000000000000"),
        (1e-7, "0.0000001"),
        (-0.0, "-0"),
        (math.inf, "+Inf"),
        (-math.inf, "-Inf"),
        (math.nan, "NaN"),
        (123456789.12345679, "123456789.12345679"),
    ],
)
def test_format_float_f(value: float, text: str) -> None:
    assert format_float_f(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (5, "5"),
        (-2.5, "-2.5"),
        (123456, "123456"),
        (1000000, "1e+06"),
        (1234567.5, "1.2345675e+06"),
        (1e21, "1e+21"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (-0.00012, "-0.00012"),
        (2e-300, "2e-300"),
        (0, "0"),
    ],
)
def test_format_float_v(value: float, text: str) -> None:
    assert format_float_v(value) == text


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        (5.0, "5"),
        (1.5, "1.5"),
        (1e20, "100000000000000000000"),
        (1e21, "1e+21"),
        (2**53, "9007199254740992"),
        (12345678901234567890, "12345678901234567000"),
        (1.2345678901234567e19, "12345678901234567000"),
        (True, "1"),
    ],
)
def test_json_number_prints_like_go(value: Any, encoded: str) -> None:
    assert json.dumps(json_number(value)) == encoded


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12", 12.0),
        ("1_000", 1000.0),
        ("0x1p-2", 0.25),
        ("inf", math.inf),
        ("-Infinity", -math.inf),
        ("1e400", None),
        ("+nan", None),
        ("0x10", None),
        (" 1", None),
        ("١", None),
        ("", None),
        ("1__0", None),
    ],
)
def test_parse_go_float(text: str, value: float | None) -> None:
    assert parse_go_float(text) == value
    assert math.isnan(parse_go_float("NaN") or 0.0)


def test_go_float_and_bool_never_raise() -> None:
    for odd in (object(), [1], {"a": 1}, b"1", 10**400):
        assert go_float(odd) == 0.0
        assert go_bool(odd) is False or odd == 10**400


@pytest.mark.parametrize(
    ("value", "text"), [(None, ""), (b"ab", "ab"), (object(), ""), (2**60, "1152921504606847000")]
)
def test_go_string(value: Any, text: str) -> None:
    assert go_string(value) == text


@pytest.mark.parametrize(
    ("text", "items", "complete"),
    [
        ('["a","b"]', ["a", "b"], True),
        ('["a",1]', ["a"], False),
        ('[1,"a"]', [], False),
        ('["a"', ["a"], False),
        ('["a","b', ["a"], False),
        ('["a"]x', ["a"], False),
        (" [ ] ", [], True),
        ('[null,"a"]', ["", "a"], True),
        ("x", [], False),
        ('["a",]', ["a"], False),
    ],
)
def test_decode_string_array_prefix(text: str, items: list[str], complete: bool) -> None:
    assert decode_string_array_prefix(text) == (items, complete)


def test_unique_strings() -> None:
    assert unique_strings("a,b") == ["a,b"]
    assert unique_strings('["a","b","a"]') == ["a", "b"]
    assert unique_strings("[broken") == ["[broken"]
    assert unique_strings(["b", "a", "b", "", None, 1, 1.5, True, [1], {"a": 1}]) == [
        "b",
        "a",
        "1",
        "1.5",
        "true",
    ]
    assert unique_strings(("x", "y")) == ["x", "y"]
    assert unique_strings(7) == ["7"]
    assert unique_strings({"a": 1}) == []


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("pkk", '"pkk"'),
        ('a"b', '"a\\"b"'),
        ("a\nb", '"a\\nb"'),
        ("é", '"é"'),
        ("\x01", '"\\x01"'),
        ("\u200b", '"\\u200b"'),
        ('a"b\\c\n', '"a\\"b\\\\c\\n"'),
    ],
)
def test_go_quote(text: str, quoted: str) -> None:
    assert go_quote(text) == quoted


def test_go_quote_rune_escapes_the_single_quote() -> None:
    assert (go_quote_rune("'"), go_quote_rune('"'), go_quote_rune("\r")) == ("'\\''", "'\"'", "'\\r'")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0", 0),
        ("-12", -12),
        ("+7", 7),
        ("007", 7),
        (str(2**63 - 1), 2**63 - 1),
        (str(-(2**63)), -(2**63)),
        (str(2**63), None),
        ("", None),
        ("1.0", None),
        ("1_000", None),
        (" 1", None),
        ("1\n", None),
        ("\u0661", None),
    ],
)
def test_parse_go_int(text: str, value: int | None) -> None:
    assert parse_go_int(text) == value


def test_parse_go_bool() -> None:
    assert [parse_go_bool(t) for t in ("1", "t", "TRUE", "True")] == [True] * 4
    assert [parse_go_bool(t) for t in ("0", "f", "FALSE", "False")] == [False] * 4
    assert [parse_go_bool(t) for t in ("", "yes", "tRUE", " true")] == [None] * 4


@pytest.mark.parametrize(
    ("text", "value"),
    [("5", 5), ("+5", 5), ("-5", -5), ("010", 8), ("0x1f", 31), ("0b11", 3), ("0o7", 7), ("1_000", 1000),
     ("5.9", 5), (".5", 0), ("5.", 5), ("1e3", 0), ("08", 0), ("0x", 0), ("_1", 0), ("1__0", 0), ("", 0),
     ("99999999999999999999", 0), ("x", 0)],
)  # fmt: skip
def test_go_int_is_cast_to_int(text: str, value: int) -> None:
    assert go_int(text) == value
