"""Working days (工作日) on China's official calendar, from the maintained ``chinese-calendar``.

A working day is a day the State Council's holiday arrangement makes a working day: Monday to
Friday except statutory holidays, plus the adjusted working weekends (调休). The library ships
the arrangement of each year once it is published; for a date beyond the years it knows this
module falls back to Monday–Friday and says the result is *provisional*, so the page can warn
that the deadline may move once the year's arrangement is published.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import chinese_calendar


def known_years() -> range:
    """The years whose official arrangement the installed library knows."""
    years = {day.year for day in chinese_calendar.holidays} | {
        day.year for day in chinese_calendar.workdays}
    return range(min(years), max(years) + 1)


_KNOWN = known_years()


class WorkdayDate(NamedTuple):
    """A date counted in working days; ``provisional`` when a counted day lay beyond the
    years the calendar library knows (weekends only were skipped there)."""

    date: dt.date
    provisional: bool


def is_workday(day: dt.date) -> tuple[bool, bool]:
    """``(is a working day, known)``; ``known`` is False beyond the library's years."""
    if day.year in _KNOWN:
        return chinese_calendar.is_workday(day), True
    return day.weekday() < 5, False


def add_workdays(start: dt.date, days: int) -> WorkdayDate:
    """The ``days``-th working day after ``start`` (the start day itself is not counted).

    Received on a Friday with 1 working day → the next Monday, unless that Monday is a holiday.
    """
    if isinstance(days, bool) or not isinstance(days, int) or days < 0:
        raise ValueError("days must be a non-negative integer")
    day, counted, provisional = start, 0, False
    while counted < days:
        day += dt.timedelta(days=1)
        working, known = is_workday(day)
        provisional = provisional or not known
        counted += working
    return WorkdayDate(day, provisional)
