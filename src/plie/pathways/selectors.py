"""Queries shared by pages, commands and exports: the caseload at a date, exit evaluations.

The active caseload is defined here once, for every figure, list and page (the steering
home page, the key figures, the dashboard, the worklists, the extraction, `plie exits`):
at a date D it is the state at the end of D, the pathways entered on or before D and not
exited on or before D (docs/indicators.md, « File active »). So the active caseload on the
eve of a period, plus its entries, is the people accompanied in it, and equals the caseload
on its last day plus its exits. The morning lists are in `worklists.py`, their exit
candidates in `exit_candidates.py`.
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

IN_PATHWAY = (PathwayStatus.ACTIVE, PathwayStatus.EXITED)


def entered(prefix: str = "") -> Q:
    """Pathways that have started: validated by the committee, with an entry date, exited
    since or not (a draft, refused or abandoned entry never counts)."""
    return Q(**{f"{prefix}status__in": IN_PATHWAY, f"{prefix}entry_date__isnull": False})


def present_on(day: datetime.date, prefix: str = "") -> Q:
    """Of entered pathways: in the active caseload at the end of `day`, entered on or
    before it and not exited on or before it. A pathway whose exit date is `day` is an exit
    of that day and no longer in its caseload; an exit dated later does not take it out."""
    return Q(**{f"{prefix}entry_date__lte": day}) & (
        Q(**{f"{prefix}exit_date__isnull": True}) | Q(**{f"{prefix}exit_date__gt": day})
    )


def in_caseload_on(day: datetime.date, prefix: str = "") -> Q:
    """The active caseload at the end of `day`: entered pathways `present_on` it."""
    return entered(prefix) & present_on(day, prefix)


def accompanied_in(date_from: datetime.date, date_to: datetime.date, prefix: str = "") -> Q:
    """Of entered pathways: in a pathway at some time in the period, entered by its last day
    and not exited before its first (exited on the first day, it was accompanied that day).
    These are the pathways present at the end of the eve of the period and those entered in
    it, or, as well, those present at the end of its last day and those exited in it."""
    return Q(**{f"{prefix}entry_date__lte": date_to}) & (
        Q(**{f"{prefix}exit_date__isnull": True}) | Q(**{f"{prefix}exit_date__gte": date_from})
    )


def exited_in(date_from: datetime.date, date_to: datetime.date, prefix: str = "") -> Q:
    """Exits of the period: exited pathways whose exit date is in it, both ends included."""
    return Q(
        **{
            f"{prefix}status": PathwayStatus.EXITED,
            f"{prefix}exit_date__gte": date_from,
            f"{prefix}exit_date__lte": date_to,
        }
    )


def active_on(day: datetime.date, pathways: QuerySet[Pathway] | None = None) -> QuerySet[Pathway]:
    """The active caseload at the end of `day`, within `pathways` (all of them by default)."""
    return (Pathway.objects.all() if pathways is None else pathways).filter(in_caseload_on(day))


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
