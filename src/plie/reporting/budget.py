"""The budget of a period, from the annual programme: what « coût moyen par personne
accompagnée » divides (indicators.cost_per_person; docs/indicators.md).

A period within one year takes that year's budget prorated to its days (a whole year: the
whole budget; the first quarter of 2026: 90/365 of it); a period over several years adds
each year's share the same way. A year of the period without a programme, or whose
operations have no budget, makes the budget unknown (None): a cost computed on part of the
money would look cheaper than it is.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from plie.programme.models import ProgrammeYear


def _days_in(year: int) -> int:
    return (datetime.date(year, 12, 31) - datetime.date(year, 1, 1)).days + 1


def period_budget(programme, date_from: datetime.date, date_to: datetime.date) -> Decimal | None:
    """The programme's budget over the period, prorated by days, to the cent (None: unknown)."""
    if programme is None or date_to < date_from:
        return None
    years = range(date_from.year, date_to.year + 1)
    budgets = dict(
        ProgrammeYear.objects.filter(programme=programme, year__in=years)
        .annotate(total=Sum("operations__budget"))
        .values_list("year", "total")
    )
    total = Decimal(0)
    for year in years:
        budget = budgets.get(year)
        if not budget:
            return None
        start = max(date_from, datetime.date(year, 1, 1))
        end = min(date_to, datetime.date(year, 12, 31))
        total += budget * Decimal((end - start).days + 1) / Decimal(_days_in(year))
    return total.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
