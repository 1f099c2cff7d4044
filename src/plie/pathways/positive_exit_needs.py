"""What a positive-exit condition cannot be met without, so that the worklists leave out in
the database the pathways that cannot meet any (docs/positive-exit-rules.md).

Each kind of rule of `positive_exit` is met only if some steps exist: a CDI still going on
and a step of the chain started early enough, intérim up to late enough in the window and
from early enough in it, a contract with an end date, a step started; and, with `min_age`,
a person old enough. `rule_needs` says which, as plain data that `exit_candidates.py`
turns into SQL and `may_be_met` checks on a pathway's facts. Every need is *necessary*,
never sufficient: a pathway that meets the rule always has them (the tests check it against
the engine, at the boundary of each); one that has them is still evaluated by the engine.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from plie.core.months import FEWEST_DAYS_PER_MONTH, latest_start, window_start
from plie.pathways.positive_exit import (
    CheckedRules,
    ConditionResult,
    ExitFacts,
    StepFact,
    conditions_met,
)


@dataclasses.dataclass(frozen=True)
class StepNeed:
    """A step the rule cannot be met without: of one of `types`, started by `started_by`,
    with possible dates (not ended before it started), and, when set, not ended before
    `going_on`, of at least `min_weekly_hours` a week (or agreed under), with an end date
    (actual or planned)."""

    types: frozenset[str]
    started_by: datetime.date
    going_on: datetime.date | None = None
    min_weekly_hours: Decimal | None = None
    with_an_end: bool = False

    def fits(self, step: StepFact) -> bool:
        if step.type_code not in self.types or step.start > self.started_by:
            return False
        if step.end is not None and step.end < max(step.start, self.going_on or step.start):
            return False
        if self.with_an_end and step.end is None and step.planned_end is None:
            return False
        return (
            self.min_weekly_hours is None
            or step.part_time_agreed
            or (
                step.weekly_hours is not None
                and Decimal(step.weekly_hours) >= self.min_weekly_hours
            )
        )


@dataclasses.dataclass(frozen=True)
class DaysNeed:
    """Days the rule cannot be met with fewer of: those from `window_start` to `on` of the
    steps that fit `step`, each step's own (two steps on the same day count it twice), so
    at least the days the engine counts."""

    step: StepNeed
    window_start: datetime.date
    on: datetime.date
    days: int

    def days_of(self, step: StepFact) -> int:
        until = self.on if step.end is None or step.end > self.on else step.end
        return (until - max(step.start, self.window_start)).days + 1

    def fits(self, facts: ExitFacts) -> bool:
        found = sum(self.days_of(step) for step in facts.steps if self.step.fits(step))
        return found >= self.days


@dataclasses.dataclass(frozen=True)
class RuleNeeds:
    """Everything one rule needs at a date: each step need met by some step (not
    necessarily the same one), days in a window, and the age."""

    code: str
    steps: tuple[StepNeed, ...]
    days: DaysNeed | None = None
    min_age: int | None = None
    born_by: datetime.date | None = None  # `min_age` as a birth date: born on or before

    def old_enough(self, facts: ExitFacts) -> bool:
        return self.min_age is None or (facts.age is not None and facts.age >= self.min_age)

    def may_be_met(self, facts: ExitFacts) -> bool:
        if not self.old_enough(facts):
            return False
        if self.days is not None and not self.days.fits(facts):
            return False
        return all(any(need.fits(step) for step in facts.steps) for need in self.steps)


def born_by(on: datetime.date, years: int) -> datetime.date:
    """The last birth date of a person at least `years` old on `on` (core.dates.age_on)."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February of a year that has none: born by 28 February
        return on.replace(year=on.year - years, day=28)


def _hours(rule: dict[str, Any]) -> Decimal | None:
    threshold = rule.get("min_weekly_hours")
    return None if threshold is None else Decimal(str(threshold))  # as positive_exit._select


def rule_needs(rule: dict[str, Any], on: datetime.date) -> RuleNeeds:
    """What `rule` (one of a CheckedRules) cannot be met without at `on`; each line below
    follows from the evaluator of its kind in positive_exit.py."""
    listed, hours = frozenset(rule["step_types"]), _hours(rule)
    kind, days = rule["kind"], None
    steps: tuple[StepNeed, ...]
    if kind == "continuous":
        # Met only while a step of the listed types goes on at `on` (its last day counts),
        # in a chain that started (with a listed or a continuity step) early enough for
        # `months` months by `on`.
        chained = listed | frozenset(rule.get("continuity_types", ()))
        steps = (
            StepNeed(listed, on, going_on=on, min_weekly_hours=hours),
            StepNeed(chained, latest_start(rule["months"], on), min_weekly_hours=hours),
        )
    elif kind == "cumulative":
        # N months, of one period or of several added, take at least 28 × N days (a month
        # from 1 February, or from 31 January, is 28 days; a carry needs 30 days), each
        # counted once, all within the window: some step must go on until `needed` days
        # after the window starts, some step still in the window must have started `needed`
        # days before `on`, and the steps in the window must have `needed` days between them.
        needed = rule["months"] * FEWEST_DAYS_PER_MONTH
        first_day = window_start(on, rule["window_months"])
        last_day_from = first_day + datetime.timedelta(days=needed - 1)
        steps = (
            StepNeed(listed, on, going_on=last_day_from, min_weekly_hours=hours),
            StepNeed(
                listed,
                on - datetime.timedelta(days=needed - 1),
                going_on=first_day,
                min_weekly_hours=hours,
            ),
        )
        in_window = StepNeed(listed, on, going_on=first_day, min_weekly_hours=hours)
        days = DaysNeed(in_window, first_day, on, needed)
    elif kind == "contract_length":
        # A contract counts with its end date, actual or planned; without any, it does not.
        steps = (StepNeed(listed, on, min_weekly_hours=hours, with_an_end=True),)
    elif kind == "started":
        steps = (StepNeed(listed, on, min_weekly_hours=hours),)
    else:  # a kind added to the engine must say here what it cannot be met without
        raise ValueError(f"positive_exit_needs: no needs written for the kind « {kind} »")
    min_age = rule.get("min_age")
    return RuleNeeds(
        code=rule["code"],
        steps=steps,
        days=days,
        min_age=min_age,
        born_by=born_by(on, min_age) if min_age is not None else None,
    )


class ExitScreen:
    """A protocol's rules at a date, checked once, with what each needs: to screen many
    pathways, evaluating on each only the rules its steps may meet."""

    def __init__(self, rules: list[dict[str, Any]], on: datetime.date):
        self.rules = CheckedRules(rules)
        self.on = on
        self.needs = tuple(rule_needs(rule, on) for rule in self.rules)
        self._needs_of = {needs.code: needs for needs in self.needs}
        # Every type a rule looks at: the steps of other types change no verdict.
        self.step_types = frozenset(
            code for needs in self.needs for need in needs.steps for code in need.types
        )

    def conditions_met(
        self, facts: ExitFacts, *, with_steps: Collection[str] | None = None
    ) -> tuple[ConditionResult, ...]:
        """The same as positive_exit.conditions_met, skipping the rules the facts cannot
        meet. `with_steps`, when given, names the rules whose needs of steps (and days) the
        database has already found (exit_candidates.could_meet_an_exit_rule): only the age
        is checked here."""

        def may_be_met(rule: dict[str, Any]) -> bool:
            needs = self._needs_of[rule["code"]]
            if with_steps is None:
                return needs.may_be_met(facts)
            return rule["code"] in with_steps and needs.old_enough(facts)

        possible = self.rules.where(may_be_met)
        return conditions_met(possible, facts, self.on) if possible else ()
