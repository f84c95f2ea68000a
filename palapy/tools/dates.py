"""PocketBase's datetime text format: `YYYY-MM-DD HH:MM:SS.sssZ`, always UTC, `""` for zero."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

__all__ = ["now", "format_datetime", "parse_datetime", "normalize_datetime"]

_LAYOUT = "%Y-%m-%d %H:%M:%S"
# Accepts "2025-01-02", "2025-01-02 10:00:00", "2025-01-02T10:00:00.123456Z", "+02:00" offsets, ...
_DATE_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?"
    r"\s*(Z|z|[+-]\d{2}:?\d{2}|[+-]\d{2}| ?UTC)?$"
)


def now() -> str:
    """The current time in PocketBase's text format."""
    return format_datetime(datetime.now(UTC))


def format_datetime(value: datetime) -> str:
    """Format an aware (or UTC-naive) datetime with exactly three fractional digits and a `Z`."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC)
    return value.strftime(_LAYOUT) + f".{value.microsecond // 1000:03d}Z"


def parse_datetime(text: str) -> datetime | None:
    """Parse the date shapes PocketBase accepts; None when the text is not a date."""
    m = _DATE_RE.match(text.strip())
    if not m:
        return None
    year, month, day, hh, mm, ss, frac, tz = m.groups()
    try:
        micro = int((frac or "0")[:6].ljust(6, "0"))
        value = datetime(int(year), int(month), int(day), int(hh or 0), int(mm or 0), int(ss or 0), micro, tzinfo=UTC)
    except ValueError:
        return None
    if tz and tz.strip() not in ("Z", "z", "UTC"):
        sign = 1 if tz[0] == "+" else -1
        digits = tz[1:].replace(":", "")
        offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))
        value = value - sign * offset
    return value


def normalize_datetime(value: object) -> str:
    """Turn an input into PocketBase's date text; anything unparseable silently becomes `""`."""
    if isinstance(value, datetime):
        return format_datetime(value)
    if not isinstance(value, str) or not value.strip():
        return ""
    parsed = parse_datetime(value)
    return format_datetime(parsed) if parsed else ""
