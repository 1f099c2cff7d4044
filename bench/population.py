"""Draws the benchmark's population: people, their referrals, pathways and committee items
(the steps, contacts and follow-ups after each entry come from follow.py).

Nothing here reads the database: `Population.people(count)` returns unsaved model instances
whose primary keys are already set, so that the writer (generate.py) inserts them table by
table without reading anything back. Proportions follow docs/indicators.md's sources (seed
000, Dijon 2020): 55 % women, 45 % RSA, 29 % QPV, 73 % level 3 or below, pathways of about
16 months and about half of the non-neutral exits positive; about 40 % of the active
caseload has no running step on the reference day. Everything comes from one
`random.Random(seed)`, so a seed and a reference day give the same rows. Nothing is drawn
that the application refuses (48 h of work a week, an exit reason, no date after the
reference day…): tests/bench/test_generator.py re-imports an export of a small draw.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime
import itertools
import random

from django.utils import timezone

from plie.committee.enums import CommitteeDecision, CommitteeItemKind
from plie.committee.models import CommitteeItem
from plie.demo.follow import OTHER_EXITS
from plie.participants.enums import (
    AppointmentOutcome,
    ExitReason,
    LabourMarketStatus,
    Nationality,
    OutreachMode,
    OutreachResult,
    ParticipantStatus,
    PathwayStatus,
    ReferralOutcome,
    ReferralStatus,
    Sex,
)
from plie.participants.models import Appointment, OutreachAttempt, Participant, Referral
from plie.participants.names import name_key
from plie.pathways.models import Contact, FollowUp, Pathway, ReferentChange, Step

from follow import CONDITIONS, FOLLOWED_UP, Follow

YEARS = 6  # entries are spread over the six years before the reference day
SHARE_WOMEN = 0.55
SHARE_NON_BINARY = 0.003
SHARE_RSA = 0.45
SHARE_RSA_UNKNOWN = 0.04
SHARE_QPV = 0.29
SHARE_LEVEL_3_OR_BELOW = 0.73
SHARE_LEVEL_UNKNOWN = 0.05
SHARE_OUTSIDE_TERRITORY = 0.02
SHARE_REENTRY = 0.06  # people who come back after an exit: a second pathway
SHARE_NOT_ENTERED = 0.10  # referred people who never entered (or not yet)
SHARE_POSITIVE_EXITS = 0.46  # of all exits: ≈ 51 % once neutral exits are set aside
SHARE_ACTIVE_MEETING_CONDITION = 0.08
SHARE_REFERENT_CHANGE = 0.04

COMMUNE_WEIGHTS = {"21231": 50, "21166": 9, "21617": 6, "21355": 6, "21515": 5, "21171": 4}
LEVELS_LOW = {"1": 14, "2": 12, "3-nd": 30, "3": 44}
LEVELS_HIGH = {"4-nd": 25, "4": 45, "5": 20, "6": 10, "7": 3}
REASONS = [
    "Chômage de longue durée, besoin d'un accompagnement renforcé vers l'emploi.",
    "Bénéficiaire du RSA orienté vers un accompagnement socioprofessionnel.",
    "Projet professionnel à construire après une longue période d'inactivité.",
    "Difficultés de mobilité et de garde d'enfants freinant la recherche d'emploi.",
]


@dataclasses.dataclass
class Reference:
    """What the drawing needs from the database, loaded once by the writer."""

    programme_id: int
    communes: dict[str, object]  # INSEE code -> Commune
    qpvs: list  # Qpv rows, each with its commune
    levels: dict[str, int]  # education level code -> pk
    step_types: dict[str, int]  # step type code -> pk
    conditions: dict[str, str]  # exit condition code -> label
    prescribers: list[int]  # organisation pks
    referents: list[int]  # user pks
    case_lead: int  # user pk who decides in committee
    meetings: list[tuple[int, datetime.date]]  # (pk, day), in date order
    first_names: dict[str, list[str]]  # sex -> pool of first names
    last_names: list[str]
    streets: list[str]


@dataclasses.dataclass
class Batch:
    """The rows of a few thousand people, table by table, in insertion order."""

    participants: list = dataclasses.field(default_factory=list)
    referrals: list = dataclasses.field(default_factory=list)
    appointments: list = dataclasses.field(default_factory=list)
    outreach: list = dataclasses.field(default_factory=list)
    pathways: list = dataclasses.field(default_factory=list)
    committee_items: list = dataclasses.field(default_factory=list)
    steps: list = dataclasses.field(default_factory=list)
    contacts: list = dataclasses.field(default_factory=list)
    follow_ups: list = dataclasses.field(default_factory=list)
    referent_changes: list = dataclasses.field(default_factory=list)

    def tables(self) -> list[tuple[type, list]]:
        return [
            (Participant, self.participants),
            (Referral, self.referrals),
            (Appointment, self.appointments),
            (OutreachAttempt, self.outreach),
            (Pathway, self.pathways),
            (CommitteeItem, self.committee_items),
            (Step, self.steps),
            (Contact, self.contacts),
            (FollowUp, self.follow_ups),
            (ReferentChange, self.referent_changes),
        ]


def _weighted(rnd: random.Random, weights: dict):
    keys = list(weights)
    return rnd.choices(keys, weights=[weights[key] for key in keys])[0]


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


class Population:
    """Draws people one after the other; primary keys are counted from 1 in each table."""

    def __init__(self, reference: Reference, *, seed: int, today: datetime.date):
        self.ref = reference
        self.rnd = random.Random(seed)
        self.today = today
        self.start = today.replace(year=today.year - YEARS)
        self.ids = {model: itertools.count(1) for model, _ in Batch().tables()}
        self.file_numbers: dict[int, itertools.count] = {}
        self.meeting_days = [day for _, day in reference.meetings]
        self.follow = Follow(self.rnd, reference.step_types, today, self._id)

    def _id(self, model) -> int:
        return next(self.ids[model])

    def people(self, count: int) -> Batch:
        batch = Batch()
        for _ in range(count):
            self._person(batch)
        return batch

    # The person -------------------------------------------------------------------------

    def _person(self, batch: Batch) -> None:
        rnd, ref = self.rnd, self.ref
        draw = rnd.random()
        sex = Sex.NON_BINARY if draw < SHARE_NON_BINARY else Sex.FEMALE
        if draw >= SHARE_NON_BINARY + SHARE_WOMEN:
            sex = Sex.MALE
        first = rnd.choice(ref.first_names[Sex.MALE if sex == Sex.MALE else Sex.FEMALE])
        last = rnd.choice(ref.last_names)
        commune, qpv, outside = None, None, ""
        if rnd.random() < SHARE_QPV:
            qpv = rnd.choice(ref.qpvs)
            commune = qpv.commune
        elif rnd.random() < SHARE_OUTSIDE_TERRITORY / (1 - SHARE_QPV):
            outside = rnd.choice(["Beaune", "Auxonne", "Genlis", "Is-sur-Tille"])
        elif rnd.random() < 0.8:
            commune = ref.communes[_weighted(rnd, COMMUNE_WEIGHTS)]
        else:
            commune = rnd.choice(list(ref.communes.values()))
        band = rnd.random()  # 15 % under 26, 60 % from 26 to 49, 25 % 50 and over
        age = (
            rnd.randint(18, 25)
            if band < 0.15
            else rnd.randint(26, 49)
            if band < 0.75
            else rnd.randint(50, 63)
        )
        person = Participant(
            id=self._id(Participant),
            programme_id=ref.programme_id,
            last_name=last,
            first_name=first,
            name_key=name_key(last, "", first),
            sex=sex,
            phone=f"06 {rnd.randint(0, 99):02d} {rnd.randint(0, 99):02d} "
            f"{rnd.randint(0, 99):02d} {rnd.randint(0, 99):02d}",
            email=f"personne{rnd.randrange(10**8)}@example.org" if rnd.random() < 0.7 else "",
            address=rnd.choice(ref.streets),
            postcode=commune.postcode if commune else "21200",
            commune=commune,
            qpv=qpv,
            commune_outside_territory=outside,
            nationality=_weighted(
                rnd,
                {Nationality.FRENCH: 80, Nationality.EUROPEAN: 4, Nationality.THIRD_COUNTRY: 16},
            ),
            right_to_work=True,
            referent_id=rnd.choice(ref.referents),
        )
        batch.participants.append(person)
        first_row = len(batch.referrals)
        if rnd.random() < SHARE_NOT_ENTERED:
            self._not_entered(batch, person, age)
        else:
            self._entered(batch, person, age)
        year = min(r.referred_on for r in batch.referrals[first_row:]).year
        counter = self.file_numbers.setdefault(year, itertools.count(1))
        person.file_number = f"{year}-{next(counter):06d}"

    def _entered(self, batch: Batch, person: Participant, age: int) -> None:
        rnd = self.rnd
        entry = self.start + datetime.timedelta(days=rnd.randrange((self.today - self.start).days))
        stays = [(entry, self._exit_after(entry))]
        if rnd.random() < SHARE_REENTRY:
            first_exit = stays[0][1]
            if first_exit is not None:
                again = first_exit + datetime.timedelta(days=rnd.randint(60, 700))
                if again < self.today:
                    stays.append((again, self._exit_after(again)))
        person.birth_date = entry - datetime.timedelta(
            days=round(age * 365.25) + rnd.randrange(365)
        )
        for number, (entry_on, exit_on) in enumerate(stays, start=1):
            referent = (
                person.referent_id if number == len(stays) else rnd.choice(self.ref.referents)
            )
            self._pathway(batch, person, number, entry_on, exit_on, referent)
        person.status = (
            ParticipantStatus.ACTIVE if stays[-1][1] is None else ParticipantStatus.EXITED
        )

    def _exit_after(self, entry: datetime.date) -> datetime.date | None:
        months = min(max(self.rnd.gammavariate(2.6, 6.2), 1.0), 40.0)
        exit_on = entry + datetime.timedelta(days=round(months * 30.44))
        return exit_on if exit_on <= self.today else None

    # Referral, appointment, committee ----------------------------------------------------

    def _referral(self, batch, person, referred_on, status, outcome="", closed_on=None):
        referral = Referral(
            id=self._id(Referral),
            participant_id=person.pk,
            prescriber_id=self.rnd.choice(self.ref.prescribers),
            referred_on=referred_on,
            reason=self.rnd.choice(REASONS),
            status=status,
            outcome=outcome,
            closed_on=closed_on,
            created_by_id=person.referent_id,
        )
        batch.referrals.append(referral)
        return referral

    def _appointment(self, batch, referral, day, outcome, with_user) -> None:
        batch.appointments.append(
            Appointment(
                id=self._id(Appointment),
                referral_id=referral.pk,
                scheduled_for=_at(day, 9 + self.rnd.randrange(4)),
                with_user_id=with_user,
                place="Maison de l'emploi, Dijon",
                outcome=outcome,
            )
        )

    def _meeting_on_or_before(self, day: datetime.date) -> int:
        index = max(0, bisect.bisect_right(self.meeting_days, day) - 1)
        return self.ref.meetings[index][0]

    def _meeting_on_or_after(self, day: datetime.date) -> int:
        index = min(len(self.meeting_days) - 1, bisect.bisect_left(self.meeting_days, day))
        return self.ref.meetings[index][0]

    def _item(self, batch, pathway, meeting, kind, decision, when, **exit_fields) -> None:
        decided = decision != CommitteeDecision.PENDING
        batch.committee_items.append(
            CommitteeItem(
                id=self._id(CommitteeItem),
                meeting_id=meeting,
                pathway_id=pathway.pk,
                kind=kind,
                proposed_by_id=pathway.referent_id,
                proposed_referent_id=pathway.referent_id,
                decision=decision,
                decided_by_id=self.ref.case_lead if decided else None,
                decided_at=_at(when, 11) if decided else None,
                **exit_fields,
            )
        )

    # Pathways ------------------------------------------------------------------------------

    def _situation(self, pathway: Pathway, entry: datetime.date) -> None:
        """The situation recorded at entry, with a few answers left empty as in real files."""
        rnd = self.rnd
        if rnd.random() >= SHARE_LEVEL_UNKNOWN:
            low = rnd.random() < SHARE_LEVEL_3_OR_BELOW
            pathway.education_level_id = self.ref.levels[
                _weighted(rnd, LEVELS_LOW if low else LEVELS_HIGH)
            ]
        if rnd.random() >= SHARE_RSA_UNKNOWN:
            pathway.receives_rsa = rnd.random() < SHARE_RSA
        status = _weighted(
            rnd,
            {
                LabourMarketStatus.UNEMPLOYED: 84,
                LabourMarketStatus.REDUCED_ACTIVITY: 7,
                LabourMarketStatus.INACTIVE: 9,
            },
        )
        pathway.labour_market_status = status
        pathway.registered_job_seeker = (
            status != LabourMarketStatus.INACTIVE and rnd.random() < 0.85
        )
        pathway.out_of_work_since = entry - datetime.timedelta(days=rnd.randint(60, 1500))
        pathway.single_parent = rnd.random() < 0.15
        pathway.disability = rnd.random() < 0.10
        pathway.justice_measure = rnd.random() < 0.03
        pathway.wishes_to_commit = True

    def _pathway(self, batch, person, number, entry, exit_on, referent) -> None:
        rnd = self.rnd
        referred_on = entry - datetime.timedelta(days=rnd.randint(21, 70))
        referral = self._referral(
            batch, person, referred_on, ReferralStatus.CLOSED, ReferralOutcome.ENTERED, entry
        )
        met_on = referred_on + datetime.timedelta(days=rnd.randint(5, 20))
        self._appointment(batch, referral, met_on, AppointmentOutcome.ATTENDED, referent)
        pathway = Pathway(
            id=self._id(Pathway),
            participant_id=person.pk,
            number=number,
            referral_id=referral.pk,
            status=PathwayStatus.ACTIVE,
            referent_id=referent,
            entry_date=entry,
        )
        self._situation(pathway, met_on)
        batch.pathways.append(pathway)
        meeting = self._meeting_on_or_before(entry)
        self._item(
            batch, pathway, meeting, CommitteeItemKind.ENTRY, CommitteeDecision.VALIDATED, entry
        )
        condition = None
        if exit_on is not None:
            pathway.status = PathwayStatus.EXITED
            pathway.exit_date = exit_on
            if rnd.random() < SHARE_POSITIVE_EXITS:
                condition = rnd.choices(CONDITIONS, weights=[row[1] for row in CONDITIONS])[0]
                pathway.exit_reason = ExitReason.POSITIVE
                pathway.exit_condition = condition[0]
                pathway.exit_condition_label = self.ref.conditions.get(condition[0], "")
            else:
                pathway.exit_reason = _weighted(rnd, OTHER_EXITS)
            self._item(
                batch,
                pathway,
                self._meeting_on_or_before(exit_on),
                CommitteeItemKind.EXIT,
                CommitteeDecision.VALIDATED,
                exit_on,
                exit_reason=pathway.exit_reason,
                exit_date=exit_on,
                exit_condition=pathway.exit_condition,
                exit_condition_label=pathway.exit_condition_label,
            )
        elif (self.today - entry).days > 240 and rnd.random() < SHARE_ACTIVE_MEETING_CONDITION:
            condition = CONDITIONS[0]  # a CDI for more than six months: an exit to propose
        self.follow.steps(batch, pathway, entry, exit_on, condition)
        self.follow.contacts(batch, pathway, entry, exit_on or self.today)
        if condition and exit_on and condition[0] in FOLLOWED_UP:
            self.follow.follow_up(batch, pathway, exit_on)
        if rnd.random() < SHARE_REFERENT_CHANGE and ((exit_on or self.today) - entry).days > 60:
            others = [r for r in self.ref.referents if r != referent]
            batch.referent_changes.append(
                ReferentChange(
                    id=self._id(ReferentChange),
                    pathway_id=pathway.pk,
                    changed_on=entry + datetime.timedelta(days=30),
                    previous_referent_id=rnd.choice(others),
                    new_referent_id=referent,
                    reason="Rééquilibrage des files actives",
                    by_id=self.ref.case_lead,
                )
            )

    # People referred who did not enter (or not yet) ------------------------------------------

    def _not_entered(self, batch: Batch, person: Participant, age: int) -> None:
        rnd = self.rnd
        person.birth_date = self.today - datetime.timedelta(days=round(age * 365.25))
        if rnd.random() < 0.6:  # an old referral, closed without entry
            referred_on = self.start + datetime.timedelta(
                days=rnd.randrange((self.today - self.start).days - 30)
            )
            outcome = _weighted(
                rnd,
                {
                    ReferralOutcome.UNREACHABLE: 40,
                    ReferralOutcome.DECLINED: 30,
                    ReferralOutcome.REDIRECTED: 20,
                    ReferralOutcome.NOT_ELIGIBLE: 10,
                },
            )
            # Closed after the first appointment (ten days on), never after the reference day.
            closed_on = min(referred_on + datetime.timedelta(days=rnd.randint(10, 40)), self.today)
            referral = self._referral(
                batch, person, referred_on, ReferralStatus.CLOSED, outcome, closed_on
            )
            self._appointment(
                batch,
                referral,
                referred_on + datetime.timedelta(days=10),
                AppointmentOutcome.NO_SHOW
                if outcome == ReferralOutcome.UNREACHABLE
                else AppointmentOutcome.ATTENDED,
                person.referent_id,
            )
            person.status = ParticipantStatus.CLOSED
            return
        referred_on = self.today - datetime.timedelta(days=rnd.randint(1, 90))
        stage = _weighted(
            rnd, {"awaiting": 25, "planned": 20, "outreach": 20, "draft": 20, "proposed": 15}
        )
        status = {
            "awaiting": ReferralStatus.AWAITING_APPOINTMENT,
            "planned": ReferralStatus.APPOINTMENT_PLANNED,
            "outreach": ReferralStatus.OUTREACH,
        }.get(stage, ReferralStatus.MET)
        referral = self._referral(batch, person, referred_on, status)
        person.status = {
            "awaiting": ParticipantStatus.REFERRED,
            "planned": ParticipantStatus.REFERRED,
            "outreach": ParticipantStatus.OUTREACH,
            "draft": ParticipantStatus.ENTRY_IN_PROGRESS,
            "proposed": ParticipantStatus.PROPOSED,
        }[stage]
        if stage == "planned":
            day = self.today + datetime.timedelta(days=rnd.randint(1, 14))
            self._appointment(batch, referral, day, AppointmentOutcome.PLANNED, person.referent_id)
        elif stage == "outreach":
            missed = referred_on + datetime.timedelta(days=min(5, (self.today - referred_on).days))
            self._appointment(
                batch, referral, missed, AppointmentOutcome.NO_SHOW, person.referent_id
            )
            batch.outreach.append(
                OutreachAttempt(
                    id=self._id(OutreachAttempt),
                    referral_id=referral.pk,
                    attempted_on=missed,
                    mode=OutreachMode.CALL,
                    result=OutreachResult.NO_ANSWER,
                    by_id=person.referent_id,
                )
            )
        elif stage in ("draft", "proposed"):
            self._appointment(
                batch, referral, referred_on, AppointmentOutcome.ATTENDED, person.referent_id
            )
            pathway = Pathway(
                id=self._id(Pathway),
                participant_id=person.pk,
                number=1,
                referral_id=referral.pk,
                status=PathwayStatus.DRAFT if stage == "draft" else PathwayStatus.PROPOSED,
                referent_id=person.referent_id,
            )
            self._situation(pathway, referred_on)
            batch.pathways.append(pathway)
            if stage == "proposed":
                upcoming = self._meeting_on_or_after(self.today)
                self._item(
                    batch,
                    pathway,
                    upcoming,
                    CommitteeItemKind.ENTRY,
                    CommitteeDecision.PENDING,
                    self.today,
                )
