from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitteeItemKind(models.TextChoices):
    ENTRY = "entry", _("Entrée")
    EXIT = "exit", _("Sortie")


class CommitteeDecision(models.TextChoices):
    PENDING = "pending", _("À examiner")
    VALIDATED = "validated", _("Validée")
    REFUSED = "refused", _("Refusée")
    DEFERRED = "deferred", _("Ajournée")
    # Taken off the agenda before any decision, by its référent or the coordination: kept,
    # so that the history and the meeting page still show it, and no longer pending.
    WITHDRAWN = "withdrawn", _("Retirée")


# What the committee may decide on an item (pending and withdrawn are not decisions).
DECISIONS = (CommitteeDecision.VALIDATED, CommitteeDecision.REFUSED, CommitteeDecision.DEFERRED)


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    HELD = "held", _("Tenue")
