"""The calendar of an action: from its rhythm (a cohort every N weeks over the period, each
cohort some weeks long, half-day workshops on chosen weekdays) the cohorts and their workshop
half-days, French public holidays skipped. Seed 001: « des groupes d'environ 8 à 12 personnes
entrant toutes les trois semaines », « trois semaines […] sur un temps partiel en journée ».

A pure rule: plain values in, a `Plan` out (no model read, nothing written); the service
(actions/services.py) writes it. Rules, each tested at its boundaries:
- the first cohort starts on the first workshop weekday on or after the period's start; the
  next ones N weeks later each (same weekday);
- a cohort runs `cohort_weeks` weeks from its first day and ends on its last workshop weekday;
  a cohort whose end would pass the period's end is not created;
- a public holiday's session is skipped, NOT moved to another day (the provider may add one by
  hand): the plan names each skipped day and its holiday, for the page (« Lundi de Pâques : pas
  de séance »). The holidays are metropolitan France's (`holidays.country_holidays("FR")`): Alsace-Moselle's
  Good Friday and 26 December are not skipped;
- individual interviews are not placed by the calendar: they are booked per person once the
  group is known; the plan carries how many each person has.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import holidays

from plie.core.plurals import counted

# Far more than an action runs (seed 001: about 17 a year), far less than a slow page.
MAX_COHORTS = 200
WEEKDAY_NAMES = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


class CalendarError(ValueError):
    """A rhythm the calendar cannot follow; the message (French) says what to correct."""


@dataclass(frozen=True)
class Rhythm:
    """An action's calendar, as its form states it."""

    starts_on: datetime.date
    ends_on: datetime.date
    cohort_every_weeks: int
    cohort_weeks: int
    weekdays: tuple[int, ...]  # 0 = Monday … 6 = Sunday
    half_day: str
    hours: Decimal
    individual_interviews: int = 0


@dataclass(frozen=True)
class PlannedSession:
    date: datetime.date
    half_day: str
    hours: Decimal


@dataclass(frozen=True)
class SkippedDay:
    date: datetime.date
    holiday: str  # its French name: « Lundi de Pâques »

    @property
    def explanation(self) -> str:
        return f"{self.holiday} : pas de séance"


@dataclass(frozen=True)
class PlannedCohort:
    number: int
    starts_on: datetime.date
    ends_on: datetime.date
    sessions: tuple[PlannedSession, ...]
    skipped: tuple[SkippedDay, ...]

    @property
    def hours(self) -> Decimal:
        return sum((session.hours for session in self.sessions), Decimal(0))


@dataclass(frozen=True)
class Plan:
    cohorts: tuple[PlannedCohort, ...]
    individual_interviews: int
    # Why the last cohort stops where it does (or why there is none), for the page.
    note: str

    @property
    def skipped(self) -> tuple[SkippedDay, ...]:
        return tuple(day for cohort in self.cohorts for day in cohort.skipped)

    @property
    def session_count(self) -> int:
        return sum(len(cohort.sessions) for cohort in self.cohorts)


def _check(rhythm: Rhythm) -> None:
    if not rhythm.weekdays:
        raise CalendarError(
            "Choisissez au moins un jour d'atelier (par exemple le lundi) : sans jour, "
            "aucune séance ne peut être prévue."
        )
    if any(day not in range(7) for day in rhythm.weekdays):
        raise CalendarError("Les jours d'atelier vont du lundi (0) au dimanche (6).")
    if rhythm.ends_on < rhythm.starts_on:
        raise CalendarError("La fin de la période suit son début : corrigez l'une des deux dates.")
    if rhythm.cohort_every_weeks < 1:
        raise CalendarError("Indiquez une entrée toutes les 1 semaine ou plus.")
    if rhythm.cohort_weeks < 1:
        raise CalendarError("Un groupe dure au moins une semaine : indiquez sa durée.")


def _first_workshop_day(rhythm: Rhythm) -> datetime.date:
    day = rhythm.starts_on
    while day.weekday() not in rhythm.weekdays:
        day += datetime.timedelta(days=1)
    return day


def plan(rhythm: Rhythm) -> Plan:
    """The cohorts of `rhythm` and their workshop half-days, holidays skipped (see the module's
    rules). Raises CalendarError (French) on a rhythm that cannot be followed."""
    _check(rhythm)
    weekdays = frozenset(rhythm.weekdays)
    public_holidays = holidays.country_holidays(
        "FR", years=range(rhythm.starts_on.year, rhythm.ends_on.year + 2), language="fr"
    )
    cohorts: list[PlannedCohort] = []
    start = _first_workshop_day(rhythm)
    every = datetime.timedelta(weeks=rhythm.cohort_every_weeks)
    note = ""
    while True:
        window = [
            start + datetime.timedelta(days=offset) for offset in range(rhythm.cohort_weeks * 7)
        ]
        days = [day for day in window if day.weekday() in weekdays]
        end = days[-1]
        if end > rhythm.ends_on:
            note = (
                f"Un groupe commençant le {_spoken(start)} finirait le {_spoken(end)}, après la "
                f"fin de la période ({_spoken(rhythm.ends_on)}) : il n'est pas créé."
            )
            break
        sessions = tuple(
            PlannedSession(day, rhythm.half_day, rhythm.hours)
            for day in days
            if day not in public_holidays
        )
        skipped = tuple(
            SkippedDay(day, str(public_holidays[day])) for day in days if day in public_holidays
        )
        cohorts.append(PlannedCohort(len(cohorts) + 1, start, end, sessions, skipped))
        if len(cohorts) > MAX_COHORTS:
            raise CalendarError(
                f"Ce rythme donnerait plus de {MAX_COHORTS} groupes : raccourcissez la période "
                "ou espacez les entrées."
            )
        start += every
    if not cohorts:
        note = (
            f"La période ({_spoken(rhythm.starts_on)} – {_spoken(rhythm.ends_on)}) est trop "
            f"courte pour un groupe de {counted(rhythm.cohort_weeks, 'une semaine')} : allongez "
            "la période ou raccourcissez la durée d'un groupe."
        )
    return Plan(tuple(cohorts), rhythm.individual_interviews, note)


def public_holiday(day: datetime.date) -> str | None:
    """The French name of the public holiday `day` is (« Ascension »), or None."""
    found = holidays.country_holidays("FR", years=day.year, language="fr").get(day)
    return None if found is None else str(found)


def holidays_between(
    first: datetime.date, last: datetime.date, weekdays: tuple[int, ...]
) -> tuple[SkippedDay, ...]:
    """The public holidays from `first` to `last` that fall on a workshop weekday: the days a
    cohort of those dates has no session."""
    found = holidays.country_holidays("FR", years=range(first.year, last.year + 1), language="fr")
    return tuple(
        SkippedDay(day, str(name))
        for day, name in sorted(found.items())
        if first <= day <= last and day.weekday() in weekdays
    )


def _spoken(day: datetime.date) -> str:
    """« lundi 29/03/2027 »."""
    return f"{WEEKDAY_NAMES[day.weekday()]} {day.day:02d}/{day.month:02d}/{day.year:04d}"
