"""An import changes records without their forms: it raises their versions too, so that a
page opened before the import cannot save over what it brought (core/versioning.py)."""

import pytest

from plie.exchange.importer import import_path
from plie.participants.models import Participant
from plie.pathways.models import Step
from tests.exchange.conftest import replace_cell

pytestmark = pytest.mark.django_db


def test_records_updated_by_an_import_have_a_new_version(example):
    assert import_path(example).ok
    participant = Participant.objects.get(external_id="SI-1001")
    step = Step.objects.get(external_id="SI-E-9001")
    versions = participant.version, step.version
    replace_cell(example / "participants.csv", 2, "telephone", "07 00 00 00 01")
    replace_cell(example / "etapes.csv", 2, "structure", "GRETA Côte-d'Or")

    assert import_path(example).ok

    participant.refresh_from_db()
    step.refresh_from_db()
    assert (participant.phone, step.organisation_name) == ("07 00 00 00 01", "GRETA Côte-d'Or")
    assert participant.version > versions[0] and step.version > versions[1]
