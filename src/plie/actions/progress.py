"""The progress of the self-assessment, a pure function over plain values (no model).

Seed 000: the person rates the fundamentals (put words on one's situation, express a
project, allow oneself to undertake, autonomy, confidence, motivation) on a scale of 1 to 4
at the start of the action and at its end. Progress is read per fundamental: for one person
(the end score minus the start score), and averaged over a cohort — only the people who
answered both times count, so that a person who left before the end does not lower the
start's average nor raise the end's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from decimal import Decimal

from plie.core.formatting import rounded

Scores = Mapping[str, int]  # fundamental (a Fundamental value) -> score 1 to 4


@dataclasses.dataclass(frozen=True)
class FundamentalProgress:
    """One fundamental for one person: the start and end scores, and the change."""

    fundamental: str
    start: int | None
    end: int | None

    @property
    def change(self) -> int | None:
        if self.start is None or self.end is None:
            return None
        return self.end - self.start


@dataclasses.dataclass(frozen=True)
class AverageProgress:
    """One fundamental over a cohort: how many people answered both times, and the
    averages of their start and end scores (to the tenth)."""

    fundamental: str
    people: int
    start: Decimal | None
    end: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.start is None or self.end is None:
            return None
        return self.end - self.start


def person_progress(
    start: Scores | None, end: Scores | None, fundamentals: Sequence[str]
) -> list[FundamentalProgress]:
    """Each fundamental, in the order given, with the scores the person gave (None when a
    self-assessment, or its answer to that fundamental, is missing)."""
    return [
        FundamentalProgress(
            fundamental,
            (start or {}).get(fundamental),
            (end or {}).get(fundamental),
        )
        for fundamental in fundamentals
    ]


def cohort_progress(
    people: Sequence[tuple[Scores | None, Scores | None]], fundamentals: Sequence[str]
) -> list[AverageProgress]:
    """Each fundamental averaged over the people who rated it at the start and at the end."""
    averages = []
    for fundamental in fundamentals:
        pairs = [
            (start[fundamental], end[fundamental])
            for start, end in people
            if start and end and fundamental in start and fundamental in end
        ]
        if not pairs:
            averages.append(AverageProgress(fundamental, 0, None, None))
            continue
        count = len(pairs)
        averages.append(
            AverageProgress(
                fundamental,
                count,
                rounded(Decimal(sum(s for s, _ in pairs)) / count, 1),
                rounded(Decimal(sum(e for _, e in pairs)) / count, 1),
            )
        )
    return averages
