"""Referrals to an action: the référent refers, the provider answers within the places of the
cohort (or the person waits), the accepted referral becomes the pathway's step « Action du
PLIE » which the outcome closes; each side is told."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from plie.actions import referrals as services
from plie.actions.enums import Diagnostic, DropOutReason, ReferralStatus
from plie.core.models import Notice
from plie.pathways.enums import StepOutcome
from tests.factories import UserFactory, active_pathway, make_action, make_agreement, make_cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def action(provider):
    return make_action(make_agreement(provider.organisation))


@pytest.fixture
def cohort(action, today):
    return make_cohort(action, starts_on=today + datetime.timedelta(days=10), capacity=2)


def person(referent, letter="a"):
    return active_pathway(
        referent,
        entry_date=timezone.localdate() - datetime.timedelta(days=60),
        last_name=f"Personne{letter}",
    ).participant


def send(participant, action, cohort, by, **more):
    return services.refer(
        participant=participant,
        action=action,
        cohort=cohort,
        expected_diagnostics=more.get("expected", [Diagnostic.FRENCH]),
        reason="Reprendre un rythme",
        shared_fields=more.get("shared", ["participants.Participant.phone"]),
        by=by,
    )


def notices_of(user):
    return list(Notice.objects.filter(recipient=user).values_list("subject", flat=True))


def test_a_referral_tells_the_provider_without_naming_the_person(
    referent, provider, action, cohort
):
    participant = person(referent)
    referral = send(participant, action, cohort, referent)
    assert referral.status == ReferralStatus.SENT
    assert referral.expected_diagnostics == [Diagnostic.FRENCH]
    notice = Notice.objects.get(recipient=provider)
    assert notice.subject == f"Nouvelle orientation : {action}"
    assert participant.last_name not in notice.body and str(referral.pk) in notice.url
    assert participant.file_number not in notice.subject + notice.body


def test_only_a_person_in_the_plie_may_be_referred(referent, action, cohort):
    from tests.factories import ParticipantFactory

    with pytest.raises(ValidationError, match="parcours en cours"):
        send(ParticipantFactory(referent=referent), action, cohort, referent)


def test_one_pending_referral_per_person_and_action(referent, action, cohort):
    participant = person(referent)
    send(participant, action, cohort, referent)
    with pytest.raises(ValidationError, match="déjà une orientation en cours"):
        send(participant, action, None, referent)


def test_a_started_or_cancelled_cohort_or_a_closed_action_refuses_referrals(
    referent, action, today
):
    participant = person(referent)
    started = make_cohort(action, number=5, starts_on=today, sessions=False)
    with pytest.raises(ValidationError, match="déjà commencé"):
        send(participant, action, started, referent)
    cancelled = make_cohort(
        action, number=6, starts_on=today + datetime.timedelta(days=3), sessions=False
    )
    cancelled.cancelled = True
    cancelled.save()
    with pytest.raises(ValidationError, match="annulé"):
        send(participant, action, cancelled, referent)
    action.is_open = False
    action.save()
    with pytest.raises(ValidationError, match="plus ouverte"):
        send(participant, action, None, referent)


def test_forged_shared_fields_are_dropped(referent, action, cohort):
    referral = send(
        person(referent),
        action,
        cohort,
        referent,
        shared=["pathways.Pathway.receives_rsa", "participants.Participant.phone"],
    )
    assert referral.shared_fields == ["participants.Participant.phone"]


def test_acceptance_makes_the_step_with_the_cohort_s_dates(referent, provider, action, cohort):
    referral = send(person(referent), action, cohort, referent)
    answer = services.accept(referral=referral, by=provider)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    step = referral.step
    assert step.step_type.code == "plie-action"
    assert (step.start_date, step.planned_end_date) == (cohort.starts_on, cohort.ends_on)
    assert step.organisation_name == provider.organisation.name
    assert step.pathway == referral.pathway
    assert "places restantes dans ce groupe : 1" in answer.message
    assert (
        f"Orientation acceptée : {action} (dossier n° {referral.participant.file_number})"
        in notices_of(referent)
    )


def test_past_the_capacity_the_person_waits_in_the_order_sent(referent, provider, action, cohort):
    first, second, third = (send(person(referent, x), action, cohort, referent) for x in "abc")
    services.accept(referral=first, by=provider)
    services.accept(referral=second, by=provider)
    answer = services.accept(referral=third, by=provider)
    third.refresh_from_db()
    assert third.status == ReferralStatus.WAITING and third.step is None
    assert "complet (2 sur 2 places)" in answer.message and "position 1" in answer.message
    waiting = (
        f"Orientation sur liste d'attente : {action} (dossier n° {third.participant.file_number})"
    )
    assert waiting in notices_of(referent)
    assert services.cohort_places(cohort).waiting == (third.pk,)


def test_a_freed_place_is_announced_not_given(referent, provider, action, cohort):
    first, second, third = (send(person(referent, x), action, cohort, referent) for x in "abc")
    services.accept(referral=first, by=provider)
    services.accept(referral=second, by=provider)
    services.accept(referral=third, by=provider)
    services.withdraw(referral=first, by=referent)
    first.refresh_from_db()
    third.refresh_from_db()
    assert first.status == ReferralStatus.WITHDRAWN
    assert first.step.withdrawn_at is not None  # the step never happened
    assert third.status == ReferralStatus.WAITING  # not accepted behind the provider's back
    assert f"Une place s'est libérée : {action}" in notices_of(provider)
    services.accept(referral=third, by=provider)
    third.refresh_from_db()
    assert third.status == ReferralStatus.ACCEPTED


def test_a_cancelled_cohort_refuses_an_acceptance(referent, provider, action, cohort):
    referral = send(person(referent), action, cohort, referent)
    cohort.cancelled = True
    cohort.save()
    with pytest.raises(ValidationError, match="annulé"):
        services.accept(referral=referral, by=provider)


def test_decline_needs_a_reason_and_tells_the_referent(referent, provider, action, cohort):
    referral = send(person(referent), action, cohort, referent)
    with pytest.raises(ValidationError):
        services.decline(referral=referral, reason="  ", by=provider)
    services.decline(referral=referral, reason="Public non visé", by=provider)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    assert (
        f"Orientation refusée : {action} (dossier n° {referral.participant.file_number})"
        in notices_of(referent)
    )


def test_another_cohort_proposed_then_accepted_goes_back_to_the_provider(
    referent, provider, action, cohort, today
):
    other = make_cohort(
        action, number=2, starts_on=today + datetime.timedelta(days=31), sessions=False
    )
    referral = send(person(referent), action, cohort, referent)
    services.propose_cohort(referral=referral, cohort=other, by=provider)
    assert referral.status == ReferralStatus.OTHER_COHORT
    assert (
        f"Autre groupe proposé : {action} (dossier n° {referral.participant.file_number})"
        in notices_of(referent)
    )
    services.accept_proposal(referral=referral, by=referent)
    referral.refresh_from_db()
    assert (referral.status, referral.cohort, referral.proposed_cohort) == (
        ReferralStatus.SENT,
        other,
        None,
    )
    assert f"Groupe proposé accepté : {action}" in notices_of(provider)


def test_nobody_enters_a_group_under_way(referent, provider, action, today):
    running = make_cohort(action, number=3, starts_on=today, sessions=False)
    from tests.factories import refer

    referral = refer(person(referent), running)
    with pytest.raises(ValidationError, match="a commencé"):
        services.accept(referral=referral, by=provider)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT and referral.step is None


def test_the_outcome_closes_the_step(referent, provider, action, today):
    running = make_cohort(
        action, number=3, starts_on=today - datetime.timedelta(days=14), sessions=False
    )
    from tests.factories import refer

    referral = refer(person(referent), running)
    with time_machine.travel(running.starts_on - datetime.timedelta(days=1)):
        services.accept(referral=referral, by=provider)
    referral.refresh_from_db()
    with pytest.raises(ValidationError, match="motif"):
        services.close(
            referral=referral, outcome=ReferralStatus.DROPPED_OUT, ended_on=today, by=provider
        )
    services.close(
        referral=referral,
        outcome=ReferralStatus.DROPPED_OUT,
        ended_on=today - datetime.timedelta(days=2),
        drop_out_reason=DropOutReason.JOB,
        by=provider,
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DROPPED_OUT
    assert referral.step.end_date == today - datetime.timedelta(days=2)
    assert referral.step.outcome == StepOutcome.ENDED_EARLY
    assert f"Fin de l'action : {action}" in notices_of(referent)


def test_completed_maps_to_a_completed_step(referent, provider, action, today):
    running = make_cohort(
        action, number=3, starts_on=today - datetime.timedelta(days=20), sessions=False
    )
    from tests.factories import refer

    referral = refer(person(referent), running)
    with time_machine.travel(running.starts_on - datetime.timedelta(days=1)):
        services.accept(referral=referral, by=provider)
    referral.refresh_from_db()
    with pytest.raises(ValidationError, match="à venir"):
        services.close(
            referral=referral,
            outcome=ReferralStatus.COMPLETED,
            ended_on=today + datetime.timedelta(days=1),
            by=provider,
        )
    services.close(
        referral=referral, outcome=ReferralStatus.COMPLETED, ended_on=today, by=UserFactory()
    )
    referral.step.refresh_from_db()
    assert (referral.step.end_date, referral.step.outcome) == (today, StepOutcome.COMPLETED)
