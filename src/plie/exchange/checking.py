"""The first pass of an import: every row of every file checked, nothing written.

Rows are read kind by kind in the order of formats.KINDS, so that a row only names rows
already seen (in this import or in the database). Each row gets its cells read, the
model's field validators, then the rules that need other rows: references that exist,
ids used once, dates in a possible order (entry after referral, exit after entry, a step
inside its pathway...). Every problem is kept with its file and line; nothing stops at
the first. What the second pass needs (ids, generated numbers, derived statuses) is kept
as small facts, never as model instances, so memory does not grow with the rows' width.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from plie.participants.enums import PathwayStatus
from plie.programme.models import Protocol

from . import rules
from .follow_checks import FollowChecks
from .formats import KINDS, KINDS_BY_NAME, Kind
from .identifiers import (
    Index,
    ParticipantFacts,
    PathwayFacts,
    ReferralFacts,
    StepFacts,
    pathway_id,
)
from .parsing import model_problems, parse_row
from .reading import Problem, Source, Table

INDEX_ATTRIBUTES = {
    "participants": "participants",
    "orientations": "referrals",
    "parcours": "pathways",
    "etapes": "steps",
    "contacts": "contacts",
}


class Checker(FollowChecks):
    def __init__(self, source: Source, *, programme, lookups, today: datetime.date):
        self.source = source
        self.programme = programme
        self.lookups = lookups
        self.today = today
        self.index = Index(set(source.tables))
        self.problems: list[Problem] = []
        self.facts: dict[str, dict] = {kind.name: {} for kind in KINDS}
        self.lines: dict[str, dict[str, int]] = {kind.name: {} for kind in KINDS}
        self.broken: dict[str, set[str]] = {kind.name: set() for kind in KINDS}
        self.row_counts: dict[str, int] = defaultdict(int)
        self.failed: set[str] = set()
        self.file_numbers_in_file: dict[str, str] = {}
        self.pending_file_numbers: list[ParticipantFacts] = []
        self.pending_pathway_numbers: list[PathwayFacts] = []
        self.exited_rows: list[PathwayFacts] = []
        self.reopened_rows: list[PathwayFacts] = []
        self.condition_labels: dict[str, str] = {}
        self.job_steps: dict[str, list[StepFacts]] = defaultdict(list)
        self.numbers_taken: dict[str, dict[int, str]] = defaultdict(dict)
        self.referral_owner: dict[str, str] = {}
        for facts in self.index.pathways.values():
            if facts.number is not None:
                self.numbers_taken[facts.participant][facts.number] = facts.id
            if facts.referral:
                self.referral_owner[facts.referral] = facts.id
        self.protocols = list(
            Protocol.objects.filter(programme=programme)
            .order_by("-valid_from", "-version")
            .values_list("valid_from", "valid_until", "exit_rules")
        )

    # Driving ---------------------------------------------------------------------------

    def run(self) -> list[Problem]:
        for kind in KINDS:
            table = self.source.tables.get(kind.name)
            if table is not None:
                self._check_table(kind, table)
            getattr(self, f"_after_{kind.name}")(table)
        self.problems.sort(key=lambda problem: problem.order)
        return self.problems

    def _report(self, table: Table, kind: Kind, line: int | None, message: str) -> None:
        order = (KINDS.index(kind), line or 0)
        self.problems.append(Problem(table.label, line, message, order))

    def _check_table(self, kind: Kind, table: Table) -> None:
        check = getattr(self, f"_check_{kind.name}")
        seen = self.lines[kind.name]
        for row in table.rows():
            self.row_counts[kind.name] += 1
            values, problems = parse_row(kind, row.cells, self.lookups)
            problems[:0] = row.problems
            key = values.get(kind.key)
            if key is not None and key in seen:
                problems.append(
                    f"{kind.key} : l'identifiant « {key} » est déjà utilisé ligne {seen[key]} "
                    "de ce fichier ; chaque ligne a son propre identifiant"
                    if kind.key == "id"
                    else f"parcours : le parcours « {key} » a déjà sa sortie ligne {seen[key]} "
                    "de ce fichier ; un parcours n'a qu'une sortie"
                )
                key = None  # the first line keeps the id
            self.failed = set(row.cells) - set(values)
            facts = check(row.line, key, values, problems)
            for message in problems:
                self._report(table, kind, row.line, message)
            if key is None:
                continue
            seen[key] = row.line
            if problems or facts is None:
                self.broken[kind.name].add(key)
            else:
                self.facts[kind.name][key] = facts

    def find(self, kind_name: str, key: str):
        """Facts of a row of this import, else of a record in the database, else None.

        A row of this import with problems of its own gives None too: the rows naming it
        are checked for what does not depend on it, and no "unknown id" is added.
        """
        facts = self.facts[kind_name].get(key)
        if facts is not None:
            return facts
        if key in self.broken[kind_name]:
            return None
        return getattr(self.index, INDEX_ATTRIBUTES[kind_name]).get(key)

    def _resolve(self, values: dict, header: str, kind_name: str, problems: list[str]):
        key = values.get(header)
        if not key:
            return None
        facts = self.find(kind_name, key)
        if facts is None and key not in self.broken[kind_name]:
            kind = KINDS_BY_NAME[kind_name]
            problems.append(
                f"{header} : identifiant inconnu « {key} » : aucune ligne de {kind.file_name} "
                f"ni aucun enregistrement existant ne porte cet identifiant ; vérifiez-le ou "
                f"ajoutez la ligne qui manque"
            )
        return facts

    def _same_parent(self, existing, parent, attribute: str, kind: Kind, header: str, problems):
        if (
            existing is not None
            and parent is not None
            and getattr(existing, attribute) != parent.id
        ):
            problems.append(
                f"{header} : {kind.what} « {existing.id} » est déjà rattaché(e) à "
                f"« {getattr(existing, attribute)} », pas à « {parent.id} » ; un identifiant ne "
                "change pas de rattachement"
            )

    # Participants ----------------------------------------------------------------------

    def _check_participants(self, line, key, values, problems):
        existing = self.index.participants.get(key) if key else None
        number = values.get("numero_dossier") or None
        if existing is not None:
            if number and number != existing.file_number:
                problems.append(
                    f"numero_dossier : ce dossier porte le numéro {existing.file_number} ; un "
                    "numéro de dossier ne change pas, corrigez-le ou videz la cellule"
                )
            number = existing.file_number
        elif number and (owner := self.index.file_numbers.get(number)) is not None:
            problems.append(
                f"numero_dossier : le numéro {number} est déjà celui du dossier « {owner} » ; "
                "donnez l'identifiant de ce dossier ou un autre numéro"
            )
        if number and not (existing is not None and number == existing.file_number):
            other = self.file_numbers_in_file.get(number)
            if other is not None and other != key:
                problems.append(
                    f"numero_dossier : le numéro {number} est déjà donné au dossier « {other} » "
                    "de ce fichier"
                )
            if key is not None:
                self.file_numbers_in_file[number] = key
        problems.extend(model_problems(KINDS_BY_NAME["participants"], values))
        problems.extend(
            rules.residence_problems(
                values, self.lookups, creating=existing is None, failed=self.failed
            )
        )
        if key is None:
            return None
        birth_date = values.get("date_naissance") or (existing.birth_date if existing else None)
        facts = ParticipantFacts(key, existing.pk if existing else None, number, birth_date, line)
        if number is None:
            self.pending_file_numbers.append(facts)
        return facts

    def _after_participants(self, table) -> None:
        """New people without a file number get the next ones of the year, like the services."""
        prefix = f"{self.today.year}-"
        sequence = 0
        taken = set(self.index.file_numbers) | set(self.file_numbers_in_file)
        for number in taken:
            suffix = number.removeprefix(prefix)
            if number.startswith(prefix) and suffix.isdigit():
                sequence = max(sequence, int(suffix))
        for facts in self.pending_file_numbers:
            sequence += 1
            while f"{prefix}{sequence:05d}" in taken:
                sequence += 1
            facts.file_number = f"{prefix}{sequence:05d}"

    # Referrals -------------------------------------------------------------------------

    def _check_orientations(self, line, key, values, problems):
        kind = KINDS_BY_NAME["orientations"]
        participant = self._resolve(values, "participant", "participants", problems)
        existing = self.index.referrals.get(key) if key else None
        self._same_parent(existing, participant, "participant", kind, "participant", problems)
        problems.extend(model_problems(kind, values))
        status = rules.referral_status(values, existing)
        problems.extend(rules.referral_problems(values, status, self.today, self.failed))
        if key is None or participant is None:
            return None
        referred_on = values.get("date_orientation") or (existing.referred_on if existing else None)
        return ReferralFacts(
            key, existing.pk if existing else None, participant.id, referred_on, status, line
        )

    def _after_orientations(self, table) -> None:
        pass

    # Pathways --------------------------------------------------------------------------

    def _check_parcours(self, line, key, values, problems):
        kind = KINDS_BY_NAME["parcours"]
        participant = self._resolve(values, "participant", "participants", problems)
        existing = self.index.pathways.get(key) if key else None
        self._same_parent(existing, participant, "participant", kind, "participant", problems)
        referral = self._resolve(values, "orientation", "orientations", problems)
        if referral is not None and participant is not None:
            if referral.participant != participant.id:
                problems.append(
                    f"orientation : l'orientation « {referral.id} » concerne le dossier "
                    f"« {referral.participant} », pas « {participant.id} »"
                )
            owner = self.referral_owner.get(referral.id)
            if owner is not None and owner != key:
                problems.append(
                    f"orientation : l'orientation « {referral.id} » a déjà donné lieu au "
                    f"parcours « {owner} » ; une orientation ouvre un seul parcours"
                )
            elif key is not None:
                self.referral_owner[referral.id] = key
        if "orientation" in values:
            referral_key = referral.id if referral is not None else None
        else:
            referral_key = existing.referral if existing else None
        number = self._pathway_number(key, values, existing, participant, problems)
        if "date_entree" in values:
            entry = values["date_entree"]
        else:
            entry = existing.entry_date if existing else None
        exit_on = existing.exit_date if existing else None
        status = rules.pathway_status(values.get("etat"), entry, exit_on, existing)
        problems.extend(
            rules.pathway_problems(status, entry, exit_on, referral, self.today, self.failed)
        )
        problems.extend(model_problems(kind, values))
        if key is None or participant is None:
            return None
        facts = PathwayFacts(
            key,
            existing.pk if existing else None,
            participant.id,
            referral_key,
            number,
            entry,
            exit_on,
            status,
            line,
        )
        if number is None:
            self.pending_pathway_numbers.append(facts)
        if status == PathwayStatus.EXITED and exit_on is None:
            self.exited_rows.append(facts)
        if status == PathwayStatus.ACTIVE and exit_on is not None:
            self.reopened_rows.append(facts)  # fine only if sorties states the exit again
        return facts

    def _pathway_number(self, key, values, existing, participant, problems) -> int | None:
        number = values.get("numero")
        if existing is not None:
            if number and number != existing.number:
                problems.append(
                    f"numero : ce parcours porte le numéro {existing.number} ; un numéro de "
                    "parcours ne change pas"
                )
            number = existing.number
        if number is None or participant is None:
            return number
        taken = self.numbers_taken[participant.id]
        other = taken.get(number)
        if other is not None and other != key:
            problems.append(
                f"numero : le dossier « {participant.id} » a déjà un parcours n° {number} "
                f"(« {other} ») ; changez le numéro ou videz la cellule"
            )
        elif key is not None:
            taken[number] = key
        return number

    def _after_parcours(self, table) -> None:
        """Pathways without a number get the next ones of their person, in the file's order."""
        for facts in self.pending_pathway_numbers:
            taken = self.numbers_taken[facts.participant]
            facts.number = max(taken, default=0) + 1
            taken[facts.number] = facts.id

    # For the second pass ---------------------------------------------------------------

    def pathway_external_id(self, facts: PathwayFacts) -> str | None:
        participant = self.find("participants", facts.participant)
        own = pathway_id(participant.file_number, facts.number)
        return None if facts.id == own else facts.id
