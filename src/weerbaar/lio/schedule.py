"""Dates of a recurring LIO (dateutil's rrule does the calendar arithmetic)."""

from __future__ import annotations

from datetime import datetime

from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday  # type: ignore[import-untyped]

from .models import Recurrence


def occurrences(first: datetime, recurrence: str, count: int) -> list[datetime]:
    """``count`` meeting moments from ``first`` on (``first`` included)."""
    if recurrence == Recurrence.MONTHLY_WEEKDAY:
        nth = (first.day - 1) // 7 + 1
        nth = -1 if nth == 5 else nth  # "the 5th Tuesday" does not exist every month: use last
        rule = rrule(MONTHLY, dtstart=first, count=count, byweekday=weekday(first.weekday(), nth))
    else:
        interval = 4 if recurrence == Recurrence.EVERY_FOUR_WEEKS else 2
        rule = rrule(WEEKLY, dtstart=first, count=count, interval=interval)
    return list(rule)
