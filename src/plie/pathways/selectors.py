"""Queries shared by pages, commands and exports: exit evaluations and the worklists."""

import dataclasses
import datetime

from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from plie.participants.enums import PathwayStatus, ReferralStatus
from plie.participants.facts import age_on
from plie.participants.models import Pathway, Protocol, Referral
from plie.participants.selectors import protocol_in_force
from plie.pathways.models import Contact, FollowUp, Step
from plie.pathways.positive_exit import ExitEvaluation, ExitFacts, StepFact, evaluate


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
class ExitCandidate:
    pathway: Pathway
    evaluation: ExitEvaluation


def exit_evaluations(pathways: QuerySet[Pathway], on: datetime.date) -> list[ExitCandidate]:
    """Every pathway of the queryset evaluated at `on`, steps fetched in one query."""
    pathways = pathways.select_related("participant", "referent").prefetch_related(
        "steps__step_type"
    )
    rules_by_programme: dict[int, list] = {}
    results = []
    for pathway in pathways:
        programme_id = pathway.participant.programme_id
        if programme_id not in rules_by_programme:
            rules_by_programme[programme_id] = exit_rules_on(pathway.participant.programme, on)[1]
        results.append(
            ExitCandidate(pathway, evaluate_exit(pathway, on, rules_by_programme[programme_id]))
        )
    return results


def could_meet_an_exit_rule(pathways: QuerySet[Pathway], programme, on: datetime.date):
    """Only the pathways with a step of a type some rule is made of (a CDI, an intérim, a
    qualifying training...): the others cannot meet any condition, and evaluating each of
    them in Python is what made the coordination's worklists slow at scale."""
    _, rules = exit_rules_on(programme, on)
    types = {code for rule in rules for code in rule.get("step_types", ())}
    return pathways.filter(
        Exists(Step.objects.filter(pathway=OuterRef("pk"), step_type__code__in=types))
    )


# Worklists --------------------------------------------------------------------------------


def with_last_activity(pathways: QuerySet[Pathway], today: datetime.date) -> QuerySet[Pathway]:
    """Annotate the last day in a step, whether a step is ongoing, and the last contact."""
    steps = Step.objects.filter(pathway=OuterRef("pk"))
    return pathways.annotate(
        has_ongoing_step=Exists(steps.ongoing_on(today)),
        last_step_end=Subquery(
            steps.filter(start_date__lte=today)
            .order_by(F("end_date").desc(nulls_first=True))
            .values("end_date")[:1]
        ),
        last_contact=Max("contacts__contacted_on", filter=Q(contacts__contacted_on__lte=today)),
    )


def without_step(pathways: QuerySet[Pathway], today: datetime.date, days: int):
    """In the caseload with no ongoing step for more than `days` days (since entry if none)."""
    limit = today - datetime.timedelta(days=days)
    return (
        with_last_activity(pathways, today)
        .filter(has_ongoing_step=False)
        .annotate(since=Greatest(Coalesce("last_step_end", "entry_date"), "entry_date"))
        .filter(since__lt=limit)
        .order_by("since")
    )


def not_seen(pathways: QuerySet[Pathway], today: datetime.date, days: int):
    """In the caseload with no contact for more than `days` days (since entry if none)."""
    limit = today - datetime.timedelta(days=days)
    return (
        with_last_activity(pathways, today)
        .annotate(seen=Coalesce("last_contact", "entry_date"))
        .filter(seen__lt=limit)
        .order_by("seen")
    )


def steps_ending(pathways: QuerySet[Pathway], today: datetime.date, days: int):
    return (
        Step.objects.filter(pathway__in=pathways, end_date__isnull=True)
        .filter(
            planned_end_date__gte=today, planned_end_date__lte=today + datetime.timedelta(days=days)
        )
        .select_related("pathway__participant", "step_type")
        .order_by("planned_end_date")
    )


def referrals_waiting(referrals: QuerySet[Referral], today: datetime.date, days: int):
    return (
        referrals.filter(status=ReferralStatus.AWAITING_APPOINTMENT)
        .filter(referred_on__lt=today - datetime.timedelta(days=days))
        .select_related("participant", "prescriber")
        .order_by("referred_on")
    )


def follow_ups_due(pathways: QuerySet[Pathway], today: datetime.date, days: int):
    return (
        FollowUp.objects.filter(pathway__in=pathways, done_on__isnull=True)
        .filter(due_on__lte=today + datetime.timedelta(days=days))
        .select_related("pathway__participant")
        .order_by("due_on")
    )


def contacts_of(pathway: Pathway) -> QuerySet[Contact]:
    return pathway.contacts.select_related("by")


@dataclasses.dataclass
class Worklists:
    """Who needs attention today, for a caseload; thresholds come from the programme."""

    without_step: QuerySet
    not_seen: QuerySet
    referrals_waiting: QuerySet
    steps_ending: QuerySet
    exit_candidates: list[ExitCandidate]
    follow_ups_due: QuerySet


def worklists(programme, pathways: QuerySet[Pathway], referrals: QuerySet[Referral], today):
    active = pathways.filter(status=PathwayStatus.ACTIVE)
    related = ("participant", "referent")
    return Worklists(
        without_step=without_step(active, today, programme.alert_days_without_step).select_related(
            *related
        ),
        not_seen=not_seen(active, today, programme.alert_days_not_seen).select_related(*related),
        referrals_waiting=referrals_waiting(
            referrals, today, programme.alert_days_referral_waiting
        ),
        steps_ending=steps_ending(active, today, programme.alert_days_step_ending),
        exit_candidates=[
            c
            for c in exit_evaluations(could_meet_an_exit_rule(active, programme, today), today)
            if c.evaluation.met
        ],
        follow_ups_due=follow_ups_due(pathways, today, programme.alert_days_follow_up),
    )
