"""HTTP dates and conditional requests, decided the way Go's `http.ServeContent` decides them.

PocketBase serves files through Go's ServeContent, and it sets no ETag, so only `*` can match
an entity tag; the validators that matter are `If-Modified-Since`, `If-Unmodified-Since` and
`If-Range` against the file's modification time (whole seconds).
"""

from __future__ import annotations

import email.utils
import enum
import functools
from collections.abc import Mapping

from palapy.tools.godate import parse_http_time

__all__ = ["Outcome", "parse_http_date", "format_http_date", "check_preconditions"]

_WS = " \t\r\n"


class Outcome(enum.Enum):
    """What the preconditions leave to do."""

    SERVE = "serve"
    NOT_MODIFIED = "not_modified"  # 304
    PRECONDITION_FAILED = "precondition_failed"  # 412


def parse_http_date(text: str) -> tuple[int, int] | None:
    """(Unix seconds, nanoseconds) of an HTTP date in any layout Go accepts, or None."""
    parsed = parse_http_time(text)
    return None if parsed is None else (parsed.unix_seconds(), parsed.nanos)


@functools.lru_cache(maxsize=1024)  # a file's modification time repeats on every download
def format_http_date(seconds: int) -> str:
    """`Sun, 29 Nov 2026 11:54:28 GMT` (Go's http.TimeFormat)."""
    return email.utils.formatdate(seconds, usegmt=True)


def _scan_etag(text: str) -> tuple[str, str]:
    """(the first entity tag, the rest) or ("", "") when `text` does not start with one."""
    text = text.strip(_WS)
    start = 2 if text.startswith("W/") else 0
    if len(text) - start < 2 or text[start] != '"':
        return "", ""
    for i in range(start + 1, len(text)):
        c = ord(text[i])
        if c == 0x22:
            return text[: i + 1], text[i + 1 :]
        if not (c == 0x21 or 0x23 <= c <= 0x7E or c >= 0x80):
            return "", ""
    return "", ""


def _strip_weak(tag: str) -> str:
    return tag[2:] if tag.startswith("W/") else tag


def _etag_list_matches(header: str, etag: str, *, weak: bool) -> bool:
    """Whether a comma-separated If-Match / If-None-Match list matches (`*` matches anything).

    Scanning stops at the first malformed entry, as in Go."""
    rest = header
    while True:
        rest = rest.strip(_WS)
        if not rest:
            return False
        if rest[0] == ",":
            rest = rest[1:]
            continue
        if rest[0] == "*":
            return True
        tag, rest = _scan_etag(rest)
        if not tag:
            return False
        if weak and _strip_weak(tag) == _strip_weak(etag):
            return True
        if not weak and etag and tag == etag and tag.startswith('"'):
            return True


def check_preconditions(
    method: str, headers: Mapping[str, str], modified: int, etag: str = ""
) -> tuple[Outcome, str]:
    """RFC 7232 §6 in Go's order; returns the outcome and the Range header still in force
    ("" when there is none or `If-Range` voids it). `headers` keys are lower case."""
    get_or_head = method in ("GET", "HEAD")
    if_match = headers.get("if-match", "")
    if if_match:
        passed = _etag_list_matches(if_match, etag, weak=False)
    else:
        passed = True
        ius = headers.get("if-unmodified-since", "")
        when = parse_http_date(ius) if ius and modified else None
        if when is not None:
            # Go compares the second-truncated modtime with the full instant.
            passed = (modified, 0) <= when
    if not passed:
        return Outcome.PRECONDITION_FAILED, ""

    if_none_match = headers.get("if-none-match", "")
    if if_none_match:
        if _etag_list_matches(if_none_match, etag, weak=True):
            return (Outcome.NOT_MODIFIED if get_or_head else Outcome.PRECONDITION_FAILED), ""
    elif get_or_head and modified:
        ims = headers.get("if-modified-since", "")
        when = parse_http_date(ims) if ims else None
        if when is not None and (modified, 0) <= when:
            return Outcome.NOT_MODIFIED, ""

    range_header = headers.get("range", "")
    if range_header and get_or_head and not _if_range_holds(headers.get("if-range", ""), modified, etag):
        range_header = ""
    return Outcome.SERVE, range_header


def _if_range_holds(if_range: str, modified: int, etag: str) -> bool:
    if not if_range:
        return True
    tag, _ = _scan_etag(if_range)
    if tag:
        return bool(etag) and tag == etag and tag.startswith('"')
    if not modified:
        return False
    when = parse_http_date(if_range)
    return when is not None and when[0] == modified
