"""The judgement of proposals: each criterion's score, the price's by the call's formula, the
total out of 100 and the ranking with the call's tie rule, each with a French explanation.

Source: seed 000, « C. Jugement des propositions » (lines 357–373): the offer « la plus
avantageuse à l'issue d'un classement, selon les critères d'évaluation pondérés » (technical
value 40 %, team 30 %, price 30 %), after the hearing and the negotiation.

Pure: plain data in (`Criterion`, `Candidate`), a `Ranking` out; no model. A criterion's score
and the price's are kept exact; the total is rounded to the hundredth (a half away from
zero), and totals are compared as they are shown: two offers that both show 78,50 are
« ex aequo » and the tie rule decides between them, so that the page never ranks two offers
whose totals read the same without saying why.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from plie.core import formatting
from plie.purchasing.enums import PriceFormula, TieRule

TEN = Decimal(10)
HUNDREDTH = 2


@dataclasses.dataclass(frozen=True)
class Criterion:
    """A weighted criterion of the call (weights in %, adding up to 100)."""

    key: int
    label: str
    weight: int
    is_price: bool = False
    order: int = 0


@dataclasses.dataclass(frozen=True)
class Candidate:
    """A proposal as the ranking reads it.

    `points`: for each non-price criterion (by key), the points (0–10) of each evaluation
    taken into account; `prices`: the price of each offer in order (the deposited one, the
    hearing, each negotiated revision; None when an offer gave no price); `missing`: why the
    proposal cannot be scored yet (evaluations not done); `excluded`: why it is not ranked at
    all (refused as late, withdrawn)."""

    key: int
    name: str
    received_at: datetime.datetime
    points: Mapping[int, Sequence[Decimal]]
    prices: Sequence[Decimal | None]
    missing: Sequence[str] = ()
    excluded: str = ""


@dataclasses.dataclass(frozen=True)
class CriterionScore:
    criterion: Criterion
    score: Decimal  # exact, out of the criterion's weight
    explanation: str

    @property
    def shown(self) -> str:
        return formatting.number(self.score, HUNDREDTH)


@dataclasses.dataclass(frozen=True)
class Placed:
    """A ranked proposal: its scores, its total, its rank (ties broken) and why it is there."""

    candidate: Candidate
    scores: tuple[CriterionScore, ...]
    price: Decimal
    total: Decimal  # rounded to the hundredth, as shown
    rank: int = 0
    explanation: str = ""

    @property
    def shown_total(self) -> str:
        return formatting.number(self.total, HUNDREDTH)

    def score_on(self, criterion: Criterion) -> Decimal:
        return next(s.score for s in self.scores if s.criterion.key == criterion.key)


@dataclasses.dataclass(frozen=True)
class Unranked:
    candidate: Candidate
    reasons: tuple[str, ...]


@dataclasses.dataclass(frozen=True)
class Ranking:
    placed: tuple[Placed, ...]  # in rank order
    pending: tuple[Unranked, ...]  # not scorable yet, with the reasons
    excluded: tuple[Unranked, ...]  # not ranked (late, withdrawn)
    problems: tuple[str, ...]  # what prevents any ranking (the call's data)
    formula: str
    tie_rule: str

    @property
    def is_final(self) -> bool:
        """Every proposal that takes part is scored: the ranking may go to the committee."""
        return bool(self.placed) and not self.pending and not self.problems

    @property
    def first(self) -> Placed | None:
        return self.placed[0] if self.placed else None

    def of(self, key: int) -> Placed | None:
        return next((p for p in self.placed if p.candidate.key == key), None)


def euros(value: Decimal) -> str:
    return formatting.EUROS.text(value)


def last_price(prices: Sequence[Decimal | None]) -> Decimal | None:
    """The price the score uses: that of the last offer that gave one (a hearing without a
    new price keeps the previous one). Seed 000: « au terme de la négociation »."""
    for price in reversed(prices):
        if price is not None:
            return price
    return None


def criterion_score(points: Sequence[Decimal], weight: int) -> Decimal:
    """Mean of the evaluators' points (out of 10) ÷ 10 × weight; seed 000, « critères
    d'évaluation pondérés ». Points of 8 and 6 on a 40 % criterion: 7 ÷ 10 × 40 = 28."""
    if not points:
        raise ValueError("no points to average")
    mean = sum(points, Decimal(0)) / len(points)
    return mean / TEN * weight


def price_score(
    price: Decimal,
    *,
    lowest: Decimal,
    weight: int,
    formula: str,
    cap: Decimal | None,
) -> tuple[Decimal, str]:
    """The price criterion's score and its explanation; seed 000, « Prix : 30 % au regard du
    coût proposé ». LOWEST_OVER_PRICE: lowest ÷ price × weight. LINEAR_TO_CAP: weight ×
    (cap − price) ÷ (cap − lowest), the full weight at the lowest price, 0 at the cap or
    above it."""
    if formula == PriceFormula.LINEAR_TO_CAP:
        if cap is None:
            raise ValueError("the linear formula needs a budget cap")
        if price >= cap:
            return Decimal(0), (
                f"{euros(price)} atteint ou dépasse le plafond de {euros(cap)} : 0 sur {weight}"
            )
        if price <= lowest:
            return Decimal(
                weight
            ), f"{euros(price)} est le prix le plus bas : {weight} sur {weight}"
        score = Decimal(weight) * (cap - price) / (cap - lowest)
        return score, (
            f"{weight} × ({euros(cap)} − {euros(price)}) ÷ ({euros(cap)} − {euros(lowest)}) = "
            f"{formatting.number(score, HUNDREDTH)}"
        )
    if price <= lowest:
        return Decimal(weight), f"{euros(price)} est le prix le plus bas : {weight} sur {weight}"
    score = lowest / price * weight
    return score, (
        f"{euros(lowest)} ÷ {euros(price)} × {weight} = {formatting.number(score, HUNDREDTH)}"
    )


def formula_text(formula: str, criteria: Sequence[Criterion], cap: Decimal | None) -> str:
    """The scoring written in French from the call's data, as the ranking page shows it."""
    weighed = [c for c in sorted(criteria, key=_order) if not c.is_price]
    price = next((c for c in criteria if c.is_price), None)
    parts = [
        f"« {c.label} » : moyenne des notes sur 10 des évaluateurs ÷ 10 × {c.weight}"
        for c in weighed
    ]
    if price is not None:
        if formula == PriceFormula.LINEAR_TO_CAP:
            ceiling = euros(cap) if cap is not None else "le plafond du budget (à renseigner)"
            parts.append(
                f"« {price.label} » : {price.weight} × (plafond − prix) ÷ (plafond − prix le "
                f"plus bas), soit {price.weight} au prix le plus bas et 0 au plafond de "
                f"{ceiling} ou au-dessus"
            )
        else:
            parts.append(f"« {price.label} » : prix le plus bas ÷ prix de l'offre × {price.weight}")
        parts.append(
            "le prix retenu est celui de la dernière offre (l'audition sans nouveau prix garde "
            "le précédent)"
        )
    return (
        "Total sur 100, arrondi au centième : "
        + " ; ".join(parts)
        + ". Les propositions refusées (hors délai) ou retirées ne sont pas classées."
    )


def tie_rule_text(rule: str, criteria: Sequence[Criterion]) -> str:
    if rule == TieRule.LOWEST_PRICE:
        return (
            "À total égal (au centième), la proposition au prix le plus bas passe devant ; à "
            "prix égal, la première déposée."
        )
    heaviest = heaviest_criterion(criteria)
    name = f"« {heaviest.label} » ({heaviest.weight} %)" if heaviest else "le critère le plus lourd"
    return (
        f"À total égal (au centième), la meilleure note sur le critère de plus fort poids, "
        f"{name}, passe devant ; à note égale, la première déposée."
    )


def heaviest_criterion(criteria: Sequence[Criterion]) -> Criterion | None:
    """The criterion of highest weight; the first in order when weights tie."""
    ordered = sorted(criteria, key=_order)
    return max(ordered, key=lambda c: c.weight) if ordered else None


def _order(criterion: Criterion) -> tuple[int, int]:
    return (criterion.order, criterion.key)


def call_problems(criteria: Sequence[Criterion], formula: str, cap: Decimal | None) -> list[str]:
    """What in the call's own data prevents any ranking."""
    problems = []
    if not criteria:
        problems.append("L'appel n'a pas de critère de jugement : ajoutez-en dans l'appel.")
    elif sum(c.weight for c in criteria) != 100:
        total = sum(c.weight for c in criteria)
        problems.append(
            f"Les poids des critères font {total} % et non 100 % : corrigez-les dans l'appel."
        )
    if formula == PriceFormula.LINEAR_TO_CAP and cap is None and any(c.is_price for c in criteria):
        problems.append(
            "La notation linéaire du prix demande un plafond du budget : renseignez-le dans "
            "l'appel, ou choisissez la notation « prix le plus bas ÷ prix »."
        )
    return problems


def rank(
    candidates: Sequence[Candidate],
    criteria: Sequence[Criterion],
    *,
    formula: str,
    tie_rule: str,
    cap: Decimal | None = None,
) -> Ranking:
    """The ranking of the call's proposals; seed 000, « la prestation sera attribuée au
    candidat qui aura présenté l'offre la plus avantageuse à l'issue d'un classement »."""
    texts = {
        "formula": formula_text(formula, criteria, cap),
        "tie_rule": tie_rule_text(tie_rule, criteria),
    }
    excluded = tuple(Unranked(c, (c.excluded,)) for c in candidates if c.excluded)
    taking_part = [c for c in candidates if not c.excluded]
    problems = call_problems(criteria, formula, cap)
    if problems:
        return Ranking(
            (), tuple(Unranked(c, ()) for c in taking_part), excluded, tuple(problems), **texts
        )

    has_price = any(c.is_price for c in criteria)
    prices = {c.key: last_price(c.prices) for c in taking_part}
    known = [p for p in prices.values() if p is not None]
    lowest = min(known) if known else None
    pending, scored = [], []
    for candidate in taking_part:
        reasons = list(candidate.missing)
        reasons += [
            f"aucune note sur « {c.label} »"
            for c in criteria
            if not c.is_price and not candidate.points.get(c.key) and not candidate.missing
        ]
        if has_price and prices[candidate.key] is None:
            reasons.append("aucun prix : notez le prix de l'offre")
        if reasons:
            pending.append(Unranked(candidate, tuple(reasons)))
            continue
        scored.append(_scored(candidate, criteria, prices[candidate.key], lowest, formula, cap))

    placed = _ordered(scored, criteria, tie_rule)
    return Ranking(tuple(placed), tuple(pending), excluded, (), **texts)


def _scored(
    candidate: Candidate,
    criteria: Sequence[Criterion],
    price: Decimal | None,
    lowest: Decimal | None,
    formula: str,
    cap: Decimal | None,
) -> Placed:
    scores = []
    for criterion in sorted(criteria, key=_order):
        if criterion.is_price:
            assert price is not None and lowest is not None  # else the proposal is pending
            score, explanation = price_score(
                price, lowest=lowest, weight=criterion.weight, formula=formula, cap=cap
            )
        else:
            points = candidate.points[criterion.key]
            score = criterion_score(points, criterion.weight)
            mean = sum(points, Decimal(0)) / len(points)
            explanation = (
                f"moyenne {formatting.number(mean, HUNDREDTH)} sur 10 ÷ 10 × {criterion.weight}"
            )
        scores.append(CriterionScore(criterion, score, explanation))
    total = formatting.rounded(sum((s.score for s in scores), Decimal(0)), HUNDREDTH)
    return Placed(candidate, tuple(scores), price or Decimal(0), total)


def _ordered(scored: list[Placed], criteria: Sequence[Criterion], tie_rule: str) -> list[Placed]:
    """Sorted by total, then the tie rule, then deposit time, then the order of recording;
    each told its rank and why."""
    heaviest = heaviest_criterion(criteria)
    steps = _tie_steps(tie_rule, heaviest)

    def key(placed: Placed) -> tuple[Any, ...]:
        return (-placed.total, *(step.key(placed) for step in steps))

    ordered = sorted(scored, key=key)
    result = []
    count = len(ordered)
    for index, placed in enumerate(ordered):
        rank = index + 1
        tied = [p for p in ordered if p is not placed and p.total == placed.total]
        where = f"{_nth(rank)} sur {count} avec {placed.shown_total} sur 100"
        if tied:
            neighbour = ordered[index - 1] if index and ordered[index - 1] in tied else None
            neighbour = neighbour or ordered[index + 1]
            why = _tie_explanation(placed, neighbour, steps)
            names = ", ".join(p.candidate.name for p in tied)
            where += f" ; ex aequo avec {names} à {placed.shown_total} : {why}"
        result.append(dataclasses.replace(placed, rank=rank, explanation=where))
    return result


@dataclasses.dataclass(frozen=True)
class _TieStep:
    """One step of the tie rule: how it orders two proposals, and how it says it."""

    key: Callable[[Placed], Any]  # a sortable value, the smaller first
    says: Callable[[Placed, Placed], str]  # the French of « départagée par … »


def _tie_steps(tie_rule: str, heaviest: Criterion | None) -> list[_TieStep]:
    def by_criterion(this: Placed, other: Placed) -> str:
        assert heaviest is not None
        return (
            f"départagée par « {heaviest.label} » "
            f"({formatting.number(this.score_on(heaviest), HUNDREDTH)} contre "
            f"{formatting.number(other.score_on(heaviest), HUNDREDTH)})"
        )

    def by_price(this: Placed, other: Placed) -> str:
        return f"départagée par le prix ({euros(this.price)} contre {euros(other.price)})"

    def by_deposit(this: Placed, other: Placed) -> str:
        first = this.candidate.received_at < other.candidate.received_at
        return (
            "départagée par la date de dépôt (déposée "
            + ("avant" if first else "après")
            + f" {other.candidate.name})"
        )

    def by_recording(this: Placed, other: Placed) -> str:
        return "déposées au même instant : départagée par l'ordre d'enregistrement"

    steps = []
    if tie_rule == TieRule.LOWEST_PRICE:
        steps.append(_TieStep(lambda p: p.price, by_price))
    elif heaviest is not None:
        steps.append(
            _TieStep(lambda p: -formatting.rounded(p.score_on(heaviest), HUNDREDTH), by_criterion)
        )
    steps.append(_TieStep(lambda p: p.candidate.received_at, by_deposit))
    steps.append(_TieStep(lambda p: p.candidate.key, by_recording))
    return steps


def _tie_explanation(this: Placed, other: Placed, steps: list[_TieStep]) -> str:
    for step in steps:
        if step.key(this) != step.key(other):
            return step.says(this, other)
    return "départagée par l'ordre d'enregistrement"


def _nth(rank: int) -> str:
    return "1re" if rank == 1 else f"{rank}e"


@dataclasses.dataclass(frozen=True)
class Opinion:
    """The steering committee's answer to a written consultation, counted."""

    favourable: int
    unfavourable: int
    abstentions: int
    unanswered: int

    @property
    def allows_award(self) -> bool:
        return self.favourable > self.unfavourable

    @property
    def explanation(self) -> str:
        """Seed 001: « soumise à consultation écrite du Comité de pilotage. Celui-ci procédera
        à la validation des propositions » — validated when more members answer favourably
        than unfavourably; abstentions and members who did not answer count for neither."""
        counts = (
            f"{_answers(self.favourable, 'avis favorable', 'avis favorables')}, "
            f"{_answers(self.unfavourable, 'avis défavorable', 'avis défavorables')}, "
            f"{_answers(self.abstentions, 'abstention', 'abstentions')}, "
            f"{_answers(self.unanswered, 'membre sans réponse', 'membres sans réponse')}"
        )
        if self.allows_award:
            return f"Le comité de pilotage valide la proposition : {counts}."
        return (
            f"Le comité de pilotage ne valide pas la proposition ({counts}) : il faut plus "
            "d'avis favorables que d'avis défavorables. Vous pouvez déclarer l'appel sans "
            "suite, puis en publier un nouveau."
        )


def _answers(count: int, one: str, many: str) -> str:
    return f"{count} {one if count < 2 else many}"
