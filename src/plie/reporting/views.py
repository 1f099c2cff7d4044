"""The key figures page: the seed's « chiffres clés » block for any year, each figure beside
its value for the same days of the year before, for the coordination team and the steering
committee (small counts suppressed for the latter). Labels, formats and small-count rules
are the catalogue's (`catalogue.KEY_FIGURES`)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.cache import cache
from django.db.models import Min
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from plie.core import formatting, queries
from plie.core.kept import FRESH_FOR
from plie.pathways.models import Pathway
from plie.reporting.budget import period_budget
from plie.reporting.catalogue import (
    CATALOGUE,
    KEY_FIGURES,
    previous_year,
    reading,
    small_counts_for,
)
from plie.reporting.definitions import definitions_html
from plie.reporting.indicators import cost_per_person, key_figures
from plie.territory.models import Programme


def years_with_entries(today: datetime.date) -> list[int]:
    """From this year back to the year of the first entry, the years one may choose."""
    first = Pathway.objects.aggregate(first=Min("entry_date"))["first"]
    start = first.year if first else today.year
    return list(range(today.year, start - 1, -1))


def _earlier_figures(date_from, date_to, today):
    """The same days a year earlier, kept a quarter of an hour: they change only when an old
    record is put right, and computing them again would double the page's time."""
    key = f"key-figures:{date_from.isoformat()}:{date_to.isoformat()}:{today.isoformat()}"
    return cache.get_or_set(key, lambda: key_figures(date_from, date_to), FRESH_FOR.total_seconds())


@login_required
@permission_required("reporting.view_key_figures", raise_exception=True)
def key_figures_page(request):
    today = timezone.localdate()
    years = years_with_entries(today)
    asked, year = queries.whole_number(request, "annee")
    year = year or today.year
    if year not in years:
        year = today.year
    if asked and str(year) != asked:
        messages.warning(
            request,
            f"L'année « {asked[:10]} » n'est pas disponible : choisissez une année de "
            f"{years[-1]} à {years[0]}. Voici les chiffres de {year}.",
        )
    date_from = datetime.date(year, 1, 1)
    date_to = min(datetime.date(year, 12, 31), today)
    earlier_from, earlier_to = previous_year(date_from, date_to)
    figures = key_figures(date_from, date_to)
    earlier = _earlier_figures(earlier_from, earlier_to, today)
    small = small_counts_for(request.user)
    # The cost divides the annual programme's budget of each period (reporting.budget).
    programme = Programme.current()
    shown_now, shown_earlier = (
        reading(
            of_period,
            cost_per_person=cost_per_person(
                period_budget(programme, of_period.date_from, of_period.date_to),
                of_period.people_accompanied,
            ),
        )
        for of_period in (figures, earlier)
    )
    cards = [
        {
            "key": key,
            "anchor": CATALOGUE[key].anchor,
            "label": CATALOGUE[key].label_on(date_to),
            "value": CATALOGUE[key].text(shown_now, small),
            "previous": CATALOGUE[key].text(shown_earlier, small),
        }
        for key in KEY_FIGURES
    ]
    return render(
        request,
        "reporting/key_figures.html",
        {
            "figures": figures,
            "cards": cards,
            "year": year,
            "years": years,
            "year_complete": date_to.year < today.year,
            # « 2025 », or the same days of 2025 while the year is in progress.
            "previous_label": str(earlier_to.year)
            if date_to.year < today.year
            else f"{earlier_to.year} au {formatting.day(earlier_to)}",
            "previous_period": f"à {earlier_to.year}"
            if date_to.year < today.year
            else f"aux mêmes jours de {earlier_to.year}",
            "suppress": small.hides,
        },
    )


@login_required
def definitions_page(request):
    """The indicators' definitions (docs/indicators.md); nothing personal in them."""
    html = definitions_html()
    if html is None:
        raise Http404("Les définitions ne sont pas installées (dossier docs/ absent).")
    return render(request, "reporting/definitions.html", {"definitions": html})
