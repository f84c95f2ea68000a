"""Go regular expressions (RE2 syntax) for the `pattern` options, through Google's RE2.

RE2 runs in linear time, so a pattern set by an admin can never be made to hang on a submitted
value, and its syntax is the one Go's `regexp` accepts. Compile errors are reported with the
texts Go's parser uses (`error parsing regexp: missing closing ): ...`).
"""

from __future__ import annotations

import functools
import re
from typing import Any

import re2

__all__ = ["GoRegexError", "compile_go_regex", "go_regex_search"]

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False

# RE2's wording -> Go's error code text.
_MESSAGES = (
    ("missing ): ", "missing closing )"),
    ("missing ]: ", "missing closing ]"),
    ("unexpected ): ", "unexpected )"),
    ("invalid escape sequence: ", "invalid escape sequence"),
    ("invalid perl operator: ", "invalid or unsupported Perl syntax"),
    ("invalid repetition size: ", "invalid repeat count"),
    ("bad repetition operator: ", "invalid nested repetition operator"),
    ("no argument for repetition operator: ", "missing argument to repetition operator"),
    ("invalid character class range: ", "invalid character class range"),
    ("invalid character class: ", "invalid character class"),
    ("invalid named capture group: ", "invalid named capture"),
    ("invalid UTF-8", "invalid UTF-8"),
)
# `^[...]+$` over plain characters (the default id pattern among them): Python's engine gives
# RE2's answer for these, several times faster per call; `\Z` because Go's `$` is the very end.
_SIMPLE_CLASS = re.compile(r"\A\^\[(\^?(?:[A-Za-z0-9_.](?:-[A-Za-z0-9])?)+)\]([+*])\$\Z")
# Go rejects `\C` (any byte); RE2 accepts it.
_BYTE_ESCAPE = re.compile(r"(?<!\\)(?:\\\\)*\\C")


class GoRegexError(ValueError):
    """A pattern Go's `regexp.Compile` rejects; `str()` is Go's error text."""


def _go_message(pattern: str, raw: str) -> str:
    if raw.startswith("trailing \\"):
        return "error parsing regexp: trailing backslash at end of expression: ``"
    if raw.startswith("pattern too large"):
        return f"error parsing regexp: expression too large: `{pattern}`"
    for prefix, code in _MESSAGES:
        if raw.startswith(prefix):
            fragment = raw[len(prefix) :] or pattern
            if prefix == "invalid named capture group: ":
                # Go quotes the group opening only, e.g. `(?P<>`.
                fragment = fragment.split(">", 1)[0] + ">" if ">" in fragment else fragment
            return f"error parsing regexp: {code}: `{fragment}`"
    return f"error parsing regexp: {raw}: `{pattern}`"


@functools.lru_cache(maxsize=512)
def compile_go_regex(pattern: str) -> Any:
    """Compile a Go regular expression; raises GoRegexError with Go's message when invalid."""
    if _BYTE_ESCAPE.search(pattern):
        raise GoRegexError("error parsing regexp: invalid escape sequence: `\\C`")
    simple = _SIMPLE_CLASS.match(pattern)
    if simple is not None:
        try:
            return re.compile(r"\A[" + simple.group(1) + "]" + simple.group(2) + r"\Z")
        except re.error:
            pass  # e.g. a reversed range: RE2 gives Go's error below
    try:
        return re2.compile(pattern, _OPTIONS)
    except re2.error as exc:
        raw = exc.args[0] if exc.args else ""
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8", "replace")
        raise GoRegexError(_go_message(pattern, str(raw))) from None


def go_regex_search(pattern: str, value: str) -> bool:
    """`regexp.MatchString(pattern, value)`: does the pattern match anywhere in value? An invalid
    pattern never matches (as in Go, where the compile error is ignored)."""
    try:
        return compile_go_regex(pattern).search(value) is not None
    except GoRegexError:
        return False
