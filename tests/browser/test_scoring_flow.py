"""Two evaluators score a call's proposals, the ranking shows, the coordinator consults the
steering committee, a member answers, the coordinator awards, and a letter PDF opens."""

import datetime
from io import BytesIO

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from plie.accounts.enums import Role
from plie.purchasing.enums import CallStatus
from tests.browser.test_referral_to_entry import log_in, log_out
from tests.factories import CallForProposalsFactory, ProposalFactory, ProviderFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MARKS = {"Alpha": (("8", "6"), ("7", "6")), "Bêta": (("6", "8"), ("6", "8"))}


def score(page, live_server, proposal, marks):
    page.goto(f"{live_server.url}/achats/jugement/propositions/{proposal.pk}/notation/")
    if page.get_by_label("Je déclare n'avoir aucun conflit d'intérêts avec ce candidat").count():
        page.get_by_label("Je déclare n'avoir aucun conflit d'intérêts avec ce candidat").check()
        page.get_by_role("button", name="Envoyer ma déclaration").click()
    page.get_by_label("Valeur technique (40 %) : note sur 10").fill(marks[0])
    page.get_by_label("Valeur technique : commentaire").fill("Méthode claire")
    page.get_by_label("Équipe (30 %) : note sur 10").fill(marks[1])
    page.get_by_label("Équipe : commentaire").fill("Équipe solide")
    page.get_by_role("button", name="Enregistrer mes notes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Classement")


def test_scoring_consultation_award_and_letter(page, live_server, territory, shoot):
    past = timezone.now() - datetime.timedelta(days=2)
    call = CallForProposalsFactory(deadline=past, status=CallStatus.INSTRUCTION)
    proposals = {
        name: ProposalFactory(
            call=call, provider=ProviderFactory(name=name), price=price, received_at=past
        )
        for name, price in (("Alpha", 30000), ("Bêta", 24000))
    }
    UserFactory(username="coordinatrice", role=Role.COORDINATOR)
    UserFactory(username="charge.projet", role=Role.PROJECT_OFFICER)
    UserFactory(username="copil", role=Role.STEERING_VIEWER)

    for index, username in enumerate(("coordinatrice", "charge.projet")):
        log_in(page, live_server, username)
        for name, proposal in proposals.items():
            score(page, live_server, proposal, MARKS[name][index])
        log_out(page)

    log_in(page, live_server, "coordinatrice")
    page.goto(f"{live_server.url}/achats/jugement/appels/{call.pk}/classement/")
    expect(page.get_by_text("1re sur 2 avec 78,00 sur 100")).to_be_visible()  # Bêta
    expect(page.get_by_text("prix le plus bas ÷ prix de l'offre × 30").first).to_be_visible()
    shoot("jugement-01-classement")
    page.get_by_role("link", name="Consulter le comité de pilotage").click()
    page.get_by_label("Message au comité").fill("Merci de votre avis sur le classement.")
    page.get_by_label("Réponse attendue au plus tard le").fill(
        (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    )
    page.get_by_role("button", name="Ouvrir la consultation").click()
    expect(page.get_by_text("Consultation ouverte")).to_be_visible()
    log_out(page)

    log_in(page, live_server, "copil")
    page.goto(f"{live_server.url}/avis/")
    page.get_by_role("button", name=f"Ouvrir : Consultation écrite : {call.reference}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Consultation écrite")
    expect(page.get_by_text("Méthode claire")).to_have_count(0)  # no evaluator's comment
    shoot("jugement-02-consultation-membre")
    page.get_by_label("Avis favorable").check()
    page.get_by_role("button", name="Envoyer mon avis").click()
    expect(page.get_by_text("Votre avis est enregistré")).to_be_visible()
    log_out(page)

    log_in(page, live_server, "coordinatrice")
    page.goto(f"{live_server.url}/achats/jugement/appels/{call.pk}/classement/")
    page.get_by_role("button", name="Clore la consultation").click()
    expect(page.get_by_text("Le comité de pilotage valide la proposition").first).to_be_visible()
    page.get_by_label("Je confirme l'attribution").check()
    page.get_by_role("button", name="Attribuer l'appel").click()
    expect(page.get_by_text("Appel attribué à Bêta")).to_be_visible()
    shoot("jugement-03-attribue")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Lettre (PDF) d'Alpha").click()
    path = download_info.value.path()
    with open(path, "rb") as file:
        reader = PdfReader(BytesIO(file.read()))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "pas retenue" in text and "2e sur 2" in text
    assert "Cofinancé par l'Union européenne" in text
