"""The `:excerpt(max, withEllipsis?)` field modifier: plain text out of HTML, cut to `max` runes."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

from palapy.tools.errors import bad_request

__all__ = ["excerpt", "excerpt_modifier"]

_SKIP = {
    "head", "style", "script", "iframe", "embed", "applet", "object", "svg", "img", "picture",
    "dialog", "template", "button", "form", "textarea", "input", "select", "option",
}  # fmt: skip
_BLOCK = {
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "fieldset", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol", "p",
    "pre", "section", "table", "td", "th", "tr", "ul",
}  # fmt: skip
_MOD = re.compile(r"^excerpt\(\s*(-?\d+)\s*(?:,\s*(\w+)\s*)?\)$")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag in _BLOCK:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def excerpt(html: str, max_len: int, ellipsis: bool) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    text = re.sub(r"\s+", " ", "".join(parser.parts)).strip()
    if len(text) <= max_len:
        return text
    cut = text[:max_len].strip()
    return cut + "..." if ellipsis else cut


def excerpt_modifier(value: Any, modifier: str) -> Any:
    """Apply `excerpt(...)`; any other modifier or a bad max is a 400, like PocketBase."""
    m = _MOD.match(modifier.strip())
    if not m or int(m.group(1)) <= 0:
        raise bad_request()
    if not isinstance(value, str):
        return value
    flag = (m.group(2) or "false").lower() in ("1", "t", "true")
    return excerpt(value, int(m.group(1)), flag)
