"""PocketBase's fields tokenizer: separators outside quotes and parentheses."""

from __future__ import annotations

import pytest

from palapy.tools.tokenizer import TokenizerError, tokenize


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("a, b, (c, d)", ["a", "b", "(c, d)"]),
        ("a,,b, ,", ["a", "b"]),
        ("x:excerpt(5, true),y", ["x:excerpt(5, true)", "y"]),
        ("'a,b',c", ["'a,b'", "c"]),
        ('"a,(b",c', ['"a,(b"', "c"]),
        ("`a,b`,c", ["`a,b`", "c"]),
        ("a\\,b", ["a\\", "b"]),  # a backslash only disarms quotes and parentheses
        ("\x0bid\xa0, title ", ["id", "title"]),
        ("a)b,c", ["a)b", "c"]),  # a stray `)` is plain text
        ("id\0,title", ["id", "title"]),  # NUL ends the token being read
        ("\0id", []),  # ... and the input where a token would start
        ("title,\0", ["title"]),
    ],
)
def test_tokens(text: str, tokens: list[str]) -> None:
    assert tokenize(text) == tokens


@pytest.mark.parametrize("text", ["a,(b", "'a", 'a,"b', "((a)", "a'(b),c"])
def test_unbalanced_input_is_an_error(text: str) -> None:
    with pytest.raises(TokenizerError):
        tokenize(text)


def test_modifier_arguments_split_on_parentheses_commas_and_spaces() -> None:
    assert tokenize("excerpt(5 true)", "(), ", ignore_parenthesis=True) == ["excerpt", "5", "true"]
    assert tokenize("excerpt('5 x')", "(), ", ignore_parenthesis=True) == ["excerpt", "'5 x'"]
    assert tokenize("excerpt(5)(1)", "(), ", ignore_parenthesis=True) == ["excerpt", "5", "1"]
