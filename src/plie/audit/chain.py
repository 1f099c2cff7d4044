"""The journal is tamper-evident: each entry, once written, is sealed — the SHA-256 digest of
its whole content and of the previous seal — so that an entry changed, removed or inserted
behind the application's back breaks the chain at that entry (`plie journal verify`).

Sealing happens as soon as the transaction that wrote the entry commits, in a short
transaction of its own that locks the end of the chain (`ChainHead`), so that two processes
never chain two entries to the same seal. An entry the sealing missed (a process stopped at
that moment) is sealed by the daily task (`seal_unsealed`); `verify` counts those apart.

The retention task removes the oldest entries with their seals, keeping the last removed
seal as the anchor of what remains and saying so in a sealed entry (`retention.py`).

The limit: someone who can write to the database and recompute every digest from the one
they change onwards makes a chain that verifies. `verify` prints the last digest: kept
elsewhere (noted, mailed), it shows that the chain was rewritten.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import threading

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from plie.audit.events import Event
from plie.audit.models import ChainHead, Seal

GENESIS = "0" * 64
BATCH = 2000
_queued = threading.local()


def _type_name(content_type_id: int) -> str:
    """The natural key of an entry's type: its number may differ in a restored database."""
    content_type = ContentType.objects.get_for_id(content_type_id)  # cached by Django
    return f"{content_type.app_label}.{content_type.model}"


def content_of(entry: LogEntry) -> str:
    """Everything an entry says, in one canonical text (the same on SQLite and PostgreSQL)."""
    timestamp = entry.timestamp.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    return json.dumps(
        {
            "id": entry.pk,
            "timestamp": timestamp,
            "type": _type_name(entry.content_type_id),
            "object_pk": entry.object_pk,
            "object_id": entry.object_id,
            "object_repr": entry.object_repr,
            "action": entry.action,
            "changes": entry.changes,
            "changes_text": entry.changes_text,
            "serialized_data": entry.serialized_data,
            "actor": entry.actor_id,
            "actor_email": entry.actor_email,
            "additional_data": entry.additional_data,
            "cid": entry.cid,
            "remote_addr": entry.remote_addr,
            "remote_port": entry.remote_port,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )


def digest_of(previous: str, entry: LogEntry) -> str:
    text = previous + "\n" + content_of(entry)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:  # a database emptied by a test, or created before the migration's row
        ChainHead.objects.get_or_create(pk=1)
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


def seal(entry_ids) -> int:
    """Seals these entries (those that exist and have no seal yet), in their order of
    writing; returns how many."""
    wanted = sorted(set(entry_ids))
    if not wanted:
        return 0
    sealed = 0
    with transaction.atomic():
        head = _head()
        previous, position = head.digest or GENESIS, head.position
        for start in range(0, len(wanted), BATCH):
            chunk = wanted[start : start + BATCH]
            done = set(Seal.objects.filter(entry_id__in=chunk).values_list("entry_id", flat=True))
            seals = []
            for entry in LogEntry.objects.filter(pk__in=chunk).order_by("pk"):
                if entry.pk in done:
                    continue
                position += 1
                previous = digest_of(previous, entry)
                seals.append(Seal(position=position, entry_id=entry.pk, digest=previous))
            Seal.objects.bulk_create(seals)
            sealed += len(seals)
        if sealed:
            head.position, head.digest = position, previous
            head.save(update_fields=["position", "digest"])
    return sealed


def _seal_queued() -> None:
    pending = getattr(_queued, "ids", None)
    if pending:
        _queued.ids = []
        seal(pending)


def entry_written(sender, instance: LogEntry, created: bool = False, **kwargs) -> None:
    """post_save of an entry: sealed once its transaction commits (at once outside one).
    An entry of a transaction rolled back is no longer there to seal: it is skipped."""
    if not created:
        return
    if not hasattr(_queued, "ids"):
        _queued.ids = []
    _queued.ids.append(instance.pk)
    # robust: a sealing that fails is logged, not raised on a response already committed;
    # the daily task seals what it missed.
    transaction.on_commit(_seal_queued, robust=True)


def unsealed():
    return LogEntry.objects.filter(~Exists(Seal.objects.filter(entry_id=OuterRef("pk"))))


def seal_unsealed() -> int:
    """Seals every entry the sealing missed, oldest first."""
    total = 0
    while True:
        ids = list(unsealed().order_by("pk").values_list("pk", flat=True)[:BATCH])
        if not ids:
            return total
        total += seal(ids)


# ---------------------------------------------------------------------------
# Verifying


@dataclasses.dataclass(frozen=True)
class Verdict:
    checked: int  # seals whose entry was read and recomputed
    broken: str = ""  # the first break, in French; "" when the chain holds
    unsealed: int = 0
    first_unsealed: int | None = None
    last_digest: str = ""

    @property
    def holds(self) -> bool:
        return not self.broken


def retention_cut() -> int:
    """The position up to which the retention task removed the entries (0: never)."""
    cuts = LogEntry.objects.filter(additional_data__event=Event.RETENTION).values_list(
        "additional_data", flat=True
    )
    return max((int((data or {}).get("through_position") or 0) for data in cuts), default=0)


def _describe(entry: LogEntry) -> str:
    moment = timezone.localtime(entry.timestamp).strftime("%d/%m/%Y %H:%M:%S")
    return f"l'entrée n° {entry.pk} du {moment} ({entry.object_repr})"


def _break(seal_row: Seal, previous: str | None, entry, cut: int, expected):
    """What is wrong at this seal, or ""."""
    if expected is not None and seal_row.position != expected:
        return (
            f"les entrées scellées aux positions {expected} à {seal_row.position - 1} ont "
            "disparu du journal (effacées, sceaux compris)"
        )
    if entry is None:
        if seal_row.position <= cut:
            return ""  # removed by the retention task, which said so
        return (
            f"l'entrée n° {seal_row.entry_id} (position {seal_row.position}) a été effacée du "
            "journal"
        )
    if previous is None:
        return (
            f"le début du journal a disparu : rien avant la position {seal_row.position}, "
            "que la conservation n'a pas effacé"
        )
    if digest_of(previous, entry) != seal_row.digest:
        return f"{_describe(entry)} a été modifiée après son écriture"
    return ""


def verify() -> Verdict:
    """Reads the chain from its start and stops at the first break."""
    cut = retention_cut()
    head = ChainHead.objects.filter(pk=1).first()
    previous: str | None = None
    expected: int | None = None
    checked, last = 0, 0
    while True:
        seals = list(Seal.objects.filter(position__gt=last).order_by("position")[:BATCH])
        if not seals:
            break
        entries = LogEntry.objects.in_bulk([s.entry_id for s in seals])
        for seal_row in seals:
            entry = entries.get(seal_row.entry_id)
            if expected is None and seal_row.position == 1:
                previous = GENESIS
            broken = _break(seal_row, previous, entry, cut, expected)
            if broken:
                return Verdict(checked, broken)
            checked += entry is not None
            previous, expected = seal_row.digest, seal_row.position + 1
        last = seals[-1].position
    reached = (expected or 1) - 1
    end_position, end_digest = (head.position, head.digest) if head else (0, "")
    if reached < end_position:
        return Verdict(
            checked,
            f"les dernières entrées du journal ont disparu : il s'arrêtait à la position "
            f"{end_position}, il s'arrête à la position {reached}",
        )
    if reached != end_position or (reached and previous != end_digest):
        return Verdict(
            checked,
            f"la fin de la chaîne (position {reached}) ne correspond plus à son dernier sceau "
            f"connu (position {end_position})",
        )
    missing = unsealed().order_by("pk").values_list("pk", flat=True)
    first = missing.first()
    return Verdict(
        checked,
        unsealed=missing.count() if first is not None else 0,
        first_unsealed=first,
        last_digest=previous or "",
    )
