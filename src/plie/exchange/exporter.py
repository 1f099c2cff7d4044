"""`export_path`: every record of the PLIE written in the format the import reads.

A path ending in `.xlsx` gives one workbook (one sheet per kind); any other path is a
folder that receives one CSV file per kind. Both are written by the one spreadsheet writer
(core.spreadsheets: UTF-8 with a BOM and `;`, formulas neutralised, which the import undoes)
from the columns the import declares (formats.py). Rows are streamed from `values()`
querysets, never as model instances; only the maps from primary key to id (people,
referrals, pathways) are held, so that child rows can name their parent.
"""

from __future__ import annotations

import dataclasses
import time
from collections import defaultdict
from pathlib import Path

from django.utils import translation

from plie.audit.journal import record_document
from plie.core import spreadsheets
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


def _read(column, codes):
    """How the file's cell is read from an exported row (a dict by header)."""
    if isinstance(column.type, CodeList):
        return lambda row: column.type.write_with(row.get(column.header) or [], codes)
    if isinstance(column.type, Lookup):
        return lambda row: column.type.write_with(row.get(column.header), codes)
    if column.is_reference or column.header == "id":
        return lambda row: row.get(column.header) or None
    return lambda row: column.type.write(row.get(column.header))


def _table(kind: Kind, rows: _Rows, codes, counts: dict[str, int]) -> spreadsheets.Table:
    def counted():
        counts[kind.name] = 0
        for row in getattr(rows, kind.name)():
            counts[kind.name] += 1
            yield row

    columns = [
        spreadsheets.Column(column.header, _read(column, codes), column.type.cell_format)
        for column in kind.columns
    ]
    return spreadsheets.Table(kind.name, kind.name, columns, counted())


def _write_csv_folder(folder: Path, rows: _Rows, codes, overwrite: bool) -> dict[str, int]:
    folder.mkdir(parents=True, exist_ok=True)
    existing = [kind.file_name for kind in KINDS if (folder / kind.file_name).exists()]
    if existing and not overwrite:
        raise ExportError(
            f"{folder} contient déjà {', '.join(existing)} : choisissez un dossier vide ou "
            "ajoutez --overwrite pour les remplacer"
        )
    counts: dict[str, int] = {}
    for kind in KINDS:
        with (folder / kind.file_name).open("wb") as stream:
            spreadsheets.write_csv(stream, _table(kind, rows, codes, counts))
    return counts


def _write_workbook(path: Path, rows: _Rows, codes, overwrite: bool) -> dict[str, int]:
    if path.exists() and not overwrite:
        raise ExportError(f"{path} existe déjà : choisissez un autre nom ou ajoutez --overwrite")
    counts: dict[str, int] = {}
    # Sheets are written one after the other: each kind's rows are read when its turn comes,
    # after the kinds they name.
    tables = (_table(kind, rows, codes, counts) for kind in KINDS)
    with spreadsheets.written_in_place(path, suffix=".xlsx") as temporary:
        spreadsheets.write_xlsx(temporary, tables)
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
    record_document(
        user=by,
        about=programme,
        document="export des dossiers",
        export={"fichier": path.name, "lignes": counts},
    )
    return ExportReport(path, counts, time.monotonic() - started)
