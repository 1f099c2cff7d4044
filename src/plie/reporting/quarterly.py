"""The quarterly review (« point d'étape trimestriel ») for the steering committee: the key
figures of a quarter and of the year up to the quarter's end, and the dashboard's charts of
the quarter, each with its data table.

Nothing is counted here: the figures are `indicators.figures` (definitions in
docs/indicators.md), the charts `dashboard.Dashboard`. This module chooses the period
and decides what a document for the steering committee may say, whoever prints it: every
count from 1 to 4 reads "< 5", a share or an average that would give such a count away is
not given, and no chart names a person (the per-référent chart is left out).
"""

import dataclasses
import datetime
from collections.abc import Callable

from plie.core import formatting
from plie.core import kept as kept_results
from plie.core.kept import Kept
from plie.core.months import add_months
from plie.core.suppression import SMALL_COUNT
from plie.core.templatetags.plie_figures import percent
from plie.reporting.charts import PRINT_WIDTH, Chart, display
from plie.reporting.dashboard import Dashboard
from plie.reporting.indicators import Figures, figures
from plie.territory.models import Programme

QUARTERS = (1, 2, 3, 4)
HIDDEN = "—"  # the same mark as "not computable": the legend says both


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
        return add_months(self.start, 3) - datetime.timedelta(days=1)

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
    label: str
    quarter: str  # as shown: "12", "< 5", "48 %", "—"
    year_to_date: str


@dataclasses.dataclass(frozen=True)
class QuarterlyReview:
    quarter: Quarter
    date_to: datetime.date  # the quarter's last day, or today for the quarter in progress
    rows: list[FigureRow]
    charts: list[Chart]

    @property
    def in_progress(self) -> bool:
        return self.date_to < self.quarter.end

    @property
    def year_start(self) -> datetime.date:
        return datetime.date(self.quarter.year, 1, 1)

    def for_print(self) -> "QuarterlyReview":
        """The same review with charts drawn at their printed width (a page scales them up)."""
        charts = [dataclasses.replace(chart, width=PRINT_WIDTH) for chart in self.charts]
        return dataclasses.replace(self, charts=charts)


def _small(count: int) -> bool:
    return 0 < count < SMALL_COUNT


def _count(value: int) -> str:
    return display(None if _small(value) else value)


def _share(value: float | None, part: int, whole: int) -> str:
    """A share, unless its part, its whole or the rest is from 1 to 4: "18 %" of 11 people
    says "2" as plainly as the count would."""
    if value is None or any(_small(count) for count in (part, whole, whole - part)):
        return HIDDEN
    return percent(value)


def _average_months(value: float | None, count: int) -> str:
    """An average length, unless it is the average of 1 to 4 pathways (theirs, nearly)."""
    if value is None or _small(count):
        return HIDDEN
    return f"{value:.1f}".replace(".", ",") + "\u00a0mois"


def _figure_rows(date_to: datetime.date) -> list[tuple[str, Callable[[Figures], str]]]:
    """Each line of the key figures: its label, and how it reads from a period's figures."""
    day = f"{formatting.day(date_to)}"
    return [
        ("Personnes accompagnées", lambda f: _count(f.people_accompanied)),
        (f"File active au {day}", lambda f: _count(f.active_caseload)),
        ("Entrées", lambda f: _count(f.entries)),
        ("Sorties", lambda f: _count(f.exits)),
        ("Sorties positives", lambda f: _count(f.positive_exits)),
        (
            "Taux de sorties positives",
            lambda f: _share(f.positive_exit_rate, f.positive_exits, f.exits - f.neutral_exits),
        ),
        ("Part de femmes", lambda f: _share(f.share_women, f.women, f.people_accompanied)),
        (
            "Part de bénéficiaires du RSA à l'entrée",
            lambda f: _share(f.share_rsa, f.rsa, f.rsa_known),
        ),
        ("Part de résidents en QPV", lambda f: _share(f.share_qpv, f.qpv, f.people_accompanied)),
        (
            "Part de niveau de formation 3 ou moins",
            lambda f: _share(f.share_level_3_or_below, f.level_3_or_below, f.education_level_known),
        ),
        (
            "Durée moyenne des parcours sortis",
            lambda f: _average_months(f.average_length_months, f.exits),
        ),
        (
            f"Part de la file active sans étape en cours au {day}",
            lambda f: _share(f.share_without_step, f.without_step, f.active_caseload),
        ),
    ]


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
    of_quarter = figures(quarter.start, date_to, programme=programme)
    of_year = figures(datetime.date(quarter.year, 1, 1), date_to, programme=programme)
    rows = [
        FigureRow(label, show(of_quarter), show(of_year)) for label, show in _figure_rows(date_to)
    ]
    dashboard = Dashboard(
        date_from=quarter.start,
        date_to=date_to,
        pathways=None,
        programme=programme,
        suppress=True,
    )
    return QuarterlyReview(quarter, date_to, rows, dashboard.charts(per_referent=False))


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
