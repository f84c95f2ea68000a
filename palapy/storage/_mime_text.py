"""Matchers of text formats: whether a head is text at all, CSV and TSV as Go's encoding/csv
splits them, markup tags and XML roots, shebang lines, and the small formats recognised from
their first lines (PHP, XHTML, SVG, SubRip, WebVTT, e-mail, GEDCOM).
"""

from __future__ import annotations

from palapy.storage._mime_charset import charset_from_bom
from palapy.storage._mime_scan import (
    WS,
    Cursor,
    Matcher,
    attribute,
    pattern_match,
    search,
    skip_comment,
    split_line,
    trim_lws,
)
from palapy.storage._mime_tree import COMPACT_WS, IGNORE_CASE

__all__ = ["MATCHERS", "ci_prefix", "is_text", "markup", "shebang", "xml_root"]


class _FieldCounter:
    """Counts the fields of each record, as Go's encoding/csv would split them."""

    def __init__(self, data: bytes, comma: int) -> None:
        self.s = Cursor(data)
        self.comma = comma

    def _read_line(self) -> tuple[bytes, bool]:
        s = self.s
        end = s.data.find(b"\n", s.pos)
        end = len(s.data) if end == -1 else end + 1
        line, s.pos = s.data[s.pos : end], end
        if line.endswith(b"\r"):
            return line[:-1], False
        if line.endswith(b"\r\n"):
            return line[:-2], True
        return line, False

    def count(self) -> int:
        finished = False
        while True:
            line, cut_short = self._read_line()
            if finished:
                return 0
            finished = len(self.s) == 0 and not line
            if line in (b"", b"\n") or line[0] == 0x23:
                continue
            break
        fields = 0
        while True:
            if not line or line[0] != 0x22:
                fields += 1
                i = line.find(self.comma)
                if i < 0:
                    return fields
                line = line[i + 1 :]
                continue
            line = line[1:]
            while True:
                i = line.find(b'"')
                if i >= 0:
                    line = line[i + 1 :]
                    after = line[0] if line else 0
                    if after == 0x22:
                        line = line[1:]
                    elif after == self.comma:
                        line = line[1:]
                        fields += 1
                        break
                    elif line in (b"", b"\n"):
                        return fields + 1
                elif line or cut_short:
                    line, cut_short = self._read_line()
                else:
                    return fields + 1


def _separated(raw: bytes, comma: int, limit: int) -> bool:
    counter = _FieldCounter(raw, comma)
    header = counter.count()
    if header < 2:
        return False
    lines = 1
    while True:
        fields = counter.count()
        if fields == 0:
            break
        if fields == header:
            lines += 1
        else:
            # A short last record is forgiven when the input was cut at the read limit.
            if limit > 0 and len(raw) >= limit and fields < header and len(counter.s) == 0:
                break
            return False
        if lines >= 10:
            return True
    return lines >= 2


_BINARY_BYTES = frozenset([*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)])


def is_text(raw: bytes, _limit: int = 0) -> bool:
    if charset_from_bom(raw):
        return True
    return not any(c in _BINARY_BYTES for c in raw[:4096])


def markup(raw: bytes, tags: tuple[bytes, ...]) -> bool:
    b = trim_lws(raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw)
    if not b:
        return False
    for tag in tags:
        if len(b) < len(tag) + 1:
            continue
        if all(c == ((b[i] & 0xDF) if 65 <= c <= 90 else b[i]) for i, c in enumerate(tag)):
            if b[len(tag)] in WS or b[len(tag)] == 0x3E:
                return True
    return False


def ci_prefix(raw: bytes, sigs: tuple[bytes, ...]) -> bool:
    for sig in sigs:
        if len(raw) >= len(sig) + 1 and all(
            c == ((raw[i] & 0xDF) if 65 <= c <= 90 else raw[i]) for i, c in enumerate(sig)
        ):
            return True
    return False


def xml_root(raw: bytes, pairs: tuple[tuple[bytes, bytes], ...]) -> bool:
    b = trim_lws(raw)
    if not b:
        return False
    head = b[:512]
    for local, xmlns in pairs:
        if not local:
            if head.find(xmlns) > 0:
                return True
        elif not xmlns:
            if head.find(local) > 0:
                return True
        else:
            at = head.find(local)
            if at != -1 and at < head.find(xmlns):
                return True
    return False


def shebang(raw: bytes, interpreters: tuple[tuple[bytes, int], ...]) -> bool:
    line, _ = split_line(raw)
    if len(line) < 2 or not line.startswith(b"#!"):
        return False
    line = trim_lws(line[2:])
    return any(pattern_match(line, path, flags) != -1 for path, flags in interpreters)


_PHP_SCRIPT = (
    (b"/usr/local/bin/php", 0),
    (b"/usr/bin/php", 0),
    (b"/usr/bin/env php", COMPACT_WS),
    (b"/usr/bin/env -S php", COMPACT_WS),
)


def _php(raw: bytes, _limit: int) -> bool:
    return ci_prefix(raw, (b"<?PHP", b"<?\n", b"<?\r", b"<? ")) or shebang(raw, _PHP_SCRIPT)


def _xhtml(raw: bytes, _limit: int) -> bool:
    head = raw[:1024]
    flags = COMPACT_WS | IGNORE_CASE
    return search(head, b"<!DOCTYPE HTML", flags) != -1 or search(head, b"<HTML XMLNS=", flags) != -1


def _svg(raw: bytes, _limit: int) -> bool:
    return _svg_bare(raw) or _svg_declared(raw)


def _svg_bare(raw: bytes) -> bool:
    s = Cursor(raw)
    s.skip_ws()
    while skip_comment(s):
        pass
    if not s.data.startswith(b"<svg", s.pos):
        return False
    more = True
    while more:
        name, value, more = attribute(s)
        if name == b"xmlns" and value == b"http://www.w3.org/2000/svg":
            return True
    return False


def _svg_declared(raw: bytes) -> bool:
    s = Cursor(raw)
    s.skip_ws()
    if not s.data.startswith(b"<?xml", s.pos):
        return False
    has_version, more = False, True
    while more:
        name, _value, more = attribute(s)
        if name == b"version":
            has_version = True
            break
    return has_version and b"<svg" in s.rest()[:4096]


def _srt_time(value: bytes) -> tuple[int, int, int, int] | None:
    """Go's time.Parse("15:04:05,000", value) as (h, m, s, ms), or None."""

    def two(b: bytes, fixed: bool) -> tuple[int, bytes] | None:
        if not b[:1].isdigit():
            return None
        if not b[1:2].isdigit():
            return None if fixed else (b[0] - 48, b[1:])
        return (b[0] - 48) * 10 + b[1] - 48, b[2:]

    parts: list[int] = []
    rest = value
    for fixed, top, sep in ((False, 24, b":"), (True, 60, b":"), (True, 60, b"")):
        got = two(rest, fixed)
        if got is None or got[0] >= top:
            return None
        parts.append(got[0])
        rest = got[1]
        if sep:
            if not rest.startswith(sep):
                return None
            rest = rest[1:]
    if len(rest) < 4 or rest[0] not in b",.":
        return None
    fraction = rest[1:4]
    sign = -1 if fraction[:1] == b"-" else 1
    number = fraction[1:] if fraction[:1] in (b"-", b"+") else fraction
    if not number.isdigit():
        return None
    millis = sign * int(number)
    if millis < 0 or rest[4:]:
        return None
    return parts[0], parts[1], parts[2], millis


def _srt(raw: bytes, _limit: int) -> bool:
    first, rest = split_line(raw)
    if first != b"1":
        return False
    times, rest = split_line(rest)
    if len(times) != 29 or b"." in times:
        return False
    arrow = times.find(b" --> ")
    if arrow == -1:
        return False
    start, end = _srt_time(times[:arrow]), _srt_time(times[arrow + 5 :])
    if start is None or end is None or start > end:
        return False
    text, _ = split_line(rest)
    return len(text) != 0


_VTT_PREFIXES = tuple(
    bom + b"WEBVTT" + end for bom in (b"\xef\xbb\xbf", b"") for end in (b"\n", b"\r", b" ", b"\t")
)


def _vtt(raw: bytes, _limit: int) -> bool:
    return raw.startswith(_VTT_PREFIXES) or raw in (b"\xef\xbb\xbfWEBVTT", b"WEBVTT")


_RFC822_HINTS = (
    (b"Message-ID: ", IGNORE_CASE), (b"From: ", 0), (b"To: ", 0), (b"CC: ", IGNORE_CASE), (b"Date: ", 0),
    (b"Subject: ", 0), (b"Received: ", 0), (b"Relay-Version: ", 0), (b"#! rnews", 0), (b"N#! rnews", 0),
    (b"Forward to", 0), (b"Pipe to", 0), (b"DELIVERED-TO: ", IGNORE_CASE), (b"RETURN-PATH: ", IGNORE_CASE),
    (b"Content-Type: ", 0), (b"Content-Transfer-Encoding: ", 0),
)  # fmt: skip


def _rfc822(raw: bytes, _limit: int) -> bool:
    def hinted(line: bytes) -> bool:
        return any(pattern_match(line, hint, flags) > -1 for hint, flags in _RFC822_HINTS)

    line, rest = split_line(raw)
    if not hinted(line):
        return False
    for _ in range(20):
        line, rest = split_line(rest)
        if hinted(line):
            return True
    return False


def _gedcom(raw: bytes, _limit: int) -> bool:
    if not raw:
        return False
    b = raw[:4096]
    for bom in (b"\xef\xbb\xbf", b"\xfe\xff", b"\xff\xfe"):
        if b.startswith(bom):
            b = b[len(bom) :]
            break
    first, rest = split_line(trim_lws(b))
    if first != b"0 HEAD":
        return False
    for _ in range(10):
        line, rest = split_line(rest)
        if line == b"1 GEDC":
            return True
    return False


MATCHERS: dict[str, Matcher] = {
    "text": is_text,
    "svg": _svg,
    "php": _php,
    "xhtml": _xhtml,
    "srt": _srt,
    "csv": lambda raw, limit: _separated(raw, 0x2C, limit),
    "tsv": lambda raw, limit: _separated(raw, 0x09, limit),
    "vtt": _vtt,
    "rfc822": _rfc822,
    "gedcom": _gedcom,
}
