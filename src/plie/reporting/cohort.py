"""Cohort study: what became of the people who entered over a period, 6, 12 and 18 months on.

Source: the 2019 COMPAS study followed the 475 people who entered the PLIE of Dijon between
1 January and 30 October 2016 (seed 000 § II.A). Definitions in docs/indicators.md
(« Étude de cohorte »). A cohort is bounded by its entry period, so its pathways and their
steps are read in two queries and followed in Python, each at its own horizon: the day at
whose end the pathway reaches N months (entered on 10 January, 6 months on 9 July), as
`core.months` counts every period; nothing outside the cohort is loaded.
"""

import dataclasses
import datetime
import statistics
from collections import Counter

from django.db.models import QuerySet

from plie.core import formatting
from plie.core.months import covers, reached_on
from plie.participants.enums import ExitReason
from plie.pathways.models import Pathway, Step
from plie.reporting.indicators import scope

HORIZONS = (6, 12, 18)


class Situation:
    """Where a person of the cohort stands at a horizon."""

    STEP = "Dans le PLIE, en étape"
    NO_STEP = "Dans le PLIE, sans étape"
    POSITIVE = "Sorti(e) : sortie positive"
    OTHER_EXIT = "Sorti(e) : autre motif"
    NOT_YET = "Pas encore observable"

    ORDER = (STEP, NO_STEP, POSITIVE, OTHER_EXIT, NOT_YET)


@dataclasses.dataclass(frozen=True)
class Horizon:
    months: int
    counts: dict[str, int]  # situation → pathways
    observable: int  # pathways whose horizon day has come

    def share(self, situation: str) -> float | None:
        if situation == Situation.NOT_YET or not self.observable:
            return None
        return self.counts.get(situation, 0) / self.observable


@dataclasses.dataclass(frozen=True)
class Cohort:
    date_from: datetime.date
    date_to: datetime.date
    today: datetime.date
    size: int
    horizons: list[Horizon]
    ever_in_step: int
    days_to_first_step: list[int]  # for those who had one
    exits_by_reason: list[tuple[str, int]]  # French label, count
    positive_by_condition: list[tuple[str, int]]

    @property
    def share_ever_in_step(self) -> float | None:
        return self.ever_in_step / self.size if self.size else None

    @property
    def median_days_to_first_step(self) -> float | None:
        return statistics.median(self.days_to_first_step) if self.days_to_first_step else None

    @property
    def mean_days_to_first_step(self) -> float | None:
        return statistics.fmean(self.days_to_first_step) if self.days_to_first_step else None


def _running(steps: list, day: datetime.date) -> bool:
    """`steps`: rows with a start_date and an end_date (Step instances or values rows)."""
    return any(covers(s.start_date, s.end_date, day) for s in steps)


def situation_on(pathway, steps: list, day: datetime.date, today) -> str:
    """At the end of `day`. `pathway`: a row with exit_date and exit_reason (a Pathway or a
    values row); exited on `day`, the person is no longer in the PLIE at its end."""
    if day > today:
        return Situation.NOT_YET
    if pathway.exit_date and pathway.exit_date <= day:
        if pathway.exit_reason == ExitReason.POSITIVE:
            return Situation.POSITIVE
        return Situation.OTHER_EXIT
    return Situation.STEP if _running(steps, day) else Situation.NO_STEP


def cohort(
    date_from: datetime.date,
    date_to: datetime.date,
    *,
    today: datetime.date,
    pathways: QuerySet[Pathway] | None = None,
) -> Cohort:
    """The pathways entered between the two dates (both included), followed to `today`."""
    if date_to < date_from:
        raise ValueError(
            f"La période d'entrée se termine le {formatting.day(date_to)}, avant son début le "
            f"{formatting.day(date_from)} : inversez les deux dates."
        )
    entered = scope(pathways).filter(entry_date__gte=date_from, entry_date__lte=date_to)
    # Plain rows, not model instances: a large PLIE enters thousands of people a semester.
    members = list(
        entered.order_by("pk").values_list(
            "pk", "entry_date", "exit_date", "exit_reason", "exit_condition_label", named=True
        )
    )
    steps: dict[int, list] = {member.pk: [] for member in members}
    for step in Step.objects.filter(pathway__in=entered.values("pk")).values_list(
        "pathway_id", "start_date", "end_date", named=True
    ):
        steps[step.pathway_id].append(step)

    horizons = []
    for months in HORIZONS:
        counts = Counter(
            situation_on(m, steps[m.pk], reached_on(m.entry_date, months), today) for m in members
        )
        observable = len(members) - counts.get(Situation.NOT_YET, 0)
        horizons.append(Horizon(months, dict(counts), observable))

    delays = []
    for member in members:
        last_day = min(member.exit_date or today, today)
        starts = [s.start_date for s in steps[member.pk] if s.start_date <= last_day]
        if starts:
            delays.append(max(0, (min(starts) - member.entry_date).days))

    exited = [m for m in members if m.exit_date and m.exit_date <= today]
    reasons = Counter(
        str(ExitReason(m.exit_reason).label) if m.exit_reason else "Motif non renseigné"
        for m in exited
    )
    conditions = Counter(
        m.exit_condition_label or "Condition non précisée"
        for m in exited
        if m.exit_reason == ExitReason.POSITIVE
    )
    return Cohort(
        date_from=date_from,
        date_to=date_to,
        today=today,
        size=len(members),
        horizons=horizons,
        ever_in_step=len(delays),
        days_to_first_step=delays,
        exits_by_reason=reasons.most_common(),
        positive_by_condition=conditions.most_common(),
    )
