"""The filter parser: tokens into a flat, left-to-right AST of joined expressions.

Like fexpr, `&&`/`||` are kept flat (no precedence of their own); the compiler writes them
straight into SQL, so SQL precedence (AND before OR) applies. Parenthesised groups nest.
Parsed ASTs are immutable and cached by the exact filter text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Union

from palapy.search.lexer import FilterSyntaxError, Scanner, Token, TokenType
from palapy.tools.gocast import go_quote

__all__ = ["Expr", "Item", "Group", "parse", "ERR_EMPTY", "ERR_INCOMPLETE"]

ERR_EMPTY = "empty filter expression"
ERR_INCOMPLETE = "invalid or incomplete filter expression"

_OPERAND_TYPES = (TokenType.IDENTIFIER, TokenType.TEXT, TokenType.NUMBER, TokenType.FUNCTION)


@dataclass(frozen=True, slots=True)
class Expr:
    """`left op right`."""

    left: Token
    op: str
    right: Token


# One entry of a group: (join, item) where join is "&&" or "||" (ignored for the first
# entry) and item is an Expr or a nested group.
Item = tuple[str, Union[Expr, "Group"]]
Group = tuple[Item, ...]


def _significant_tokens(text: str) -> Iterator[Token]:
    """The tokens of `text` up to the end, without whitespace and comments (a scan error is
    raised when the generator reaches it)."""
    scanner = Scanner(text)
    while True:
        tok = scanner.scan()
        if tok.type is TokenType.EOF:
            return
        if tok.type not in (TokenType.WS, TokenType.COMMENT):
            yield tok


def _describe(tok: Token) -> str:
    return f"{go_quote(tok.literal)} ({tok.type.value})"


_WS = " \t\n"


def _paren_matches(text: str) -> dict[int, int]:
    """Index of each `(` -> its `)`, with quoted texts skipped as the group scanner does;
    stops at the first point the scanner would not get past (NUL, stray `)`, open quote)."""
    matches: dict[int, int] = {}
    stack: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in ("'", '"'):
            i += 1
            while i < n and text[i] != ch:
                if text[i] == "\0" or text[i : i + 2] == "\\\0":
                    return matches
                i += 2 if text[i] == "\\" else 1
            if i >= n:
                return matches
        elif ch == "\0" or (ch == ")" and not stack):
            return matches
        elif ch == "(":
            stack.append(i)
        elif ch == ")":
            matches[stack.pop()] = i
        i += 1
    return matches


def _peel_matching(text: str) -> str:
    """Strip `( ... )` pairs that enclose all of `text` (bar whitespace) in one pass."""
    matches = _paren_matches(text)
    start, end = 0, len(text)
    while True:
        left = start
        while left < end and text[left] in _WS:
            left += 1
        right = end
        while right > left and text[right - 1] in _WS:
            right -= 1
        if right - left < 2 or text[left] != "(" or matches.get(left) != right - 1:
            return text[start:end]
        start, end = left + 1, right - 1


def _unwrap(text: str) -> str:
    """The innermost text of redundant parentheses (`((x))` -> `x`), found without recursion.

    PocketBase parses any nesting depth; peeling single-group levels in a loop keeps
    `((((...))))` deep filters within Python's recursion limit. A level that does not scan
    cleanly is returned as is, so `_parse` reports its error in the usual order.
    """
    text = _peel_matching(text)
    while True:
        only: Token | None = None
        try:
            for tok in _significant_tokens(text):
                if only is not None or tok.type is not TokenType.GROUP:
                    return text
                only = tok
        except FilterSyntaxError:
            return text
        if only is None:
            return text
        text = only.literal


def _parse(text: str) -> Group:
    result: list[Item] = []
    step = "before_sign"
    join = "&&"
    left: Token | None = None
    op = ""
    for tok in _significant_tokens(text):
        if tok.type is TokenType.GROUP:
            inner = _parse(_unwrap(tok.literal))
            if inner:
                result.append((join, inner))
            step = "join"
            continue
        if step == "before_sign":
            if tok.type not in _OPERAND_TYPES:
                raise FilterSyntaxError(
                    f"expected left operand (identifier, function, text or number), got {_describe(tok)}"
                )
            left = tok
            step = "sign"
        elif step == "sign":
            if tok.type is not TokenType.SIGN:
                raise FilterSyntaxError(f"expected a sign operator, got {_describe(tok)}")
            op = tok.literal
            step = "after_sign"
        elif step == "after_sign":
            if tok.type not in _OPERAND_TYPES:
                raise FilterSyntaxError(
                    f"expected right operand (identifier, function text or number), got {_describe(tok)}"
                )
            assert left is not None
            result.append((join, Expr(left, op, tok)))
            step = "join"
        else:
            if tok.type is not TokenType.JOIN:
                raise FilterSyntaxError(f"expected && or ||, got {_describe(tok)}")
            join = tok.literal
            step = "before_sign"
    if step != "join":
        if not result and left is None:
            raise FilterSyntaxError(ERR_EMPTY)
        raise FilterSyntaxError(ERR_INCOMPLETE)
    return tuple(result)


@lru_cache(maxsize=1024)
def _parse_cached(text: str) -> Group | str:
    try:
        return _parse(text)
    except FilterSyntaxError as err:
        return str(err)
    except RecursionError:
        return "max nesting depth reached"


def parse(text: str) -> Group:
    """Parse a filter into its AST; raises FilterSyntaxError with PocketBase's raw message."""
    result = _parse_cached(text)
    if isinstance(result, str):
        raise FilterSyntaxError(result)
    return result
