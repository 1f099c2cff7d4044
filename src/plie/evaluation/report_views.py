"""The pages of an action's reports (issue 13, §2): the block « Bilans » of the action's page
(declarations.py), a report's page — its figures, its sections, its budget statement, the
coordination's comments — and its PDF. A provider reaches its own actions' reports only
(actions.access); every other report is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from plie.actions.access import actions_for_user, get_action_for_user
from plie.audit.journal import record_document
from plie.core.forms import apply_errors
from plie.core.pdf import pdf_response
from plie.core.uploads import serve
from plie.evaluation import report_plan, reports
from plie.evaluation.models import ActionReport, ReportBudgetLine
from plie.evaluation.models.reports import SECTIONS
from plie.evaluation.report_forms import BudgetLineForm, PlanForm, ReviewForm, SectionsForm

VIEW = "evaluation.view_reports"
WRITE = "evaluation.write_report"
REVIEW = "evaluation.review_report"
PLAN = "evaluation.plan_reports"


def get_report_for_user(user, pk: int, permission: str = VIEW) -> ActionReport:
    """The report of an action `user` reaches (404 otherwise), refused (403) without
    `permission` on its action."""
    report = get_object_or_404(
        ActionReport.objects.filter(action__in=actions_for_user(user)).select_related(
            "action__agreement__provider", "action__programme"
        ),
        pk=pk,
    )
    if not user.has_perm(permission, report.action):
        raise PermissionDenied("Vous ne pouvez pas faire cela sur ce bilan.")
    return report


def _line_for_user(user, pk: int, permission: str) -> ReportBudgetLine:
    line = get_object_or_404(
        ReportBudgetLine.objects.filter(report__action__in=actions_for_user(user)).select_related(
            "report__action__agreement"
        ),
        pk=pk,
    )
    if not user.has_perm(permission, line.report.action):
        raise PermissionDenied("Vous ne pouvez pas faire cela sur ce bilan.")
    return line


def action_block(request, action) -> dict | None:
    """The block « Bilans » of the action's page, for those who read the reports."""
    user = request.user
    if not user.has_perm(VIEW, action):
        return None
    planned = reports.reports_of(action)
    opened = any(p.report for p in planned)
    can_open = not opened and user.has_perm(PLAN, action)
    return {
        "action": action,
        "planned": planned,
        "opened": opened,
        "plan_form": PlanForm(initial={"plan": reports.default_plan(action)}) if can_open else None,
    }


@login_required
@require_POST
def reports_open(request, pk: int):
    action = get_action_for_user(request.user, pk, PLAN)
    form = PlanForm(request.POST)
    back = reverse("actions:action_detail", args=[action.pk]) + "#bilans"
    if not form.is_valid():
        messages.error(request, "Choisissez les bilans que demande la convention.")
        return redirect(back)
    try:
        reports.open_reports(action=action, plan=form.cleaned_data["plan"], by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, f"Bilans prévus : {report_plan.PLAN_LABELS[form.cleaned_data['plan']]}."
        )
    return redirect(back)


def _page(request, report: ActionReport, *, sections_form=None, line_form=None, review_form=None):
    user = request.user
    figures, changes = reports.figures_of(report)
    can_write = report.is_writable and user.has_perm(WRITE, report.action)
    can_review = not report.is_validated and user.has_perm(REVIEW, report.action)
    if can_write and sections_form is None:
        sections_form = SectionsForm(initial={name: getattr(report, name) for name in SECTIONS})
    lines = list(report.budget_lines.select_related("evidence"))
    return render(
        request,
        "evaluation/report_detail.html",
        {
            "report": report,
            "action": report.action,
            "figures": figures,
            "charts": figures.charts(),
            "changes": changes,
            "sections": [
                (reports.SECTION_LABELS[name], getattr(report, name)) for name in SECTIONS
            ],
            "budget": reports.budget_of(lines),
            "can_write": can_write,
            "can_review": can_review,
            "sections_form": sections_form if can_write else None,
            "line_form": (line_form or BudgetLineForm()) if can_write else None,
            "review_form": (review_form or ReviewForm(initial={"comments": report.comments}))
            if can_review
            else None,
            "deliverable": reports.awaited_deliverable(report),
        },
        status=400
        if any(f is not None and f.errors for f in (sections_form, line_form, review_form))
        else 200,
    )


@login_required
def report_detail(request, pk: int):
    """The report; a POST saves the provider's sections (and sends it with « envoyer »)."""
    if request.method != "POST":
        return _page(request, get_report_for_user(request.user, pk))
    report = get_report_for_user(request.user, pk, WRITE)
    if not report.is_writable:
        messages.error(
            request,
            f"Ce bilan est « {report.get_status_display().lower()} » : il ne se modifie plus.",
        )
        return redirect("evaluation:report", pk=report.pk)
    form = SectionsForm(request.POST)
    sending = request.POST.get("send") == "submit"
    if not form.is_valid():
        return _page(request, report, sections_form=form)
    try:
        # Sending refused (a part missing) saves nothing: the page comes back as typed.
        with transaction.atomic():
            report = reports.save_sections(
                report=report, sections=form.cleaned_data, by=request.user
            )
            if sending:
                report = reports.submit(report=report, by=request.user)
    except ValidationError as error:
        apply_errors(form, error)
        return _page(request, report, sections_form=form)
    messages.success(
        request,
        "Bilan envoyé au PLIE : l'équipe va le relire."
        if sending
        else "Bilan enregistré ; envoyez-le au PLIE quand il est prêt.",
    )
    return redirect("evaluation:report", pk=report.pk)


@login_required
@require_POST
def budget_line_add(request, pk: int):
    report = get_report_for_user(request.user, pk, WRITE)
    form = BudgetLineForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, report, line_form=form)
    try:
        reports.add_budget_line(
            report=report,
            side=form.cleaned_data["side"],
            label=form.cleaned_data["label"],
            amount=form.cleaned_data["amount"],
            uploaded=form.cleaned_data.get("evidence"),
            by=request.user,
        )
    except ValidationError as error:
        apply_errors(form, error)
        return _page(request, report, line_form=form)
    messages.success(request, "Ligne ajoutée à la situation budgétaire.")
    return redirect(reverse("evaluation:report", args=[report.pk]) + "#budget")


@login_required
@require_POST
def budget_line_remove(request, pk: int):
    line = _line_for_user(request.user, pk, WRITE)
    report = line.report
    try:
        reports.remove_budget_line(line=line, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Ligne « {line.label} » retirée.")
    return redirect(reverse("evaluation:report", args=[report.pk]) + "#budget")


@login_required
def budget_evidence(request, pk: int):
    line = _line_for_user(request.user, pk, VIEW)
    if line.evidence is None:
        raise Http404("Cette ligne n'a pas de justificatif.")
    record_document(
        user=request.user,
        about=line.report,
        document=f"Justificatif de la situation budgétaire : {line.label}",
    )
    return serve(line.evidence)


@login_required
@require_POST
def report_review(request, pk: int):
    report = get_report_for_user(request.user, pk, REVIEW)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _page(request, report, review_form=form)
    decision, text = form.cleaned_data["decision"], form.cleaned_data["comments"]
    try:
        if decision == "validate":
            if text.strip() != report.comments.strip():
                report = reports.comment(report=report, text=text, by=request.user)
            report = reports.validate(report=report, by=request.user)
            done = "Bilan validé : ses chiffres sont figés et son PDF remis comme livrable."
        elif decision == "return":
            report = reports.return_to_provider(report=report, text=text, by=request.user)
            done = "Bilan renvoyé au prestataire avec votre commentaire."
        else:
            report = reports.comment(report=report, text=text, by=request.user)
            done = "Commentaire enregistré ; le prestataire le lit sur le bilan."
    except ValidationError as error:
        apply_errors(form, error)
        return _page(request, report, review_form=form)
    messages.success(request, done)
    return redirect("evaluation:report", pk=report.pk)


@login_required
def report_pdf(request, pk: int):
    report = get_report_for_user(request.user, pk)
    name = reports.file_name(report)
    record_document(user=request.user, about=report, document=f"Bilan d'action (PDF) : {name}")
    if report.document is not None:
        return serve(report.document)
    return pdf_response(reports.pdf(report), name)
