"""A pathway from its entry file to its exit: the situation at entry, eligibility assessments,
steps and their catalogue, contacts, changes of référent and the six-month follow-up."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from plie.core import formatting
from plie.core.versioning import Versioned
from plie.participants.enums import (
    Autonomy,
    EligibilityVerdict,
    ExitReason,
    LabourMarketStatus,
    PathwayStatus,
    ProjectMaturity,
)
from plie.participants.models import YES_NO, Participant
from plie.participants.validators import not_in_future
from plie.pathways.enums import (
    JOB_CATEGORIES,
    ContactMode,
    FollowUpSituation,
    StepCategory,
    StepOutcome,
)


class PathwayQuerySet(models.QuerySet):
    def for_user(self, user):
        participants = Participant.objects.for_user(user)
        if not participants.query.where:
            # Everyone's (the coordination team): a subquery over every participant would
            # only cost time, on each of the worklists' queries (docs/performance.md).
            return self.all()
        return self.filter(participant__in=participants)


class Pathway(Versioned):
    """One accompaniment from entry to exit, with the situation recorded at entry."""

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="pathways"
    )
    external_id = models.CharField(
        _("identifiant externe"), max_length=64, unique=True, null=True, blank=True
    )
    number = models.PositiveSmallIntegerField(_("numéro de parcours"), default=1)
    referral = models.OneToOneField(
        "participants.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pathway",
    )
    status = models.CharField(
        _("état"), max_length=20, choices=PathwayStatus, default=PathwayStatus.DRAFT
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="pathways",
        verbose_name=_("référent(e)"),
    )
    entry_date = models.DateField(_("date d'entrée"), null=True, blank=True)
    exit_date = models.DateField(_("date de sortie"), null=True, blank=True)
    exit_reason = models.CharField(
        _("motif de sortie"), max_length=30, choices=ExitReason, blank=True
    )
    # For a positive exit: the protocol's condition met, as evaluated when it was validated.
    exit_condition = models.CharField(_("condition de sortie positive"), max_length=50, blank=True)
    exit_condition_label = models.CharField(
        _("libellé de la condition"), max_length=200, blank=True
    )
    # Written in a box of several lines at the committee: a long text, line breaks kept.
    exit_detail = models.TextField(
        _("précisions sur la sortie"),
        max_length=1000,
        blank=True,
        validators=[MaxLengthValidator(1000)],
    )

    # Situation at entry (FSE+ entry data included).
    labour_market_status = models.CharField(
        _("situation sur le marché du travail"),
        max_length=30,
        choices=LabourMarketStatus,
        blank=True,
    )
    registered_job_seeker = models.BooleanField(_("inscrit(e) à France Travail"), **YES_NO)
    out_of_work_since = models.DateField(
        _("sans emploi depuis le"), null=True, blank=True, validators=[not_in_future]
    )
    education_level = models.ForeignKey(
        "territory.EducationLevel",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("niveau de formation"),
    )
    highest_diploma = models.CharField(_("diplôme le plus élevé"), max_length=200, blank=True)
    lacks_basic_skills = models.BooleanField(_("ne maîtrise pas les compétences de base"), **YES_NO)
    receives_rsa = models.BooleanField(_("bénéficiaire du RSA"), **YES_NO)
    receives_other_minimum_benefits = models.BooleanField(
        _("bénéficiaire d'un autre minimum social (ASS, AAH…)"), **YES_NO
    )
    socio_professional_orientation = models.BooleanField(
        _("orientation socioprofessionnelle (minima sociaux)"), **YES_NO
    )
    single_parent = models.BooleanField(_("parent isolé"), **YES_NO)
    dependent_children = models.PositiveSmallIntegerField(
        _("enfants à charge"), null=True, blank=True
    )
    homeless_or_housing_exclusion = models.BooleanField(
        _("sans domicile ou exclu(e) du logement"), **YES_NO
    )
    disability = models.BooleanField(_("handicap reconnu (RQTH)"), **YES_NO)
    long_term_illness = models.BooleanField(_("affection de longue durée"), **YES_NO)
    followed_by_cap_emploi = models.BooleanField(_("accompagné(e) par Cap emploi"), **YES_NO)
    justice_measure = models.BooleanField(_("sous main de justice"), **YES_NO)
    far_from_institutions = models.BooleanField(
        _("Personne « invisible » : hors des radars des institutions"), **YES_NO
    )
    siae_employee = models.BooleanField(_("salarié(e) en insertion (SIAE)"), **YES_NO)
    wishes_to_commit = models.BooleanField(
        _("souhaite s'engager dans un parcours vers l'emploi"), **YES_NO
    )
    barriers = models.ManyToManyField(
        "territory.BarrierType", blank=True, verbose_name=_("freins périphériques")
    )
    project_maturity = models.PositiveSmallIntegerField(
        _("maturité du projet professionnel"), choices=ProjectMaturity, null=True, blank=True
    )
    autonomy = models.PositiveSmallIntegerField(
        _("autonomie"), choices=Autonomy, null=True, blank=True
    )
    entry_notes = models.TextField(
        _("observations du diagnostic"),
        max_length=4000,
        blank=True,
        validators=[MaxLengthValidator(4000)],
    )

    created_at = models.DateTimeField(auto_now_add=True)

    objects = PathwayQuerySet.as_manager()

    class Meta:
        db_table = "participants_pathway"  # the tables kept their first names
        ordering = ["participant", "-number"]
        verbose_name = _("parcours")
        verbose_name_plural = _("parcours")
        constraints = [
            models.UniqueConstraint(fields=["participant", "number"], name="pathway_unique_number")
        ]
        # No index on (status, entry_date): the figures read a year of pathways (40 % of
        # them), and SQLite, which keeps no statistics, took such an index for them and
        # ran four times slower than a plain scan (docs/performance.md).

    def __str__(self) -> str:
        return f"Parcours n° {self.number} de {self.participant}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from plie.core.months import add_months

        birth_date = self.participant.birth_date if self.participant_id else None
        since = self.out_of_work_since
        if since and birth_date and since < add_months(birth_date, 14 * 12):
            raise ValidationError(
                {
                    "out_of_work_since": (
                        f"Le {formatting.day(since)}, la personne avait moins de 14 ans : "
                        "vérifiez l'année de la fin du dernier emploi."
                    )
                }
            )

    def get_additional_data(self) -> dict:
        return {"participant_id": self.participant_id}


# The entry file as the référent fills it in, in its order: its form and its summary on the
# participant page both read this list (the summary shows the barriers in its own way and
# leaves out the diagnostic's free text).
ENTRY_FILE_FIELDS = (
    "wishes_to_commit",
    "labour_market_status",
    "registered_job_seeker",
    "out_of_work_since",
    "education_level",
    "highest_diploma",
    "lacks_basic_skills",
    "receives_rsa",
    "receives_other_minimum_benefits",
    "socio_professional_orientation",
    "single_parent",
    "dependent_children",
    "homeless_or_housing_exclusion",
    "disability",
    "long_term_illness",
    "followed_by_cap_emploi",
    "justice_measure",
    "far_from_institutions",
    "siae_employee",
    "barriers",
    "project_maturity",
    "autonomy",
    "entry_notes",
)


class EligibilityAssessment(models.Model):
    """A verdict kept with the protocol version and the facts it was computed from."""

    pathway = models.ForeignKey(
        Pathway, on_delete=models.CASCADE, related_name="eligibility_assessments"
    )
    protocol = models.ForeignKey("programme.Protocol", on_delete=models.PROTECT, related_name="+")
    protocol_version = models.CharField(max_length=20)
    evaluated_at = models.DateTimeField(auto_now_add=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    verdict = models.CharField(_("résultat"), max_length=20, choices=EligibilityVerdict)
    explanation = models.JSONField(_("explication"))
    facts = models.JSONField(_("données utilisées"))

    class Meta:
        db_table = "participants_eligibilityassessment"
        ordering = ["-evaluated_at", "-pk"]
        verbose_name = _("examen d'éligibilité")
        verbose_name_plural = _("examens d'éligibilité")

    def __str__(self) -> str:
        return f"Examen d'éligibilité : {self.get_verdict_display()}"

    def get_additional_data(self) -> dict:
        return {"participant_id": self.pathway.participant_id}


class StepType(models.Model):
    """The catalogue of step types, kept as data (loaded by a migration, edited in admin)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label = models.CharField(_("libellé"), max_length=150)
    category = models.CharField(_("famille"), max_length=30, choices=StepCategory)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_active = models.BooleanField(_("proposé à la saisie"), default=True)

    class Meta:
        ordering = ["order", "label"]
        verbose_name = _("type d'étape")
        verbose_name_plural = _("types d'étapes")

    def __str__(self) -> str:
        return self.label


def running_on(day, prefix: str = "") -> models.Q:
    """Steps going on at `day`, as `core.months.covers`: started on or before it and not
    ended before it (a step's end date is its last day, a day it is held)."""
    return models.Q(**{f"{prefix}start_date__lte": day}) & (
        models.Q(**{f"{prefix}end_date__isnull": True})
        | models.Q(**{f"{prefix}end_date__gte": day})
    )


IN_EFFECT = models.Q(withdrawn_at__isnull=True)


class InEffectManager(models.Manager):
    """The default manager of steps and contacts: the rows in effect, without those withdrawn.

    A step or contact entered by mistake is withdrawn, never deleted: it stays in the
    database (the participant page, the history and the journal show it) and counts nowhere.
    Every figure, list, rule, export and check reads steps and contacts through this
    manager or through a relation (`pathway.steps`, a prefetch), which Django builds from the
    default manager; `including_withdrawn` reads them all. A query that joins them from the
    pathway (`steps__…`) bypasses it: filter `…__withdrawn_at__isnull=True` there
    (tests/pathways/test_withdrawn.py checks every query of the figures and lists).
    """

    def get_queryset(self):
        return super().get_queryset().filter(IN_EFFECT)


class WithdrawableQuerySet(models.QuerySet):
    def withdrawn(self):
        return self.filter(withdrawn_at__isnull=False)


class Withdrawable(models.Model):
    """Who withdrew a row entered by mistake, when, and why (a reason is required)."""

    withdrawn_at = models.DateTimeField(_("retiré(e) le"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("retiré(e) par"),
    )
    withdrawal_reason = models.CharField(_("motif du retrait"), max_length=500, blank=True)

    class Meta:
        abstract = True

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


def withdrawal_constraint(name: str) -> models.CheckConstraint:
    """A withdrawn row has its reason; a row in effect has none."""
    return models.CheckConstraint(
        condition=(IN_EFFECT & models.Q(withdrawal_reason=""))
        | (models.Q(withdrawn_at__isnull=False) & ~models.Q(withdrawal_reason="")),
        name=name,
    )


class StepQuerySet(WithdrawableQuerySet):
    def ongoing_on(self, day):
        """Going on at `day` (`running_on`)."""
        return self.filter(running_on(day))


class Step(Versioned, Withdrawable):
    """One step of a pathway: a job, an IAE contract, a training, an immersion, an action..."""

    pathway = models.ForeignKey("pathways.Pathway", on_delete=models.CASCADE, related_name="steps")
    external_id = models.CharField(
        _("identifiant externe"), max_length=64, unique=True, null=True, blank=True
    )
    step_type = models.ForeignKey(StepType, on_delete=models.PROTECT, verbose_name=_("type"))
    organisation_name = models.CharField(_("employeur ou organisme"), max_length=200, blank=True)
    start_date = models.DateField(_("date de début"))
    planned_end_date = models.DateField(_("fin prévue"), null=True, blank=True)
    end_date = models.DateField(_("fin réelle"), null=True, blank=True, validators=[not_in_future])
    weekly_hours = models.DecimalField(
        _("heures par semaine"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    part_time_agreed = models.BooleanField(
        _("temps partiel choisi par la personne"),
        default=False,
        help_text=_("Cochez si la personne a donné son accord pour moins d'un mi-temps."),
    )
    outcome = models.CharField(
        _("issue"), max_length=20, choices=StepOutcome, default=StepOutcome.IN_PROGRESS
    )
    notes = models.TextField(
        _("observations"), max_length=2000, blank=True, validators=[MaxLengthValidator(2000)]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = InEffectManager.from_queryset(StepQuerySet)()
    including_withdrawn = StepQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("étape de parcours")
        verbose_name_plural = _("étapes de parcours")
        # With end_date, "a step running on a day" is read from the index alone: the
        # caseload at a date checks it for every pathway present (docs/performance.md).
        # withdrawn_at is in it too, as every figure reads it (InEffectManager): a partial
        # index (WHERE withdrawn_at IS NULL) would no longer be read alone by SQLite 3.40.
        indexes = [
            models.Index(
                fields=["pathway", "start_date", "end_date", "withdrawn_at"],
                name="step_dates_idx",
            ),
            # The worklists' "steps that end soon": only ongoing steps, a few thousand among
            # hundreds of thousands; without it both engines read every step.
            models.Index(
                fields=["planned_end_date"],
                condition=models.Q(end_date__isnull=True) & IN_EFFECT,
                name="step_ongoing_planned_end_idx",
            ),
        ]
        constraints = [withdrawal_constraint("step_withdrawal_has_reason")]

    def __str__(self) -> str:
        return f"{self.step_type} du {formatting.day(self.start_date)}"

    @property
    def is_job(self) -> bool:
        return self.step_type.category in JOB_CATEGORIES

    def get_additional_data(self) -> dict:
        return {"participant_id": self.pathway.participant_id}


class Contact(Versioned, Withdrawable):
    """A contact between the référent and the participant; the summary is sensitive."""

    pathway = models.ForeignKey(
        "pathways.Pathway", on_delete=models.CASCADE, related_name="contacts"
    )
    external_id = models.CharField(
        _("identifiant externe"), max_length=64, unique=True, null=True, blank=True
    )
    contacted_on = models.DateField(_("date"), validators=[not_in_future])
    mode = models.CharField(_("forme"), max_length=20, choices=ContactMode)
    duration_minutes = models.PositiveSmallIntegerField(_("durée (minutes)"), null=True, blank=True)
    summary = models.TextField(
        _("compte rendu"), max_length=4000, blank=True, validators=[MaxLengthValidator(4000)]
    )
    next_appointment = models.DateTimeField(_("prochain rendez-vous"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("par"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InEffectManager.from_queryset(WithdrawableQuerySet)()
    including_withdrawn = WithdrawableQuerySet.as_manager()

    class Meta:
        ordering = ["-contacted_on", "-pk"]
        verbose_name = _("contact")
        indexes = [
            models.Index(
                fields=["pathway", "contacted_on", "withdrawn_at"], name="contact_dates_idx"
            )
        ]
        constraints = [withdrawal_constraint("contact_withdrawal_has_reason")]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} du {formatting.day(self.contacted_on)}"

    def get_additional_data(self) -> dict:
        return {"participant_id": self.pathway.participant_id}


class ReferentChange(models.Model):
    """A transfer of a pathway to another référent; the history stays with the pathway."""

    pathway = models.ForeignKey(
        "pathways.Pathway", on_delete=models.CASCADE, related_name="referent_changes"
    )
    changed_on = models.DateField(_("date du changement"))
    previous_referent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    new_referent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("motif"), max_length=500)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-changed_on", "-pk"]
        verbose_name = _("changement de référent")
        verbose_name_plural = _("changements de référent")

    def __str__(self) -> str:
        return f"{self.previous_referent} → {self.new_referent}"

    def get_additional_data(self) -> dict:
        return {"participant_id": self.pathway.participant_id}


class FollowUp(Versioned):
    """The six-month follow-up of an exit into employment."""

    pathway = models.OneToOneField(
        "pathways.Pathway", on_delete=models.CASCADE, related_name="follow_up"
    )
    due_on = models.DateField(_("à faire le"))
    done_on = models.DateField(_("fait le"), null=True, blank=True, validators=[not_in_future])
    situation = models.CharField(
        _("situation"), max_length=20, choices=FollowUpSituation, blank=True
    )
    note = models.CharField(_("précisions"), max_length=1000, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on"]
        verbose_name = _("suivi à six mois")
        verbose_name_plural = _("suivis à six mois")

    def __str__(self) -> str:
        return f"Suivi du {formatting.day(self.due_on)}"

    def get_additional_data(self) -> dict:
        return {"participant_id": self.pathway.participant_id}
