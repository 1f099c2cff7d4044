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


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    HELD = "held", _("Tenue")
