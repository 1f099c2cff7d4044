"""A row's version and the values a page showed, as core/versioning.py writes them: the
refusal of a stale page quotes them, so they read as the pages do."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from plie.core.versioning import EMPTY, Change, text_of
from plie.participants.models import Participant
from plie.pathways.models import Step, StepType
from plie.territory.models import BarrierType
from tests.factories import ParticipantFactory, PathwayFactory, StepFactory, active_pathway

pytestmark = pytest.mark.django_db


def test_each_save_raises_the_version_by_one(territory):
    participant = ParticipantFactory()
    assert participant.version == 1
    participant.phone = "0611223344"
    participant.save()
    participant.save(update_fields=["phone"])  # the version is written even so
    assert Participant.objects.get(pk=participant.pk).version == 3


def test_values_read_as_the_pages_write_them(referent):
    pathway = active_pathway(referent, entry_date=datetime.date(2026, 3, 2))
    step = StepFactory(
        pathway=pathway,
        step_type=StepType.objects.get(code="cdd"),
        start_date=datetime.date(2026, 3, 9),
        weekly_hours=Decimal("24.5"),
    )
    assert text_of(step, "start_date") == "09/03/2026"
    assert text_of(step, "weekly_hours") == "24,5"
    assert text_of(step, "step_type") == StepType.objects.get(code="cdd").label
    assert text_of(step, "outcome") == "En cours"
    assert text_of(step, "end_date") == EMPTY
    assert text_of(step, "part_time_agreed") == "Non"
    pathway.receives_rsa = None
    assert text_of(pathway, "receives_rsa") == EMPTY
    moment = timezone.make_aware(datetime.datetime(2026, 3, 9, 14, 30))
    contact = pathway.contacts.model(pathway=pathway, next_appointment=moment)
    assert text_of(contact, "next_appointment") == "09/03/2026 à 14:30"


def test_linked_rows_are_listed_only_when_shown(referent):
    pathway = PathwayFactory(participant=ParticipantFactory(referent=referent))
    pathway.barriers.set(BarrierType.objects.filter(code__in=["mobility", "health", "digital"]))
    assert text_of(pathway, "barriers") == "Mobilité, Numérique, Santé"
    shown = BarrierType.objects.filter(is_sensitive=False)
    assert text_of(pathway, "barriers", shown) == "Mobilité, Numérique"


def test_a_long_text_is_quoted_short():
    change = Change("summary", "Compte rendu", "a" * 200, "b")
    assert str(change) == f"Compte rendu : « {'a' * 119}… » sur votre page, « b » maintenant."
    assert Step._meta.get_field("version").editable is False  # never in a form
