"""The demo still starts in two commands with the second factor asked: each demo account has a
known secret, `plie demo` prints how to log in, `plie totp ACCOUNT` gives the code."""

import datetime
import re

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from plie.demo.generator import DEMO_PASSWORD, demo_usernames, generate
from plie.demo.second_factor import demo_key, demo_secret, give_demo_devices
from tests.factories import UserFactory

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture
def demo(territory):
    generate(seed=3, participants=20, today=TODAY)


def test_every_demo_account_has_an_application_with_its_known_secret(demo):
    for username in demo_usernames():
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        assert device.bin_key == demo_key(username), username
    assert len(demo_usernames()) == 22  # 9 accounts and 13 référents
    assert demo_key("coordinatrice") != demo_key("referent1")


def test_plie_totp_gives_the_code_the_login_asks_for(demo, client, settings, capsys):
    settings.PLIE_SECOND_FACTOR = True
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, 0, 10), tick=False):
        call_command("totp", "coordinatrice")
        printed = capsys.readouterr().out
        code = re.match(r"(\d{3} \d{3})\n", printed).group(1)
        assert "(valable encore 20 s" in printed
        client.post(
            reverse("accounts:login"), {"username": "coordinatrice", "password": DEMO_PASSWORD}
        )
        response = client.post(reverse("accounts:second_factor"), {"code": code})
        assert response.status_code == 302
        assert client.get(reverse("web:participant_list")).status_code == 200


def test_plie_totp_refuses_an_account_that_is_not_the_demo_s(demo, territory):
    UserFactory(username="vraie.personne")
    with pytest.raises(CommandError, match="n'est pas un compte de démonstration"):
        call_command("totp", "vraie.personne")
    TOTPDevice.objects.filter(user__username="referent2").update(key="00" * 20)
    with pytest.raises(CommandError):
        call_command("totp", "referent2")  # its own application now: its codes are its own


def test_a_demo_base_made_before_the_second_factor_gets_the_known_secrets(demo):
    TOTPDevice.objects.all().delete()
    generate(seed=3, participants=20, today=TODAY)  # the base exists: nothing regenerated
    assert TOTPDevice.objects.filter(confirmed=True).count() == 22
    assert give_demo_devices(demo_usernames()) == 0  # given once


def test_plie_demo_prints_each_account_s_secret_and_the_totp_command(territory, capsys, settings):
    settings.PLIE_SECOND_FACTOR = True
    call_command("demo", no_serve=True, participants=20)
    out = capsys.readouterr().out
    assert "un code à 6 chiffres est demandé" in out
    assert "uv run plie totp IDENTIFIANT" in out
    for username in ["coordinatrice", "charge.projet", "assistante", "referent1", "copil", "admin"]:
        assert re.search(rf"{re.escape(username)} +{demo_secret(username)}", out), username


def test_plie_demo_says_when_no_code_is_asked(territory, capsys):
    call_command("demo", no_serve=True, participants=20)
    assert "Second facteur : non demandé" in capsys.readouterr().out


def test_the_readme_gives_the_secrets_plie_demo_prints():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for username in ["coordinatrice", "charge.projet", "assistante", "referent1", "copil", "admin"]:
        assert demo_secret(username) in readme, username
