"""The records two people work on at once, built as the application leaves them; shared by
the tests on SQLite and the races on PostgreSQL."""

import datetime

from django.urls import reverse
from django.utils import timezone

from plie.committee import services as committee
from plie.participants.enums import (
    AppointmentOutcome,
    ExitReason,
    LabourMarketStatus,
    PathwayStatus,
)
from plie.participants.services import plan_appointment, record_referral
from plie.pathways import entry
from plie.pathways.enums import ContactMode
from plie.pathways.models import Contact, FollowUp
from tests.factories import (
    MeetingFactory,
    ParticipantFactory,
    PrescriberFactory,
    StepFactory,
    active_pathway,
)


def days(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def awaiting_appointment(referent):
    """A person just referred, waiting for their first appointment."""
    return record_referral(
        participant=ParticipantFactory(),
        referent=referent,
        data={
            "prescriber": PrescriberFactory(),
            "referred_on": days(-10),
            "reason": "Orientée par sa conseillère",
        },
        by=referent,
    )


def appointment_held(referent):
    """A first appointment planned two days ago, its outcome not yet noted."""
    referral = awaiting_appointment(referent)
    return plan_appointment(
        referral=referral,
        scheduled_for=timezone.now() - datetime.timedelta(days=2),
        with_user=referent,
    )


def entry_file(referent):
    """A draft pathway, its entry file filled in and its eligibility examined."""
    appointment = appointment_held(referent)
    pathway = entry.record_appointment_outcome(
        appointment=appointment, outcome=AppointmentOutcome.ATTENDED
    )
    pathway.wishes_to_commit = True
    pathway.labour_market_status = LabourMarketStatus.UNEMPLOYED
    pathway.save()
    entry.assess_eligibility(pathway=pathway, by=referent)
    return pathway


def followed(referent):
    """A pathway in progress with one step and one contact."""
    pathway = active_pathway(referent, entry_date=days(-200))
    StepFactory(
        pathway=pathway,
        start_date=days(-100),
        organisation_name="Jardins de Cocagne",
        created_by=referent,
    )
    Contact.objects.create(
        pathway=pathway, contacted_on=days(-3), mode=ContactMode.PHONE, by=referent
    )
    return pathway


def exited_into_a_job(referent):
    """A pathway ended by a job, its six-month follow-up due."""
    pathway = active_pathway(referent, entry_date=days(-400))
    pathway.status = PathwayStatus.EXITED
    pathway.exit_date = days(-170)
    pathway.exit_reason = ExitReason.POSITIVE
    pathway.save()
    FollowUp.objects.create(pathway=pathway, due_on=days(10))
    return pathway


def entry_on_today_s_agenda(referent):
    """An entry proposed to a meeting held today, awaiting the decision."""
    pathway = entry_file(referent)
    meeting = MeetingFactory(held_on=days(0))
    return committee.propose_entry(
        pathway=pathway, meeting=meeting, proposed_referent=referent, by=referent
    )


def url(name: str, pathway, *more) -> str:
    return reverse(name, args=[pathway.participant.pk, pathway.number, *more])


def participant_page(participant) -> str:
    return reverse("web:participant", args=[participant.pk])
