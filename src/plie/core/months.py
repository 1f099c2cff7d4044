"""Calendar months, one definition for the whole project (eligibility, exits, cohorts).

From 31 January, one month later is the last day of February; "whole months" between two
dates is the largest m such that start + m months is on or before the end.
"""

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier), or that month's last day if it has none."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def whole_months_between(start: datetime.date, end: datetime.date) -> int:
    """The largest m such that `start` + m months is on or before `end` (0 if end < start)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if months > 0 and add_months(start, months) > end:
        months -= 1
    return max(months, 0)


def months_and_days_between(start: datetime.date, end: datetime.date) -> tuple[int, int]:
    """Whole months from `start` to `end`, then the days left over (0, 0 if end < start)."""
    if end < start:
        return 0, 0
    months = whole_months_between(start, end)
    return months, (end - add_months(start, months)).days
