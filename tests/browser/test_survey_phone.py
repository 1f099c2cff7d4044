"""A participant answers the satisfaction survey on a phone (375 px, issue 13, §1): no
account, large targets, nothing wider than the screen, axe-core with no serious or critical
violation, and a second visit says they already answered. The provider's sheet of links is
opened in Chromium's PDF viewer and looked at as an image (screenshots/survey-sheet.png)."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from plie.accounts.enums import Role
from plie.actions import surveys
from plie.actions.models import SurveyAnswer
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_referral_to_entry import log_in
from tests.factories import ProviderFactory, UserFactory, survey_cohort

PHONE = {"width": 375, "height": 812}
SERIOUS = {"serious", "critical"}


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_participant_answers_on_a_phone(page, live_server, territory, shoot, console_errors):
    import datetime

    organisation = ProviderFactory(name="Association Élan")
    provider = UserFactory(username="elan", role=Role.PROVIDER, organisation=organisation)
    cohort = survey_cohort(
        organisation, first_names=["Aïcha", "Bernard", "Chloé", "Dimitri", "Estelle", "Fatou"]
    )
    invitation = surveys.open_survey(
        cohort=cohort, closes_on=timezone.localdate() + datetime.timedelta(days=14), by=provider
    )[0]
    page.set_viewport_size(PHONE)
    url = live_server.url + reverse("actions:survey_answer", args=[invitation.token])
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre avis sur l'action")
    assert page.locator("a").count() == 0, "la page du questionnaire mène ailleurs"
    assert not serious_violations(page)
    shoot("survey-phone-empty")
    # A first sending without answers: the page says what is missing, and axe still passes.
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_text("Une réponse est à revoir")).to_be_visible()
    assert not serious_violations(page)
    welcome = page.get_by_role("group", name="1. L'accueil dans le groupe était bon.")
    option = welcome.get_by_text("Oui, tout à fait", exact=True)
    box = page.locator("label.survey-option").first.bounding_box()
    assert box["height"] >= 44, "une cible trop petite pour un doigt"
    option.click()
    for name, answer in (
        ("2. L'action m'a été utile.", "Plutôt oui"),
        ("3. Aujourd'hui, j'ai plus confiance en moi.", "Oui, tout à fait"),
        ("4. Aujourd'hui, je sais mieux ce que je veux faire.", "Plutôt oui"),
        ("5. Je parle ou j'écris mieux le français.", "Je n'en avais pas besoin"),
        ("6. Je sais mieux comment me déplacer pour un travail.", "Un peu"),
        ("7. Je conseille cette action à une autre personne.", "Oui"),
    ):
        page.get_by_role("group", name=name).get_by_text(answer, exact=True).click()
    page.get_by_label("8. Vous voulez dire autre chose ? Écrivez ici.").fill(
        "Merci, j'ai repris confiance."
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shoot("survey-phone-filled")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci\u202f!")
    assert not serious_violations(page)
    shoot("survey-phone-thanks")
    assert SurveyAnswer.objects.filter(invitation=invitation).count() == 8
    page.goto(url)
    expect(page.get_by_text("Merci, vous avez déjà répondu.")).to_be_visible()
    assert SurveyAnswer.objects.filter(invitation=invitation).count() == 8

    # The provider's sheet of links, looked at as an image.
    log_in(page, live_server, "elan")
    sheet = page.request.get(live_server.url + reverse("actions:survey_sheet", args=[cohort.pk]))
    assert sheet.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(sheet.body())).pages[0].extract_text()
    assert "Aïcha" in text
    SCREENSHOTS.mkdir(exist_ok=True)
    pdf = SCREENSHOTS / "survey-sheet.pdf"
    pdf.write_bytes(sheet.body())
    viewer = page.context.new_page()
    viewer.set_viewport_size({"width": 900, "height": 1250})
    viewer.goto(pdf.as_uri())
    viewer.wait_for_timeout(2500)  # the PDF viewer draws the page
    viewer.screenshot(path=str(SCREENSHOTS / "survey-sheet.png"))
    viewer.close()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + reverse("actions:survey_cohort", args=[cohort.pk]))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Questionnaire de satisfaction")
    shoot("survey-cohort-results")
    # The sending without answers was refused on purpose (400): the only error allowed.
    assert [e for e in console_errors if "status of 400" not in e] == []
