"""The key figures page: the seed's « chiffres clés » block for any year, for the
coordination team and the steering committee (small counts suppressed for the latter)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Min
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from plie.core.suppression import SMALL_COUNT
from plie.pathways.models import Pathway
from plie.reporting.definitions import definitions_html
from plie.reporting.indicators import key_figures


def years_with_entries(today: datetime.date) -> list[int]:
    """From this year back to the year of the first entry, the years one may choose."""
    first = Pathway.objects.aggregate(first=Min("entry_date"))["first"]
    start = first.year if first else today.year
    return list(range(today.year, start - 1, -1))


@login_required
@permission_required("reporting.view_key_figures", raise_exception=True)
def key_figures_page(request):
    today = timezone.localdate()
    years = years_with_entries(today)
    asked = request.GET.get("annee", "")
    year = int(asked) if asked.isdigit() else today.year
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
    figures = key_figures(date_from, date_to)
    suppress = not request.user.is_coordination_team
    return render(
        request,
        "reporting/key_figures.html",
        {
            "figures": figures,
            "year": year,
            "years": years,
            "date_to": date_to,
            "year_complete": date_to.year < today.year,
            "suppress": suppress,
            "small": SMALL_COUNT,
            # Shares of fewer than five people could point at someone: hidden too.
            "hide_shares": suppress and figures.people_accompanied < SMALL_COUNT,
        },
    )


@login_required
def definitions_page(request):
    """The indicators' definitions (docs/indicators.md); nothing personal in them."""
    html = definitions_html()
    if html is None:
        raise Http404("Les définitions ne sont pas installées (dossier docs/ absent).")
    return render(request, "reporting/definitions.html", {"definitions": html})
