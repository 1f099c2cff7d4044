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
