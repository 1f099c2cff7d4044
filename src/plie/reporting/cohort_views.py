"""The cohort study page, its workbook and its PDF: choose an entry period, follow it 6, 12
and 18 months; the PDF renders the page's own partial (reporting/cohort.html#study)."""

import datetime
import io
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from openpyxl import Workbook

from plie.core.forms import clean_period, date_input
from plie.core.kept import FRESH_FOR
from plie.core.pdf import pdf_response, render_pdf
from plie.core.suppression import SMALL_COUNT, with_others
from plie.reporting.charts import MASKED
from plie.reporting.cohort import HORIZONS, Situation, cohort
from plie.territory.models import Programme


class CohortForm(forms.Form):
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


def _small(count: int) -> bool:
    return 0 < count < SMALL_COUNT


def _table(study, *, suppress: bool = False) -> list[dict]:
    """One row per situation, (count, share, masked) per horizon. For the steering viewer,
    a share beside a hidden count, or over fewer than five people, would give the count
    away; and since each column adds up to the cohort's size, a lone hidden count in a
    column takes the smallest shown one with it (« masqué »), as on the dashboard."""
    masked = set()  # (situation, horizon index)
    for index, horizon in enumerate(study.horizons):
        counts = {situation: horizon.counts.get(situation, 0) for situation in Situation.ORDER}
        hidden = [situation for situation, count in counts.items() if _small(count)]
        shown = [(count, situation) for situation, count in counts.items() if count >= SMALL_COUNT]
        if suppress and len(hidden) == 1 and shown:
            masked.add((min(shown)[1], index))
    rows = []
    for situation in Situation.ORDER:
        cells = []
        for index, horizon in enumerate(study.horizons):
            count = horizon.counts.get(situation, 0)
            share = horizon.share(situation)
            is_masked = (situation, index) in masked
            if suppress and (_small(count) or _small(horizon.observable) or is_masked):
                share = None
            cells.append((count, share, is_masked))
        rows.append({"situation": situation, "cells": cells})
    return rows


@login_required
@permission_required("reporting.view_key_figures", raise_exception=True)
def cohort_page(request):
    today = timezone.localdate()
    dates = {key: request.GET[key] for key in ("date_from", "date_to") if key in request.GET}
    form = CohortForm(dates or None, initial=_default_period(today), today=today)
    period = form.cleaned_data if form.is_bound and form.is_valid() else None
    if not form.is_bound:
        period = _default_period(today)
    study = _kept_study(period["date_from"], period["date_to"], today) if period else None
    file_format = request.GET.get("format")
    # A PDF is made to be sent: small counts are hidden in it whoever downloads it.
    suppress = not request.user.is_coordination_team or file_format == "pdf"
    if study and file_format == "xlsx":
        return _workbook(study, suppress=suppress)
    tables = {
        "study": study,
        "rows": _table(study, suppress=suppress) if study else [],
        "horizons": HORIZONS,
        "suppress": suppress,
        # The share and the delays of fewer than five people could point at someone.
        "hide_details": bool(
            study
            and suppress
            and (_small(study.ever_in_step) or _small(study.size - study.ever_in_step))
        ),
        "exits_by_reason": _exits(study, "Autres motifs", "exits_by_reason", suppress),
        "positive_by_condition": _exits(
            study, "Autres conditions", "positive_by_condition", suppress
        ),
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


def _exits(study, others: str, attribute: str, suppress: bool) -> list[tuple[str, int]]:
    """Exits by reason or condition; when hidden, small ones merged so as not to be found
    back from the cohort's total."""
    if study is None:
        return []
    return with_others(getattr(study, attribute), others, suppress=suppress)


def _workbook(study, *, suppress: bool) -> HttpResponse:
    def shown(count: int):
        # The same words as the page: a steering viewer's workbook hides what the page hides.
        return f"moins de {SMALL_COUNT}" if suppress and 0 < count < SMALL_COUNT else count

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Situation")
    sheet.append([f"Cohorte des entrées du {study.date_from:%d/%m/%Y} au {study.date_to:%d/%m/%Y}"])
    sheet.append(["Personnes entrées", shown(study.size)])
    sheet.append(["Situation", *(f"à {m} mois" for m in HORIZONS)])
    for row in _table(study, suppress=suppress):
        sheet.append(
            [
                row["situation"],
                *(MASKED if masked else shown(count) for count, _, masked in row["cells"]),
            ]
        )
    sheet.append([])
    sheet.append(["Passés par au moins une étape", shown(study.ever_in_step)])
    hide_delay = suppress and _small(study.ever_in_step)
    sheet.append(
        [
            "Délai médian avant la première étape (jours)",
            None if hide_delay else study.median_days_to_first_step,
        ]
    )
    # The page's lists, small ones merged as on the page (with_others), not only hidden: a
    # lone hidden count would be found back from the total.
    exits = book.create_sheet("Sorties")
    exits.append(["Motif de sortie", "Parcours"])
    for label, count in _exits(study, "Autres motifs", "exits_by_reason", suppress):
        exits.append([label, shown(count)])
    exits.append([])
    exits.append(["Condition de sortie positive", "Parcours"])
    for label, count in _exits(study, "Autres conditions", "positive_by_condition", suppress):
        exits.append([label, shown(count)])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"cohorte-{study.date_from:%Y%m%d}-{study.date_to:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
