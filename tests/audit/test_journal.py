"""Every creation and change (field, before, after) and every view is journaled and readable."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from tests.factories import ParticipantFactory
from tests.forms import posted

pytestmark = pytest.mark.django_db


def test_a_change_is_journaled_with_field_before_and_after(client, referent):
    participant = ParticipantFactory(referent=referent, phone="0380000000")
    client.force_login(referent)
    data = {
        "last_name": participant.last_name,
        "first_name": participant.first_name,
        "sex": "F",
        "birth_date": "1985-04-12",
        "commune": participant.commune_id,
        "phone": "0611223344",
    }
    assert (
        posted(client, reverse("participants:edit", args=[participant.pk]), data).status_code == 302
    )
    entry = LogEntry.objects.filter(object_id=participant.pk, action=LogEntry.Action.UPDATE).latest(
        "timestamp"
    )
    assert entry.actor == referent
    assert entry.changes_dict["phone"] == ["0380000000", "0611223344"]


def test_the_coordinator_filters_the_journal_by_file_and_action(
    client, referent, outsider, coordinator
):
    mine = ParticipantFactory(referent=referent)
    other = ParticipantFactory(referent=referent)
    client.force_login(referent)
    client.get(reverse("web:participant", args=[mine.pk]))
    client.get(reverse("web:participant", args=[other.pk]))
    client.force_login(outsider)
    client.get(reverse("web:participant", args=[mine.pk]))

    client.force_login(coordinator)
    response = client.get(
        reverse("web:journal"), {"file_number": mine.file_number, "action": "refused"}
    )
    content = response.content.decode()
    assert "Accès refusé" in content
    assert str(outsider) in content
    assert response.context["page"].paginator.count == 1
    response = client.get(reverse("web:journal"), {"file_number": mine.file_number, "action": "3"})
    # The référent's reading, and the coordinator's own reading of the journal, which named it.
    readers = [entry.actor for entry in response.context["page"].object_list]
    assert readers == [coordinator, referent]
    assert str(referent) in response.content.decode()


def test_application_logs_carry_no_personal_data(client, referent, outsider, caplog):
    participant = ParticipantFactory(referent=referent, last_name="Confidentiel")
    client.force_login(outsider)
    with caplog.at_level("DEBUG"):
        client.get(reverse("web:participant", args=[participant.pk]))
    assert "Confidentiel" not in caplog.text
    assert "CONFIDENTIEL" not in caplog.text
