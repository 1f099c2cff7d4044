"""« Accès des comptes »: the coordinator unlocks a colleague locked out after wrong passwords,
and removes a second factor lost with its backup codes — never for her own account, the
second with a fresh code and a ticked confirmation; each journaled."""

import pytest
import time_machine
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from plie.audit.events import Event
from tests.accounts.test_lockout import OFFICE, attempt
from tests.accounts.test_second_factor import (
    CODE,
    ENROL,
    LIST,
    START,
    application,
    log_in,
    log_in_with_password,
)

pytestmark = pytest.mark.django_db

PAGE = reverse("accounts:account_access")


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def events(account, event) -> list[LogEntry]:
    return [
        entry
        for entry in LogEntry.objects.filter(object_pk=str(account.pk))
        if (entry.additional_data or {}).get("event") == event
    ]


def locked_out(client, account) -> None:
    for _ in range(5):
        attempt(client, account.username)
    assert "temporairement bloqué" in attempt(client, account.username).content.decode()


def test_a_locked_account_comes_first_and_is_unlocked_by_the_coordinator(
    client, coordinator, referent, assistant
):
    locked_out(client, referent)
    client.force_login(coordinator)
    page = client.get(PAGE).content.decode()
    assert page.index(referent.username) < page.index(assistant.username)
    assert "Bloqué" in page
    response = client.post(PAGE, {"account": referent.pk, "action": "unlock"}, follow=True)
    assert f"Compte de {referent} débloqué" in response.content.decode()
    assert not AccessAttempt.objects.filter(username=referent.username).exists()
    (entry,) = events(referent, Event.ACCOUNT_UNLOCKED)
    assert entry.actor == coordinator
    client.logout()
    response = client.post(
        reverse("accounts:login"),
        {"username": referent.username, "password": "Demo-Plie-2026!x"},
        REMOTE_ADDR=OFFICE,
    )
    assert "temporairement bloqué" not in response.content.decode()


def test_nobody_unlocks_or_resets_their_own_account(client, coordinator):
    application(coordinator)
    client.force_login(coordinator)
    for action in ("unlock", "remove_second_factor"):
        response = client.post(
            PAGE, {"account": coordinator.pk, "action": action, "confirm": "on"}, follow=True
        )
        assert "pas le faire pour votre propre compte" in response.content.decode()
    assert TOTPDevice.objects.filter(user=coordinator).exists()
    assert not events(coordinator, Event.SECOND_FACTOR_REMOVED)


def test_a_second_factor_is_removed_only_once_confirmed(client, coordinator, referent):
    application(referent)
    StaticDevice.objects.create(user=referent, name="Codes de secours")
    client.force_login(coordinator)
    response = client.post(
        PAGE, {"account": referent.pk, "action": "remove_second_factor"}, follow=True
    )
    assert "Rien n&#x27;a été retiré : cochez la case" in response.content.decode()
    assert TOTPDevice.objects.filter(user=referent).exists()

    response = client.post(
        PAGE,
        {"account": referent.pk, "action": "remove_second_factor", "confirm": "on"},
        follow=True,
    )
    assert f"Second facteur de {referent} retiré" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=referent).exists()
    assert not StaticDevice.objects.filter(user=referent).exists()
    (entry,) = events(referent, Event.SECOND_FACTOR_REMOVED)
    assert entry.actor == coordinator


def test_removing_a_second_factor_asks_the_coordinator_for_a_fresh_code(
    client, coordinator, referent, clock, settings
):
    settings.PLIE_SECOND_FACTOR = True
    application(referent)
    log_in(client, coordinator, application(coordinator))
    clock.shift(6 * 60)  # past the five minutes of a fresh code
    response = client.post(
        PAGE, {"account": referent.pk, "action": "remove_second_factor", "confirm": "on"}
    )
    assert response.url.startswith(reverse("accounts:reauthenticate"))
    assert TOTPDevice.objects.filter(user=referent).exists()


def test_the_person_adds_a_new_application_at_the_next_login(
    client, coordinator, referent, clock, settings
):
    settings.PLIE_SECOND_FACTOR = True
    device = application(referent)
    from plie.accounts.access_help import remove_second_factor

    remove_second_factor(account=referent, by=coordinator)
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    log_in_with_password(client, referent)
    assert client.get(LIST).url.startswith(CODE)
    assert client.get(CODE).url.startswith(ENROL)


def test_the_command_line_reset_is_journaled(referent):
    from django.core.management import call_command

    application(referent)
    call_command("reset_second_factor", referent.username)
    (entry,) = events(referent, Event.SECOND_FACTOR_REMOVED)
    assert entry.actor is None and entry.additional_data["by"] == "ligne de commande"


@pytest.mark.parametrize(
    "data",
    [
        {"account": "999999", "action": "unlock"},
        {"action": "unlock"},
        {"account": "1", "action": "x"},
    ],
)
def test_a_forged_request_is_refused_in_french(client, coordinator, data):
    client.force_login(coordinator)
    response = client.post(PAGE, data, follow=True)
    assert "Choisissez un compte actif et une action de la liste" in response.content.decode()


def test_only_the_coordinator_reaches_the_page(client, project_officer, referent):
    for user in (project_officer, referent):
        client.force_login(user)
        assert client.get(PAGE).status_code == 403
        assert client.post(PAGE, {"account": referent.pk, "action": "unlock"}).status_code == 403
