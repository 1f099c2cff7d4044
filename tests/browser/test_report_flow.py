"""Issue 13's reports in the real pages (§ 4, browser test): the provider plans the reports
from the action's page, adds a line to the budget statement and writes the final report on a
phone-sized screen, then sends it; the coordinator validates it; the PDF opens with its FSE+
statement. Page 1 of the PDF is looked at as an image: there is no PDF rasteriser here, so
the PDF's own HTML is drawn by Chromium (same template, same print stylesheet)."""

import datetime
import re
from io import BytesIO

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from plie.accounts.enums import Role
from plie.actions.enums import Presence, ReferralStatus
from plie.actions.models import Attendance
from plie.evaluation.enums import ReportKind, ReportStatus
from plie.evaluation.models import ActionReport
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_referral_to_entry import log_in, log_out
from tests.factories import (
    ProviderFactory,
    UserFactory,
    active_pathway,
    make_action,
    make_agreement,
    make_cohort,
    pdf_upload,
    refer,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 800}
LAPTOP = {"width": 1280, "height": 900}


@pytest.fixture
def browser_context_args(browser_context_args):
    """axe is injected as a script: the page's strict CSP would refuse it."""
    return {**browser_context_args, "bypass_csp": True}


def no_serious_violation(page) -> None:
    """axe-core on the page the provider writes in (the accessibility test's provider runs
    no action, so it never opens this form)."""
    results = Axe().run(page)
    serious = [
        (v["id"], [node["target"] for node in v["nodes"]])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, serious


def fits(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"la page déborde : {scroll} px pour {width} px"


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_the_provider_writes_the_final_report_and_the_coordination_validates_it(
    page, live_server, territory, shoot, console_errors
):
    today = timezone.localdate()
    team = UserFactory(username="coordinatrice", role=Role.COORDINATOR)
    referent = UserFactory(username="referente", role=Role.REFERENT)
    elan = ProviderFactory(name="Association Élan")
    UserFactory(username="prestataire", role=Role.PROVIDER, organisation=elan)
    start = today - datetime.timedelta(days=70)
    action = make_action(make_agreement(elan, by=team, signed=True, starts_on=start))
    cohort = make_cohort(action, starts_on=start)
    for number in range(3):
        pathway = active_pathway(referent, entry_date=start - datetime.timedelta(days=20))
        referral = refer(
            pathway.participant,
            cohort,
            status=ReferralStatus.COMPLETED,
            ended_on=cohort.ends_on,
        )
        for index, session in enumerate(cohort.sessions.all()):
            presence = Presence.ABSENT if index == number else Presence.PRESENT
            Attendance.objects.create(session=session, referral=referral, presence=presence)

    # 1. The provider plans the reports from the action's page.
    log_in(page, live_server, "prestataire")
    page.goto(live_server.url + reverse("actions:action_detail", args=[action.pk]))
    expect(page.get_by_role("heading", name="Bilans")).to_be_visible()
    page.get_by_role("button", name="Prévoir les bilans").click()
    expect(page.get_by_text("Bilans prévus")).to_be_visible()
    page.get_by_role("link", name="Bilan final").click()

    # 2. On a phone: a budget line with its evidence, then the four parts, then « envoyer ».
    page.set_viewport_size(PHONE)
    expect(page.get_by_role("heading", name=re.compile("Bilan final"), level=1)).to_be_visible()
    expect(
        page.get_by_role("rowheader", name="Personnes entrées dans un groupe").first
    ).to_be_visible()
    fits(page, PHONE["width"])
    no_serious_violation(page)
    shot(page, "report-provider-phone")
    page.get_by_label("Nature").select_option(label="Dépense")
    page.get_by_label("Libellé").fill("Salaires des animateurs")
    page.get_by_label("Montant (€)").fill("1250,50".replace(",", "."))
    # An expense is sent with its evidence (the pay slips, here a small PDF).
    page.get_by_label("Justificatif").set_input_files(
        {"name": "bulletins.pdf", "mimeType": "application/pdf", "buffer": pdf_upload().read()}
    )
    page.get_by_role("button", name="Ajouter la ligne").click()
    expect(page.get_by_text("Ligne ajoutée")).to_be_visible()
    page.get_by_label("Bilan quantitatif").fill("Trois personnes sont allées au bout.")
    page.get_by_label("Bilan qualitatif").fill("Un groupe soudé et assidu.")
    page.get_by_label("Enseignements pour les parcours").fill("La mobilité reste un frein.")
    page.get_by_label("Pistes d'ajustement").fill("Ajouter un atelier numérique.")
    page.get_by_role("button", name="Enregistrer et envoyer au PLIE").click()
    expect(page.get_by_text("Bilan envoyé au PLIE")).to_be_visible()
    fits(page, PHONE["width"])
    page.set_viewport_size(LAPTOP)
    log_out(page)

    # 3. The coordinator validates it.
    log_in(page, live_server, "coordinatrice")
    report = ActionReport.objects.get(action=action, kind=ReportKind.FINAL)
    page.goto(live_server.url + reverse("evaluation:report", args=[report.pk]))
    no_serious_violation(page)
    page.get_by_label("Commentaires du PLIE").fill("Merci pour ce bilan complet.")
    page.get_by_role("button", name="Valider le bilan").click()
    expect(page.get_by_text("Bilan validé")).to_be_visible()
    expect(page.get_by_text("Chiffres figés à la validation du bilan.")).to_be_visible()
    shot(page, "report-validated")
    report.refresh_from_db()
    assert report.status == ReportStatus.VALIDATED

    # 4. The PDF opens, with its FSE+ statement.
    response = page.request.get(
        live_server.url + reverse("evaluation:report_pdf", args=[report.pk])
    )
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    reader = PdfReader(BytesIO(response.body()))
    text = " ".join(p.extract_text() for p in reader.pages).replace("’", "'")
    assert "Cofinancé par l'Union européenne" in text
    assert "Fonds social européen plus" in text
    assert "Salaires des animateurs" in text

    # 5. Page 1 as an image: the PDF itself in Chromium's viewer
    # (screenshots/report-final.png), as the attendance sheet's.
    SCREENSHOTS.mkdir(exist_ok=True)
    pdf = SCREENSHOTS / "report-final.pdf"
    pdf.write_bytes(response.body())
    viewer = page.context.new_page()
    viewer.set_viewport_size({"width": 900, "height": 1250})
    viewer.goto(pdf.as_uri())
    viewer.wait_for_timeout(2500)  # the PDF viewer draws the page
    viewer.screenshot(path=str(SCREENSHOTS / "report-final.png"))
    assert not console_errors
