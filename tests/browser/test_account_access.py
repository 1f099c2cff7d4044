"""The coordinator helps a colleague back in, in Chromium: unlocks the account locked after
wrong passwords, then removes the second factor lost with its backup codes (ticked first)."""

import pytest
from axes.models import AccessAttempt
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from plie.accounts.enums import Role
from tests.browser.test_referral_to_entry import log_in
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_coordinator_unlocks_a_colleague_and_removes_a_lost_second_factor(
    page, live_server, territory, shoot, console_errors
):
    UserFactory(username="coordinatrice", role=Role.COORDINATOR)
    colleague = UserFactory(
        username="collegue", role=Role.REFERENT, first_name="Inès", last_name="Bertrand"
    )
    AccessAttempt.objects.create(
        username="collegue",
        ip_address="192.0.2.10",
        user_agent="Firefox",
        path_info="/comptes/connexion/",
        http_accept="text/html",
        failures_since_start=5,
        attempt_time=timezone.now(),
    )
    TOTPDevice.objects.create(user=colleague, name="Téléphone", confirmed=True)

    log_in(page, live_server, "coordinatrice")
    page.get_by_role("button", name="Pilotage").click()
    page.get_by_role("link", name="Accès des comptes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accès des comptes")
    expect(page.get_by_role("row").nth(1)).to_contain_text("Bloqué")
    shoot("acces-des-comptes")

    page.get_by_role("button", name="Débloquer le compte de Inès Bertrand").click()
    expect(page.get_by_text("Compte de Inès Bertrand débloqué")).to_be_visible()
    assert not AccessAttempt.objects.filter(username="collegue").exists()

    remove = page.get_by_role("button", name="Retirer le second facteur de Inès Bertrand")
    remove.click()
    expect(page.get_by_text("Rien n'a été retiré : cochez la case")).to_be_visible()
    assert TOTPDevice.objects.filter(user=colleague).exists()
    page.get_by_label("Inès Bertrand a perdu son application et ses codes").check()
    page.get_by_role("button", name="Retirer le second facteur de Inès Bertrand").click()
    expect(page.get_by_text("Second facteur de Inès Bertrand retiré")).to_be_visible()
    shoot("acces-des-comptes-retire")
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    assert console_errors == []
