from django.db import models
from django.utils.translation import gettext_lazy as _


class Procedure(models.TextChoices):
    """The two procedures of the seeds: a consultation for a service (seed 000: hearing,
    negotiation, firm price) and a call for projects (seed 001: answer form, deposit
    certificate, written consultation of the steering committee, one-year agreement)."""

    SERVICE = "service", _("Consultation pour une prestation")
    PROJECTS = "projects", _("Appel à projets")


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("En préparation")
    OPEN = "open", _("Ouvert aux réponses")
    INSTRUCTION = "instruction", _("En instruction")
    CONSULTATION = "consultation", _("Consultation du comité de pilotage")
    AWARDED = "awarded", _("Attribué")
    UNSUCCESSFUL = "unsuccessful", _("Sans suite")


class PriceFormula(models.TextChoices):
    """How the price criterion is scored (purchasing/scoring.py), shown on the call's page."""

    LOWEST_OVER_PRICE = "lowest_over_price", _("Prix le plus bas ÷ prix de l'offre × poids")
    LINEAR_TO_CAP = (
        "linear_to_cap",
        _("Linéaire : poids plein au prix le plus bas, zéro au plafond du budget"),
    )


class TieRule(models.TextChoices):
    """Which offer comes first when two have the same total (purchasing/scoring.py)."""

    HEAVIEST_CRITERION = (
        "heaviest_criterion",
        _("La meilleure note sur le critère de plus fort poids, puis la première déposée"),
    )
    LOWEST_PRICE = "lowest_price", _("Le prix le plus bas, puis la première déposée")


class Channel(models.TextChoices):
    PORTAL = "portal", _("Déposée par le candidat sur son espace")
    EMAIL = "email", _("Reçue par courriel, saisie par l'équipe")
    POST = "post", _("Reçue par la poste, saisie par l'équipe")


class ProposalStatus(models.TextChoices):
    RECEIVED = "received", _("Reçue")
    REFUSED_LATE = "refused_late", _("Refusée : reçue après la date limite")
    WITHDRAWN = "withdrawn", _("Retirée par le candidat")
    NOT_RETAINED = "not_retained", _("Non retenue")
    AWARDED = "awarded", _("Retenue")


class OfferKind(models.TextChoices):
    INITIAL = "initial", _("Offre déposée")
    HEARING = "hearing", _("Audition")
    NEGOTIATED = "negotiated", _("Offre révisée après négociation")


class ConsultationAnswerChoice(models.TextChoices):
    FAVOURABLE = "favourable", _("Avis favorable")
    UNFAVOURABLE = "unfavourable", _("Avis défavorable")
    ABSTENTION = "abstention", _("Abstention")


class ProposalFlag(models.TextChoices):
    """What a proposal may be flagged with at its deposit (purchasing/flags.py); each flag
    comes with its French reason."""

    LATE = "late", _("Reçue après la date limite")
    INCOMPLETE = "incomplete", _("Incomplète")
    OVER_CAP = "over_cap", _("Au-delà du plafond du budget")


class InterestDeclaration(models.TextChoices):
    """What an evaluator declares before scoring a proposal (purchasing/decision.py)."""

    NO_CONFLICT = "no_conflict", _("Je déclare n'avoir aucun conflit d'intérêts avec ce candidat")
    CONFLICT = (
        "conflict",
        _("J'ai un conflit d'intérêts avec ce candidat : je ne note pas cette proposition"),
    )
