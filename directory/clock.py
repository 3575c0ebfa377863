"""The day a run counts as "today": read once when a command starts, so every step agrees.

A `flask refresh` that starts at 23:59 and reaches the EDGAR step after midnight must still
ask for the days it set out to read, and its tests must know which day that is: both take
the day from here, and `flask refresh --today DATE` sets it (to re-run a missed day, too).
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timezone

_day: ContextVar[date | None] = ContextVar("today", default=None)


def today() -> date:
    """The run's day when one is set, else today in UTC (every date check is made in UTC)."""
    return _day.get() or datetime.now(timezone.utc).date()


@contextmanager
def as_of(day: date):
    """Within this block, `today()` is `day`."""
    token = _day.set(day)
    try:
        yield day
    finally:
        _day.reset(token)
