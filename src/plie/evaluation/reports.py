"""The course of an action's reports (issue 13, §2): the reports the agreement asks for are
planned (report_plan), the provider writes each one — its sections, its budget statement —
and sends it; the coordination comments, sends it back or validates it. Validated, a report
keeps its figures (`frozen_figures`), its PDF is stored and handed in as the deliverable the
agreement's instalment waits for, as a deliverable the provider uploads and the team accepts
(agreements.services), so that the instalment's state moves the same way. Services are
keyword-only; each write is one transaction."""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from plie.actions.models import Action
from plie.agreements import services as agreement_services
from plie.agreements.enums import CheckOutcome
from plie.agreements.models import Deliverable
from plie.core import formatting
from plie.core.pdf import render_pdf
from plie.core.uploads import store
from plie.evaluation import report_plan
from plie.evaluation.enums import WRITABLE, ReportKind, ReportStatus
from plie.evaluation.models import ActionReport, ReportBudgetLine
from plie.evaluation.models.reports import SECTIONS
from plie.evaluation.report_figures import ReportFigures, compute
from plie.programme.enums import StatementSide

# The labels of the sections, in the answer form's order (the model's verbose names).
SECTION_LABELS = {
    name: str(ActionReport._meta.get_field(name).verbose_name).capitalize() for name in SECTIONS
}


# Planning ---------------------------------------------------------------------------------


def default_plan(action: Action) -> str:
    """The plan the agreement's schedule suggests (report_plan.default_plan)."""
    kinds = set(
        Deliverable.objects.filter(instalment__agreement=action.agreement_id).values_list(
            "kind", flat=True
        )
    )
    return report_plan.default_plan(kinds)


@dataclasses.dataclass(frozen=True)
class Planned:
    """A report of the action's plan, and its row once opened (None: not yet)."""

    kind: str
    label: str
    starts_on: datetime.date
    ends_on: datetime.date
    due_on: datetime.date
    report: ActionReport | None

    @property
    def overdue(self) -> bool:
        """Past its due day and not yet sent to the PLIE (nor validated)."""
        sent = self.report is not None and self.report.status in (
            ReportStatus.SUBMITTED,
            ReportStatus.VALIDATED,
        )
        return not sent and self.due_on < timezone.localdate()


def reports_of(action: Action) -> list[Planned]:
    """The action's reports: those opened, or else those its agreement suggests."""
    opened = list(action.reports.order_by("ends_on", "pk"))
    if opened:
        return [
            Planned(r.kind, r.get_kind_display(), r.starts_on, r.ends_on, r.due_on, r)
            for r in opened
        ]
    return [
        Planned(p.kind, ReportKind(p.kind).label, p.starts_on, p.ends_on, p.due_on, None)
        for p in report_plan.planned(default_plan(action), action.starts_on, action.ends_on)
    ]


@transaction.atomic
def open_reports(*, action: Action, plan: str, by) -> list[ActionReport]:
    """The reports of `plan` for `action`, created blank (in draft); once opened, the plan
    stays."""
    if plan not in report_plan.PLANS:
        raise ValidationError("Choisissez l'un des deux calendriers de bilans proposés.")
    action = Action.objects.select_for_update().get(pk=action.pk)
    if action.reports.exists():
        raise ValidationError("Les bilans de cette action sont déjà prévus.")
    return [
        ActionReport.objects.create(
            action=action,
            kind=planned.kind,
            starts_on=planned.starts_on,
            ends_on=planned.ends_on,
            due_on=planned.due_on,
        )
        for planned in report_plan.planned(plan, action.starts_on, action.ends_on)
    ]


# Writing ----------------------------------------------------------------------------------


def _locked(report: ActionReport) -> ActionReport:
    return ActionReport.objects.select_for_update().select_related("action").get(pk=report.pk)


def _check_writable(report: ActionReport) -> None:
    if report.status not in WRITABLE:
        raise ValidationError(
            f"Ce bilan est « {report.get_status_display().lower()} » : il ne se modifie plus. "
            "Écrivez à l'équipe du PLIE si quelque chose doit y changer."
        )


@transaction.atomic
def save_sections(*, report: ActionReport, sections: dict[str, str], by) -> ActionReport:
    """The provider's text, section by section (the answer form's plan)."""
    report = _locked(report)
    _check_writable(report)
    for name in SECTIONS:
        setattr(report, name, sections.get(name, "").strip())
    report.written_at, report.written_by = timezone.now(), by
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def add_budget_line(
    *, report: ActionReport, side: str, label: str, amount: Decimal, uploaded=None, by
) -> ReportBudgetLine:
    """An expense or a resource of the budget statement, with its evidence if given."""
    report = _locked(report)
    _check_writable(report)
    line = ReportBudgetLine(
        report=report,
        side=StatementSide(side),
        label=label.strip(),
        amount=amount,
        evidence=store(uploaded, user=by) if uploaded else None,
    )
    line.full_clean()
    line.save()
    return line


@transaction.atomic
def remove_budget_line(*, line: ReportBudgetLine, by) -> None:
    report = _locked(line.report)
    _check_writable(report)
    line.delete()


@transaction.atomic
def submit(*, report: ActionReport, by) -> ActionReport:
    """Sent to the PLIE once every section is written and every expense has its evidence."""
    report = _locked(report)
    _check_writable(report)
    missing = [SECTION_LABELS[name] for name in SECTIONS if not getattr(report, name).strip()]
    if missing:
        raise ValidationError(
            "Écrivez chaque partie du bilan avant de l'envoyer ; il manque : "
            + ", ".join(f"« {label} »" for label in missing)
            + "."
        )
    unproven = report.budget_lines.filter(side=StatementSide.EXPENSE, evidence__isnull=True)
    if labels := list(unproven.values_list("label", flat=True)):
        raise ValidationError(
            "Joignez le justificatif de chaque dépense avant d'envoyer le bilan ; il manque "
            "celui de : " + ", ".join(f"« {label} »" for label in labels) + "."
        )
    report.status = ReportStatus.SUBMITTED
    report.submitted_at, report.submitted_by = timezone.now(), by
    report.save(update_fields=["status", "submitted_at", "submitted_by"])
    return report


# Reviewing --------------------------------------------------------------------------------


@transaction.atomic
def comment(*, report: ActionReport, text: str, by) -> ActionReport:
    """The coordination's comments, read by the provider (until validation)."""
    report = _locked(report)
    if report.is_validated:
        raise ValidationError("Ce bilan est validé : ses commentaires ne changent plus.")
    report.comments = text.strip()
    report.full_clean()
    report.save(update_fields=["comments"])
    return report


def _check_submitted(report: ActionReport) -> None:
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(
            "Ce bilan n'est pas envoyé au PLIE : le prestataire l'envoie d'abord, puis vous "
            "le validez ou le lui renvoyez."
        )


@transaction.atomic
def return_to_provider(*, report: ActionReport, text: str, by) -> ActionReport:
    """Sent back to the provider, with a comment saying what to change."""
    report = _locked(report)
    _check_submitted(report)
    if not text.strip():
        raise ValidationError(
            "Dites au prestataire ce qu'il doit compléter ou corriger avant de lui renvoyer le "
            "bilan."
        )
    report.comments = text.strip()
    report.status = ReportStatus.RETURNED
    report.reviewed_at, report.reviewed_by = timezone.now(), by
    report.full_clean()
    report.save()
    return report


def awaited_deliverable(report: ActionReport) -> Deliverable | None:
    """The deliverable of the agreement this report is handed in as (the first instalment
    that waits for a report of its kind), None if the schedule waits for none."""
    kind = report_plan.DELIVERABLE_OF[report.kind]
    if kind is None:
        return None
    return (
        Deliverable.objects.filter(instalment__agreement=report.action.agreement_id, kind=kind)
        .order_by("instalment__order", "pk")
        .first()
    )


@transaction.atomic
def validate(*, report: ActionReport, by) -> ActionReport:
    """Validated: the figures are frozen, the PDF is stored and handed in as the deliverable
    its instalment waits for, accepted (the validation is the team's check)."""
    report = _locked(report)
    _check_submitted(report)
    figures = compute(report.action, starts_on=report.starts_on, ends_on=report.ends_on)
    report.status = ReportStatus.VALIDATED
    report.reviewed_at, report.reviewed_by = timezone.now(), by
    report.frozen_figures = figures.as_json()
    content = pdf(report, figures=figures)
    uploaded = SimpleUploadedFile(file_name(report), content, content_type="application/pdf")
    report.document = store(uploaded, user=by)
    report.save()
    deliverable = awaited_deliverable(report)
    if deliverable is not None and deliverable.outcome != CheckOutcome.ACCEPTED:
        uploaded.seek(0)
        deliverable = agreement_services.receive_deliverable(
            deliverable=deliverable, uploaded=uploaded, by=by
        )
        agreement_services.check_deliverable(
            deliverable=deliverable,
            outcome=CheckOutcome.ACCEPTED,
            comment=f"{report.get_kind_display()} validé dans l'application.",
            by=by,
        )
    return report


# Reading ----------------------------------------------------------------------------------


def frozen(report: ActionReport) -> ReportFigures | None:
    return ReportFigures.from_json(report.frozen_figures) if report.frozen_figures else None


def figures_of(report: ActionReport) -> tuple[ReportFigures, list[str]]:
    """The figures a report shows — frozen once validated, computed from the data before —
    and, for a validated report, what the data says differently now."""
    live = compute(report.action, starts_on=report.starts_on, ends_on=report.ends_on)
    kept = frozen(report)
    if kept is None:
        return live, []
    return kept, kept.differences(live)


def file_name(report: ActionReport) -> str:
    """« bilan-a-mi-parcours-action-3.pdf »: the kind as the team reads it."""
    return f"{slugify(report.get_kind_display())}-action-{report.action_id}.pdf"


def pdf(report: ActionReport, *, figures: ReportFigures | None = None) -> bytes:
    """The report as a PDF: its figures as tables and charts, its sections, its budget
    statement, under the FSE+ support statement (core/pdf/document.html)."""
    figures = figures or figures_of(report)[0]
    lines = list(report.budget_lines.all())
    return render_pdf(
        "evaluation/report_pdf.html",
        {
            "report": report,
            "figures": figures,
            "charts": figures.charts(for_print=True),
            "sections": [(SECTION_LABELS[name], getattr(report, name)) for name in SECTIONS],
            "budget": budget_of(lines),
        },
        programme=report.action.programme,
    )


@dataclasses.dataclass(frozen=True)
class Budget:
    expenses: list[ReportBudgetLine]
    resources: list[ReportBudgetLine]

    @property
    def total_expenses(self) -> Decimal:
        return sum((line.amount for line in self.expenses), Decimal(0))

    @property
    def total_resources(self) -> Decimal:
        return sum((line.amount for line in self.resources), Decimal(0))

    @property
    def balance(self) -> str:
        return formatting.number(self.total_resources - self.total_expenses, 2)


def budget_of(lines: list[ReportBudgetLine]) -> Budget:
    return Budget(
        [line for line in lines if line.side == StatementSide.EXPENSE],
        [line for line in lines if line.side == StatementSide.RESOURCE],
    )
