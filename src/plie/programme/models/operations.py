"""The annual programme (« programmation annuelle », seed 000 § E): a year of the PLIE holds
operations of five kinds, each with its carrier, its budget and funding plan, its targets and
its state. The rules on them are plain functions (funding.py, states.py) applied by the
services (services.py)."""

import datetime
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plie.programme.enums import Funder, OperationKind, OperationState
from plie.programme.funding import FundingPlan, funding_plan

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}


class ProgrammeYear(models.Model):
    """One year of a PLIE's programme: its operations and, from them, its budget."""

    programme = models.ForeignKey(
        "territory.Programme", on_delete=models.PROTECT, related_name="programme_years"
    )
    year = models.PositiveSmallIntegerField(
        _("année"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("programmation annuelle")
        verbose_name_plural = _("programmations annuelles")
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="programme_year_unique")
        ]

    def __str__(self) -> str:
        return f"Programmation {self.year}"

    @property
    def days_so_far(self) -> tuple[datetime.date, datetime.date] | None:
        """The year's days up to today, as the dashboard takes a period (it refuses days to
        come); None for a year not begun."""
        start, today = datetime.date(self.year, 1, 1), timezone.localdate()
        if start > today:
            return None
        return start, min(datetime.date(self.year, 12, 31), today)

    def budget(self) -> Decimal:
        """The year's total budget: its operations' budgets added (0 without operation)."""
        return self.operations.aggregate(total=Sum("budget"))["total"] or Decimal(0)


class OperationQuerySet(models.QuerySet):
    def of_year(self, programme, year: int):
        return self.filter(year__programme=programme, year__year=year)


class Operation(models.Model):
    """A funded operation of a programme year and its targets (volumes planned)."""

    year = models.ForeignKey(
        ProgrammeYear, on_delete=models.PROTECT, related_name="operations", verbose_name=_("année")
    )
    kind = models.CharField(_("nature"), max_length=30, choices=OperationKind)
    title = models.CharField(_("intitulé"), max_length=200)
    carrier = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="operations",
        verbose_name=_("structure porteuse"),
    )
    budget = models.DecimalField(_("budget total (€)"), **MONEY)
    state = models.CharField(
        _("état"), max_length=20, choices=OperationState, default=OperationState.PLANNED
    )
    planned_on = models.DateField(_("programmée le"))
    approved_on = models.DateField(_("validée par le comité de pilotage le"), null=True, blank=True)
    started_on = models.DateField(_("démarrée le"), null=True, blank=True)
    closed_on = models.DateField(_("clôturée le"), null=True, blank=True)
    # Targets (planned volumes) of the year; empty: no target of that kind.
    target_entries = models.PositiveIntegerField(_("objectif : entrées"), null=True, blank=True)
    target_people = models.PositiveIntegerField(
        _("objectif : personnes accompagnées"), null=True, blank=True
    )
    target_positive_exits = models.PositiveIntegerField(
        _("objectif : sorties positives"), null=True, blank=True
    )
    # The référents' hosting organisations (accompaniment of pathways).
    target_fte = models.DecimalField(
        _("objectif : équivalents temps plein de référents"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    target_caseload = models.PositiveIntegerField(
        _("objectif : file active attendue"), null=True, blank=True
    )
    # What no pathway measures (the référents' professional development): keyed in.
    volume_unit = models.CharField(
        _("unité du volume"), max_length=80, blank=True, help_text=_("par exemple « journées »")
    )
    planned_volume = models.PositiveIntegerField(_("volume prévu"), null=True, blank=True)
    achieved_volume = models.PositiveIntegerField(_("volume réalisé"), null=True, blank=True)
    # Insertion clauses and actions for participants: the steps that measure them.
    step_types = models.ManyToManyField(
        "pathways.StepType",
        blank=True,
        related_name="operations",
        verbose_name=_("types d'étapes mesurés"),
    )

    objects = OperationQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("opération")

    def __str__(self) -> str:
        return self.title

    def funding(self) -> FundingPlan:
        """The funding plan, from its lines (prefetch `funding_lines` on lists)."""
        return funding_plan(
            self.budget, {line.funder: line.amount for line in self.funding_lines.all()}
        )

    @property
    def is_closed(self) -> bool:
        return self.state == OperationState.CLOSED


class FundingLine(models.Model):
    """One funder's share of an operation's budget."""

    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="funding_lines")
    funder = models.CharField(_("financeur"), max_length=20, choices=Funder)
    amount = models.DecimalField(_("montant (€)"), **MONEY)

    class Meta:
        ordering = ["operation", "funder"]
        verbose_name = _("ligne du plan de financement")
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "funder"], name="funding_line_one_per_funder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_funder_display()} : {self.amount} €"
