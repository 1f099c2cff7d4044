"""The vocabulary of the action's reports (issue 13, §2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    """The reports an agreement asks of a provider: seed 001 (call for projects) « un bilan au
    premier trimestre, un bilan à mi-parcours, ainsi qu'un bilan final »; seed 000
    (consultation) « un point d'étape intermédiaire et un bilan »."""

    FIRST_QUARTER = "first_quarter", _("Bilan après le premier trimestre")
    MID_TERM = "mid_term", _("Bilan à mi-parcours")
    INTERIM = "interim", _("Point d'étape intermédiaire")
    FINAL = "final", _("Bilan final")


class ReportStatus(models.TextChoices):
    """Where a report stands: written by the provider, sent, then validated by the PLIE — or
    sent back to the provider with a comment saying what to change."""

    DRAFT = "draft", _("En cours de rédaction")
    SUBMITTED = "submitted", _("Envoyé au PLIE")
    RETURNED = "returned", _("Renvoyé au prestataire")
    VALIDATED = "validated", _("Validé")


# The provider writes while the report is in its hands.
WRITABLE = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})
