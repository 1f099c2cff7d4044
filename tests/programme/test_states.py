"""An operation's state changes (programme/states.py): one step at a time, dated no earlier
than the previous one, closed is final, approval needs a budget and a balanced plan."""

import datetime

import pytest

from plie.programme.enums import OperationState
from plie.programme.states import change_problem

DAY = datetime.date(2027, 3, 15)


def problem(current, target, *, on=DAY, since=DAY, funding=None, budget=True):
    return change_problem(
        current, target, on=on, since=since, funding_explanation=funding, budget_given=budget
    )


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (OperationState.PLANNED, OperationState.APPROVED),
        (OperationState.APPROVED, OperationState.RUNNING),
        (OperationState.RUNNING, OperationState.CLOSED),
    ],
)
def test_each_next_step_is_allowed(current, target):
    assert problem(current, target) is None


def test_a_step_cannot_be_skipped():
    assert "une étape à la fois" in problem(OperationState.PLANNED, OperationState.RUNNING)


def test_a_step_cannot_go_back():
    assert "une étape à la fois" in problem(OperationState.RUNNING, OperationState.APPROVED)


def test_closed_is_final():
    assert "clôturée" in problem(OperationState.CLOSED, OperationState.RUNNING)


def test_the_same_day_as_the_previous_change_is_allowed_the_day_before_is_not():
    assert problem(OperationState.APPROVED, OperationState.RUNNING, since=DAY) is None
    refused = problem(
        OperationState.APPROVED, OperationState.RUNNING, since=DAY + datetime.timedelta(days=1)
    )
    assert "précède" in refused and "16/03/2027" in refused


def test_approval_needs_a_balanced_plan_and_says_what_it_lacks():
    refused = problem(OperationState.PLANNED, OperationState.APPROVED, funding="Il manque 10 €.")
    assert refused.startswith("Il manque 10 €.")
    assert "plan équilibré" in refused


def test_approval_needs_a_budget():
    assert "budget" in problem(OperationState.PLANNED, OperationState.APPROVED, budget=False)


def test_a_running_operation_closes_whatever_its_plan():
    assert problem(OperationState.RUNNING, OperationState.CLOSED, funding="Il manque 10 €.") is None
