"""The entry/exit committee: dated meetings and their agenda of proposals with decisions."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from plie.committee.enums import CommitteeDecision, CommitteeItemKind, MeetingStatus
from plie.core import formatting
from plie.core.versioning import Versioned
from plie.participants.enums import ExitReason


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
        db_table = "pathways_committeemeeting"  # the tables kept their first names
        ordering = ["-held_on"]
        verbose_name = _("commission d'entrées-sorties")
        verbose_name_plural = _("commissions d'entrées-sorties")

    def __str__(self) -> str:
        return f"Commission du {formatting.day(self.held_on)}"


class CommitteeItemQuerySet(models.QuerySet):
    def pending(self):
        """Awaiting the committee's decision (a withdrawn proposal is not)."""
        return self.filter(decision=CommitteeDecision.PENDING)

    def on_agenda(self):
        """Every item examined or to examine: the withdrawn proposals aside."""
        return self.exclude(decision=CommitteeDecision.WITHDRAWN)

    def withdrawn(self):
        return self.filter(decision=CommitteeDecision.WITHDRAWN)


class CommitteeItem(Versioned):
    """One proposal on the agenda: a pathway to enter or to exit. A proposal withdrawn
    before the decision stays, marked « Retirée » with who withdrew it and when."""

    meeting = models.ForeignKey(CommitteeMeeting, on_delete=models.CASCADE, related_name="items")
    pathway = models.ForeignKey(
        "pathways.Pathway", on_delete=models.CASCADE, related_name="committee_items"
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
    # Written in a box of several lines (committee/forms.py): a long text, line breaks kept.
    exit_detail = models.TextField(
        _("précisions"), max_length=1000, blank=True, validators=[MaxLengthValidator(1000)]
    )
    decision = models.CharField(
        _("décision"), max_length=20, choices=CommitteeDecision, default=CommitteeDecision.PENDING
    )
    reason = models.CharField(_("motif de la décision"), max_length=1000, blank=True)
    # Who recorded the decision and when; for a withdrawn proposal, who withdrew it and when.
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = CommitteeItemQuerySet.as_manager()

    class Meta:
        db_table = "pathways_committeeitem"
        ordering = ["meeting", "pk"]
        verbose_name = _("dossier présenté en commission")
        verbose_name_plural = _("dossiers présentés en commission")
        indexes = [models.Index(fields=["decision"])]
        constraints = [
            # One entry and one exit awaiting decision per pathway at most, whoever proposes.
            models.UniqueConstraint(
                fields=["pathway", "kind"],
                condition=models.Q(decision=CommitteeDecision.PENDING),
                name="committee_one_pending_item_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.meeting}"

    def get_additional_data(self) -> dict:
        return {"participant_id": self.pathway.participant_id}
