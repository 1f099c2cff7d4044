"""The duplicate check, before a new person is recorded or an identity changed: of a file the
user does not follow it says that it exists and whom to ask, never its number, state or
référent; each lookup is journaled."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from plie.participants.enums import ParticipantStatus
from plie.participants.models import Participant
from plie.territory.models import Commune
from tests.factories import ParticipantFactory, PrescriberFactory, UserFactory
from tests.forms import posted

pytestmark = pytest.mark.django_db

BIRTH = datetime.date(1990, 3, 4)


@pytest.fixture
def new_person(territory):
    return {
        "person-last_name": "Durand",
        "person-first_name": "Léa",
        "person-sex": "F",
        "person-birth_date": BIRTH.isoformat(),
        "person-commune": str(Commune.objects.get(insee_code="21231").pk),
        "referral-prescriber": str(PrescriberFactory().pk),
        "referral-referred_on": timezone.localdate().isoformat(),
        "referral-reason": "Souhaite retrouver un emploi",
    }


@pytest.fixture
def theirs(outsider):
    outsider.first_name, outsider.last_name = "Odile", "Autrefois"
    outsider.save()
    return ParticipantFactory(
        last_name="Durand",
        first_name="Léa",
        birth_date=BIRTH,
        referent=outsider,
        status=ParticipantStatus.ACTIVE,
    )


def checks_of(user):
    return LogEntry.objects.filter(actor=user, additional_data__event="duplicate_check")


def test_another_referents_file_is_said_to_exist_without_its_number_state_or_referent(
    client, referent, coordinator, theirs, new_person
):
    coordinator.first_name, coordinator.last_name = "Claire", "Morel"
    coordinator.save()
    client.force_login(referent)
    response = posted(client, reverse("participants:referral_create"), new_person)
    content = response.content.decode()
    assert "Cette personne existe peut-être déjà" in content
    assert "Un dossier que vous ne suivez pas" in content
    assert "adressez-vous à la coordination du PLIE (Claire Morel)" in content
    for secret in (theirs.file_number, "Autrefois", theirs.get_status_display()):
        assert secret not in content, secret
    assert Participant.objects.count() == 1
    entry = checks_of(referent).get()
    assert entry.additional_data["participant_ids"] == [theirs.pk]
    assert entry.additional_data["outside_scope"] == [theirs.pk]
    assert "Durand" not in str(entry.additional_data) + entry.object_repr


def test_the_coordination_reads_the_file_it_may_open(
    client, coordinator, outsider, theirs, new_person
):
    client.force_login(coordinator)
    new_person["referral-referent"] = str(outsider.pk)  # the coordination names the référent
    content = posted(client, reverse("participants:referral_create"), new_person).content.decode()
    assert theirs.file_number in content
    assert "Autrefois" in content
    assert checks_of(coordinator).get().additional_data["outside_scope"] == []


def test_changing_an_identity_into_another_referents_file_discloses_nothing(
    client, referent, theirs
):
    mine = ParticipantFactory(referent=referent, last_name="Martin", first_name="Léa")
    client.force_login(referent)
    data = {
        "last_name": "Durand",
        "first_name": "Léa",
        "sex": "F",
        "birth_date": BIRTH.isoformat(),
        "commune": mine.commune_id,
    }
    response = posted(client, reverse("participants:edit", args=[mine.pk]), data)
    content = response.content.decode()
    assert "Un dossier que vous ne suivez pas" in content
    assert theirs.file_number not in content
    assert "Autrefois" not in content
    assert checks_of(referent).get().additional_data["outside_scope"] == [theirs.pk]


def test_a_lookup_that_finds_nobody_is_journaled_too(client, referent, new_person):
    client.force_login(referent)
    response = posted(client, reverse("participants:referral_create"), new_person)
    assert response.status_code == 302
    entry = checks_of(referent).get()
    assert entry.additional_data["participant_ids"] == []
    assert entry.object_repr == "Recherche de doublon : aucun dossier trouvé"


def test_the_journal_shows_the_lookup_to_the_coordinator(
    client, referent, coordinator, theirs, new_person
):
    client.force_login(referent)
    posted(client, reverse("participants:referral_create"), new_person)
    client.force_login(coordinator)
    response = client.get(reverse("web:journal"), {"action": "duplicates"})
    content = response.content.decode()
    assert "Recherche de doublon" in content
    assert f"n° {theirs.file_number}" in content
    assert "Hors de ses dossiers" in content


def test_a_provider_never_reaches_the_check(client, territory, new_person):
    provider = UserFactory(username="presta", role="provider")
    client.force_login(provider)
    assert client.post(reverse("participants:referral_create"), new_person).status_code == 403
    assert not checks_of(provider).exists()
