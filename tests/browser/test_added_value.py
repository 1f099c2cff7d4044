"""The added value of an action in the real pages (issue 13, §4, browser test): the
coordinator goes from the action's page to its added value, which shows each difference and
its method and limits; the provider reads its own on a phone; the steering committee reaches
it from « Pilotage », small counts hidden. axe-core finds no serious or critical violation."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from plie.accounts.enums import Role
from tests.browser.conftest import SCREENSHOTS
from tests.browser.test_referral_to_entry import log_in, log_out
from tests.evaluation.test_added_value import DAY, big_population
from tests.factories import ProviderFactory, UserFactory, make_action, make_agreement, make_cohort

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
    results = Axe().run(page)
    serious = [
        (violation["id"], [node["target"] for node in violation["nodes"]])
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
    assert not serious, serious


def shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_the_added_value_page_shows_its_method(page, live_server, territory, console_errors):
    today = timezone.localdate()
    coordinator = UserFactory(username="coordinatrice", role=Role.COORDINATOR)
    provider = UserFactory(
        username="prestataire", role=Role.PROVIDER, organisation=ProviderFactory()
    )
    UserFactory(username="copil", role=Role.STEERING_VIEWER)
    referent = UserFactory(username="referente", role=Role.REFERENT)
    agreement = make_agreement(provider.organisation, starts_on=today - 200 * DAY, by=coordinator)
    action = make_action(agreement, title="Remobilisation-Valeur", starts_on=today - 200 * DAY)
    big_population(referent, make_cohort(action, starts_on=today - 120 * DAY, sessions=False))

    page.set_viewport_size(LAPTOP)
    log_in(page, live_server, "coordinatrice")
    page.goto(f"{live_server.url}/actions/{action.pk}/")
    page.get_by_role("link", name="Plus-value de l'action").click()
    expect(page.get_by_role("heading", name="Méthode et limites")).to_be_visible()
    expect(page.get_by_text("Ce n'est pas une preuve que l'action est la cause")).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_text("+67\u00a0points")).to_be_visible()
    expect(table.get_by_text("Suivi trop court pour conclure").first).to_be_visible()
    no_serious_violation(page)
    shot(page, "added-value-coordinator")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger en PDF").click()
    assert download.value.suggested_filename == f"plus-value-action-{action.pk}.pdf"
    log_out(page)

    page.set_viewport_size(PHONE)
    log_in(page, live_server, "prestataire")
    page.goto(f"{live_server.url}/actions/{action.pk}/plus-value/")
    expect(page.get_by_role("heading", name="Méthode et limites")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(page.get_by_role("heading", name=re.compile("3 mois après"))).to_be_visible()
    no_serious_violation(page)
    shot(page, "added-value-provider-phone")
    page.set_viewport_size(LAPTOP)  # the account menu is folded away on a phone
    log_out(page)

    log_in(page, live_server, "copil")
    page.get_by_role("button", name="Pilotage").click()
    page.get_by_role("link", name="Plus-value des actions").click()
    no_serious_violation(page)
    page.get_by_role("link", name="Remobilisation-Valeur").click()
    expect(page.get_by_role("heading", name="Méthode et limites")).to_be_visible()
    no_serious_violation(page)
    shot(page, "added-value-steering")
    assert not console_errors
