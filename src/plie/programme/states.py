"""An operation's state changes — a pure rule: planned → approved by the steering committee
→ running → closed, one step at a time, each dated no earlier than the one before; closed is
final; approval needs a budget and a balanced funding plan.

Source: seed 001 § « Réception et instruction » (the steering committee validates the
proposals before the action starts) and § « suivi des opérations »; issue 11.
"""

from __future__ import annotations

import datetime

from plie.core import formatting
from plie.programme.enums import OperationState

NEXT: dict[str, str] = {
    OperationState.PLANNED: OperationState.APPROVED,
    OperationState.APPROVED: OperationState.RUNNING,
    OperationState.RUNNING: OperationState.CLOSED,
}


def change_problem(
    current: str,
    target: str,
    *,
    on: datetime.date,
    since: datetime.date,
    funding_explanation: str | None,
    budget_given: bool,
) -> str | None:
    """Why the operation may not go from `current` to `target` on `on` (None: it may).

    `since`: the date of the current state; `funding_explanation`: None when the funding
    plan balances, else what the plan lacks (funding.FundingPlan.explanation)."""
    if current == OperationState.CLOSED:
        return "L'opération est clôturée : elle ne change plus d'état."
    if NEXT.get(current) != target:
        expected = OperationState(NEXT[current]).label
        return (
            f"Une opération « {OperationState(current).label.lower()} » passe ensuite à "
            f"« {expected.lower()} », une étape à la fois."
        )
    if on < since:
        return (
            f"Le {formatting.day(on)} précède le changement d'état précédent, du "
            f"{formatting.day(since)} : donnez une date à partir de celle-ci."
        )
    if target == OperationState.APPROVED:
        if not budget_given:
            return "Donnez d'abord le budget de l'opération : le comité valide un budget."
        if funding_explanation is not None:
            return f"{funding_explanation} Le comité de pilotage valide un plan équilibré."
    return None
