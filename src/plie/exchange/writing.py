"""The second pass of an import: the rows read again and written in batches.

Only runs once the first pass (checking.py) found nothing wrong, inside the import's
transaction. For each batch, the records the rows match are fetched in one query and
compared field by field: a new row is created with `bulk_create`, a changed one updated
with `bulk_update`, an identical one left alone and counted as unchanged. Last, the
people's current state (`Participant.status` and `.referent`) is computed again from
their referrals and pathways, as the services would have left it.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict

from plie.core.versioning import bumped
from plie.participants.enums import PathwayStatus
from plie.participants.models import Participant, Referral
from plie.participants.status import participant_state
from plie.pathways.models import Pathway

from . import rules
from .checking import Checker
from .formats import KINDS, Kind
from .parsing import parse_row
from .reading import Source

BATCH = 1000
CREATED, UPDATED, UNCHANGED = "créés", "modifiés", "inchangés"


def _batches(iterable, size: int = BATCH):
    iterator = iter(iterable)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _fields(kind: Kind, values: dict, skip: tuple[str, ...] = ()) -> dict:
    """Model attributes filled directly by the row's columns (references apart)."""
    return {
        column.field: values[column.header]
        for column in kind.columns
        if column.header in values
        and column.field
        and not column.is_reference
        and column.field not in skip
        and column.field != "barriers"
    }


class Writer:
    def __init__(self, source: Source, checker: Checker, *, programme, by, today):
        self.source = source
        self.checker = checker
        self.programme = programme
        self.by_id = by.pk if by is not None else None
        self.today = today
        self.counts: dict[str, Counter] = {kind.name: Counter() for kind in KINDS}
        self.touched: set[int] = set()
        self.states_changed = 0

    def run(self) -> dict[str, Counter]:
        for kind in KINDS:
            table = self.source.tables.get(kind.name)
            if table is not None:
                write = getattr(self, f"_write_{kind.name}")
                for batch in _batches(self._rows(kind, table)):
                    write(kind, batch)
        self._recompute_states()
        return self.counts

    def _rows(self, kind: Kind, table):
        for row in table.rows():
            values, problems = parse_row(kind, row.cells, self.checker.lookups)
            assert not problems and not row.problems, (table.label, row.line, problems)
            yield values[kind.key], values

    def _pk(self, kind_name: str, key: str) -> int:
        return self.checker.find(kind_name, key).pk

    def _save(self, kind: Kind, items: list, changed_elsewhere: set[int] = frozenset()) -> None:
        """items: (facts, fields, fields for a creation only); creates, updates or leaves."""
        model = kind.model
        current = model.objects.in_bulk([facts.pk for facts, _, _ in items if facts.pk])
        created, updated, names = [], [], set()
        for facts, fields, extra in items:
            if facts.pk is None:
                created.append((facts, model(**fields, **extra)))
                continue
            record = current[facts.pk]
            changed = [name for name, value in fields.items() if getattr(record, name) != value]
            for name in changed:
                setattr(record, name, fields[name])
            if changed:
                updated.append(record)
                names.update(changed)
            self.counts[kind.name][
                UPDATED if changed or facts.pk in changed_elsewhere else UNCHANGED
            ] += 1
        if model is Participant:  # bulk writes do not call save(), which keeps the search key
            for record in [*(record for _, record in created), *updated]:
                record.refresh_name_key()
            if updated:
                names.add("name_key")
        if updated and any(field.name == "version" for field in model._meta.fields):
            # Nor the version: a page opened before the import must not save over it.
            for record in updated:
                record.version = bumped()
            names.add("version")
        model.objects.bulk_create([record for _, record in created])
        for facts, record in created:
            facts.pk = record.pk
        self.counts[kind.name][CREATED] += len(created)
        if updated:
            model.objects.bulk_update(updated, sorted(names))

    # Kinds -----------------------------------------------------------------------------

    def _write_participants(self, kind: Kind, batch) -> None:
        items = []
        for key, values in batch:
            facts = self.checker.facts[kind.name][key]
            extra = {
                "programme_id": self.programme.pk,
                "created_by_id": self.by_id,
                "file_number": facts.file_number,
                "external_id": None if key == facts.file_number else key,
            }
            items.append((facts, _fields(kind, values, skip=("file_number",)), extra))
        self._save(kind, items)
        self.touched.update(facts.pk for facts, _, _ in items)

    def _write_orientations(self, kind: Kind, batch) -> None:
        items = []
        for key, values in batch:
            facts = self.checker.facts[kind.name][key]
            fields = _fields(kind, values)
            fields["participant_id"] = self._pk("participants", facts.participant)
            fields["status"] = facts.status
            extra = {"external_id": key, "created_by_id": self.by_id}
            items.append((facts, fields, extra))
            self.touched.add(fields["participant_id"])
        self._save(kind, items)

    def _write_parcours(self, kind: Kind, batch) -> None:
        items, barriers = [], {}
        for key, values in batch:
            facts = self.checker.facts[kind.name][key]
            fields = _fields(kind, values, skip=("number",))
            fields["participant_id"] = self._pk("participants", facts.participant)
            if "orientation" in values:
                fields["referral_id"] = (
                    self._pk("orientations", facts.referral) if facts.referral else None
                )
            fields["status"] = facts.status
            extra = {"number": facts.number, "external_id": self.checker.pathway_external_id(facts)}
            items.append((facts, fields, extra))
            if "freins" in values:
                barriers[key] = set(values["freins"])
            self.touched.add(fields["participant_id"])
        through = Pathway.barriers.through
        existing = [facts for facts, _, _ in items if facts.pk and facts.id in barriers]
        current = defaultdict(set)
        for pathway_pk, barrier_pk in through.objects.filter(
            pathway_id__in=[facts.pk for facts in existing]
        ).values_list("pathway_id", "barriertype_id"):
            current[pathway_pk].add(barrier_pk)
        removed, changed = [], set()
        for facts in existing:
            wanted = barriers[facts.id]
            if wanted != current[facts.pk]:
                changed.add(facts.pk)
                removed.extend((facts.pk, pk) for pk in current[facts.pk] - wanted)
        self._save(kind, items, changed_elsewhere=changed)
        for pathway_pk, barrier_pk in removed:
            through.objects.filter(pathway_id=pathway_pk, barriertype_id=barrier_pk).delete()
        through.objects.bulk_create(
            [
                through(pathway_id=facts.pk, barriertype_id=barrier_pk)
                for facts, _, _ in items
                if facts.id in barriers
                for barrier_pk in barriers[facts.id] - current.get(facts.pk, set())
            ]
        )

    def _write_sorties(self, kind: Kind, batch) -> None:
        current = Pathway.objects.in_bulk(
            [self.checker.facts[kind.name][key].pk for key, _ in batch]
        )
        updated = []
        for key, values in batch:
            pathway = current[self.checker.facts[kind.name][key].pk]
            fields = {
                "status": PathwayStatus.EXITED,
                "exit_date": values["date_sortie"],
                "exit_reason": values["motif"],
                "exit_condition": values.get("condition", ""),
                "exit_condition_label": self.checker.condition_labels[key],
                "exit_detail": values.get("precisions", ""),
            }
            outcome = CREATED if pathway.exit_date is None else UNCHANGED
            for name, value in fields.items():
                if getattr(pathway, name) != value:
                    setattr(pathway, name, value)
                    outcome = UPDATED if outcome == UNCHANGED else outcome
            if outcome != UNCHANGED:
                updated.append(pathway)
            self.counts[kind.name][outcome] += 1
            self.touched.add(pathway.participant_id)
        if updated:
            for pathway in updated:
                pathway.version = bumped()
            Pathway.objects.bulk_update(
                updated,
                [
                    "version",
                    "status",
                    "exit_date",
                    "exit_reason",
                    "exit_condition",
                    "exit_condition_label",
                    "exit_detail",
                ],
            )

    def _write_etapes(self, kind: Kind, batch) -> None:
        items = []
        for key, values in batch:
            facts = self.checker.facts[kind.name][key]
            fields = _fields(kind, values)
            fields["pathway_id"] = self._pk("parcours", facts.pathway)
            outcome = rules.step_outcome(values, facts.end, self.today, creating=facts.pk is None)
            if outcome is not None:
                fields["outcome"] = outcome
            extra = {"external_id": key, "created_by_id": self.by_id}
            items.append((facts, fields, extra))
        self._save(kind, items)

    def _write_contacts(self, kind: Kind, batch) -> None:
        items = []
        for key, values in batch:
            facts = self.checker.facts[kind.name][key]
            fields = _fields(kind, values)
            fields["pathway_id"] = self._pk("parcours", facts.pathway)
            items.append((facts, fields, {"external_id": key}))
        self._save(kind, items)

    # The people's current state ----------------------------------------------------------

    def _recompute_states(self) -> None:
        for chunk in _batches(sorted(self.touched), 500):
            referrals, pathways = defaultdict(list), defaultdict(list)
            for row in Referral.objects.filter(participant_id__in=chunk).values(
                "pk", "participant_id", "referred_on", "status"
            ):
                referrals[row["participant_id"]].append(row)
            for row in Pathway.objects.filter(participant_id__in=chunk).values(
                "participant_id", "number", "status", "referent_id", "referral_id", "entry_date"
            ):
                pathways[row["participant_id"]].append(row)
            changed = []
            for pk, status, referent_id in Participant.objects.filter(pk__in=chunk).values_list(
                "pk", "status", "referent_id"
            ):
                state = participant_state(
                    referrals=referrals[pk], pathways=pathways[pk], own_referent=referent_id
                )
                if state != (status, referent_id):
                    changed.append(
                        Participant(pk=pk, status=state[0], referent_id=state[1], version=bumped())
                    )
            Participant.objects.bulk_update(changed, ["status", "referent", "version"])
            self.states_changed += len(changed)
