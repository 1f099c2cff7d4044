"""The provider on a phone (375 px) records a session's presences for a group of twelve;
the attendance sheet of that session is opened in Chromium's PDF viewer and looked at as an
image (screenshots/attendance-sheet-12.png): one A4 page, the FSE+ statement and emblem."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from plie.accounts.enums import Role
from plie.actions.enums import Presence, ReferralStatus
from plie.actions.models import Attendance
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_referral_to_entry import log_in
from tests.factories import (
    ProviderFactory,
    UserFactory,
    active_pathway,
    make_action,
    make_agreement,
    make_cohort,
    refer,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NAMES = (
    "Abadie", "Benali", "Chevalier", "Dos Santos", "Étienne-Lefebvre", "Fournier",
    "Guérin", "Haddad", "Ibrahimovic", "Jacquemin-Delacroix", "Kone", "Lemaire",
)  # fmt: skip


def test_presences_on_a_phone_and_the_sheet_of_twelve_on_one_page(
    page, live_server, territory, shoot, console_errors
):
    team = UserFactory(role=Role.COORDINATOR)
    organisation = ProviderFactory(name="Atelier Emploi Bourgogne")
    UserFactory(username="prestataire", role=Role.PROVIDER, organisation=organisation)
    referent = UserFactory(role=Role.REFERENT)
    action = make_action(make_agreement(organisation, by=team, signed=True))
    cohort = make_cohort(action)
    for name in NAMES:
        participant = active_pathway(
            referent, entry_date=timezone.localdate(), last_name=name, first_name="Marie-Claude"
        ).participant
        refer(participant, cohort, status=ReferralStatus.ACCEPTED)
    session = cohort.sessions.order_by("date").first()
    session.intervener, session.topic = "Claire Dupont-Martin", "Se présenter à un employeur"
    session.save()

    page.set_viewport_size({"width": 375, "height": 812})
    log_in(page, live_server, "prestataire")
    page.goto(live_server.url + reverse("actions:session_attendance", args=[session.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Présences")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"la page déborde : {width} px"
    first = page.get_by_role("group", name="ABADIE Marie-Claude")
    first.get_by_text("Présent(e)", exact=True).click()
    second = page.get_by_role("group", name="BENALI Marie-Claude")
    second.get_by_text("Absence excusée", exact=True).click()
    box = first.get_by_text("Présent(e)", exact=True).bounding_box()
    assert box["height"] >= 44, "une cible trop petite pour un doigt"
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.get_by_text("Présences enregistrées (2 personnes)")).to_be_visible()
    shoot("attendance-phone")
    assert dict(Attendance.objects.values_list("referral__participant__last_name", "presence")) == {
        "Abadie": Presence.PRESENT,
        "Benali": Presence.EXCUSED,
    }

    sheet = page.request.get(
        live_server.url + reverse("actions:attendance_sheet", args=[session.pk])
    )
    assert sheet.headers["content-type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(sheet.body())).pages) == 1
    SCREENSHOTS.mkdir(exist_ok=True)
    pdf = SCREENSHOTS / "attendance-sheet-12.pdf"
    pdf.write_bytes(sheet.body())
    viewer = page.context.new_page()
    viewer.set_viewport_size({"width": 900, "height": 1250})
    viewer.goto(pdf.as_uri())
    viewer.wait_for_timeout(2500)  # the PDF viewer draws the page
    viewer.screenshot(path=str(SCREENSHOTS / "attendance-sheet-12.png"))
    assert not console_errors
