"""The participant's history as a new user read it: a day's events in the order they
happened, and every correction of a step or contact said, not only its withdrawal."""

import datetime

import pytest
import time_machine
from auditlog.context import set_actor

from plie.committee.enums import CommitteeDecision, CommitteeItemKind
from plie.committee.models import CommitteeItem
from plie.core.plugins import history_of
from plie.pathways import recording
from plie.pathways.enums import ContactMode
from plie.pathways.models import StepType
from tests.factories import MeetingFactory, StepFactory, active_pathway

DAY = datetime.date(2026, 12, 1)
pytestmark = pytest.mark.django_db


def at(hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 12, 1, hour, minute, tzinfo=datetime.UTC)


def titles(participant) -> list[str]:
    return [
        event.title for event in history_of(participant, show_sensitive=True) if event.on == DAY
    ]


def test_a_day_reads_validation_then_closing_then_step_then_contact(referent, coordinator):
    """The trial's day: the committee validates the entry (which closes the referral), then
    the référent records a step, then a contact. Newest first, that is the reverse."""
    pathway = active_pathway(referent, entry_date=DAY)
    with time_machine.travel(at(9), tick=False):
        CommitteeItem.objects.create(
            meeting=MeetingFactory(held_on=DAY),
            pathway=pathway,
            kind=CommitteeItemKind.ENTRY,
            proposed_by=referent,
            proposed_referent=referent,
            decision=CommitteeDecision.VALIDATED,
            decided_by=coordinator,
            decided_at=at(10),
        )
    with time_machine.travel(at(11), tick=False):
        recording.add_step(
            pathway=pathway,
            data={
                "step_type": StepType.objects.get(code="plie-action"),
                "start_date": DAY,
                "organisation_name": "Atelier CV",
            },
            by=referent,
        )
    with time_machine.travel(at(12), tick=False):
        recording.record_contact(
            pathway=pathway, data={"contacted_on": DAY, "mode": ContactMode.PHONE}, by=referent
        )

    assert titles(pathway.participant) == [
        "Contact : Appel téléphonique",
        "Début d'étape : Action du PLIE",
        "Orientation close",
        "Commission : entrée validée",
        "Proposition d'entrée en commission",
    ]


def test_a_contact_recorded_after_a_withdrawal_reads_above_it(referent):
    pathway = active_pathway(referent, entry_date=DAY - datetime.timedelta(days=60))
    step = StepFactory(pathway=pathway, start_date=DAY - datetime.timedelta(days=30))
    with time_machine.travel(at(9), tick=False):
        recording.withdraw_step(step=step, reason="Saisie en double", by=referent)
    with time_machine.travel(at(15), tick=False):
        recording.record_contact(
            pathway=pathway, data={"contacted_on": DAY, "mode": ContactMode.PHONE}, by=referent
        )

    assert titles(pathway.participant) == [
        "Contact : Appel téléphonique",
        "Étape retirée : Saisie en double",
    ]


def test_a_corrected_step_and_contact_are_said_with_the_fields_and_who(referent):
    pathway = active_pathway(referent, entry_date=DAY - datetime.timedelta(days=60))
    step = StepFactory(
        pathway=pathway, start_date=DAY - datetime.timedelta(days=30), created_by=referent
    )
    with time_machine.travel(at(8), tick=False):
        contact = recording.record_contact(
            pathway=pathway,
            data={"contacted_on": DAY, "mode": ContactMode.PHONE, "duration_minutes": 30},
            by=referent,
        )
    with time_machine.travel(at(14), tick=False), set_actor(referent):
        recording.update_step(step=step, data={"organisation_name": "Chantier d'insertion"})
        recording.update_contact(contact=contact, data={"duration_minutes": 40})

    events = [e for e in history_of(pathway.participant, show_sensitive=False) if e.on == DAY]
    corrected = {e.title: e.detail for e in events if "corrig" in e.title}
    assert corrected["Étape corrigée"] == (
        f"{step.step_type} du {step.start_date:%d/%m/%Y} — employeur ou organisme, par {referent}"
    )
    assert corrected["Contact corrigé"].endswith(f"durée (minutes), par {referent}")
    # The values themselves stay in the journal: the history names the fields only.
    assert "Chantier" not in " ".join(corrected.values())


def test_a_withdrawal_is_not_also_called_a_correction(referent):
    pathway = active_pathway(referent, entry_date=DAY - datetime.timedelta(days=60))
    step = StepFactory(pathway=pathway, start_date=DAY - datetime.timedelta(days=30))
    with time_machine.travel(at(9), tick=False), set_actor(referent):
        recording.withdraw_step(step=step, reason="Erreur de personne", by=referent)

    assert titles(pathway.participant) == ["Étape retirée : Erreur de personne"]
