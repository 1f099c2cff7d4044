"""The entry/exit committee: dated meetings and their agenda of proposals with decisions."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from plie.core import formatting
from plie.participants.enums import ExitReason
from plie.participants.validators import not_in_future
from plie.pathways.enums import (
    JOB_CATEGORIES,
    CommitteeDecision,
    CommitteeItemKind,
    ContactMode,
    FollowUpSituation,
    MeetingStatus,
    StepCategory,
    StepOutcome,
)


class CommitteeMeetingQuerySet(models.QuerySet):
    def upcoming(self, today):
        return self.filter(held_on__gte=today, status=MeetingStatus.PLANNED).order_by("held_on")


class CommitteeMeeting(models.Model):
    programme = models.ForeignKey(
        "territory.Programme", on_delete=models.PROTECT, related_name="committee_meetings"
    )
    held_on = models.DateField(_("date de la commission"))
    place = models.CharField(_("lieu"), max_length=200, blank=True)
    status = models.CharField(
        _("état"), max_length=20, choices=MeetingStatus, default=MeetingStatus.PLANNED
    )
    chaired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("présidée par"),
    )

    objects = CommitteeMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("commission d'entrées-sorties")
        verbose_name_plural = _("commissions d'entrées-sorties")

    def __str__(self) -> str:
        return f"Commission du {formatting.day(self.held_on)}"


class CommitteeItem(models.Model):
    """One proposal on the agenda: a pathway to enter (or, later, to exit)."""

    meeting = models.ForeignKey(CommitteeMeeting, on_delete=models.CASCADE, related_name="items")
    pathway = models.ForeignKey(
        "participants.Pathway", on_delete=models.CASCADE, related_name="committee_items"
    )
    kind = models.CharField(_("objet"), max_length=10, choices=CommitteeItemKind)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    proposed_referent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("référent(e) proposé(e)"),
    )
    proposal_note = models.CharField(_("argumentaire"), max_length=1000, blank=True)
    # Exit proposals: what the committee is asked to validate.
    exit_reason = models.CharField(
        _("motif de sortie proposé"), max_length=30, choices=ExitReason, blank=True
    )
    exit_date = models.DateField(_("date de sortie proposée"), null=True, blank=True)
    exit_condition = models.CharField(_("condition de sortie positive"), max_length=50, blank=True)
    exit_condition_label = models.CharField(
        _("libellé de la condition"), max_length=200, blank=True
    )
    exit_detail = models.CharField(_("précisions"), max_length=1000, blank=True)
    decision = models.CharField(
        _("décision"), max_length=20, choices=CommitteeDecision, default=CommitteeDecision.PENDING
    )
    reason = models.CharField(_("motif de la décision"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("dossier présenté en commission")
        verbose_name_plural = _("dossiers présentés en commission")
        indexes = [models.Index(fields=["decision"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.meeting}"

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


class StepQuerySet(models.QuerySet):
    def ongoing_on(self, day):
        """Started on or before `day` and not ended before it."""
        return self.filter(start_date__lte=day).filter(
            models.Q(end_date__isnull=True) | models.Q(end_date__gte=day)
        )


class Step(models.Model):
    """One step of a pathway: a job, an IAE contract, a training, an immersion, an action..."""

    pathway = models.ForeignKey(
        "participants.Pathway", on_delete=models.CASCADE, related_name="steps"
    )
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

    objects = StepQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("étape de parcours")
        verbose_name_plural = _("étapes de parcours")
        # With end_date, "a step running on a day" is read from the index alone: the
        # caseload at a date checks it for every pathway present (docs/performance.md).
        indexes = [
            models.Index(fields=["pathway", "start_date", "end_date"]),
            # The worklists' "steps that end soon": only ongoing steps, a few thousand among
            # hundreds of thousands; without it both engines read every step.
            models.Index(
                fields=["planned_end_date"],
                condition=models.Q(end_date__isnull=True),
                name="step_ongoing_planned_end_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.step_type} du {formatting.day(self.start_date)}"

    @property
    def is_job(self) -> bool:
        return self.step_type.category in JOB_CATEGORIES

    def get_additional_data(self) -> dict:
        return {"participant_id": self.pathway.participant_id}


class Contact(models.Model):
    """A contact between the référent and the participant; the summary is sensitive."""

    pathway = models.ForeignKey(
        "participants.Pathway", on_delete=models.CASCADE, related_name="contacts"
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

    class Meta:
        ordering = ["-contacted_on", "-pk"]
        verbose_name = _("contact")
        indexes = [models.Index(fields=["pathway", "contacted_on"])]

    def __str__(self) -> str:
        return f"{self.get_mode_display()} du {formatting.day(self.contacted_on)}"

    def get_additional_data(self) -> dict:
        return {"participant_id": self.pathway.participant_id}


class ReferentChange(models.Model):
    """A transfer of a pathway to another référent; the history stays with the pathway."""

    pathway = models.ForeignKey(
        "participants.Pathway", on_delete=models.CASCADE, related_name="referent_changes"
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


class FollowUp(models.Model):
    """The six-month follow-up of an exit into employment."""

    pathway = models.OneToOneField(
        "participants.Pathway", on_delete=models.CASCADE, related_name="follow_up"
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
