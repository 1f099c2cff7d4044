"""The `id` of each row: the source system's stable id, or one derived from our own keys.

A record imported with an id keeps it in `external_id` and is exported with it. A record
created here has none, so the export derives one from keys that never change: the file
number for a person, `<file number>-P<n>` for a pathway, and the primary key for the rows
below them (`<file number>-O<pk>`, `<file number>-P<n>-E<pk>`, `<file number>-P<n>-C<pk>`).
An import matches a row on `external_id` first, then on these derived ids, so that an
export edited in a spreadsheet updates the records it came from.

`Index` loads the existing records of the kinds an import touches, as small facts (no
model instances), keyed by that id.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from plie.participants.models import Participant, Referral
from plie.pathways.models import Contact, Pathway, Step


def participant_id(file_number: str) -> str:
    return file_number


def referral_id(file_number: str, pk: int) -> str:
    return f"{file_number}-O{pk}"


def pathway_id(file_number: str, number: int) -> str:
    return f"{file_number}-P{number}"


def step_id(file_number: str, number: int, pk: int) -> str:
    return f"{pathway_id(file_number, number)}-E{pk}"


def contact_id(file_number: str, number: int, pk: int) -> str:
    return f"{pathway_id(file_number, number)}-C{pk}"


# Facts kept per record while checking: enough for the checks across files, no more.


@dataclasses.dataclass(slots=True)
class ParticipantFacts:
    id: str
    pk: int | None
    file_number: str | None
    birth_date: datetime.date | None
    line: int = 0  # 0: from the database


@dataclasses.dataclass(slots=True)
class ReferralFacts:
    id: str
    pk: int | None
    participant: str
    referred_on: datetime.date | None
    status: str
    line: int = 0


@dataclasses.dataclass(slots=True)
class PathwayFacts:
    id: str
    pk: int | None
    participant: str
    referral: str | None
    number: int | None
    entry_date: datetime.date | None
    exit_date: datetime.date | None
    status: str
    line: int = 0
    exit_line: int = 0  # line of its row in sorties, if any


@dataclasses.dataclass(slots=True)
class StepFacts:
    id: str
    pk: int | None
    pathway: str
    start: datetime.date | None = None
    end: datetime.date | None = None
    hours: Decimal | None = None
    category: str = ""
    line: int = 0


@dataclasses.dataclass(slots=True)
class ContactFacts:
    id: str
    pk: int | None
    pathway: str
    line: int = 0


def _add(by_id: dict, facts, external_id: str | None, ids_taken: set) -> None:
    """External ids win over derived ids when both would name a record."""
    if external_id:
        by_id[external_id] = facts
    elif facts.id not in ids_taken:
        by_id.setdefault(facts.id, facts)


class Index:
    """The records already in the database, by the id an import or export gives them."""

    def __init__(self, needed: set[str]):
        self.participants: dict[str, ParticipantFacts] = {}
        self.participant_ids: dict[int, str] = {}
        self.file_numbers: dict[str, str] = {}  # file number -> participant id
        self.referrals: dict[str, ReferralFacts] = {}
        self.referral_ids: dict[int, str] = {}
        self.pathways: dict[str, PathwayFacts] = {}
        self.pathway_ids: dict[int, str] = {}
        self.pathway_prefixes: dict[int, tuple[str, int]] = {}
        self.steps: dict[str, StepFacts] = {}
        self.steps_by_pathway: dict[str, list[StepFacts]] = defaultdict(list)
        self.contacts: dict[str, ContactFacts] = {}
        # Steps and contacts withdrawn (entered by mistake): their ids, with the day.
        self.withdrawn_steps: dict[str, datetime.date] = {}
        self.withdrawn_contacts: dict[str, datetime.date] = {}
        self._load_participants()
        if needed & {"orientations", "parcours", "sorties", "etapes", "contacts"}:
            self._load_referrals()
            self._load_pathways()
        if needed & {"etapes", "sorties"}:
            self._load_steps()
            self._load_withdrawn(Step, step_id, self.withdrawn_steps)
        if "contacts" in needed:
            self._load_contacts()
            self._load_withdrawn(Contact, contact_id, self.withdrawn_contacts)

    def _load_participants(self) -> None:
        rows = list(
            Participant.objects.values_list("pk", "external_id", "file_number", "birth_date")
        )
        external = {row[1] for row in rows if row[1]}
        for pk, external_id, file_number, birth_date in rows:
            own = external_id or participant_id(file_number)
            facts = ParticipantFacts(own, pk, file_number, birth_date)
            self.participant_ids[pk] = own
            self.file_numbers[file_number] = own
            _add(self.participants, facts, external_id, external)

    def _load_referrals(self) -> None:
        rows = list(
            Referral.objects.values_list(
                "pk",
                "external_id",
                "participant_id",
                "participant__file_number",
                "referred_on",
                "status",
            )
        )
        external = {row[1] for row in rows if row[1]}
        for pk, external_id, participant_pk, file_number, referred_on, status in rows:
            own = external_id or referral_id(file_number, pk)
            facts = ReferralFacts(
                own, pk, self.participant_ids[participant_pk], referred_on, status
            )
            self.referral_ids[pk] = own
            _add(self.referrals, facts, external_id, external)

    def _load_pathways(self) -> None:
        rows = list(
            Pathway.objects.values_list(
                "pk",
                "external_id",
                "participant_id",
                "participant__file_number",
                "number",
                "referral_id",
                "entry_date",
                "exit_date",
                "status",
            )
        )
        external = {row[1] for row in rows if row[1]}
        for (
            pk,
            external_id,
            participant_pk,
            file_number,
            number,
            referral_pk,
            entry,
            exit_on,
            status,
        ) in rows:
            own = external_id or pathway_id(file_number, number)
            facts = PathwayFacts(
                own,
                pk,
                self.participant_ids[participant_pk],
                self.referral_ids.get(referral_pk) if referral_pk else None,
                number,
                entry,
                exit_on,
                status,
            )
            self.pathway_ids[pk] = own
            self.pathway_prefixes[pk] = (file_number, number)
            _add(self.pathways, facts, external_id, external)

    def _load_steps(self) -> None:
        rows = list(
            Step.objects.values_list(
                "pk",
                "external_id",
                "pathway_id",
                "start_date",
                "end_date",
                "weekly_hours",
                "step_type__category",
            )
        )
        external = {row[1] for row in rows if row[1]}
        for pk, external_id, pathway_pk, start, end, hours, category in rows:
            file_number, number = self.pathway_prefixes[pathway_pk]
            own = external_id or step_id(file_number, number, pk)
            facts = StepFacts(own, pk, self.pathway_ids[pathway_pk], start, end, hours, category)
            self.steps_by_pathway[facts.pathway].append(facts)
            _add(self.steps, facts, external_id, external)

    def _load_contacts(self) -> None:
        rows = list(Contact.objects.values_list("pk", "external_id", "pathway_id"))
        external = {row[1] for row in rows if row[1]}
        for pk, external_id, pathway_pk in rows:
            file_number, number = self.pathway_prefixes[pathway_pk]
            own = external_id or contact_id(file_number, number, pk)
            _add(
                self.contacts,
                ContactFacts(own, pk, self.pathway_ids[pathway_pk]),
                external_id,
                external,
            )

    def _load_withdrawn(self, model, derived_id, into: dict) -> None:
        """The rows withdrawn, by their external and derived ids: an import that names one
        is refused (the `objects` above read only the rows in effect)."""
        rows = model.including_withdrawn.withdrawn().values_list(
            "pk", "external_id", "pathway_id", "withdrawn_at"
        )
        for pk, external_id, pathway_pk, withdrawn_at in rows:
            day = timezone.localtime(withdrawn_at).date()
            into[derived_id(*self.pathway_prefixes[pathway_pk], pk)] = day
            if external_id:
                into[external_id] = day
