"""A referral to an action in the participant's history: sent, answered, ended, and the
follow-up sheet received — each on its day, the refusal with the provider's reason."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from plie.actions import follow_up
from plie.actions import referrals as services
from plie.actions.enums import Diagnostic, DropOutReason, ReferralStatus, SheetKind
from plie.core.plugins import history_of
from tests.factories import active_pathway, make_action, make_agreement, make_cohort

pytestmark = pytest.mark.django_db
START = datetime.date(2026, 11, 2)


def noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@pytest.fixture
def cohort(provider):
    action = make_action(make_agreement(provider.organisation), starts_on=START)
    return make_cohort(action, starts_on=START, capacity=3)


def referred(referent, cohort, letter):
    participant = active_pathway(
        referent, entry_date=START - datetime.timedelta(days=90), last_name=f"Personne{letter}"
    ).participant
    with time_machine.travel(noon(START - datetime.timedelta(days=10)), tick=False):
        return services.refer(
            participant=participant,
            action=cohort.action,
            cohort=cohort,
            expected_diagnostics=[Diagnostic.FRENCH],
            reason="Reprendre un rythme",
            shared_fields=[],
            by=referent,
        )


def events(participant) -> list[tuple[datetime.date, str, str]]:
    return [
        (event.on, event.title, event.detail)
        for event in history_of(participant, show_sensitive=False)
        if "ction" in event.title or "Orientation" in event.title or "Fiche" in event.title
    ]


def test_an_accepted_referral_then_completed_with_its_final_sheet(referent, provider, cohort):
    referral = referred(referent, cohort, "a")
    with time_machine.travel(noon(START - datetime.timedelta(days=8)), tick=False):
        services.accept(referral=referral, by=provider)
    end = cohort.ends_on
    with time_machine.travel(noon(end), tick=False):
        services.close(
            referral=referral, outcome=ReferralStatus.COMPLETED, ended_on=end, by=provider
        )
        sheet = follow_up.save_sheet(
            referral=referral,
            kind=SheetKind.FINAL,
            observations="Assidue.",
            recommendations=[],
            by=provider,
        )
        follow_up.send_sheet(sheet=sheet, by=provider)
    where = f"{cohort.action}, groupe du 02/11/2026"
    got = events(referral.participant)
    assert (
        START - datetime.timedelta(days=10),
        "Orientation vers une action",
        f"{where}, par {referent}",
    ) in got
    assert (
        START - datetime.timedelta(days=8),
        "Orientation acceptée par le prestataire",
        where,
    ) in got
    assert (end, "Action terminée", where) in got
    assert (end, "Fiche de suivi finale reçue", where) in got


def test_a_declined_referral_says_why_and_a_drop_out_its_reason(referent, provider, cohort):
    declined = referred(referent, cohort, "b")
    with time_machine.travel(noon(START - datetime.timedelta(days=9)), tick=False):
        services.decline(referral=declined, reason="Groupe complet en juin", by=provider)
    got = events(declined.participant)
    assert (
        START - datetime.timedelta(days=9),
        "Orientation refusée par le prestataire",
        f"{cohort.action}, groupe du 02/11/2026 — Groupe complet en juin",
    ) in got
    assert not [event for event in got if event[1].startswith(("Action", "Abandon"))]

    left = referred(referent, cohort, "c")
    with time_machine.travel(noon(START - datetime.timedelta(days=8)), tick=False):
        services.accept(referral=left, by=provider)
    quit_on = START + datetime.timedelta(days=3)
    with time_machine.travel(noon(quit_on), tick=False):
        services.close(
            referral=left,
            outcome=ReferralStatus.DROPPED_OUT,
            ended_on=quit_on,
            drop_out_reason=DropOutReason.JOB,
            by=provider,
        )
    titles = [event[1] for event in events(left.participant) if event[0] == quit_on]
    assert titles == ["Fin d'étape : Action du PLIE", "Abandon de l'action : Reprise d'emploi"]
