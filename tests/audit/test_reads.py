"""Every response that shows a participant's data is journaled: whole pages and htmx
fragments, forms sent back with their errors, lists (one entry naming the set shown),
committee pages and documents — and nothing for a redirect, whose page is journaled."""

import datetime

import pytest
import time_machine
from auditlog.models import LogEntry
from django.urls import reverse

from plie.audit.events import Event
from plie.audit.models import Shown
from tests.committee.test_meeting_items import TODAY, entry_proposal
from tests.factories import MeetingFactory, ParticipantFactory, ReferralFactory
from tests.forms import hidden_fields

pytestmark = pytest.mark.django_db


def reads_of(user):
    return LogEntry.objects.filter(actor=user, action=LogEntry.Action.ACCESS).order_by("pk")


def test_an_htmx_request_for_a_record_is_journaled(client, referent):
    participant = ParticipantFactory(referent=referent)
    client.force_login(referent)
    response = client.get(reverse("web:participant", args=[participant.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert participant.last_name.upper() in response.content.decode()
    entry = reads_of(referent).get()
    assert entry.additional_data["participant_id"] == participant.pk
    assert entry.additional_data["fragment"] is True


def test_a_form_sent_back_with_its_errors_is_journaled(client, referent):
    participant = ParticipantFactory(referent=referent)
    ReferralFactory(participant=participant)
    client.force_login(referent)
    response = client.post(
        reverse("participants:appointment_plan", args=[participant.pk]), {"scheduled_for": "x"}
    )
    assert response.status_code == 400
    assert participant.last_name.upper() in response.content.decode()
    entry = reads_of(referent).get()
    assert entry.additional_data == {
        "event": Event.READ,
        "participant_id": participant.pk,
        "page": reverse("participants:appointment_plan", args=[participant.pk]),
        "method": "POST",
        "status": 400,
    }


def test_a_saved_form_journals_its_change_and_no_reading(client, referent):
    participant = ParticipantFactory(referent=referent)
    client.force_login(referent)
    data = {
        "last_name": participant.last_name,
        "first_name": "Nouveau",
        "sex": "F",
        "birth_date": "1985-04-12",
        "commune": participant.commune_id,
    }
    page = reverse("participants:edit", args=[participant.pk])
    hidden = hidden_fields(client, page)  # opening the form is a reading, journaled
    read_before = reads_of(referent).filter(additional_data__event=Event.READ).count()
    response = client.post(page, {**hidden, **data})
    assert response.status_code == 302
    # The change is journaled; the page it leads to will be, when it is opened.
    assert reads_of(referent).filter(additional_data__event=Event.READ).count() == read_before
    assert LogEntry.objects.filter(action=LogEntry.Action.UPDATE, actor=referent).exists()


def test_a_list_journals_once_the_set_of_people_it_shows(client, referent, outsider):
    mine = [ParticipantFactory(referent=referent) for _ in range(3)]
    ParticipantFactory(referent=outsider)
    client.force_login(referent)
    assert client.get(reverse("web:participant_list")).status_code == 200
    entry = reads_of(referent).get()
    assert entry.additional_data["event"] == Event.LIST
    assert sorted(entry.additional_data["participant_ids"]) == sorted(p.pk for p in mine)
    assert entry.object_repr == "Liste des participants"
    assert sorted(Shown.objects.filter(entry=entry).values_list("participant_id", flat=True)) == (
        sorted(p.pk for p in mine)
    )


def test_a_search_typed_in_a_list_is_not_kept(client, referent):
    ParticipantFactory(referent=referent, last_name="Recherché")
    client.force_login(referent)
    client.get(reverse("web:participant_list"), {"q": "Recherché"}, HTTP_HX_REQUEST="true")
    entry = reads_of(referent).get()
    assert entry.additional_data["page"] == reverse("web:participant_list")
    assert "Recherch" not in str(entry.additional_data)


def test_a_list_that_shows_nobody_journals_nothing(client, referent):
    client.force_login(referent)
    assert client.get(reverse("web:participant_list")).status_code == 200
    assert not reads_of(referent).exists()


def test_the_committee_page_journals_the_people_on_its_agenda(client, project_officer, referent):
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False):
        meeting = MeetingFactory(held_on=TODAY)
        item = entry_proposal(referent, meeting, note="Projet clair")
        client.force_login(project_officer)
        response = client.get(reverse("committee:meeting_detail", args=[meeting.pk]))
    assert response.status_code == 200
    entry = reads_of(project_officer).get()
    assert entry.additional_data["participant_ids"] == [item.pathway.participant_id]
    assert entry.object_repr == str(meeting)


def test_the_coordinator_finds_a_file_in_the_lists_that_showed_it(
    client, referent, coordinator, assistant
):
    participant = ParticipantFactory(referent=referent)
    client.force_login(assistant)
    client.get(reverse("web:participant_list"))
    client.force_login(coordinator)
    response = client.get(
        reverse("web:journal"), {"file_number": participant.file_number, "action": "3"}
    )
    entries = list(response.context["page"].object_list)
    assert [(e.actor, e.label) for e in entries] == [(assistant, "Consultation d'une liste")]
    assert f"n° {participant.file_number}" in response.content.decode()
