"""The PLIE's figures over a period, computed in the database: people accompanied (flow),
active caseload (stock), entries, exits and the positive-exit rate, the public's shares,
pathway lengths, steps and contacts, cost per person; in total or broken down.

Source of the definitions: AVE consolidations (2014) and seed 000's « chiffres clés »,
written out with every edge case in docs/indicators.md. The caseload and the people
accompanied are `pathways.selectors`' (one definition for every page); dates and lengths
are `core.months`' (a state at D is the state at the end of D; lengths in calendar months
and days, 30 days to a month when several are added), in SQL through
`expressions.MonthsBetween`. A person counts once over a period, through their latest
pathway in it; entries and exits are pathway events. Every function takes an optional
`pathways` queryset (a référent's, an organisation's...) that restricts what is counted;
nothing is loaded row by row into Python.
"""

import dataclasses
import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Least

from plie.core import formatting
from plie.core.expressions import DaysBetween, MonthsBetween
from plie.core.months import ONE_DAY
from plie.participants.enums import NEUTRAL_EXIT_REASONS, ExitReason, Sex
from plie.pathways.models import Contact, Pathway, Step, running_on
from plie.pathways.selectors import accompanied_in, entered, exited_in, present_on
from plie.reporting.dimensions import DIMENSIONS, FRENCH_MONTHS, MONTH, age_at_entry
from plie.territory.models import Programme

LEVEL_3_OR_BELOW = 3  # décret 2019-14 level 3 = old level V (CAP, BEP)


def _check_period(date_from: datetime.date, date_to: datetime.date) -> None:
    if date_to < date_from:
        raise ValueError(
            f"La période se termine le {formatting.day(date_to)}, avant son début le "
            f"{formatting.day(date_from)} : inversez les deux dates."
        )


def scope(pathways: QuerySet[Pathway] | None = None, programme=None) -> QuerySet[Pathway]:
    """Pathways that have started (entered, whether exited since or not), within `pathways`."""
    base = Pathway.objects.all() if pathways is None else pathways
    base = base.filter(entered())
    # A database with one programme (one PLIE, the usual case) needs no filter on it, and
    # without it the figures read the pathways alone, without joining their participants.
    if programme is not None and Programme.objects.exclude(pk=programme.pk).exists():
        base = base.filter(participant__programme=programme)
    return base


def accompanied_pathways(date_from, date_to, *, pathways=None, programme=None):
    """Every pathway in a pathway at some time in the period (a person may have two)."""
    _check_period(date_from, date_to)
    return scope(pathways, programme).filter(accompanied_in(date_from, date_to))


def people_accompanied(date_from, date_to, *, pathways=None, programme=None):
    """One row per person accompanied in the period: their latest pathway in it."""
    accompanied = accompanied_pathways(date_from, date_to, pathways=pathways, programme=programme)
    # A person's pathways are all in their programme: no need to join it again here.
    later = scope(pathways).filter(
        accompanied_in(date_from, date_to),
        participant=OuterRef("participant"),
        number__gt=OuterRef("number"),
    )
    return accompanied.filter(~Exists(later))


def _step_running_on(day: datetime.date) -> Exists:
    return Exists(Step.objects.filter(running_on(day), pathway=OuterRef("pk")))


@dataclasses.dataclass(frozen=True)
class Caseload:
    """The active caseload at a date (stock), in persons, and those without a running step."""

    day: datetime.date
    people: int
    without_step: int

    @property
    def share_without_step(self) -> float | None:
        return _share(self.without_step, self.people)


def caseload_on(day: datetime.date, *, pathways=None, programme=None) -> Caseload:
    """At the end of `day`: entered on or before it, not exited on or before it.

    For one date, one query with a correlated EXISTS is faster than `caseloads_on`'s two
    scans (bench/: 72 against 140 ms on PostgreSQL); both give the same counts."""
    rows = scope(pathways, programme).filter(present_on(day))
    counts = rows.aggregate(
        people=Count("participant", distinct=True),
        with_step=Count("participant", distinct=True, filter=_step_running_on(day)),
    )
    return Caseload(
        day=day, people=counts["people"], without_step=counts["people"] - counts["with_step"]
    )


def caseloads_on(days: list[datetime.date], *, pathways=None, programme=None) -> list[Caseload]:
    """The caseload at each of several dates (month ends...), in two scans: the pathways
    present on at least one of them, then their steps (a person is "with a step" on a day
    when a pathway of theirs present that day has a step running)."""
    if not days:
        return []
    rows = scope(pathways, programme).filter(accompanied_in(min(days), max(days)))
    people = rows.aggregate(
        **{
            f"people_{index}": Count("participant", distinct=True, filter=present_on(day))
            for index, day in enumerate(days)
        }
    )
    first, last = min(days), max(days)
    with_step = (
        # Only the steps that run at some time between the first and the last date.
        Step.objects.filter(pathway__in=rows, start_date__lte=last)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=first))
        .order_by()
        .aggregate(
            **{
                f"with_{index}": Count(
                    "pathway__participant",
                    distinct=True,
                    filter=present_on(day, prefix="pathway__") & running_on(day),
                )
                for index, day in enumerate(days)
            }
        )
    )
    return [
        Caseload(
            day=day,
            people=people[f"people_{i}"],
            without_step=people[f"people_{i}"] - with_step[f"with_{i}"],
        )
        for i, day in enumerate(days)
    ]


def _people_aggregates(date_to: datetime.date) -> dict:
    """On people_accompanied() rows: one per person, their latest pathway of the period."""
    active = present_on(date_to)
    return {
        "people_accompanied": Count("pk"),
        "active_caseload": Count("pk", filter=active),
        "without_step": Count("pk", filter=active & ~_step_running_on(date_to)),
        "women": Count("pk", filter=Q(participant__sex=Sex.FEMALE)),
        "rsa": Count("pk", filter=Q(receives_rsa=True)),
        "rsa_known": Count("pk", filter=Q(receives_rsa__isnull=False)),
        "qpv": Count("pk", filter=Q(participant__qpv__isnull=False)),
        "level_3_or_below": Count("pk", filter=Q(education_level__level__lte=LEVEL_3_OR_BELOW)),
        "education_level_known": Count("pk", filter=Q(education_level__isnull=False)),
        "communes_reached": Count("participant__commune", distinct=True),
        "average_age": Avg(age_at_entry()),
    }


def _pathway_aggregates(date_from: datetime.date, date_to: datetime.date) -> dict:
    """On accompanied_pathways() rows: every pathway of the period. A pathway lasts from
    its entry up to its exit excluded (in the caseload at the end of each of those days),
    or, still going on, to the end of the period's last day."""
    exited = exited_in(date_from, date_to)
    after_the_period = Value(date_to + ONE_DAY)
    ends = Least(Coalesce("exit_date", after_the_period), after_the_period)
    return {
        "pathways_accompanied": Count("pk"),
        "carried_over": Count("pk", filter=Q(entry_date__lt=date_from)),
        "entries": Count("pk", filter=Q(entry_date__gte=date_from)),
        "exits": Count("pk", filter=exited),
        "positive_exits": Count("pk", filter=exited & Q(exit_reason=ExitReason.POSITIVE)),
        "neutral_exits": Count("pk", filter=exited & Q(exit_reason__in=NEUTRAL_EXIT_REASONS)),
        "average_length_months": Avg(MonthsBetween("exit_date", "entry_date"), filter=exited),
        "average_time_in_pathway_months": Avg(MonthsBetween(ends, "entry_date")),
        # In the caseload within the period: several periods, their months added.
        "months_in_caseload": Sum(MonthsBetween(ends, Greatest("entry_date", Value(date_from)))),
        # The same presence in days, for the average caseload (the mean of each day's).
        "presence_days": Sum(DaysBetween(ends, Greatest("entry_date", Value(date_from)))),
    }


def contacts_in(date_from, date_to, accompanied: QuerySet[Pathway]) -> QuerySet[Contact]:
    """Contacts of the period recorded while their pathway ran (entry to exit, both included)."""
    return Contact.objects.filter(
        Q(pathway__exit_date__isnull=True) | Q(contacted_on__lte=F("pathway__exit_date")),
        Q(contacted_on__gte=F("pathway__entry_date")),
        pathway__in=accompanied,
        contacted_on__range=(date_from, date_to),
    )


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


class _Rates:
    """The rates and shares of the public, from the counts of `Figures` or `KeyFigures`."""

    @property
    def positive_exit_rate(self) -> float | None:
        return _share(self.positive_exits, self.exits - self.neutral_exits)

    @property
    def share_women(self) -> float | None:
        return _share(self.women, self.people_accompanied)

    @property
    def share_rsa(self) -> float | None:
        return _share(self.rsa, self.rsa_known)

    @property
    def share_qpv(self) -> float | None:
        return _share(self.qpv, self.people_accompanied)

    @property
    def share_level_3_or_below(self) -> float | None:
        return _share(self.level_3_or_below, self.education_level_known)


@dataclasses.dataclass(frozen=True)
class Figures(_Rates):
    """Every figure of a period for one group of people (all of them, or one breakdown group)."""

    people_accompanied: int = 0
    pathways_accompanied: int = 0
    carried_over: int = 0
    entries: int = 0
    exits: int = 0
    positive_exits: int = 0
    neutral_exits: int = 0
    active_caseload: int = 0
    without_step: int = 0
    women: int = 0
    rsa: int = 0
    rsa_known: int = 0
    qpv: int = 0
    level_3_or_below: int = 0
    education_level_known: int = 0
    communes_reached: int = 0
    contacts: int = 0
    months_in_caseload: float = 0.0  # in the caseload within the period, added over pathways
    presence_days: int = 0  # days in the caseload within the period, summed over pathways
    average_caseload: float | None = None  # the caseload of each day of the period, averaged
    average_age: float | None = None
    average_length_months: float | None = None
    average_time_in_pathway_months: float | None = None

    @property
    def share_without_step(self) -> float | None:
        return _share(self.without_step, self.active_caseload)

    @property
    def contacts_per_person_month(self) -> float | None:
        return self.contacts / self.months_in_caseload if self.months_in_caseload else None

    def cost_per_person(self, budget: Decimal | None) -> Decimal | None:
        return cost_per_person(budget, self.people_accompanied)


def cost_per_person(budget: Decimal | None, people: int) -> Decimal | None:
    """Budget of the period ÷ people accompanied, to the cent (705 € in seed 001)."""
    if budget is None or not people:
        return None
    return (Decimal(budget) / people).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _days(date_from: datetime.date, date_to: datetime.date) -> int:
    return (date_to - date_from).days + 1


def _figures(people: dict, pathways: dict, contacts: int, days: int) -> Figures:
    """Figures from the rows of the three queries (an empty dict: nobody in the group).

    The average caseload is the sum of every pathway's days in the caseload within the
    period divided by the period's days: the mean of the caseload of each day, in one sum
    rather than one count per day (a person is never in two pathways on the same day)."""
    presence_days = round(pathways.get("presence_days") or 0)
    return Figures(
        **{key: people.get(key) or 0 for key in _COUNTED_ON_PEOPLE},
        **{key: pathways.get(key) or 0 for key in _COUNTED_ON_PATHWAYS},
        average_age=people.get("average_age"),
        average_length_months=pathways.get("average_length_months"),
        average_time_in_pathway_months=pathways.get("average_time_in_pathway_months"),
        months_in_caseload=pathways.get("months_in_caseload") or 0.0,
        presence_days=presence_days,
        average_caseload=presence_days / days,
        contacts=contacts,
    )


_COUNTED_ON_PEOPLE = [
    "people_accompanied",
    "active_caseload",
    "without_step",
    "women",
    "rsa",
    "rsa_known",
    "qpv",
    "level_3_or_below",
    "education_level_known",
    "communes_reached",
]
_COUNTED_ON_PATHWAYS = [
    "pathways_accompanied",
    "carried_over",
    "entries",
    "exits",
    "positive_exits",
    "neutral_exits",
]


def figures(date_from, date_to, *, pathways=None, programme=None) -> Figures:
    """All the figures of the period, in three queries."""
    accompanied = accompanied_pathways(date_from, date_to, pathways=pathways, programme=programme)
    people = people_accompanied(date_from, date_to, pathways=pathways, programme=programme)
    return _figures(
        people.aggregate(**_people_aggregates(date_to)),
        accompanied.aggregate(**_pathway_aggregates(date_from, date_to)),
        contacts_in(date_from, date_to, accompanied).count(),
        _days(date_from, date_to),
    )


def months(date_from: datetime.date, date_to: datetime.date):
    """The calendar months of the period, the first and last cut to the period."""
    _check_period(date_from, date_to)
    start = date_from
    while start <= date_to:
        following = (start.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        end = min(following - datetime.timedelta(days=1), date_to)
        yield start, end
        start = following


@dataclasses.dataclass(frozen=True)
class Group:
    key: object  # stable: username, INSEE code, QPV code, sex, age band, "2026-03"...
    label: str
    figures: Figures


def breakdown(date_from, date_to, by: str, *, pathways=None, programme=None) -> list[Group]:
    """The figures per référent, organisation, commune, QPV, sex, age band or month.

    A person falls in the group of their latest pathway of the period, so that the groups
    add up to the total; entries, exits and contacts fall in their own pathway's group.
    """
    if by == MONTH:
        return [
            Group(
                f"{start:%Y-%m}",
                f"{FRENCH_MONTHS[start.month - 1]} {start.year}",
                figures(start, end, pathways=pathways, programme=programme),
            )
            for start, end in months(date_from, date_to)
        ]
    if by not in DIMENSIONS:
        choices = ", ".join([*DIMENSIONS, MONTH])
        raise ValueError(f"Ventilation inconnue : « {by} ». Choisissez parmi : {choices}.")
    dimension = DIMENSIONS[by]
    accompanied = accompanied_pathways(date_from, date_to, pathways=pathways, programme=programme)
    people = people_accompanied(date_from, date_to, pathways=pathways, programme=programme)

    def grouped(rows: QuerySet, aggregates: dict, prefix: str = "") -> dict:
        rows = rows.order_by().values(group=dimension.group_by(prefix)).annotate(**aggregates)
        return {row.pop("group"): row for row in rows}

    by_person = grouped(people, _people_aggregates(date_to))
    by_pathway = grouped(accompanied, _pathway_aggregates(date_from, date_to))
    by_contact = {
        value: row["contacts"]
        for value, row in grouped(
            contacts_in(date_from, date_to, accompanied), {"contacts": Count("pk")}, "pathway__"
        ).items()
    }
    values = {*by_person, *by_pathway, *by_contact}
    named = dimension.keys_and_labels(values)
    groups = []
    for value in values:
        key, label = named[value]
        groups.append(
            Group(
                key,
                label,
                _figures(
                    by_person.get(value, {}),
                    by_pathway.get(value, {}),
                    by_contact.get(value, 0),
                    _days(date_from, date_to),
                ),
            )
        )
    return sorted(groups, key=lambda group: dimension.sort_key(group.key, group.label))


def people_by(
    date_from, date_to, by: str, *, at_end: bool = False, pathways=None, programme=None
) -> list[tuple[object, str, int]]:
    """(key, label, people) per group, as `breakdown` counts `people_accompanied` (or, with
    `at_end`, `active_caseload`), in one grouped query instead of the breakdown's three."""
    dimension = DIMENSIONS[by]
    people = people_accompanied(date_from, date_to, pathways=pathways, programme=programme)
    if at_end:
        people = people.filter(present_on(date_to))
    counts = {
        row["group"]: row["people"]
        for row in people.order_by().values(group=dimension.group_by()).annotate(people=Count("pk"))
    }
    named = dimension.keys_and_labels(counts)
    rows = [(*named[value], count) for value, count in counts.items()]
    return sorted(rows, key=lambda row: dimension.sort_key(row[0], row[1]))


@dataclasses.dataclass(frozen=True)
class KeyFigures(_Rates):
    """The « chiffres clés » block of seed 000 (Dijon, 2020), for any period and scope,
    with the counts its shares are computed from (the small-count rule needs them)."""

    date_from: datetime.date
    date_to: datetime.date
    communes: int  # of the PLIE's territory
    people_accompanied: int
    active_caseload: int  # on date_to
    average_caseload: float | None
    women: int
    rsa: int
    rsa_known: int
    qpv: int
    level_3_or_below: int
    education_level_known: int
    average_length_months: float | None  # pathways exited in the period
    entries: int
    exits: int
    positive_exits: int
    neutral_exits: int


# What the key figures block reads of the two aggregate queries: the rest of `figures()`
# (average age, months in the caseload, contacts...) costs more than half of its time (bench/).
_KEY_PEOPLE = (
    "people_accompanied",
    "active_caseload",
    "women",
    "rsa",
    "rsa_known",
    "qpv",
    "level_3_or_below",
    "education_level_known",
)
_KEY_PATHWAYS = (
    "pathways_accompanied",
    "entries",
    "exits",
    "positive_exits",
    "neutral_exits",
    "average_length_months",
    "presence_days",
)


def key_figures(date_from, date_to, *, pathways=None, programme=None) -> KeyFigures:
    programme = programme or Programme.current()
    people = people_accompanied(date_from, date_to, pathways=pathways, programme=programme)
    accompanied = accompanied_pathways(date_from, date_to, pathways=pathways, programme=programme)
    on_people = _people_aggregates(date_to)
    on_pathways = _pathway_aggregates(date_from, date_to)
    computed = _figures(
        people.aggregate(**{key: on_people[key] for key in _KEY_PEOPLE}),
        accompanied.aggregate(**{key: on_pathways[key] for key in _KEY_PATHWAYS}),
        contacts=0,
        days=_days(date_from, date_to),
    )
    return KeyFigures(
        date_from=date_from,
        date_to=date_to,
        communes=programme.communes.count() if programme else 0,
        **{
            field.name: getattr(computed, field.name)
            for field in dataclasses.fields(KeyFigures)
            if field.name not in {"date_from", "date_to", "communes"}
        },
    )
