"""The added value of an action: its participants compared with comparable PLIE participants
who did not take it, by coarsened exact matching (CEM) — a pure rule over plain records (no
model); `evaluation/added_value.py` reads the records from the database.

Sources: seed 001, « Afin de mesurer la plus-value de cette intervention, le PLIE réalisera un
travail d'évaluation de la prestation » ; seed 000, « la plus-value de son intervention »
(issue 13, §3). Method: Iacus, King and Porro, « Causal Inference without Balance Checking:
Coarsened Exact Matching », Political Analysis 20 (2012) — strata of people alike once their
characteristics are coarsened, strata keeping at least one participant and one comparable
person, and the CEM weights. The comparisons are a weighted least squares regression of each
outcome on « took part » (statsmodels WLS, heteroscedasticity-robust standard errors HC1):
its coefficient is the difference between the participants and the weighted comparable
people, with its 95 % confidence interval. The definitions, thresholds and limits are in
docs/indicators.md (« Plus-value d'une action »).

Why CEM rather than propensity scores: a PLIE team can read a stratum (« femmes de 26 à
44 ans entrées au 1er semestre 2026, niveau 3 ou moins, au RSA, hors QPV, chômeuses de
longue durée ») and check it; a score from a logistic regression cannot be read, and with a
few dozen participants its estimate is unstable. CEM also never compares people outside the
common support: a participant without any comparable person is left out, and counted.
"""

from __future__ import annotations

import dataclasses
import datetime
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from plie.core.dates import age_on
from plie.core.months import add_months, reached_on, whole_months_between
from plie.participants.enums import ExitReason

# Under these, the page says plainly that the groups are too small to conclude.
MIN_MATCHED_TREATED = 20  # participants of the action with at least one comparable person
MIN_PER_OUTCOME = 20  # participants, and comparable people, observed for one outcome

# Coarsening: the characteristics at entry, in a few levels each.
AGE_BANDS = ((0, "moins de 26 ans"), (26, "26 à 44 ans"), (45, "45 ans et plus"))
LONG_TERM_MONTHS = 12  # out of work 12 months or more at entry (protocol criterion)
UNKNOWN = "non renseigné"


@dataclasses.dataclass(frozen=True)
class Person:
    """One pathway, as the matching reads it: its characteristics at entry, its steps (the
    action's own step left out: it is the treatment) and its exit. `anchor` is the day the
    action started for a participant (their group's start); for a comparable person it is set
    by `anchored`."""

    key: int
    treated: bool
    entry_date: datetime.date
    birth_date: datetime.date | None = None
    sex: str = ""
    education_level: int | None = None  # 2019 nomenclature (3: CAP, BEP; 4: bac…)
    minimum_income: bool | None = None  # RSA or another minimum benefit at entry
    qpv: bool = False
    out_of_work_since: datetime.date | None = None
    anchor: datetime.date | None = None
    steps: tuple[tuple[datetime.date, datetime.date | None], ...] = ()
    exit_date: datetime.date | None = None
    exit_reason: str = ""


def half_year(day: datetime.date) -> str:
    return f"{1 if day.month <= 6 else 2}{'er' if day.month <= 6 else 'e'} semestre {day.year}"


def age_band(person: Person) -> str:
    if person.birth_date is None:
        return UNKNOWN
    age = age_on(person.birth_date, person.entry_date)
    return [label for first, label in AGE_BANDS if age >= first][-1]


def education_band(level: int | None) -> str:
    if level is None:
        return UNKNOWN
    if level <= 3:
        return "niveau 3 ou moins"
    return "niveau 4" if level == 4 else "niveau 5 ou plus"


def _yes_no(value: bool | None) -> str:
    return UNKNOWN if value is None else ("oui" if value else "non")


def long_term_unemployed(person: Person) -> bool | None:
    if person.out_of_work_since is None:
        return None
    return whole_months_between(person.out_of_work_since, person.entry_date) >= LONG_TERM_MONTHS


# What the strata are made of, in the order the page names them.
MATCHED_ON = (
    ("Semestre d'entrée au PLIE", lambda p: half_year(p.entry_date)),
    ("Âge à l'entrée (moins de 26 ans, 26 à 44 ans, 45 ans et plus)", age_band),
    ("Sexe", lambda p: p.sex or UNKNOWN),
    (
        "Niveau de formation (3 ou moins, 4, 5 ou plus)",
        lambda p: education_band(p.education_level),
    ),
    ("Minimum social à l'entrée (RSA ou autre)", lambda p: _yes_no(p.minimum_income)),
    ("Résidence en QPV", lambda p: _yes_no(p.qpv)),
    (
        "Critère du protocole : sans emploi depuis 12 mois ou plus à l'entrée",
        lambda p: _yes_no(long_term_unemployed(p)),
    ),
)


def stratum_of(person: Person) -> tuple[str, ...]:
    return tuple(coarsen(person) for _, coarsen in MATCHED_ON)


@dataclasses.dataclass(frozen=True)
class Stratum:
    key: tuple[str, ...]
    treated: tuple[Person, ...]
    controls: tuple[Person, ...]


@dataclasses.dataclass(frozen=True)
class Matching:
    """The strata with at least one participant and one comparable person, and the CEM
    weights: 1 for a participant; for a comparable person of stratum s,
    (participants of s ÷ comparable people of s) × (comparable people matched ÷ participants
    matched), so that the comparable people weigh in each stratum what its participants do."""

    strata: tuple[Stratum, ...]
    unmatched_treated: int
    unmatched_controls: int

    @property
    def treated(self) -> list[Person]:
        return [p for s in self.strata for p in s.treated]

    @property
    def controls(self) -> list[Person]:
        return [p for s in self.strata for p in s.controls]

    def weight(self, stratum: Stratum) -> float:
        """The CEM weight of each comparable person of `stratum`."""
        matched_treated, matched_controls = len(self.treated), len(self.controls)
        return (len(stratum.treated) / len(stratum.controls)) * (matched_controls / matched_treated)


def match(people: Iterable[Person]) -> Matching:
    groups: dict[tuple[str, ...], tuple[list[Person], list[Person]]] = defaultdict(lambda: ([], []))
    for person in people:
        groups[stratum_of(person)][0 if person.treated else 1].append(person)
    strata = tuple(
        Stratum(key, tuple(treated), tuple(controls))
        for key, (treated, controls) in sorted(groups.items())
        if treated and controls
    )
    return Matching(
        strata,
        unmatched_treated=sum(len(t) for t, c in groups.values() if not c),
        unmatched_controls=sum(len(c) for t, c in groups.values() if not t),
    )


def anchored(people: Iterable[Person], today: datetime.date) -> list[Person]:
    """The participants, and the comparable people given an anchor: the median delay between
    entry and the action's start of the participants of their stratum (the lower median: a
    real delay), after their own entry. A comparable person whose anchor is still to come, or
    who left the PLIE on or before it, is not comparable: the participants were in the PLIE
    when the action started."""
    people = list(people)
    delays: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for person in people:
        if person.treated and person.anchor is not None:
            delays[stratum_of(person)].append((person.anchor - person.entry_date).days)
    kept = []
    for person in people:
        if person.treated:
            if person.anchor is not None:
                kept.append(person)
            continue
        stratum_delays = delays.get(stratum_of(person))
        if not stratum_delays:
            continue
        anchor = person.entry_date + datetime.timedelta(days=statistics.median_low(stratum_delays))
        if anchor > today or (person.exit_date is not None and person.exit_date <= anchor):
            continue
        kept.append(dataclasses.replace(person, anchor=anchor))
    return kept


# Outcomes ----------------------------------------------------------------------------------


def _in_step_on(person: Person, day: datetime.date) -> bool:
    return any(start <= day and (end is None or end >= day) for start, end in person.steps)


def _exited_by(person: Person, day: datetime.date, reason: str) -> bool:
    return person.exit_date is not None and person.exit_date <= day and person.exit_reason == reason


def step_or_positive_exit_at(months: int) -> Callable[[Person], float]:
    """1 if, at the end of the day the anchor reaches `months` months, a step (other than the
    action) is running — or the person has left the PLIE with a positive exit by then (a job
    or a qualifying training: the step the PLIE works for) —, else 0."""

    def value(person: Person) -> float:
        assert person.anchor is not None
        day = reached_on(person.anchor, months)
        return float(_in_step_on(person, day) or _exited_by(person, day, ExitReason.POSITIVE))

    return value


def days_to_a_step(person: Person) -> float:
    """Days from the anchor to a step other than the action: 0 when one is running on the
    anchor day, else to the first one that starts after it; counted up to 6 months (the
    restricted mean: a person without a step in 6 months counts for 6 months, or their
    positive exit's day if they left for a job or a training)."""
    assert person.anchor is not None
    cap = add_months(person.anchor, 6)
    if _in_step_on(person, person.anchor):
        return 0.0
    starts = [start for start, _ in person.steps if person.anchor < start < cap]
    exit_date = person.exit_date
    if person.exit_reason == ExitReason.POSITIVE and exit_date and person.anchor < exit_date < cap:
        starts.append(exit_date)
    return float(((min(starts) if starts else cap) - person.anchor).days)


def exit_within(months: int, reason: str) -> Callable[[Person], float]:
    def value(person: Person) -> float:
        assert person.anchor is not None
        return float(_exited_by(person, reached_on(person.anchor, months), reason))

    return value


@dataclasses.dataclass(frozen=True)
class Outcome:
    code: str
    label: str
    is_share: bool  # a share of people (difference in points); else a mean of days
    months: int  # the follow-up it needs after the anchor
    value: Callable[[Person], float]
    better_when_higher: bool = True


OUTCOMES = (
    Outcome(
        "days_to_step",
        "Délai avant une étape, depuis le début de l'action (jours, plafonné à 6 mois)",
        False,
        6,
        days_to_a_step,
        better_when_higher=False,
    ),
    Outcome(
        "step_3_months",
        "Part en étape (ou sortie positive) 3 mois après le début de l'action",
        True,
        3,
        step_or_positive_exit_at(3),
    ),
    Outcome(
        "step_6_months",
        "Part en étape (ou sortie positive) 6 mois après le début de l'action",
        True,
        6,
        step_or_positive_exit_at(6),
    ),
    Outcome(
        "positive_exit_12_months",
        "Part sortie en sortie positive dans les 12 mois",
        True,
        12,
        exit_within(12, ExitReason.POSITIVE),
    ),
    Outcome(
        "drop_out_12_months",
        "Part sortie pour abandon du parcours dans les 12 mois",
        True,
        12,
        exit_within(12, ExitReason.ABANDONED),
        better_when_higher=False,
    ),
)


# Comparisons -------------------------------------------------------------------------------

RESULT = "result"
TOO_SMALL = "too_small"
TOO_SHORT = "too_short"


@dataclasses.dataclass(frozen=True)
class Comparison:
    outcome: Outcome
    verdict: str  # RESULT, TOO_SMALL or TOO_SHORT
    treated: int  # participants matched and observed for this outcome
    controls: int  # comparable people matched and observed
    waiting: int = 0  # participants matched whose follow-up is still too short
    treated_value: float | None = None
    control_value: float | None = None  # weighted
    difference: float | None = None
    low: float | None = None  # 95 % confidence interval
    high: float | None = None


def weighted_difference(
    values: Sequence[float], treated: Sequence[bool], weights: Sequence[float]
) -> tuple[float, float, float]:
    """The difference (participants − weighted comparable people) and its 95 % confidence
    interval: WLS of the outcome on « took part », robust standard errors (HC1)."""
    import numpy
    from statsmodels.regression.linear_model import WLS  # type: ignore[import-untyped]

    took_part = numpy.array([1.0 if t else 0.0 for t in treated])
    design = numpy.column_stack([numpy.ones_like(took_part), took_part])
    with numpy.errstate(divide="ignore", invalid="ignore"):
        fitted = WLS(numpy.array(values, dtype=float), design, weights=weights).fit(cov_type="HC1")
        low, high = fitted.conf_int(alpha=0.05)[1]
    difference = float(fitted.params[1])
    if numpy.isnan(low) or numpy.isnan(high):  # no variation at all: the interval is the point
        low = high = difference
    return difference, float(low), float(high)


def compare(people: Sequence[Person], outcome: Outcome, today: datetime.date) -> Comparison:
    """One outcome for the anchored people: those whose anchor has reached the follow-up the
    outcome needs, matched again among themselves (a stratum may lose its comparable people)."""
    everyone = match(people)
    observed = [
        p for p in people if p.anchor is not None and reached_on(p.anchor, outcome.months) <= today
    ]
    matching = match(observed)
    treated, controls = matching.treated, matching.controls
    waiting = max(0, len(everyone.treated) - len(treated))
    if len(treated) < MIN_PER_OUTCOME or len(controls) < MIN_PER_OUTCOME:
        # Too short when time alone is missing: everyone matched would be enough, observed.
        enough = len(everyone.treated) >= MIN_PER_OUTCOME and (
            len(everyone.controls) >= MIN_PER_OUTCOME
        )
        return Comparison(
            outcome, TOO_SHORT if enough else TOO_SMALL, len(treated), len(controls), waiting
        )
    values, flags, weights = [], [], []
    for stratum in matching.strata:
        weight = matching.weight(stratum)
        for person in stratum.treated:
            values.append(outcome.value(person))
            flags.append(True)
            weights.append(1.0)
        for person in stratum.controls:
            values.append(outcome.value(person))
            flags.append(False)
            weights.append(weight)
    difference, low, high = weighted_difference(values, flags, weights)
    treated_value = statistics.fmean(v for v, t in zip(values, flags, strict=True) if t)
    control_value = sum(
        v * w for v, t, w in zip(values, flags, weights, strict=True) if not t
    ) / sum(w for t, w in zip(flags, weights, strict=True) if not t)
    return Comparison(
        outcome,
        RESULT,
        len(treated),
        len(controls),
        waiting,
        treated_value,
        control_value,
        difference,
        low,
        high,
    )


@dataclasses.dataclass(frozen=True)
class Evaluation:
    participants: int  # the action's participants who had entered the PLIE before it
    matching: Matching
    comparisons: tuple[Comparison, ...]

    @property
    def matched_treated(self) -> int:
        return len(self.matching.treated)

    @property
    def matched_controls(self) -> int:
        return len(self.matching.controls)

    @property
    def enough(self) -> bool:
        return self.matched_treated >= MIN_MATCHED_TREATED


def evaluate(people: Iterable[Person], today: datetime.date) -> Evaluation:
    """Anchor, match, and compare each outcome; under `MIN_MATCHED_TREATED` participants
    matched, no outcome is compared."""
    people = anchored(people, today)
    matching = match(people)
    enough = len(matching.treated) >= MIN_MATCHED_TREATED
    comparisons = tuple(
        compare(people, outcome, today)
        if enough
        else Comparison(outcome, TOO_SMALL, len(matching.treated), len(matching.controls))
        for outcome in OUTCOMES
    )
    return Evaluation(sum(1 for p in people if p.treated), matching, comparisons)
