"""PocketBase's datetime text format: `YYYY-MM-DD HH:MM:SS.sssZ`, always UTC, `""` for zero.

Every date that palapy reads (record fields, field options, stored rows, MFA timestamps) goes
through `tools.godate`, so it accepts exactly the layouts PocketBase accepts.
"""

from __future__ import annotations

import re
import time
from datetime import datetime

from palapy.tools.godate import GoTime, parse_go_time

__all__ = ["now", "format_datetime", "parse_datetime", "normalize_datetime", "CANONICAL_SEEN"]

# Text already in PocketBase's format (every stored date): checked without the layout parser,
# whose cost dominated record reads (two autodates per row; docs/performance.md).
# Months 01-12, days 01-31, hours 00-23, minutes and seconds 00-59 (days 29-31 checked below).
_CANONICAL = re.compile(
    r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01]) (?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\.[0-9]{3}Z"
)
_ZERO_TEXT = "0001-01-01 00:00:00.000Z"
_LONG_MONTHS = frozenset({"01", "03", "05", "07", "08", "10", "12"})
# Texts already found canonical: pages of records are read over and over, and a set look-up
# costs a tenth of the check. Cleared when full (never replaced, so holders of it stay
# current); only `normalize_datetime` adds to it, others may only read it.
CANONICAL_SEEN: set[str] = set()
_SEEN_MAX = 65536


def _is_canonical(text: str) -> bool:
    """True when `text` is a valid, non-zero date in PocketBase's own format, i.e. when parsing
    and formatting it again would give `text` back unchanged."""
    if _CANONICAL.fullmatch(text) is None or text == _ZERO_TEXT:
        return False
    day, month = text[8:10], text[5:7]
    if day <= "28":  # two ASCII digits compare as text as they do as numbers
        return True
    if month != "02":
        return day <= "30" or month in _LONG_MONTHS
    year = int(text[:4])
    return day == "29" and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


_last_now: tuple[int, str] = (-1, "")


def now() -> str:
    """The current time in PocketBase's text format (the seconds part formatted once a second)."""
    global _last_now
    seconds, millis = divmod(time.time_ns() // 1_000_000, 1000)
    cached_seconds, prefix = _last_now
    if seconds != cached_seconds:
        prefix = time.strftime("%Y-%m-%d %H:%M:%S.", time.gmtime(seconds))
        _last_now = (seconds, prefix)
    return f"{prefix}{millis:03d}Z"


def format_datetime(value: datetime) -> str:
    """Format an aware (or UTC-naive) datetime with exactly three fractional digits and a `Z`
    (`""` for Go's zero time, 0001-01-01 00:00:00)."""
    return GoTime.from_datetime(value).pb_format()


def parse_datetime(value: object) -> datetime | None:
    """An aware UTC datetime for a date PocketBase accepts; None when it is not a date (or
    falls outside the years 1-9999 that `datetime` covers)."""
    moment = parse_go_time(value)
    return moment.to_datetime() if moment is not None else None


def normalize_datetime(value: object) -> str:
    """The canonical date text for any input; anything that is not a date becomes `""`
    (numbers too, as in PocketBase)."""
    if type(value) is str:
        if value in CANONICAL_SEEN:
            return value
        if _is_canonical(value):
            if len(CANONICAL_SEEN) >= _SEEN_MAX:
                CANONICAL_SEEN.clear()
            CANONICAL_SEEN.add(value)
            return value
    moment = parse_go_time(value)
    return moment.pb_format() if moment is not None else ""
