"""`export_path`: every record of the PLIE written in the format the import reads.

A path ending in `.xlsx` gives one workbook (openpyxl write-only mode, one sheet per
kind); any other path is a folder that receives one CSV file per kind, UTF-8 with a BOM
and `;` so that French spreadsheets open them as they are. Rows are streamed from
`values()` querysets, never as model instances; only the maps from primary key to id
(people, referrals, pathways) are held, so that child rows can name their parent.
"""

from __future__ import annotations

import dataclasses
import os
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from auditlog.models import LogEntry
from django.utils import translation

from plie.core.spreadsheets import CSV_ENCODING, csv_writer, xlsx_cell
from plie.participants.models import Participant, Referral
from plie.pathways.models import Contact, Pathway, Step
from plie.territory.models import Programme

from . import identifiers as ids
from .formats import (
    CONTACTS,
    EXITS,
    KINDS,
    PARTICIPANTS,
    PATHWAYS,
    REFERRALS,
    STEPS,
    Kind,
    lines_of,
)
from .lookups import export_codes
from .values import CodeList, Lookup

CHUNK = 2000


class ExportError(Exception):
    """The export cannot start; the message is French and says what to do."""


@dataclasses.dataclass
class ExportReport:
    path: Path
    rows: dict[str, int]
    seconds: float

    def summary(self) -> list[str]:
        lines = [f"Export écrit dans {self.path} ({self.seconds:.1f} s) :"]
        lines += [f"  {kind.name} : {lines_of(self.rows.get(kind.name, 0))}" for kind in KINDS]
        return lines


def _plain(kind: Kind) -> list:
    return [c for c in kind.columns if c.field and not c.is_reference and c.field != "barriers"]


class _Rows:
    """Each kind's rows as dicts by header, in a stable order; remembers the ids given."""

    def __init__(self, programme):
        self.programme = programme
        self.file_numbers: dict[int, str] = {}
        self.participant_ids: dict[int, str] = {}
        self.referral_ids: dict[int, str] = {}
        self.pathway_ids: dict[int, str] = {}
        self.prefixes: dict[int, tuple[str, int]] = {}

    def _values(self, queryset, kind: Kind, *extra):
        fields = [c.field for c in _plain(kind)]
        return queryset.values("pk", "external_id", *fields, *extra).iterator(chunk_size=CHUNK)

    def _base(self, kind: Kind, row: dict) -> dict:
        return {c.header: row[c.field] for c in _plain(kind)}

    def participants(self):
        queryset = Participant.objects.filter(programme=self.programme).order_by("file_number")
        for row in self._values(queryset, PARTICIPANTS):
            own = row["external_id"] or ids.participant_id(row["file_number"])
            self.file_numbers[row["pk"]] = row["file_number"]
            self.participant_ids[row["pk"]] = own
            yield self._base(PARTICIPANTS, row) | {"id": own}

    def orientations(self):
        queryset = Referral.objects.filter(participant__programme=self.programme).order_by(
            "participant__file_number", "referred_on", "pk"
        )
        for row in self._values(queryset, REFERRALS, "participant_id"):
            participant = row["participant_id"]
            own = row["external_id"] or ids.referral_id(self.file_numbers[participant], row["pk"])
            self.referral_ids[row["pk"]] = own
            yield self._base(REFERRALS, row) | {
                "id": own,
                "participant": self.participant_ids[participant],
            }

    def parcours(self):
        queryset = Pathway.objects.filter(participant__programme=self.programme).order_by(
            "participant__file_number", "number"
        )
        barriers = defaultdict(list)
        through = Pathway.barriers.through.objects.filter(
            pathway__participant__programme=self.programme
        )
        for pathway_pk, barrier_pk in through.values_list("pathway_id", "barriertype_id"):
            barriers[pathway_pk].append(barrier_pk)
        for row in self._values(queryset, PATHWAYS, "participant_id", "referral_id"):
            file_number = self.file_numbers[row["participant_id"]]
            own = row["external_id"] or ids.pathway_id(file_number, row["number"])
            self.pathway_ids[row["pk"]] = own
            self.prefixes[row["pk"]] = (file_number, row["number"])
            yield self._base(PATHWAYS, row) | {
                "id": own,
                "participant": self.participant_ids[row["participant_id"]],
                "orientation": self.referral_ids.get(row["referral_id"], ""),
                "freins": barriers.get(row["pk"], []),
            }

    def sorties(self):
        queryset = (
            Pathway.objects.filter(participant__programme=self.programme)
            .filter(exit_date__isnull=False)
            .order_by("participant__file_number", "number")
        )
        fields = [c.field for c in _plain(EXITS)]
        for row in queryset.values("pk", *fields).iterator(chunk_size=CHUNK):
            yield self._base(EXITS, row) | {"parcours": self.pathway_ids[row["pk"]]}

    def etapes(self):
        queryset = Step.objects.filter(pathway__participant__programme=self.programme).order_by(
            "pathway__participant__file_number", "pathway__number", "start_date", "pk"
        )
        for row in self._values(queryset, STEPS, "pathway_id"):
            file_number, number = self.prefixes[row["pathway_id"]]
            own = row["external_id"] or ids.step_id(file_number, number, row["pk"])
            yield self._base(STEPS, row) | {
                "id": own,
                "parcours": self.pathway_ids[row["pathway_id"]],
            }

    def contacts(self):
        queryset = Contact.objects.filter(pathway__participant__programme=self.programme).order_by(
            "pathway__participant__file_number", "pathway__number", "contacted_on", "pk"
        )
        for row in self._values(queryset, CONTACTS, "pathway_id"):
            file_number, number = self.prefixes[row["pathway_id"]]
            own = row["external_id"] or ids.contact_id(file_number, number, row["pk"])
            yield self._base(CONTACTS, row) | {
                "id": own,
                "parcours": self.pathway_ids[row["pathway_id"]],
            }


def _cells(kind: Kind, row: dict, codes: dict, *, text: bool) -> list:
    cells = []
    for column in kind.columns:
        value = row.get(column.header)
        if isinstance(column.type, CodeList):
            cells.append(column.type.write_with(value or [], codes))
        elif isinstance(column.type, Lookup):
            cells.append(column.type.write_with(value, codes))
        elif column.is_reference or column.header == "id":
            cells.append(value or "")
        elif text:
            cells.append(column.type.to_text(value))
        else:
            cells.append(column.type.write(value))
    return cells


def _write_csv_folder(folder: Path, rows: _Rows, codes, overwrite: bool) -> dict[str, int]:
    folder.mkdir(parents=True, exist_ok=True)
    existing = [kind.file_name for kind in KINDS if (folder / kind.file_name).exists()]
    if existing and not overwrite:
        raise ExportError(
            f"{folder} contient déjà {', '.join(existing)} : choisissez un dossier vide ou "
            "ajoutez --overwrite pour les remplacer"
        )
    counts = {}
    for kind in KINDS:
        with (folder / kind.file_name).open("w", encoding=CSV_ENCODING, newline="") as stream:
            writer = csv_writer(stream)
            writer.writerow(kind.headers)
            count = 0
            for row in getattr(rows, kind.name)():
                writer.writerow(_cells(kind, row, codes, text=True))
                count += 1
        counts[kind.name] = count
    return counts


def _write_workbook(path: Path, rows: _Rows, codes, overwrite: bool) -> dict[str, int]:
    from openpyxl import Workbook

    if path.exists() and not overwrite:
        raise ExportError(f"{path} existe déjà : choisissez un autre nom ou ajoutez --overwrite")
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = Workbook(write_only=True)
    counts = {}
    for kind in KINDS:
        sheet = workbook.create_sheet(kind.name)
        sheet.append(kind.headers)
        count = 0
        for row in getattr(rows, kind.name)():
            sheet.append([xlsx_cell(sheet, v) for v in _cells(kind, row, codes, text=False)])
            count += 1
        counts[kind.name] = count
    # Written beside the target then renamed: a failed export leaves no half file behind.
    handle, temporary = tempfile.mkstemp(suffix=".xlsx", dir=path.parent)
    os.close(handle)
    try:
        workbook.save(temporary)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    return counts


def export_path(path, *, overwrite: bool = False, by=None) -> ExportReport:
    started = time.monotonic()
    path = Path(path)
    programme = Programme.current()
    if programme is None:
        raise ExportError("aucun PLIE n'est configuré : rien à exporter")
    with translation.override("fr"):
        rows, codes = _Rows(programme), export_codes(programme)
        if path.suffix.lower() == ".xlsx":
            counts = _write_workbook(path, rows, codes, overwrite)
        elif path.suffix.lower() == ".csv" or (path.exists() and not path.is_dir()):
            raise ExportError(
                f"{path} : donnez un dossier (un fichier CSV par sorte de ligne) ou un nom de "
                "classeur en .xlsx"
            )
        else:
            counts = _write_csv_folder(path, rows, codes, overwrite)
    # An export reads every record: the journal keeps who did it.
    LogEntry.objects.log_create(
        programme,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=by,
        additional_data={"export": {"fichier": path.name, "lignes": counts}},
    )
    return ExportReport(path, counts, time.monotonic() - started)
