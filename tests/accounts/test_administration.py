"""The administration reaches no participant: no page of /admin/ names one, a value in use is
retired and never deleted, nobody changes their own role or flags, a role that opens every
file waits for a coordinator, a coordinator's password is not reset there — and every change
to an account is journaled, never a password."""

import datetime
import html
import json
import re

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from plie.accounts.enums import Role, RoleRequestStatus
from plie.accounts.models import RoleRequest, User
from plie.audit.events import Event
from plie.core.administration import KeepReferencedAdmin
from plie.demo.generator import generate
from plie.participants.models import Participant
from plie.pathways.forms import EntryFileForm
from plie.pathways.models import Pathway
from plie.territory.models import BarrierType, PrescriberType, Qpv
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

# Names found nowhere else, so that one on a page can only be a participant's.
TOKENS = [f"Nomtemoin{letter}" for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]


@pytest.fixture
def demo(territory):
    generate(seed=3, participants=24, today=datetime.date(2026, 11, 23))
    for token, participant in zip(TOKENS, Participant.objects.order_by("pk"), strict=False):
        Participant.objects.filter(pk=participant.pk).update(last_name=token)
    return User.objects.get(username="admin")


def text(response) -> str:
    content = b"".join(response) if response.streaming else response.content
    return html.unescape(re.sub(r"<[^>]+>", " ", content.decode()))


def named_participants(page: str) -> list[str]:
    return [token for token in TOKENS if token.casefold() in page.casefold()]


def admin_pages(client):
    """Every page of the administration its user reaches: lists, each object's change,
    history and delete pages, and the confirmation of deleting a whole list at once."""
    index = client.get(reverse("admin:index"))
    yield "index", index
    for model in admin.site._registry:
        opts = model._meta
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = client.get(changelist)
        if response.status_code != 200:
            continue
        yield changelist, response
        pks = list(model._default_manager.values_list("pk", flat=True)[:60])
        for pk in pks:
            for view in ("change", "history", "delete"):
                url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[pk])
                yield url, client.get(url)
        if pks:
            confirm = client.post(
                changelist, {"action": "delete_selected", "_selected_action": pks}
            )
            yield f"{changelist} (supprimer la sélection)", confirm


@pytest.mark.parametrize("who", ["administrator", "superuser"])
def test_no_page_of_the_administration_names_a_participant(client, demo, who):
    user = demo
    if who == "superuser":
        user = UserFactory(username="racine", role=Role.ADMINISTRATOR, is_staff=True)
        User.objects.filter(pk=user.pk).update(is_superuser=True)
    client.force_login(user)
    people = Participant.objects.count()
    leaks, opened = [], 0
    for url, response in admin_pages(client):
        opened += response.status_code == 200
        names = named_participants(text(response))
        if names:
            leaks.append(f"{url} : {names}")
    assert opened > 50
    assert not leaks, "pages de l'administration qui nomment des participants :\n" + "\n".join(
        leaks
    )
    # Nor are the records deleted by those confirmation pages (nothing was confirmed).
    assert Participant.objects.count() == people


def test_every_administration_page_of_the_application_keeps_what_is_used():
    ours = {
        model._meta.label: model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_config.name.startswith("plie.")
    }
    assert ours
    loose = [
        label
        for label, model_admin in ours.items()
        if not isinstance(model_admin, KeepReferencedAdmin)
    ]
    assert not loose, f"à faire hériter de KeepReferencedAdmin : {loose}"


def test_the_journal_is_not_in_the_administration():
    assert not admin.site.is_registered(LogEntry)


def test_a_barrier_in_use_is_retired_never_deleted(client, demo):
    barrier = BarrierType.objects.get(code="addiction")
    holders = set(Pathway.objects.filter(barriers=barrier).values_list("pk", flat=True))
    if not holders:
        Pathway.objects.first().barriers.add(barrier)
        holders = set(Pathway.objects.filter(barriers=barrier).values_list("pk", flat=True))
    client.force_login(demo)
    url = reverse("admin:territory_barriertype_delete", args=[barrier.pk])
    response = client.post(url, {"post": "yes"}, follow=True)
    assert BarrierType.objects.filter(pk=barrier.pk).exists()
    assert set(Pathway.objects.filter(barriers=barrier).values_list("pk", flat=True)) == holders
    page = text(response)
    assert f"{len(holders)} parcours" in page
    assert "proposé à la saisie" in page
    # Deleting it with others from the list is refused the same way, saying so.
    changelist = reverse("admin:territory_barriertype_changelist")
    unused = BarrierType.objects.create(code="essai", label="Frein d'essai")
    for post in ({}, {"post": "yes"}):
        refused = client.post(
            changelist,
            {"action": "delete_selected", "_selected_action": [barrier.pk, unused.pk], **post},
        )
        page = text(refused)
        assert refused.status_code == 200
        assert "Rien n'a été supprimé : une valeur utilisée reste" in page
        assert f"{len(holders)} parcours" in page and "proposé à la saisie" in page
        assert "provoquerait" not in page and "protégés" not in page
        assert (
            f'href="{changelist}" class="button">Retour à la liste</a>' in refused.content.decode()
        )
    assert BarrierType.objects.filter(pk__in=[barrier.pk, unused.pk]).count() == 2

    # Retired: no longer offered for a new file, kept (and still offered) where it is.
    change = reverse("admin:territory_barriertype_change", args=[barrier.pk])
    data = {"code": barrier.code, "label": barrier.label, "is_sensitive": "on"}
    assert client.post(change, data).status_code == 302
    barrier.refresh_from_db()
    assert not barrier.is_active
    holder = Pathway.objects.get(pk=next(iter(holders)))
    assert (
        barrier in EntryFileForm(instance=holder, show_sensitive=True).fields["barriers"].queryset
    )
    new_file = EntryFileForm(instance=Pathway(), show_sensitive=True)
    assert barrier not in new_file.fields["barriers"].queryset
    assert set(Pathway.objects.filter(barriers=barrier).values_list("pk", flat=True)) == holders
    # The change is journaled, with its author.
    entry = LogEntry.objects.get_for_object(barrier).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == demo
    assert entry.changes_dict["is_active"] == ["True", "False"]


def test_a_neighbourhood_with_residents_is_not_deleted_and_not_named(client, demo):
    qpv = Qpv.objects.filter(participant__isnull=False).distinct().first()
    assert qpv is not None
    client.force_login(demo)
    response = client.get(reverse("admin:territory_qpv_delete", args=[qpv.pk]), follow=True)
    assert Qpv.objects.filter(pk=qpv.pk).exists()
    assert not named_participants(text(response))
    assert "personnes accompagnées" in text(response) or "participant" in text(response)


def test_a_value_nobody_uses_is_deleted(client, demo):
    unused = PrescriberType.objects.create(code="essai", label="Type d'essai")
    client.force_login(demo)
    url = reverse("admin:territory_prescribertype_delete", args=[unused.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not PrescriberType.objects.filter(pk=unused.pk).exists()


def test_the_administrator_cannot_change_their_own_role_or_flags(client, demo):
    client.force_login(demo)
    url = reverse("admin:accounts_user_change", args=[demo.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="role"' not in response.content.decode()
    assert "il change par une demande de rôle qu'approuve la coordination" in text(response)
    data = {
        "username": demo.username,
        "first_name": demo.first_name,
        "last_name": demo.last_name,
        "email": demo.email,
        "organisation": demo.organisation_id or "",
        "role": Role.COORDINATOR,
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
    }
    said = text(client.post(url, data, follow=True))
    demo.refresh_from_db()
    assert demo.role == Role.ADMINISTRATOR
    assert not demo.is_superuser
    assert not RoleRequest.objects.exists()
    assert "Aucune modification : le compte est resté tel quel." in said
    assert "avec succès" not in said


def test_a_user_page_shows_neither_django_groups_nor_permissions(client, demo):
    referent = User.objects.filter(role=Role.REFERENT).first()
    client.force_login(demo)
    response = client.get(reverse("admin:accounts_user_change", args=[referent.pk]))
    page = text(response)
    assert response.status_code == 200
    assert "Permissions de l'utilisateur" not in page and "Groupes" not in page
    assert "Rôle dans le PLIE" in page
    assert "demande de rôle qu'approuve" not in page  # someone else's role is changed here
    data = {
        "username": referent.username,
        "first_name": "Autre prénom",
        "last_name": referent.last_name,
        "email": referent.email,
        "role": referent.role,
        "organisation": referent.organisation_id or "",
        "is_active": "on",
    }
    url = reverse("admin:accounts_user_change", args=[referent.pk])
    said = text(client.post(url, data, follow=True))
    assert "avec succès" in said
    referent.refresh_from_db()
    assert referent.first_name == "Autre prénom"


def test_nobody_is_made_superuser_in_the_administration(client, demo):
    referent = User.objects.filter(role=Role.REFERENT).first()
    client.force_login(demo)
    url = reverse("admin:accounts_user_change", args=[referent.pk])
    data = {
        "username": referent.username,
        "first_name": referent.first_name,
        "last_name": referent.last_name,
        "email": referent.email,
        "role": Role.REFERENT,
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
    }
    assert client.post(url, data).status_code == 302
    referent.refresh_from_db()
    assert not referent.is_superuser and not referent.is_staff


def change_role(client, admin_user, user, role):
    client.force_login(admin_user)
    return client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "role": role,
            "is_active": "on",
        },
        follow=True,
    )


def test_a_role_change_waits_for_the_coordinator_then_is_journaled(client, demo):
    coordinator = User.objects.get(username="coordinatrice")
    referent = User.objects.filter(role=Role.REFERENT).first()
    response = change_role(client, demo, referent, Role.PROJECT_OFFICER)
    assert "attend l'accord de la coordinatrice" in text(response)
    referent.refresh_from_db()
    assert referent.role == Role.REFERENT
    request = RoleRequest.objects.pending().get(user=referent)
    assert (request.requested_by, request.role) == (demo, Role.PROJECT_OFFICER)
    # A second request waits for the first to be decided.
    response = change_role(client, demo, referent, Role.ASSISTANT)
    assert "attend déjà l'accord" in text(response)
    assert RoleRequest.objects.count() == 1

    # Neither the administrator nor the référent decides.
    for someone in (demo, referent):
        client.force_login(someone)
        assert client.get(reverse("accounts:role_requests")).status_code == 403
        decide = reverse("accounts:role_decide", args=[request.pk])
        assert client.post(decide, {"decision": "approve"}).status_code == 403
    client.force_login(coordinator)
    page = client.get(reverse("accounts:role_requests"))
    assert "Accorder le rôle « Chargé(e) de projet »" in page.content.decode()
    client.post(reverse("accounts:role_decide", args=[request.pk]), {"decision": "approve"})
    referent.refresh_from_db()
    assert referent.role == Role.PROJECT_OFFICER
    events = list(
        LogEntry.objects.filter(object_id=referent.pk, additional_data__has_key="event")
        .order_by("pk")
        .values_list("additional_data__event", "actor")
    )
    assert events == [(Event.ROLE_REQUESTED, demo.pk), (Event.ROLE_APPROVED, coordinator.pk)]

    # The coordinator reads it all in the journal, in French.
    response = client.get(reverse("web:journal"), {"action": "accounts"})
    page = text(response)
    assert "Changement de rôle demandé" in page
    assert "Changement de rôle accordé" in page
    assert "Chargé(e) de projet" in page
    assert "valeur réservée" not in page


def test_a_coordinator_does_not_decide_a_request_about_herself(client, demo):
    coordinator = User.objects.get(username="coordinatrice")
    change_role(client, demo, coordinator, Role.REFERENT)
    request = RoleRequest.objects.pending().get(user=coordinator)
    client.force_login(coordinator)
    response = client.post(
        reverse("accounts:role_decide", args=[request.pk]), {"decision": "approve"}, follow=True
    )
    assert "Une autre personne doit décider" in text(response)
    coordinator.refresh_from_db()
    assert coordinator.role == Role.COORDINATOR


def test_a_new_account_gets_at_once_only_a_role_that_opens_no_file(client, demo):
    client.force_login(demo)
    add = reverse("admin:accounts_user_add")
    for username, role in (("nouveau.presta", Role.PROVIDER), ("nouvelle.coord", Role.COORDINATOR)):
        response = client.post(
            add,
            {
                "username": username,
                "password1": "Tres-Long-Secret-21!",
                "password2": "Tres-Long-Secret-21!",
                "first_name": "Nouveau",
                "last_name": "Compte",
                "email": f"{username}@exemple.invalid",
                "role": role,
            },
        )
        assert response.status_code == 302, text(response)
    assert User.objects.get(username="nouveau.presta").role == Role.PROVIDER
    newcomer = User.objects.get(username="nouvelle.coord")
    assert newcomer.role == Role.REFERENT
    assert RoleRequest.objects.pending().get(user=newcomer).role == Role.COORDINATOR
    assert "Tres-Long-Secret-21!" not in json.dumps(list(LogEntry.objects.values()), default=str)


def test_a_coordinators_password_is_not_reset_in_the_administration(client, demo):
    coordinator = User.objects.get(username="coordinatrice")
    client.force_login(demo)
    url = reverse("admin:auth_user_password_change", args=[coordinator.pk])
    new = "Pris-Par-Admin-2026!"
    response = client.post(url, {"password1": new, "password2": new}, follow=True)
    assert "ne se réinitialise pas ici" in text(response)
    coordinator.refresh_from_db()
    assert coordinator.check_password(PASSWORD) or not coordinator.check_password(new)
    assert not coordinator.check_password(new)


def test_a_referents_password_reset_is_journaled_without_it(client, demo):
    referent = User.objects.filter(role=Role.REFERENT).first()
    client.force_login(demo)
    url = reverse("admin:auth_user_password_change", args=[referent.pk])
    new = "Remis-A-Zero-2026!"
    response = client.post(url, {"password1": new, "password2": new, "usable_password": "true"})
    assert response.status_code == 302, text(response)
    referent.refresh_from_db()
    assert referent.check_password(new)
    entry = LogEntry.objects.get(additional_data__event=Event.PASSWORD_RESET)
    assert (entry.actor, entry.object_id) == (demo, referent.pk)
    assert new not in json.dumps(list(LogEntry.objects.values()), default=str)


def test_the_command_line_gives_a_role_at_once_and_journals_it(demo):
    referent = User.objects.filter(role=Role.REFERENT).first()
    RoleRequest.objects.create(
        user=referent, previous_role=Role.REFERENT, role=Role.ASSISTANT, requested_by=demo
    )
    call_command("role", referent.username, Role.ADMINISTRATOR)
    referent.refresh_from_db()
    assert referent.role == Role.ADMINISTRATOR and referent.is_staff
    assert referent.has_perm("territory.change_barriertype")
    assert not RoleRequest.objects.filter(status=RoleRequestStatus.PENDING).exists()
    entry = LogEntry.objects.get(additional_data__event=Event.ROLE_SET_BY_COMMAND)
    assert entry.actor is None
    assert entry.additional_data["to"] == Role.ADMINISTRATOR


@pytest.mark.parametrize("role", [Role.REFERENT, Role.COORDINATOR])
def test_someone_signed_in_outside_the_administration_gets_the_refusal_page(
    client, territory, role
):
    client.force_login(UserFactory(role=role))
    response = client.get(reverse("admin:index"), follow=True)
    page = text(response)
    assert response.status_code == 403
    assert "Accès refusé" in page
    assert "L'administration est réservée à l'administrateur du PLIE" in page
    assert "mais vous n'êtes pas autorisé" not in page and 'name="password"' not in page


def test_the_signed_out_still_get_the_administrations_login_form(client, territory):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()
