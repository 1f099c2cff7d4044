"""The journal is tamper-evident: every entry is sealed into a hash chain when its
transaction commits; `plie journal verify` names the first entry changed, removed or
added behind the application's back; the retention task removes the entries past their
keeping time (one year by default) without breaking the chain."""

import datetime
import io

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from plie.audit.chain import seal, seal_unsealed, verify
from plie.audit.events import Event
from plie.audit.models import ChainHead, Seal, Shown
from plie.audit.retention import purge
from plie.audit.tasks import keep_the_journal
from tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db


def journal(*args) -> str:
    out = io.StringIO()
    call_command("journal", *args, stdout=out)
    return out.getvalue()


def broken() -> str:
    with pytest.raises(CommandError) as error:
        journal("verify")
    return str(error.value)


def forget_the_set_up() -> None:
    """The entries of the territory and accounts just created, never sealed: a test of
    the keeping time writes its entries in the order of their dates, as life does."""
    assert not Seal.objects.exists()
    LogEntry.objects.all().delete()


@pytest.fixture
def entries(referent):
    """A few real entries: a participant created and changed, pages read."""
    participant = ParticipantFactory(referent=referent)
    participant.phone = "0611223344"
    participant.save()
    for _ in range(3):
        LogEntry.objects.log_create(
            participant, force_log=True, action=LogEntry.Action.ACCESS, actor=referent
        )
    seal_unsealed()
    return list(LogEntry.objects.order_by("pk"))


def test_an_entry_is_sealed_when_its_transaction_commits(
    client, referent, django_capture_on_commit_callbacks
):
    participant = ParticipantFactory(referent=referent)
    seal_unsealed()
    client.force_login(referent)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("web:participant", args=[participant.pk]))
    read = LogEntry.objects.filter(actor=referent, action=LogEntry.Action.ACCESS).get()
    assert Seal.objects.filter(entry_id=read.pk).exists()
    assert verify().holds and verify().unsealed == 0


def test_an_entry_of_a_transaction_rolled_back_leaves_no_seal(referent):
    participant = ParticipantFactory(referent=referent)
    seal_unsealed()
    with pytest.raises(RuntimeError), transaction.atomic():
        entry = LogEntry.objects.log_create(participant, force_log=True, action=3)
        raise RuntimeError
    assert seal([entry.pk]) == 0
    assert verify().holds


def test_an_intact_chain_verifies(entries):
    output = journal("verify")
    assert f"Chaîne intacte : {len(entries)} entrées vérifiées." in output
    assert f"Dernière empreinte : {ChainHead.objects.get().digest}" in output


def test_a_changed_entry_is_named(entries):
    changed = entries[2]
    LogEntry.objects.filter(pk=changed.pk).update(object_repr="Quelqu'un d'autre")
    message = broken()
    assert f"l'entrée n° {changed.pk} du " in message
    assert "a été modifiée après son écriture" in message
    assert "2 entrées vérifiées avant celle-ci" in message


def test_a_changed_value_inside_an_entry_is_found(entries):
    changed = entries[1]
    LogEntry.objects.filter(pk=changed.pk).update(changes={"phone": ["", "0600000000"]})
    assert f"l'entrée n° {changed.pk} du " in broken()


def test_a_removed_entry_is_named(entries):
    LogEntry.objects.filter(pk=entries[2].pk).delete()
    assert f"l'entrée n° {entries[2].pk} (position 3) a été effacée du journal" in broken()


def test_an_entry_removed_with_its_seal_is_found(entries):
    Seal.objects.filter(entry_id=entries[2].pk).delete()
    LogEntry.objects.filter(pk=entries[2].pk).delete()
    assert "les entrées scellées aux positions 3 à 3 ont disparu" in broken()


def test_the_last_entries_removed_are_found(entries):
    for entry in entries[-2:]:
        Seal.objects.filter(entry_id=entry.pk).delete()
        entry.delete()
    assert "les dernières entrées du journal ont disparu" in broken()


def test_the_first_entries_removed_are_found(entries):
    Seal.objects.filter(entry_id=entries[0].pk).delete()
    LogEntry.objects.filter(pk=entries[0].pk).delete()
    assert "le début du journal a disparu" in broken()


def test_an_entry_added_behind_the_application_is_not_sealed(entries, referent):
    added = LogEntry.objects.log_create(referent, force_log=True, action=3)
    with pytest.raises(CommandError) as error:
        journal("verify")
    assert f"la première : n° {added.pk}" in str(error.value)
    assert "1 entrée scellée" in journal("seal")
    assert "Chaîne intacte" in journal("verify")


def test_entries_past_their_keeping_time_are_removed_and_the_chain_still_holds(referent, settings):
    assert settings.JOURNAL_RETENTION_DAYS == 365
    forget_the_set_up()
    with time_machine.travel(timezone.now() - datetime.timedelta(days=400)):
        participant = ParticipantFactory(referent=referent)
        old = [
            LogEntry.objects.log_create(participant, force_log=True, action=3, actor=referent)
            for _ in range(3)
        ]
        Shown.objects.create(entry=old[0], participant_id=participant.pk)
        seal_unsealed()
    recent = LogEntry.objects.log_create(participant, force_log=True, action=3, actor=referent)
    seal_unsealed()
    removed = purge()
    assert removed >= 3
    assert not LogEntry.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert LogEntry.objects.filter(pk=recent.pk).exists()
    assert not Shown.objects.exists()
    seal_unsealed()  # the entry that says so
    assert "Chaîne intacte" in journal("verify")
    said = LogEntry.objects.get(additional_data__event=Event.RETENTION)
    assert said.additional_data["removed"] == removed
    assert purge() == 0  # nothing more to remove
    # Removing an entry after the cut is still found.
    LogEntry.objects.filter(pk=recent.pk).delete()
    assert f"l'entrée n° {recent.pk}" in broken()


def test_the_coordinator_reads_the_removal_in_the_journal(client, coordinator, referent):
    forget_the_set_up()
    with time_machine.travel(timezone.now() - datetime.timedelta(days=400)):
        participant = ParticipantFactory(referent=referent)
        LogEntry.objects.log_create(participant, force_log=True, action=3, actor=referent)
    purge()
    client.force_login(coordinator)
    content = client.get(reverse("web:journal")).content.decode()
    assert "Entrées effacées au terme de leur durée de conservation" in content


def test_the_worker_keeps_the_journal_each_night(referent):
    forget_the_set_up()
    with time_machine.travel(timezone.now() - datetime.timedelta(days=400)):
        participant = ParticipantFactory(referent=referent)
        LogEntry.objects.log_create(participant, force_log=True, action=3, actor=referent)
    assert keep_the_journal.call() >= 1
    waiting = DBTaskResult.objects.filter(task_path=keep_the_journal.module_path)
    assert waiting.count() == 1
    assert timezone.localtime(waiting.get().run_after).time() == datetime.time(4, 30)
