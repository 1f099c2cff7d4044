"""Failed logins, lockouts and password changes are journaled, shown to the coordinator in
French, and no entry keeps a password — typed, wrong or new."""

import json

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.urls import reverse

from plie.audit.events import Event
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

WRONG = "Mauvais-Secret-2026!"


def events(event):
    return LogEntry.objects.filter(additional_data__event=event).order_by("pk")


def everything_kept() -> str:
    """Every value of every journal entry, as stored."""
    return json.dumps(list(LogEntry.objects.values()), default=str, ensure_ascii=False)


def fail(client, username, password=WRONG):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_a_failed_login_is_journaled_without_the_password(client, referent):
    assert fail(client, "referente").status_code == 200
    entry = events(Event.LOGIN_FAILED).get()
    assert entry.object_id == referent.pk
    assert entry.actor is None
    assert WRONG not in everything_kept()


def test_a_name_that_matches_no_account_is_not_kept(client, territory):
    # People type their password in the name field: an unknown name may be one.
    fail(client, "Motdepasse-Tape-Ici!")
    entry = events(Event.LOGIN_FAILED).get()
    assert entry.object_pk == ""
    assert entry.object_repr == "Identifiant inconnu"
    assert "Motdepasse-Tape-Ici!" not in everything_kept()


def test_a_lockout_is_journaled_once(client, referent, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        fail(client, "referente")
    assert events(Event.LOGIN_FAILED).count() == settings.AXES_FAILURE_LIMIT + 2
    lockout = events(Event.LOCKOUT).get()
    assert lockout.object_id == referent.pk
    assert WRONG not in everything_kept()
    # Locked, even the right password is refused, and journaled as a failure.
    assert fail(client, "referente", PASSWORD).status_code != 302
    assert events(Event.LOCKOUT).count() == 1


def test_the_coordinator_reads_failed_logins_and_lockouts_in_french(
    client, referent, coordinator, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        fail(client, "referente")
    fail(client, "personne-inconnue")
    client.force_login(coordinator)
    response = client.get(reverse("web:journal"), {"action": "logins"})
    content = response.content.decode()
    assert response.context["page"].paginator.count == settings.AXES_FAILURE_LIMIT + 2
    assert "Connexion échouée" in content
    assert "Compte bloqué après des échecs de connexion" in content
    assert "personne non connectée" in content
    assert "Identifiant inconnu" in content
    assert "personne-inconnue" not in content


def test_only_the_coordinator_reads_them(client, referent, project_officer):
    fail(client, "referente")
    client.force_login(project_officer)
    assert client.get(reverse("web:journal")).status_code == 403


def test_changing_ones_own_password_is_journaled_without_it(client, referent):
    client.force_login(referent)
    new = "Nouveau-Secret-2026!"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    entry = events(Event.PASSWORD_CHANGED).get()
    assert (entry.actor, entry.object_id) == (referent, referent.pk)
    kept = everything_kept()
    assert new not in kept and PASSWORD not in kept


def test_a_password_reset_from_the_command_line_is_journaled(referent, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda *args, **kwargs: "Autre-Secret-2026!")
    call_command("changepassword", "referente")
    entry = events(Event.PASSWORD_RESET).get()
    assert entry.actor is None
    assert entry.additional_data["by"] == "ligne de commande"
    assert "Autre-Secret-2026!" not in everything_kept()
