from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinatrice / coordinateur")
    PROJECT_OFFICER = "project_officer", _("Chargé(e) de projet")
    ASSISTANT = "assistant", _("Assistante / assistant de direction")
    REFERENT = "referent", _("Référent(e) de parcours")
    PROVIDER = "provider", _("Prestataire")
    STEERING_VIEWER = "steering_viewer", _("Membre du comité de pilotage")
    ADMINISTRATOR = "administrator", _("Administrateur / administratrice")


COORDINATION_TEAM = frozenset({Role.COORDINATOR, Role.PROJECT_OFFICER, Role.ASSISTANT})
