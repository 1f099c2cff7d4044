"""Dates and durations, one definition for the whole project: the rules (eligibility,
positive exits), the figures (caseload, lengths, cohorts) and the generators read it here.

Source: the project's domain brief §3–4, settled for every rule and figure alike, written
out for readers in docs/indicators.md (« Dates et durées ») and docs/positive-exit-rules.md.
A state "at date D" is the state at the end of D. An unbroken period that starts on day S
reaches n months at the end of the day before S + n calendar months (from 10 January, 6
months at the end of 9 July); one month after 31 January is the last day of February. A
period is counted in whole calendar months, then the days left over, whatever its number of
days (1 January to 29 June: 5 months 29 days, not 6 months). Several periods add their
months and their days, and every 30 days make one month (4 months + 2 months = 6 months).
"More than n months" is at least n months and one day. `expressions.MonthsBetween` is the
same count in SQL, for the figures computed in the database.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime
from collections.abc import Iterable

ONE_DAY = datetime.timedelta(days=1)
DAYS_PER_ADDED_MONTH = 30  # when several periods are added: every 30 days make one month
# The fewest days a calendar month can span (1 to 28 February, or 31 January to 27 February):
# n months of one period or of several always take at least 28 × n days.
FEWEST_DAYS_PER_MONTH = 28


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


@dataclasses.dataclass(frozen=True, order=True)
class Duration:
    """Whole calendar months, then days: compared months first (5 months 30 days is less
    than 6 months)."""

    months: int
    days: int = 0

    def reaches(self, months: int) -> bool:
        """At least `months` months."""
        return self.months >= months

    def exceeds(self, months: int) -> bool:
        """More than `months` months: at least `months` months and one day."""
        return self >= Duration(months, 1)

    @property
    def in_months(self) -> float:
        """As a number of months, the days counted in 30ths of a month (for averages)."""
        return self.months + self.days / DAYS_PER_ADDED_MONTH


def covers(first_day: datetime.date, last_day: datetime.date | None, day: datetime.date) -> bool:
    """Whether a step from `first_day` to `last_day` (None: not ended) goes on at `day`: from
    its first day to its last, both included (a step's end date is a day it is held)."""
    return first_day <= day and (last_day is None or last_day >= day)


def length_until(start: datetime.date, end: datetime.date) -> Duration:
    """The length from `start` up to `end` excluded: what a pathway from its entry to its
    exit lasts (entered and exited the same day: nothing)."""
    return Duration(*months_and_days_between(start, end))


def period_length(first_day: datetime.date, last_day: datetime.date) -> Duration:
    """The length of an unbroken period, both ends included: 1 January to 30 June is 6
    months, 1 January to 29 June 5 months 29 days (nothing if it ends before it starts)."""
    return length_until(first_day, last_day + ONE_DAY)


def added(lengths: Iterable[Duration]) -> Duration:
    """Several periods' lengths added: months to months, days to days, every 30 days making
    a month (4 months 20 days + 1 month 15 days = 6 months 5 days). One period is left as it
    is: it counts in calendar months only (1 July to 30 December is 5 months 30 days)."""
    lengths = list(lengths)
    if len(lengths) == 1:
        return lengths[0]
    months = sum(length.months for length in lengths)
    extra, days = divmod(sum(length.days for length in lengths), DAYS_PER_ADDED_MONTH)
    return Duration(months + extra, days)


def total_length(periods: Iterable[tuple[datetime.date, datetime.date]]) -> Duration:
    """The length of several periods (first and last days included), added."""
    return added(period_length(first, last) for first, last in periods)


def reached_on(start: datetime.date, months: int) -> datetime.date:
    """The day at whose end an unbroken period from `start` reaches `months` months: the
    day before `start` + `months` (from 10 January, 6 months are reached on 9 July)."""
    return add_months(start, months) - ONE_DAY


def latest_start(months: int, on: datetime.date) -> datetime.date:
    """The last day an unbroken period can start and reach `months` months by the end of
    `on` (6 months on 30 November: from 1 June at the latest)."""
    # add_months never goes backwards as the day moves on, and add_months(on + 1, -months)
    # plus `months` is never after `on` + 1: start there and move on while it still fits.
    start = add_months(on + ONE_DAY, -months)
    while reached_on(start + ONE_DAY, months) <= on:
        start += ONE_DAY
    return start


def window_start(on: datetime.date, months: int) -> datetime.date:
    """The first day of "the `months` months ending on `on`": the longest unbroken period
    that ends on `on` and lasts at most `months` months (12 months on 31 March 2026: from
    1 April 2025; on 28 February 2025, from 1 March 2024, 29 February 2024 being one day
    too many)."""
    start = add_months(on, -months)  # add_months(start, months) <= on: one day too early
    while add_months(start, months) <= on:
        start += ONE_DAY
    return start
