"""The assistant asks for last month's extraction, watches it being built, downloads it and
opens it as a spreadsheet; the progress is refreshed by htmx without reloading the page."""

import datetime

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from plie.accounts.enums import Role
from plie.reporting.enums import ExtractionStatus
from plie.reporting.models import Extraction
from plie.reporting.tasks import build_extraction
from tests.browser.test_referral_to_entry import log_in
from tests.factories import StepFactory, UserFactory, active_pathway

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_assistant_follows_the_extraction_then_opens_it(
    page, live_server, territory, shoot, console_errors, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    referent = UserFactory(username="referente", role=Role.REFERENT)
    UserFactory(username="assistante", role=Role.ASSISTANT)
    first_of_month = timezone.localdate().replace(day=1)
    last_month_end = first_of_month - datetime.timedelta(days=1)
    pathway = active_pathway(referent, entry_date=last_month_end.replace(day=1), last_name="Zola")
    StepFactory(pathway=pathway, start_date=last_month_end)

    log_in(page, live_server, "assistante")
    page.get_by_role("button", name="Pilotage").click()
    page.get_by_role("link", name="Extractions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Extractions")
    expect(page.get_by_label("Du")).to_have_value(last_month_end.replace(day=1).isoformat())
    page.get_by_role("button", name="Préparer l'extraction").click()
    expect(page.get_by_role("status").first).to_contain_text("Extraction demandée")
    expect(page.locator("progress")).to_be_visible()
    shoot("extraction-01-en-attente")

    # The worker's part, done here: the page, still open, must notice by itself.
    extraction = Extraction.objects.get()
    build_extraction.call(str(extraction.pk))
    assert Extraction.objects.get().status == ExtractionStatus.DONE
    link = page.get_by_role("link", name="Télécharger")
    expect(link).to_be_visible(timeout=10_000)
    expect(page.locator("progress")).to_have_count(0)
    shoot("extraction-02-prete")

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / "telechargee.xlsx"
    download.save_as(path)
    book = openpyxl.load_workbook(path, read_only=True)
    rows = list(book["participants"].iter_rows(values_only=True))
    assert rows[1][1] == "Zola" and len(rows) == 2
    assert len(list(book["etapes"].iter_rows(values_only=True))) == 2
    assert console_errors == []
