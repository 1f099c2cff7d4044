"""Queries shared by pages, commands and exports: the caseload at a date, exit evaluations.

The morning lists are in `worklists.py`, their exit candidates in `exit_candidates.py`.
"""

import dataclasses
import datetime

from django.db.models import Q, QuerySet

from plie.core.dates import age_on
from plie.participants.enums import PathwayStatus
from plie.pathways.models import Contact, Pathway
from plie.pathways.positive_exit import CheckedRules, ExitEvaluation, ExitFacts, StepFact, evaluate
from plie.programme.models import Protocol
from plie.programme.selectors import protocol_in_force


def active_on(day: datetime.date) -> QuerySet[Pathway]:
    """The active caseload at a date: entered on or before it and not exited before it."""
    return Pathway.objects.filter(
        status__in=(PathwayStatus.ACTIVE, PathwayStatus.EXITED), entry_date__lte=day
    ).filter(Q(exit_date__isnull=True) | Q(exit_date__gte=day))


def step_facts(steps) -> tuple[StepFact, ...]:
    return tuple(
        StepFact(
            type_code=step.step_type.code,
            start=step.start_date,
            end=step.end_date,
            planned_end=step.planned_end_date,
            weekly_hours=step.weekly_hours,
            part_time_agreed=step.part_time_agreed,
            employer=step.organisation_name.strip().casefold(),
        )
        for step in steps
    )


def exit_rules_on(programme, day: datetime.date) -> tuple[Protocol | None, list]:
    protocol = protocol_in_force(programme, day)
    return protocol, (protocol.exit_rules if protocol else [])


def evaluate_exit(pathway: Pathway, on: datetime.date, rules: list | None = None) -> ExitEvaluation:
    """The positive-exit conditions of the protocol in force, on the pathway's steps at `on`."""
    if rules is None:
        _, rules = exit_rules_on(pathway.participant.programme, on)
    birth_date = pathway.participant.birth_date
    facts = ExitFacts(
        age=age_on(birth_date, on) if birth_date else None,
        steps=step_facts(pathway.steps.all()),
    )
    return evaluate(rules, facts, on)


@dataclasses.dataclass(frozen=True)
class PathwayEvaluation:
    pathway: Pathway
    evaluation: ExitEvaluation


def exit_evaluations(pathways: QuerySet[Pathway], on: datetime.date) -> list[PathwayEvaluation]:
    """Every pathway of the queryset evaluated at `on`, steps fetched in one query, each
    programme's rules checked once."""
    pathways = pathways.select_related("participant", "referent").prefetch_related(
        "steps__step_type"
    )
    rules_by_programme: dict[int, CheckedRules] = {}
    results = []
    for pathway in pathways:
        programme_id = pathway.participant.programme_id
        if programme_id not in rules_by_programme:
            rules = exit_rules_on(pathway.participant.programme, on)[1]
            rules_by_programme[programme_id] = CheckedRules(rules)
        results.append(
            PathwayEvaluation(pathway, evaluate_exit(pathway, on, rules_by_programme[programme_id]))
        )
    return results


def contacts_of(pathway: Pathway) -> QuerySet[Contact]:
    return pathway.contacts.select_related("by")
