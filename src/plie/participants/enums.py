from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "F", _("Femme")
    MALE = "M", _("Homme")
    NON_BINARY = "X", _("Non binaire")


class Nationality(models.TextChoices):
    FRENCH = "french", _("Française")
    EUROPEAN = "eu", _("Ressortissant(e) de l'Union européenne")
    THIRD_COUNTRY = "third_country", _("Ressortissant(e) de pays tiers")


class LabourMarketStatus(models.TextChoices):
    UNEMPLOYED = "unemployed", _("Demandeur ou demandeuse d'emploi (inscrit·e ou non)")
    REDUCED_ACTIVITY = "reduced_activity", _("En activité réduite subie")
    INACTIVE = "inactive", _("Inactif ou inactive")
    EMPLOYED = "employed", _("En emploi salarié")
    SELF_EMPLOYED = "self_employed", _("Travailleur ou travailleuse indépendant·e")


class ReferralStatus(models.TextChoices):
    AWAITING_APPOINTMENT = "awaiting_appointment", _("Premier rendez-vous à fixer")
    APPOINTMENT_PLANNED = "appointment_planned", _("Premier rendez-vous fixé")
    OUTREACH = "outreach", _("Aller-vers en cours")
    MET = "met", _("Personne reçue")
    CLOSED = "closed", _("Clôturée")


class ReferralOutcome(models.TextChoices):
    ENTERED = "entered", _("Entrée dans le PLIE")
    DECLINED = "declined", _("Refus de la personne")
    UNREACHABLE = "unreachable", _("Personne injoignable")
    NOT_ELIGIBLE = "not_eligible", _("Non éligible")
    COMMITTEE_REFUSED = "committee_refused", _("Entrée refusée par la commission")
    REDIRECTED = "redirected", _("Orientée vers un autre dispositif")
    ENTERED_BY_MISTAKE = "entered_by_mistake", _("Erreur de saisie ou doublon")


class AppointmentOutcome(models.TextChoices):
    PLANNED = "planned", _("Prévu")
    ATTENDED = "attended", _("Venu(e)")
    NO_SHOW = "no_show", _("Absent(e)")
    CANCELLED = "cancelled", _("Annulé")


class OutreachMode(models.TextChoices):
    CALL = "call", _("Appel téléphonique")
    SMS = "sms", _("SMS")
    LETTER = "letter", _("Courrier")
    EMAIL = "email", _("Courriel")
    VISIT = "visit", _("Visite à domicile")
    PRESCRIBER = "prescriber", _("Relais par le prescripteur")


class OutreachResult(models.TextChoices):
    NO_ANSWER = "no_answer", _("Sans réponse")
    REACHED = "reached", _("Personne jointe")
    NEW_APPOINTMENT = "new_appointment", _("Nouveau rendez-vous fixé")


class ParticipantStatus(models.TextChoices):
    REFERRED = "referred", _("Orienté(e), à recevoir")
    OUTREACH = "outreach", _("Aller-vers en cours")
    ENTRY_IN_PROGRESS = "entry_in_progress", _("Dossier d'entrée en cours")
    PROPOSED = "proposed", _("Proposé(e) en commission")
    ACTIVE = "active", _("En parcours")
    EXITED = "exited", _("Sorti(e)")
    CLOSED = "closed", _("Orientation close sans entrée")


class PathwayStatus(models.TextChoices):
    DRAFT = "draft", _("Dossier d'entrée en cours")
    PROPOSED = "proposed", _("Proposé en commission")
    ACTIVE = "active", _("En parcours")
    REFUSED = "refused", _("Entrée refusée")
    ABANDONED = "abandoned", _("Entrée abandonnée")
    EXITED = "exited", _("Sorti")


class ProjectMaturity(models.IntegerChoices):
    NONE = 1, _("1 — Pas de projet professionnel")
    EMERGING = 2, _("2 — Projet à construire")
    DEFINED = 3, _("3 — Projet défini, à confirmer")
    VALIDATED = 4, _("4 — Projet validé, prêt à l'emploi ou à la formation")


class Autonomy(models.IntegerChoices):
    LOW = 1, _("1 — Besoin d'un accompagnement très soutenu")
    PARTIAL = 2, _("2 — Autonomie partielle")
    GOOD = 3, _("3 — Autonome avec appui ponctuel")
    FULL = 4, _("4 — Pleinement autonome")


class EligibilityVerdict(models.TextChoices):
    ELIGIBLE = "eligible", _("Éligible")
    NOT_ELIGIBLE = "not_eligible", _("Non éligible")
    UNDECIDED = "undecided", _("Impossible de conclure")


class ExitReason(models.TextChoices):
    POSITIVE = "positive", _("Sortie positive (emploi durable ou formation qualifiante)")
    MOVED = "moved", _("Déménagement hors du territoire")
    HEALTH = "health", _("Raisons de santé")
    ABANDONED = "abandoned", _("Abandon du parcours")
    END_OF_ELIGIBILITY = "end_of_eligibility", _("Fin d'éligibilité")
    MAXIMUM_DURATION = "maximum_duration", _("Durée maximale de parcours atteinte")
    OTHER_SCHEME = "other_scheme", _("Orientation vers un autre dispositif")
    RETIREMENT = "retirement", _("Départ à la retraite")
    DEATH = "death", _("Décès")
    OTHER = "other", _("Autre motif")


# « For health reasons » is health data (the personal-data register: the exit reason's
# sensitive values). For those who may not read it, a health exit reads as one label shared
# by every non-positive, non-neutral reason, so that nobody under it can be taken for a
# health exit (folded into « Autre motif » alone, it named them all where the PLIE records
# no other « Autre motif »).
MERGED_WHEN_HIDDEN = frozenset(
    {
        ExitReason.HEALTH,
        ExitReason.ABANDONED,
        ExitReason.END_OF_ELIGIBILITY,
        ExitReason.MAXIMUM_DURATION,
        ExitReason.OTHER_SCHEME,
        ExitReason.OTHER,
    }
)
HIDDEN_EXIT_REASON = "Sortie non positive (motif non détaillé)"

# Excluded from the positive-exit rate's denominator (AVE practice, docs/indicators.md).
NEUTRAL_EXIT_REASONS = frozenset({ExitReason.MOVED, ExitReason.RETIREMENT, ExitReason.DEATH})
