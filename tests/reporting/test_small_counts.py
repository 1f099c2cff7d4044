"""One small-count rule for every aggregated output: for the steering committee, the same
count reads the same on the home page, the key figures, the dashboard, the quarterly review
(page and PDF) and the cohort study (page, workbook and PDF) — 0 shown, 1 to 4 hidden as
« < 5 », 5 shown."""

import datetime
import io
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.factories import active_pathway

pytestmark = pytest.mark.django_db
D = datetime.date
FIRST_HALF = {"date_from": "2026-01-01", "date_to": "2026-06-30"}


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False):
        yield


def pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def cell(page: str, table: str, row: str) -> str:
    body = re.search(rf'<table[^>]*id="{table}".*?</table>', page, re.DOTALL).group(0)
    found = re.search(rf"<th[^>]*>{re.escape(row)}</th>\s*<td[^>]*>([^<]*)</td>", body)
    return found.group(1)


@pytest.mark.parametrize(("people", "shown"), [(0, "0"), (1, "< 5"), (4, "< 5"), (5, "5")])
def test_the_steering_committee_reads_each_count_the_same_way_everywhere(
    client, referent, steering_viewer, people, shown
):
    for _ in range(people):
        active_pathway(referent, entry_date=D(2026, 2, 5))
    client.force_login(steering_viewer)
    html = escape(shown)

    home = client.get(reverse("web:home")).content.decode()
    assert f'<p class="display-6 mb-0">{html}</p>' in home  # in the caseload today

    key = client.get(reverse("reporting:key_figures")).content.decode()
    assert re.search(rf'id="chiffre-people_accompanied">.*?display-6 mb-0">{html}<', key, re.S)

    dashboard = client.get(reverse("reporting:dashboard")).content.decode()
    assert cell(dashboard, "tableau-entrees-sorties", "févr. 2026") == html  # February's entries

    review = client.get(reverse("reporting:quarterly_review")).content.decode()
    assert cell(review, "tableau-chiffres-cles", "Personnes accompagnées") == html
    review_pdf = client.get(reverse("reporting:quarterly_review"), {"format": "pdf"})
    assert re.search(rf"Personnes accompagnées {re.escape(shown)} ", pdf_text(review_pdf.content))

    cohort = client.get(reverse("reporting:cohort"), FIRST_HALF).content.decode()
    assert f"<strong>{html}</strong> personne" in cohort
    workbook = client.get(reverse("reporting:cohort"), {**FIRST_HALF, "format": "xlsx"})
    summary = dict(
        load_workbook(io.BytesIO(workbook.content))["Cohorte"].iter_rows(
            min_row=2, values_only=True
        )
    )
    assert str(summary["Personnes entrées"]) == shown
    cohort_pdf = client.get(reverse("reporting:cohort"), {**FIRST_HALF, "format": "pdf"})
    assert f"{shown} personne" in pdf_text(cohort_pdf.content)


def test_the_coordination_reads_every_count_but_in_documents_for_the_committee(
    client, referent, coordinator
):
    for _ in range(3):
        active_pathway(referent, entry_date=D(2026, 2, 5))
    client.force_login(coordinator)
    key = client.get(reverse("reporting:key_figures")).content.decode()
    assert re.search(r'id="chiffre-people_accompanied">.*?display-6 mb-0">3<', key, re.S)
    cohort = client.get(reverse("reporting:cohort"), FIRST_HALF).content.decode()
    assert "<strong>3</strong> personnes entrées" in cohort
    # The quarterly review and the cohort's PDF are made for the committee: hidden anyway.
    review = client.get(reverse("reporting:quarterly_review")).content.decode()
    assert cell(review, "tableau-chiffres-cles", "Personnes accompagnées") == "&lt; 5"
    cohort_pdf = client.get(reverse("reporting:cohort"), {**FIRST_HALF, "format": "pdf"})
    assert "< 5 personnes entrées" in pdf_text(cohort_pdf.content)
