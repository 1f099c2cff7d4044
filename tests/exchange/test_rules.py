"""The importer's domain checks say what the application says, and the state ladder holds."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from plie.exchange import rules
from plie.exchange.identifiers import PathwayFacts
from plie.participants.enums import PathwayStatus
from plie.pathways import recording
from plie.pathways.enums import StepOutcome
from plie.pathways.models import Step, StepType
from tests.factories import active_pathway

from .conftest import TODAY

pytestmark = pytest.mark.django_db
ENTRY = datetime.date(2026, 1, 8)
EXIT = datetime.date(2026, 6, 30)


@pytest.mark.parametrize(
    "fields",
    [
        {"end_date": datetime.date(2026, 3, 1)},
        {"planned_end_date": datetime.date(2026, 2, 1)},
        {"start_date": datetime.date(2027, 12, 1)},
        {"start_date": datetime.date(1995, 1, 1)},
        {"start_date": datetime.date(2026, 7, 15)},
        {"outcome": StepOutcome.ENDED_EARLY},
        {"weekly_hours": Decimal(60)},
    ],
)
def test_the_step_checks_give_the_messages_of_recording_check_step(referent, fields):
    pathway = active_pathway(referent, entry_date=ENTRY, birth_date=datetime.date(1985, 4, 12))
    pathway.exit_date = EXIT
    step = Step(
        pathway=pathway,
        step_type=StepType.objects.get(code="training-prequalifying"),
        start_date=datetime.date(2026, 3, 2),
        outcome=StepOutcome.IN_PROGRESS,
    )
    for name, value in fields.items():
        setattr(step, name, value)
    with pytest.raises(ValidationError) as error:
        recording.check_step(step)
    application = {m for messages in error.value.message_dict.values() for m in messages}

    values = {
        "fin_prevue": step.planned_end_date,
        "fin_reelle": step.end_date,
        "issue": fields.get("outcome", StepOutcome.IN_PROGRESS),
    }
    facts = PathwayFacts("P", 1, "A", None, 1, ENTRY, EXIT, PathwayStatus.ACTIVE)
    imported = rules.step_problems(
        values,
        start=step.start_date,
        end=step.end_date,
        hours=step.weekly_hours,
        is_job=False,
        pathway=facts,
        birth_date=datetime.date(1985, 4, 12),
        today=TODAY,
        failed=set(),
        creating=True,
    )

    assert {message.split(" : ", 1)[1] for message in imported} >= application
