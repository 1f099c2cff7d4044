"""An operation's funding plan: each funder's amount, its co-funding rate (amount ÷ the
operation's total budget) and whether the plan balances the budget — a pure rule.

Source: seed 001 § « suivi des opérations » (the carrier files a budget with its resources;
the FSE+ file needs a balanced plan) and the issue 11 text (FSE+, Métropole, Région,
Département, communes, others; the rates computed, never typed).
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from plie.core.formatting import EUROS, Quantity
from plie.programme.enums import Funder

# A co-funding rate to the tenth of a percent: 49,5 % is not 50 %.
RATE = Quantity(1, "%", scale=100, machine_decimals=4)


def euros(amount: Decimal | int) -> str:
    """1500000 → « 1 500 000,00 € »."""
    return EUROS.text(amount)


@dataclasses.dataclass(frozen=True)
class FundingShare:
    funder: Funder
    amount: Decimal
    rate: Decimal | None  # amount ÷ budget; None when the budget is 0

    @property
    def label(self) -> str:
        return str(self.funder.label)

    @property
    def rate_text(self) -> str:
        return RATE.text(self.rate)

    @property
    def amount_text(self) -> str:
        return euros(self.amount)


@dataclasses.dataclass(frozen=True)
class FundingPlan:
    budget: Decimal
    shares: list[FundingShare]  # in the order of `Funder`, only the funders given

    @property
    def funded(self) -> Decimal:
        return sum((share.amount for share in self.shares), Decimal(0))

    @property
    def gap(self) -> Decimal:
        """What the funders leave to find (negative: what they give beyond the budget)."""
        return self.budget - self.funded

    @property
    def balanced(self) -> bool:
        return self.gap == 0

    @property
    def funded_rate_text(self) -> str:
        return RATE.text(self.funded / self.budget if self.budget else None)

    def explanation(self) -> str:
        """In French, whether the plan balances the budget and, if not, by how much."""
        if self.balanced:
            return f"Le plan de financement équilibre le budget ({euros(self.budget)})."
        if self.gap > 0:
            return (
                f"Le plan de financement couvre {euros(self.funded)} sur un budget de "
                f"{euros(self.budget)} : il manque {euros(self.gap)}. Ajoutez ou augmentez "
                "un financement, ou réduisez le budget."
            )
        return (
            f"Le plan de financement apporte {euros(self.funded)} pour un budget de "
            f"{euros(self.budget)} : {euros(-self.gap)} de trop. Réduisez un financement, "
            "ou augmentez le budget."
        )


def funding_plan(budget: Decimal | int, amounts: dict[str, Decimal]) -> FundingPlan:
    """The plan of a budget from each funder's amount (a funder absent gives nothing)."""
    total = Decimal(budget)
    shares = [
        FundingShare(
            Funder(funder),
            Decimal(amounts[funder]),
            Decimal(amounts[funder]) / total if total else None,
        )
        for funder in Funder
        if funder in amounts
    ]
    return FundingPlan(total, shares)


def year_plan(plans: list[FundingPlan]) -> FundingPlan:
    """A year's plan: its operations' budgets and each funder's amounts added."""
    budget = sum((plan.budget for plan in plans), Decimal(0))
    amounts: dict[str, Decimal] = {}
    for plan in plans:
        for share in plan.shares:
            amounts[share.funder] = amounts.get(share.funder, Decimal(0)) + share.amount
    return funding_plan(budget, amounts)
