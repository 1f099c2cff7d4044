"""The vocabulary of actions, cohorts, attendance, diagnostics and follow-up sheets (issue 12)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Diagnostic(models.TextChoices):
    """What an action may assess (seed 001: French, mobility, CléA; seed 000: the fundamentals)."""

    FRENCH = "french", _("Français (FLE)")
    MOBILITY = "mobility", _("Mobilité")
    CLEA = "clea", _("Positionnement CléA")
    SELF_ASSESSMENT = "self_assessment", _("Autoévaluation d'entrée et de sortie")


class HalfDay(models.TextChoices):
    MORNING = "morning", _("Matin")
    AFTERNOON = "afternoon", _("Après-midi")


class SessionKind(models.TextChoices):
    WORKSHOP = "workshop", _("Atelier collectif")
    INDIVIDUAL = "individual", _("Entretien individuel")


class SessionStatus(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    CANCELLED = "cancelled", _("Annulée")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Envoyée au prestataire")
    WAITING = "waiting", _("Sur liste d'attente")
    ACCEPTED = "accepted", _("Acceptée")
    OTHER_COHORT = "other_cohort", _("Autre groupe proposé")
    DECLINED = "declined", _("Refusée par le prestataire")
    WITHDRAWN = "withdrawn", _("Retirée par le référent")
    COMPLETED = "completed", _("Action terminée")
    DROPPED_OUT = "dropped_out", _("Abandon")


# A referral still waiting for the provider's answer, one that holds a place, one that ended.
AWAITING_ANSWER = frozenset(
    {ReferralStatus.SENT, ReferralStatus.WAITING, ReferralStatus.OTHER_COHORT}
)
# A person who dropped out frees their place: the provider may take someone waiting
# (issue 12, §2; actions/places.py).
HOLDS_A_PLACE = frozenset({ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED})
# Who took part in a cohort: its attendance, days delivered and diagnostics count them, the
# person who dropped out included (until the day they left).
TOOK_PART = HOLDS_A_PLACE | {ReferralStatus.DROPPED_OUT}
ENDED = frozenset(
    {
        ReferralStatus.DECLINED,
        ReferralStatus.WITHDRAWN,
        ReferralStatus.COMPLETED,
        ReferralStatus.DROPPED_OUT,
    }
)


class DropOutReason(models.TextChoices):
    JOB = "job", _("Reprise d'emploi")
    TRAINING = "training", _("Entrée en formation")
    ABSENCES = "absences", _("Absences répétées")
    PERSONAL = "personal", _("Raisons personnelles ou familiales")
    MOVED = "moved", _("Déménagement")
    NOT_SUITED = "not_suited", _("Action inadaptée à la personne")
    OTHER = "other", _("Autre motif")


class Presence(models.TextChoices):
    PRESENT = "present", _("Présent(e)")
    ABSENT = "absent", _("Absent(e)")
    EXCUSED = "excused", _("Absence excusée")


class CefrLevel(models.TextChoices):
    """The Common European Framework of Reference for Languages, with « not assessed »."""

    NOT_ASSESSED = "", _("Non évalué")
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"


class DrivingLicence(models.TextChoices):
    NONE = "none", _("Aucun permis")
    IN_PROGRESS = "in_progress", _("Permis B en cours")
    CAR = "car", _("Permis B")
    OTHER = "other", _("Autre permis (AM, A, C…)")


class Vehicle(models.TextChoices):
    NONE = "none", _("Aucun")
    CAR = "car", _("Voiture")
    TWO_WHEELER = "two_wheeler", _("Deux-roues motorisé")
    BICYCLE = "bicycle", _("Vélo ou trottinette")


class TransportAutonomy(models.TextChoices):
    AUTONOMOUS = "autonomous", _("Autonome")
    WITH_HELP = "with_help", _("Avec de l'aide")
    NOT_AUTONOMOUS = "not_autonomous", _("Pas autonome")


class CleaLevel(models.TextChoices):
    ACQUIRED = "acquired", _("Acquis")
    TO_WORK_ON = "to_work_on", _("À travailler")
    NOT_ASSESSED = "not_assessed", _("Non évalué")


class Moment(models.TextChoices):
    START = "start", _("Début de l'action")
    END = "end", _("Fin de l'action")


class Fundamental(models.TextChoices):
    """The fundamentals seed 000 names, each self-assessed on a short scale (1 to 4)."""

    WORDING = "wording", _("Mettre des mots sur sa situation")
    PROJECT = "project", _("Exprimer un projet et des objectifs")
    PERMISSION = "permission", _("S'autoriser à entreprendre")
    AUTONOMY = "autonomy", _("Autonomie et capacités perçues")
    CONFIDENCE = "confidence", _("Confiance en soi")
    MOTIVATION = "motivation", _("Motivation")


class SelfAssessmentScore(models.IntegerChoices):
    NOT_AT_ALL = 1, _("1 — Pas du tout")
    A_LITTLE = 2, _("2 — Un peu")
    RATHER = 3, _("3 — Plutôt")
    FULLY = 4, _("4 — Tout à fait")


class SheetKind(models.TextChoices):
    INTERIM = "interim", _("Fiche de suivi intermédiaire")
    FINAL = "final", _("Fiche de suivi de fin d'action")


class RecommendationAxis(models.TextChoices):
    """The working axes a provider recommends for the rest of the pathway."""

    EMPLOYMENT = "employment", _("Emploi et recherche d'emploi")
    TRAINING = "training", _("Formation et qualification")
    FRENCH = "french", _("Français")
    BASIC_SKILLS = "basic_skills", _("Compétences de base (CléA)")
    MOBILITY = "mobility", _("Mobilité")
    PROJECT = "project", _("Projet professionnel")
    SOCIAL = "social", _("Accompagnement social")
    OTHER = "other", _("Autre")


# The satisfaction survey (issue 13, §1).
class QuestionKind(models.TextChoices):
    SCALE = "scale", _("Échelle de 1 à 4")
    CHOICE = "choice", _("Un choix parmi plusieurs")
    TEXT = "text", _("Texte libre")


# The four steps of a scale question when the survey gives none; 3 and 4 count as satisfied.
SCALE_LABELS = ["Non, pas du tout", "Plutôt non", "Plutôt oui", "Oui, tout à fait"]
SATISFIED = (3, 4)
