"""Writes on the annual programme: each function is one transaction and applies its rule
(funding.py, states.py) to rows it has locked, so that two people acting at the same moment
wait for each other and the second sees what the first did."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from plie.core.uploads import store
from plie.programme.enums import OperationState, StatementSide
from plie.programme.models import (
    BudgetStatement,
    BudgetStatementEvidence,
    BudgetStatementLine,
    FundingLine,
    Operation,
    ProgrammeYear,
)
from plie.programme.states import change_problem

# The field holding the date each state was reached.
STATE_DATES = {
    OperationState.PLANNED: "planned_on",
    OperationState.APPROVED: "approved_on",
    OperationState.RUNNING: "started_on",
    OperationState.CLOSED: "closed_on",
}


def _locked(operation: Operation) -> Operation:
    return Operation.objects.select_for_update().get(pk=operation.pk)


@transaction.atomic
def open_year(*, programme, year: int) -> ProgrammeYear:
    if ProgrammeYear.objects.filter(programme=programme, year=year).exists():
        raise ValidationError(
            f"La programmation {year} existe déjà : ouvrez-la dans la liste des années."
        )
    programme_year = ProgrammeYear(programme=programme, year=year)
    programme_year.full_clean()
    programme_year.save()
    return programme_year


@transaction.atomic
def save_operation(*, operation: Operation, step_types, on: datetime.date) -> Operation:
    """A new operation (planned on `on`) or an edited one, with the step types measuring it.
    A closed operation no longer changes; once approved, its budget is the committee's."""
    if operation.pk is not None:
        current = _locked(operation)
        if current.is_closed:
            raise ValidationError("L'opération est clôturée : elle ne se modifie plus.")
        if current.state != OperationState.PLANNED and current.budget != operation.budget:
            raise ValidationError(
                {
                    "budget": "Le comité de pilotage a validé ce budget : il ne se modifie "
                    "plus ici. Gardez le montant validé."
                }
            )
    else:
        operation.state = OperationState.PLANNED
        operation.planned_on = on
    operation.full_clean()
    operation.save()
    operation.step_types.set(step_types)
    return operation


@transaction.atomic
def set_funding(*, operation: Operation, amounts: dict[str, Decimal]) -> Operation:
    """The funding plan, all its lines at once (a funder at 0 or absent has no line).
    It may be unbalanced while the operation is planned: the page says by how much."""
    current = _locked(operation)
    if current.state != OperationState.PLANNED:
        raise ValidationError(
            "Le plan de financement a été validé avec l'opération : il ne se modifie plus."
        )
    current.funding_lines.all().delete()
    FundingLine.objects.bulk_create(
        FundingLine(operation=current, funder=funder, amount=amount)
        for funder, amount in amounts.items()
        if amount
    )
    return current


@transaction.atomic
def change_state(*, operation: Operation, target: str, on: datetime.date) -> Operation:
    """The next state, dated `on`; refused with the rule's reason (states.change_problem)."""
    current = _locked(operation)
    plan = current.funding()
    problem = change_problem(
        current.state,
        target,
        on=on,
        since=getattr(current, STATE_DATES[OperationState(current.state)]),
        funding_explanation=None if plan.balanced else plan.explanation(),
        budget_given=current.budget > 0,
    )
    if problem:
        raise ValidationError(problem)
    current.state = target
    setattr(current, STATE_DATES[OperationState(target)], on)
    current.save(update_fields=["state", STATE_DATES[OperationState(target)]])
    return current


@transaction.atomic
def record_statement(
    *, operation: Operation, kind: str, drawn_on: datetime.date, lines: list[dict]
) -> BudgetStatement:
    """A budget statement and its lines (side, label, amount), replacing the one of that
    kind if there is one: the carrier sends it again corrected."""
    current = _locked(operation)
    if not lines:
        raise ValidationError("Ajoutez au moins une ligne de dépense ou de ressource.")
    statement, _ = BudgetStatement.objects.update_or_create(
        operation=current, kind=kind, defaults={"drawn_on": drawn_on}
    )
    statement.lines.all().delete()
    BudgetStatementLine.objects.bulk_create(
        BudgetStatementLine(
            statement=statement,
            side=StatementSide(line["side"]),
            label=line["label"],
            amount=line["amount"],
        )
        for line in lines
    )
    return statement


def add_statement_evidence(
    *, statement: BudgetStatement, title: str, uploaded, by
) -> BudgetStatementEvidence:
    """A supporting document of the statement (seed 001: « avec les justificatifs de
    dépenses et de ressources »), stored as the documents are (core.uploads)."""
    with transaction.atomic():
        return BudgetStatementEvidence.objects.create(
            statement=statement, title=title, document=store(uploaded, user=by)
        )
