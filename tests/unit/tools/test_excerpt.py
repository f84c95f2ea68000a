"""The `:excerpt` modifier on HTML, as PocketBase 0.40.6 answered (observed on the binary)."""

from __future__ import annotations

import pytest

from palapy.tools.excerpt import excerpt


@pytest.mark.parametrize(
    ("html", "size", "ellipsis", "expected"),
    [
        ("<p>Hello <b>world</b> this is</p>", 12, True, "Hello world..."),
        ("a<br>b", 40, False, "ab"),  # <br> is inline for PocketBase
        ("foo<u>bar</u>baz", 40, False, "foo bar baz"),  # any non-inline element is a block
        ("x&nbsp;&nbsp;y", 40, False, "x\u00a0\u00a0y"),  # NBSP is not collapsed
        ("a</p>b", 40, False, "a b"),  # a stray </p> is an empty paragraph
        ("<title>T</title>hello", 40, False, "hello"),  # head elements before the body are dropped
        ("<noscript>ns</noscript>after", 3, True, "aft..."),
        (
            "<p>\u65e5\u672c\u8a9e<b>\u30c6\u30ad\u30b9\u30c8</b></p>",
            5,
            False,
            "\u65e5\u672c\u8a9e",
        ),  # stops descending
        ("<ul><li>a</li><li>b</li></ul>", 40, False, "a b"),
        ("<div>caf\u00e9 <script>x()</script>na\u00efve</div>", 40, False, "caf\u00e9 na\u00efve"),
        ("  lead  ", 3, True, "lea..."),
    ],
)
def test_excerpt(html: str, size: int, ellipsis: bool, expected: str) -> None:
    assert excerpt(html, size, ellipsis) == expected
