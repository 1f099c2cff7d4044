"""A provider records a CléA positioning and writes a follow-up sheet at 375 px (issue 12,
helper H4): the forms fit the phone, the share against the 75 % shows, the sheet is sent."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from plie.accounts.enums import Role
from plie.actions.enums import ReferralStatus
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

PHONE = {"width": 375, "height": 812}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_provider_positions_clea_and_sends_a_sheet_on_a_phone(
    page, live_server, territory, shoot
):
    import datetime

    from django.utils import timezone

    organisation = ProviderFactory(name="Association Élan")
    UserFactory(username="elan", role=Role.PROVIDER, organisation=organisation)
    referent = UserFactory(username="referente", role=Role.REFERENT)
    person = active_pathway(
        referent, entry_date=timezone.localdate() - datetime.timedelta(days=30), last_name="Durand"
    ).participant
    referral = refer(
        person,
        make_cohort(make_action(make_agreement(organisation)), sessions=False),
        status=ReferralStatus.ACCEPTED,
    )
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "elan")
    page.goto(live_server.url + reverse("actions:assessment_clea", args=[referral.pk, "debut"]))
    page.get_by_label("Date du diagnostic").fill(timezone.localdate().isoformat())
    for radio in page.get_by_role("radio", name="Acquis").all()[:19]:
        radio.check()
    shoot("h4-clea-form-375")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("19 points sur 28, soit 68")).to_be_visible()
    shoot("h4-diagnostics-375")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.goto(live_server.url + reverse("actions:sheet_create", args=[referral.pk]))
    page.get_by_label("Déroulement et observations").fill("Présente à toutes les séances.")
    page.get_by_label("Préconisation 1 : axe de travail").select_option("training")
    page.get_by_label("Préconisation 1 : texte").fill("Positionnement CléA complet.")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.get_by_role("button", name="Envoyer au référent").click()
    expect(page.get_by_text("Fiche envoyée au référent")).to_be_visible()
    shoot("h4-follow-up-375")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
