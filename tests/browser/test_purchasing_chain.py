"""The purchasing chain end to end (issue 11 § 7), in the real pages: the coordinator
publishes a call; a provider answers it in its portal and gets its receipt; two evaluators
score; the steering committee answers the written consultation; the award makes the
agreement; the provider uploads its interim report, the team checks it, and the second
instalment becomes due."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from plie.accounts.enums import Role
from plie.purchasing.enums import CallStatus, Procedure
from plie.purchasing.models import CallForProposals
from tests.browser.test_referral_to_entry import log_in, log_out
from tests.browser.test_scoring_flow import score
from tests.factories import CallForProposalsFactory, ProviderFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def a_pdf(tmp_path, name: str):
    path = tmp_path / name
    path.write_bytes(PDF)
    return path


def pdf_text(download) -> str:
    with open(download.path(), "rb") as file:
        return " ".join(p.extract_text() for p in PdfReader(BytesIO(file.read())).pages)


def test_from_the_call_to_the_second_instalment(page, live_server, territory, shoot, tmp_path):
    call = CallForProposalsFactory(
        procedure=Procedure.SERVICE,
        title="Ateliers Oser l'emploi",
        status=CallStatus.DRAFT,
        published_at=None,
        deadline=timezone.now() + datetime.timedelta(days=10),
    )
    UserFactory(username="coordinatrice", role=Role.COORDINATOR, email="c@example.org")
    UserFactory(username="charge.projet", role=Role.PROJECT_OFFICER)
    UserFactory(username="copil", role=Role.STEERING_VIEWER)
    elan = ProviderFactory(name="Association Élan")
    UserFactory(username="prestataire", role=Role.PROVIDER, organisation=elan)

    # The coordinator publishes the call; it shows on the public page.
    log_in(page, live_server, "coordinatrice")
    page.goto(live_server.url + reverse("purchasing:call_detail", args=[call.pk]))
    page.get_by_role("button", name="Publier l'appel").click()
    expect(page.get_by_text("Ouvert aux réponses").first).to_be_visible()
    log_out(page)
    page.goto(live_server.url + reverse("purchasing:public_calls"))
    expect(page.get_by_text("Ateliers Oser l'emploi").first).to_be_visible()

    # The provider answers in its portal and gets its receipt.
    log_in(page, live_server, "prestataire")
    page.get_by_role("link", name="Appels et propositions").first.click()
    page.get_by_role("link", name=f"Déposer une proposition à l'appel {call.reference}").click()
    page.get_by_label("Prix proposé (€, ferme et non révisable)").fill("24000")
    page.get_by_label("Présentation du candidat").set_input_files(
        a_pdf(tmp_path, "presentation.pdf")
    )
    page.get_by_label("Proposition financière").set_input_files(a_pdf(tmp_path, "prix.pdf"))
    page.get_by_role("button", name="Déposer la proposition").click()
    expect(page.get_by_text("Accusé de dépôt").first).to_be_visible()
    shoot("chaine-01-depot")
    with page.expect_download() as receipt:
        page.get_by_role("link", name="Télécharger l'attestation de dépôt (PDF)").click()
    text = pdf_text(receipt.value)
    assert "Association Élan" in text and call.reference in text
    log_out(page)

    # The deadline passes; the coordinator closes the deposits; two evaluators score.
    CallForProposals.objects.filter(pk=call.pk).update(
        deadline=timezone.now() - datetime.timedelta(minutes=5)
    )
    proposal = call.proposals.get()
    log_in(page, live_server, "coordinatrice")
    page.goto(live_server.url + reverse("purchasing:call_detail", args=[call.pk]))
    page.get_by_role("button", name="Clore les dépôts et passer en instruction").click()
    page.get_by_role("link", name="Ouvrir le jugement").click()
    score(page, live_server, proposal, ("8", "7"))
    log_out(page)
    log_in(page, live_server, "charge.projet")
    score(page, live_server, proposal, ("7", "8"))
    log_out(page)

    # The written consultation: opened, answered by the member, closed; the award.
    log_in(page, live_server, "coordinatrice")
    page.goto(live_server.url + reverse("scoring:ranking", args=[call.pk]))
    page.get_by_role("link", name="Consulter le comité de pilotage").click()
    page.get_by_label("Message au comité").fill("Merci de votre avis.")
    page.get_by_label("Réponse attendue au plus tard le").fill(
        (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    )
    page.get_by_role("button", name="Ouvrir la consultation").click()
    log_out(page)
    log_in(page, live_server, "copil")
    page.get_by_role("link", name=f"{call.reference} — {call.title}").click()
    page.get_by_label("Avis favorable").check()
    page.get_by_role("button", name="Envoyer mon avis").click()
    expect(page.get_by_text("Votre avis est enregistré")).to_be_visible()
    log_out(page)
    log_in(page, live_server, "coordinatrice")
    page.goto(live_server.url + reverse("scoring:ranking", args=[call.pk]))
    page.get_by_role("button", name="Clore la consultation").click()
    page.get_by_label("Début de la convention").fill(timezone.localdate().isoformat())
    page.get_by_label("Je confirme l'attribution").check()
    page.get_by_role("button", name="Attribuer l'appel").click()
    expect(page.get_by_text("Appel attribué à Association Élan").first).to_be_visible()
    shoot("chaine-02-attribution")

    # The agreement follows; the coordinator records its signature.
    proposal.refresh_from_db()
    agreement = proposal.agreement
    page.get_by_role("link", name=f"{agreement.reference}").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(agreement.title)
    page.get_by_label("Signée le").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="Enregistrer la signature").click()
    interim = page.locator("section", has_text="Au bilan intermédiaire")
    expect(interim.get_by_text("Bloquée", exact=True)).to_be_visible()
    expect(interim.get_by_text("Bilan intermédiaire : pas encore reçu")).to_be_visible()
    log_out(page)

    # The provider uploads its interim report in « Mes conventions ».
    log_in(page, live_server, "prestataire")
    page.get_by_role("link", name="Mes conventions").first.click()
    page.get_by_role("link", name=agreement.reference).first.click()
    interim = page.locator("section", has_text="Au bilan intermédiaire")
    interim.get_by_label("Document").set_input_files(a_pdf(tmp_path, "bilan-intermediaire.pdf"))
    interim.get_by_role("button", name="Déposer", exact=True).click()
    expect(interim.get_by_text("pas encore vérifié").first).to_be_visible()
    shoot("chaine-03-bilan-depose")
    log_out(page)

    # The team checks it: the second instalment is due.
    log_in(page, live_server, "coordinatrice")
    page.goto(live_server.url + reverse("web:notices"))
    page.get_by_role("button", name=f"Ouvrir : Livrable reçu : {agreement.reference}").first.click()
    interim = page.locator("section", has_text="Au bilan intermédiaire")
    interim.get_by_label("Accepté").check()
    interim.get_by_role("button", name="Enregistrer la vérification").click()
    interim = page.locator("section", has_text="Au bilan intermédiaire")
    expect(interim.get_by_text("À payer", exact=True)).to_be_visible()
    shoot("chaine-04-echeance-due")
