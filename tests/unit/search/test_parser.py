"""The parser: flat left-to-right joins, nested groups, and rejected shapes."""

from __future__ import annotations

import pytest

from palapy.search.lexer import FilterSyntaxError, Token, TokenType
from palapy.search.parser import Expr, parse


def ident(name: str) -> Token:
    return Token(TokenType.IDENTIFIER, name)


def test_joins_stay_flat_and_left_to_right() -> None:
    ast = parse("a = 1 || b = 2 && c = 3")
    assert [join for join, _ in ast] == ["&&", "||", "&&"]  # the first join is ignored
    assert ast[1][1] == Expr(ident("b"), "=", Token(TokenType.NUMBER, "2"))


def test_groups_nest() -> None:
    ast = parse("(a = 1 || (b = 2)) && c = 3")
    inner = ast[0][1]
    assert isinstance(inner, tuple) and isinstance(inner[1][1], tuple)
    assert ast[1][0] == "&&"


@pytest.mark.parametrize(
    "text",
    [
        "'a' = title",
        "1 = 1",
        "f(1) = g(2)",
        "a=1&&b=2",
        "a = 1 // trailing",
        "(a = 1)",
        "((a = 1))",
        "a\n=\t1",
        "@collection.users:u.name ?= 'x'",
    ],
)
def test_accepted(text: str) -> None:
    assert parse(text)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "empty filter expression"),
        (" ", "empty filter expression"),
        ("// only", "empty filter expression"),
        ("()", "empty filter expression"),
        ("a = 1 && ()", "empty filter expression"),
        ("title", "invalid or incomplete filter expression"),
        ("a = ", "invalid or incomplete filter expression"),
        ("a = 1 &&", "invalid or incomplete filter expression"),
        ("= 1", 'expected left operand (identifier, function, text or number), got "=" (sign)'),
        ("&& a = 1", 'expected left operand (identifier, function, text or number), got "&&" (join)'),
        ("a 1", 'expected a sign operator, got "1" (number)'),
        ("a = &&", 'expected right operand (identifier, function text or number), got "&&" (join)'),
        ("a = 1 b = 2", 'expected && or ||, got "b" (identifier)'),
        ("a = 1e5", 'expected && or ||, got "e5" (identifier)'),
        ("strftime ('%Y') = 1", "invalid or incomplete filter expression"),
    ],
)
def test_rejected(text: str, error: str) -> None:
    with pytest.raises(FilterSyntaxError) as exc:
        parse(text)
    assert str(exc.value) == error


def test_parse_results_are_cached_and_immutable() -> None:
    assert parse("a = 1") is parse("a = 1")
    with pytest.raises(FilterSyntaxError):
        parse("a =")
    with pytest.raises(FilterSyntaxError):  # cached errors raise again
        parse("a =")


def test_any_depth_of_redundant_parentheses_parses() -> None:
    # PocketBase has no nesting limit; peeling single-group levels keeps Python's stack flat.
    deep = "(" * 1700 + "a = ')' && b = 1" + ")" * 1700
    assert parse(deep) == parse("(a = ')' && b = 1)")
    assert parse(" ( ( a = 1 ) ) ") == parse("(a = 1)")


def test_peeling_stops_at_groups_that_are_not_alone() -> None:
    assert len(parse("(a = 1) || (b = 2)")) == 2
    with pytest.raises(FilterSyntaxError):
        parse("((a = 1)")
