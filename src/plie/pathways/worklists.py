"""The morning lists (« À suivre »): who needs attention today, for one référent's caseload
or the whole PLIE's, with thresholds set by the programme. Each list is read whole as keys
(`Listed`: the row's key, its référent, the dates shown), which give its count and its
count per référent (« Files actives »); only the rows a page shows are loaded as objects.
The whole PLIE's lists are kept with their time and refreshed in the background
(`kept_whole_plie`); a référent's are computed on the spot.
"""

import dataclasses
import datetime
import functools
from collections import Counter
from collections.abc import Callable

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from plie.core import kept as kept_results
from plie.core.expressions import Unindexed
from plie.core.kept import Kept
from plie.core.plugins import pending_exit_proposals
from plie.participants.enums import ReferralStatus
from plie.participants.models import Referral
from plie.pathways.exit_candidates import ExitCandidate, exit_candidates
from plie.pathways.models import Contact, FollowUp, Pathway, Step
from plie.pathways.selectors import active_on, in_caseload_on

# What the pages show of a participant, and of a pathway (a few fields of wide rows).
PARTICIPANT = ("participant__last_name", "participant__first_name", "participant__file_number")
REFERENT = ("referent__first_name", "referent__last_name", "referent__username")
PEOPLE = ("number", "entry_date", *PARTICIPANT, *REFERENT)


def _through(relation: str, fields: tuple[str, ...]) -> tuple[str, ...]:
    """`fields` of the row reached by `relation` (the pathway of a step...)."""
    return tuple(f"{relation}__{field}" for field in fields)


@dataclasses.dataclass(frozen=True)
class Shown:
    """The first rows of a list, and how many rows the whole list has."""

    rows: list
    count: int

    @property
    def cut(self) -> bool:
        return self.count > len(self.rows)


@dataclasses.dataclass(frozen=True)
class Listed:
    """A list as it can be kept: each row's key, référent and annotations, in list order
    (plain values, no objects: the rows a page shows are loaded from their keys)."""

    keys: tuple[tuple, ...]  # (primary key, référent id, *annotations)

    @property
    def count(self) -> int:
        return len(self.keys)

    def per_referent(self) -> Counter:
        return Counter(referent for _, referent, *_ in self.keys)

    def first(self, rows_of: Callable[[tuple], list], limit: int) -> Shown:
        """The first `limit` rows, loaded by `rows_of` from their keys, and the count."""
        return Shown(rows_of(self.keys[:limit]), self.count)


class ExitCandidates:
    """Every exit candidate of a caseload, in list order, as plain rows; found when first
    asked (`find`), so that the rows of a kept list are loaded without a new search."""

    def __init__(self, find: Callable[[], tuple[ExitCandidate, ...]]):
        self._find = find

    @functools.cached_property
    def candidates(self) -> tuple[ExitCandidate, ...]:
        return self._find()

    def listed(self) -> Listed:
        return Listed(tuple((c.pathway_id, c.referent_id, c.met) for c in self.candidates))

    def rows_of(self, keys) -> list[ExitCandidate]:
        pathways = (
            Pathway.objects.select_related("participant", "referent")
            .only(*PEOPLE)
            .in_bulk([pk for pk, *_ in keys])
        )
        # An exit already proposed is said on the row instead of a second « Proposer »: the
        # committee answers which (core.plugins), the pathways not knowing the committee.
        proposed = pending_exit_proposals(list(pathways))
        for pk, pathway in pathways.items():
            pathway.pending_exit = proposed.get(pk)
        return [
            ExitCandidate(pk, referent, met, pathways[pk])
            for pk, referent, met in keys
            if pk in pathways
        ]

    def first(self, limit: int) -> Shown:
        return self.listed().first(self.rows_of, limit)


@dataclasses.dataclass(frozen=True)
class Worklist:
    """One list: its rows in order, the lookup from a row to its référent, and what the
    page shows of a row: its fields and its related rows' (`shown`), its annotations."""

    rows: QuerySet
    referent: str
    shown: tuple[str, ...] = ()
    annotations: tuple[str, ...] = ()

    def listed(self) -> Listed:
        """The whole list's keys, in one lean query (no objects)."""
        return Listed(tuple(self.rows.values_list("pk", self.referent, *self.annotations)))

    def rows_of(self, keys) -> list:
        """The rows of these keys, loaded with what the page shows, their annotations set;
        a row deleted since its list was kept is left out."""
        related = {field.rpartition("__")[0] for field in self.shown} - {""}
        shown = (
            self.rows.model.objects.select_related(*related)
            .only(*self.shown)
            .in_bulk([key for key, *_ in keys])
        )
        rows = []
        for key, _, *values in keys:
            if key not in shown:
                continue
            row = shown[key]
            for name, value in zip(self.annotations, values, strict=True):
                setattr(row, name, value)
            rows.append(row)
        return rows

    def first(self, limit: int) -> Shown:
        """The first `limit` rows and the whole list's count."""
        return self.listed().first(self.rows_of, limit)

    def per_referent(self) -> Counter:
        """How many rows each référent has, grouped in the database; on the référent kept
        from SQLite's index choice (`Unindexed`): through the référent's index, SQLite read
        the whole table in référent order, five times slower at scale."""
        referent = Unindexed(self.referent, output_field=IntegerField())
        counts = self.rows.order_by().values(its_referent=referent).annotate(count=Count("*"))
        return Counter({row["its_referent"]: row["count"] for row in counts})


def _of_pathways(rows: QuerySet, pathways: QuerySet[Pathway]) -> QuerySet:
    """`rows` (steps, follow-ups) of `pathways`, with no subquery when those are all of
    them (the coordination's lists): over every pathway, it only costs time."""
    if not pathways.query.where:
        return rows
    return rows.filter(pathway__in=pathways)


def without_step(pathways: QuerySet[Pathway], today: datetime.date, days: int):
    """In the caseload with no ongoing step for more than `days` days (since entry if none):
    entered before the limit, and no step started by today that goes on or ended after the
    limit. `since` is the end of the last step, or the entry if it came later."""
    limit = today - datetime.timedelta(days=days)
    started = Step.objects.filter(pathway=OuterRef("pk"), start_date__lte=today)
    return (
        pathways.filter(entry_date__lt=limit)
        .filter(~Exists(started.filter(Q(end_date__isnull=True) | Q(end_date__gte=limit))))
        .annotate(
            last_step_end=Subquery(
                started.order_by(F("end_date").desc(nulls_first=True)).values("end_date")[:1]
            )
        )
        .annotate(since=Greatest(Coalesce("last_step_end", "entry_date"), "entry_date"))
        .annotate(
            # A step planned later does not take the person off the list, but is said.
            next_start=Subquery(
                Step.objects.filter(pathway=OuterRef("pk"), start_date__gt=today)
                .order_by("start_date")
                .values("start_date")[:1]
            )
        )
        .order_by("since", "pk")
    )


def not_seen(pathways: QuerySet[Pathway], today: datetime.date, days: int):
    """In the caseload with no contact for more than `days` days (since entry if none):
    no contact from the limit to today, and one before the limit or an entry before it.
    `seen` is the last contact, or the entry if there was none."""
    limit = today - datetime.timedelta(days=days)
    contacts = Contact.objects.filter(pathway=OuterRef("pk"), contacted_on__lte=today)
    return (
        pathways.filter(~Exists(contacts.filter(contacted_on__gte=limit)))
        .filter(Q(entry_date__lt=limit) | Exists(contacts.filter(contacted_on__lt=limit)))
        .annotate(
            last_contact=Subquery(contacts.order_by("-contacted_on").values("contacted_on")[:1])
        )
        .annotate(seen=Coalesce("last_contact", "entry_date"))
        .order_by("seen", "pk")
    )


def steps_ending(pathways: QuerySet[Pathway], today: datetime.date, days: int):
    """Ongoing steps of the active caseload planned to end within `days` days."""
    ending = Step.objects.filter(
        in_caseload_on(today, prefix="pathway__"),
        end_date__isnull=True,
        planned_end_date__gte=today,
        planned_end_date__lte=today + datetime.timedelta(days=days),
    )
    return _of_pathways(ending, pathways).order_by("planned_end_date", "pk")


def referrals_waiting(referrals: QuerySet[Referral], today: datetime.date, days: int):
    return (
        referrals.filter(status=ReferralStatus.AWAITING_APPOINTMENT)
        .filter(referred_on__lt=today - datetime.timedelta(days=days))
        .order_by("referred_on", "pk")
    )


def follow_ups_due(pathways: QuerySet[Pathway], today: datetime.date, days: int):
    due = FollowUp.objects.filter(
        done_on__isnull=True, due_on__lte=today + datetime.timedelta(days=days)
    )
    return _of_pathways(due, pathways).order_by("due_on", "pk")


# The lists, in the pages' order, with the slug of each one's own page.
LISTS = {
    "exit_candidates": "sortie",
    "without_step": "sans-etape",
    "not_seen": "sans-contact",
    "referrals_waiting": "orientations",
    "steps_ending": "fin-etape",
    "follow_ups_due": "suivis",
}


@dataclasses.dataclass(frozen=True)
class Listing:
    """Every list of a caseload as keys (`Listed`), by name: what is kept for the whole PLIE."""

    lists: dict[str, Listed]

    def per_referent(self) -> dict[str, Counter]:
        """Each list's length per référent: what the « Files actives » page shows."""
        return {name: listed.per_referent() for name, listed in self.lists.items()}


@dataclasses.dataclass(frozen=True)
class Worklists:
    """Who needs attention today, for a caseload; thresholds come from the programme."""

    without_step: Worklist
    not_seen: Worklist
    referrals_waiting: Worklist
    steps_ending: Worklist
    exit_candidates: ExitCandidates
    follow_ups_due: Worklist

    def listing(self) -> Listing:
        return Listing({name: getattr(self, name).listed() for name in LISTS})

    def first(self, limit: int, listing: Listing | None = None) -> dict[str, Shown]:
        """Each list's first `limit` rows and whole count (of `listing` when it was kept):
        what the « À suivre » page shows."""
        listing = listing or self.listing()
        return {
            name: listed.first(getattr(self, name).rows_of, limit)
            for name, listed in listing.lists.items()
        }


def worklists(programme, pathways: QuerySet[Pathway], referrals: QuerySet[Referral], today):
    """The lists of the caseload `pathways` (any state; the lists keep those in the active
    caseload today, follow-ups the exited ones) and of `referrals`."""
    active = active_on(today, pathways)
    return Worklists(
        without_step=Worklist(
            without_step(active, today, programme.alert_days_without_step),
            "referent",
            PEOPLE,
            ("since", "next_start"),
        ),
        not_seen=Worklist(
            not_seen(active, today, programme.alert_days_not_seen),
            "referent",
            PEOPLE,
            ("last_contact",),
        ),
        referrals_waiting=Worklist(
            referrals_waiting(referrals, today, programme.alert_days_referral_waiting),
            "participant__referent",
            ("referred_on", *PARTICIPANT, *_through("participant", REFERENT), "prescriber__name"),
        ),
        steps_ending=Worklist(
            steps_ending(pathways, today, programme.alert_days_step_ending),
            "pathway__referent",
            (
                "organisation_name",
                "planned_end_date",
                "step_type__label",
                *_through("pathway", (*PARTICIPANT, *REFERENT)),
            ),
        ),
        exit_candidates=ExitCandidates(lambda: exit_candidates(active, programme, today)),
        follow_ups_due=Worklist(
            follow_ups_due(pathways, today, programme.alert_days_follow_up),
            "pathway__referent",
            (
                "due_on",
                "pathway__number",
                "pathway__exit_date",
                *_through("pathway", (*PARTICIPANT, *REFERENT)),
            ),
        ),
    )


def whole_plie(programme, today: datetime.date) -> Worklists:
    """The lists of every pathway and referral of the PLIE."""
    return worklists(programme, Pathway.objects.all(), Referral.objects.all(), today)


def _kept_key(programme, today: datetime.date) -> str:
    """The kept lists of a day, for the thresholds of the time: changing one lists again."""
    thresholds = (
        programme.alert_days_without_step,
        programme.alert_days_not_seen,
        programme.alert_days_referral_waiting,
        programme.alert_days_step_ending,
        programme.alert_days_follow_up,
    )
    return f"worklists:{programme.pk}:{today.isoformat()}:" + "-".join(map(str, thresholds))


def store_whole_plie(programme, today: datetime.date) -> Kept[Listing]:
    """List the whole PLIE now and keep it (the worker's task `refresh_worklists`)."""
    return kept_results.store(_kept_key(programme, today), whole_plie(programme, today).listing)


def kept_whole_plie(programme, today: datetime.date, lists: Worklists) -> Kept[Listing]:
    """The whole PLIE's lists, as kept (`core.kept`): at 100,000 people listing them takes
    half a second, most of it finding the exit candidates; the page shows them with their
    time, and a référent's own lists, always computed on the spot, are up to the minute."""

    def refresh():
        from plie.pathways.tasks import refresh_worklists

        refresh_worklists.enqueue(today.isoformat())

    return kept_results.kept(_kept_key(programme, today), lists.listing, refresh)
