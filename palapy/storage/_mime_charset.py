"""The charset parameter of a detected text type (mimetype v1.4.15's internal charset package).

Plain text gets one from a byte order mark, else "utf-8" when the head decodes as UTF-8 (its
last, possibly cut, character ignored), else an ISO-8859 name when every byte is text in
libmagic's sense. XML uses its declaration's `encoding`, HTML a `<meta>` charset found by the
HTML5 prescan; both fall back to the plain-text rules. A declared name is kept byte for byte,
so it may not be a valid MIME token (which the blob writer then refuses).
"""

from __future__ import annotations

from collections.abc import Callable

from palapy.storage._mime_scan import WS, Cursor, attribute, pattern_match, skip_comment, trim_space
from palapy.storage._mime_tree import IGNORE_CASE

__all__ = ["CHARSETS", "charset_from_bom"]

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\x00\x00\xfe\xff", "utf-32be"),
    (b"\xff\xfe\x00\x00", "utf-32le"),
    (b"\xfe\xff", "utf-16be"),
    (b"\xff\xfe", "utf-16le"),
)


# Bytes libmagic counts as text: ASCII text (T) and ISO-8859 (I); NEL (0x85) is text too.
_LATIN_TEXT = frozenset([7, 8, 9, 10, 11, 12, 13, 27, *range(0x20, 0x7F), 0x85, *range(0xA0, 0x100)])


def charset_from_bom(b: bytes) -> str:
    for bom, name in _BOMS:
        if b.startswith(bom):
            return name
    return ""


def _charset_plain(b: bytes) -> str:
    if not b:
        return ""
    if bom := charset_from_bom(b):
        return bom
    head = b
    # The last rune start (within the last 3 bytes) is dropped: it may have been cut off.
    for i in range(len(b) - 1, max(len(b) - 4, -1), -1):
        if b[i] < 0x80:
            break
        if b[i] & 0xC0 != 0x80:
            head = b[:i]
            break
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    if any(c not in _LATIN_TEXT for c in b):
        return ""
    return "windows-1252" if 0x85 in b else "iso-8859-1"


def _text(b: bytes) -> str:
    """A charset name from the document, kept byte for byte (invalid UTF-8 as surrogates)."""
    return b.decode("utf-8", errors="surrogateescape")


def _charset_xml_declared(b: bytes) -> str:
    s = Cursor(b)
    while True:
        s.skip_ws()
        if len(s) <= 5:
            return ""
        i = s.data.find(b"<?xml", s.pos)
        if i == -1:
            return ""
        s.pos = i + 5
        more = True
        while more:
            name, value, more = attribute(s)
            if name.startswith(b"encoding") and value:
                return _text(value)


def _charset_xml(b: bytes) -> str:
    return _charset_xml_declared(b) or _charset_plain(b)


def _charset_from_meta_content(b: bytes) -> bytes:
    s = Cursor(b)
    while True:
        i = s.data.find(b"charset", s.pos)
        if i == -1:
            return b""
        s.pos = i + 7
        s.skip_ws()
        if s.pop() != 0x3D:
            continue
        s.skip_ws()
        quote = s.peek()
        if quote == 0:
            return b""
        if quote in b"\"'":
            s.advance(1)
            return trim_space(s.pop_until(bytes([quote])))
        return trim_space(s.pop_until(b";\t\n\x0c\r "))


def _charset_html_meta(b: bytes) -> str:
    s = Cursor(b)
    while True:
        if skip_comment(s):
            continue
        if len(s) <= 5:
            return ""
        if pattern_match(s.data, b"<BODY", IGNORE_CASE, s.pos) != -1:
            return ""
        if pattern_match(s.data, b"<META", IGNORE_CASE, s.pos) == -1:
            s.pos += 1
            continue
        s.pos += 5
        c = s.pop()
        if c == 0 or (c not in WS and c != 0x2F):
            return ""
        seen: set[bytes] = set()
        got_pragma = False
        need_pragma = ""  # "" unknown, "yes" needs http-equiv, "no" does not
        charset = b""
        more = True
        while more:
            name_raw, value, more = attribute(s)
            name = name_raw.lower()
            if name in seen:
                continue
            if not name and not value:
                if not need_pragma or (need_pragma == "yes" and not got_pragma):
                    continue
            seen.add(name)
            if name == b"http-equiv":
                if pattern_match(value, b"CONTENT-TYPE", IGNORE_CASE) != -1:
                    got_pragma = True
            elif name == b"content":
                charset = _charset_from_meta_content(value)
                if charset:
                    need_pragma = "yes"
            elif name == b"charset":
                charset = value
                need_pragma = "no"
        if not need_pragma or (need_pragma == "yes" and not got_pragma):
            continue
        return _text(charset)


def _charset_html(b: bytes) -> str:
    return charset_from_bom(b) or _charset_html_meta(b) or _charset_plain(b)


CHARSETS: dict[str, Callable[[bytes], str]] = {
    "plain": _charset_plain,
    "html": _charset_html,
    "xml": _charset_xml,
}
