"""PocketBase's `inflector.Snakecase`, shared by file names, migration names and realtime
subscription headers."""

from __future__ import annotations

import re

__all__ = ["snakecase"]

# Go's `\W` is ASCII-only: any other character, `_` included, splits words.
_SPLIT = re.compile(r"[^A-Za-z0-9]+")


def snakecase(text: str) -> str:
    """Split at non-word characters and underscores, break before an upper-case letter that
    follows a non-upper one, lower-case: `fooBar baz` -> `foo_bar_baz`, `myTestDB` -> `my_test_db`."""
    words = []
    for word in _SPLIT.split(text):
        if not word:
            continue
        out = []
        for i, ch in enumerate(word):
            if ch.isupper() and i > 0 and not word[i - 1].isupper():
                out.append("_")
            out.append(ch)
        words.append("".join(out))
    return "_".join(words).lower()
