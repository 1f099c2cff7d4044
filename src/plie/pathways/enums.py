from django.db import models
from django.utils.translation import gettext_lazy as _


class StepCategory(models.TextChoices):
    EMPLOYMENT = "employment", _("Emploi")
    IAE = "iae", _("Insertion par l'activité économique (IAE)")
    TRAINING = "training", _("Formation")
    IMMERSION = "immersion", _("Immersion en entreprise")
    BUSINESS_CREATION = "business_creation", _("Création ou reprise d'entreprise")
    ASSESSMENT = "assessment", _("Bilan et orientation")
    PLIE_ACTION = "plie_action", _("Action du PLIE")
    SOCIAL_SUPPORT = "social_support", _("Accompagnement social")
    JOB_SEARCH = "job_search", _("Aide à la recherche d'emploi")


# Categories that are a job: weekly hours are asked and overlapping jobs are checked.
JOB_CATEGORIES = frozenset({StepCategory.EMPLOYMENT, StepCategory.IAE})


class StepOutcome(models.TextChoices):
    IN_PROGRESS = "in_progress", _("En cours")
    COMPLETED = "completed", _("Terminée comme prévu")
    SUCCEEDED = "succeeded", _("Réussie (diplôme, certification, embauche)")
    ENDED_EARLY = "ended_early", _("Interrompue")
    NOT_STARTED = "not_started", _("Non commencée")


class ContactMode(models.TextChoices):
    INDIVIDUAL = "individual", _("Entretien individuel")
    COLLECTIVE = "collective", _("Entretien collectif, atelier")
    PHONE = "phone", _("Appel téléphonique")
    HOME_VISIT = "home_visit", _("Visite à domicile")
    MESSAGE = "message", _("Message (courriel, SMS)")
    VIDEO = "video", _("Visioconférence")


class FollowUpSituation(models.TextChoices):
    SAME_JOB = "same_job", _("Toujours dans le même emploi")
    OTHER_JOB = "other_job", _("Dans un autre emploi")
    TRAINING = "training", _("En formation")
    JOB_SEEKER = "job_seeker", _("Sans emploi")
    UNKNOWN = "unknown", _("Situation inconnue (personne non jointe)")
