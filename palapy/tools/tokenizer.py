"""PocketBase's small tokenizer: split on separators outside quotes and parentheses.

Used for `?fields=` and its `:modifier(args)`. Behaviour as PocketBase's `tools/tokenizer`:
quotes are `'`, `"` and backtick, a backslash before a quote or parenthesis disarms it,
tokens are trimmed of whitespace that is not itself a separator, empty tokens are dropped,
and an unclosed quote or parenthesis is an error. A NUL is the Go reader's end marker: it
ends the token being read, and ends the input where a token would start.
"""

from __future__ import annotations

__all__ = ["TokenizerError", "tokenize", "WHITESPACE"]

WHITESPACE = "\t\n\v\f\r \x85\xa0"
_QUOTES = "'\"`"


class TokenizerError(ValueError):
    """An unbalanced parenthesis or quoted expression."""


def tokenize(
    text: str, separators: str = ",", *, ignore_parenthesis: bool = False, keep_separator: bool = False
) -> list[str]:
    """The non-empty, trimmed tokens of `text`; raises TokenizerError when unbalanced.

    With `keep_separator` each token keeps the separator that ended it (the view-query parser
    uses it to tell `a as b` from `a, b`).
    """
    cutset = "".join(ch for ch in WHITESPACE if ch not in separators)
    tokens: list[str] = []
    pos, end = 0, len(text)
    while pos < end and text[pos] != "\0":
        buf: list[str] = []
        depth = 0
        quote = ""
        prev = ""
        while pos < end:
            ch = text[pos]
            pos += 1
            if ch == "\0":
                break
            if prev != "\\":
                if not ignore_parenthesis and ch == "(" and not quote:
                    depth += 1
                elif not ignore_parenthesis and ch == ")" and depth > 0 and not quote:
                    depth -= 1
                elif ch in _QUOTES:
                    if quote == ch:
                        quote = ""
                    elif not quote:
                        quote = ch
            if ch in separators and depth == 0 and not quote:
                if keep_separator:
                    buf.append(ch)
                break
            prev = ch
            buf.append(ch)
        if depth > 0 or quote:
            raise TokenizerError(f"unbalanced parenthesis or quoted expression: {''.join(buf)!r}")
        token = "".join(buf).strip(cutset)
        if token:
            tokens.append(token)
    return tokens
