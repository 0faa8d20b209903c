"""Deadlines in working days: weekends and Dutch public holidays do not count."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import cache

import holidays
from django.conf import settings
from django.utils import timezone


@cache
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NL", years=[year])


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    day = start
    added = 0
    while added < days:
        day += timedelta(days=1)
        if is_working_day(day):
            added += 1
    return day


def end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def first_read_due(received_at: datetime) -> datetime:
    """Read by the end of the N-th working day after receipt (default 1)."""
    received = timezone.localtime(received_at).date()
    return end_of_day(add_working_days(received, settings.SIGNAL_FIRST_READ_WORKING_DAYS))


def follow_up_due(read_at: datetime) -> date:
    read = timezone.localtime(read_at).date()
    return add_working_days(read, settings.SIGNAL_FOLLOW_UP_WORKING_DAYS)
