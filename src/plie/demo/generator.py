"""The demonstration PLIE: accounts for every role and a plausible population, from a seed.

Proportions follow the seed's 2020 key figures (seed 000): about 60 % of the people
accompanied in a year are still in the active caseload on 31 December, 55 % are women,
45 % receive the RSA, 29 % live in a QPV and 73 % have an education level of 3 or below.
Pathways are generated as the services would have left them: a referral, a first
appointment (sometimes missed, then outreach), an entry file, an eligibility assessment
against the protocol in force, a committee decision, then the entry, the steps and contacts,
and for past pathways the exit with its reason (follow.py). Nothing is written that the
application's own checks refuse: an export of the demo re-imports with no row rejected.

Everything is drawn from one `random.Random(seed)` and one seeded Faker, so a seed gives
the same PLIE; rows are written in batches with `bulk_create` so that memory stays flat
whatever the size.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from faker import Faker

from plie.accounts.enums import Role
from plie.accounts.models import Organisation, User
from plie.accounts.roles import apply_role
from plie.committee.enums import CommitteeDecision, CommitteeItemKind, MeetingStatus
from plie.committee.models import CommitteeItem, CommitteeMeeting
from plie.committee.services import follows_up
from plie.core.dates import age_on
from plie.demo.actions import ActionStory
from plie.demo.follow import FollowPlanner, working_day
from plie.demo.purchasing import PurchasingStory
from plie.demo.second_factor import give_demo_devices
from plie.participants.eligibility import assess
from plie.participants.enums import (
    AppointmentOutcome,
    Autonomy,
    EligibilityVerdict,
    ExitReason,
    LabourMarketStatus,
    Nationality,
    OutreachMode,
    OutreachResult,
    ParticipantStatus,
    PathwayStatus,
    ProjectMaturity,
    ReferralOutcome,
    ReferralStatus,
    Sex,
)
from plie.participants.models import Appointment, OutreachAttempt, Participant, Referral
from plie.pathways.facts import facts_for
from plie.pathways.models import (
    Contact,
    EligibilityAssessment,
    FollowUp,
    Pathway,
    ReferentChange,
    Step,
    StepType,
)
from plie.programme.models import Protocol
from plie.territory.models import BarrierType, Commune, EducationLevel, PrescriberType, Programme

DEMO_PASSWORD = "Demo-Plie-2026!"  # published in the README: demo accounts only
BATCH = 500

# Shares from seed 000's 2020 key figures, and plausible values where the seeds are silent.
SHARE_ACTIVE_AT_END = 724 / 1204
SHARE_WOMEN = 0.55
SHARE_RSA = 0.45
SHARE_QPV = 0.29
SHARE_LEVEL_3_OR_BELOW = 0.73
SHARE_REENTRY = 0.06
SHARE_PIPELINE = 0.12  # open or recently closed referrals, beside the people accompanied
SHARE_HISTORY = 0.35  # people who left in the three previous years
# Positive exits ÷ (exits − neutral exits) ≈ 51 % (seed 000, 2020), neutral exits being
# about a fifth of the others.
SHARE_POSITIVE_EXITS = 0.46
SHARE_INCOMPLETE = 0.03  # each of a few entry answers left blank (data quality page)
YOUNGEST = 18  # the age of the youngest people at the entry of their pathway

COMMUNE_WEIGHTS = {"21231": 50, "21166": 9, "21617": 6, "21355": 6, "21515": 5, "21171": 4}
QPV_WEIGHTS = {"Grésilles": 30, "Fontaine d'Ouche": 30, "Le Mail": 20, "Le Belvédère": 8}
EDUCATION_WEIGHTS_LOW = {"1": 14, "2": 12, "3-nd": 30, "3": 44}
EDUCATION_WEIGHTS_HIGH = {"4-nd": 25, "4": 45, "5": 20, "6": 10}
BARRIER_SHARES = {
    "mobility": 0.35,
    "housing": 0.15,
    "health": 0.12,
    "childcare": 0.10,
    "language": 0.12,
    "digital": 0.25,
    "financial": 0.30,
    "administrative": 0.18,
    "addiction": 0.03,
}

ORGANISATIONS = [
    # name, employs référents, prescriber type code, provider, coordination
    ("GIP CREATIV' — PLIE de Dijon Métropole", False, None, False, True),
    ("Ville de Dijon — Direction de l'insertion", True, "mairie", False, False),
    ("Association Trajectoires Emploi", True, "association", False, False),
    ("Centre social des Grésilles", True, "association", False, False),
    ("CCAS de Chenôve", True, "ccas", False, False),
    ("France Travail Dijon", False, "france-travail", False, False),
    ("Mission locale de Dijon", False, "mission-locale", False, False),
    ("Cap emploi Côte-d'Or", False, "cap-emploi", False, False),
    ("Conseil départemental de la Côte-d'Or", False, "departement", False, False),
    ("CCAS de Dijon", False, "ccas", False, False),
    ("Chantier d'insertion Les Jardins du Suzon", False, "siae", True, False),
    ("Organisme de formation Savoirs pour tous", False, None, True, False),
]
REFERENT_EMPLOYERS = [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4]  # index in ORGANISATIONS
PRESCRIBER_WEIGHTS = {5: 40, 6: 12, 7: 4, 8: 22, 9: 8, 3: 4, 4: 4, 10: 6}

REASONS = [
    "Chômage de longue durée, besoin d'un accompagnement renforcé vers l'emploi.",
    "Bénéficiaire du RSA orienté vers un accompagnement socioprofessionnel.",
    "Projet professionnel à construire après une longue période d'inactivité.",
    "Reprise d'emploi souhaitée après un congé parental.",
    "Difficultés de mobilité et de garde d'enfants freinant la recherche d'emploi.",
    "Fin de contrat en chantier d'insertion, suite de parcours à organiser.",
    "Maîtrise du français à renforcer avant une formation qualifiante.",
    "Sortie de détention, accompagnement vers l'emploi demandé par le SPIP.",
]
REFERENT_CHANGE_REASONS = [
    "Rééquilibrage des files actives",
    "Départ de la référente en congé",
    "Déménagement de la personne dans un autre quartier",
]
PLACES = ["Permanence Grésilles", "Maison de l'emploi, Dijon", "Mairie de Chenôve", "Quetigny"]


KIND_LABELS = {
    "active": "personnes en parcours aujourd'hui",
    "exited": "personnes sorties cette année",
    "history": "personnes sorties les années précédentes",
    "pipeline": "personnes orientées, non entrées",
}


@dataclasses.dataclass
class DemoSummary:
    created: bool
    accounts: list[tuple[str, str, str]]  # role label, username, organisation
    counts: Counter


@dataclasses.dataclass
class _Plan:
    """What one person's story will be, before any row is built."""

    kind: str  # active, exited, history, pipeline
    pipeline_stage: str = ""
    entry: datetime.date | None = None
    exit: datetime.date | None = None
    reentry: bool = False


def _ascii(text: str) -> str:
    """Océane → oceane: addresses without accents, as e-mail validation expects."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def demo_exists() -> bool:
    return User.objects.filter(username="coordinatrice").exists()


def generate(
    *,
    seed: int = 2026,
    participants: int = 1200,
    today: datetime.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> DemoSummary:
    """Create the demo PLIE unless it already exists; `participants` ≈ accompanied this year."""
    if demo_exists():
        give_demo_devices(demo_usernames())  # a base made before the second factor
        return DemoSummary(created=False, accounts=_account_rows(), counts=Counter())
    today = today or timezone.localdate()
    programme = Programme.current()
    if programme is None or not programme.communes.exists():
        raise RuntimeError("Chargez d'abord un territoire : plie territory load dijon-metropole")
    generator = _Generator(programme, seed=seed, today=today, progress=progress or (lambda _: None))
    # The notices' e-mails (deposit receipts, the consultation…) stay out of the terminal.
    # The documents it files (a validated report's PDF) read the static files where they lie:
    # the server prepares them (collectstatic) only once the demo base exists.
    with (
        override_settings(EMAIL_BACKEND=QUIET_MAIL, STORAGES=unprepared_static()),
        transaction.atomic(),
    ):
        generator.create_organisations_and_accounts()
        generator.create_meetings()
        generator.create_people(participants)
        generator.progress("Programmation, appels et conventions…")
        generator.counts.update(PurchasingStory(programme, generator.organisations, today).create())
        generator.progress("Action de remobilisation, groupes et présences…")
        generator.counts.update(ActionStory(programme, generator.organisations[11], today).create())
        give_demo_devices(demo_usernames())
    return DemoSummary(created=True, accounts=_account_rows(), counts=generator.counts)


QUIET_MAIL = "django.core.mail.backends.locmem.EmailBackend"


def unprepared_static() -> dict:
    """The storages as they are now (the uploads where the settings put them), the static
    files read where they lie."""
    return {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _account_rows() -> list[tuple[str, str, str]]:
    order = list(Role.values)
    users = User.objects.filter(username__in=[*ACCOUNTS, "referent1"]).select_related(
        "organisation"
    )
    rows = sorted(users, key=lambda u: order.index(u.role))
    return [(u.get_role_display(), u.username, str(u.organisation or "")) for u in rows]


def demo_usernames() -> list[str]:
    return [*ACCOUNTS, *(f"referent{n}" for n in range(1, len(REFERENT_EMPLOYERS) + 1))]


ACCOUNTS = {
    # username: (role, first name, last name, organisation index)
    "coordinatrice": (Role.COORDINATOR, "Claire", "Morel", 0),
    "charge.projet": (Role.PROJECT_OFFICER, "Julien", "Perrin", 0),
    "assistante": (Role.ASSISTANT, "Nadia", "Benali", 0),
    "prestataire": (Role.PROVIDER, "Paul", "Girard", 11),
    "prestataire2": (Role.PROVIDER, "Sophie", "Lambert", 10),
    "copil": (Role.STEERING_VIEWER, "Hélène", "Fabre", None),
    "copil2": (Role.STEERING_VIEWER, "Marc", "Duval", None),
    "copil3": (Role.STEERING_VIEWER, "Amina", "Haddad", None),
    "admin": (Role.ADMINISTRATOR, "Louis", "Mercier", 0),
}


class _Generator:
    def __init__(self, programme: Programme, *, seed: int, today: datetime.date, progress):
        self.programme = programme
        self.today = today
        self.year_start = datetime.date(today.year, 1, 1)
        self.random = random.Random(seed)
        self.faker = Faker("fr_FR")
        self.faker.seed_instance(seed)
        self.progress = progress
        self.counts: Counter = Counter()
        self.file_numbers: Counter = Counter()
        self.communes = {c.insee_code: c for c in Commune.objects.filter(programme=programme)}
        self.qpvs = {q.name: q for q in self._qpvs()}
        self.levels = {level.code: level for level in EducationLevel.objects.all()}
        self.barrier_types = {b.code: b for b in BarrierType.objects.all()}
        self.protocols = list(Protocol.objects.filter(programme=programme).order_by("valid_from"))
        self.step_categories = dict(StepType.objects.values_list("code", "category"))
        self.follow_planner = FollowPlanner(
            self.random, today, {t.code: t for t in StepType.objects.all()}, self.rules_on
        )
        self.password_hash = ""

    def _qpvs(self):
        from plie.territory.models import Qpv

        return Qpv.objects.filter(commune__programme=self.programme).select_related("commune")

    # Accounts ----------------------------------------------------------------------------

    def create_organisations_and_accounts(self) -> None:
        types = {t.code: t for t in PrescriberType.objects.all()}
        dijon = self.communes.get("21231")
        self.organisations = []
        for name, employs, prescriber, provider, coordination in ORGANISATIONS:
            organisation, _ = Organisation.objects.get_or_create(
                programme=self.programme,
                name=name,
                defaults={
                    "employs_referents": employs,
                    "is_prescriber": prescriber is not None,
                    "prescriber_type": types.get(prescriber) if prescriber else None,
                    "is_provider": provider,
                    "is_coordination": coordination,
                    "commune": dijon,
                },
            )
            self.organisations.append(organisation)
        probe = User(username="probe")
        probe.set_password(DEMO_PASSWORD)
        self.password_hash = probe.password
        for username, (role, first, last, org) in ACCOUNTS.items():
            user = self._user(username, role, first, last, org)
            if role == Role.ADMINISTRATOR:
                apply_role(user, role)  # the administration, and the rights on what it manages
        self.referents = []
        for number, org in enumerate(REFERENT_EMPLOYERS, start=1):
            first = self.faker.first_name_female() if number % 3 else self.faker.first_name_male()
            self.referents.append(
                self._user(f"referent{number}", Role.REFERENT, first, self.faker.last_name(), org)
            )
        self.case_lead = User.objects.get(username="charge.projet")
        self.coordinator = User.objects.get(username="coordinatrice")
        self.counts["comptes"] = len(ACCOUNTS) + len(self.referents)

    def _user(self, username, role, first, last, org) -> User:
        return User.objects.create(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@demo.plie.invalid",
            role=role,
            organisation=self.organisations[org] if org is not None else None,
            password=self.password_hash,
        )

    # Committee meetings ------------------------------------------------------------------

    def create_meetings(self) -> None:
        """A meeting every other Thursday, from seven years back to four weeks ahead."""
        first = datetime.date(self.today.year - 7, 1, 1)
        first += datetime.timedelta(days=(3 - first.weekday()) % 7)
        meetings = []
        day = first
        while day <= self.today + datetime.timedelta(days=28):
            status = MeetingStatus.HELD if day < self.today else MeetingStatus.PLANNED
            meetings.append(
                CommitteeMeeting(
                    programme=self.programme,
                    held_on=day,
                    place="GIP CREATIV', Dijon",
                    status=status,
                    chaired_by=self.coordinator,
                )
            )
            day += datetime.timedelta(days=14)
        self.meetings = CommitteeMeeting.objects.bulk_create(meetings)
        self.held_meetings = [m for m in self.meetings if m.status == MeetingStatus.HELD]
        self.upcoming_meetings = [m for m in self.meetings if m.status == MeetingStatus.PLANNED]
        self.counts["commissions"] = len(self.meetings)

    def meeting_on_or_after(self, day: datetime.date) -> CommitteeMeeting:
        for meeting in self.held_meetings:
            if meeting.held_on >= day:
                return meeting
        return self.held_meetings[-1]

    def meeting_on_or_before(self, day: datetime.date) -> CommitteeMeeting:
        chosen = self.held_meetings[0]
        for meeting in self.held_meetings:
            if meeting.held_on > day:
                break
            chosen = meeting
        return chosen

    # People ------------------------------------------------------------------------------

    def plans(self, accompanied: int) -> Iterator[_Plan]:
        active = round(accompanied * SHARE_ACTIVE_AT_END)
        for index in range(accompanied):
            kind = "active" if index < active else "exited"
            yield self._plan(kind)
        for _ in range(round(accompanied * SHARE_HISTORY)):
            yield self._plan("history")
        # Every stage appears at least once, whatever the size, in these proportions.
        shares = {
            "awaiting": 15,
            "planned": 15,
            "outreach": 20,
            "closed": 22,
            "refused": 3,
            "draft": 15,
            "proposed": 10,
        }
        size = round(accompanied * SHARE_PIPELINE)
        stages = [
            stage
            for stage, share in shares.items()
            for _ in range(max(1, round(size * share / 100)))
        ]
        self.random.shuffle(stages)
        for stage in stages:
            yield _Plan("pipeline", pipeline_stage=stage)

    def _duration_days(self) -> int:
        months = min(max(self.random.gammavariate(2.6, 6.2), 2.0), 40.0)
        return round(months * 30.44)

    def _plan(self, kind: str) -> _Plan:
        rnd = self.random
        if kind == "active":
            elapsed = min(rnd.gammavariate(1.6, 8.0), 34.0)
            entry = self.meeting_on_or_before(self.today - datetime.timedelta(days=elapsed * 30.44))
            return _Plan(kind, entry=entry.held_on, reentry=rnd.random() < SHARE_REENTRY)
        if kind == "exited":
            exit_on = self.year_start + datetime.timedelta(
                days=rnd.randrange((self.today - self.year_start).days)
            )
        else:
            start = datetime.date(self.today.year - 3, 1, 1)
            exit_on = start + datetime.timedelta(days=rnd.randrange((self.year_start - start).days))
        exit_on = min(exit_on, self.held_meetings[-1].held_on)
        entry = self.meeting_on_or_before(exit_on - datetime.timedelta(days=self._duration_days()))
        return _Plan(
            kind,
            entry=entry.held_on,
            exit=max(exit_on, entry.held_on + datetime.timedelta(days=30)),
            reentry=kind == "exited" and rnd.random() < SHARE_REENTRY,
        )

    def create_people(self, accompanied: int) -> None:
        batch: list[_Plan] = []
        done = 0
        for plan in self.plans(accompanied):
            batch.append(plan)
            if len(batch) == BATCH:
                self._write(batch)
                done += len(batch)
                self.progress(f"{done} personnes générées")
                batch = []
        if batch:
            self._write(batch)

    def _write(self, plans: list[_Plan]) -> None:
        """Build one batch in memory, then insert it table by table."""
        stories = [_Story(self, plan) for plan in plans]
        Participant.objects.bulk_create([s.participant for s in stories])
        for story in stories:
            story.link_participant()
        referrals = [r for s in stories for r in s.referrals]
        Referral.objects.bulk_create(referrals)
        for story in stories:
            story.link_referrals()
        Appointment.objects.bulk_create([a for s in stories for a in s.appointments])
        OutreachAttempt.objects.bulk_create([o for s in stories for o in s.outreach])
        Pathway.objects.bulk_create([p for s in stories for p in s.pathways])
        through = Pathway.barriers.through
        through.objects.bulk_create(
            [
                through(pathway_id=pathway.pk, barriertype_id=self.barrier_types[code].pk)
                for s in stories
                for pathway, codes in zip(s.pathways, s.barrier_codes, strict=True)
                for code in codes
            ]
        )
        for story in stories:
            story.link_pathways()
        assessments = [a for s in stories for a in s.assessments]
        items = [i for s in stories for i in s.items]
        EligibilityAssessment.objects.bulk_create(assessments)
        CommitteeItem.objects.bulk_create(items)
        # auto_now_add stamps "now" on creation: put back the dates of the story.
        for row in (*assessments, *items):
            stamp = timezone.make_aware(datetime.datetime.combine(row._on, datetime.time(10)))
            setattr(
                row,
                "evaluated_at" if isinstance(row, EligibilityAssessment) else "proposed_at",
                stamp,
            )
        EligibilityAssessment.objects.bulk_update(assessments, ["evaluated_at"])
        CommitteeItem.objects.bulk_update(items, ["proposed_at"])
        Step.objects.bulk_create([row for s in stories for row in s.steps])
        Contact.objects.bulk_create([row for s in stories for row in s.contacts])
        FollowUp.objects.bulk_create([row for s in stories for row in s.follow_ups])
        ReferentChange.objects.bulk_create([row for s in stories for row in s.referent_changes])
        for story in stories:
            self.counts[KIND_LABELS[story.plan.kind]] += 1
            self.counts["parcours (entrées comprises)"] += len(story.pathways)

    # Drawing helpers -------------------------------------------------------------------

    def next_file_number(self, year: int) -> str:
        self.file_numbers[year] += 1
        return f"{year}-{self.file_numbers[year]:05d}"

    def weighted(self, weights: dict):
        keys = list(weights)
        return self.random.choices(keys, weights=[weights[k] for k in keys])[0]

    def protocol_on(self, day: datetime.date) -> Protocol | None:
        chosen = None
        for protocol in self.protocols:
            if protocol.valid_from <= day and (
                protocol.valid_until is None or protocol.valid_until >= day
            ):
                chosen = protocol
        return chosen

    def rules_on(self, day: datetime.date) -> list:
        protocol = self.protocol_on(day)
        return protocol.exit_rules if protocol else []

    def referent(self) -> User:
        return self.random.choice(self.referents)


class _Story:
    """One person: their record, referrals, appointments, pathways and committee items."""

    def __init__(self, generator: _Generator, plan: _Plan):
        self.g = generator
        self.plan = plan
        self.rnd = generator.random
        self.referrals: list[Referral] = []
        self.appointments: list[Appointment] = []
        self.outreach: list[OutreachAttempt] = []
        self.pathways: list[Pathway] = []
        self.barrier_codes: list[frozenset[str]] = []
        self.assessments: list[EligibilityAssessment] = []
        self.items: list[CommitteeItem] = []
        self.steps: list[Step] = []
        self.contacts: list[Contact] = []
        self.follow_ups: list[FollowUp] = []
        self.referent_changes: list[ReferentChange] = []
        self._children: list[tuple[object, str, object]] = []  # (row, attribute, parent)
        self.referent = generator.referent()
        self.participant = self._person()
        if plan.kind == "pipeline":
            self._pipeline()
        else:
            if plan.reentry:
                self._earlier_pathway()
            self._pathway(plan.entry, plan.exit, number=len(self.pathways) + 1)
        self.participant.referent = self.referent
        first_referral = min(r.referred_on for r in self.referrals)
        self.participant.file_number = generator.next_file_number(first_referral.year)

    def _leave_gaps(self, pathway: Pathway) -> None:
        """A few entry files left incomplete, as in real life, so that the data quality page
        has work: the committee then decided on what the référent knew."""
        rnd = self.rnd
        if rnd.random() < SHARE_INCOMPLETE:
            pathway.registered_job_seeker = None
        if rnd.random() < SHARE_INCOMPLETE:
            pathway.education_level = None
        if pathway.labour_market_status == LabourMarketStatus.UNEMPLOYED and (
            rnd.random() < SHARE_INCOMPLETE
        ):
            pathway.out_of_work_since = None

    # The person ---------------------------------------------------------------------------

    def _person(self) -> Participant:
        g, rnd, faker = self.g, self.rnd, self.g.faker
        sex = Sex.FEMALE if rnd.random() < SHARE_WOMEN else Sex.MALE
        first = faker.first_name_female() if sex == Sex.FEMALE else faker.first_name_male()
        reference = self.plan.entry or g.today
        age = self._age()
        birth = reference - datetime.timedelta(days=round(age * 365.25) + rnd.randrange(365))
        qpv = None
        if rnd.random() < SHARE_QPV:
            qpv = g.qpvs.get(g.weighted(QPV_WEIGHTS))
        if qpv is not None:
            commune = qpv.commune
        elif rnd.random() < 0.8:
            commune = g.communes[g.weighted(COMMUNE_WEIGHTS)]
        else:
            commune = rnd.choice(list(g.communes.values()))
        nationality = g.weighted(
            {Nationality.FRENCH: 80, Nationality.EUROPEAN: 4, Nationality.THIRD_COUNTRY: 16}
        )
        last = faker.last_name()
        person = Participant(
            programme=g.programme,
            last_name=last,
            birth_name=faker.last_name() if sex == Sex.FEMALE and rnd.random() < 0.2 else "",
            first_name=first,
            sex=sex,
            birth_date=birth,
            phone=faker.numerify("06 ## ## ## ##"),
            email=_ascii(f"{first}.{last}@example.org".lower().replace(" ", "-"))
            if rnd.random() < 0.7
            else "",
            address=faker.street_address(),
            postcode=commune.postcode,
            commune=commune,
            qpv=qpv,
            nationality=nationality,
            right_to_work=True,
            foreign_background=rnd.random() < 0.25 if rnd.random() < 0.8 else None,
            minority=None if rnd.random() < 0.7 else rnd.random() < 0.15,
            status=ParticipantStatus.REFERRED,
            created_by=self.referent,
        )
        person.refresh_name_key()  # bulk_create does not call save()
        return person

    def _age(self) -> int:
        band = self.rnd.random()
        if band < 0.15:
            return self.rnd.randint(YOUNGEST, 25)
        if band < 0.75:
            return self.rnd.randint(26, 49)
        return self.rnd.randint(50, 63)

    def link_participant(self) -> None:
        for referral in self.referrals:
            referral.participant_id = self.participant.pk

    # Referral and first appointment -------------------------------------------------------

    def _referral(self, referred_on: datetime.date) -> Referral:
        prescriber = self.g.organisations[self.g.weighted(PRESCRIBER_WEIGHTS)]
        referral = Referral(
            prescriber=prescriber,
            prescriber_contact=self.g.faker.name(),
            referred_on=referred_on,
            reason=self.rnd.choice(REASONS),
            status=ReferralStatus.AWAITING_APPOINTMENT,
            created_by=self.referent,
        )
        self.referrals.append(referral)
        return referral

    def _appointment(self, referral, day: datetime.date, outcome: str) -> Appointment:
        # A working day: in the past for an appointment held or missed, after the referral.
        past = None if outcome == AppointmentOutcome.PLANNED else self._yesterday
        day = working_day(day, earliest=referral.referred_on, latest=past)
        moment = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(9 + self.rnd.randrange(4) * 1, 0))
        )
        appointment = Appointment(
            scheduled_for=moment,
            with_user=self.referent,
            place=self.rnd.choice(PLACES),
            outcome=outcome,
        )
        appointment._referral = referral
        self.appointments.append(appointment)
        return appointment

    @property
    def _yesterday(self) -> datetime.date:
        return self.g.today - datetime.timedelta(days=1)

    def _attempt(self, referral, day: datetime.date, result: str) -> None:
        attempt = OutreachAttempt(
            attempted_on=working_day(day, earliest=referral.referred_on, latest=self._yesterday),
            mode=self.g.weighted(
                {
                    OutreachMode.CALL: 45,
                    OutreachMode.SMS: 25,
                    OutreachMode.LETTER: 15,
                    OutreachMode.VISIT: 7,
                    OutreachMode.PRESCRIBER: 8,
                }
            ),
            result=result,
            by=self.referent,
        )
        attempt._referral = referral
        self.outreach.append(attempt)

    def _met(self, referral, referred_on: datetime.date, before: datetime.date) -> datetime.date:
        """Appointments up to the day the person came; sometimes a no-show and outreach."""
        latest = max(referred_on, before - datetime.timedelta(days=1))
        first = min(referred_on + datetime.timedelta(days=self.rnd.randint(5, 20)), latest)
        first = working_day(first, earliest=referred_on, latest=min(latest, self._yesterday))
        if self.rnd.random() < 0.18 and (latest - first).days > 10:
            self._appointment(referral, first, AppointmentOutcome.NO_SHOW)
            call = first + datetime.timedelta(days=2)
            self._attempt(referral, call, OutreachResult.NO_ANSWER)
            self._attempt(
                referral, call + datetime.timedelta(days=3), OutreachResult.NEW_APPOINTMENT
            )
            first = min(call + datetime.timedelta(days=8), latest)
            first = working_day(first, earliest=referred_on, latest=min(latest, self._yesterday))
        self._appointment(referral, first, AppointmentOutcome.ATTENDED)
        return first

    def link_referrals(self) -> None:
        for row in (*self.appointments, *self.outreach):
            row.referral_id = row._referral.pk
        for pathway in self.pathways:
            pathway.participant_id = self.participant.pk
            if getattr(pathway, "_referral", None) is not None:
                pathway.referral_id = pathway._referral.pk

    # Pathways ----------------------------------------------------------------------------

    def _entry_situation(self, pathway: Pathway, entry: datetime.date) -> frozenset[str]:
        rnd, g = self.rnd, self.g
        rsa = rnd.random() < SHARE_RSA
        low = rnd.random() < SHARE_LEVEL_3_OR_BELOW
        level = g.weighted(EDUCATION_WEIGHTS_LOW if low else EDUCATION_WEIGHTS_HIGH)
        status = g.weighted(
            {
                LabourMarketStatus.UNEMPLOYED: 84,
                LabourMarketStatus.REDUCED_ACTIVITY: 7,
                LabourMarketStatus.INACTIVE: 9,
            }
        )
        woman = self.participant.sex == Sex.FEMALE
        pathway.labour_market_status = status
        pathway.registered_job_seeker = (
            status != LabourMarketStatus.INACTIVE and rnd.random() < 0.85
        )
        pathway.out_of_work_since = entry - datetime.timedelta(
            days=round(min(rnd.gammavariate(2.0, 11.0), 120) * 30.44) + 30
        )
        pathway.education_level = g.levels[level]
        pathway.lacks_basic_skills = rnd.random() < (0.25 if level in ("1", "2") else 0.05)
        pathway.receives_rsa = rsa
        pathway.receives_other_minimum_benefits = not rsa and rnd.random() < 0.12
        pathway.socio_professional_orientation = rsa and rnd.random() < 0.85
        pathway.single_parent = rnd.random() < (0.30 if woman else 0.06)
        pathway.dependent_children = (
            rnd.randint(1, 3) if pathway.single_parent else rnd.choice([0, 0, 0, 1, 2, 3])
        )
        pathway.homeless_or_housing_exclusion = rnd.random() < 0.04
        pathway.disability = rnd.random() < 0.10
        pathway.long_term_illness = rnd.random() < 0.05
        pathway.followed_by_cap_emploi = pathway.disability and rnd.random() < 0.15
        pathway.justice_measure = rnd.random() < 0.03
        pathway.far_from_institutions = rnd.random() < 0.08
        pathway.siae_employee = rnd.random() < 0.05
        pathway.wishes_to_commit = True
        self._leave_gaps(pathway)
        pathway.project_maturity = g.weighted(
            {
                ProjectMaturity.NONE: 20,
                ProjectMaturity.EMERGING: 40,
                ProjectMaturity.DEFINED: 30,
                ProjectMaturity.VALIDATED: 10,
            }
        )
        pathway.autonomy = g.weighted(
            {Autonomy.LOW: 20, Autonomy.PARTIAL: 45, Autonomy.GOOD: 28, Autonomy.FULL: 7}
        )
        return frozenset(code for code, share in BARRIER_SHARES.items() if rnd.random() < share)

    def _new_pathway(self, number: int, referral: Referral, status: str) -> Pathway:
        pathway = Pathway(number=number, status=status, referent=self.referent)
        pathway._referral = referral
        self.pathways.append(pathway)
        return pathway

    def _assess(self, pathway: Pathway, codes: frozenset[str], on: datetime.date) -> str:
        protocol = self.g.protocol_on(on)
        if protocol is None:
            return ""
        pathway.participant = self.participant
        facts = facts_for(pathway, on, barrier_codes=codes)
        result = assess(protocol.entry_rule, facts)
        assessment = EligibilityAssessment(
            protocol=protocol,
            protocol_version=protocol.version,
            evaluated_by=self.referent,
            verdict=result.verdict,
            explanation=result.explanation(on),
            facts=facts.as_json(),
        )
        assessment._pathway = pathway
        assessment._on = on
        self.assessments.append(assessment)
        return result.verdict

    def _item(
        self,
        pathway,
        meeting,
        decision: str,
        note: str = "",
        reason: str = "",
        kind: str = CommitteeItemKind.ENTRY,
    ) -> CommitteeItem:
        decided = decision != CommitteeDecision.PENDING
        item = CommitteeItem(
            meeting=meeting,
            kind=kind,
            proposed_by=self.referent,
            proposed_referent=self.referent,
            proposal_note=note,
            decision=decision,
            reason=reason,
            decided_by=self.g.case_lead if decided else None,
            decided_at=timezone.make_aware(
                datetime.datetime.combine(meeting.held_on, datetime.time(11, 0))
            )
            if decided
            else None,
        )
        item._pathway = pathway
        # Proposed a week before the meeting (or today for a meeting this week).
        item._on = min(meeting.held_on - datetime.timedelta(days=7), self.g.today)
        self.items.append(item)
        return item

    def _pathway(self, entry: datetime.date, exit_on: datetime.date | None, number: int) -> None:
        referred_on = entry - datetime.timedelta(days=self.rnd.randint(21, 70))
        referral = self._referral(referred_on)
        met_on = self._met(referral, referred_on, entry - datetime.timedelta(days=7))
        referral.status = ReferralStatus.CLOSED
        referral.outcome = ReferralOutcome.ENTERED
        referral.closed_on = entry
        pathway = self._new_pathway(number, referral, PathwayStatus.ACTIVE)
        codes = self._entry_situation(pathway, met_on)
        self.barrier_codes.append(codes)
        verdict = self._assess(pathway, codes, min(met_on + datetime.timedelta(days=7), entry))
        note = (
            ""
            if verdict == EligibilityVerdict.ELIGIBLE
            else "Situation examinée au cas par cas : freins multiples, entrée proposée."
        )
        self._item(pathway, self.g.meeting_on_or_after(entry), CommitteeDecision.VALIDATED, note)
        pathway.entry_date = entry
        self._follow(pathway, entry, exit_on)
        self.participant.status = (
            ParticipantStatus.EXITED if exit_on is not None else ParticipantStatus.ACTIVE
        )

    def _follow(self, pathway: Pathway, entry: datetime.date, exit_on: datetime.date | None):
        """Steps and contacts after entry; for a past pathway, its exit and follow-up."""
        planner, rnd = self.g.follow_planner, self.rnd
        until = exit_on or self.g.today
        birth = self.participant.birth_date
        steps = []
        if exit_on is not None and rnd.random() < SHARE_POSITIVE_EXITS:
            positive = planner.positive_steps(entry, exit_on, age_on(birth, exit_on))
            steps = planner.ordinary_steps(entry, positive[0].start_date) + positive
        elif exit_on is not None or rnd.random() < 0.86:
            steps = planner.ordinary_steps(entry, until)
            if exit_on is None and rnd.random() < 0.10:
                positive = planner.positive_steps(entry, self.g.today, age_on(birth, self.g.today))
                steps = planner.ordinary_steps(entry, positive[0].start_date) + positive
        self._rows(pathway, steps, self.steps)
        contacts = planner.contacts(entry, until, self.referent, quiet=rnd.random() < 0.2)
        self._rows(pathway, contacts, self.contacts)
        if rnd.random() < 0.04 and (until - entry).days > 60:
            previous = rnd.choice([r for r in self.g.referents if r != self.referent])
            change = ReferentChange(
                changed_on=entry + datetime.timedelta(days=rnd.randint(30, (until - entry).days)),
                previous_referent=previous,
                new_referent=self.referent,
                reason=rnd.choice(REFERENT_CHANGE_REASONS),
                by=self.g.case_lead,
            )
            self._rows(pathway, [change], self.referent_changes)
        if exit_on is None:
            if steps and rnd.random() < 0.1:
                evaluation = planner.evaluate(steps, birth, self.g.today)
                if evaluation.met and self.g.upcoming_meetings:
                    item = self._item(
                        pathway,
                        self.g.upcoming_meetings[0],
                        CommitteeDecision.PENDING,
                        kind=CommitteeItemKind.EXIT,
                    )
                    self._exit_fields(item, ExitReason.POSITIVE, self.g.today, evaluation.met[0])
            return
        evaluation = planner.evaluate(steps, birth, exit_on)
        met = evaluation.met[0] if evaluation.met else None
        reason = ExitReason.POSITIVE if met else planner.other_exit_reason()
        item = self._item(
            pathway,
            self.g.meeting_on_or_after(exit_on),
            CommitteeDecision.VALIDATED,
            kind=CommitteeItemKind.EXIT,
        )
        self._exit_fields(item, reason, exit_on, met)
        self._exit_fields(pathway, reason, exit_on, met)
        pathway.status = PathwayStatus.EXITED
        if met and follows_up(met.code, self.g.rules_on(exit_on), self.g.step_categories):
            self._rows(pathway, [planner.follow_up(exit_on, self.referent)], self.follow_ups)

    @staticmethod
    def _exit_fields(row, reason: str, exit_on: datetime.date, met) -> None:
        row.exit_reason = reason
        row.exit_date = exit_on
        if met is not None:
            row.exit_condition = met.code
            row.exit_condition_label = met.label
            row.exit_detail = met.detail

    @staticmethod
    def _rows(pathway: Pathway, rows: list, into: list) -> None:
        for row in rows:
            row._pathway = pathway
            into.append(row)

    def _earlier_pathway(self) -> None:
        """A person coming back: a first pathway that ended well before this one."""
        gap = datetime.timedelta(days=self.rnd.randint(240, 700))
        exit_on = self.plan.entry - gap
        entry = self.g.meeting_on_or_before(
            exit_on - datetime.timedelta(days=self.g._duration_days())
        )
        if entry.held_on + datetime.timedelta(days=60) > exit_on:
            return  # not enough history before: this person comes for the first time
        if age_on(self.participant.birth_date, entry.held_on) < YOUNGEST:
            return  # too young then: their steps would start before their 14th birthday
        self._pathway(entry.held_on, exit_on, number=1)

    # The pipeline: people referred who have not entered (yet) ------------------------------

    def _pipeline(self) -> None:
        g, rnd, stage = self.g, self.rnd, self.plan.pipeline_stage
        today = g.today
        participant = self.participant
        recent = {"awaiting": 12, "planned": 20, "outreach": 45, "draft": 50, "proposed": 60}
        if stage in recent:
            referred_on = today - datetime.timedelta(days=rnd.randint(1, recent[stage]))
        else:
            referred_on = g.year_start + datetime.timedelta(
                days=rnd.randrange(max((today - g.year_start).days - 30, 1))
            )
        referral = self._referral(referred_on)
        if stage == "awaiting":
            participant.status = ParticipantStatus.REFERRED
        elif stage == "planned":
            referral.status = ReferralStatus.APPOINTMENT_PLANNED
            self._appointment(
                referral,
                today + datetime.timedelta(days=rnd.randint(1, 14)),
                AppointmentOutcome.PLANNED,
            )
            participant.status = ParticipantStatus.REFERRED
        elif stage == "outreach":
            referral.status = ReferralStatus.OUTREACH
            missed = referred_on + datetime.timedelta(days=rnd.randint(0, 5))
            missed = min(missed, today - datetime.timedelta(days=1))
            missed = working_day(missed, earliest=referred_on, latest=self._yesterday)
            self._appointment(referral, missed, AppointmentOutcome.NO_SHOW)
            for offset in range(rnd.randint(0, 3)):
                day = missed + datetime.timedelta(days=2 + 4 * offset)
                if day < today:
                    self._attempt(referral, day, OutreachResult.NO_ANSWER)
            participant.status = ParticipantStatus.OUTREACH
        elif stage == "closed":
            outcome = g.weighted(
                {
                    ReferralOutcome.UNREACHABLE: 40,
                    ReferralOutcome.DECLINED: 30,
                    ReferralOutcome.REDIRECTED: 20,
                    ReferralOutcome.NOT_ELIGIBLE: 10,
                }
            )
            missed = referred_on + datetime.timedelta(days=10)
            missed = working_day(missed, earliest=referred_on, latest=self._yesterday)
            if outcome == ReferralOutcome.UNREACHABLE:
                self._appointment(referral, missed, AppointmentOutcome.NO_SHOW)
                for offset in range(3):
                    self._attempt(
                        referral,
                        missed + datetime.timedelta(days=3 + 7 * offset),
                        OutreachResult.NO_ANSWER,
                    )
                closed_on = missed + datetime.timedelta(days=28)
            else:
                self._appointment(referral, missed, AppointmentOutcome.ATTENDED)
                closed_on = missed + datetime.timedelta(days=rnd.randint(0, 14))
            referral.status = ReferralStatus.CLOSED
            referral.outcome = outcome
            referral.closed_on = min(closed_on, today)
            participant.status = ParticipantStatus.CLOSED
        else:  # draft, proposed, refused: the person came, an entry file was opened
            latest = today if stage != "refused" else g.held_meetings[-1].held_on
            met_on = self._met(referral, referred_on, latest)
            referral.status = ReferralStatus.MET
            status = {
                "draft": PathwayStatus.DRAFT,
                "proposed": PathwayStatus.PROPOSED,
                "refused": PathwayStatus.REFUSED,
            }[stage]
            pathway = self._new_pathway(1, referral, status)
            codes = self._entry_situation(pathway, met_on)
            if stage == "refused":
                pathway.wishes_to_commit = False
            self.barrier_codes.append(codes)
            assessed = stage != "draft" or rnd.random() < 0.5
            verdict = self._assess(pathway, codes, met_on) if assessed else ""
            participant.status = ParticipantStatus.ENTRY_IN_PROGRESS
            if stage == "proposed":
                note = "" if verdict == EligibilityVerdict.ELIGIBLE else "Freins multiples."
                self._item(pathway, g.upcoming_meetings[0], CommitteeDecision.PENDING, note)
                participant.status = ParticipantStatus.PROPOSED
            elif stage == "refused":
                meeting = g.meeting_on_or_after(met_on + datetime.timedelta(days=7))
                reason = "La personne ne souhaite pas s'engager dans un parcours pour le moment."
                self._item(pathway, meeting, CommitteeDecision.REFUSED, "À examiner.", reason)
                referral.status = ReferralStatus.CLOSED
                referral.outcome = ReferralOutcome.COMMITTEE_REFUSED
                referral.closed_on = meeting.held_on
                referral.closing_note = reason
                participant.status = ParticipantStatus.CLOSED

    def link_pathways(self) -> None:
        rows = (
            *self.assessments,
            *self.items,
            *self.steps,
            *self.contacts,
            *self.follow_ups,
            *self.referent_changes,
        )
        for row in rows:
            row.pathway_id = row._pathway.pk
