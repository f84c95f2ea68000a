"""Datetime macros (`@now`, `@todayStart`, `@weekday`, ...), all UTC, bound as values."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from palapy.tools.dates import format_datetime

__all__ = ["MACROS", "macro_value"]


def _day_end(t: datetime) -> datetime:
    return t.replace(hour=23, minute=59, second=59, microsecond=999999)


def _day_start(t: datetime) -> datetime:
    return t.replace(hour=0, minute=0, second=0, microsecond=0)


def _month_end(t: datetime) -> datetime:
    last = calendar.monthrange(t.year, t.month)[1]
    return _day_end(t.replace(day=last))


MACROS: dict[str, Callable[[datetime], Any]] = {
    "@now": format_datetime,
    "@yesterday": lambda t: format_datetime(t - timedelta(days=1)),
    "@tomorrow": lambda t: format_datetime(t + timedelta(days=1)),
    "@second": lambda t: t.second,
    "@minute": lambda t: t.minute,
    "@hour": lambda t: t.hour,
    "@day": lambda t: t.day,
    "@month": lambda t: t.month,
    # Go counts weekdays from Sunday = 0; Python from Monday = 0.
    "@weekday": lambda t: (t.weekday() + 1) % 7,
    "@year": lambda t: t.year,
    "@todayStart": lambda t: format_datetime(_day_start(t)),
    "@todayEnd": lambda t: format_datetime(_day_end(t)),
    "@monthStart": lambda t: format_datetime(_day_start(t).replace(day=1)),
    "@monthEnd": lambda t: format_datetime(_month_end(t)),
    "@yearStart": lambda t: format_datetime(_day_start(t).replace(month=1, day=1)),
    "@yearEnd": lambda t: format_datetime(_day_end(t.replace(month=12, day=31))),
}


def macro_value(name: str, now: datetime | None = None) -> tuple[bool, Any]:
    """(True, value) when `name` is a macro (case-sensitive), else (False, None)."""
    fn = MACROS.get(name)
    if fn is None:
        return False, None
    return True, fn(now or datetime.now(UTC))
