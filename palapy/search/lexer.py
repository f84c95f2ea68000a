"""The filter scanner: turns PocketBase's fexpr text into tokens.

Behaviour follows the fexpr scanner used by PocketBase 0.40 as observed on the real binary:
whitespace is only space, tab and newline (a `\\r` is an error); numbers have no exponent;
quoted text unescapes only `\\\\ \\n \\r \\t \\' \\"` and keeps any other `\\x` as written;
a parenthesised group is captured raw and parsed again recursively; functions nest at most
three calls deep. A NUL character is the Go scanner's end-of-input marker: it ends (and is
consumed with) the token being scanned, and ends the whole filter where a token would start.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import partial

from palapy.tools.gocast import go_quote, go_quote_rune

__all__ = ["Token", "TokenType", "Scanner", "FilterSyntaxError"]

MAX_FUNC_DEPTH = 3
NUL = "\0"

SIGN_OPS = frozenset(
    {"=", "!=", "~", "!~", "<", "<=", ">", ">=", "?=", "?!=", "?~", "?!~", "?<", "?<=", "?>", "?>="}
)
JOIN_OPS = frozenset({"&&", "||"})
_ESCAPES = {"\\": "\\", "n": "\n", "r": "\r", "t": "\t", "'": "'", '"': '"'}


class FilterSyntaxError(ValueError):
    """A filter that does not scan or parse; the message is PocketBase's raw error text."""


class TokenType(StrEnum):
    EOF = "eof"
    WS = "whitespace"
    JOIN = "join"
    SIGN = "sign"
    IDENTIFIER = "identifier"
    FUNCTION = "function"
    NUMBER = "number"
    TEXT = "text"
    GROUP = "group"
    COMMENT = "comment"


@dataclass(frozen=True, slots=True)
class Token:
    """One scanned token. `args` holds the argument tokens of a function."""

    type: TokenType
    literal: str
    args: tuple[Token, ...] = ()


# -- character classes -------------------------------------------------------------
def _is_ws(ch: str) -> bool:
    return ch in (" ", "\t", "\n")


def _is_letter(ch: str) -> bool:
    return ("a" <= ch <= "z") or ("A" <= ch <= "Z")


def _is_digit(ch: str) -> bool:
    return "0" <= ch <= "9"


def _is_ident_start(ch: str) -> bool:
    return _is_letter(ch) or ch in ("@", "_", "#")


def _is_ident_char(ch: str) -> bool:
    return _is_letter(ch) or _is_digit(ch) or ch in (".", ":", "_")


def _is_sign_char(ch: str) -> bool:
    return ch in ("=", "?", "!", ">", "<", "~")


def is_valid_identifier(literal: str) -> bool:
    """Not ending in `.`/`:` and not a lone `@`, `_` or `#`."""
    if not literal:
        return False
    if literal[-1] in (".", ":"):
        return False
    return not (len(literal) == 1 and literal in ("@", "_", "#"))


class Scanner:
    """A one-pass scanner over a filter string."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    # -- primitives --------------------------------------------------------------
    def _peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def _skip_nul(self) -> None:
        """A NUL ending a token is consumed with it (Go reads it as EOF and does not unread)."""
        if self._peek() == NUL:
            self.pos += 1

    # -- dispatch ------------------------------------------------------------------
    def scan(self) -> Token:
        """The next token; raises FilterSyntaxError on malformed input."""
        ch = self._peek()
        if ch == "" or ch == NUL:
            self.pos += len(ch)
            return Token(TokenType.EOF, "")
        if _is_ws(ch):
            return self._scan_whitespace()
        if ch == "(":
            return self._scan_group()
        if _is_ident_start(ch):
            return self._scan_identifier(MAX_FUNC_DEPTH)
        if ch == "-" or _is_digit(ch):
            return self._scan_number()
        if ch in ("'", '"'):
            return self._scan_text()
        if _is_sign_char(ch):
            return self._scan_run(TokenType.SIGN, _is_sign_char, SIGN_OPS, "sign")
        if ch in ("&", "|"):
            return self._scan_run(TokenType.JOIN, lambda c: c in ("&", "|"), JOIN_OPS, "join")
        if ch == "/":
            return self._scan_comment()
        raise FilterSyntaxError(f"unexpected character {go_quote_rune(ch)}")

    def _scan_whitespace(self) -> Token:
        start = self.pos
        while self.pos < len(self.text) and _is_ws(self.text[self.pos]):
            self.pos += 1
        end = self.pos
        self._skip_nul()
        return Token(TokenType.WS, self.text[start:end])

    def _scan_number(self) -> Token:
        buf: list[str] = []
        had_dot = False
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if _is_digit(ch) or (ch == "-" and not buf) or (ch == "." and not had_dot):
                buf.append(ch)
                had_dot = had_dot or ch == "."
                self.pos += 1
                continue
            self._skip_nul()
            break
        literal = "".join(buf)
        if literal == "-" or literal.startswith(".") or literal.endswith("."):
            raise FilterSyntaxError(f"invalid number {go_quote(literal)}")
        return Token(TokenType.NUMBER, literal)

    def _scan_text(self) -> Token:
        """A quoted text, unescaped (see the module docstring for the escape rules)."""
        value, ok = self._read_text()
        if not ok:
            raise FilterSyntaxError(f"invalid quoted text {go_quote(value)}")
        return Token(TokenType.TEXT, value[1:-1])

    def _read_text(self) -> tuple[str, bool]:
        """Read a quoted text; returns (quote + unescaped content [+ quote], terminated)."""
        quote = self.text[self.pos]
        self.pos += 1
        out = [quote]
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            self.pos += 1
            if ch == NUL:
                return "".join(out), False
            if ch == "\\":
                if self.pos >= len(self.text) or self.text[self.pos] == NUL:
                    out.append(ch)
                    return "".join(out), False
                nxt = self.text[self.pos]
                self.pos += 1
                out.append(_ESCAPES[nxt] if nxt in _ESCAPES else "\\" + nxt)
                continue
            out.append(ch)
            if ch == quote:
                return "".join(out), True
        return "".join(out), False

    def _skip_text_raw(self) -> tuple[str, bool]:
        """Skip a quoted text, returning its raw source (quotes and escapes kept)."""
        start = self.pos
        _, ok = self._read_text()
        return self.text[start : self.pos], ok

    def _scan_run(self, ttype: TokenType, pred: object, valid: frozenset[str], what: str) -> Token:
        start = self.pos
        while self.pos < len(self.text) and pred(self.text[self.pos]):  # type: ignore[operator]
            self.pos += 1
        literal = self.text[start : self.pos]
        self._skip_nul()
        if literal not in valid:
            raise FilterSyntaxError(f"invalid {what} operator {go_quote(literal)}")
        return Token(ttype, literal)

    def _scan_comment(self) -> Token:
        if self.text[self.pos : self.pos + 2] != "//":
            raise FilterSyntaxError("invalid comment")
        self.pos += 2
        end = self.text.find("\n", self.pos)
        if end < 0:
            end = len(self.text)
        nul = self.text.find(NUL, self.pos, end)
        if nul >= 0:
            end = nul
        literal = self.text[self.pos : end].strip()
        self.pos = end + 1 if end < len(self.text) else end
        return Token(TokenType.COMMENT, literal)

    def _scan_group(self) -> Token:
        """Capture everything up to the matching `)`, keeping quoted texts verbatim."""
        self.pos += 1  # the opening "("
        buf: list[str] = []
        depth = 1
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch in ("'", '"'):
                raw, ok = self._skip_text_raw()
                buf.append(raw)
                if not ok:
                    raise FilterSyntaxError(f"invalid quoted text {go_quote(raw)}")
                continue
            self.pos += 1
            if ch == NUL:
                break
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth <= 0:
                    break
            buf.append(ch)
        if depth > 0:
            raise FilterSyntaxError(f"invalid formatted group - missing {depth} closing bracket(s)")
        return Token(TokenType.GROUP, "".join(buf))

    def _scan_identifier(self, func_depth: int) -> Token:
        start = self.pos
        self.pos += 1  # the first (special) character
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == "(":
                name = self.text[start : self.pos]
                if func_depth <= 0:
                    raise FilterSyntaxError(f"max nested function arguments reached (max: {MAX_FUNC_DEPTH})")
                if not is_valid_identifier(name):
                    raise FilterSyntaxError(f"invalid function name {go_quote(name)}")
                return self._scan_function_args(name, func_depth)
            if not _is_ident_char(ch):
                break
            self.pos += 1
        literal = self.text[start : self.pos]
        self._skip_nul()
        if not is_valid_identifier(literal):
            raise FilterSyntaxError(f"invalid identifier {go_quote(literal)}")
        return Token(TokenType.IDENTIFIER, literal)

    def _scan_function_args(self, name: str, func_depth: int) -> Token:
        self.pos += 1  # the "("
        args: list[Token] = []
        expect_comma = False
        qname = go_quote(name)
        while True:
            ch = self._peek()
            if ch == "" or ch == NUL:
                raise FilterSyntaxError(f"invalid or incomplete function {qname} (expected ')')")
            if ch == ")":
                self.pos += 1
                return Token(TokenType.FUNCTION, name, tuple(args))
            if _is_ws(ch):
                self._scan_whitespace()
                continue
            if ch == "/":
                try:
                    self._scan_comment()
                except FilterSyntaxError as err:
                    raise FilterSyntaxError(f"failed to scan comment in function {qname}: {err}") from None
                continue
            is_comma = ch == ","
            if expect_comma and not is_comma:
                raise FilterSyntaxError(f"expected comma after the last argument in function {qname}")
            if not expect_comma and is_comma:
                raise FilterSyntaxError(f"unexpected comma in function {qname}")
            expect_comma = False
            if is_comma:
                self.pos += 1
                continue
            args.append(self._scan_function_arg(ch, qname, func_depth))
            expect_comma = True

    def _scan_function_arg(self, ch: str, qname: str, func_depth: int) -> Token:
        scan: Callable[[], Token]
        if _is_ident_start(ch):
            kind, scan = "identifier", partial(self._scan_identifier, func_depth - 1)
        elif ch == "-" or _is_digit(ch):
            kind, scan = "number", self._scan_number
        elif ch in ("'", '"'):
            kind, scan = "text", self._scan_text
        else:
            raise FilterSyntaxError(f"unsupported argument character {go_quote_rune(ch)} in function {qname}")
        start = self.pos
        try:
            return scan()
        except FilterSyntaxError as err:
            literal = self.text[start : self.pos]
            if kind == "identifier":
                literal = literal.split("(", 1)[0]
            raise FilterSyntaxError(
                f"invalid {kind} argument {go_quote(literal)} in function {qname}: {err}"
            ) from None
