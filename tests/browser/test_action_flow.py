"""Issue 12's flow in the real pages (§ 7, browser test): a référent refers a participant to
a cohort to come from the participant's file; the provider accepts in « Orientations
reçues », prints the session's attendance sheet (one page, the FSE+ statement, the person's
name); once the first session is past, it records it on a phone (375 px), fills a French
diagnostic and sends a final follow-up sheet; the référent reads the recommendation in the
participant's file.

A référent may only refer to a cohort that has not started (actions/referrals.py): the clock
is moved past the first session with time_machine (which moves the live server's clock too,
the server running in this process) before the attendance is recorded."""

import datetime
import re
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from plie.accounts.enums import Role
from plie.actions.enums import Presence, ReferralStatus
from plie.actions.models import ActionReferral, Attendance
from tests.browser.test_referral_to_entry import log_in, log_out
from tests.factories import (
    ProviderFactory,
    UserFactory,
    active_pathway,
    make_action,
    make_agreement,
    make_cohort,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 800}
LAPTOP = {"width": 1280, "height": 900}
RECOMMENDATION = "Entrer dans une formation qualifiante d'aide à domicile."


def fits(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"la page déborde : {scroll} px pour {width} px"


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_refer_accept_sheet_attendance_diagnostic_and_recommendation(
    page, live_server, territory, shoot, console_errors
):
    today = timezone.localdate()
    team = UserFactory(username="coordinatrice", role=Role.COORDINATOR)
    referent = UserFactory(
        username="referente", role=Role.REFERENT, first_name="Claire", last_name="Martin"
    )
    elan = ProviderFactory(name="Association Élan")
    UserFactory(username="prestataire", role=Role.PROVIDER, organisation=elan)
    action = make_action(make_agreement(elan, by=team, signed=True))
    # Groups of the action: one under way (not offered), one to come, starting tomorrow.
    make_cohort(action, number=1, starts_on=today - datetime.timedelta(days=7))
    cohort = make_cohort(action, number=2, starts_on=today + datetime.timedelta(days=1))
    first = cohort.sessions.order_by("date", "half_day").first()
    participant = active_pathway(
        referent,
        entry_date=today - datetime.timedelta(days=30),
        last_name="Durand",
        first_name="Léa",
        phone="0601020304",
    ).participant

    # 1. The référent refers the person from her file to the cohort to come.
    log_in(page, live_server, "referente")
    page.goto(live_server.url + reverse("web:participant", args=[participant.pk]))
    page.get_by_role("link", name="Orienter vers une action").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Orienter DURAND Léa vers une action")
    page.get_by_label("Action", exact=True).select_option(label=action.title)
    page.get_by_label("Groupe", exact=True).select_option(
        label=f"{action.title} — {cohort} — 12 places restantes"
    )
    page.get_by_label("Français (FLE)").check()
    page.get_by_label("Motif de l'orientation").fill(
        "Reprendre un rythme, faire le point sur le français écrit avant une formation."
    )
    page.get_by_label("Téléphone").check()
    shoot("action-flow-01-orientation-saisie")
    page.get_by_role("button", name="Envoyer l'orientation").click()
    expect(
        page.get_by_text(f"Orientation envoyée au prestataire de « {action.title} »")
    ).to_be_visible()
    shoot("action-flow-02-orientation-envoyee")
    referral = ActionReferral.objects.get(participant=participant)
    assert referral.cohort == cohort and referral.status == ReferralStatus.SENT
    log_out(page)

    # 2. The provider accepts it from « Orientations reçues ».
    log_in(page, live_server, "prestataire")
    page.get_by_role("link", name="Orientations reçues").first.click()
    page.get_by_role("link", name="Durand Léa").click()
    person = page.locator("section", has_text="La personne")
    expect(
        person.get_by_text("06 01 02 03 04").or_(person.get_by_text("0601020304"))
    ).to_be_visible()
    shoot("action-flow-03-orientation-recue")
    page.get_by_role("button", name="Accepter").click()
    expect(page.get_by_text("Accepté", exact=False).first).to_be_visible()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.step is not None
    # Before the cohort starts, no outcome is asked for (its end could not precede the start).
    expect(page.get_by_role("heading", name="Issue de l'action")).to_have_count(0)
    shoot("action-flow-04-orientation-acceptee")

    # 3. The attendance sheet of the first session, from the cohort's page.
    page.get_by_role("link", name="Mes actions").first.click()
    page.get_by_role("link", name=action.title).click()
    page.get_by_role("link", name="Groupe 2").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Groupe 2")
    shoot("action-flow-05-groupe")
    card = page.locator(f"#seance-{first.pk}")
    with page.expect_download() as download:
        card.get_by_role("link", name="Feuille d'émargement (PDF)").click()
    with open(download.value.path(), "rb") as file:
        pdf = PdfReader(BytesIO(file.read()))
    assert len(pdf.pages) == 1
    text = words(pdf.pages[0].extract_text())
    assert "Cofinancé par l'Union européenne" in text
    assert "DURAND Léa" in text
    log_out(page)

    # 4. The day after the first session, on a phone: the provider records it.
    after = datetime.datetime.combine(
        first.date + datetime.timedelta(days=1),
        datetime.time(10, 0),
        tzinfo=ZoneInfo("Europe/Paris"),
    )
    with time_machine.travel(after):
        page.set_viewport_size(PHONE)
        log_in(page, live_server, "prestataire")
        page.get_by_role("button", name="Ouvrir le menu").click()
        page.get_by_role("link", name="Mes actions").first.click()
        page.get_by_role("link", name=action.title).click()
        page.get_by_role("link", name="Groupe 2").click()
        page.locator(f"#seance-{first.pk}").get_by_role("link", name="Présences").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Présences")
        page.get_by_role("group", name="DURAND Léa").get_by_text("Présent(e)", exact=True).click()
        page.get_by_role("button", name="Enregistrer les présences").click()
        expect(page.get_by_text("Présences enregistrées (1 personne)")).to_be_visible()
        fits(page, 375)
        shoot("action-flow-06-presences-telephone")
        assert Attendance.objects.get(referral=referral, session=first).presence == (
            Presence.PRESENT
        )

        # 5. A French diagnostic and the final follow-up sheet, sent to the référent.
        page.set_viewport_size(LAPTOP)
        page.goto(live_server.url + reverse("actions:referral", args=[referral.pk]))
        page.get_by_role("link", name="Diagnostics", exact=True).click()
        page.get_by_role("link", name="Français (FLE) — début").click()
        page.get_by_label("Date du diagnostic").fill(after.date().isoformat())
        page.get_by_label("Compréhension orale").select_option("B1")
        page.get_by_label("Expression écrite").select_option("A2")
        page.get_by_role("button", name="Enregistrer").click()
        expect(page.get_by_text("enregistré").first).to_be_visible()
        shoot("action-flow-07-diagnostic")
        page.get_by_role("link", name="Fiches de suivi et échanges").first.click()
        page.get_by_role("link", name="Écrire une fiche de suivi").click()
        page.get_by_label("Nature de la fiche").select_option("final")
        page.get_by_label("Déroulement et observations").fill(
            "Présente et investie ; à l'aise à l'oral, l'écrit reste à travailler."
        )
        page.get_by_label("Préconisation 1 : axe de travail").select_option("training")
        page.get_by_label("Préconisation 1 : texte").fill(RECOMMENDATION)
        page.get_by_role("button", name="Enregistrer le brouillon").click()
        page.get_by_role("button", name="Envoyer au référent").click()
        expect(page.get_by_text("Fiche envoyée au référent")).to_be_visible()
        shoot("action-flow-08-fiche-envoyee")
        log_out(page)

        # 6. The référent reads the recommendation in the participant's file.
        log_in(page, live_server, "referente")
        page.goto(live_server.url + reverse("web:participant", args=[participant.pk]))
        section = page.locator("section#diagnostics")
        expect(
            section.get_by_role("heading", name="Diagnostics et fiches de suivi")
        ).to_be_visible()
        expect(section.get_by_text("Fiche de suivi de fin d'action")).to_be_visible()
        expect(section.get_by_text(RECOMMENDATION)).to_be_visible()
        section.scroll_into_view_if_needed()
        shoot("action-flow-09-referente-preconisations")
    assert not console_errors
