"""The vocabulary of the annual programme (seed 000 § E « La programmation annuelle »)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OperationKind(models.TextChoices):
    """The five kinds of action the programme funds (seed 000 § E, seed 001 § B)."""

    ANIMATION = "animation", _("Animation du dispositif")
    ACCOMPANIMENT = "accompaniment", _("Accompagnement des parcours (portage des référents)")
    INSERTION_CLAUSES = "insertion_clauses", _("Développement des clauses d'insertion")
    PARTICIPANT_ACTIONS = "participant_actions", _("Actions à destination des participants")
    REFERENT_DEVELOPMENT = "referent_development", _("Professionnalisation des référents")


# The kinds whose achievement is the people with a step of the operation's step types.
MEASURED_BY_STEPS = (OperationKind.INSERTION_CLAUSES, OperationKind.PARTICIPANT_ACTIONS)


class OperationState(models.TextChoices):
    PLANNED = "planned", _("Programmée")
    APPROVED = "approved", _("Validée par le comité de pilotage")
    RUNNING = "running", _("En cours")
    CLOSED = "closed", _("Clôturée")


class Funder(models.TextChoices):
    """The co-funders of an operation's budget."""

    FSE = "fse", _("FSE+")
    METROPOLE = "metropole", _("Métropole")
    REGION = "region", _("Région")
    DEPARTEMENT = "departement", _("Département")
    COMMUNES = "communes", _("Communes")
    OTHERS = "others", _("Autres")


class StatementKind(models.TextChoices):
    """The budget statements seed 001 asks of a carrier (« situation budgétaire »)."""

    MID_TERM = "mid_term", _("Situation à mi-parcours")
    FINAL = "final", _("Situation finale")


class StatementSide(models.TextChoices):
    EXPENSE = "expense", _("Dépense")
    RESOURCE = "resource", _("Ressource")
