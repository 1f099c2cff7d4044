"""The reports a provider writes on its action for the PLIE (issue 13, §2): their text
sections following the answer form's plan, their budget statement, the coordination's
comments, their course from draft to validation, and the figures frozen when validated."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from plie.evaluation.enums import WRITABLE, ReportKind, ReportStatus
from plie.programme.enums import StatementSide

MONEY = {"max_digits": 12, "decimal_places": 2}
TEXT = 10000

# The plan of the answer form (seed 001: « un bilan quantitatif et qualitatif […] en suivant
# le plan du dossier »; seed 000: « tirer des enseignements de son intervention concernant les
# parcours des personnes et la plus-value de son intervention […] proposer des pistes
# d'ajustement de celle-ci, voire des préconisations en cas de reconduite »).
SECTIONS = ("quantitative", "qualitative", "lessons", "adjustments")


class ActionReportQuerySet(models.QuerySet):
    def of_provider(self, organisation_id):
        return self.filter(action__agreement__provider_id=organisation_id)


class ActionReport(models.Model):
    """One report of an action: the kind the agreement asks for, the period it covers, its
    text, its budget statement; validated, it keeps the figures it was validated with."""

    action = models.ForeignKey(
        "actions.Action",
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("action"),
    )
    kind = models.CharField(_("bilan"), max_length=20, choices=ReportKind)
    starts_on = models.DateField(_("période couverte : du"))
    ends_on = models.DateField(_("période couverte : au"))
    due_on = models.DateField(_("à remettre le"))
    status = models.CharField(
        _("état"), max_length=20, choices=ReportStatus, default=ReportStatus.DRAFT
    )
    quantitative = models.TextField(
        _("bilan quantitatif"),
        max_length=TEXT,
        blank=True,
        help_text=_("Ce que disent les chiffres ci-dessus : écarts aux objectifs, explications."),
    )
    qualitative = models.TextField(
        _("bilan qualitatif"),
        max_length=TEXT,
        blank=True,
        help_text=_("Le déroulement, la dynamique des groupes, les partenariats mobilisés."),
    )
    lessons = models.TextField(
        _("enseignements pour les parcours et plus-value de l'action"),
        max_length=TEXT,
        blank=True,
        help_text=_("Ce que l'action a apporté aux parcours des personnes."),
    )
    adjustments = models.TextField(
        _("pistes d'ajustement et préconisations en cas de reconduction"),
        max_length=TEXT,
        blank=True,
    )
    comments = models.TextField(
        _("commentaires du PLIE"),
        max_length=TEXT,
        blank=True,
        help_text=_("Lus par le prestataire ; dites ce qu'il faut compléter ou corriger."),
    )
    written_at = models.DateTimeField(_("rédigé le"), null=True, blank=True)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rédigé par"),
    )
    submitted_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("envoyé par"),
    )
    reviewed_at = models.DateTimeField(_("validé ou renvoyé le"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validé ou renvoyé par"),
    )
    frozen_figures = models.JSONField(_("chiffres à la validation"), null=True, blank=True)
    document = models.ForeignKey(
        "core.StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("PDF validé"),
    )

    objects = ActionReportQuerySet.as_manager()

    class Meta:
        ordering = ["action", "ends_on", "pk"]
        verbose_name = _("bilan d'action")
        verbose_name_plural = _("bilans d'action")
        constraints = [
            models.UniqueConstraint(fields=["action", "kind"], name="action_report_once_per_kind"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="action_report_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=ReportStatus.VALIDATED)
                | models.Q(frozen_figures__isnull=False),
                name="action_report_validated_is_frozen",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.action}"

    @property
    def is_writable(self) -> bool:
        return self.status in WRITABLE

    @property
    def is_validated(self) -> bool:
        return self.status == ReportStatus.VALIDATED

    @property
    def is_blank(self) -> bool:
        return not any(getattr(self, name).strip() for name in SECTIONS)

    def budget_totals(self) -> dict[str, object]:
        """Expenses and resources added, by side (0 without line)."""
        rows = self.budget_lines.values("side").annotate(total=Sum("amount")).order_by()
        found = {row["side"]: row["total"] for row in rows}
        return {side: found.get(side) or 0 for side in StatementSide}


class ReportBudgetLine(models.Model):
    """A line of the report's budget statement (seed 001: « une situation budgétaire […] avec
    les justificatifs de dépenses et de ressources »): an expense or a resource, with its
    evidence. The programme's statements (programme.BudgetStatement) are an operation's, one
    per kind for the whole operation and kept by the team; a report's are the action's,
    written by the provider with a document per line, hence their own table."""

    report = models.ForeignKey(
        ActionReport,
        on_delete=models.CASCADE,
        related_name="budget_lines",
        verbose_name=_("bilan"),
    )
    side = models.CharField(_("nature"), max_length=20, choices=StatementSide)
    label = models.CharField(_("libellé"), max_length=200)
    amount = models.DecimalField(_("montant (€)"), **MONEY, validators=[MinValueValidator(0)])
    evidence = models.ForeignKey(
        "core.StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("justificatif"),
    )

    class Meta:
        ordering = ["report", "side", "pk"]
        verbose_name = _("ligne de la situation budgétaire")
        verbose_name_plural = _("lignes de la situation budgétaire")

    def __str__(self) -> str:
        return self.label
