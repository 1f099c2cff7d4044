from django.db import models
from django.utils.translation import gettext_lazy as _


class ExtractionStatus(models.TextChoices):
    QUEUED = "queued", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Prête")
    FAILED = "failed", _("Échec")
    EXPIRED = "expired", _("Supprimée (délai de conservation passé)")


class ExtractionFormat(models.TextChoices):
    XLSX = "xlsx", _("Classeur XLSX (trois onglets)")
    CSV = "csv", _("Fichiers CSV (trois fichiers dans une archive ZIP)")


class QualityRunStatus(models.TextChoices):
    QUEUED = "queued", _("En attente")
    RUNNING = "running", _("En cours")
    DONE = "done", _("Terminé")
    FAILED = "failed", _("Échec")
