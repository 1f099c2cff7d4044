"""The indicator catalogue: every figure the PLIE computes, declared once with its key
(the JSON key and the attribute of `indicators.Figures`), its French label, how it is
written (`core.formatting`), where docs/indicators.md defines it, and its small-count rule
(`core.suppression`).

The key figures page, `plie indicators` (JSON and text), the quarterly review and the
dashboard read their labels, formats and rules here; a test checks that every anchor
exists in docs/indicators.md and that every figure computed has an entry. Adding a figure
is one entry here plus its computation in `indicators.py` (docs/architecture.md).
"""

from __future__ import annotations

import abc
import dataclasses
import datetime
import types
from collections.abc import Callable

from plie.core import formatting
from plie.core.formatting import COUNT, EUROS, MONTHS, PEOPLE_ON_AVERAGE, RATIO, SHARE, YEARS
from plie.core.months import add_months
from plie.core.suppression import HIDE_SMALL, SHOW_ALL, Hidden, SmallCounts

Read = Callable[[object], int]  # from a figures object (Figures, KeyFigures) to a count


class SmallCountRule(abc.ABC):
    """How a figure is hidden from readers who must not point at a person."""

    @abc.abstractmethod
    def shows(self, figures, value, small: SmallCounts) -> int | float | Hidden | None:
        """The value as this audience may read it."""


class AsCount(SmallCountRule):
    """A count of people or pathways (or an average caseload): « < 5 » from 1 to 4."""

    def shows(self, figures, value, small):
        return None if value is None else small.count(value)


@dataclasses.dataclass(frozen=True)
class ShareOf(SmallCountRule):
    """A share: not given when its part, its whole or their difference is from 1 to 4."""

    part: Read
    whole: Read

    def shows(self, figures, value, small):
        if value is None:
            return None
        return value if small.share(self.part(figures), self.whole(figures)) else None


@dataclasses.dataclass(frozen=True)
class AverageOver(SmallCountRule):
    """An average or a total over people or pathways: not given over 1 to 4 of them."""

    over: Read

    def shows(self, figures, value, small):
        return value if value is not None and small.average(self.over(figures)) else None


class Public(SmallCountRule):
    """Says nothing about a person (the territory's communes): always shown."""

    def shows(self, figures, value, small):
        return value


@dataclasses.dataclass(frozen=True)
class Figure:
    key: str  # JSON key and attribute of the figures
    label: str  # French, as a page, a document and the command write it
    quantity: formatting.Quantity
    anchor: str  # id of its definition in docs/indicators.md (the definitions page)
    small: SmallCountRule
    dated: bool = False  # a stock at the period's last day: « File active au 31/12/2026 »
    short: str = ""  # a table's column header, when the label is too long for one

    @property
    def header(self) -> str:
        return self.short or self.label

    def label_on(self, day: datetime.date | None) -> str:
        """The label, with the day a stock is read on (« File active au 31/12/2026 »), or
        « en fin de période » where each column has its own period (no day given)."""
        if not self.dated:
            return self.label
        return (
            f"{self.label} au {formatting.day(day)}" if day else f"{self.label} en fin de période"
        )

    def value(self, figures) -> int | float | None:
        value = getattr(figures, self.key)
        return float(value) if value is not None and not isinstance(value, int) else value

    def shown(self, figures, small: SmallCounts = SHOW_ALL) -> int | float | Hidden | None:
        """The value as this audience may read it: the number, a hidden count's mark, or
        None (not computable, or not given)."""
        return self.small.shows(figures, self.value(figures), small)

    def text(self, figures, small: SmallCounts = SHOW_ALL) -> str:
        return self.write(self.shown(figures, small))

    def machine(self, figures, small: SmallCounts = SHOW_ALL) -> int | float | str | None:
        """For JSON (the command's output): the value rounded by the same rule, a hidden
        count's mark as a string, a share or an average not given as null."""
        return self.machine_of(self.shown(figures, small))

    def write(self, shown: int | float | Hidden | None) -> str:
        """A value as shown (`shown`), in French: « 1 204 », « 55 % », « < 5 », « — »."""
        return str(shown) if isinstance(shown, Hidden) else self.quantity.text(shown)

    def machine_of(self, shown: int | float | Hidden | None) -> int | float | str | None:
        return str(shown) if isinstance(shown, Hidden) else self.quantity.machine(shown)


def _count(name: str) -> Read:
    return lambda figures: getattr(figures, name)


def _non_neutral_exits(figures) -> int:
    return figures.exits - figures.neutral_exits


_PEOPLE = "personnes-accompagnees-sur-la-periode-flux"
_CASELOAD = "file-active-a-une-date-stock"
_AVERAGE_CASELOAD = "file-active-moyenne-sur-la-periode"
_CONTACTS = "contacts-par-personne-et-par-mois"
_people = _count("people_accompanied")

FIGURES: tuple[Figure, ...] = (
    Figure("communes", "Communes du territoire", COUNT, "communes", Public()),
    Figure(
        "people_accompanied", "Personnes accompagnées", COUNT, _PEOPLE, AsCount(), short="Personnes"
    ),
    Figure("pathways_accompanied", "Parcours accompagnés", COUNT, _PEOPLE, AsCount()),
    Figure("carried_over", "Parcours en cours au début de la période", COUNT, _PEOPLE, AsCount()),
    Figure("entries", "Entrées", COUNT, "entrees", AsCount()),
    Figure("exits", "Sorties", COUNT, "sorties", AsCount()),
    Figure("positive_exits", "Sorties positives", COUNT, "sorties", AsCount()),
    Figure("neutral_exits", "Sorties neutres", COUNT, "sorties", AsCount()),
    Figure(
        "positive_exit_rate",
        "Taux de sorties positives",
        SHARE,
        "taux-de-sorties-positives",
        ShareOf(_count("positive_exits"), _non_neutral_exits),
        short="Taux SP",
    ),
    Figure(
        "active_caseload",
        "File active",
        COUNT,
        _CASELOAD,
        AsCount(),
        dated=True,
        short="File active",
    ),
    Figure(
        "average_caseload",
        "File active moyenne",
        PEOPLE_ON_AVERAGE,
        _AVERAGE_CASELOAD,
        AsCount(),
    ),
    Figure(
        "presence_days",
        "Journées de présence dans la file active",
        COUNT,
        _AVERAGE_CASELOAD,
        AverageOver(_count("pathways_accompanied")),
    ),
    Figure(
        "without_step",
        "Personnes de la file active sans étape en cours",
        COUNT,
        "part-sans-etape-a-une-date",
        AsCount(),
        dated=True,
    ),
    Figure(
        "share_without_step",
        "Part de la file active sans étape en cours",
        SHARE,
        "part-sans-etape-a-une-date",
        ShareOf(_count("without_step"), _count("active_caseload")),
        dated=True,
    ),
    Figure("women", "Femmes", COUNT, "part-de-femmes", AsCount()),
    Figure(
        "share_women",
        "Part de femmes",
        SHARE,
        "part-de-femmes",
        ShareOf(_count("women"), _people),
        short="Femmes",
    ),
    Figure(
        "rsa",
        "Bénéficiaires du RSA à l'entrée",
        COUNT,
        "part-de-beneficiaires-du-rsa-a-lentree",
        AsCount(),
    ),
    Figure(
        "rsa_known",
        "RSA à l'entrée renseigné",
        COUNT,
        "part-de-beneficiaires-du-rsa-a-lentree",
        AsCount(),
    ),
    Figure(
        "share_rsa",
        "Part de bénéficiaires du RSA à l'entrée",
        SHARE,
        "part-de-beneficiaires-du-rsa-a-lentree",
        ShareOf(_count("rsa"), _count("rsa_known")),
        short="RSA",
    ),
    Figure("qpv", "Résidents en QPV", COUNT, "part-de-residents-en-qpv", AsCount()),
    Figure(
        "share_qpv",
        "Part de résidents en QPV",
        SHARE,
        "part-de-residents-en-qpv",
        ShareOf(_count("qpv"), _people),
    ),
    Figure(
        "level_3_or_below",
        "Niveau de formation 3 ou moins",
        COUNT,
        "part-de-niveau-de-formation-3-ou-moins",
        AsCount(),
    ),
    Figure(
        "education_level_known",
        "Niveau de formation renseigné",
        COUNT,
        "part-de-niveau-de-formation-3-ou-moins",
        AsCount(),
    ),
    Figure(
        "share_level_3_or_below",
        "Part de niveau de formation 3 ou moins",
        SHARE,
        "part-de-niveau-de-formation-3-ou-moins",
        ShareOf(_count("level_3_or_below"), _count("education_level_known")),
    ),
    Figure("average_age", "Âge moyen à l'entrée", YEARS, "age-moyen", AverageOver(_people)),
    Figure(
        "average_length_months",
        "Durée moyenne des parcours sortis",
        MONTHS,
        "duree-moyenne-des-parcours",
        AverageOver(_count("exits")),
    ),
    Figure(
        "average_time_in_pathway_months",
        "Ancienneté moyenne en parcours",
        MONTHS,
        "duree-moyenne-des-parcours",
        AverageOver(_count("pathways_accompanied")),
    ),
    Figure("contacts", "Contacts", COUNT, _CONTACTS, AsCount()),
    Figure(
        "months_in_caseload",
        "Mois de présence dans la file active",
        MONTHS,
        _CONTACTS,
        AverageOver(_count("pathways_accompanied")),
    ),
    Figure(
        "contacts_per_person_month",
        "Contacts par personne et par mois",
        RATIO,
        _CONTACTS,
        AverageOver(_people),
    ),
    Figure(
        "communes_reached",
        "Communes où résident des personnes accompagnées",
        COUNT,
        "communes",
        Public(),
    ),
    Figure(
        "cost_per_person",
        "Coût par personne accompagnée",
        EUROS,
        "cout-par-personne-accompagnee",
        AverageOver(_people),
    ),
)
CATALOGUE: dict[str, Figure] = {figure.key: figure for figure in FIGURES}

# What each output shows, in its order (every other output reads the whole catalogue).
KEY_FIGURES = (
    "communes",
    "people_accompanied",
    "active_caseload",
    "average_caseload",
    "share_women",
    "share_rsa",
    "share_qpv",
    "average_length_months",
    "share_level_3_or_below",
    "positive_exit_rate",
    "entries",
    "exits",
    "positive_exits",
    "cost_per_person",
)
QUARTERLY_REVIEW = (
    "people_accompanied",
    "active_caseload",
    "average_caseload",
    "entries",
    "exits",
    "positive_exits",
    "positive_exit_rate",
    "share_women",
    "share_rsa",
    "share_qpv",
    "share_level_3_or_below",
    "average_length_months",
    "share_without_step",
)
# Computed by `figures()` for every group of a breakdown (the territory's communes and the
# cost are figures of the whole PLIE only).
OF_THE_PLIE_ONLY = ("communes", "cost_per_person")


def reading(figures, **extra) -> types.SimpleNamespace:
    """Every catalogue figure that `figures` holds (a `Figures`, a `KeyFigures`), with the
    figures computed beside it (`communes`, `cost_per_person`), as one object the catalogue
    reads: what a command or a page passes to `Figure.text` and `Figure.machine`."""
    values = {key: getattr(figures, key, None) for key in CATALOGUE if key not in extra}
    values = {key: value for key, value in values.items() if not callable(value)}
    return types.SimpleNamespace(**values, **extra)


def small_counts_for(user) -> SmallCounts:
    """The audience's rule: those who may see the people themselves (the coordination team,
    a référent for their own caseload) read every count; anyone else (the steering
    committee) reads small counts hidden. Documents made for the committee (the quarterly
    review, a cohort's PDF) use `HIDE_SMALL` whoever prints them."""
    return SHOW_ALL if user.is_coordination_team or user.is_referent else HIDE_SMALL


def previous_year(
    date_from: datetime.date, date_to: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The same period one year earlier (29 February becomes the 28th): the comparison
    beside each figure (docs/indicators.md, « Comparaison avec l'année précédente »)."""
    return add_months(date_from, -12), add_months(date_to, -12)
