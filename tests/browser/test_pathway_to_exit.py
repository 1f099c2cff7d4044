"""A référent records steps; the tool says a positive-exit condition is met; the référent
proposes the exit; the project officer validates it at the committee; the participant
leaves the active caseload and appears in the year's exits."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from plie.accounts.enums import Role
from tests.browser.test_referral_to_entry import log_in, log_out
from tests.factories import MeetingFactory, UserFactory, active_pathway

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_steps_positive_exit_committee_and_exits(
    page, live_server, territory, shoot, console_errors
):
    referent = UserFactory(username="referente", role=Role.REFERENT)
    UserFactory(username="charge.projet", role=Role.PROJECT_OFFICER)
    today = timezone.localdate()
    pathway = active_pathway(
        referent,
        entry_date=today - datetime.timedelta(days=400),
        last_name="Durand",
        first_name="Amélie",
    )
    MeetingFactory(held_on=today)
    cdi_start = today - datetime.timedelta(days=220)

    log_in(page, live_server, "referente")
    page.get_by_role("link", name="À suivre").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("À suivre")
    expect(page.locator("#sans-etape")).to_contain_text("DURAND Amélie")
    shoot("11-referent-a-suivre")

    page.get_by_role("link", name="DURAND Amélie").first.click()
    expect(page.locator("#sortie")).to_contain_text("Aucune condition de sortie positive")
    page.get_by_role("link", name="Ajouter une étape").click()
    page.get_by_label("Type").select_option(label="Formation pré-qualifiante")
    page.get_by_label("Employeur ou organisme").fill("GRETA 21")
    page.get_by_label("Date de début").fill((today - datetime.timedelta(days=330)).isoformat())
    page.get_by_label("Fin réelle").fill((today - datetime.timedelta(days=240)).isoformat())
    page.get_by_label("Issue").select_option(label="Terminée comme prévu")
    shoot("12-referent-etape-formation")
    page.get_by_role("button", name="Enregistrer l'étape").click()
    expect(page.get_by_text("Étape « Formation pré-qualifiante » ajoutée")).to_be_visible()

    page.get_by_role("link", name="Ajouter une étape").click()
    page.get_by_label("Type").select_option(label="CDI")
    page.get_by_label("Employeur ou organisme").fill("Clinique du Parc")
    page.get_by_label("Date de début").fill(cdi_start.isoformat())
    page.get_by_label("Heures par semaine").fill("30")
    page.get_by_role("button", name="Enregistrer l'étape").click()
    sortie = page.locator("#sortie")
    expect(sortie).to_contain_text("Condition de sortie positive remplie")
    expect(sortie).to_contain_text("CDI")
    shoot("13-referent-sortie-positive-proposee")

    page.get_by_role("link", name="Noter un contact").click()
    page.get_by_label("Forme").select_option(label="Entretien individuel")
    page.get_by_label("Compte rendu").fill("Emploi stable, la personne souhaite sortir du PLIE.")
    page.get_by_role("button", name="Enregistrer le contact").click()
    expect(page.locator("#contacts")).to_contain_text("Emploi stable")

    page.get_by_role("link", name="Proposer la sortie").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Proposer la sortie")
    page.get_by_label("Commission", exact=True).select_option(index=1)
    expect(page.get_by_label("Motif de sortie")).to_have_value("positive")
    shoot("14-referent-proposer-sortie")
    page.get_by_role("button", name="Proposer la sortie en commission").click()
    expect(page.locator("#commission")).to_contain_text("Sortie proposée")
    log_out(page)

    log_in(page, live_server, "charge.projet")
    page.get_by_role("link", name="Commissions").click()
    page.get_by_role("link", name="Commission du").first.click()
    dossier = page.locator("article", has_text="DURAND Amélie")
    expect(dossier).to_contain_text("Sortie positive")
    dossier.get_by_label("Validée").check()
    shoot("15-charge-projet-commission-sortie")
    dossier.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("DURAND Amélie : sortie validée")).to_be_visible()
    log_out(page)

    log_in(page, live_server, "referente")
    page.get_by_label("Situation").select_option(label="En parcours")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("main")).not_to_contain_text("DURAND Amélie")
    page.get_by_role("link", name="Sorties").click()
    expect(page.get_by_role("main")).to_contain_text("DURAND Amélie")
    expect(page.get_by_role("main")).to_contain_text("CDI d'au moins un mi-temps")
    shoot("16-referent-sorties")
    pathway.refresh_from_db()
    assert pathway.exit_date == today
    assert console_errors == []
