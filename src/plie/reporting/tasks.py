"""The work done in the background, by the worker (`plie db_worker`): the monthly
extraction, the data quality checks, the dashboard's charts kept for the whole PLIE, and
each morning the pages the coordination team opens first (`prepare_the_day`).

The monthly extraction: asked for on a page, built by the worker
(`plie db_worker`, started beside the server by `plie demo` and `plie serve`), its progress
written on its `Extraction` row for the page's progress bar.

Files older than `EXTRACTION_KEPT_FOR` are deleted whenever an extraction is asked for or
built: they hold personal data and are only a copy of what the database holds.
"""

import datetime
import logging
import secrets

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from plie.reporting.enums import ExtractionStatus, QualityRunStatus
from plie.reporting.extraction import write_extraction
from plie.reporting.models import Extraction, QualityRun
from plie.reporting.quality import measure_all

logger = logging.getLogger(__name__)
DONE_OR_FAILED = (QualityRunStatus.DONE, QualityRunStatus.FAILED)

FAILURE_MESSAGE = (
    "L'extraction n'a pas pu être écrite. Relancez-la ; si l'échec se répète, prévenez "
    "l'administrateur de l'application (le détail technique est dans ses journaux)."
)


def request_extraction(*, user, date_from, date_to, file_format) -> Extraction:
    """Records the request and hands it to the worker once the request's transaction ends."""
    prune_expired()
    extraction = Extraction.objects.create(
        requested_by=user,
        date_from=date_from,
        date_to=date_to,
        file_format=file_format,
        include_sensitive=user.has_perm("reporting.extract_sensitive_data"),
    )
    transaction.on_commit(lambda: build_extraction.enqueue(str(extraction.pk)))
    return extraction


@task()
def build_extraction(extraction_id: str) -> int:
    """Writes the file of one extraction; returns the rows written (0 when it failed)."""
    extraction = Extraction.objects.filter(pk=extraction_id, status=ExtractionStatus.QUEUED).first()
    if extraction is None:  # already built, or removed meanwhile
        return 0
    extraction.status = ExtractionStatus.RUNNING
    extraction.started_at = timezone.now()
    extraction.file_name = f"{secrets.token_urlsafe(16)}.{extraction.file_format}"
    extraction.save(update_fields=["status", "started_at", "file_name"])

    def progress(done: int, total: int) -> None:
        Extraction.objects.filter(pk=extraction.pk).update(rows_done=done, rows_total=total)

    try:
        rows = write_extraction(
            extraction.path,
            file_format=extraction.file_format,
            date_from=extraction.date_from,
            date_to=extraction.date_to,
            include_sensitive=extraction.include_sensitive,
            progress=progress,
        )
    except Exception as error:
        # The exception's text could quote a value of a record: only its type is logged.
        logger.error("extraction %s failed: %s", extraction.pk, type(error).__name__)
        Extraction.objects.filter(pk=extraction.pk).update(
            status=ExtractionStatus.FAILED,
            finished_at=timezone.now(),
            file_name="",
            error=FAILURE_MESSAGE,
        )
        return 0
    Extraction.objects.filter(pk=extraction.pk).update(
        status=ExtractionStatus.DONE,
        finished_at=timezone.now(),
        rows_done=rows,
        rows_total=rows,
        file_size=extraction.path.stat().st_size,
    )
    prune_expired()
    return rows


def prune_expired(now=None) -> int:
    """Deletes the files past their keeping time; the rows stay, marked as removed."""
    expired = list(Extraction.objects.expired(now))
    for extraction in expired:
        if extraction.path is not None:
            extraction.path.unlink(missing_ok=True)
    Extraction.objects.filter(pk__in=[e.pk for e in expired]).update(
        status=ExtractionStatus.EXPIRED, file_name=""
    )
    return len(expired)


def request_quality_run(*, user) -> QualityRun:
    """A new run of the data quality checks, unless one is already waiting or running."""
    pending = QualityRun.objects.pending().first()
    if pending is not None:
        return pending
    run = QualityRun.objects.create(requested_by=user)
    transaction.on_commit(lambda: run_quality_checks.enqueue(run.pk))
    return run


@task()
def run_quality_checks(run_id: int) -> int:
    """Runs every check and keeps their counts and ids; returns the problems found."""
    run = QualityRun.objects.filter(pk=run_id, status=QualityRunStatus.QUEUED).first()
    if run is None:
        return 0
    QualityRun.objects.filter(pk=run.pk).update(
        status=QualityRunStatus.RUNNING, started_at=timezone.now()
    )
    today = timezone.localdate()
    try:
        results = measure_all(today)
    except Exception as error:
        logger.error("quality run %s failed: %s", run.pk, type(error).__name__)
        QualityRun.objects.filter(pk=run.pk).update(
            status=QualityRunStatus.FAILED, finished_at=timezone.now()
        )
        return 0
    QualityRun.objects.filter(pk=run.pk).update(
        status=QualityRunStatus.DONE, day=today, finished_at=timezone.now(), results=results
    )
    # Older runs are of no use once a newer one is there.
    QualityRun.objects.filter(finished_at__lt=timezone.now(), status__in=DONE_OR_FAILED).exclude(
        pk=run.pk
    ).delete()
    return sum(result["total"] for result in results.values())


@task()
def refresh_dashboard(*arguments) -> int:
    """Computes a dashboard's charts again and keeps them (arguments: those of
    `dashboard.DashboardParameters.as_task_arguments`); returns the number of charts."""
    from plie.reporting.dashboard import DashboardParameters, store
    from plie.territory.models import Programme

    computed = store(DashboardParameters.from_task_arguments(*arguments), Programme.current())
    return len(computed.value)


@task()
def refresh_quarterly_review(year: int, number: int, today: str) -> int:
    """Computes a quarterly review again and keeps it; returns the number of its charts."""
    from plie.reporting.quarterly import Quarter, store_review

    kept = store_review(Quarter(year, number), datetime.date.fromisoformat(today))
    return len(kept.value.charts)


PREPARED_AT = datetime.time(5, 30)  # each morning, before the coordination team opens its pages


@task()
def prepare_the_day() -> int:
    """Computes ahead what the coordination team opens first each morning, which at
    100,000 people takes half a second to two seconds from nothing: the whole PLIE's
    morning lists, the dashboards as they open (`dashboard.opening_dashboards`) and the
    last finished quarter's review; it also asks for the day's data quality checks. Then
    it comes back the next morning. Returns the number of results kept."""
    from plie.pathways.worklists import store_whole_plie
    from plie.reporting.dashboard import opening_dashboards, store
    from plie.reporting.quarterly import Quarter, store_review
    from plie.territory.models import Programme

    schedule_the_day()  # first: a failure below must not end the chain of mornings
    programme = Programme.current()
    if programme is None:  # nothing to compute before the PLIE is set up
        return 0
    today = timezone.localdate()
    store_whole_plie(programme, today)
    dashboards = opening_dashboards(today)
    for parameters in dashboards:
        store(parameters, programme)
    store_review(Quarter.last_complete(today), today)
    request_quality_run(user=None)  # the assistant's page, ready before she opens it
    return 2 + len(dashboards)


def schedule_the_day(*, now: bool = False) -> None:
    """`prepare_the_day` at the next `PREPARED_AT`, or `now` (when the server starts),
    unless one is already waiting to run by then: one chain of mornings, however often the
    server starts."""
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    moment = timezone.now()
    if not now:
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        moment = timezone.make_aware(datetime.datetime.combine(tomorrow, PREPARED_AT))
    waiting = DBTaskResult.objects.filter(
        task_path=prepare_the_day.module_path,
        status=TaskResultStatus.READY,
        run_after__lte=moment,
    )
    if not waiting.exists():
        prepare_the_day.using(run_after=moment).enqueue()
