"""The journal keeps no sensitive value in clear: every field the personal-data register
calls sensitive, or whose values sometimes are, is named in an entry, never its value —
whatever writes the entry; and the entries written before lose theirs."""

import importlib
import json

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from plie.audit.masking import is_withheld
from plie.core.register import register
from plie.participants.enums import ExitReason
from plie.territory.models import BarrierType
from tests.factories import ParticipantFactory, PathwayFactory

pytestmark = pytest.mark.django_db

CANARY = "Suivi en addictologie depuis 2024"


def stored() -> str:
    return json.dumps(list(LogEntry.objects.values("changes", "changes_text")), ensure_ascii=False)


def sensitive_fields_of_journaled_models():
    for model in auditlog.get_models():
        for entry in register.of_model(model._meta.label):
            if entry.sensitive or entry.sensitive_values:
                yield model, entry.field


def test_every_sensitive_field_of_the_register_is_kept_without_its_value(referent):
    fields = list(sensitive_fields_of_journaled_models())
    assert len(fields) > 20
    participant = ParticipantFactory(referent=referent)
    for model, field in fields:
        LogEntry.objects.log_create(
            participant,
            content_type=ContentType.objects.get_for_model(model),
            action=LogEntry.Action.UPDATE,
            changes={field: ["", CANARY]},
        )
    assert CANARY not in stored()


def test_a_change_of_the_entry_file_keeps_the_ordinary_values_only(referent):
    pathway = PathwayFactory(participant=ParticipantFactory(referent=referent))
    pathway.entry_notes = CANARY
    pathway.justice_measure = True
    pathway.dependent_children = 3
    pathway.save()
    entry = LogEntry.objects.get_for_object(pathway).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes["dependent_children"] == ["None", "3"]
    assert entry.changes["justice_measure"] == {"type": "sensitive", "filled": [False, True]}
    assert entry.changes["entry_notes"]["type"] == "sensitive"
    assert CANARY not in stored()


def test_a_health_exit_and_an_addiction_barrier_leave_no_trace_of_their_value(referent):
    pathway = PathwayFactory(participant=ParticipantFactory(referent=referent))
    pathway.exit_reason = ExitReason.HEALTH
    pathway.save()
    pathway.barriers.add(BarrierType.objects.get(code="addiction"))
    kept = json.dumps(
        list(LogEntry.objects.get_for_object(pathway).values("changes")), ensure_ascii=False
    )
    assert "health" not in kept
    assert "Conduites addictives" not in kept


def test_the_coordinator_reads_that_the_field_changed(client, referent, coordinator):
    pathway = PathwayFactory(participant=ParticipantFactory(referent=referent))
    pathway.entry_notes = CANARY
    pathway.save()
    client.force_login(coordinator)
    content = client.get(reverse("web:journal")).content.decode()
    assert "Observations" in content or "donnée sensible" in content
    assert "le journal ne garde pas sa valeur" in content
    assert CANARY not in content


def test_the_entries_written_before_lose_their_sensitive_values(referent):
    pathway = PathwayFactory(participant=ParticipantFactory(referent=referent))
    entry = LogEntry.objects.get_for_object(pathway).first()
    LogEntry.objects.filter(pk=entry.pk).update(
        changes={"entry_notes": ["", CANARY], "dependent_children": ["None", "2"]}
    )
    migration = importlib.import_module("plie.audit.migrations.0002_no_sensitive_value_kept")
    migration.mask_existing_entries(apps, None)
    entry.refresh_from_db()
    assert entry.changes["dependent_children"] == ["None", "2"]
    assert CANARY not in stored()


def test_an_ordinary_field_is_not_withheld():
    assert not is_withheld("participants.Participant", "phone")
    assert is_withheld("pathways.Pathway", "receives_rsa")
