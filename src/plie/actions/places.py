"""The places of a cohort, a pure rule over plain values (no model): whether a new person can
be accepted, how many places are left, who waits and in which order.

Issue 12, §2: « Capacité et liste d'attente » — a cohort holds at most its capacity (seed 001:
groups of 8 to 12); a referral accepted or completed holds a place, one dropped out frees it;
past the capacity, the provider's acceptance puts the person on the waiting list, first sent
first served. A cancelled cohort, or one that has started, takes nobody: a person joining a
group under way would have a step begun before they were referred and sessions missed that
lower the group's attendance (the provider proposes a group to come instead).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Sequence

from plie.actions.enums import HOLDS_A_PLACE, ReferralStatus
from plie.core import formatting


@dataclasses.dataclass(frozen=True)
class ReferralFacts:
    """What the rule reads of a referral to the cohort."""

    key: int
    status: str  # ReferralStatus
    sent_at: datetime.datetime


@dataclasses.dataclass(frozen=True)
class Places:
    """A cohort's places: how many it has, how many are taken, who waits (keys, in order),
    and whether it takes a new person now; `reason` says why not, in French. A full cohort
    that is not closed puts a person accepted on its waiting list."""

    capacity: int
    taken: int
    waiting: tuple[int, ...]
    closed: bool  # cancelled or started: nobody enters, nobody waits
    reason: str = ""

    @property
    def accepts(self) -> bool:
        return not self.closed and self.taken < self.capacity

    @property
    def left(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def full(self) -> bool:
        return self.taken >= self.capacity


def waiting_order(referrals: Iterable[ReferralFacts]) -> tuple[int, ...]:
    """The waiting list, the first sent first (the key breaks ties of the same moment)."""
    waiting = [r for r in referrals if r.status == ReferralStatus.WAITING]
    return tuple(r.key for r in sorted(waiting, key=lambda r: (r.sent_at, r.key)))


def places(
    *,
    capacity: int,
    cancelled: bool,
    started: bool,
    referrals: Sequence[ReferralFacts],
) -> Places:
    """The cohort's places; `started`: its first day has come (nobody enters any more)."""
    taken = sum(1 for r in referrals if r.status in HOLDS_A_PLACE)
    reason = _refusal(capacity=capacity, taken=taken, cancelled=cancelled, started=started)
    return Places(capacity, taken, waiting_order(referrals), cancelled or started, reason)


def _refusal(*, capacity: int, taken: int, cancelled: bool, started: bool) -> str:
    if cancelled:
        return "Ce groupe est annulé : choisissez un autre groupe de l'action."
    if started:
        return (
            "Ce groupe a commencé : on n'y entre plus en cours de route. Proposez à la "
            "personne un groupe à venir."
        )
    if taken >= capacity:
        return (
            f"Ce groupe est complet ({formatting.number(taken)} sur "
            f"{formatting.number(capacity)} places) : la personne est mise sur la liste "
            "d'attente ; proposez-lui un autre groupe si une place ne se libère pas."
        )
    return ""
