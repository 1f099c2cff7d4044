"""The participant record: the person, their referrals, first appointments and outreach,
their pathways with the situation at entry, and the eligibility assessments.

A person can come back after an exit: each return is a new `Pathway`. `Participant.status`
and `Participant.referent` are the current state, kept by the services in `services.py`
so that lists and permission checks need no joins.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from plie.core import formatting
from plie.participants.enums import (
    AppointmentOutcome,
    Autonomy,
    EligibilityVerdict,
    ExitReason,
    LabourMarketStatus,
    Nationality,
    OutreachMode,
    OutreachResult,
    ParticipantStatus,
    PathwayStatus,
    ProjectMaturity,
    ReferralOutcome,
    ReferralStatus,
    Sex,
)
from plie.participants.names import name_key
from plie.participants.validators import (
    french_postcode,
    not_in_future,
    phone_number,
    plausible_birth_date,
)

YES_NO = {"null": True, "blank": True}


class ParticipantQuerySet(models.QuerySet):
    def for_user(self, user):
        """Participants a user may open: the coordination team sees all, a référent their own."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_coordination_team:
            return self
        if user.is_referent:
            return self.filter(referent=user)
        return self.none()

    def search(self, text: str):
        """By file number, or by every word typed found in the names, accents and case aside."""
        text = (text or "").strip()
        if not text:
            return self
        words = name_key(text).split()
        names = models.Q()
        for word in words:
            names &= models.Q(name_key__contains=word)
        if not words:
            return self.filter(file_number__iexact=text)
        return self.filter(models.Q(file_number__iexact=text) | names)


class Participant(models.Model):
    programme = models.ForeignKey(
        "territory.Programme", on_delete=models.PROTECT, related_name="participants"
    )
    file_number = models.CharField(_("numéro de dossier"), max_length=20, unique=True)
    external_id = models.CharField(
        _("identifiant externe"), max_length=64, unique=True, null=True, blank=True
    )
    last_name = models.CharField(_("nom"), max_length=100)
    birth_name = models.CharField(_("nom de naissance"), max_length=100, blank=True)
    first_name = models.CharField(_("prénom"), max_length=100)
    # The names as searched: without accents or case (kept by save() and bulk writers).
    name_key = models.CharField(
        _("clé de recherche"), max_length=320, blank=True, editable=False, db_index=True
    )
    sex = models.CharField(_("sexe"), max_length=1, choices=Sex)
    birth_date = models.DateField(
        _("date de naissance"), validators=[not_in_future, plausible_birth_date]
    )
    phone = models.CharField(_("téléphone"), max_length=20, blank=True, validators=[phone_number])
    email = models.EmailField(_("courriel"), max_length=150, blank=True)
    address = models.CharField(_("adresse"), max_length=250, blank=True)
    postcode = models.CharField(
        _("code postal"), max_length=5, blank=True, validators=[french_postcode]
    )
    commune = models.ForeignKey(
        "territory.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("commune de résidence"),
    )
    commune_outside_territory = models.CharField(
        _("commune hors territoire"),
        max_length=100,
        blank=True,
        help_text=_("À remplir seulement si la personne habite hors du territoire du PLIE."),
    )
    qpv = models.ForeignKey(
        "territory.Qpv",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("quartier prioritaire (QPV)"),
    )
    # Sensitive: nationality and right to work.
    nationality = models.CharField(_("nationalité"), max_length=20, choices=Nationality, blank=True)
    right_to_work = models.BooleanField(_("autorisé(e) à travailler en France"), **YES_NO)
    foreign_background = models.BooleanField(
        _("parents nés à l'étranger (origine étrangère, FSE+)"), **YES_NO
    )
    minority = models.BooleanField(
        _("appartenance à une minorité (FSE+, réponse facultative)"), **YES_NO
    )

    status = models.CharField(
        _("situation"), max_length=30, choices=ParticipantStatus, default=ParticipantStatus.REFERRED
    )
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participants",
        verbose_name=_("référent(e)"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("participant(e)")
        indexes = [
            models.Index(fields=["referent", "status"]),
            models.Index(fields=["last_name", "first_name", "birth_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.last_name.upper()} {self.first_name}"

    def save(self, *args, **kwargs):
        self.refresh_name_key()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)

    def refresh_name_key(self) -> None:
        self.name_key = name_key(self.last_name, self.birth_name, self.first_name)

    @property
    def age(self) -> int:
        from django.utils import timezone

        from plie.participants.facts import age_on

        return age_on(self.birth_date, timezone.localdate())

    @property
    def residence_label(self) -> str:
        if self.commune_id:
            return self.commune.name
        return self.commune_outside_territory

    def current_pathway(self):
        return self.pathways.order_by("-number").first()

    def get_additional_data(self) -> dict:
        return {"participant_id": self.pk}


class Referral(models.Model):
    """An orientation by a prescriber, up to the first appointment and its outreach."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="referrals")
    external_id = models.CharField(
        _("identifiant externe"), max_length=64, unique=True, null=True, blank=True
    )
    prescriber = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("prescripteur"),
    )
    prescriber_contact = models.CharField(_("personne qui oriente"), max_length=150, blank=True)
    referred_on = models.DateField(_("date d'orientation"), validators=[not_in_future])
    reason = models.TextField(
        _("motif de l'orientation"), max_length=2000, validators=[MaxLengthValidator(2000)]
    )
    status = models.CharField(
        _("état"),
        max_length=30,
        choices=ReferralStatus,
        default=ReferralStatus.AWAITING_APPOINTMENT,
    )
    outcome = models.CharField(_("issue"), max_length=30, choices=ReferralOutcome, blank=True)
    closed_on = models.DateField(_("clôturée le"), null=True, blank=True)
    closing_note = models.CharField(_("précision sur la clôture"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-referred_on", "-pk"]
        verbose_name = _("orientation")
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"Orientation du {formatting.day(self.referred_on)}"

    @property
    def is_open(self) -> bool:
        return self.status != ReferralStatus.CLOSED

    def get_additional_data(self) -> dict:
        return {"participant_id": self.participant_id}


class Appointment(models.Model):
    """First appointment (or a new one after outreach)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="appointments")
    scheduled_for = models.DateTimeField(_("date et heure"))
    with_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("avec"),
    )
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    outcome = models.CharField(
        _("issue"), max_length=20, choices=AppointmentOutcome, default=AppointmentOutcome.PLANNED
    )

    class Meta:
        ordering = ["-scheduled_for"]
        verbose_name = _("rendez-vous")
        verbose_name_plural = _("rendez-vous")

    def __str__(self) -> str:
        return f"Rendez-vous du {formatting.day(self.scheduled_for)}"

    def get_additional_data(self) -> dict:
        return {"participant_id": self.referral.participant_id}


class OutreachAttempt(models.Model):
    """One attempt to reach a person who did not come ("aller-vers")."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="outreach_attempts"
    )
    attempted_on = models.DateField(_("date"), validators=[not_in_future])
    mode = models.CharField(_("moyen"), max_length=20, choices=OutreachMode)
    result = models.CharField(_("résultat"), max_length=20, choices=OutreachResult)
    note = models.CharField(_("commentaire"), max_length=500, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-attempted_on", "-pk"]
        verbose_name = _("tentative d'aller-vers")
        verbose_name_plural = _("tentatives d'aller-vers")

    def __str__(self) -> str:
        return f"{self.get_mode_display()} du {formatting.day(self.attempted_on)}"

    def get_additional_data(self) -> dict:
        return {"participant_id": self.referral.participant_id}


class Protocol(models.Model):
    """A protocole d'accord and its entry rule, kept as versioned data (see eligibility.py)."""

    programme = models.ForeignKey(
        "territory.Programme", on_delete=models.PROTECT, related_name="protocols"
    )
    name = models.CharField(_("nom"), max_length=150)
    version = models.CharField(_("version"), max_length=20)
    valid_from = models.DateField(_("en vigueur du"))
    valid_until = models.DateField(_("au"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    entry_rule = models.JSONField(_("règle d'entrée"))
    exit_rules = models.JSONField(_("règles de sortie positive"), default=list, blank=True)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("protocole")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name", "version"], name="protocol_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"

    def clean(self):
        from django.core.exceptions import ValidationError

        from plie.participants.eligibility import RuleError, validate_rule
        from plie.pathways.positive_exit import RuleError as ExitRuleError
        from plie.pathways.positive_exit import validate_rules

        try:
            validate_rule(self.entry_rule)
        except RuleError as error:
            raise ValidationError({"entry_rule": str(error)}) from error
        from plie.pathways.models import StepType

        try:
            validate_rules(
                self.exit_rules,
                known_step_types=set(StepType.objects.values_list("code", flat=True)),
            )
        except ExitRuleError as error:
            raise ValidationError({"exit_rules": str(error)}) from error


class PathwayQuerySet(models.QuerySet):
    def for_user(self, user):
        participants = Participant.objects.for_user(user)
        if not participants.query.where:
            # Everyone's (the coordination team): a subquery over every participant would
            # only cost time, on each of the worklists' queries (docs/performance.md).
            return self.all()
        return self.filter(participant__in=participants)


class Pathway(models.Model):
    """One accompaniment from entry to exit, with the situation recorded at entry."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="pathways")
    external_id = models.CharField(
        _("identifiant externe"), max_length=64, unique=True, null=True, blank=True
    )
    number = models.PositiveSmallIntegerField(_("numéro de parcours"), default=1)
    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="pathway"
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
    exit_detail = models.CharField(_("précisions sur la sortie"), max_length=1000, blank=True)

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


class EligibilityAssessment(models.Model):
    """A verdict kept with the protocol version and the facts it was computed from."""

    pathway = models.ForeignKey(
        Pathway, on_delete=models.CASCADE, related_name="eligibility_assessments"
    )
    protocol = models.ForeignKey(Protocol, on_delete=models.PROTECT, related_name="+")
    protocol_version = models.CharField(max_length=20)
    evaluated_at = models.DateTimeField(auto_now_add=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    verdict = models.CharField(_("résultat"), max_length=20, choices=EligibilityVerdict)
    explanation = models.JSONField(_("explication"))
    facts = models.JSONField(_("données utilisées"))

    class Meta:
        ordering = ["-evaluated_at", "-pk"]
        verbose_name = _("examen d'éligibilité")
        verbose_name_plural = _("examens d'éligibilité")

    def __str__(self) -> str:
        return f"Examen d'éligibilité : {self.get_verdict_display()}"

    def get_additional_data(self) -> dict:
        return {"participant_id": self.pathway.participant_id}
