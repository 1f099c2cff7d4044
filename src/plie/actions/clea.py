"""The CléA rule, a pure function over plain values (no model).

Code du travail D.6113-1 and seed 001 (annexe 2): the certification covers 7 domains and 28
sub-domains, and « 75 % des points sont nécessaires pour être admis ». A positioning marks
each sub-domain acquired, to work on or not assessed: only the acquired points count, so a
sub-domain « non évalué » counts as not acquired (the explanation says so). The share is
read per domain and overall; the threshold is compared in whole numbers (21 points of 28 is
exactly 75 %: reached), never through a rounded percentage.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence

from plie.actions.enums import CleaLevel
from plie.core import plurals
from plie.core.formatting import BEFORE_UNIT, rounded

THRESHOLD_PERCENT = 75


@dataclasses.dataclass(frozen=True)
class SubdomainFacts:
    """What the rule reads of one sub-domain's result."""

    domain_number: int
    domain_name: str
    points: int
    level: str  # a CleaLevel value


@dataclasses.dataclass(frozen=True)
class Share:
    """The points acquired of a domain (or of all of them) against the 75 %."""

    label: str
    acquired: int
    total: int
    not_assessed: int  # points of sub-domains not assessed, counted as not acquired

    @property
    def needed(self) -> int:
        """The fewest points that reach 75 % of the total (21 of 28)."""
        return -(-THRESHOLD_PERCENT * self.total // 100)

    @property
    def reached(self) -> bool:
        return self.total > 0 and self.acquired * 100 >= THRESHOLD_PERCENT * self.total

    @property
    def missing(self) -> int:
        return max(self.needed - self.acquired, 0)

    @property
    def percent(self) -> int | None:
        """The share in whole percent, a half away from zero — never shown as 75 % while
        the threshold is not reached (74,6 % reads 74 %)."""
        if not self.total:
            return None
        shown = int(rounded(self.acquired * 100 / self.total, 0))
        if not self.reached and shown >= THRESHOLD_PERCENT:
            shown = THRESHOLD_PERCENT - 1
        return shown

    @property
    def explanation(self) -> str:
        """« 19 points sur 28, soit 68 % : il manque 2 points pour atteindre 75 % »."""
        if not self.total:
            return "Aucun point à évaluer."
        text = (
            f"{self.acquired} {plurals.noun_for(self.acquired, 'un point')} sur {self.total}, "
            f"soit {self.percent}{BEFORE_UNIT}%"
        )
        if self.reached:
            text += f" : le seuil de {THRESHOLD_PERCENT}{BEFORE_UNIT}% est atteint"
        else:
            text += (
                f" : il manque {self.missing} {plurals.noun_for(self.missing, 'un point')} "
                f"pour atteindre {THRESHOLD_PERCENT}{BEFORE_UNIT}%"
            )
        if self.not_assessed:
            if self.not_assessed == self.total:
                text += " (rien n'a été évalué : tout compte comme non acquis)"
            else:
                several = self.not_assessed > 1
                text += (
                    f" ({self.not_assessed} {'points' if several else 'point'} "
                    f"non {'évalués' if several else 'évalué'}, "
                    f"{'comptés' if several else 'compté'} comme non acquis)"
                )
        return text + "."


@dataclasses.dataclass(frozen=True)
class Reading:
    """A positioning read against the 75 %: each domain, in its order, and the whole."""

    domains: tuple[Share, ...]
    overall: Share


def share(label: str, results: Iterable[SubdomainFacts]) -> Share:
    acquired = total = not_assessed = 0
    for result in results:
        total += result.points
        if result.level == CleaLevel.ACQUIRED:
            acquired += result.points
        elif result.level != CleaLevel.TO_WORK_ON:
            not_assessed += result.points  # « non évalué », or nothing recorded
    return Share(label, acquired, total, not_assessed)


def reading(results: Sequence[SubdomainFacts]) -> Reading:
    """Per domain (in the order of their numbers) and overall."""
    by_domain: dict[int, list[SubdomainFacts]] = {}
    names: dict[int, str] = {}
    for result in results:
        by_domain.setdefault(result.domain_number, []).append(result)
        names[result.domain_number] = result.domain_name
    domains = tuple(
        share(f"{number}. {names[number]}", by_domain[number]) for number in sorted(by_domain)
    )
    return Reading(domains, share("Ensemble des domaines", results))
