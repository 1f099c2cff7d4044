"""The « Extractions » page: ask for the monthly extraction, follow its progress bar while
the worker builds it, then download it (the download is journaled)."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from plie.accounts.second_factor import require_recent_second_factor
from plie.audit.journal import record_document
from plie.core.forms import SiteFormMixin, clean_period, date_input
from plie.core.submissions import AlreadySubmitted, SubmitsOnceMixin, once
from plie.reporting.enums import ExtractionFormat, ExtractionStatus
from plie.reporting.models import EXTRACTION_KEPT_FOR, Extraction
from plie.reporting.tasks import request_extraction

SHOWN = 20  # the latest extractions listed on the page


def _last_complete_month(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    last_day = today.replace(day=1) - datetime.timedelta(days=1)
    return last_day.replace(day=1), last_day


class ExtractionForm(SiteFormMixin, SubmitsOnceMixin, forms.Form):
    date_from = forms.DateField(label="Du", widget=date_input())
    date_to = forms.DateField(label="Au", widget=date_input())
    file_format = forms.ChoiceField(
        label="Format", choices=ExtractionFormat.choices, initial=ExtractionFormat.XLSX
    )

    def __init__(self, *args, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if name == "file_format" else "form-control"

    def clean(self):
        data = super().clean()
        clean_period(
            self,
            "date_from",
            "date_to",
            today=self.today,
            too_long="Choisissez une période de cinq ans au plus ; pour tout l'historique, "
            "faites plusieurs extractions.",
        )
        return data


def _page(request, form, status=200):
    extractions = list(Extraction.objects.for_user(request.user)[:SHOWN])
    context = {
        "form": form,
        "extractions": extractions,
        "polling": any(extraction.is_pending for extraction in extractions),
        "kept_days": EXTRACTION_KEPT_FOR.days,
        "with_sensitive": request.user.has_perm("reporting.extract_sensitive_data"),
    }
    template = "reporting/extractions.html"
    if request.htmx:
        template += "#extraction-list"
    return render(request, template, context, status=status)


@login_required
@permission_required("reporting.request_extraction", raise_exception=True)
def extractions_page(request):
    """The form and the list; the form posts here, so that reloading a refused form works."""
    today = timezone.localdate()
    if request.method == "POST":
        form = ExtractionForm(request.POST, today=today)
        if not form.is_valid():
            return _page(request, form, status=400)
        try:
            with once(form.token) as submission:
                request_extraction(user=request.user, **form.cleaned_data)
                submission.leads_to(reverse("reporting:extractions"))
        except AlreadySubmitted as sent:
            return sent.response(request)
        messages.success(
            request,
            "Extraction demandée : elle se prépare en arrière-plan, suivez sa progression "
            "ci-dessous puis téléchargez-la.",
        )
        return redirect("reporting:extractions")
    date_from, date_to = _last_complete_month(today)
    form = ExtractionForm(initial={"date_from": date_from, "date_to": date_to}, today=today)
    return _page(request, form)


def get_extraction_for_user(request, pk) -> Extraction:
    """The requester's own extraction, or 404 (nobody learns that another one exists)."""
    extraction = Extraction.objects.for_user(request.user).filter(pk=pk).first()
    if extraction is None or not request.user.has_perm("reporting.download_extraction", extraction):
        raise Http404("Extraction introuvable.")
    return extraction


@login_required
@permission_required("reporting.request_extraction", raise_exception=True)
@require_recent_second_factor  # the file names people
def extraction_download(request, pk):
    extraction = get_extraction_for_user(request, pk)
    if extraction.status != ExtractionStatus.DONE or not extraction.path.exists():
        messages.error(
            request, "Ce fichier n'est plus disponible : demandez une nouvelle extraction."
        )
        return redirect("reporting:extractions")
    # The file lists people by name: the journal keeps who took it away.
    # Its people are those of the period (thousands): the entry names the period and the
    # count, from which the same list is found again, not every file number.
    record_document(
        user=request.user,
        about=extraction,
        document="extraction mensuelle",
        extraction={
            "du": extraction.date_from.isoformat(),
            "au": extraction.date_to.isoformat(),
            "lignes": extraction.rows_done,
            "données sensibles": extraction.include_sensitive,
        },
    )
    return FileResponse(
        extraction.path.open("rb"), as_attachment=True, filename=extraction.download_name
    )
