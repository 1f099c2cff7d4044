"""Passwords of the CNIL kind, login throttling, session expiry and logout."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "password",
    [
        "Court-1!",
        "sansmajuscule-2026!",
        "SANSMINUSCULE-2026!",
        "SansChiffre-Plie!",
        "SansSpecial2026Plie",
    ],
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_password_of_twelve_characters_of_four_kinds_is_accepted():
    validate_password("Insertion-21!")


@pytest.mark.parametrize(
    "password",
    [
        "Motdepasse1!",
        "Azerty12345!",
        "Soleil2024!!",
        "Bonjour2025!",
        "Mot-de-passe-2024!",
        "M0tDeP@sse2024",
        "P@ssw0rd-2026!",
        "Marseille13!!",
        "Sole1l-2026!",
        "Chouchou-75!",
        "@zertyuiop2026",
        "Dijon-21000!",
        "Jetaime-2026!",
    ],
)
def test_common_french_passwords_are_refused_whatever_surrounds_them(password):
    """Each is long enough and has four kinds: only the list of common passwords refuses it."""
    with pytest.raises(ValidationError) as error:
        validate_password(password)
    messages = " ".join(error.value.messages)
    assert "Ce mot de passe est l'un des plus courants" in messages
    assert "Choisissez-en un autre" in messages


@pytest.mark.parametrize(
    "password", ["Insertion-21!", "Ver-Tige-Cactus-9", "Soleil-Vert-Brique-7", "Bonjour-Lune-88!"]
)
def test_a_common_word_among_others_is_not_a_common_password(password):
    validate_password(password)


def test_missing_kinds_are_named_in_french():
    with pytest.raises(ValidationError) as error:
        validate_password("insertiondijon2026")
    assert "une majuscule" in " ".join(error.value.messages)
    assert "un caractère spécial" in " ".join(error.value.messages)


def test_login_and_logout(client, referent):
    response = client.post(
        reverse("accounts:login"), {"username": "referente", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("web:participant_list")).status_code == 200
    response = client.post(reverse("accounts:logout"), follow=True)
    assert "Vous êtes déconnecté(e)." in response.content.decode()
    assert client.get(reverse("web:participant_list")).status_code == 302


def test_typing_the_logout_address_asks_before_logging_out(client, referent):
    client.force_login(referent)
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Voulez-vous fermer votre session ?" in page
    assert f'<form method="post" action="{reverse("accounts:logout")}"' in page
    assert client.get(reverse("web:participant_list")).status_code == 200  # still logged in
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("web:participant_list")).status_code == 302


def test_the_logout_address_logged_out_leads_to_the_login_page(client, territory):
    response = client.get(reverse("accounts:logout"), follow=True)
    assert response.redirect_chain == [(reverse("accounts:login"), 302)]
    assert "Vous êtes déjà déconnecté(e)." in response.content.decode()


def test_wrong_password_gets_a_french_message(client, referent):
    response = client.post(reverse("accounts:login"), {"username": "referente", "password": "faux"})
    assert "Identifiant ou mot de passe incorrect" in response.content.decode()


def test_five_failures_lock_the_account_even_with_the_right_password(client, referent):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": "referente", "password": "mauvais"})
    response = client.post(
        reverse("accounts:login"), {"username": "referente", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "temporairement bloqué" in response.content.decode()


def test_session_expires_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
