"""Go's `time.Parse`, for the layouts PocketBase reads dates with: its own layout first, then
the list its loose cast tries (`parse_go_time`); and the three HTTP date layouts of Go's
`http.ParseTime` (`parse_http_time`). Anything else is no date (None). `palapy.tools.dates`
turns the result into PocketBase's date text.

Values are kept as `GoTime` (UTC days since 1970 + seconds of day + nanoseconds), which covers
year 0 (time-only inputs such as `3:04PM` land there, as in Go) and compares exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

__all__ = ["GoTime", "parse_go_time", "parse_http_time"]

_SHORT_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_SHORT_DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
_LONG_DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

# Days between 0000-03-01 and 1970-01-01 in the proleptic Gregorian calendar.
_EPOCH_SHIFT = 719468


def _days_from_civil(y: int, m: int, d: int) -> int:
    y -= m <= 2
    era = y // 400  # floor division: no special case for negative years
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - _EPOCH_SHIFT


def _civil_from_days(z: int) -> tuple[int, int, int]:
    z += _EPOCH_SHIFT
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + (3 if mp < 10 else -9)
    return yoe + era * 400 + (m <= 2), m, d


def _is_leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def _days_in(month: int, year: int) -> int:
    if month == 2:
        return 29 if _is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


@dataclass(frozen=True, order=True)
class GoTime:
    """An instant in UTC with nanosecond precision."""

    days: int
    seconds: int
    nanos: int

    @classmethod
    def from_parts(cls, y: int, mo: int, d: int, h: int, mi: int, s: int, ns: int, offset: int = 0) -> GoTime:
        total = _days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offset
        return cls(total // 86400, total % 86400, ns)

    @classmethod
    def from_datetime(cls, value: datetime) -> GoTime:
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return cls.from_parts(
            value.year,
            value.month,
            value.day,
            value.hour,
            value.minute,
            value.second,
            value.microsecond * 1000,
        )

    def to_datetime(self) -> datetime | None:
        """The same instant as an aware UTC datetime (microseconds); None before year 1 or after 9999."""
        y, m, d, hh, mm, ss = self._parts()
        if not 1 <= y <= 9999:
            return None
        return datetime(y, m, d, hh, mm, ss, self.nanos // 1000, tzinfo=UTC)

    def unix_seconds(self) -> int:
        """Whole seconds since 1970-01-01 UTC."""
        return self.days * 86400 + self.seconds

    def is_zero(self) -> bool:
        """Go's zero time: 0001-01-01 00:00:00 UTC."""
        return self == _ZERO

    def _parts(self) -> tuple[int, int, int, int, int, int]:
        y, m, d = _civil_from_days(self.days)
        return y, m, d, self.seconds // 3600, self.seconds // 60 % 60, self.seconds % 60

    def _ymd_hms(self, sep: str) -> str:
        y, m, d, hh, mm, ss = self._parts()
        year = f"{y:04d}" if y >= 0 else f"-{-y:04d}"
        return f"{year}-{m:02d}-{d:02d}{sep}{hh:02d}:{mm:02d}:{ss:02d}"

    def _trimmed_fraction(self) -> str:
        if not self.nanos:
            return ""
        return "." + f"{self.nanos:09d}".rstrip("0")

    def pb_format(self) -> str:
        """PocketBase's text: `2006-01-02 15:04:05.000Z`, or `""` for the zero time."""
        if self.is_zero():
            return ""
        return f"{self._ymd_hms(' ')}.{self.nanos // 1_000_000:03d}Z"

    def go_string(self) -> str:
        """Go's `Time.String()` for a UTC time, as printed in validation messages."""
        return f"{self._ymd_hms(' ')}{self._trimmed_fraction()} +0000 UTC"

    def rfc3339(self) -> str:
        """Go's JSON form of a time (RFC 3339 with trimmed nanoseconds)."""
        return f"{self._ymd_hms('T')}{self._trimmed_fraction()}Z"


_ZERO = GoTime.from_parts(1, 1, 1, 0, 0, 0, 0)


class _Bad(Exception):
    """The value does not match the layout."""


class _State:
    __slots__ = (
        "year",
        "month",
        "day",
        "hour",
        "minute",
        "second",
        "nanos",
        "pm",
        "am",
        "offset",
        "zone_offset",
        "utc",
    )

    def __init__(self) -> None:
        self.year, self.month, self.day = 0, -1, -1
        self.hour = self.minute = self.second = self.nanos = 0
        self.pm = self.am = self.utc = False
        self.offset: int | None = None
        self.zone_offset = 0


def _num(value: str, fixed: bool) -> tuple[int, str]:
    """Go's getnum: one or two ASCII digits (exactly two when fixed)."""
    if not value[:1].isascii() or not value[:1].isdigit():
        raise _Bad
    if not value[1:2].isascii() or not value[1:2].isdigit():
        if fixed:
            raise _Bad
        return int(value[0]), value[1:]
    return int(value[:2]), value[2:]


def _nanos(value: str, nbytes: int) -> int:
    if value[:1] not in (".", ","):
        raise _Bad
    digits = value[1 : min(nbytes, 10)]
    if not digits.isascii() or not digits.isdigit():
        raise _Bad
    scale: int = 10 ** (9 - len(digits))
    return int(digits) * scale


def _lookup(names: list[str], value: str) -> tuple[int, str]:
    for i, name in enumerate(names):
        if value[: len(name)].lower() == name:
            return i, value[len(name) :]
    raise _Bad


def _zone_name_length(value: str) -> int:
    """Go's parseTimeZone: how many characters of `value` form a zone abbreviation (0 = none)."""
    if len(value) < 3:
        return 0
    if value[:4] in ("ChST", "MeST"):
        return 4
    if value[:3] == "GMT":
        rest = value[3:]
        return 3 + _signed_offset_length(rest) if rest else 3
    if value[0] in "+-":
        return _signed_offset_length(value)
    n = 0
    while n < 6 and n < len(value) and "A" <= value[n] <= "Z":
        n += 1
    if n == 3:
        return 3
    if n == 4 and (value[3] == "T" or value[:4] == "WITA"):
        return 4
    if n == 5 and value[4] == "T":
        return 5
    return 0


def _signed_offset_length(value: str) -> int:
    if not value or value[0] not in "+-":
        return 0
    i = 1
    while i < len(value) and value[i].isascii() and value[i].isdigit():
        i += 1
    if i == 1 or int(value[1:i]) > 23:
        return 0
    return i


def _numeric_zone(st: _State, value: str, colon: bool, allow_z: bool) -> str:
    if allow_z and value[:1] == "Z":
        st.utc = True
        return value[1:]
    if colon:
        if len(value) < 6 or value[3] != ":":
            raise _Bad
        sign, hh, mm, value = value[0], value[1:3], value[4:6], value[6:]
    else:
        if len(value) < 5:
            raise _Bad
        sign, hh, mm, value = value[0], value[1:3], value[3:5], value[5:]
    hour, _ = _num(hh, True)
    minute, _ = _num(mm, True)
    if hour > 24 or minute > 60 or sign not in "+-":
        raise _Bad
    st.offset = (hour * 60 + minute) * 60 * (1 if sign == "+" else -1)
    return value


def _skip(value: str, literal: str) -> str:
    """Go's skip: a space in the layout matches a run of spaces in the value."""
    while literal:
        if literal[0] == " ":
            if value and value[0] != " ":
                raise _Bad
            literal, value = literal.lstrip(" "), value.lstrip(" ")
            continue
        if not value or value[0] != literal[0]:
            raise _Bad
        literal, value = literal[1:], value[1:]
    return value


_FRACTION_TOKENS = ("frac3", "frac6", "frac9", "frac?")


def _optional_fraction(st: _State, value: str) -> str:
    """A `.`/`,` with any number of digits, if the value has one there: a layout's optional
    `.999999999`, and the fraction Go accepts after seconds that the layout leaves without one."""
    if len(value) < 2 or value[0] not in ".," or not value[1].isascii() or not value[1].isdigit():
        return value
    n = 2
    while n < len(value) and value[n].isascii() and value[n].isdigit():
        n += 1
    st.nanos = _nanos(value, n)
    return value[n:]


def _apply(st: _State, token: str, value: str, following: str | None) -> str:
    if token == "Y4":
        if len(value) < 4 or not value[:4].isascii() or not value[:4].isdigit():
            raise _Bad
        st.year, value = int(value[:4]), value[4:]
    elif token == "Y2":
        if len(value) < 2 or not value[:2].isascii() or not value[:2].isdigit():
            raise _Bad
        yy = int(value[:2])
        st.year, value = (1900 + yy if yy >= 69 else 2000 + yy), value[2:]
    elif token == "M2":
        st.month, value = _num(value, True)
        if not 1 <= st.month <= 12:
            raise _Bad
    elif token == "Mon":
        index, value = _lookup(_SHORT_MONTHS, value)
        st.month = index + 1
    elif token in ("D2", "D_"):
        if token == "D_" and value[:1] == " ":
            value = value[1:]
        st.day, value = _num(value, token == "D2")
    elif token == "H24":
        st.hour, value = _num(value, False)
        if st.hour >= 24:
            raise _Bad
    elif token == "H12":
        st.hour, value = _num(value, False)
        if st.hour > 12:
            raise _Bad
    elif token == "MI":
        st.minute, value = _num(value, True)
        if st.minute >= 60:
            raise _Bad
    elif token == "S":
        st.second, value = _num(value, True)
        if st.second >= 60:
            raise _Bad
        # A fraction the layout does not mention is still accepted right after the seconds.
        if following not in _FRACTION_TOKENS:
            value = _optional_fraction(st, value)
    elif token in ("frac3", "frac6", "frac9"):
        width = 1 + int(token[4:])
        if len(value) < width:
            raise _Bad
        st.nanos, value = _nanos(value, width), value[width:]
    elif token == "frac?":
        value = _optional_fraction(st, value)
    elif token == "PM":
        if value[:2] == "PM":
            st.pm = True
        elif value[:2] == "AM":
            st.am = True
        else:
            raise _Bad
        value = value[2:]
    elif token == "Wd":
        _, value = _lookup(_SHORT_DAYS, value)
    elif token == "Weekday":
        _, value = _lookup(_LONG_DAYS, value)
    elif token == "MST":
        if value[:3] == "UTC":
            st.utc = True
            return value[3:]
        n = _zone_name_length(value)
        if n == 0:
            raise _Bad
        if value[:3] == "GMT" and n > 3:  # GMT+3: Go applies the offset
            st.zone_offset = int(value[3:n]) * 3600
        value = value[n:]
    elif token in ("Z07:00", "Z0700", "-07:00", "-0700"):
        value = _numeric_zone(st, value, colon=":" in token, allow_z=token[0] == "Z")
    else:
        value = _skip(value, token[1:])  # a literal, written as "=text"
    return value


# (tokens, kind): kind is "fixed" (offset or Z applies), "wall" (the wall clock is taken as UTC,
# as the loose cast does for layouts without a numeric zone), "zone" (a zone name's GMT offset
# applies, as in `http.ParseTime`) or "pb" (PocketBase's own layout).
_Layout = tuple[tuple[str, ...], str]
_DATE = ("Y4", "=-", "M2", "=-", "D2")
_CLOCK = ("H24", "=:", "MI", "=:", "S")
_LAYOUTS: tuple[_Layout, ...] = (
    ((*_DATE, "= ", *_CLOCK, "frac3", "=Z"), "pb"),
    (_DATE, "wall"),
    ((*_DATE, "=T", *_CLOCK, "Z07:00"), "fixed"),
    ((*_DATE, "=T", *_CLOCK), "wall"),
    (("Wd", "=, ", "D2", "= ", "Mon", "= ", "Y4", "= ", *_CLOCK, "= ", "-0700"), "fixed"),
    (("Wd", "=, ", "D2", "= ", "Mon", "= ", "Y4", "= ", *_CLOCK, "= ", "MST"), "wall"),
    (("D2", "= ", "Mon", "= ", "Y2", "= ", "H24", "=:", "MI", "= ", "-0700"), "fixed"),
    (("D2", "= ", "Mon", "= ", "Y2", "= ", "H24", "=:", "MI", "= ", "MST"), "wall"),
    (("Weekday", "=, ", "D2", "=-", "Mon", "=-", "Y2", "= ", *_CLOCK, "= ", "MST"), "wall"),
    ((*_DATE, "= ", *_CLOCK, "frac?", "= ", "-0700", "= ", "MST"), "fixed"),
    ((*_DATE, "=T", *_CLOCK, "-0700"), "fixed"),
    ((*_DATE, "= ", *_CLOCK, "Z0700"), "fixed"),
    ((*_DATE, "= ", *_CLOCK), "wall"),
    (("Wd", "= ", "Mon", "= ", "D_", "= ", *_CLOCK, "= ", "Y4"), "wall"),
    (("Wd", "= ", "Mon", "= ", "D_", "= ", *_CLOCK, "= ", "MST", "= ", "Y4"), "wall"),
    (("Wd", "= ", "Mon", "= ", "D2", "= ", *_CLOCK, "= ", "-0700", "= ", "Y4"), "fixed"),
    ((*_DATE, "= ", *_CLOCK, "Z07:00"), "fixed"),
    (("D2", "= ", "Mon", "= ", "Y4"), "wall"),
    ((*_DATE, "= ", *_CLOCK, "= ", "-07:00"), "fixed"),
    ((*_DATE, "= ", *_CLOCK, "= ", "-0700"), "fixed"),
    (("H12", "=:", "MI", "PM"), "wall"),
    (("Mon", "= ", "D_", "= ", *_CLOCK), "wall"),
    (("Mon", "= ", "D_", "= ", *_CLOCK, "frac3"), "wall"),
    (("Mon", "= ", "D_", "= ", *_CLOCK, "frac6"), "wall"),
    (("Mon", "= ", "D_", "= ", *_CLOCK, "frac9"), "wall"),
)


def _parse_layout(layout: _Layout, text: str) -> GoTime | None:
    tokens, kind = layout
    st = _State()
    value = text
    try:
        for i, token in enumerate(tokens):
            following = next((t for t in tokens[i + 1 :] if not t.startswith("=")), None)
            value = _apply(st, token, value, following)
    except (_Bad, IndexError, ValueError):
        return None
    if value:
        return None  # extra text after the layout
    if st.pm and st.hour < 12:
        st.hour += 12
    elif st.am and st.hour == 12:
        st.hour = 0
    month = 1 if st.month < 0 else st.month
    day = 1 if st.day < 0 else st.day
    if not 1 <= day <= _days_in(month, st.year):
        return None
    offset = st.offset if (kind == "fixed" and st.offset is not None) else 0
    if kind == "zone":
        offset = st.zone_offset
    return GoTime.from_parts(st.year, month, day, st.hour, st.minute, st.second, st.nanos, offset)


def parse_go_time(value: Any) -> GoTime | None:
    """Parse a date input like PocketBase's DateTime scanning; None when it is not a date."""
    if isinstance(value, GoTime):
        return value
    if isinstance(value, datetime):
        return GoTime.from_datetime(value)
    if not isinstance(value, str) or value == "":
        return None
    for layout in _LAYOUTS:
        parsed = _parse_layout(layout, value)
        if parsed is not None:
            return None if parsed.is_zero() else parsed
    return None


# Go's http.ParseTime tries http.TimeFormat, RFC 850 and ANSIC, in this order.
_HTTP_LAYOUTS: tuple[_Layout, ...] = (
    (("Wd", "=, ", "D2", "= ", "Mon", "= ", "Y4", "= ", *_CLOCK, "= GMT"), "wall"),
    (("Weekday", "=, ", "D2", "=-", "Mon", "=-", "Y2", "= ", *_CLOCK, "= ", "MST"), "zone"),
    (("Wd", "= ", "Mon", "= ", "D_", "= ", *_CLOCK, "= ", "Y4"), "wall"),
)


def parse_http_time(text: str) -> GoTime | None:
    """An HTTP date (`If-Modified-Since`, ...) in any layout Go's `http.ParseTime` accepts, or None."""
    for layout in _HTTP_LAYOUTS:
        parsed = _parse_layout(layout, text)
        if parsed is not None:
            return parsed
    return None
