"""Dates typed by people or scripts: ISO (2026-03-31) or French (31/03/2026)."""

import datetime

from plie.core.management import Erreur


def parse_command_date(value: str) -> datetime.date:
    """A date given to a `plie` command; a clear French error otherwise."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise Erreur(f"Date illisible : « {value} ». Écrivez-la 2026-03-31 ou 31/03/2026.")


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Age in completed years at the end of `day` (a birthday counts on its day)."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


# Dates anyone may type anywhere: none before 1900 (no participant, step or contract goes
# back further), none more than ten years ahead (a plan, not a typo of the year: 2099,
# 2999, 9999). Each page narrows these to what its rule allows (an appointment within a year,
# a planned end within five years of the start).
EARLIEST_DATE = datetime.date(1900, 1, 1)
YEARS_AHEAD = 10


def latest_date(today: datetime.date) -> datetime.date:
    """The furthest date any form or import takes: ten years from `today`."""
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def date_out_of_bounds(value: datetime.date, today: datetime.date) -> str | None:
    """In French, why `value` is refused everywhere, or None."""
    if value < EARLIEST_DATE:
        return "Cette date est antérieure à 1900 : vérifiez l'année."
    if value > latest_date(today):
        return f"Cette date est à plus de {YEARS_AHEAD} ans d'ici : vérifiez l'année."
    return None
