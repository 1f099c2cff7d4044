"""The quarterly review (« point d'étape trimestriel ») for the steering committee: the key
figures of a quarter and of the year up to the quarter's end, and the dashboard's charts of
the quarter, each with its data table, and the programme year's targets against achievement
(targets.py).

Nothing is counted here: the figures are `indicators.figures` (definitions in
docs/indicators.md), their labels, formats and small-count rules the catalogue's
(`catalogue.QUARTERLY_REVIEW`), the charts `dashboard.Dashboard`. This module chooses the
periods (the quarter, the year to its end, and the same days a year earlier) and applies
what a document for the steering committee may say, whoever prints it: the small-count
rule (`core.suppression.HIDE_SMALL`), and no chart that names a person (the per-référent
chart is left out).
"""

import dataclasses
import datetime

from plie.core import kept as kept_results
from plie.core.charts import PRINT_WIDTH, Chart
from plie.core.kept import Kept
from plie.core.months import reached_on
from plie.core.suppression import HIDE_SMALL
from plie.reporting.catalogue import CATALOGUE, QUARTERLY_REVIEW, previous_year
from plie.reporting.dashboard import Dashboard
from plie.reporting.indicators import figures
from plie.reporting.targets import Achievement, achievement_on
from plie.territory.models import Programme

QUARTERS = (1, 2, 3, 4)


@dataclasses.dataclass(frozen=True)
class Quarter:
    year: int
    number: int  # 1 to 4

    def __post_init__(self):
        if self.number not in QUARTERS:
            raise ValueError(f"Trimestre {self.number} inconnu : choisissez 1, 2, 3 ou 4.")

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> datetime.date:
        return reached_on(self.start, 3)

    @property
    def label(self) -> str:
        """For instance « 1er trimestre 2026 », « 3e trimestre 2026 »."""
        return f"{self.number}{'er' if self.number == 1 else 'e'} trimestre {self.year}"

    @property
    def slug(self) -> str:
        return f"{self.year}-T{self.number}"

    @classmethod
    def containing(cls, day: datetime.date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def last_complete(cls, today: datetime.date) -> "Quarter":
        """The quarter before today's (on 1 January: the last quarter of the year before)."""
        current = cls.containing(today)
        if current.number == 1:
            return cls(current.year - 1, 4)
        return cls(current.year, current.number - 1)


@dataclasses.dataclass(frozen=True)
class FigureRow:
    key: str  # in the catalogue: its definition's anchor
    label: str
    quarter: str  # as shown: "12", "< 5", "48 %", "—"
    year_to_date: str
    previous_year_to_date: str  # the same days of the year before


@dataclasses.dataclass(frozen=True)
class QuarterlyReview:
    quarter: Quarter
    date_to: datetime.date  # the quarter's last day, or today for the quarter in progress
    rows: list[FigureRow]
    charts: list[Chart]
    targets: Achievement | None = None  # the programme year's, up to date_to

    @property
    def in_progress(self) -> bool:
        return self.date_to < self.quarter.end

    @property
    def year_start(self) -> datetime.date:
        return datetime.date(self.quarter.year, 1, 1)

    @property
    def previous_year(self) -> tuple[datetime.date, datetime.date]:
        """The year to date, a year earlier: the comparison column."""
        return previous_year(self.year_start, self.date_to)

    def for_print(self) -> "QuarterlyReview":
        """The same review with charts drawn at their printed width (a page scales them up)."""
        charts = [dataclasses.replace(chart, width=PRINT_WIDTH) for chart in self.charts]
        return dataclasses.replace(self, charts=charts)


def check_begun(quarter: Quarter, today: datetime.date) -> None:
    """A review needs at least one day of its quarter."""
    if quarter.start > today:
        raise ValueError(
            f"Le {quarter.label} n'a pas encore commencé : choisissez un trimestre passé "
            "ou le trimestre en cours."
        )


def quarterly_review(quarter: Quarter, *, today: datetime.date, programme) -> QuarterlyReview:
    """The review of a quarter that has begun; a quarter in progress stops at `today`."""
    check_begun(quarter, today)
    date_to = min(quarter.end, today)
    year_start = datetime.date(quarter.year, 1, 1)
    periods = [(quarter.start, date_to), (year_start, date_to), previous_year(year_start, date_to)]
    computed = [figures(*period, programme=programme) for period in periods]
    rows = []
    for key in QUARTERLY_REVIEW:
        figure = CATALOGUE[key]
        quarter_text, year_text, previous_text = (
            figure.text(of_period, HIDE_SMALL) for of_period in computed
        )
        # A stock is read at the last day of each column's period (« en fin de période »).
        rows.append(FigureRow(key, figure.label_on(None), quarter_text, year_text, previous_text))
    dashboard = Dashboard(
        date_from=quarter.start,
        date_to=date_to,
        pathways=None,
        programme=programme,
        suppress=True,
    )
    return QuarterlyReview(
        quarter,
        date_to,
        rows,
        dashboard.charts(per_referent=False),
        achievement_on(programme, date_to, small=HIDE_SMALL),
    )


def _kept_key(quarter: Quarter, today: datetime.date) -> str:
    # A finished quarter's figures still change when a record is put right: one review a day.
    return f"quarterly-review:{quarter.slug}:{today.isoformat()}"


def _computing(quarter: Quarter, today: datetime.date):
    return lambda: quarterly_review(quarter, today=today, programme=Programme.current())


def store_review(quarter: Quarter, today: datetime.date) -> Kept[QuarterlyReview]:
    """Compute the review now and keep it (the worker's tasks)."""
    return kept_results.store(_kept_key(quarter, today), _computing(quarter, today))


def kept_review(quarter: Quarter, today: datetime.date) -> Kept[QuarterlyReview]:
    """The review as kept (`core.kept`): at 100,000 people it takes about a second and a
    half (two sets of figures and the charts), and the preview and its PDF come one after
    the other; the worker computes the last finished quarter's ahead each morning."""

    def refresh():
        from plie.reporting.tasks import refresh_quarterly_review

        refresh_quarterly_review.enqueue(quarter.year, quarter.number, today.isoformat())

    return kept_results.kept(_kept_key(quarter, today), _computing(quarter, today), refresh)
