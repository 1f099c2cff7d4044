"""The quarterly review page: choose a year and a quarter, read the preview, download the PDF.

The page and the PDF render the same partials (reporting/quarterly_review.html#review), so
what the coordination team checks on screen is what the steering committee receives.
"""

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils import timezone

from plie.core import queries
from plie.core.forms import SiteFormMixin
from plie.core.kept import FRESH_FOR
from plie.core.pdf import pdf_response, render_pdf
from plie.reporting.quarterly import Quarter, check_begun, kept_review
from plie.reporting.views import years_with_entries
from plie.territory.models import Programme

QUARTER_CHOICES = [
    (1, "1er trimestre (janvier à mars)"),
    (2, "2e trimestre (avril à juin)"),
    (3, "3e trimestre (juillet à septembre)"),
    (4, "4e trimestre (octobre à décembre)"),
]


class QuarterForm(SiteFormMixin, forms.Form):
    annee = forms.TypedChoiceField(
        label="Année",
        coerce=int,
        error_messages={
            "required": "Choisissez une année.",
            "invalid_choice": "« %(value)s » n'est pas une année proposée : choisissez une "
            "année dans la liste.",
        },
    )
    trimestre = forms.TypedChoiceField(
        label="Trimestre",
        coerce=int,
        choices=QUARTER_CHOICES,
        error_messages={
            "required": "Choisissez un trimestre.",
            "invalid_choice": "« %(value)s » n'est pas un trimestre : choisissez le 1er, le "
            "2e, le 3e ou le 4e trimestre.",
        },
    )

    def __init__(self, *args, years: list[int], today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["annee"].choices = [(year, str(year)) for year in years]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select"

    def clean(self):
        data = super().clean()
        if "annee" in data and "trimestre" in data:
            quarter = Quarter(data["annee"], data["trimestre"])
            try:
                check_begun(quarter, self.today)
            except ValueError as error:
                raise forms.ValidationError(str(error)) from error
            data["quarter"] = quarter
        return data


@login_required
@permission_required("reporting.view_quarterly_review", raise_exception=True)
def quarterly_review_page(request):
    today = timezone.localdate()
    default = Quarter.last_complete(today)
    years = sorted({*years_with_entries(today), default.year}, reverse=True)
    query = queries.form_data(request, QuarterForm.base_fields)
    file_format = queries.choice(request, "format", ("pdf",))
    form = QuarterForm(
        {"annee": default.year, "trimestre": default.number, **query}, years=years, today=today
    )
    review = computed_at = None
    refreshing = False
    if form.is_valid():
        kept = kept_review(form.cleaned_data["quarter"], today)
        review, computed_at, refreshing = kept.value, kept.computed_at, kept.refreshing
        if file_format == "pdf":
            content = render_pdf(
                "reporting/quarterly_review_pdf.html",
                {"review": review.for_print()},
                programme=Programme.current(),
            )
            return pdf_response(content, f"point-etape-{review.quarter.slug}.pdf")
    return render(
        request,
        "reporting/quarterly_review.html",
        {
            "form": form,
            "review": review,
            "computed_at": computed_at,
            "refreshing": refreshing,
            "fresh_minutes": int(FRESH_FOR.total_seconds() // 60),
        },
    )
