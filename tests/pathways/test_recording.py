"""Steps, contacts, transfers: what a référent may record, and impossible input refused."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from plie.participants.enums import PathwayStatus
from plie.pathways import recording
from plie.pathways.enums import ContactMode, StepOutcome
from plie.pathways.models import Contact, ReferentChange, Step, StepType
from tests.factories import StepFactory, UserFactory, active_pathway

TODAY = datetime.date(2026, 11, 23)
ENTRY = datetime.date(2026, 1, 8)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False):
        yield


@pytest.fixture
def pathway(referent):
    return active_pathway(referent, entry_date=ENTRY)


def step_type(code: str) -> StepType:
    return StepType.objects.get(code=code)


def step_data(code="cdd", **overrides):
    data = {
        "step_type": step_type(code),
        "organisation_name": "Clinique du Parc",
        "start_date": datetime.date(2026, 3, 2),
        "planned_end_date": datetime.date(2026, 8, 31),
        "end_date": None,
        "weekly_hours": Decimal(35),
        "part_time_agreed": False,
        "outcome": StepOutcome.IN_PROGRESS,
        "notes": "",
    }
    return data | overrides


def test_a_job_step_is_recorded_with_its_hours(pathway, referent):
    step = recording.add_step(pathway=pathway, data=step_data(), by=referent)
    assert step.pk and step.created_by == referent
    assert step.is_job


def test_a_part_time_job_and_a_training_may_overlap(pathway, referent):
    recording.add_step(pathway=pathway, data=step_data(weekly_hours=Decimal(20)), by=referent)
    training = step_data("training-prequalifying", weekly_hours=None, organisation_name="GRETA 21")
    recording.add_step(pathway=pathway, data=training, by=referent)
    assert pathway.steps.count() == 2


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"end_date": datetime.date(2026, 3, 1)},
            "end_date",
            "La fin réelle (01/03/2026) précède le début (02/03/2026)",
        ),
        ({"planned_end_date": datetime.date(2026, 2, 1)}, "planned_end_date", "fin prévue"),
        ({"end_date": datetime.date(2026, 12, 1)}, "end_date", "dans le futur"),
        ({"start_date": datetime.date(2027, 12, 1)}, "start_date", "plus d'un an"),
        ({"start_date": datetime.date(1995, 1, 1)}, "start_date", "14 ans"),
        ({"weekly_hours": None}, "weekly_hours", "heures par semaine"),
        ({"weekly_hours": Decimal(60)}, "weekly_hours", "entre 0,5 et 48"),
        (
            {"outcome": StepOutcome.COMPLETED},
            "end_date",
            "Indiquez la date de fin réelle",
        ),
    ],
    ids=[
        "end-before-start",
        "planned-end-before-start",
        "end-in-future",
        "start-more-than-a-year-ahead",
        "start-before-age-14",
        "job-without-hours",
        "too-many-hours",
        "completed-without-end",
    ],
)
def test_impossible_steps_are_refused_and_nothing_is_saved(
    pathway, referent, overrides, field, message
):
    with pytest.raises(ValidationError) as error:
        recording.add_step(pathway=pathway, data=step_data(**overrides), by=referent)
    assert message in " ".join(error.value.message_dict[field])
    assert not Step.objects.exists()


def test_two_full_time_jobs_at_once_exceed_the_legal_week(pathway, referent):
    recording.add_step(pathway=pathway, data=step_data(), by=referent)
    second = step_data("interim", start_date=datetime.date(2026, 5, 4), weekly_hours=Decimal(14))
    with pytest.raises(ValidationError) as refused:
        recording.add_step(pathway=pathway, data=second, by=referent)
    assert "cela fait 49\u00a0h par semaine" in refused.value.messages[0]
    # After the first job ended, the same mission is fine.
    third = step_data(
        "interim",
        start_date=datetime.date(2026, 9, 1),
        planned_end_date=None,
        weekly_hours=Decimal(35),
    )
    first = pathway.steps.get()
    recording.update_step(step=first, data={"end_date": datetime.date(2026, 8, 31)})
    recording.add_step(pathway=pathway, data=third, by=referent)
    assert pathway.steps.count() == 2


def test_a_step_ended_in_the_past_is_marked_completed(pathway, referent):
    step = recording.add_step(
        pathway=pathway, data=step_data(end_date=datetime.date(2026, 8, 31)), by=referent
    )
    assert step.outcome == StepOutcome.COMPLETED


def test_no_step_on_a_pathway_that_is_not_in_progress(pathway, referent):
    pathway.status = PathwayStatus.EXITED
    pathway.exit_date = datetime.date(2026, 10, 1)
    pathway.save()
    with pytest.raises(ValidationError, match="Sorti"):
        recording.add_step(pathway=pathway, data=step_data(), by=referent)


def test_an_inactive_step_type_cannot_be_chosen(pathway, referent):
    StepType.objects.filter(code="cdd").update(is_active=False)
    with pytest.raises(ValidationError, match="plus proposé"):
        recording.add_step(pathway=pathway, data=step_data(), by=referent)


def contact_data(**overrides):
    data = {
        "contacted_on": datetime.date(2026, 11, 20),
        "mode": ContactMode.INDIVIDUAL,
        "duration_minutes": 45,
        "summary": "Point sur la recherche d'emploi.",
        "next_appointment": None,
    }
    return data | overrides


def test_a_contact_is_recorded(pathway, referent):
    contact = recording.record_contact(pathway=pathway, data=contact_data(), by=referent)
    assert contact.by == referent and Contact.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"contacted_on": datetime.date(2026, 11, 30)}, "dans le futur"),
        ({"contacted_on": datetime.date(2025, 11, 1)}, "précède l'orientation"),
        ({"duration_minutes": 0}, "entre 1 et 600"),
        (
            {"next_appointment": datetime.datetime(2026, 11, 1, 10, tzinfo=datetime.UTC)},
            "doit suivre",
        ),
        ({"summary": "x" * 4001}, "4000"),
    ],
    ids=["future", "before-referral", "zero-minutes", "next-before-contact", "too-long"],
)
def test_impossible_contacts_are_refused(pathway, referent, overrides, message):
    with pytest.raises(ValidationError, match=message):
        recording.record_contact(pathway=pathway, data=contact_data(**overrides), by=referent)
    assert not Contact.objects.exists()


def test_transfer_keeps_the_history_with_the_pathway(pathway, referent, project_officer):
    StepFactory(pathway=pathway)
    recording.record_contact(pathway=pathway, data=contact_data(), by=referent)
    newcomer = UserFactory(username="nouvelle.referente")
    change = recording.transfer_pathway(
        pathway=pathway, new_referent=newcomer, reason="Départ en congé", by=project_officer
    )
    pathway.refresh_from_db()
    assert pathway.referent == newcomer
    assert pathway.participant.referent == newcomer
    assert change.previous_referent == referent
    assert pathway.steps.count() == 1 and pathway.contacts.count() == 1
    assert ReferentChange.objects.get().by == project_officer


@pytest.mark.parametrize("case", ["same", "no-reason", "not-a-referent"])
def test_transfer_refusals(pathway, referent, project_officer, assistant, case):
    target = {"same": referent, "no-reason": UserFactory(), "not-a-referent": assistant}[case]
    reason = "" if case == "no-reason" else "Réorganisation"
    with pytest.raises(ValidationError):
        recording.transfer_pathway(
            pathway=pathway, new_referent=target, reason=reason, by=project_officer
        )
    assert not ReferentChange.objects.exists()


@pytest.mark.parametrize(
    ("planned_end", "refused"),
    [
        (datetime.date(2031, 3, 2), False),  # five years after the start of 2 March 2026
        (datetime.date(2031, 3, 3), True),
        (datetime.date(2999, 8, 31), True),
    ],
)
def test_a_step_is_planned_over_five_years_at_most(pathway, referent, planned_end, refused):
    data = step_data(planned_end_date=planned_end)
    if not refused:
        assert recording.add_step(pathway=pathway, data=data, by=referent).pk
        return
    with pytest.raises(ValidationError) as error:
        recording.add_step(pathway=pathway, data=data, by=referent)
    assert "plus de cinq ans du début" in error.value.message_dict["planned_end_date"][0]
    assert not Step.objects.exists()


@pytest.mark.parametrize(
    ("next_appointment", "refused"),
    [
        (datetime.datetime(2027, 11, 23, 9, 59, tzinfo=datetime.UTC), False),
        (datetime.datetime(2027, 11, 23, 10, 1, tzinfo=datetime.UTC), True),
        (datetime.datetime(2999, 1, 4, 10, 0, tzinfo=datetime.UTC), True),
    ],
)
def test_a_next_appointment_is_at_most_a_year_ahead(pathway, referent, next_appointment, refused):
    data = contact_data(next_appointment=next_appointment)
    if not refused:
        assert recording.record_contact(pathway=pathway, data=data, by=referent).pk
        return
    with pytest.raises(ValidationError, match="plus d'un an"):
        recording.record_contact(pathway=pathway, data=data, by=referent)
    assert not Contact.objects.exists()
