"""Login lockout per account whatever the address (5 failures) and per address whatever the
account (20 failures), for 15 minutes."""

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from plie.accounts.enums import Role
from plie.accounts.lockout import client_address
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")
OFFICE = "192.0.2.10"


def attempt(client, username, password="mauvais mot de passe", address=OFFICE):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def accounts(territory):
    return [UserFactory(username=f"compte{n}", role=Role.REFERENT) for n in range(1, 8)]


def test_the_limits_are_five_per_account_and_twenty_per_address():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.PLIE_ADDRESS_FAILURE_LIMIT == 20
    assert settings.AXES_COOLOFF_TIME == 0.25  # hours


def test_24_failures_over_6_accounts_from_one_address_lock_the_address(client, accounts):
    for account in accounts[:6]:
        for _ in range(4):  # under the limit of each account
            attempt(client, account.username)
    locked = attempt(client, accounts[6].username, PASSWORD)
    assert locked.status_code == 429
    assert "temporairement bloqué" in locked.content.decode()
    # The accounts themselves are not locked: from another address they log in.
    assert attempt(client, accounts[0].username, PASSWORD, "198.51.100.7").status_code == 302


def test_19_failures_from_one_address_lock_nothing_and_the_20th_locks_it(client, accounts):
    for account, tries in zip(accounts, [4, 4, 4, 4, 3], strict=False):
        for _ in range(tries):
            attempt(client, account.username)
    assert attempt(client, accounts[6].username, PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    attempt(client, accounts[5].username)  # the 20th failure
    assert attempt(client, accounts[6].username, PASSWORD).status_code == 429


def test_5_failures_from_5_addresses_lock_the_account_everywhere(client, accounts):
    target = accounts[0]
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, target.username, address=f"203.0.113.{n + 1}")
    assert attempt(client, target.username, PASSWORD, "203.0.113.99").status_code == 429
    # Another account from those addresses still logs in.
    assert attempt(client, accounts[1].username, PASSWORD, "203.0.113.1").status_code == 302


def test_4_failures_then_the_right_password_log_in_and_start_the_count_again(client, accounts):
    account = accounts[0]
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, account.username)
    assert attempt(client, account.username, PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, account.username)
    assert attempt(client, account.username, PASSWORD).status_code == 302


def test_a_successful_login_does_not_wipe_out_the_failures_of_its_address(client, accounts):
    for account, tries in zip(accounts, [4, 4, 4, 4, 3], strict=False):
        for _ in range(tries):
            attempt(client, account.username)
    # 19 failures; the attacker logs in with the one password they know...
    assert attempt(client, accounts[6].username, PASSWORD).status_code == 302
    client.post(reverse("accounts:logout"))
    attempt(client, accounts[5].username)  # ...which does not give them 20 more tries
    assert attempt(client, accounts[6].username, PASSWORD).status_code == 429


def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(settings):
    request = RequestFactory().post(
        LOGIN, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.44"
    )
    settings.SECURE_PROXY_SSL_HEADER = None
    assert client_address(request) == "10.0.0.1"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client_address(request) == "192.0.2.44"  # not the 6.6.6.6 the client wrote
