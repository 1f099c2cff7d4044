"""The dashboard's charts of a period, for the whole PLIE, a structure, a référent's caseload
or the steering committee (aggregates only, counts under 5 hidden).

Every number comes from `reporting.indicators` (definitions: docs/indicators.md) or from
one grouped query; a month is at most one query, never a loop over participants. At
100,000 people the charts of the whole PLIE take about a second to compute: they are kept
(`core.kept`) and recomputed in the background after a quarter of an hour, while the page
shows the previous ones with their time (`charts_of`). A référent's own caseload is small:
their charts are always computed on the spot.
"""

import dataclasses
import datetime
import hashlib
from collections.abc import Iterable

from django.db.models import Count
from django.db.models.functions import TruncMonth

from plie.core import formatting
from plie.core import kept as kept_results
from plie.core.charts import Chart, Series
from plie.core.kept import Kept
from plie.core.suppression import HIDE_SMALL, SHOW_ALL, Shown, SmallCounts
from plie.participants.enums import ExitReason
from plie.pathways.models import Pathway
from plie.pathways.selectors import exited_in
from plie.reporting.catalogue import CATALOGUE
from plie.reporting.indicators import caseloads_on, months, people_by, scope

SHORT_MONTHS = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)
TOP_COMMUNES = 10
TOP_REFERENTS = 30  # a chart of hundreds of bars says nothing (and takes seconds to draw)


def month_label(day: datetime.date) -> str:
    """2026-01-31 → "janv. 2026"."""
    return f"{SHORT_MONTHS[day.month - 1]} {day.year}"


def _month_end_label(day: datetime.date) -> str:
    """A month's last day is named by its month; a period that ends within a month, by
    its own last day (the caseload of 2 December is not that of December's end)."""
    if (day + datetime.timedelta(days=1)).day == 1:
        return month_label(day)
    return f"{formatting.day(day)}"


@dataclasses.dataclass(frozen=True)
class Scope:
    """Whose pathways are counted: the whole PLIE, a structure's, a référent's (ids only, so
    that the background worker can rebuild it)."""

    organisation_id: int | None = None
    referent_id: int | None = None

    def pathways(self):
        """The pathways counted (None: the whole PLIE)."""
        if self.organisation_id is None and self.referent_id is None:
            return None
        pathways = Pathway.objects.all()
        if self.organisation_id is not None:
            pathways = pathways.filter(referent__organisation_id=self.organisation_id)
        if self.referent_id is not None:
            pathways = pathways.filter(referent_id=self.referent_id)
        return pathways


@dataclasses.dataclass(frozen=True)
class Dashboard:
    date_from: datetime.date
    date_to: datetime.date
    pathways: object  # a Pathway queryset, or None for the whole PLIE
    programme: object
    suppress: bool  # hide counts from 1 to 4 (steering committee)

    @property
    def small(self) -> SmallCounts:
        """The small-count rule of this audience (core.suppression)."""
        return HIDE_SMALL if self.suppress else SHOW_ALL

    def _series(self, label: str, values: list[int], *, adds_up: bool = False) -> Series:
        """The counts as shown. When the series `adds_up` to a published total (entries of
        the year...), a hidden count must not be found back by subtraction: the rule's
        secondary suppression (`SmallCounts.parts`)."""
        if adds_up:
            return Series(label, self.small.parts(values))
        return Series(label, [self.small.count(value) for value in values])

    def caseload_chart(self) -> Chart:
        loads = caseloads_on(
            [end for _, end in months(self.date_from, self.date_to)],
            pathways=self.pathways,
            programme=self.programme,
        )
        # Each month, with and without a step add up to that day's caseload, a published
        # figure: the pair is protected as one group.
        pairs = [
            self.small.parts([load.people - load.without_step, load.without_step]) for load in loads
        ]
        return Chart(
            "file-active",
            f"{CATALOGUE['active_caseload'].label} en fin de mois, avec et sans étape en cours",
            [_month_end_label(load.day) for load in loads],
            [
                Series("Avec une étape en cours", [pair[0] for pair in pairs]),
                Series("Sans étape en cours", [pair[1] for pair in pairs]),
            ],
            kind="stacked",
            category_header="Fin du mois",
        )

    def _per_month(self, rows, field: str) -> dict[str, int]:
        grouped = (
            rows.order_by()
            .annotate(month=TruncMonth(field))
            .values("month")
            .annotate(count=Count("pk"))
        )
        return {f"{row['month']:%Y-%m}": row["count"] for row in grouped}

    def flows_chart(self) -> Chart:
        base = scope(self.pathways, self.programme)
        entries = self._per_month(
            base.filter(entry_date__range=(self.date_from, self.date_to)), "entry_date"
        )
        exits = self._per_month(base.filter(exited_in(self.date_from, self.date_to)), "exit_date")
        keys = [f"{start:%Y-%m}" for start, _ in months(self.date_from, self.date_to)]
        return Chart(
            "entrees-sorties",
            f"{CATALOGUE['entries'].label} et {CATALOGUE['exits'].label.lower()} par mois",
            [month_label(start) for start, _ in months(self.date_from, self.date_to)],
            [
                self._series(
                    CATALOGUE["entries"].label, [entries.get(key, 0) for key in keys], adds_up=True
                ),
                self._series(
                    CATALOGUE["exits"].label, [exits.get(key, 0) for key in keys], adds_up=True
                ),
            ],
            category_header="Mois",
        )

    def _groups(
        self, counts: Iterable[tuple[str, int]], others: str, keep: int | None = None
    ) -> list[tuple[str, Shown]]:
        return self.small.groups(counts, others, keep=keep)

    def positive_exits_chart(self) -> Chart:
        rows = (
            scope(self.pathways, self.programme)
            .filter(exited_in(self.date_from, self.date_to), exit_reason=ExitReason.POSITIVE)
            .order_by()
            .values("exit_condition_label")
            .annotate(count=Count("pk"))
        )
        counts: dict[str, int] = {}
        for row in rows:
            label = row["exit_condition_label"] or "Condition non précisée"
            counts[label] = counts.get(label, 0) + row["count"]
        ordered = self._groups(counts.items(), "Autres conditions")
        positive = CATALOGUE["positive_exits"].label
        return Chart(
            "sorties-positives",
            f"{positive} par condition remplie",
            [label for label, _ in ordered],
            [Series(positive, [count for _, count in ordered])],
            kind="hbars",
            category_header="Condition",
        )

    def _people_by(self, by: str, *, at_end: bool = False) -> list[tuple[str, int]]:
        rows = people_by(
            self.date_from,
            self.date_to,
            by,
            at_end=at_end,
            pathways=self.pathways,
            programme=self.programme,
        )
        return [(label, count) for _, label, count in rows]

    def _people_chart(self, slug, title, by, others, header, keep=None) -> Chart:
        people = self._groups(self._people_by(by), others, keep)
        return Chart(
            slug,
            title,
            [label for label, _ in people],
            [Series(CATALOGUE["people_accompanied"].label, [count for _, count in people])],
            kind="hbars",
            category_header=header,
        )

    def communes_chart(self) -> Chart:
        return self._people_chart(
            "communes",
            f"{CATALOGUE['people_accompanied'].label} par commune de résidence",
            "commune",
            "Autres communes",
            "Commune",
            TOP_COMMUNES,
        )

    def qpv_chart(self) -> Chart:
        return self._people_chart(
            "qpv",
            f"{CATALOGUE['people_accompanied'].label} par quartier prioritaire (QPV)",
            "qpv",
            "Regroupés",
            "Quartier",
        )

    def referents_chart(self) -> Chart:
        rows = people_by(
            self.date_from,
            self.date_to,
            "referent",
            at_end=True,
            pathways=self.pathways,
            programme=self.programme,
        )
        loads = self._groups(
            [(label, count) for _, label, count in rows], "Autres référent(e)s", TOP_REFERENTS
        )
        caseload = CATALOGUE["active_caseload"]
        return Chart(
            "referents",
            f"{caseload.label} par référent(e) au {formatting.day(self.date_to)}",
            [label for label, _ in loads],
            [Series(caseload.label, [count for _, count in loads])],
            kind="hbars",
            category_header="Référent(e)",
        )

    def charts(self, *, per_referent: bool) -> list[Chart]:
        charts = [
            self.caseload_chart(),
            self.flows_chart(),
            self.positive_exits_chart(),
            self.communes_chart(),
            self.qpv_chart(),
        ]
        if per_referent:
            charts.append(self.referents_chart())
        return charts


@dataclasses.dataclass(frozen=True)
class DashboardParameters:
    """What a set of charts depends on, and nothing else: it names them in the cache, and
    the worker rebuilds it from its fields to refresh them."""

    date_from: datetime.date
    date_to: datetime.date
    scope: Scope
    suppress: bool  # hide counts from 1 to 4 (steering committee)
    per_referent: bool  # with the per-référent chart (coordination team)

    @property
    def key(self) -> str:
        return "dashboard:" + hashlib.sha256(repr(self).encode()).hexdigest()

    def compute(self, programme) -> list[Chart]:
        dashboard = Dashboard(
            date_from=self.date_from,
            date_to=self.date_to,
            pathways=self.scope.pathways(),
            programme=programme,
            suppress=self.suppress,
        )
        return dashboard.charts(per_referent=self.per_referent)

    def as_task_arguments(self) -> list:
        return [
            self.date_from.isoformat(),
            self.date_to.isoformat(),
            self.scope.organisation_id,
            self.scope.referent_id,
            self.suppress,
            self.per_referent,
        ]

    @classmethod
    def from_task_arguments(cls, date_from, date_to, organisation_id, referent_id, *flags):
        suppress, per_referent = flags
        return cls(
            datetime.date.fromisoformat(date_from),
            datetime.date.fromisoformat(date_to),
            Scope(organisation_id=organisation_id, referent_id=referent_id),
            suppress=suppress,
            per_referent=per_referent,
        )


def default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period a dashboard opens on: the year so far."""
    return datetime.date(today.year, 1, 1), today


def opening_dashboards(today: datetime.date) -> list[DashboardParameters]:
    """The whole PLIE's dashboards as they open, before any filter: the coordination
    team's (with the per-référent chart) and the steering committee's (small counts
    hidden). The worker computes them ahead each morning (`tasks.prepare_the_day`)."""
    date_from, date_to = default_period(today)
    return [
        DashboardParameters(date_from, date_to, Scope(), suppress=False, per_referent=True),
        DashboardParameters(date_from, date_to, Scope(), suppress=True, per_referent=False),
    ]


def store(parameters: DashboardParameters, programme) -> Kept[list[Chart]]:
    """Compute the charts now and keep them, with the time, for the next pages."""
    return kept_results.store(parameters.key, lambda: parameters.compute(programme))


def charts_of(parameters: DashboardParameters, programme) -> Kept[list[Chart]]:
    """The charts kept (`core.kept`): the worker's task `refresh_dashboard` computes them
    again when they are older than a quarter of an hour."""

    def refresh():
        from plie.reporting.tasks import refresh_dashboard

        refresh_dashboard.enqueue(*parameters.as_task_arguments())

    return kept_results.kept(parameters.key, lambda: parameters.compute(programme), refresh)
