"""An action, its cohorts and their sessions (issue 12, §1)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from plie.actions.enums import (
    HOLDS_A_PLACE,
    Diagnostic,
    HalfDay,
    ReferralStatus,
    SessionKind,
    SessionStatus,
)
from plie.core import formatting
from plie.core.versioning import Versioned


class ActionQuerySet(models.QuerySet):
    def of_provider(self, organisation_id):
        return self.filter(agreement__provider_id=organisation_id)


class Action(Versioned):
    """A service an agreement funds for PLIE participants (seed 001: a remobilisation action,
    groups of 8 to 12 entering every three weeks; seed 000: workshops and interviews). One
    agreement may fund several actions."""

    programme = models.ForeignKey(
        "territory.Programme", on_delete=models.PROTECT, related_name="actions"
    )
    agreement = models.ForeignKey(
        "agreements.Agreement",
        on_delete=models.PROTECT,
        related_name="actions",
        verbose_name=_("convention"),
    )
    title = models.CharField(_("intitulé"), max_length=200)
    content = models.TextField(
        _("contenu"),
        max_length=5000,
        blank=True,
        help_text=_("Ateliers collectifs, entretiens individuels, thèmes abordés."),
    )
    places = models.PositiveIntegerField(
        _("places sur la période"), help_text=_("Par exemple 120 personnes sur l'année.")
    )
    minimum_per_cohort = models.PositiveSmallIntegerField(
        _("minimum par groupe"), default=8, validators=[MinValueValidator(1)]
    )
    maximum_per_cohort = models.PositiveSmallIntegerField(
        _("maximum par groupe"), default=12, validators=[MinValueValidator(1)]
    )
    starts_on = models.DateField(_("début de la période"))
    ends_on = models.DateField(_("fin de la période"))
    cohort_every_weeks = models.PositiveSmallIntegerField(
        _("une entrée toutes les (semaines)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    cohort_weeks = models.PositiveSmallIntegerField(
        _("durée d'un groupe (semaines)"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
    )
    weekdays = models.JSONField(
        _("jours des ateliers"),
        default=list,
        help_text=_("Jours de la semaine des demi-journées d'atelier (0 = lundi … 4 = vendredi)."),
    )
    half_day = models.CharField(
        _("demi-journée"), max_length=10, choices=HalfDay, default=HalfDay.MORNING
    )
    hours_per_session = models.DecimalField(
        _("heures par demi-journée"),
        max_digits=3,
        decimal_places=1,
        default=Decimal("3.5"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("6"))],
    )
    individual_interviews = models.PositiveSmallIntegerField(
        _("entretiens individuels par personne"), default=0
    )
    diagnostics = models.JSONField(
        _("diagnostics réalisés"),
        default=list,
        blank=True,
        help_text=_("Parmi : " + ", ".join(str(label) for label in Diagnostic.labels)),
    )
    for_new_entrants = models.BooleanField(
        _("destinée aux personnes qui viennent d'entrer"), default=False
    )
    is_open = models.BooleanField(_("ouverte aux orientations"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("créée par"),
    )

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("action")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="action_ends_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(maximum_per_cohort__gte=models.F("minimum_per_cohort")),
                name="action_maximum_above_minimum",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def offers(self, diagnostic: str) -> bool:
        return diagnostic in (self.diagnostics or [])


class CohortQuerySet(models.QuerySet):
    def of_provider(self, organisation_id):
        return self.filter(action__agreement__provider_id=organisation_id)

    def with_places(self):
        """Each cohort with its places taken (`HOLDS_A_PLACE`, as actions/places.py counts
        them) and its waiting list, counted in the same query."""
        return self.annotate(
            taken=models.Count(
                "referrals", filter=models.Q(referrals__status__in=HOLDS_A_PLACE), distinct=True
            ),
            waiting=models.Count(
                "referrals",
                filter=models.Q(referrals__status=ReferralStatus.WAITING),
                distinct=True,
            ),
        )


class Cohort(Versioned):
    """A group of 8 to 12 people who start an action together (seed 001: every three weeks)."""

    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, related_name="cohorts", verbose_name=_("action")
    )
    number = models.PositiveSmallIntegerField(_("numéro"))
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    capacity = models.PositiveSmallIntegerField(_("places"), validators=[MinValueValidator(1)])
    cancelled = models.BooleanField(_("annulé"), default=False)

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["action", "starts_on", "number"]
        verbose_name = _("groupe")
        constraints = [
            models.UniqueConstraint(fields=["action", "number"], name="cohort_unique_number"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="cohort_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"Groupe {self.number} — du {formatting.day(self.starts_on)} "
            f"au {formatting.day(self.ends_on)}"
        )


class Session(Versioned):
    """One half-day of a cohort: a collective workshop, or an individual interview with one
    person of the group. Generated from the action's calendar, then moved, cancelled or added by
    hand; its signed attendance sheet is uploaded against it."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("groupe")
    )
    date = models.DateField(_("date"))
    half_day = models.CharField(_("demi-journée"), max_length=10, choices=HalfDay)
    kind = models.CharField(
        _("nature"), max_length=12, choices=SessionKind, default=SessionKind.WORKSHOP
    )
    topic = models.CharField(_("thème"), max_length=200, blank=True)
    hours = models.DecimalField(
        _("durée (heures)"),
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("6"))],
    )
    referral = models.ForeignKey(
        "actions.ActionReferral",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="interviews",
        verbose_name=_("personne reçue (entretien individuel)"),
    )
    intervener = models.CharField(_("intervenant(e)"), max_length=200, blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=SessionStatus, default=SessionStatus.PLANNED
    )
    cancellation_reason = models.CharField(_("motif de l'annulation"), max_length=300, blank=True)
    moved_from = models.DateField(_("initialement prévue le"), null=True, blank=True)
    added_by_hand = models.BooleanField(_("ajoutée à la main"), default=False)
    signed_sheet = models.ForeignKey(
        "core.StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("feuille d'émargement signée"),
    )

    class Meta:
        ordering = ["date", "half_day", "pk"]
        verbose_name = _("séance")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=SessionKind.WORKSHOP, referral__isnull=True)
                | models.Q(kind=SessionKind.INDIVIDUAL),
                name="session_workshop_has_no_referral",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=SessionStatus.CANCELLED)
                | ~models.Q(cancellation_reason=""),
                name="session_cancellation_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {formatting.day(self.date)}, {self.get_half_day_display().lower()}"
