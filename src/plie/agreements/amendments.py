"""The rules of amendments, pure functions over plain values (no model).

Seed 001, line 243: « Ce conventionnement est conclu pour une durée d'un an et pourra être
prolongé par voie d'avenant, sous réserve de la validation de celle-ci par les instances du
PLIE. La convention ne pourra pas être renouvelée plus de 2 fois. »
"""

from __future__ import annotations

import datetime

from plie.core import formatting

MAX_EXTENSIONS = 2

THIRD_RENEWAL = (
    "Cette convention a déjà été prolongée deux fois : le cahier des charges interdit un "
    "troisième renouvellement ; passez par un nouvel appel."
)


def one_year_end(starts_on: datetime.date) -> datetime.date:
    """The end of a one-year term (seed 001, line 243): the day before the same date a year
    later (1 March 2027 → 29 February 2028; 29 February 2028 → 27 February 2029)."""
    try:
        anniversary = starts_on.replace(year=starts_on.year + 1)
    except ValueError:  # 29 February: the anniversary falls on 1 March
        anniversary = datetime.date(starts_on.year + 1, 3, 1)
    return anniversary - datetime.timedelta(days=1)


def extension_refusal(
    *, validated_extensions: int, current_end: datetime.date, new_end: datetime.date | None
) -> str:
    """Why an extension cannot be asked or validated (seed 001, line 243), or "" when it can.

    Only validated extensions count: one pending or refused is no renewal."""
    if validated_extensions >= MAX_EXTENSIONS:
        return THIRD_RENEWAL
    if new_end is None:
        return "Une prolongation a une nouvelle date de fin : saisissez-la."
    if new_end <= current_end:
        return (
            f"La nouvelle date de fin doit suivre la fin actuelle, le "
            f"{formatting.day(current_end)} : saisissez une date postérieure."
        )
    return ""


def renewal_count(validated_extensions: int) -> str:
    """« 1 prolongation sur 2 permises », as the agreement's page says it."""
    noun = "prolongation" if validated_extensions <= 1 else "prolongations"
    return f"{validated_extensions} {noun} sur {MAX_EXTENSIONS} permises"
