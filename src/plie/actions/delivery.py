"""Days and hours delivered, and attendance rates, computed from the sessions and the
attendance recorded: a pure rule over plain values (no model).

Seed 000, « Facturation »: the last 40 % are paid « sur la base du rapport final, des feuilles
d'émargement et d'un état des jours consommés ». The seed does not say how a day is counted;
the convention chosen here is the one the sessions are built on (one session = one half-day,
a workshop or an individual interview): **a day is two half-days**, so days delivered to a
person are their half-days present ÷ 2, and the days of the action are its half-days held ÷ 2
(whatever a session's hours; the hours are counted beside the days). A cancelled session is
not held and counts nowhere. A person is concerned by their cohort's workshops and by their
own individual interviews, up to the day they left the action. The attendance rate is the
half-days present ÷ the half-days held that concerned the person; excused absences lower it
like the others and are counted separately, so that the reader sees them.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from plie.actions.enums import Presence
from plie.core import formatting
from plie.core.plurals import counted

TWO = Decimal(2)


@dataclasses.dataclass(frozen=True)
class SessionFacts:
    """What the rule reads of a session: `for_person` names the one person an individual
    interview concerns (None: a workshop of the whole cohort)."""

    key: int
    date: datetime.date
    hours: Decimal
    held: bool = True
    for_person: int | None = None


@dataclasses.dataclass(frozen=True)
class PersonFacts:
    """A person of the cohort; `until`: the last day of the action for them (left, finished),
    None while they are in it."""

    key: int
    until: datetime.date | None = None


@dataclasses.dataclass(frozen=True)
class Counts:
    """Half-days that concerned people (held), and what became of them."""

    concerned: int = 0
    present: int = 0
    absent: int = 0
    excused: int = 0
    hours_present: Decimal = Decimal(0)

    @property
    def not_recorded(self) -> int:
        return self.concerned - self.present - self.absent - self.excused

    @property
    def days_present(self) -> Decimal:
        """Days delivered to people: two half-days present make a day."""
        return Decimal(self.present) / TWO

    @property
    def rate(self) -> Decimal | None:
        """Present ÷ concerned; None when no session held concerned anyone (nothing to
        divide, shown « — »)."""
        if not self.concerned:
            return None
        return Decimal(self.present) / Decimal(self.concerned)

    def explanation(self) -> str:
        """« 5 demi-journées de présence sur 6 demi-journées tenues (83 %) ; 1 absence excusée »."""
        if not self.concerned:
            return "Aucune séance tenue ne concernait cette personne sur la période."
        text = (
            f"{counted(self.present, 'une demi-journée')} de présence sur "
            f"{counted(self.concerned, 'une demi-journée tenue')} "
            f"({formatting.percent(self.rate)})"
        )
        more = [
            counted(self.absent, "une absence") if self.absent else "",
            counted(self.excused, "une absence excusée") if self.excused else "",
            f"{counted(self.not_recorded, 'une présence')} à saisir" if self.not_recorded else "",
        ]
        return " ; ".join([text, *(part for part in more if part)]) + "."

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.concerned + other.concerned,
            self.present + other.present,
            self.absent + other.absent,
            self.excused + other.excused,
            self.hours_present + other.hours_present,
        )


@dataclasses.dataclass(frozen=True)
class PersonDelivery:
    key: int
    counts: Counts


@dataclasses.dataclass(frozen=True)
class Delivery:
    """A cohort's (or an action's, several cohorts summed) delivery over a period: the
    sessions held and cancelled, the hours held, each person's counts and their total."""

    people: tuple[PersonDelivery, ...] = ()
    sessions_held: int = 0
    sessions_cancelled: int = 0
    hours_held: Decimal = Decimal(0)

    @property
    def days_held(self) -> Decimal:
        """Days of the action held: two half-days held make a day."""
        return Decimal(self.sessions_held) / TWO

    @property
    def totals(self) -> Counts:
        total = Counts()
        for person in self.people:
            total += person.counts
        return total

    def of(self, key: int) -> Counts:
        return next((p.counts for p in self.people if p.key == key), Counts())


def concerns(session: SessionFacts, person: PersonFacts) -> bool:
    """An interview concerns its one person; a workshop everyone still in the action."""
    if session.for_person is not None and session.for_person != person.key:
        return False
    return person.until is None or session.date <= person.until


def _within(session: SessionFacts, period: tuple[datetime.date, datetime.date] | None) -> bool:
    return period is None or period[0] <= session.date <= period[1]


def deliver(
    sessions: Iterable[SessionFacts],
    people: Sequence[PersonFacts],
    marks: Mapping[tuple[int, int], str],
    *,
    period: tuple[datetime.date, datetime.date] | None = None,
) -> Delivery:
    """The delivery of one cohort over `period` (both days included; None: all its
    sessions). `marks` maps (session key, person key) to a `Presence` value; a mark for a
    session that does not concern the person (an interview of someone else, a day after
    they left) is not counted."""
    kept = [s for s in sessions if _within(s, period)]
    held = [s for s in kept if s.held]
    results = []
    for person in people:
        concerned = present = absent = excused = 0
        hours = Decimal(0)
        for session in held:
            if not concerns(session, person):
                continue
            concerned += 1
            mark = marks.get((session.key, person.key), "")
            if mark == Presence.PRESENT:
                present += 1
                hours += session.hours
            elif mark == Presence.ABSENT:
                absent += 1
            elif mark == Presence.EXCUSED:
                excused += 1
        results.append(
            PersonDelivery(person.key, Counts(concerned, present, absent, excused, hours))
        )
    return Delivery(
        people=tuple(results),
        sessions_held=len(held),
        sessions_cancelled=len(kept) - len(held),
        hours_held=sum((s.hours for s in held), Decimal(0)),
    )


def combine(deliveries: Iterable[Delivery]) -> Delivery:
    """An action's delivery: its cohorts' summed (a person belongs to one cohort)."""
    people: list[PersonDelivery] = []
    held = cancelled = 0
    hours = Decimal(0)
    for delivery in deliveries:
        people.extend(delivery.people)
        held += delivery.sessions_held
        cancelled += delivery.sessions_cancelled
        hours += delivery.hours_held
    return Delivery(tuple(people), held, cancelled, hours)
