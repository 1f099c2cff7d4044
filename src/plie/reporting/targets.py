"""The annual programme's targets against what was achieved, for the whole PLIE and for each
operation, from the pathways — counted by the indicator engine (indicators.py), never by a
second definition (docs/indicators.md §3–4; docs/programme.md says what each kind measures).

Per operation, by kind (programme.enums.OperationKind):
- animation of the scheme: the whole PLIE;
- accompaniment of pathways (the référents' hosting organisations): the pathways followed by
  the référents the carrier employs, and their active caseload at the period's end;
- insertion clauses, actions for participants: the people with a step of the operation's step
  types started in the period (entries: such steps started), and the positive exits of
  their pathways;
- professional development of the référents: no pathway measures it, the team keys in the
  volume achieved.
The PLIE's targets are, for each measure, its animation's when the animation operation sets
one (the coordination states the whole PLIE's), else its accompaniment operations' added
(the référents' hosting organisations share the PLIE's targets between them); never both,
which would promise each person twice, and never an action's or a clause's, whose people
are already in a référent's caseload.

Queries: three for the PLIE, four for every accompaniment operation together (one grouped
breakdown, one grouped caseload), two for every step-measured operation together.
"""

from __future__ import annotations

import dataclasses
import datetime
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q

from plie.core import formatting
from plie.core.suppression import SHOW_ALL, Hidden, SmallCounts
from plie.participants.enums import ExitReason
from plie.pathways.models import Step
from plie.pathways.selectors import exited_in
from plie.programme.enums import MEASURED_BY_STEPS, OperationKind
from plie.programme.models import Operation, ProgrammeYear
from plie.reporting.indicators import breakdown, figures, people_by, scope

# Whose targets make the PLIE's, in order of precedence (see the module's docstring).
PLIE_TARGET_KINDS = (OperationKind.ANIMATION, OperationKind.ACCOMPANIMENT)


def plie_target(operations, field: str):
    """The PLIE's target of one measure: the animation operations' when one sets it, else
    the accompaniment operations' added; None when neither does."""
    for kind in PLIE_TARGET_KINDS:
        values = [getattr(op, field) for op in operations if op.kind == kind]
        if any(value is not None for value in values):
            return _sum(values)
    return None


ENTRIES = "Entrées"
PEOPLE = "Personnes accompagnées"
POSITIVE_EXITS = "Sorties positives"


@dataclasses.dataclass(frozen=True)
class TargetRow:
    """One target beside what was achieved; `achieved` as shown (a count may be hidden)."""

    label: str
    target: int | Decimal | None
    achieved: int | Decimal | Hidden | None

    @property
    def rate(self) -> float | None:
        """Achieved ÷ target (None: no target, nothing measured, or a hidden count)."""
        if not self.target or self.achieved is None or isinstance(self.achieved, Hidden):
            return None
        return float(self.achieved) / float(self.target)

    @property
    def rate_text(self) -> str:
        return formatting.percent(self.rate)

    @property
    def target_text(self) -> str:
        return "—" if self.target is None else formatting.plain_number(self.target)

    @property
    def achieved_text(self) -> str:
        if self.achieved is None:
            return "—"
        if isinstance(self.achieved, Hidden):
            return str(self.achieved)
        return formatting.number(self.achieved)


@dataclasses.dataclass(frozen=True)
class OperationAchievement:
    operation: Operation
    measure: str  # how it is measured, in French
    rows: list[TargetRow]


@dataclasses.dataclass(frozen=True)
class Achievement:
    """The targets of a programme year against the period's achievement."""

    year: ProgrammeYear
    date_from: datetime.date
    date_to: datetime.date
    plie: list[TargetRow]
    operations: list[OperationAchievement]


def _sum(values) -> int | None:
    given = [value for value in values if value is not None]
    return sum(given) if given else None


def period_of(year: int, date_to: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The programme year up to `date_to` (the whole year once it is over)."""
    return datetime.date(year, 1, 1), min(date_to, datetime.date(year, 12, 31))


def _counts(target_entries, target_people, target_exits, entries, people, exits, small):
    return [
        TargetRow(ENTRIES, target_entries, small.count(entries)),
        TargetRow(PEOPLE, target_people, small.count(people)),
        TargetRow(POSITIVE_EXITS, target_exits, small.count(exits)),
    ]


def _by_steps(operations, date_from, date_to, programme) -> dict[int, dict[str, int]]:
    """For each step-measured operation: steps of its types started in the period, the
    people who started one, and the positive exits of the period of those people's pathways."""
    if not operations:
        return {}
    pathways = scope(programme=programme)
    steps = Step.objects.filter(
        pathway__in=pathways, start_date__range=(date_from, date_to)
    ).order_by()
    types = {op.pk: [t.pk for t in op.step_types.all()] for op in operations}
    started = steps.aggregate(
        **{f"entries_{pk}": Count("pk", filter=Q(step_type__in=ids)) for pk, ids in types.items()},
        **{
            f"people_{pk}": Count(
                "pathway__participant", distinct=True, filter=Q(step_type__in=ids)
            )
            for pk, ids in types.items()
        },
    )

    def with_step(ids):
        return Exists(steps.filter(pathway=OuterRef("pk"), step_type__in=ids))

    positive = pathways.filter(exited_in(date_from, date_to), exit_reason=ExitReason.POSITIVE)
    exits = positive.aggregate(
        **{f"exits_{pk}": Count("pk", filter=with_step(ids)) for pk, ids in types.items()}
    )
    return {
        pk: {
            "entries": started[f"entries_{pk}"] if types[pk] else 0,
            "people": started[f"people_{pk}"] if types[pk] else 0,
            "exits": exits[f"exits_{pk}"] if types[pk] else 0,
        }
        for pk in types
    }


def achievement(
    year: ProgrammeYear, date_to: datetime.date, *, small: SmallCounts = SHOW_ALL
) -> Achievement:
    """The year's targets against its achievement from 1 January to `date_to`."""
    date_from, date_to = period_of(year.year, date_to)
    programme = year.programme
    operations = list(
        year.operations.select_related("carrier")
        .prefetch_related("step_types")
        .order_by("kind", "title", "pk")
    )
    whole = figures(date_from, date_to, programme=programme)
    plie = _counts(
        plie_target(operations, "target_entries"),
        plie_target(operations, "target_people"),
        plie_target(operations, "target_positive_exits"),
        whole.entries,
        whole.people_accompanied,
        whole.positive_exits,
        small,
    )
    hosting = [op for op in operations if op.kind == OperationKind.ACCOMPANIMENT]
    by_carrier = (
        {
            group.key: group.figures
            for group in breakdown(date_from, date_to, "organisation", programme=programme)
        }
        if hosting
        else {}
    )
    caseloads = (
        {
            key: count
            for key, _, count in people_by(
                date_from, date_to, "organisation", at_end=True, programme=programme
            )
        }
        if hosting
        else {}
    )
    by_steps = _by_steps(
        [op for op in operations if op.kind in MEASURED_BY_STEPS], date_from, date_to, programme
    )
    rows = []
    for op in operations:
        rows.append(_operation(op, whole, by_carrier, caseloads, by_steps, date_to, small))
    return Achievement(year, date_from, date_to, plie, rows)


def _operation(op, whole, by_carrier, caseloads, by_steps, date_to, small) -> OperationAchievement:
    targets = (op.target_entries, op.target_people, op.target_positive_exits)
    if op.kind == OperationKind.ANIMATION:
        return OperationAchievement(
            op,
            "Tout le PLIE : les parcours de toutes les personnes accompagnées.",
            _counts(*targets, whole.entries, whole.people_accompanied, whole.positive_exits, small),
        )
    if op.kind == OperationKind.ACCOMPANIMENT:
        found = by_carrier.get(op.carrier_id)
        entries, people, exits = (
            (found.entries, found.people_accompanied, found.positive_exits) if found else (0, 0, 0)
        )
        caseload = caseloads.get(op.carrier_id, 0)
        rows = _counts(*targets, entries, people, exits, small)
        rows.append(
            TargetRow(
                f"File active au {formatting.day(date_to)}",
                op.target_caseload,
                small.count(caseload),
            )
        )
        measure = f"Les parcours suivis par les référents employés par {op.carrier}."
        if op.target_fte:
            per_fte = Decimal(caseload) / op.target_fte
            shown = small.count(caseload)
            measure += f" {formatting.plain_number(op.target_fte)} ETP prévus" + (
                f" : {formatting.number(per_fte, 1)} personnes par ETP en file active."
                if not isinstance(shown, Hidden)
                else "."
            )
        return OperationAchievement(op, measure, rows)
    if op.kind in MEASURED_BY_STEPS:
        names = ", ".join(t.label for t in op.step_types.all())
        counted = by_steps.get(op.pk, {"entries": 0, "people": 0, "exits": 0})
        measure = (
            f"Les personnes qui ont commencé une étape « {names} » dans l'année "
            "(entrées : les étapes commencées)."
            if names
            else "Aucun type d'étape ne mesure encore cette opération (l'équipe d'animation les choisit dans la programmation)."
        )
        return OperationAchievement(
            op,
            measure,
            _counts(*targets, counted["entries"], counted["people"], counted["exits"], small),
        )
    unit = op.volume_unit or "volume"
    return OperationAchievement(
        op,
        "Aucun parcours ne la mesure : le volume réalisé est saisi par l'équipe d'animation.",
        [TargetRow(unit[:1].upper() + unit[1:], op.planned_volume, op.achieved_volume)],
    )


def achievement_on(programme, date_to: datetime.date, *, small: SmallCounts) -> Achievement | None:
    """The achievement of the programme year of `date_to`, up to it (None: no programme)."""
    year = ProgrammeYear.objects.filter(programme=programme, year=date_to.year).first()
    return None if year is None else achievement(year, date_to, small=small)
