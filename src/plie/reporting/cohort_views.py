"""The cohort study page, its workbook and its PDF: choose an entry period, follow it 6, 12
and 18 months; the PDF renders the page's own partial (reporting/cohort.html#study)."""

import datetime
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from plie.core import queries, spreadsheets
from plie.core.forms import SiteFormMixin, clean_period, date_input
from plie.core.kept import FRESH_FOR
from plie.core.pdf import pdf_response, render_pdf
from plie.core.spreadsheets import COUNT, MIXED, TEXT, Column, Table
from plie.core.suppression import HIDE_SMALL, Shown, SmallCounts
from plie.reporting.catalogue import small_counts_for
from plie.reporting.cohort import HORIZONS, Situation, cohort
from plie.territory.models import Programme


class CohortForm(SiteFormMixin, forms.Form):
    date_from = forms.DateField(label="Entrées du", widget=date_input())
    date_to = forms.DateField(label="au", widget=date_input())

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self):
        data = super().clean()
        clean_period(
            self,
            "date_from",
            "date_to",
            today=self.today,
            too_long="Choisissez des entrées sur cinq ans au plus : une cohorte se compare à "
            "une autre, période par période.",
        )
        return data


def _default_period(today: datetime.date) -> dict:
    # A cohort needs hindsight: by default, the entries of the first half of last year.
    return {
        "date_from": datetime.date(today.year - 1, 1, 1),
        "date_to": datetime.date(today.year - 1, 6, 30),
    }


def _table(study, small: SmallCounts) -> list[dict]:
    """One row per situation, (count as shown, share) per horizon. Each column adds up to
    the cohort's size, written above it: its counts are protected together
    (`SmallCounts.parts`). A share is not given beside a hidden count, nor when it would
    give one away (`SmallCounts.share`)."""
    columns = [
        small.parts([horizon.counts.get(situation, 0) for situation in Situation.ORDER])
        for horizon in study.horizons
    ]
    rows = []
    for index, situation in enumerate(Situation.ORDER):
        cells = []
        for horizon, shown in zip(study.horizons, columns, strict=True):
            count = horizon.counts.get(situation, 0)
            share = horizon.share(situation)
            if shown[index] != count or not small.share(count, horizon.observable):
                share = None
            cells.append((shown[index], share))
        rows.append({"situation": situation, "cells": cells})
    return rows


@login_required
@permission_required("reporting.view_key_figures", raise_exception=True)
def cohort_page(request):
    today = timezone.localdate()
    dates = queries.form_data(request, CohortForm.base_fields)
    form = CohortForm(dates or None, initial=_default_period(today), today=today)
    period = form.cleaned_data if form.is_bound and form.is_valid() else None
    if not form.is_bound:
        period = _default_period(today)
    study = _kept_study(period["date_from"], period["date_to"], today) if period else None
    file_format = queries.choice(request, "format", ("pdf", "xlsx"))
    # A PDF is made to be sent: small counts are hidden in it whoever downloads it.
    small = HIDE_SMALL if file_format == "pdf" else small_counts_for(request.user)
    if study and file_format == "xlsx":
        return _workbook(study, small)
    tables = {
        "study": study,
        "size": small.count(study.size) if study else 0,
        # Plural unless one person is shown: « < 5 personne » would say it is one.
        "entered": "personne entrée"
        if study and small.count(study.size) == 1
        else "personnes entrées",
        "ever_in_step": small.count(study.ever_in_step) if study else 0,
        "rows": _table(study, small) if study else [],
        "horizons": HORIZONS,
        "suppress": small.hides,
        # The share and the delays of fewer than five people could point at someone.
        "hide_details": bool(study and not small.share(study.ever_in_step, study.size)),
        "exits_by_reason": _exits(study, "Autres motifs", "exits_by_reason", small),
        "positive_by_condition": _exits(study, "Autres conditions", "positive_by_condition", small),
    }
    if study and file_format == "pdf":
        name = f"cohorte-{study.date_from:%Y%m%d}-{study.date_to:%Y%m%d}.pdf"
        content = render_pdf("reporting/cohort_pdf.html", tables, programme=Programme.current())
        return pdf_response(content, name)
    # The download links carry the period shown, even on a first visit with no dates asked.
    query = urlencode({key: value.isoformat() for key, value in period.items()}) if period else ""
    return render(request, "reporting/cohort.html", {"form": form, **tables, "query": query})


def _kept_study(date_from, date_to, today):
    """The study, kept a quarter of an hour: at 100,000 people a semester's cohort takes a
    third of a second to follow, and the page, its workbook and its PDF come one after the
    other. Counts only: what each reader may see is decided afterwards, on every request."""
    key = f"cohort:{date_from.isoformat()}:{date_to.isoformat()}:{today.isoformat()}"
    return cache.get_or_set(
        key, lambda: cohort(date_from, date_to, today=today), FRESH_FOR.total_seconds()
    )


def _exits(study, others: str, attribute: str, small: SmallCounts) -> list[tuple[str, Shown]]:
    """Exits by reason or condition; when hidden, small ones merged so as not to be found
    back from the cohort's total."""
    if study is None:
        return []
    return small.groups(getattr(study, attribute), others)


def _workbook(study, small: SmallCounts) -> HttpResponse:
    """The page's figures as a workbook, one table per sheet, hidden as the page hides them
    (a steering viewer's workbook shows what their page shows)."""
    hide_details = not small.share(study.ever_in_step, study.size)
    summary = [
        ("Entrées du", study.date_from),
        ("au", study.date_to),
        ("Situation au", study.today),
        ("Personnes entrées", small.count(study.size)),
        ("Passées par au moins une étape", small.count(study.ever_in_step)),
        (
            "Délai médian avant la première étape (jours)",
            None if hide_details else study.median_days_to_first_step,
        ),
        (
            "Délai moyen avant la première étape (jours)",
            None if hide_details else study.mean_days_to_first_step,
        ),
    ]
    first = lambda pair: pair[0]  # noqa: E731
    second = lambda pair: pair[1]  # noqa: E731
    tables = [
        Table(
            "cohorte",
            "Cohorte",
            [Column("Indicateur", first), Column("Valeur", second, MIXED)],
            summary,
        ),
        Table(
            "situations",
            "Situation",
            [
                Column("Situation", lambda row: row["situation"]),
                *(
                    Column(f"à {months} mois", lambda row, i=i: row["cells"][i][0], COUNT)
                    for i, months in enumerate(HORIZONS)
                ),
            ],
            _table(study, small),
        ),
        Table(
            "sorties",
            "Sorties",
            [Column("Motif de sortie", first), Column("Parcours", second, COUNT)],
            _exits(study, "Autres motifs", "exits_by_reason", small),
        ),
        Table(
            "sorties-positives",
            "Sorties positives",
            [
                Column("Condition de sortie positive", first, TEXT),
                Column("Parcours", second, COUNT),
            ],
            _exits(study, "Autres conditions", "positive_by_condition", small),
        ),
    ]
    response = HttpResponse(
        spreadsheets.xlsx_bytes(tables),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"cohorte-{study.date_from:%Y%m%d}-{study.date_to:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
