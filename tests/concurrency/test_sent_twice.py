"""A creating form sent twice — a double click, the page sent again from the history, two
clicks in two tabs of the same drawing — creates once; the second sending leads to what the
first created, with a message. A form drawn twice (two tabs opened on purpose) creates
twice; a sending refused for bad input can be corrected and sent with the same token.

One test per creating form; two sendings raced by two threads on PostgreSQL are in
test_postgresql.py.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from plie.committee.models import CommitteeItem, CommitteeMeeting
from plie.core.models import FormSubmission
from plie.core.submissions import KEPT_DAYS, once
from plie.participants.enums import ExitReason
from plie.participants.models import Appointment, OutreachAttempt, Participant, Referral
from plie.pathways.models import Contact, EligibilityAssessment, Step, StepType
from plie.reporting.models import Extraction
from plie.territory.models import Commune
from tests.concurrency import scenarios
from tests.concurrency.scenarios import days, participant_page, url
from tests.factories import MeetingFactory, ParticipantFactory, PrescriberFactory
from tests.forms import hidden_fields

pytestmark = pytest.mark.django_db

SENT_TWICE = "Ce formulaire avait déjà été envoyé (double clic, ou page envoyée une seconde fois)"


def send_twice(client, page: str, data: dict, action: str = ""):
    """The same drawing of the form sent twice; returns both responses, followed."""
    form = {**hidden_fields(client, page, action), **data}
    first = client.post(action or page, form, follow=True)
    second = client.post(action or page, form, follow=True)
    return first, second


def the_second_leads_to_the_first(first, second):
    assert first.redirect_chain and second.redirect_chain
    assert second.redirect_chain[-1][0] == first.redirect_chain[-1][0]
    assert SENT_TWICE in second.content.decode()


def test_a_new_person_s_referral_sent_twice_records_one_person(client, referent):
    client.force_login(referent)
    page = reverse("participants:referral_create")
    data = {
        "person-last_name": "Durand",
        "person-first_name": "Léa",
        "person-sex": "F",
        "person-birth_date": "1990-03-04",
        "person-commune": str(Commune.objects.get(insee_code="21231").pk),
        "referral-prescriber": str(PrescriberFactory().pk),
        "referral-referred_on": timezone.localdate().isoformat(),
        "referral-reason": "Souhaite retrouver un emploi",
    }
    first, second = send_twice(client, page, data)
    the_second_leads_to_the_first(first, second)
    assert Participant.objects.count() == 1 and Referral.objects.count() == 1


def test_an_appointment_sent_twice_is_planned_once(client, referent):
    participant = scenarios.awaiting_appointment(referent).participant
    client.force_login(referent)
    moment = timezone.localtime() + datetime.timedelta(days=2)
    first, second = send_twice(
        client,
        participant_page(participant),
        {"scheduled_for": moment.strftime("%Y-%m-%dT%H:%M"), "place": "Mairie"},
        reverse("participants:appointment_plan", args=[participant.pk]),
    )
    the_second_leads_to_the_first(first, second)
    assert Appointment.objects.count() == 1


def test_an_outreach_attempt_sent_twice_is_noted_once(client, referent):
    from plie.pathways import entry

    appointment = scenarios.appointment_held(referent)
    entry.record_appointment_outcome(appointment=appointment, outcome="no_show")
    participant = appointment.referral.participant
    client.force_login(referent)
    first, second = send_twice(
        client,
        participant_page(participant),
        {"attempted_on": timezone.localdate().isoformat(), "mode": "call", "result": "no_answer"},
        reverse("participants:outreach_attempt", args=[participant.pk]),
    )
    the_second_leads_to_the_first(first, second)
    assert OutreachAttempt.objects.count() == 1


def test_an_eligibility_examination_sent_twice_is_made_once(client, referent):
    pathway = scenarios.entry_file(referent)
    before = EligibilityAssessment.objects.count()
    client.force_login(referent)
    first, second = send_twice(
        client,
        participant_page(pathway.participant),
        {},
        url("pathways:eligibility_assess", pathway),
    )
    the_second_leads_to_the_first(first, second)
    assert EligibilityAssessment.objects.count() == before + 1


def test_a_step_sent_twice_is_added_once(client, referent):
    pathway = scenarios.followed(referent)
    client.force_login(referent)
    first, second = send_twice(
        client,
        url("pathways:step_add", pathway),
        {
            "step_type": StepType.objects.get(code="cdd").pk,
            "organisation_name": "Boulangerie Martin",
            "start_date": days(-20).isoformat(),
            "weekly_hours": "24",
            "outcome": "in_progress",
        },
    )
    the_second_leads_to_the_first(first, second)
    assert Step.objects.filter(organisation_name="Boulangerie Martin").count() == 1


def test_a_new_contact_double_clicked_is_stored_once(client, referent):
    pathway = scenarios.followed(referent)
    client.force_login(referent)
    first, second = send_twice(
        client,
        url("pathways:contact_add", pathway),
        {"contacted_on": days(0).isoformat(), "mode": "individual", "summary": "Point CV"},
    )
    the_second_leads_to_the_first(first, second)
    assert Contact.objects.filter(summary="Point CV").count() == 1


def test_an_entry_proposal_sent_twice_puts_one_item_on_the_agenda(client, referent):
    pathway = scenarios.entry_file(referent)
    meeting = MeetingFactory()
    client.force_login(referent)
    first, second = send_twice(
        client,
        reverse("committee:propose_entry", args=[pathway.participant.pk, pathway.number]),
        {"meeting": meeting.pk, "proposed_referent": referent.pk},
    )
    the_second_leads_to_the_first(first, second)
    assert CommitteeItem.objects.filter(pathway=pathway).count() == 1


def test_an_exit_proposal_sent_twice_puts_one_item_on_the_agenda(client, referent):
    pathway = scenarios.followed(referent)
    meeting = MeetingFactory()
    client.force_login(referent)
    first, second = send_twice(
        client,
        url("committee:propose_exit", pathway),
        {"meeting": meeting.pk, "reason": ExitReason.MOVED, "exit_date": days(0).isoformat()},
    )
    the_second_leads_to_the_first(first, second)
    assert CommitteeItem.objects.filter(pathway=pathway).count() == 1


def test_a_meeting_sent_twice_is_scheduled_once(client, coordinator):
    client.force_login(coordinator)
    first, second = send_twice(
        client,
        reverse("committee:committee_list"),
        {"held_on": days(14).isoformat(), "place": "Salle du conseil"},
    )
    the_second_leads_to_the_first(first, second)
    assert CommitteeMeeting.objects.count() == 1


def test_an_extraction_sent_twice_is_prepared_once(client, assistant):
    client.force_login(assistant)
    page = reverse("reporting:extractions")
    last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    first, second = send_twice(
        client,
        page,
        {
            "date_from": last_month.replace(day=1).isoformat(),
            "date_to": last_month.isoformat(),
            "file_format": "xlsx",
        },
        page,
    )
    the_second_leads_to_the_first(first, second)
    assert Extraction.objects.count() == 1


def test_two_drawings_of_the_form_create_twice(client, referent):
    pathway = scenarios.followed(referent)
    client.force_login(referent)
    page = url("pathways:contact_add", pathway)
    data = {"contacted_on": days(0).isoformat(), "mode": "individual", "summary": "Deux"}
    for _ in range(2):
        assert client.post(page, {**hidden_fields(client, page), **data}).status_code == 302
    assert Contact.objects.filter(summary="Deux").count() == 2


def test_a_refused_sending_is_corrected_and_sent_with_the_same_token(client, referent):
    pathway = scenarios.followed(referent)
    client.force_login(referent)
    page = url("pathways:contact_add", pathway)
    hidden = hidden_fields(client, page)
    data = {"contacted_on": days(0).isoformat(), "mode": "individual", "duration_minutes": "900"}
    refused = client.post(page, {**hidden, **data})
    assert refused.status_code == 200
    assert f'value="{hidden["submission"]}"' in refused.content.decode()  # the same token
    assert not FormSubmission.objects.exists()
    assert client.post(page, {**hidden, **data, "duration_minutes": "45"}).status_code == 302
    assert Contact.objects.filter(duration_minutes=45).count() == 1


def test_a_creating_form_without_its_token_creates_nothing(client, referent):
    pathway = scenarios.followed(referent)
    client.force_login(referent)
    page = url("pathways:contact_add", pathway)
    for token in ({}, {"submission": "court"}, {"submission": "x" * 31 + "!"}):
        response = client.post(
            page, {**token, "contacted_on": days(0).isoformat(), "mode": "individual"}
        )
        assert response.status_code == 200
        assert "il lui manque son jeton d&#x27;envoi" in response.content.decode()
    assert Contact.objects.count() == 1  # the scenario's own


def test_tokens_are_kept_a_month_then_forgotten(referent):
    ParticipantFactory()
    with once("a" * 32) as submission:
        submission.leads_to("/participants/1/")
    FormSubmission.objects.update(submitted_at=timezone.now() - datetime.timedelta(days=KEPT_DAYS))
    FormSubmission.objects.create(token="b" * 32)
    with once("c" * 32):
        pass
    assert set(FormSubmission.objects.values_list("token", flat=True)) == {"b" * 32, "c" * 32}
