"""A référent's referral of a participant to an action, the attendance at its sessions, the
provider's follow-up sheets with recommendations, and the thread between provider and référent
about that referral (issue 12, §2, §3, §5)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plie.actions.enums import (
    DropOutReason,
    Presence,
    RecommendationAxis,
    ReferralStatus,
    SheetKind,
)
from plie.core import formatting
from plie.core.versioning import Versioned


class ActionReferralQuerySet(models.QuerySet):
    def of_provider(self, organisation_id):
        return self.filter(action__agreement__provider_id=organisation_id)


class ActionReferral(Versioned):
    """A participant referred to an action (or one of its cohorts) by a référent: what is
    expected, why, and what the provider may see of the person (fields chosen through the
    personal-data register, never a sensitive one). Accepted, it holds a place in a cohort and
    becomes a step « Action du PLIE » of the pathway, which its outcome closes."""

    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.CASCADE,
        related_name="action_referrals",
        verbose_name=_("participant"),
    )
    pathway = models.ForeignKey(
        "pathways.Pathway",
        on_delete=models.PROTECT,
        related_name="action_referrals",
        verbose_name=_("parcours"),
    )
    action = models.ForeignKey(
        "actions.Action",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("action"),
    )
    cohort = models.ForeignKey(
        "actions.Cohort",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("groupe"),
    )
    proposed_cohort = models.ForeignKey(
        "actions.Cohort",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("groupe proposé par le prestataire"),
    )
    expected_diagnostics = models.JSONField(_("diagnostics attendus"), default=list, blank=True)
    reason = models.TextField(_("motif de l'orientation"), max_length=2000)
    shared_fields = models.JSONField(
        _("informations transmises au prestataire"),
        default=list,
        blank=True,
        help_text=_("Champs du registre des données personnelles que le prestataire peut lire."),
    )
    status = models.CharField(
        _("état"), max_length=20, choices=ReferralStatus, default=ReferralStatus.SENT
    )
    decline_reason = models.CharField(_("motif du refus"), max_length=500, blank=True)
    answered_at = models.DateTimeField(_("réponse du prestataire le"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("réponse donnée par"),
    )
    step = models.OneToOneField(
        "pathways.Step",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="action_referral",
        verbose_name=_("étape du parcours"),
    )
    ended_on = models.DateField(_("fin de l'action pour la personne"), null=True, blank=True)
    drop_out_reason = models.CharField(
        _("motif de l'abandon"), max_length=20, choices=DropOutReason, blank=True
    )
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("orientée par"),
    )

    objects = ActionReferralQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("orientation vers une action")
        verbose_name_plural = _("orientations vers une action")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=ReferralStatus.DECLINED) | ~models.Q(decline_reason=""),
                name="action_referral_decline_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ReferralStatus.DROPPED_OUT)
                | ~models.Q(drop_out_reason=""),
                name="action_referral_drop_out_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Orientation vers « {self.action} »"

    def get_additional_data(self) -> dict:
        return {"participant_id": self.participant_id}


class Attendance(models.Model):
    """Whether a person referred to a cohort came to one session (present, absent, excused)."""

    session = models.ForeignKey(
        "actions.Session",
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("séance"),
    )
    referral = models.ForeignKey(
        ActionReferral,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("orientation"),
    )
    presence = models.CharField(_("présence"), max_length=10, choices=Presence)
    recorded_at = models.DateTimeField(_("saisie le"), auto_now=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("saisie par"),
    )

    class Meta:
        ordering = ["session", "referral"]
        verbose_name = _("présence")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "referral"], name="attendance_once_per_session"
            )
        ]

    def __str__(self) -> str:
        return str(self.get_presence_display())

    def get_additional_data(self) -> dict:
        return {"participant_id": self.referral.participant_id}


class FollowUpSheet(Versioned):
    """What the provider sends the référent about a participant, during or at the end of the
    action (seed 001: « une fiche de suivi » for each participant; seed 000: recommendations
    for the rest of the pathway). Sent, it can no longer be changed."""

    referral = models.ForeignKey(
        ActionReferral,
        on_delete=models.CASCADE,
        related_name="follow_up_sheets",
        verbose_name=_("orientation"),
    )
    kind = models.CharField(_("nature"), max_length=10, choices=SheetKind)
    observations = models.TextField(_("déroulement et observations"), max_length=5000)
    sent_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)
    written_at = models.DateTimeField(_("écrite le"), auto_now_add=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("écrite par"),
    )

    class Meta:
        ordering = ["referral", "written_at", "pk"]
        verbose_name = _("fiche de suivi")
        verbose_name_plural = _("fiches de suivi")

    def __str__(self) -> str:
        return str(self.get_kind_display())

    def get_additional_data(self) -> dict:
        return {"participant_id": self.referral.participant_id}


class Recommendation(models.Model):
    """One working axis a follow-up sheet recommends for the rest of the pathway."""

    sheet = models.ForeignKey(
        FollowUpSheet,
        on_delete=models.CASCADE,
        related_name="recommendations",
        verbose_name=_("fiche de suivi"),
    )
    axis = models.CharField(_("axe de travail"), max_length=20, choices=RecommendationAxis)
    text = models.TextField(_("préconisation"), max_length=2000)

    class Meta:
        ordering = ["sheet", "pk"]
        verbose_name = _("préconisation")

    def __str__(self) -> str:
        return str(self.get_axis_display())


class ReferralMessage(models.Model):
    """One message of the thread between the provider and the référent about a referral."""

    referral = models.ForeignKey(
        ActionReferral,
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("orientation"),
    )
    body = models.TextField(_("message"), max_length=3000)
    sent_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("auteur"),
    )

    class Meta:
        ordering = ["referral", "sent_at", "pk"]
        verbose_name = _("message sur une orientation")
        verbose_name_plural = _("messages sur une orientation")

    def __str__(self) -> str:
        return f"Message du {formatting.moment(self.sent_at)}"

    def get_additional_data(self) -> dict:
        return {"participant_id": self.referral.participant_id}
