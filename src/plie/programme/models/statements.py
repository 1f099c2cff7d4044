"""An operation's budget statements (« situation budgétaire à mi-parcours et à la fin de
l'action avec les justificatifs de dépenses et de ressources », seed 001): lines of expenses
and resources, each with its amount, and the supporting documents."""

from decimal import Decimal

from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from plie.programme.enums import StatementKind, StatementSide
from plie.programme.models.operations import MONEY, Operation


class BudgetStatement(models.Model):
    operation = models.ForeignKey(Operation, on_delete=models.CASCADE, related_name="statements")
    kind = models.CharField(_("situation"), max_length=20, choices=StatementKind)
    drawn_on = models.DateField(_("arrêtée au"))

    class Meta:
        ordering = ["operation", "drawn_on"]
        verbose_name = _("situation budgétaire")
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "kind"], name="budget_statement_one_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} de « {self.operation} »"

    def totals(self) -> dict[str, Decimal]:
        """Expenses and resources added, by side."""
        rows = self.lines.values("side").annotate(total=Sum("amount")).order_by()
        found = {row["side"]: row["total"] for row in rows}
        return {side: found.get(side, Decimal(0)) for side in StatementSide}


class BudgetStatementLine(models.Model):
    statement = models.ForeignKey(BudgetStatement, on_delete=models.CASCADE, related_name="lines")
    side = models.CharField(_("nature"), max_length=20, choices=StatementSide)
    label = models.CharField(_("libellé"), max_length=200)
    amount = models.DecimalField(_("montant (€)"), **MONEY)

    class Meta:
        ordering = ["statement", "side", "pk"]
        verbose_name = _("ligne de situation budgétaire")

    def __str__(self) -> str:
        return f"{self.label} : {self.amount} €"


class BudgetStatementEvidence(models.Model):
    """A supporting document of a statement (invoices, pay slips, notifications of
    resources): kept when the statement's lines are sent again corrected."""

    statement = models.ForeignKey(
        BudgetStatement, on_delete=models.CASCADE, related_name="evidence"
    )
    title = models.CharField(_("justificatif"), max_length=200)
    document = models.ForeignKey(
        "core.StoredFile", on_delete=models.PROTECT, related_name="+", verbose_name=_("fichier")
    )

    class Meta:
        ordering = ["statement", "pk"]
        verbose_name = _("justificatif de situation budgétaire")
        verbose_name_plural = _("justificatifs de situation budgétaire")

    def __str__(self) -> str:
        return self.title
