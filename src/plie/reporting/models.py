"""A monthly extraction asked for by someone of the coordination team: its period, what
it may contain, and how far its background build has gone.

The file itself lives in the data folder (`extractions/`), not in the database; the row
says who asked, when, and whether the file is ready, so that the page can show a
progress bar and the download can be refused to anyone else.
"""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plie.core import formatting
from plie.reporting.enums import ExtractionFormat, ExtractionStatus, QualityRunStatus

# The file holds personal data: it is deleted this long after it was built.
EXTRACTION_KEPT_FOR = datetime.timedelta(days=7)


class ExtractionQuerySet(models.QuerySet):
    def for_user(self, user):
        """Each person sees and downloads only the extractions they asked for."""
        return self.filter(requested_by=user)

    def expired(self, now=None):
        now = now or timezone.now()
        return self.filter(status=ExtractionStatus.DONE, finished_at__lt=now - EXTRACTION_KEPT_FOR)


class Extraction(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("demandée le"), auto_now_add=True)
    date_from = models.DateField(_("du"))
    date_to = models.DateField(_("au"))
    file_format = models.CharField(_("format"), max_length=10, choices=ExtractionFormat)
    include_sensitive = models.BooleanField(_("avec les données sensibles"), default=False)
    status = models.CharField(
        _("état"), max_length=10, choices=ExtractionStatus, default=ExtractionStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("lignes à écrire"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("lignes écrites"), default=0)
    file_name = models.CharField(max_length=100, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(_("erreur"), max_length=500, blank=True)

    objects = ExtractionQuerySet.as_manager()

    class Meta:
        verbose_name = _("extraction")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["requested_by", "requested_at"])]

    def __str__(self) -> str:
        return f"Extraction du {formatting.day(self.date_from)} au {formatting.day(self.date_to)}"

    @property
    def is_pending(self) -> bool:
        return self.status in (ExtractionStatus.QUEUED, ExtractionStatus.RUNNING)

    @property
    def percent_done(self) -> int:
        if self.status == ExtractionStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)

    @property
    def download_name(self) -> str:
        extension = "xlsx" if self.file_format == ExtractionFormat.XLSX else "zip"
        return f"extraction-{self.date_from:%Y%m%d}-{self.date_to:%Y%m%d}.{extension}"

    @property
    def path(self):
        return settings.DATA_DIR / "extractions" / self.file_name if self.file_name else None


# The data quality checks read the whole base (2 to 4 s at 100,000 people): they run in the
# background, and the page shows the latest run. A run older than this is redone when the
# page is opened, so that the counts are never more than a few hours old.
QUALITY_RUN_FRESH_FOR = datetime.timedelta(hours=4)


class QualityRunQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status__in=(QualityRunStatus.QUEUED, QualityRunStatus.RUNNING))

    def latest_done(self):
        return self.filter(status=QualityRunStatus.DONE).order_by("-finished_at").first()


class QualityRun(models.Model):
    """One run of the data quality checks. It keeps counts and record ids only, never a
    name or a value: the page reads the records again, so that what was fixed since is
    no longer listed and a deleted person leaves nothing behind here."""

    requested_at = models.DateTimeField(_("demandé le"), auto_now_add=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        _("état"), max_length=10, choices=QualityRunStatus, default=QualityRunStatus.QUEUED
    )
    day = models.DateField(_("contrôles au"), null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # {check key: {"total": n, "by_referent": {"<référent id or 0>": n}, "ids": [first ids]}}
    results = models.JSONField(default=dict, blank=True)

    objects = QualityRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("contrôle de la qualité des données")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"Contrôles du {formatting.moment(timezone.localtime(self.requested_at))}"

    def is_fresh(self, now=None) -> bool:
        return self.finished_at is not None and (now or timezone.now()) - self.finished_at < (
            QUALITY_RUN_FRESH_FOR
        )
