"""The pathways that meet a positive-exit condition, for the worklists of a whole PLIE.

The database leaves out, in one pass over the steps, the pathways that lack, for each rule,
something it needs (`positive_exit_needs`); the others are read as plain rows (no model
objects) and evaluated by the engine on the rules they may meet, checked once. Thousands of pathways were
loaded as objects and evaluated one by one: most of the 7 to 12 seconds of the
coordination's « À suivre » (docs/performance.md).
"""

import dataclasses
import datetime
import functools
import operator

from django.db.models import Case, F, IntegerField, Max, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, Greatest, Least

from plie.core.dates import age_on
from plie.core.expressions import DaysBetween, Unindexed
from plie.pathways.models import Pathway, Step, StepType
from plie.pathways.positive_exit import ConditionResult, ExitFacts, StepFact
from plie.pathways.positive_exit_needs import DaysNeed, ExitScreen, StepNeed
from plie.pathways.selectors import exit_rules_on


def _step_q(need: StepNeed, type_ids: dict[str, int], on: datetime.date) -> Q:
    """`need` as a condition on a step of `_started`, as `StepNeed.fits`."""
    condition = Q(kind__in=sorted(type_ids[c] for c in need.types if c in type_ids))
    if need.started_by < on:
        condition &= Q(start_date__lte=need.started_by)
    if need.going_on is not None:
        condition &= Q(end_date__isnull=True) | Q(end_date__gte=need.going_on)
    if need.with_an_end:
        condition &= Q(end_date__isnull=False) | Q(planned_end_date__isnull=False)
    if need.min_weekly_hours is not None:
        condition &= Q(part_time_agreed=True) | Q(weekly_hours__gte=need.min_weekly_hours)
    return condition


def _started(steps: QuerySet[Step], screen: ExitScreen, type_ids: dict[str, int]) -> QuerySet:
    """The steps a rule may count: of a type some rule names, started by the date, with
    possible dates. Their type is `kind`, kept from SQLite's index choice (`Unindexed`):
    through the type's index it read every step of those types, of every pathway, ten times
    the steps of the pathways asked for."""
    return (
        steps.alias(kind=Unindexed("step_type_id", output_field=IntegerField()))
        .filter(kind__in=sorted(type_ids[c] for c in screen.step_types if c in type_ids))
        .filter(start_date__lte=screen.on)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")))
        .order_by()
    )


def _days_in_window(days: DaysNeed):
    """A step's days from the window's start to the date, both counted (`DaysNeed.days_of`)."""
    until = Least(Coalesce("end_date", Value(days.on)), Value(days.on))
    return DaysBetween(until, Greatest("start_date", Value(days.window_start))) + 1.0


def _possible_rules(
    pathways: QuerySet[Pathway], screen: ExitScreen, type_ids: dict[str, int]
) -> tuple[QuerySet, dict[str, tuple[tuple[str, int], ...]]]:
    """Rows of the pathways that may meet some rule (`could_meet_an_exit_rule`), by
    `pathway_id`, and for each rule the annotations that say whether the pathway has what
    it needs: each with the least value that says so (1 for a step that fits, the days
    needed for days in a window)."""
    fitting, flags, names, any_rule = [], {}, {}, None
    for needs in screen.needs:
        rule = Q()
        names[needs.code] = ()
        for need in needs.steps:
            condition = _step_q(need, type_ids, screen.on)
            name = f"has_need_{len(flags)}"
            fitting.append(condition)
            flags[name] = Max(Case(When(condition, then=1), default=0))
            names[needs.code] += ((name, 1),)
            rule &= Q(**{name: 1})
        if needs.days is not None:
            condition = _step_q(needs.days.step, type_ids, screen.on)
            name = f"has_need_{len(flags)}"
            fitting.append(condition)
            flags[name] = Sum(Case(When(condition, then=_days_in_window(needs.days)), default=0.0))
            names[needs.code] += ((name, needs.days.days),)
            rule &= Q(**{f"{name}__gte": needs.days.days})
        if needs.born_by is not None:
            rule &= Q(pathway__participant__birth_date__lte=needs.born_by)
        any_rule = rule if any_rule is None else any_rule | rule
    if any_rule is None:
        return pathways.none(), {}
    by_pathway = (
        _started(Step.objects.filter(pathway__in=pathways), screen, type_ids)
        .filter(functools.reduce(operator.or_, fitting))
        .values("pathway_id", "pathway__participant__birth_date")
        .annotate(**flags)
        .filter(any_rule)
    )
    return by_pathway, names


def could_meet_an_exit_rule(pathways: QuerySet[Pathway], screen: ExitScreen) -> QuerySet:
    """Only the pathways that have what some rule needs (positive_exit_needs: an ongoing CDI
    and a chain started six months ago, intérim late and early enough in the window...): the
    others cannot meet any condition, and evaluating each of them in Python is what made the
    coordination's worklists slow at scale. Checked in one pass over their steps, grouped by
    pathway: a subquery per need made both engines read the steps once per need."""
    type_ids = dict(StepType.objects.values_list("code", "pk"))
    possible, _ = _possible_rules(pathways, screen, type_ids)
    return pathways.filter(pk__in=possible.values("pathway_id"))


# The order of the list: the pathways' own (participant, then number), made total.
EXIT_CANDIDATE_ORDER = (
    "participant__last_name",
    "participant__first_name",
    "participant",
    "-number",
)


@dataclasses.dataclass(frozen=True)
class ExitCandidate:
    """A pathway that meets a positive-exit condition, as the worklists count it."""

    pathway_id: int
    referent_id: int
    met: tuple[ConditionResult, ...]  # in rule order, never empty
    pathway: Pathway | None = None  # loaded for the rows shown only


STEP_FACT_BATCH = 500  # pathways per query: far under any engine's limit on parameters


def _step_facts(
    pathway_ids: list[int], screen: ExitScreen, type_ids: dict[str, int]
) -> dict[int, list[StepFact]]:
    """The steps the rules look at (their types, started by the date, possible dates) of
    these pathways, as plain rows in the pathway page's order (Step's own), so that ties
    between two periods of the same length are settled as there. By batches of keys: a
    subquery would search the candidates again."""
    codes = {pk: code for code, pk in type_ids.items()}
    facts: dict[int, list[StepFact]] = {}
    for first in range(0, len(pathway_ids), STEP_FACT_BATCH):
        batch = pathway_ids[first : first + STEP_FACT_BATCH]
        rows = (
            _started(Step.objects.filter(pathway_id__in=batch), screen, type_ids)
            .order_by(*Step._meta.ordering)
            .values_list(
                "pathway_id",
                "step_type_id",
                "start_date",
                "end_date",
                "planned_end_date",
                "weekly_hours",
                "part_time_agreed",
                "organisation_name",
            )
        )
        for pathway_id, type_id, start, end, planned_end, hours, agreed, employer in rows:
            facts.setdefault(pathway_id, []).append(
                StepFact(
                    type_code=codes[type_id],
                    start=start,
                    end=end,
                    planned_end=planned_end,
                    weekly_hours=hours,
                    part_time_agreed=agreed,
                    employer=employer.strip().casefold(),
                )
            )
    return facts


def _through_pathway(ordering: str) -> str:
    """An ordering of pathways, for rows reached from a pathway's steps."""
    return f"-pathway__{ordering[1:]}" if ordering.startswith("-") else f"pathway__{ordering}"


def exit_candidates(
    pathways: QuerySet[Pathway], programme, on: datetime.date
) -> tuple[ExitCandidate, ...]:
    """The pathways that meet a condition of the protocol in force at `on`, in the list's
    order, read as plain rows (one query for the pathways, one per 500 of them for their
    steps) and evaluated in Python."""
    _, rules = exit_rules_on(programme, on)
    if not rules:
        return ()
    screen = ExitScreen(rules, on)
    type_ids = dict(StepType.objects.values_list("code", "pk"))
    possible, flags = _possible_rules(pathways, screen, type_ids)
    flag_names = [name for names in flags.values() for name, _ in names]
    heads = list(
        possible.order_by(*(_through_pathway(field) for field in EXIT_CANDIDATE_ORDER)).values_list(
            "pathway_id", "pathway__referent_id", "pathway__participant__birth_date", *flag_names
        )
    )
    steps = _step_facts([pk for pk, *_ in heads], screen, type_ids)
    found = []
    for pathway_id, referent_id, birth_date, *has_needs in heads:
        has = dict(zip(flag_names, has_needs, strict=True))
        facts = ExitFacts(
            age=age_on(birth_date, on) if birth_date else None,
            steps=tuple(steps.get(pathway_id, ())),
        )
        with_steps = {
            code for code, names in flags.items() if all(has[n] >= least for n, least in names)
        }
        met = screen.conditions_met(facts, with_steps=with_steps)
        if met:
            found.append(ExitCandidate(pathway_id, referent_id, met))
    return tuple(found)
