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

# The roles that read a participant's record, as the personal-data register names them
# (core.register, docs/personal-data.md): everyone who opens records reads the ordinary
# fields; the sensitive ones are for the case leads and the person's own référent.
CASE_WORKERS = frozenset({*COORDINATION_TEAM, Role.REFERENT})
SENSITIVE_DATA_READERS = frozenset({Role.COORDINATOR, Role.PROJECT_OFFICER, Role.REFERENT})
CASE_LEADS = frozenset({Role.COORDINATOR, Role.PROJECT_OFFICER})
JOURNAL_READERS = frozenset({Role.COORDINATOR})
ADMINISTRATORS = frozenset({Role.ADMINISTRATOR})
# Roles that open every file or the administration: given only with a coordinator's
# approval (accounts/roles.py) or from the command line (`plie role`). The others open no
# file when given (a new référent follows nobody until files are handed to them).
ROLES_NEEDING_APPROVAL = frozenset(
    {Role.COORDINATOR, Role.PROJECT_OFFICER, Role.ASSISTANT, Role.ADMINISTRATOR}
)
# Whose password the administration does not reset: they change it themselves, or from the
# command line (`plie changepassword`) — else resetting it would be taking their account.
OWN_PASSWORD_ONLY = frozenset({Role.COORDINATOR, Role.ADMINISTRATOR})


class RoleRequestStatus(models.TextChoices):
    PENDING = "pending", _("En attente de la coordinatrice")
    APPROVED = "approved", _("Accordé")
    REFUSED = "refused", _("Refusé")
