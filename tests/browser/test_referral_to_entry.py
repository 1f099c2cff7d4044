"""A référent records a referral and proposes the entry; the project officer validates it
at the committee; the participant is then in the référent's active caseload."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from plie.accounts.enums import Role
from tests.factories import PASSWORD, MeetingFactory, PrescriberFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def log_out(page):
    page.get_by_role("button", name="Mon compte").click()
    page.get_by_role("button", name="Se déconnecter").click()


def test_referral_eligibility_committee_and_active_caseload(
    page, live_server, territory, shoot, console_errors
):
    referent = UserFactory(
        username="referente", role=Role.REFERENT, first_name="Claire", last_name="Martin"
    )
    UserFactory(username="charge.projet", role=Role.PROJECT_OFFICER)
    PrescriberFactory(name="France Travail Dijon")
    MeetingFactory(held_on=timezone.localdate())
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    log_in(page, live_server, "referente")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes participants")
    shoot("01-referent-mes-participants")

    page.get_by_role("link", name="Enregistrer une orientation").click()
    page.get_by_label("Nom", exact=True).fill("Benali")
    page.get_by_label("Prénom").fill("Samira")
    page.get_by_label("Sexe").select_option("F")
    page.get_by_label("Date de naissance").fill("1988-05-14")
    page.get_by_label("Commune de résidence").select_option(label="Chenôve")
    page.get_by_label("Autorisé(e) à travailler en France").select_option("true")
    page.get_by_label("Prescripteur").select_option(label="France Travail Dijon")
    page.get_by_label("Date d'orientation").fill(yesterday.isoformat())
    page.get_by_label("Motif de l'orientation").fill(
        "Demandeuse d'emploi depuis deux ans, souhaite un accompagnement."
    )
    shoot("02-referent-orientation-saisie")
    page.get_by_role("button", name="Enregistrer l'orientation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("BENALI Samira")
    expect(page.get_by_text("Orientation enregistrée")).to_be_visible()
    shoot("03-referent-dossier-oriente")

    appointment = timezone.localtime() - datetime.timedelta(hours=1)
    page.get_by_label("Date et heure du rendez-vous").fill(appointment.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Fixer").click()
    page.get_by_label("Venu(e)").check()
    page.get_by_role("button", name="Enregistrer l'issue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Dossier d'entrée de BENALI Samira")
    page.get_by_label("Souhaite s'engager dans un parcours vers l'emploi").select_option("true")
    page.get_by_label("Situation sur le marché du travail").select_option("unemployed")
    page.get_by_label("Bénéficiaire du RSA").select_option("true")
    page.get_by_label("Mobilité").check()
    shoot("04-referent-dossier-entree")
    page.get_by_role("button", name="Enregistrer le dossier d'entrée").click()

    page.get_by_role("button", name="Examiner l'éligibilité").click()
    eligibility = page.locator("#eligibilite")
    expect(eligibility).to_contain_text("Éligible")
    expect(eligibility).to_contain_text("Habite une commune du territoire : oui (Chenôve)")
    expect(eligibility).to_contain_text("Protocole d'accord 2021-2026")
    shoot("05-referent-eligibilite")

    page.get_by_role("link", name="Proposer l'entrée en commission").click()
    page.get_by_label("Commission", exact=True).select_option(index=1)
    page.get_by_label("Argumentaire pour la commission").fill("Motivée, projet dans la logistique.")
    shoot("06-referent-proposition")
    page.get_by_role("button", name="Proposer l'entrée").click()
    expect(page.get_by_text("Entrée proposée à la commission")).to_be_visible()
    log_out(page)

    log_in(page, live_server, "charge.projet")
    page.get_by_role("link", name="Commissions").click()
    shoot("07-charge-projet-commissions")
    page.get_by_role("link", name=re.compile(r"Commission du")).first.click()
    expect(page.get_by_text("BENALI Samira")).to_be_visible()
    page.get_by_label("Validée").check()
    shoot("08-charge-projet-ordre-du-jour")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("entrée validée")).to_be_visible()
    shoot("09-charge-projet-decision")
    log_out(page)

    log_in(page, live_server, "referente")
    page.get_by_label("Situation").select_option("active")
    page.get_by_role("button", name="Filtrer").click()
    row = page.get_by_role("row", name=re.compile("BENALI Samira"))
    expect(row).to_contain_text("En parcours")
    expect(row).to_contain_text(timezone.localdate().strftime("%d/%m/%Y"))
    shoot("10-referent-file-active")
    row.get_by_role("link").click()
    expect(page.locator("#parcours")).to_contain_text(f"Référent(e) : {referent}")
    shoot("11-referent-dossier-en-parcours")
    assert console_errors == []
