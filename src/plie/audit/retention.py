"""The journal's entries are kept `JOURNAL_RETENTION_DAYS` (one year by default; six months
to one year, CNIL recommendation on logging), then removed by the background worker each
night (tasks.py) or by `plie journal purge`.

Entries go in the order of the chain (chain.py): everything up to the last seal whose
entry is older than the limit and that no younger entry precedes. The last removed seal
stays as the anchor of what remains, and a sealed entry says how far the removal went, so
that `plie journal verify` tells this removal from a deletion behind the application's back.
"""

import datetime

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from plie.audit.chain import BATCH, _head, retention_cut, seal_unsealed
from plie.audit.events import Event
from plie.audit.models import ChainHead, Seal, Shown


def limit(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()) - datetime.timedelta(days=settings.JOURNAL_RETENTION_DAYS)


def purge(*, now: datetime.datetime | None = None) -> int:
    """Removes the entries past their keeping time; returns how many."""
    seal_unsealed()
    before = limit(now)
    with transaction.atomic():
        head = _head()  # nobody seals while the start of the chain moves
        kept = LogEntry.objects.filter(timestamp__gte=before).values("pk")
        first_kept = Seal.objects.filter(entry_id__in=kept).aggregate(first=Min("position"))
        through = (first_kept["first"] or head.position + 1) - 1
        if through <= retention_cut():
            return 0
        removed = 0
        gone = Seal.objects.filter(position__lte=through).order_by("position")
        ids = list(gone.values_list("entry_id", flat=True))
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            Shown.objects.filter(entry_id__in=chunk).delete()
            removed += (
                LogEntry.objects.filter(pk__in=chunk).delete()[1].get(LogEntry._meta.label, 0)
            )
        Seal.objects.filter(position__lt=through).delete()  # the last one anchors the rest
        LogEntry.objects.create(
            content_type=ContentType.objects.get_for_model(ChainHead),
            object_pk=str(head.pk),
            object_id=head.pk,
            object_repr="Journal",
            action=LogEntry.Action.DELETE,
            changes={},
            additional_data={
                "event": Event.RETENTION,
                "through_position": through,
                "removed": removed,
                "before": timezone.localtime(before).date().isoformat(),
                "days": settings.JOURNAL_RETENTION_DAYS,
            },
        )
    return removed
