"""The annual programme's pages: the years, a year (its operations, budget, funding plan and
targets), an operation, and their forms. Targets against achievement are computed by
reporting, above the pathways: `core.plugins` would be needed for a page of this layer to
show them, so the year's page links to them (reporting:programme_achievement)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from plie.core.forms import apply_errors
from plie.core.submissions import AlreadySubmitted, once
from plie.core.uploads import journaled_download
from plie.programme import services
from plie.programme.access import get_operation, get_year
from plie.programme.enums import OperationKind, OperationState, StatementKind
from plie.programme.forms import (
    EvidenceForm,
    FundingForm,
    NewOperationForm,
    OperationForm,
    StateChangeForm,
    StatementForm,
    YearForm,
)
from plie.programme.funding import euros, year_plan
from plie.programme.models import BudgetStatement, Operation, ProgrammeYear
from plie.programme.states import NEXT
from plie.territory.models import Programme

MANAGE = "programme.manage_programme"
VIEW = "programme.view_programme"


def _refuse_unless_manager(request) -> None:
    if not request.user.has_perm(MANAGE):
        raise PermissionDenied(
            "Seules la coordinatrice et les chargés de projet modifient la programmation."
        )


@login_required
@permission_required(VIEW, raise_exception=True)
def years(request):
    programme = Programme.current()
    form = YearForm(request.POST or None)
    if request.method == "POST":
        _refuse_unless_manager(request)
        if form.is_valid():
            try:
                year = services.open_year(programme=programme, year=form.cleaned_data["year"])
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, f"{year} ouverte : ajoutez ses opérations.")
                return redirect("programme:year", year=year.year)
    rows = (
        ProgrammeYear.objects.filter(programme=programme)
        .annotate(operation_count=Count("operations"), total=Sum("operations__budget"))
        .order_by("-year")
    )
    return render(request, "programme/years.html", {"years": rows, "form": form})


@login_required
@permission_required(VIEW, raise_exception=True)
def year_page(request, year: int):
    programme_year = get_year(year)
    operations = list(
        programme_year.operations.select_related("carrier")
        .prefetch_related("funding_lines")
        .order_by("kind", "title", "pk")
    )
    plans = [operation.funding() for operation in operations]
    for operation, plan in zip(operations, plans, strict=True):
        operation.plan = plan
    by_kind = [
        {
            "kind": kind,
            "operations": [op for op in operations if op.kind == kind],
            "budget": euros(sum((op.budget for op in operations if op.kind == kind), 0)),
        }
        for kind in OperationKind
    ]
    return render(
        request,
        "programme/year.html",
        {
            "year": programme_year,
            "by_kind": by_kind,
            "operation_count": len(operations),
            "plan": year_plan(plans),
            "unbalanced": [op for op in operations if not op.plan.balanced],
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def operation_create(request, year: int):
    programme_year = get_year(year)
    programme = programme_year.programme
    form = NewOperationForm(request.POST or None, programme=programme)
    if request.method == "POST":
        if (sent := form.already_sent()) is not None:
            return sent.response(request)
        if form.is_valid():
            operation = form.save(commit=False)
            operation.year = programme_year
            try:
                with once(form.token) as submission:
                    services.save_operation(
                        operation=operation,
                        step_types=form.cleaned_data["step_types"],
                        on=timezone.localdate(),
                    )
                    submission.leads_to(reverse("programme:operation", args=[operation.pk]))
            except AlreadySubmitted as sent:
                return sent.response(request)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request, f"Opération « {operation} » programmée : donnez son financement."
                )
                return redirect("programme:operation_funding", pk=operation.pk)
    return render(
        request,
        "programme/operation_form.html",
        {"form": form, "year": programme_year, "operation": None},
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def operation_edit(request, pk: int):
    operation = get_operation(pk)
    if operation.is_closed:
        messages.warning(request, "L'opération est clôturée : elle ne se modifie plus.")
        return redirect("programme:operation", pk=pk)
    form = OperationForm(
        request.POST or None, instance=operation, programme=operation.year.programme
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_operation(
                operation=form.save(commit=False),
                step_types=form.cleaned_data["step_types"],
                on=timezone.localdate(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Opération « {operation} » enregistrée.")
            return redirect("programme:operation", pk=pk)
    return render(
        request,
        "programme/operation_form.html",
        {"form": form, "year": operation.year, "operation": operation},
    )


@login_required
@permission_required(VIEW, raise_exception=True)
def operation_page(request, pk: int):
    operation = get_operation(pk)
    next_state = NEXT.get(operation.state)
    statements = {
        statement.kind: statement for statement in operation.statements.prefetch_related("lines")
    }
    return render(
        request,
        "programme/operation.html",
        {
            "operation": operation,
            "plan": operation.funding(),
            "next_state": OperationState(next_state) if next_state else None,
            "state_form": StateChangeForm(initial={"target": next_state}) if next_state else None,
            "can_manage": request.user.has_perm(MANAGE),
            "measured_by_steps": operation.step_types.all(),
            "statements": [
                {"kind": kind, "statement": statements.get(kind)} for kind in StatementKind
            ],
            "dates": [
                (OperationState(state).label, getattr(operation, field))
                for state, field in services.STATE_DATES.items()
            ],
        },
    )


@login_required
@permission_required(MANAGE, raise_exception=True)
def operation_funding(request, pk: int):
    operation = get_operation(pk)
    if operation.state != OperationState.PLANNED:
        messages.warning(
            request, "Le plan de financement a été validé avec l'opération : il ne se modifie plus."
        )
        return redirect("programme:operation", pk=pk)
    form = FundingForm(request.POST or None, operation=operation)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.set_funding(operation=operation, amounts=form.amounts())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            plan = Operation.objects.prefetch_related("funding_lines").get(pk=saved.pk).funding()
            if plan.balanced:
                messages.success(request, plan.explanation())
            else:
                messages.warning(request, plan.explanation())
            return redirect("programme:operation", pk=pk)
    return render(
        request,
        "programme/operation_funding.html",
        {"form": form, "operation": operation, "plan": operation.funding()},
    )


@require_POST
@login_required
@permission_required(MANAGE, raise_exception=True)
def operation_state(request, pk: int):
    operation = get_operation(pk)
    form = StateChangeForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("programme:operation", pk=pk)
    try:
        changed = services.change_state(
            operation=operation, target=form.cleaned_data["target"], on=form.cleaned_data["on"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, f"Opération « {changed} » : {changed.get_state_display().lower()}."
        )
    return redirect("programme:operation", pk=pk)


@login_required
@permission_required(MANAGE, raise_exception=True)
def statement_edit(request, pk: int, kind: str):
    operation = get_operation(pk)
    if kind not in StatementKind.values:
        return redirect("programme:operation", pk=pk)
    statement = operation.statements.filter(kind=kind).prefetch_related("lines").first()
    form = StatementForm(request.POST or None, statement=statement)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_statement(
                operation=operation,
                kind=kind,
                drawn_on=form.cleaned_data["drawn_on"],
                lines=form.cleaned_data["lines"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{StatementKind(kind).label} enregistrée.")
            return redirect("programme:operation", pk=pk)
    return render(
        request,
        "programme/statement_form.html",
        {
            "form": form,
            "operation": operation,
            "kind": StatementKind(kind),
            "statement": statement,
            "evidence_form": EvidenceForm() if statement is not None else None,
        },
    )


def _statement(operation, kind: str) -> BudgetStatement:
    statement = operation.statements.filter(kind=kind).first() if kind in StatementKind else None
    if statement is None:
        raise Http404("Enregistrez d'abord la situation budgétaire.")
    return statement


@login_required
@permission_required(MANAGE, raise_exception=True)
@require_POST
def statement_evidence_add(request, pk: int, kind: str):
    operation = get_operation(pk)
    statement = _statement(operation, kind)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        services.add_statement_evidence(
            statement=statement,
            title=form.cleaned_data["title"],
            uploaded=form.cleaned_data["document"],
            by=request.user,
        )
        messages.success(request, f"Justificatif « {form.cleaned_data['title']} » ajouté.")
    else:
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    return redirect("programme:statement_edit", pk=pk, kind=kind)


@login_required
@permission_required(MANAGE, raise_exception=True)
def statement_evidence(request, pk: int, kind: str, evidence_pk: int):
    """A supporting document, for who keeps the programme; the download is journaled."""
    statement = _statement(get_operation(pk), kind)
    evidence = statement.evidence.select_related("document").filter(pk=evidence_pk).first()
    if evidence is None:
        raise Http404("Ce justificatif n'existe pas.")
    return journaled_download(
        request,
        evidence.document,
        about=statement,
        document=f"Justificatif « {evidence.title} » ({statement})",
    )
