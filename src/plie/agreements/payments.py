"""The rules of the payment schedule, pure functions over plain values (no model).

Seed 000, line 374 « Facturation »: « Le règlement de la mission s'effectuera de la manière
suivante : 30 % à la signature ; 30 % avec remise d'un bilan intermédiaire ; 40 % sur la base
du rapport final, des feuilles d'émargement et d'un état des jours consommés. » An instalment
is released by its deliverables, received and checked by a member of the team (issue 11, §4).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from plie.agreements.enums import CheckOutcome, InstalmentState
from plie.core import formatting

CENT = Decimal("0.01")
WHOLE = Decimal(100)


@dataclasses.dataclass(frozen=True)
class DeliverableFacts:
    """What the rule reads of a deliverable."""

    label: str
    received_on: datetime.date | None = None
    outcome: str = ""  # CheckOutcome, "" while not checked
    comment: str = ""


@dataclasses.dataclass(frozen=True)
class Reading:
    """An instalment's state and, when blocked, why (one French sentence per reason)."""

    state: InstalmentState
    reasons: tuple[str, ...] = ()


def deliverable_reason(deliverable: DeliverableFacts) -> str:
    """Why this deliverable holds its instalment back, or "" once accepted."""
    label = deliverable.label
    if deliverable.received_on is None:
        return f"{label} : pas encore reçu ; le prestataire le dépose sur son espace."
    if not deliverable.outcome:
        return (
            f"{label} : reçu le {formatting.day(deliverable.received_on)}, pas encore "
            "vérifié ; un membre de l'équipe le vérifie."
        )
    if deliverable.outcome == CheckOutcome.TO_REDO:
        why = f" ({deliverable.comment})" if deliverable.comment else ""
        return f"{label} : à refaire{why} ; le prestataire en dépose une nouvelle version."
    return ""


def instalment_state(
    *, signed: bool, paid: bool, deliverables: Sequence[DeliverableFacts]
) -> Reading:
    """PAID once recorded paid; DUE when the agreement is signed and every deliverable it
    needs is received and accepted; BLOCKED otherwise, with each reason (seed 000, l. 374)."""
    if paid:
        return Reading(InstalmentState.PAID)
    reasons = []
    if not signed:
        reasons.append(
            "La convention n'est pas encore signée ; enregistrez sa signature pour libérer "
            "les échéances."
        )
    reasons += [reason for d in deliverables if (reason := deliverable_reason(d))]
    if reasons:
        return Reading(InstalmentState.BLOCKED, tuple(reasons))
    return Reading(InstalmentState.DUE)


def schedule_refusal(shares: Sequence[Decimal]) -> str:
    """Why these shares cannot make a payment schedule (seed 000, l. 374: 30 + 30 + 40), or ""."""
    if not shares:
        return "Un échéancier a au moins une échéance : ajoutez-en une."
    if any(share <= 0 for share in shares):
        return "Chaque échéance a une part positive : corrigez celle qui est nulle."
    total = sum(shares, Decimal(0))
    if total != WHOLE:
        return (
            f"Les parts de l'échéancier font {formatting.plain_number(total)} % au lieu de "
            "100 % : corrigez-les pour qu'elles fassent 100 %."
        )
    return ""


def split_amount(amount: Decimal, shares: Sequence[Decimal]) -> list[Decimal]:
    """Each instalment's amount, rounded to the cent (half up), the last one taking the
    remainder so that the total is exactly the agreement's amount."""
    if problem := schedule_refusal(shares):
        raise ValueError(problem)
    amounts = [(amount * share / WHOLE).quantize(CENT, ROUND_HALF_UP) for share in shares[:-1]]
    return [*amounts, amount - sum(amounts, Decimal(0))]


def payment_date_refusal(paid_on: datetime.date, due_since: datetime.date) -> str:
    """Why a payment cannot bear that date: an instalment is paid once due (seed 000,
    « Facturation »: each share « avec remise » of its deliverables), so not before the day
    its last deliverable was accepted or the agreement signed. "" when the date is possible."""
    if paid_on < due_since:
        return (
            f"L'échéance n'est à payer que depuis le {formatting.day(due_since)} (signature "
            "de la convention, livrables acceptés) : un paiement ne peut pas la précéder ; "
            "corrigez la date."
        )
    return ""
