"""The journal's nightly work in the background worker: seal what the sealing missed, remove
the entries past their keeping time (retention.py), then come back the next night."""

import datetime

from django.utils import timezone
from django_tasks import task

PURGED_AT = datetime.time(4, 30)  # each night, before the day's pages are prepared (5:30)


@task()
def keep_the_journal() -> int:
    """Returns the number of entries removed."""
    from plie.audit.retention import purge

    schedule_journal_keeping()  # first: a failure below must not end the chain of nights
    return purge()


def schedule_journal_keeping(*, now: bool = False) -> None:
    """`keep_the_journal` at the next `PURGED_AT`, or `now` (when the server starts), unless
    one is already waiting to run by then: one chain of nights, however often the server
    starts."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    moment = timezone.now()
    if not now:
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        moment = timezone.make_aware(datetime.datetime.combine(tomorrow, PURGED_AT))
    waiting = DBTaskResult.objects.filter(
        task_path=keep_the_journal.module_path,
        status=TaskResultStatus.READY,
        run_after__lte=moment,
    )
    if not waiting.exists():
        keep_the_journal.using(run_after=moment).enqueue()
