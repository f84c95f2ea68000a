"""The filter parser: tokens into a flat, left-to-right AST of joined expressions.

Like fexpr, `&&`/`||` are kept flat (no precedence of their own); the compiler writes them
straight into SQL, so SQL precedence (AND before OR) applies. Parenthesised groups nest.
Parsed ASTs are immutable and cached by the exact filter text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Union

from palapy.collections.filter.lexer import FilterSyntaxError, Scanner, Token, TokenType

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


def _describe(tok: Token) -> str:
    from palapy.collections.filter.lexer import go_quote

    return f"{go_quote(tok.literal)} ({tok.type.value})"


def _parse(text: str) -> Group:
    result: list[Item] = []
    scanner = Scanner(text)
    step = "before_sign"
    join = "&&"
    left: Token | None = None
    op = ""
    while True:
        tok = scanner.scan()
        if tok.type is TokenType.EOF:
            break
        if tok.type in (TokenType.WS, TokenType.COMMENT):
            continue
        if tok.type is TokenType.GROUP:
            inner = _parse(tok.literal)
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
