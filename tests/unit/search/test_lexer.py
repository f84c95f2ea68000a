"""The scanner: token kinds, escapes, numbers, groups, functions and PocketBase's raw errors."""

from __future__ import annotations

import pytest

from palapy.search.lexer import FilterSyntaxError, Scanner, Token, TokenType


def tokens(text: str) -> list[Token]:
    scanner = Scanner(text)
    out = []
    while True:
        tok = scanner.scan()
        if tok.type is TokenType.EOF:
            return out
        if tok.type is not TokenType.WS:
            out.append(tok)


def scan_error(text: str) -> str:
    with pytest.raises(FilterSyntaxError) as exc:
        tokens(text)
    return str(exc.value)


def test_a_comparison_scans_into_identifier_sign_text() -> None:
    assert tokens("title ?!= 'x'") == [
        Token(TokenType.IDENTIFIER, "title"),
        Token(TokenType.SIGN, "?!="),
        Token(TokenType.TEXT, "x"),
    ]


@pytest.mark.parametrize(
    ("source", "value"),
    [
        (r"'a\\b'", "a\\b"),
        (r"'a\b'", "a\\b"),  # unknown escapes are kept as written
        (r"'a\\\b'", "a\\\\b"),
        (r'"x\"y"', 'x"y'),
        (r"'x\'y'", "x'y"),
        (r'"x\'y"', "x'y"),  # both quotes unescape in either quote style
        (r"'x\"y'", 'x"y'),
        (r"'l\nr\tt\rx'", "l\nr\tt\rx"),
        (r"'a\/b'", "a\\/b"),
        (r"'\u0041'", "\\u0041"),
        ("'raw\nnewline'", "raw\nnewline"),
        (r"'a\\'", "a\\"),
        ("''", ""),
        ("'é ✓'", "é ✓"),
    ],
)
def test_quoted_text_unescapes_only_the_six_known_escapes(source: str, value: str) -> None:
    assert tokens(source) == [Token(TokenType.TEXT, value)]


@pytest.mark.parametrize("source", ["1", "-1", "1.5", "-0.25", "007", "-0"])
def test_numbers(source: str) -> None:
    assert tokens(source) == [Token(TokenType.NUMBER, source)]


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("1.", 'invalid number "1."'),
        ("-", 'invalid number "-"'),
        ("--1", 'invalid number "-"'),
        (".5", "unexpected character '.'"),
        ("'a", 'invalid quoted text "\'a"'),
        (r"'a\'", "invalid quoted text \"'a'\""),
        ("a\r", "unexpected character '\\r'"),
        ("a & b", 'invalid join operator "&"'),
        ("a ||| b", 'invalid join operator "|||"'),
        ("a == b", 'invalid sign operator "=="'),
        ("a ?! b", 'invalid sign operator "?!"'),
        ("/x", "invalid comment"),
        ("@", 'invalid identifier "@"'),
        ("_", 'invalid identifier "_"'),
        ("#", 'invalid identifier "#"'),
        ("title.", 'invalid identifier "title."'),
        ("title:", 'invalid identifier "title:"'),
        ("(a = 1", "invalid formatted group - missing 1 closing bracket(s)"),
        ("((a = 1)", "invalid formatted group - missing 1 closing bracket(s)"),
        (")", "unexpected character ')'"),
        ("f(,1)", 'unexpected comma in function "f"'),
        ("f(1 2)", 'expected comma after the last argument in function "f"'),
        ("f(1", "invalid or incomplete function \"f\" (expected ')')"),
        ("f(=)", "unsupported argument character '=' in function \"f\""),
        ("f(1.)", 'invalid number argument "1." in function "f": invalid number "1."'),
    ],
)
def test_scan_errors_carry_pocketbase_raw_messages(source: str, error: str) -> None:
    assert scan_error(source) == error


def test_exponent_is_not_part_of_a_number() -> None:
    assert tokens("1e5") == [Token(TokenType.NUMBER, "1"), Token(TokenType.IDENTIFIER, "e5")]


def test_comments_run_to_the_end_of_the_line() -> None:
    assert tokens("a // note = 1\n= 2") == [
        Token(TokenType.IDENTIFIER, "a"),
        Token(TokenType.COMMENT, "note = 1"),
        Token(TokenType.SIGN, "="),
        Token(TokenType.NUMBER, "2"),
    ]


def test_groups_are_captured_raw_with_quoted_parentheses_kept() -> None:
    assert tokens('(a = \')\' && (b = "x\\""))') == [Token(TokenType.GROUP, 'a = \')\' && (b = "x\\"")')]


def test_a_comment_inside_a_group_does_not_hide_the_closing_parenthesis() -> None:
    # Like fexpr, group capture ignores comments: the ")" in the comment closes the group.
    assert Scanner("(a = 1 // )\n)").scan() == Token(TokenType.GROUP, "a = 1 // ")
    assert scan_error("(a = 1 // )\n)") == "unexpected character ')'"


def test_function_arguments_and_nesting() -> None:
    (fn,) = tokens("strftime('%Y', due, // why\n 'utc',)")
    assert fn.type is TokenType.FUNCTION and fn.literal == "strftime"
    assert [(a.type, a.literal) for a in fn.args] == [
        (TokenType.TEXT, "%Y"),
        (TokenType.IDENTIFIER, "due"),
        (TokenType.TEXT, "utc"),
    ]
    (nested,) = tokens("a(b(c(1)))")
    assert nested.args[0].args[0].args[0].literal == "1"


def test_functions_nest_at_most_three_calls_deep() -> None:
    assert scan_error("a(b(c(d(1))))") == (
        'invalid identifier argument "b" in function "a": invalid identifier argument "c" in function "b": '
        'invalid identifier argument "d" in function "c": max nested function arguments reached (max: 3)'
    )


def test_a_nul_ends_the_token_it_follows_and_is_consumed_with_it() -> None:
    # Go's scanner reads NUL as its EOF marker: the token ends there, scanning goes on after it
    # (observed: `title !=\0'x'` works, `title = 'x' \0garbage` is a 400).
    assert tokens("title !=\0'x'") == [
        Token(TokenType.IDENTIFIER, "title"),
        Token(TokenType.SIGN, "!="),
        Token(TokenType.TEXT, "x"),
    ]
    assert tokens("title\0= 1")[:2] == [Token(TokenType.IDENTIFIER, "title"), Token(TokenType.SIGN, "=")]
    assert tokens("a = 1 \0garbage")[-1] == Token(TokenType.IDENTIFIER, "garbage")


def test_a_nul_where_a_token_starts_ends_the_filter() -> None:
    assert tokens("a = 'x'\0garbage((") == tokens("a = 'x'")


def test_a_nul_inside_a_text_group_or_call_leaves_it_unterminated() -> None:
    assert scan_error("'a\0b'").startswith("invalid quoted text")
    assert scan_error("(a = 1\0)").startswith("invalid formatted group")
    assert scan_error("f(\0)").startswith("invalid or incomplete function")
