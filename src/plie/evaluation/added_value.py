"""The records the added value of an action is measured on (evaluation/matching.py), read in
four queries: the action's participants (their referral, pathway and person), the comparable
PLIE participants, and the steps of both.

Participants of the action: people who took part in one of its groups (accepted, completed
or dropped out: `TOOK_PART`), on the pathway of that referral, entered in the PLIE on or
before their group's start (the day the action started for them: the anchor). Comparable
people: PLIE participants of the same programme with a pathway entered (in progress or
exited) during the half-years the participants entered in, never having taken part in this
action — whether or not they took part in another action —, one pathway a person (the
latest). The action's own step (« Action du PLIE » linked to a referral to this action) is
left out of every person's steps: it is the treatment, not an outcome.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.utils import timezone

from plie.actions.enums import TOOK_PART
from plie.actions.models import Action, ActionReferral
from plie.evaluation.matching import Evaluation, Person, evaluate
from plie.pathways.models import Pathway, Step
from plie.pathways.selectors import entered

FIELDS = (
    "pk",
    "participant_id",
    "entry_date",
    "exit_date",
    "exit_reason",
    "participant__birth_date",
    "participant__sex",
    "participant__qpv_id",
    "education_level__level",
    "receives_rsa",
    "receives_other_minimum_benefits",
    "out_of_work_since",
)


def _half_year_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 1 if day.month <= 6 else 7, 1)


def _half_year_end(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 6, 30) if day.month <= 6 else datetime.date(day.year, 12, 31)


def _minimum_income(rsa: bool | None, other: bool | None) -> bool | None:
    if rsa or other:
        return True
    if rsa is None and other is None:
        return None
    return False


def _person(row: dict, *, treated: bool, anchor=None, steps=()) -> Person:
    return Person(
        key=row["pk"],
        treated=treated,
        entry_date=row["entry_date"],
        birth_date=row["participant__birth_date"],
        sex=row["participant__sex"],
        education_level=row["education_level__level"],
        minimum_income=_minimum_income(row["receives_rsa"], row["receives_other_minimum_benefits"]),
        qpv=row["participant__qpv_id"] is not None,
        out_of_work_since=row["out_of_work_since"],
        anchor=anchor,
        steps=tuple(steps),
        exit_date=row["exit_date"],
        exit_reason=row["exit_reason"] or "",
    )


def people(action: Action, today: datetime.date | None = None) -> list[Person]:
    """The participants of the action — in a group started by `today` — and the comparable
    PLIE participants, as records."""
    took_part = ActionReferral.objects.filter(
        action=action,
        status__in=TOOK_PART,
        cohort__starts_on__lte=today or timezone.localdate(),
    )
    anchors: dict[int, datetime.date] = {}
    for pathway_id, starts_on in took_part.order_by("cohort__starts_on").values_list(
        "pathway_id", "cohort__starts_on"
    ):
        anchors.setdefault(pathway_id, starts_on)
    treated_rows = [
        row
        for row in Pathway.objects.filter(entered(), pk__in=anchors).values(*FIELDS)
        if row["entry_date"] <= anchors[row["pk"]]
    ]
    if not treated_rows:
        return []
    entries = [row["entry_date"] for row in treated_rows]
    controls = (
        Pathway.objects.filter(
            entered(),
            participant__programme_id=action.programme_id,
            entry_date__gte=_half_year_start(min(entries)),
            entry_date__lte=_half_year_end(max(entries)),
        )
        # Nor anyone accepted in a group to come: they are about to take it.
        .exclude(
            participant__in=ActionReferral.objects.filter(
                action=action, status__in=TOOK_PART
            ).values("participant")
        )
        .order_by("participant_id", "-entry_date", "-pk")
    )
    control_rows, seen = [], set()
    for row in controls.values(*FIELDS):
        if row["participant_id"] not in seen:  # the latest pathway of each person
            seen.add(row["participant_id"])
            control_rows.append(row)
    steps: dict[int, list] = defaultdict(list)
    read = Step.objects.filter(pathway__in=controls.values("pk")) | Step.objects.filter(
        pathway_id__in=[row["pk"] for row in treated_rows]
    )
    for pathway_id, start, end in (
        read.exclude(action_referral__action=action)
        .order_by()
        .values_list("pathway_id", "start_date", "end_date")
    ):
        steps[pathway_id].append((start, end))
    return [
        *(
            _person(row, treated=True, anchor=anchors[row["pk"]], steps=steps[row["pk"]])
            for row in treated_rows
        ),
        *(_person(row, treated=False, steps=steps[row["pk"]]) for row in control_rows),
    ]


def added_value(action: Action, today: datetime.date) -> Evaluation:
    return evaluate(people(action, today), today)
