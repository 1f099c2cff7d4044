"""The life of a person from referral to entry, through the services, case by case."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from plie.committee import services as committee
from plie.committee.enums import CommitteeDecision
from plie.participants import services
from plie.participants.enums import (
    AppointmentOutcome,
    EligibilityVerdict,
    LabourMarketStatus,
    OutreachMode,
    OutreachResult,
    ParticipantStatus,
    PathwayStatus,
    ReferralOutcome,
    ReferralStatus,
)
from plie.pathways import entry
from tests.factories import MeetingFactory, ParticipantFactory, PrescriberFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def referral_for(referent, **overrides):
    participant = ParticipantFactory()
    data = {
        "prescriber": PrescriberFactory(),
        "referred_on": TODAY - datetime.timedelta(days=10),
        "reason": "Orientée par sa conseillère",
    }
    data.update(overrides)
    return services.record_referral(
        participant=participant, referent=referent, data=data, by=referent
    )


def met(referral, referent):
    appointment = services.plan_appointment(
        referral=referral,
        scheduled_for=timezone.now() - datetime.timedelta(days=2),
        with_user=referent,
    )
    return entry.record_appointment_outcome(
        appointment=appointment, outcome=AppointmentOutcome.ATTENDED
    )


def eligible_entry_file(pathway):
    pathway.wishes_to_commit = True
    pathway.labour_market_status = LabourMarketStatus.UNEMPLOYED
    pathway.save()


def test_referral_makes_the_referent_responsible(referent):
    referral = referral_for(referent)
    referral.participant.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING_APPOINTMENT
    assert referral.participant.referent == referent
    assert referral.participant.status == ParticipantStatus.REFERRED


def test_a_person_with_an_open_referral_cannot_be_referred_twice(referent):
    referral = referral_for(referent)
    with pytest.raises(ValidationError, match="déjà une orientation"):
        services.record_referral(
            participant=referral.participant,
            referent=referent,
            data={"prescriber": referral.prescriber, "referred_on": TODAY, "reason": "x"},
            by=referent,
        )


def test_referral_in_the_future_is_refused_and_nothing_saved(referent):
    participant = ParticipantFactory()
    with pytest.raises(ValidationError):
        services.record_referral(
            participant=participant,
            referent=referent,
            data={
                "prescriber": PrescriberFactory(),
                "referred_on": TODAY + datetime.timedelta(days=1),
                "reason": "x",
            },
            by=referent,
        )
    assert not participant.referrals.exists()


def test_attending_the_first_appointment_opens_the_entry_file(referent):
    referral = referral_for(referent)
    pathway = met(referral, referent)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.MET
    assert pathway.status == PathwayStatus.DRAFT
    assert pathway.number == 1
    assert pathway.referent == referent
    assert pathway.participant.status == ParticipantStatus.ENTRY_IN_PROGRESS


def test_an_appointment_before_the_referral_is_refused(referent):
    referral = referral_for(referent)
    with pytest.raises(ValidationError, match="précéder l'orientation"):
        services.plan_appointment(
            referral=referral,
            scheduled_for=timezone.now() - datetime.timedelta(days=30),
            with_user=referent,
        )


def test_presence_cannot_be_recorded_before_the_appointment(referent):
    referral = referral_for(referent)
    appointment = services.plan_appointment(
        referral=referral,
        scheduled_for=timezone.now() + datetime.timedelta(days=1),
        with_user=referent,
    )
    with pytest.raises(ValidationError, match="pas encore eu lieu"):
        entry.record_appointment_outcome(
            appointment=appointment, outcome=AppointmentOutcome.ATTENDED
        )


def test_no_show_opens_outreach_and_a_new_appointment_ends_it(referent):
    referral = referral_for(referent)
    appointment = services.plan_appointment(
        referral=referral,
        scheduled_for=timezone.now() - datetime.timedelta(days=3),
        with_user=referent,
    )
    entry.record_appointment_outcome(appointment=appointment, outcome=AppointmentOutcome.NO_SHOW)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.OUTREACH
    assert referral.participant.status == ParticipantStatus.OUTREACH

    services.record_outreach_attempt(
        referral=referral,
        attempted_on=TODAY,
        mode=OutreachMode.CALL,
        result=OutreachResult.NO_ANSWER,
        by=referent,
    )
    services.record_outreach_attempt(
        referral=referral,
        attempted_on=TODAY,
        mode=OutreachMode.SMS,
        result=OutreachResult.NEW_APPOINTMENT,
        by=referent,
        new_appointment=timezone.now() + datetime.timedelta(days=4),
    )
    referral.refresh_from_db()
    assert referral.outreach_attempts.count() == 2
    assert referral.status == ReferralStatus.APPOINTMENT_PLANNED
    assert referral.participant.status == ParticipantStatus.REFERRED


def test_outreach_ends_with_unreachable(referent):
    referral = referral_for(referent)
    appointment = services.plan_appointment(
        referral=referral,
        scheduled_for=timezone.now() - datetime.timedelta(days=3),
        with_user=referent,
    )
    entry.record_appointment_outcome(appointment=appointment, outcome=AppointmentOutcome.NO_SHOW)
    entry.close_referral(referral=referral, outcome=ReferralOutcome.UNREACHABLE, closed_on=TODAY)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CLOSED
    assert referral.outcome == ReferralOutcome.UNREACHABLE
    assert referral.participant.status == ParticipantStatus.CLOSED


def test_outreach_attempt_before_the_referral_is_refused(referent):
    referral = referral_for(referent)
    appointment = services.plan_appointment(
        referral=referral,
        scheduled_for=timezone.now() - datetime.timedelta(days=3),
        with_user=referent,
    )
    entry.record_appointment_outcome(appointment=appointment, outcome=AppointmentOutcome.NO_SHOW)
    with pytest.raises(ValidationError, match="précéder l'orientation"):
        services.record_outreach_attempt(
            referral=referral,
            attempted_on=referral.referred_on - datetime.timedelta(days=1),
            mode=OutreachMode.CALL,
            result=OutreachResult.NO_ANSWER,
            by=referent,
        )
    assert not referral.outreach_attempts.exists()


def test_eligibility_is_kept_with_the_protocol_version(referent):
    pathway = met(referral_for(referent), referent)
    eligible_entry_file(pathway)
    assessment = entry.assess_eligibility(pathway=pathway, by=referent)
    assert (
        assessment.verdict == EligibilityVerdict.ELIGIBLE
    )  # a woman job seeker, 2021-2026 protocol
    assert assessment.protocol.name == "Protocole d'accord 2021-2026"
    assert assessment.protocol_version == "1"
    assert assessment.facts["sex"] == "F"
    assert any("Femme" in finding["label"] for finding in assessment.explanation["findings"])


def test_eligibility_uses_the_protocol_in_force_at_the_date(referent):
    pathway = met(referral_for(referent), referent)
    eligible_entry_file(pathway)
    assessment = entry.assess_eligibility(
        pathway=pathway, by=referent, on=datetime.date(2019, 6, 1)
    )
    assert assessment.protocol.name == "Protocole d'accord 2016-2020"


def test_missing_data_gives_cannot_decide_with_what_is_missing(referent):
    pathway = met(referral_for(referent), referent)
    assessment = entry.assess_eligibility(pathway=pathway, by=referent)
    assert assessment.verdict == EligibilityVerdict.UNDECIDED
    assert "le souhait de s'engager dans un parcours" in assessment.explanation["missing"]


def test_proposal_needs_an_assessment(referent):
    pathway = met(referral_for(referent), referent)
    with pytest.raises(ValidationError, match="Examinez l'éligibilité"):
        committee.propose_entry(
            pathway=pathway, meeting=MeetingFactory(), proposed_referent=referent, by=referent
        )


def test_proposal_of_a_not_eligible_person_needs_an_argument(referent):
    pathway = met(referral_for(referent), referent)
    entry.assess_eligibility(pathway=pathway, by=referent)
    with pytest.raises(ValidationError, match="argumentaire"):
        committee.propose_entry(
            pathway=pathway, meeting=MeetingFactory(), proposed_referent=referent, by=referent
        )
    item = committee.propose_entry(
        pathway=pathway,
        meeting=MeetingFactory(),
        proposed_referent=referent,
        by=referent,
        note="Situation connue du prescripteur, à discuter",
    )
    assert item.decision == CommitteeDecision.PENDING


def proposed(referent, outsider=None):
    pathway = met(referral_for(referent), referent)
    eligible_entry_file(pathway)
    entry.assess_eligibility(pathway=pathway, by=referent)
    return committee.propose_entry(
        pathway=pathway,
        meeting=MeetingFactory(held_on=TODAY),
        proposed_referent=outsider or referent,
        by=referent,
    )


def test_validation_gives_a_referent_an_entry_date_and_the_active_caseload(
    referent, outsider, project_officer
):
    item = proposed(referent, outsider)
    committee.decide_entry(item=item, decision=CommitteeDecision.VALIDATED, by=project_officer)
    pathway = item.pathway
    pathway.refresh_from_db()
    participant = pathway.participant
    participant.refresh_from_db()
    assert pathway.status == PathwayStatus.ACTIVE
    assert pathway.entry_date == item.meeting.held_on
    assert pathway.referent == outsider
    assert participant.referent == outsider
    assert participant.status == ParticipantStatus.ACTIVE
    assert pathway.referral.outcome == ReferralOutcome.ENTERED


def test_refusal_needs_a_reason_and_closes_the_referral(referent, project_officer):
    item = proposed(referent)
    with pytest.raises(ValidationError, match="motif"):
        committee.decide_entry(item=item, decision=CommitteeDecision.REFUSED, by=project_officer)
    committee.decide_entry(
        item=item,
        decision=CommitteeDecision.REFUSED,
        reason="Relève de Cap emploi",
        by=project_officer,
    )
    item.pathway.refresh_from_db()
    assert item.pathway.status == PathwayStatus.REFUSED
    assert item.pathway.referral.outcome == ReferralOutcome.COMMITTEE_REFUSED


def test_deferral_sends_the_file_back_to_be_proposed_again(referent, project_officer):
    item = proposed(referent)
    committee.decide_entry(
        item=item,
        decision=CommitteeDecision.DEFERRED,
        reason="Pièces manquantes",
        by=project_officer,
    )
    pathway = item.pathway
    pathway.refresh_from_db()
    assert pathway.status == PathwayStatus.DRAFT
    again = committee.propose_entry(
        pathway=pathway, meeting=MeetingFactory(), proposed_referent=referent, by=referent
    )
    assert again.meeting != item.meeting


def test_a_decision_is_taken_once(referent, project_officer):
    item = proposed(referent)
    committee.decide_entry(item=item, decision=CommitteeDecision.VALIDATED, by=project_officer)
    with pytest.raises(ValidationError, match="déjà statué"):
        committee.decide_entry(
            item=item, decision=CommitteeDecision.REFUSED, reason="x", by=project_officer
        )


def test_entry_before_the_referral_is_refused(referent, project_officer):
    pathway = met(referral_for(referent), referent)
    eligible_entry_file(pathway)
    entry.assess_eligibility(pathway=pathway, by=referent)
    early = MeetingFactory(held_on=pathway.referral.referred_on - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="précéder l'orientation"):
        committee.propose_entry(
            pathway=pathway, meeting=early, proposed_referent=referent, by=referent
        )


def test_a_person_who_left_comes_back_on_a_new_pathway(referent, project_officer):
    item = proposed(referent)
    committee.decide_entry(item=item, decision=CommitteeDecision.VALIDATED, by=project_officer)
    first = item.pathway
    first.refresh_from_db()
    first.status = PathwayStatus.EXITED
    first.exit_date = TODAY - datetime.timedelta(days=10)
    first.save()
    participant = first.participant
    participant.status = ParticipantStatus.EXITED
    participant.save()
    referral = services.record_referral(
        participant=participant,
        referent=referent,
        data={
            "prescriber": PrescriberFactory(),
            "referred_on": TODAY - datetime.timedelta(days=5),
            "reason": "Retour",
        },
        by=referent,
    )
    second = met(referral, referent)
    assert second.number == 2
    assert participant.pathways.count() == 2


def test_closing_a_meeting_needs_every_decision(referent, project_officer):
    item = proposed(referent)
    with pytest.raises(ValidationError, match="Il reste 1 dossier sans décision"):
        committee.close_meeting(meeting=item.meeting)
    committee.decide_entry(item=item, decision=CommitteeDecision.VALIDATED, by=project_officer)
    committee.close_meeting(meeting=item.meeting)


def test_the_outreach_page_lists_the_oldest_and_says_how_many(client, coordinator, monkeypatch):
    from plie.participants import views
    from plie.participants.enums import ReferralStatus
    from tests.factories import ParticipantFactory, ReferralFactory

    monkeypatch.setattr(views, "OUTREACH_ROWS", 2)
    for day, status in [(3, "outreach"), (1, "outreach"), (2, "outreach"), (4, "awaiting")]:
        referral_status = (
            ReferralStatus.OUTREACH if status == "outreach" else ReferralStatus.AWAITING_APPOINTMENT
        )
        ReferralFactory(
            participant=ParticipantFactory(last_name=f"Nom{day}"),
            status=referral_status,
            referred_on=datetime.date(2026, 3, day),
        )
    client.force_login(coordinator)
    response = client.get(reverse("participants:outreach"))
    assert [r.referred_on.day for r in response.context["outreach"]] == [1, 2]
    assert response.context["outreach_total"] == 3 and response.context["awaiting_total"] == 1
    page = response.content.decode()
    assert "Absentes au premier rendez-vous (3)" in page
    assert "Les 2 plus anciennes sur 3 sont affichées." in page


def test_the_entry_proposal_names_the_person_s_referent_or_else_the_pathway_s(
    client, referent, outsider, coordinator
):
    from tests.factories import PathwayFactory, ReferralFactory

    participant = ParticipantFactory(referent=None, status=ParticipantStatus.ENTRY_IN_PROGRESS)
    referral = ReferralFactory(participant=participant)
    PathwayFactory(participant=participant, referral=referral, referent=referent)
    url = reverse("committee:propose_entry", args=[participant.pk, 1])
    client.force_login(coordinator)
    assert client.get(url).context["form"].initial["proposed_referent"] == referent
    participant.referent = outsider
    participant.save()
    assert client.get(url).context["form"].initial["proposed_referent"] == outsider
