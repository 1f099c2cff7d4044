"""The action pages in a browser, on a phone (375 px) and a laptop (1280 px): the provider's
list, its action and a cohort, where it moves a session on its phone; the coordinator's action
page with the cohorts to generate and the holidays skipped. Screenshots go to screenshots/."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from plie.accounts.enums import Role
from plie.actions import services
from tests.browser.test_referral_to_entry import log_in, log_out
from tests.factories import ProviderFactory, UserFactory, make_action, make_agreement

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

D = datetime.date
SIZES = {"telephone": {"width": 375, "height": 812}, "ordinateur": {"width": 1280, "height": 900}}


def fits(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"la page déborde : {scroll} px pour {width} px"


def test_the_provider_reads_its_action_and_moves_a_session_on_its_phone(
    page, live_server, territory, shoot
):
    coordinator = UserFactory(username="coordinatrice", role=Role.COORDINATOR)
    elan = ProviderFactory(name="Association Élan")
    UserFactory(username="prestataire", role=Role.PROVIDER, organisation=elan)
    agreement = make_agreement(elan, starts_on=D(2027, 1, 1), by=coordinator)
    action = make_action(
        agreement,
        title="Remobilisation vers l'emploi",
        starts_on=D(2027, 3, 22),
        ends_on=D(2027, 7, 31),
        content="Ateliers collectifs de remobilisation, entretiens individuels.",
        individual_interviews=2,
    )
    services.generate_cohorts(action=action, by=coordinator)
    cohort = action.cohorts.get(number=1)

    log_in(page, live_server, "coordinatrice")
    page.goto(live_server.url + reverse("actions:action_detail", args=[action.pk]))
    expect(page.get_by_text("Lundi de Pâques : pas de séance").first).to_be_visible()
    shoot("actions-action-equipe-ordinateur")
    log_out(page)

    log_in(page, live_server, "prestataire")
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.goto(live_server.url + reverse("actions:action_list"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Mes actions")
        fits(page, viewport["width"])
        shoot(f"actions-liste-{size}")
        page.goto(live_server.url + reverse("actions:action_detail", args=[action.pk]))
        expect(page.get_by_role("heading", name="Groupes")).to_be_visible()
        fits(page, viewport["width"])
        shoot(f"actions-action-{size}")
        page.goto(live_server.url + reverse("actions:cohort_detail", args=[cohort.pk]))
        fits(page, viewport["width"])
        shoot(f"actions-groupe-{size}")

    # On the phone: move the Tuesday session to Wednesday afternoon.
    page.set_viewport_size(SIZES["telephone"])
    session = cohort.sessions.get(date=D(2027, 3, 23))
    card = page.locator(f"#seance-{session.pk}")
    card.get_by_text("Déplacer la séance").click()
    card.get_by_label("Nouvelle date").fill("2027-03-24")
    card.get_by_label("Demi-journée").select_option("afternoon")
    card.get_by_role("button", name="Déplacer").click()
    expect(page.get_by_text("initialement prévue le 23/03/2027")).to_be_visible()
    fits(page, 375)
    shoot("actions-groupe-seance-deplacee-telephone")
