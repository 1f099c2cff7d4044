from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("En préparation")
    SIGNED = "signed", _("Signée")
    CLOSED = "closed", _("Close")


class AmendmentKind(models.TextChoices):
    """An extension moves the end date (seed 001: « prolongé par voie d'avenant », twice at
    most); another change alters something else (the amount, the object)."""

    EXTENSION = "extension", _("Prolongation")
    OTHER = "other", _("Autre modification")


class AmendmentStatus(models.TextChoices):
    PENDING = "pending", _("En attente de la validation du PLIE")
    VALIDATED = "validated", _("Validé")
    REFUSED = "refused", _("Refusé")


class DeliverableKind(models.TextChoices):
    """What a provider hands in for an instalment to be paid (seed 000 « Facturation », seed
    001: reports, budget statements with evidence, attendance sheets)."""

    SIGNED_AGREEMENT = "signed_agreement", _("Convention signée")
    INTERIM_REPORT = "interim_report", _("Bilan intermédiaire")
    FINAL_REPORT = "final_report", _("Rapport final")
    ATTENDANCE_SHEETS = "attendance_sheets", _("Feuilles d'émargement")
    DAYS_STATEMENT = "days_statement", _("État des jours consommés")
    BUDGET_STATEMENT = "budget_statement", _("Situation budgétaire et justificatifs")
    OTHER = "other", _("Autre document")


class CheckOutcome(models.TextChoices):
    ACCEPTED = "accepted", _("Accepté")
    TO_REDO = "to_redo", _("À refaire")


class InstalmentState(models.TextChoices):
    """Read from the deliverables and the payment (payments.py), never stored."""

    BLOCKED = "blocked", _("Bloquée")
    DUE = "due", _("À payer")
    PAID = "paid", _("Payée")
