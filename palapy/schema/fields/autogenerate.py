"""Random strings from a simple regular expression, for text fields' `autogeneratePattern`
(`[a-z0-9]{15}` for record ids, `[a-zA-Z0-9]{50}` for tokenKey).

Supported: literals and escapes, `.`, character classes (ranges, negation, `\\d \\w \\s`,
`[:alpha:]`-style names), groups, `|`, and the quantifiers `? * + {n} {n,} {n,m}`. Counts are
drawn like PocketBase draws them: from `min` up to `max - 1` (so `x?` never emits `x`), with an
open maximum taken as 6. Anchors and empty matches raise ValueError with PocketBase's text
(`unsupported pattern operator 9`); constructs outside this subset raise ValueError too.
"""

from __future__ import annotations

import functools
import secrets
import unicodedata
from dataclasses import dataclass, field

from palapy.schema.fields._goregex import GoRegexError, compile_go_regex

__all__ = ["generate_autovalue"]

_MAX_RUNE = 0x10FFFF
_DEFAULT_MAX_REPEAT = 6
_ANY_PAIRS = [(ord("A"), ord("Z")), (ord("a"), ord("z")), (ord("0"), ord("9"))]

# Go's regexp/syntax operator numbers, used in the error text.
_OP_EMPTY, _OP_BEGIN_TEXT, _OP_END_TEXT, _OP_WORD_BOUNDARY, _OP_NO_WORD_BOUNDARY = 2, 9, 10, 11, 12

_PERL = {
    "d": [(0x30, 0x39)],
    "w": [(0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A)],
    "s": [(0x09, 0x0A), (0x0C, 0x0D), (0x20, 0x20)],
}
_POSIX = {
    "alnum": [(0x30, 0x39), (0x41, 0x5A), (0x61, 0x7A)],
    "alpha": [(0x41, 0x5A), (0x61, 0x7A)],
    "ascii": [(0x00, 0x7F)],
    "blank": [(0x09, 0x09), (0x20, 0x20)],
    "cntrl": [(0x00, 0x1F), (0x7F, 0x7F)],
    "digit": [(0x30, 0x39)],
    "graph": [(0x21, 0x7E)],
    "lower": [(0x61, 0x7A)],
    "print": [(0x20, 0x7E)],
    "punct": [(0x21, 0x2F), (0x3A, 0x40), (0x5B, 0x60), (0x7B, 0x7E)],
    "space": [(0x09, 0x0D), (0x20, 0x20)],
    "upper": [(0x41, 0x5A)],
    "word": _PERL["w"],
    "xdigit": [(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)],
}
_SIMPLE_ESCAPES = {"a": "\a", "f": "\f", "t": "\t", "n": "\n", "r": "\r", "v": "\v"}


_CATEGORIES = frozenset(
    "C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs".split()
)


class _Unsupported(ValueError):
    pass


@functools.lru_cache(maxsize=64)
def _category_pairs(name: str) -> tuple[tuple[int, int], ...]:
    """Code point ranges of a Unicode general category (`L`, `Lu`, `Nd`, ...)."""
    pairs: list[tuple[int, int]] = []
    start = -1
    for code in range(_MAX_RUNE + 2):
        inside = code <= _MAX_RUNE and unicodedata.category(chr(code)).startswith(name)
        if inside and start < 0:
            start = code
        elif not inside and start >= 0:
            pairs.append((start, code - 1))
            start = -1
    return tuple(pairs)


def _op_error(op: int) -> ValueError:
    return ValueError(f"unsupported pattern operator {op}")


def _negate(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    result, nxt = [], 0
    for lo, hi in sorted(pairs):
        if lo > nxt:
            result.append((nxt, lo - 1))
        nxt = max(nxt, hi + 1)
    if nxt <= _MAX_RUNE:
        result.append((nxt, _MAX_RUNE))
    return result


@dataclass
class _Node:
    kind: str  # lit, class, concat, alt, repeat, op
    text: str = ""
    pairs: list[tuple[int, int]] = field(default_factory=list)
    subs: list[_Node] = field(default_factory=list)
    lo: int = 0
    hi: int = 0
    op: int = 0


class _Parser:
    def __init__(self, pattern: str) -> None:
        self.s = pattern
        self.i = 0

    def peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def take(self) -> str:
        ch = self.peek()
        if not ch:
            raise _Unsupported("unexpected end of pattern")
        self.i += 1
        return ch

    def parse(self) -> _Node:
        node = self.alternation()
        if self.i != len(self.s):
            raise _Unsupported(f"unsupported syntax at {self.i}")
        return node

    def alternation(self) -> _Node:
        branches = [self.concat()]
        while self.peek() == "|":
            self.i += 1
            branches.append(self.concat())
        return branches[0] if len(branches) == 1 else _Node("alt", subs=branches)

    def concat(self) -> _Node:
        items: list[_Node] = []
        while self.peek() not in ("", "|", ")"):
            items.append(self.quantified(self.atom()))
        if not items:
            return _Node("op", op=_OP_EMPTY)
        return items[0] if len(items) == 1 else _Node("concat", subs=items)

    def quantified(self, node: _Node) -> _Node:
        ch = self.peek()
        if ch in ("?", "*", "+"):
            self.i += 1
            lo, hi = {"?": (0, 1), "*": (0, -1), "+": (1, -1)}[ch]
        elif ch == "{" and (bounds := self.repeat_bounds()) is not None:
            lo, hi = bounds
        else:
            return node
        if self.peek() == "?":
            self.i += 1  # non-greedy: same values
        return _Node("repeat", subs=[node], lo=lo, hi=hi)

    def repeat_bounds(self) -> tuple[int, int] | None:
        end = self.s.find("}", self.i)
        if end < 0:
            return None
        body = self.s[self.i + 1 : end]
        lo_text, comma, hi_text = body.partition(",")
        if not lo_text.isdigit() or (hi_text and not hi_text.isdigit()):
            return None
        self.i = end + 1
        lo = int(lo_text)
        return lo, (int(hi_text) if hi_text else (-1 if comma else lo))

    def atom(self) -> _Node:
        ch = self.take()
        if ch == "(":
            if self.s.startswith("?:", self.i):
                self.i += 2
            elif self.s.startswith("?P<", self.i) or self.s.startswith("?<", self.i):
                self.i = self.s.index(">", self.i) + 1
            elif self.peek() == "?":
                raise _Unsupported("unsupported group flags")
            node = self.alternation()
            if self.take() != ")":
                raise _Unsupported("missing )")
            return node
        if ch == "[":
            return _Node("class", pairs=self.char_class())
        if ch == ".":
            return _Node("class", pairs=list(_ANY_PAIRS))
        if ch == "^":
            return _Node("op", op=_OP_BEGIN_TEXT)
        if ch == "$":
            return _Node("op", op=_OP_END_TEXT)
        if ch == "\\":
            return self.escape(in_class=False)
        return _Node("lit", text=ch)

    def escape(self, in_class: bool) -> _Node:
        ch = self.take()
        if ch in ("p", "P"):
            return _Node("class", pairs=self.unicode_class(negated=ch == "P"))
        if ch.lower() in _PERL:
            pairs = _PERL[ch.lower()]
            return _Node("class", pairs=_negate(pairs) if ch.isupper() else list(pairs))
        if ch in _SIMPLE_ESCAPES:
            return _Node("lit", text=_SIMPLE_ESCAPES[ch])
        if ch == "x":
            if self.peek() == "{":
                end = self.s.index("}", self.i)
                code, self.i = self.s[self.i + 1 : end], end + 1
            else:
                code, self.i = self.s[self.i : self.i + 2], self.i + 2
            return _Node("lit", text=chr(int(code, 16)))
        if not in_class and ch in ("A", "z", "b", "B"):
            return _Node(
                "op", op={"A": _OP_BEGIN_TEXT, "z": _OP_END_TEXT, "b": _OP_WORD_BOUNDARY}.get(ch, 12)
            )
        if not in_class and ch == "Q":
            end = self.s.find("\\E", self.i)
            end = len(self.s) if end < 0 else end
            text, self.i = self.s[self.i : end], min(end + 2, len(self.s))
            return _Node("lit", text=text) if text else _Node("op", op=_OP_EMPTY)
        if ch.isascii() and not ch.isalnum():
            return _Node("lit", text=ch)
        raise _Unsupported(f"unsupported escape \\{ch}")

    def unicode_class(self, negated: bool) -> list[tuple[int, int]]:
        """`\\pL`, `\\p{Lu}`, `\\PN`, `\\p{^L}`: Unicode general categories (not scripts)."""
        if self.peek() == "{":
            end = self.s.index("}", self.i)
            name, self.i = self.s[self.i + 1 : end], end + 1
        else:
            name = self.take()
        if name.startswith("^"):
            name, negated = name[1:], not negated
        if name not in _CATEGORIES:
            raise _Unsupported(f"unsupported Unicode class {name}")
        pairs = list(_category_pairs(name))
        return _negate(pairs) if negated else pairs

    def class_item(self) -> list[tuple[int, int]] | int:
        """One class member: a set of pairs (an escape class or [:name:]) or a single rune."""
        if self.s.startswith("[:", self.i):
            end = self.s.index(":]", self.i + 2)
            name = self.s[self.i + 2 : end]
            self.i = end + 2
            negated = name.startswith("^")
            pairs = _POSIX[name.lstrip("^")]
            return _negate(pairs) if negated else list(pairs)
        ch = self.take()
        if ch != "\\":
            return ord(ch)
        node = self.escape(in_class=True)
        return node.pairs if node.kind == "class" else ord(node.text)

    def char_class(self) -> list[tuple[int, int]]:
        negated = self.peek() == "^"
        if negated:
            self.i += 1
        pairs: list[tuple[int, int]] = []
        first = True
        while first or self.peek() != "]":
            first = False
            item = self.class_item()
            if isinstance(item, list):
                pairs.extend(item)
                continue
            if self.peek() == "-" and self.i + 1 < len(self.s) and self.s[self.i + 1] != "]":
                self.i += 1
                hi = self.class_item()
                if isinstance(hi, list):
                    raise _Unsupported("invalid class range")
                pairs.append((item, hi))
            else:
                pairs.append((item, item))
        self.i += 1
        return _negate(pairs) if negated else pairs


def _random_rune(pairs: list[tuple[int, int]]) -> str:
    total = sum(hi - lo + 1 for lo, hi in pairs)
    if total <= 0:
        raise ValueError("no runes to choose from")
    n = secrets.randbelow(total)
    for lo, hi in pairs:
        size = hi - lo + 1
        if n < size:
            code = lo + n
            return "\ufffd" if 0xD800 <= code <= 0xDFFF else chr(code)
        n -= size
    raise AssertionError("unreachable")


def _write(node: _Node, out: list[str]) -> None:
    if node.kind == "lit":
        out.append(node.text)
    elif node.kind == "class":
        out.append(_random_rune(node.pairs))
    elif node.kind == "concat":
        for sub in node.subs:
            _write(sub, out)
    elif node.kind == "alt":
        _write(node.subs[secrets.randbelow(len(node.subs))], out)
    elif node.kind == "repeat":
        hi = _DEFAULT_MAX_REPEAT if node.hi < 0 else node.hi
        hi = max(hi, node.lo)
        count = node.lo if hi == node.lo else node.lo + secrets.randbelow(hi - node.lo)
        for _ in range(count):
            _write(node.subs[0], out)
    else:
        raise _op_error(node.op)


def generate_autovalue(pattern: str) -> str:
    """A random string matching `pattern` (e.g. `[a-z0-9]{15}`). Raises ValueError when the
    pattern is not a valid regular expression or uses an unsupported construct."""
    try:
        compile_go_regex(pattern)
    except GoRegexError as exc:
        raise ValueError(str(exc)) from None
    try:
        tree = _Parser(pattern).parse()
    except (ValueError, KeyError, IndexError) as exc:
        raise ValueError(f"unsupported pattern {pattern!r}: {exc}") from None
    out: list[str] = []
    _write(tree, out)
    return "".join(out)
