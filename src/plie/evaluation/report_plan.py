"""Which reports an action owes and the period each covers: a pure rule over plain values
(no model).

Seed 000 (« Livrables attendus »): « un point d'étape intermédiaire et un bilan », paid 30 %
« avec remise d'un bilan intermédiaire » and 40 % « sur la base du rapport final »; seed 001
(obligations of the carrier): « un bilan au premier trimestre, un bilan à mi-parcours, ainsi
qu'un bilan final », and « un bilan quantitatif et qualitatif à mi-parcours et à la fin de
l'action ». An agreement whose schedule waits for an interim report (DeliverableKind
INTERIM_REPORT) follows seed 000; any other follows seed 001. The coordination may choose the
other plan when it opens the reports (an action of seed 001 paid on seed 000's schedule).

Every report covers the action from its first day (the figures are cumulative, as a reader of
a mid-term report expects): the first quarter ends three months in, the interim and mid-term
reports at the middle of the action's period, the final report on its last day. A report is
due one month after the end of its period (our choice: the seeds give no date).
"""

from __future__ import annotations

import dataclasses
import datetime

from plie.core.months import add_months

FIRST_QUARTER = "first_quarter"
MID_TERM = "mid_term"
INTERIM = "interim"
FINAL = "final"

CONSULTATION = "consultation"
CALL_FOR_PROJECTS = "call_for_projects"
PLANS: dict[str, tuple[str, ...]] = {
    CONSULTATION: (INTERIM, FINAL),
    CALL_FOR_PROJECTS: (FIRST_QUARTER, MID_TERM, FINAL),
}
PLAN_LABELS = {
    CONSULTATION: "Point d'étape intermédiaire et bilan final (consultation)",
    CALL_FOR_PROJECTS: "Premier trimestre, mi-parcours et bilan final (appel à projets)",
}

# The deliverable (agreements.enums.DeliverableKind value) each report is handed in as; the
# first quarter's is asked by the specifications, not by the payment schedule.
DELIVERABLE_OF = {
    FIRST_QUARTER: None,
    MID_TERM: "interim_report",
    INTERIM: "interim_report",
    FINAL: "final_report",
}
DELAY_MONTHS = 1


@dataclasses.dataclass(frozen=True)
class PlannedReport:
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date
    due_on: datetime.date


def default_plan(deliverable_kinds: set[str]) -> str:
    """Seed 000's plan when the schedule waits for an interim report, seed 001's otherwise."""
    return CONSULTATION if "interim_report" in deliverable_kinds else CALL_FOR_PROJECTS


def period_end(kind: str, starts_on: datetime.date, ends_on: datetime.date) -> datetime.date:
    """The last day a report of `kind` covers, for an action from `starts_on` to `ends_on`
    (never after the action's last day)."""
    if kind == FINAL:
        return ends_on
    if kind == FIRST_QUARTER:
        return min(add_months(starts_on, 3) - datetime.timedelta(days=1), ends_on)
    middle = starts_on + (ends_on - starts_on) // 2
    return middle


def planned(plan: str, starts_on: datetime.date, ends_on: datetime.date) -> list[PlannedReport]:
    """The reports of `plan` for an action from `starts_on` to `ends_on`, in order."""
    reports = []
    for kind in PLANS[plan]:
        end = period_end(kind, starts_on, ends_on)
        reports.append(PlannedReport(kind, starts_on, end, add_months(end, DELAY_MONTHS)))
    return reports
