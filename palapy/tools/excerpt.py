"""The `:excerpt(max, withEllipsis?)` field modifier: plain text out of HTML, cut to `max` runes.

Behaviour as PocketBase's excerpt modifier (observed on 0.40.6): the HTML is parsed into a
tree; text of `_EXCLUDE` elements is dropped; every element that is not one of `_INLINE`
(so `<p>`, `<div>`, `<u>`, custom tags... but not `<br>`) is surrounded by one space; runs of
ASCII whitespace (Go's `\\s`, so not NBSP) collapse to one space; once the text is longer than
`max + 2` bytes the walk stops descending into further elements. The trimmed text is then cut
to `max` runes, trimmed again, and `...` is added when asked and the text was cut.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from palapy.tools.errors import bad_request
from palapy.tools.gocast import go_bool, go_int

__all__ = ["excerpt", "make_excerpt"]

_EXCLUDE = {
    "head", "style", "script", "iframe", "embed", "applet", "object", "svg", "img", "picture",
    "dialog", "template", "button", "form", "textarea", "input", "select", "option",
}  # fmt: skip
_INLINE = {
    "a", "abbr", "acronym", "b", "bdo", "big", "br", "button", "cite", "code", "em", "i", "label",
    "q", "small", "span", "strong", "strike", "sub", "sup", "time",
}  # fmt: skip
_VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta", "param",
    "source", "track", "wbr",
}  # fmt: skip
# Start tags an HTML5 parser puts into <head> while no body content was seen.
_HEAD = {
    "base",
    "basefont",
    "bgsound",
    "link",
    "meta",
    "noframes",
    "noscript",
    "script",
    "style",
    "template",
    "title",
}
_GO_RE_SPACE = re.compile(r"[\t\n\f\r ]+")  # RE2's \s: ASCII only, no \v
# Go's unicode.IsSpace, for strings.TrimSpace.
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


@dataclass
class _Node:
    tag: str | None  # None for a text node
    text: str = ""
    children: list[_Node] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """A forgiving element tree; void elements never get children, stray end tags are
    dropped except `</p>` (an empty paragraph) and `</br>` (a break), and head elements
    met before any body content go to the (excluded) head, as an HTML5 parser does."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.head = _Node("head")
        self.body = _Node("body")
        self.stack = [self.body]
        self.in_body = False

    def _append(self, node: _Node) -> None:
        self.stack[-1].children.append(node)

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        node = _Node(tag)
        if not self.in_body and tag in _HEAD and self.stack[-1] is self.body:
            self.head.children.append(node)
        else:
            self.in_body = True
            self._append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: Any) -> None:
        self._append(_Node(tag))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return
        if tag in ("p", "br"):
            self._append(_Node(tag))

    def handle_data(self, data: str) -> None:
        if not self.in_body and self.stack[-1] is self.body:
            data = data.lstrip("\t\n\f\r ")  # whitespace before the body is dropped
            if not data:
                return
        self.in_body = self.in_body or self.stack[-1] is self.body
        siblings = self.stack[-1].children
        if siblings and siblings[-1].tag is None:
            siblings[-1].text += data
        else:
            self._append(_Node(None, data))


def _parse(html: str) -> _Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    # The document wraps everything in <html><body>: both count as blocks.
    return _Node("#document", children=[_Node("html", children=[builder.body])])


class _Walker:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[str] = []
        self.size = 0  # bytes, as Go's strings.Builder.Len()
        self.prev_space = False

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text.encode("utf-8", "surrogatepass"))

    def walk(self, node: _Node) -> None:
        if node.tag is None:
            text = _GO_RE_SPACE.sub(" ", node.text)
            if self.prev_space:
                text = text.lstrip(" ")
            if text:
                self.prev_space = text.endswith(" ")
                self.write(text)
        if self.size > self.limit + 2:
            return
        for child in node.children:
            if child.tag in _EXCLUDE:
                continue
            block = child.tag is not None and child.tag not in _INLINE
            if block and not self.prev_space:
                self.write(" ")
                self.prev_space = True
            self.walk(child)
            if block and not self.prev_space:
                self.write(" ")
                self.prev_space = True


def excerpt(html: str, max_len: int, ellipsis: bool) -> str:
    """The plain-text excerpt of `html`, at most `max_len` runes (plus `...` when cut)."""
    walker = _Walker(max_len)
    walker.walk(_parse(html))
    text = "".join(walker.parts).strip(_GO_SPACE)
    if len(text) > max_len:
        text = text[:max_len].strip(_GO_SPACE)
        if ellipsis:
            text += "..."
    return text


def make_excerpt(args: list[str]) -> Callable[[Any], Any]:
    """The excerpt modifier for its raw arguments; 400 for a missing/non-positive max or
    more than two arguments. Non-string values pass through unchanged."""
    if not args or len(args) > 2:
        raise bad_request()
    max_len = go_int(args[0])
    if max_len <= 0:
        raise bad_request()
    ellipsis = len(args) > 1 and go_bool(args[1])

    def apply(value: Any) -> Any:
        return excerpt(value, max_len, ellipsis) if isinstance(value, str) else value

    return apply
