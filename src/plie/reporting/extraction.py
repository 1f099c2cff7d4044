"""The monthly extraction: the participants accompanied over a period, their steps and
their exits, as the assistant reads them in a spreadsheet (labels, not codes).

The three sheets are declared as data (`SHEETS`: header, row key, how the cell is
written, whether it is sensitive); the XLSX workbook, the CSV files and the tests all read
these declarations. Rows are streamed from `values()` querysets in chunks and written as
they come (openpyxl's write-only mode, a ZIP entry opened for writing), so that memory
stays the same whatever the size. The file is written beside its target and renamed at
the end: a failed extraction leaves no half file behind.

Which rows: the same sets as the indicators (docs/indicators.md): a pathway in the
caseload on at least one day of the period, its steps that ran during the period, and the
exits dated in the period.
"""

from __future__ import annotations

import dataclasses
import io
import os
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from plie.core import formatting
from plie.core.expressions import DaysBetween
from plie.core.spreadsheets import CSV_ENCODING, csv_writer, xlsx_cell
from plie.participants.enums import (
    HIDDEN_EXIT_REASON,
    MERGED_WHEN_HIDDEN,
    ExitReason,
    LabourMarketStatus,
    Nationality,
    PathwayStatus,
    Sex,
)
from plie.pathways.enums import FollowUpSituation, StepCategory, StepOutcome
from plie.pathways.models import Contact, Step
from plie.reporting.dimensions import age_at_entry
from plie.reporting.indicators import (
    MONTH_DAYS,
    accompanied_pathways,
    exited_in,
    present_on,
    scope,
)

CHUNK = 2000
MASKED = HIDDEN_EXIT_REASON
# Values that say something about health, in columns everyone of the team may read, and
# those merged with them under one label (participants.enums.MERGED_WHEN_HIDDEN).
SENSITIVE_VALUES = {ExitReason: MERGED_WHEN_HIDDEN}
Progress = Callable[[int, int], None]  # (rows written, rows in all)


class Cell:
    """How a value is written: as it is, a date, a number, a yes/no, or a choice label."""

    TEXT = "text"
    DATE = "date"
    NUMBER = "number"
    YES_NO = "yes_no"


@dataclasses.dataclass(frozen=True)
class Column:
    header: str  # French, as the assistant reads it
    key: str  # a field path or an annotation of the sheet's values() row
    cell: str = Cell.TEXT
    choices: type | None = None  # TextChoices whose label is written
    sensitive: bool = False  # only for those who may see sensitive data
    masked: frozenset = frozenset()  # values replaced by MASKED (set by `Sheet.columns_for`)

    def value(self, row: dict):
        """The typed value for an XLSX cell."""
        value = row[self.key]
        if value is None or value == "":
            return None
        if value in self.masked:
            return MASKED
        if self.choices is not None:
            return str(self.choices(value).label)
        if self.cell == Cell.YES_NO:
            return "Oui" if value else "Non"
        if self.cell == Cell.NUMBER and not isinstance(value, int):
            return round(float(value), 1)
        return value

    def text(self, row: dict) -> str:
        """The same value for a CSV cell, the French way (31/12/2026, 12,5)."""
        value = self.value(row)
        if value is None:
            return ""
        if self.cell == Cell.DATE:
            return f"{formatting.day(value)}"
        if self.cell == Cell.NUMBER:
            return str(value).replace(".", ",")
        return str(value)


@dataclasses.dataclass(frozen=True)
class Sheet:
    name: str  # CSV file name (plain letters, for any system)
    title: str  # the workbook's tab
    columns: tuple[Column, ...]
    rows: Callable[..., QuerySet]  # (date_from, date_to) → values() queryset

    def visible_columns(self, include_sensitive: bool) -> list[Column]:
        """The columns written; without sensitive data, sensitive values of an ordinary
        column (an exit « for health reasons ») are written as MASKED."""
        if include_sensitive:
            return list(self.columns)
        return [
            dataclasses.replace(c, masked=SENSITIVE_VALUES.get(c.choices, frozenset()))
            for c in self.columns
            if not c.sensitive
        ]


def _referent_name(prefix: str = "") -> Concat:
    return Concat(f"{prefix}referent__first_name", Value(" "), f"{prefix}referent__last_name")


def _person(prefix: str = "") -> tuple[Column, ...]:
    return (
        Column("N° de dossier", f"{prefix}participant__file_number"),
        Column("Nom", f"{prefix}participant__last_name"),
        Column("Prénom", f"{prefix}participant__first_name"),
    )


def _pathway(prefix: str = "") -> tuple[Column, ...]:
    return (
        Column("Parcours n°", f"{prefix}number", Cell.NUMBER),
        Column("Référent(e)", "referent_name"),
        Column("Structure du référent", f"{prefix}referent__organisation__name"),
    )


def _participant_rows(date_from, date_to) -> QuerySet:
    step_at_end = Step.objects.ongoing_on(date_to).filter(pathway=OuterRef("pk"))
    contacts = Contact.objects.filter(pathway=OuterRef("pk"))
    # As the `contacts` figure: dated in the period and while the pathway ran.
    in_period = contacts.filter(
        contacted_on__range=(date_from, date_to),
        contacted_on__gte=OuterRef("entry_date"),
        contacted_on__lte=Coalesce(OuterRef("exit_date"), Value(date_to)),
    )
    return (
        accompanied_pathways(date_from, date_to)
        .order_by("participant__file_number", "number")
        .annotate(
            referent_name=_referent_name(),
            age=age_at_entry(),
            in_caseload_at_end=ExpressionWrapper(present_on(date_to), output_field=BooleanField()),
            step_at_end=Exists(step_at_end),
            contacts_in_period=Coalesce(
                Subquery(
                    in_period.order_by()
                    .values("pathway")
                    .annotate(count=Count("pk"))
                    .values("count")
                ),
                0,
            ),
            last_contact=Subquery(
                contacts.order_by()
                .values("pathway")
                .annotate(last=Max("contacted_on"))
                .values("last")
            ),
        )
        .values(*{column.key for column in PARTICIPANTS.columns})
    )


def _step_rows(date_from, date_to) -> QuerySet:
    pathways = accompanied_pathways(date_from, date_to)
    return (
        Step.objects.filter(pathway__in=pathways, start_date__lte=date_to)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=date_from))
        .order_by("pathway__participant__file_number", "pathway__number", "start_date", "pk")
        .annotate(referent_name=_referent_name("pathway__"))
        .values(*{column.key for column in STEPS.columns})
    )


def _exit_rows(date_from, date_to) -> QuerySet:
    return (
        scope()
        .filter(exited_in(date_from, date_to))
        .order_by("exit_date", "participant__file_number", "number")
        .annotate(
            referent_name=_referent_name(),
            length_days=DaysBetween("exit_date", "entry_date"),
        )
        .values(
            "length_days",
            *{column.key for column in EXITS.columns if column.key != "length_months"},
        )
    )


PARTICIPANTS = Sheet(
    "participants",
    "Participants",
    (
        *_person(),
        Column("Sexe", "participant__sex", choices=Sex),
        Column("Date de naissance", "participant__birth_date", Cell.DATE),
        Column("Âge à l'entrée", "age", Cell.NUMBER),
        Column("Téléphone", "participant__phone"),
        Column("Courriel", "participant__email"),
        Column("Commune", "participant__commune__name"),
        Column("Code INSEE", "participant__commune__insee_code"),
        Column("Quartier prioritaire (QPV)", "participant__qpv__name"),
        Column("Nationalité", "participant__nationality", choices=Nationality, sensitive=True),
        Column(
            "Autorisé(e) à travailler",
            "participant__right_to_work",
            Cell.YES_NO,
            sensitive=True,
        ),
        *_pathway(),
        Column("Prescripteur", "referral__prescriber__name"),
        Column("Date d'orientation", "referral__referred_on", Cell.DATE),
        Column("Date d'entrée", "entry_date", Cell.DATE),
        Column("État du parcours", "status", choices=PathwayStatus),
        Column("Date de sortie", "exit_date", Cell.DATE),
        Column("Motif de sortie", "exit_reason", choices=ExitReason),
        Column(
            "Situation sur le marché du travail",
            "labour_market_status",
            choices=LabourMarketStatus,
        ),
        Column("Inscrit(e) à France Travail", "registered_job_seeker", Cell.YES_NO),
        Column("Sans emploi depuis", "out_of_work_since", Cell.DATE),
        Column("Niveau de formation", "education_level__label"),
        Column("Diplôme le plus élevé", "highest_diploma"),
        Column("Bénéficiaire du RSA", "receives_rsa", Cell.YES_NO, sensitive=True),
        Column(
            "Autres minima sociaux",
            "receives_other_minimum_benefits",
            Cell.YES_NO,
            sensitive=True,
        ),
        Column("Handicap reconnu (RQTH)", "disability", Cell.YES_NO, sensitive=True),
        Column("Affection de longue durée", "long_term_illness", Cell.YES_NO, sensitive=True),
        Column("Sous main de justice", "justice_measure", Cell.YES_NO, sensitive=True),
        Column("Parent isolé", "single_parent", Cell.YES_NO),
        Column("Enfants à charge", "dependent_children", Cell.NUMBER),
        Column(
            "Sans domicile ou exclu(e) du logement",
            "homeless_or_housing_exclusion",
            Cell.YES_NO,
        ),
        Column("Dans la file active en fin de période", "in_caseload_at_end", Cell.YES_NO),
        Column("Étape en cours en fin de période", "step_at_end", Cell.YES_NO),
        Column("Contacts dans la période", "contacts_in_period", Cell.NUMBER),
        Column("Dernier contact", "last_contact", Cell.DATE),
    ),
    _participant_rows,
)
STEPS = Sheet(
    "etapes",
    "Étapes",
    (
        *_person("pathway__"),
        *_pathway("pathway__"),
        Column("Famille d'étape", "step_type__category", choices=StepCategory),
        Column("Type d'étape", "step_type__label"),
        Column("Employeur ou organisme", "organisation_name"),
        Column("Début", "start_date", Cell.DATE),
        Column("Fin prévue", "planned_end_date", Cell.DATE),
        Column("Fin réelle", "end_date", Cell.DATE),
        Column("Heures par semaine", "weekly_hours", Cell.NUMBER),
        Column("Issue", "outcome", choices=StepOutcome),
    ),
    _step_rows,
)
EXITS = Sheet(
    "sorties",
    "Sorties",
    (
        *_person(),
        Column("Sexe", "participant__sex", choices=Sex),
        *_pathway(),
        Column("Date d'entrée", "entry_date", Cell.DATE),
        Column("Date de sortie", "exit_date", Cell.DATE),
        Column("Durée du parcours (mois)", "length_months", Cell.NUMBER),
        Column("Motif de sortie", "exit_reason", choices=ExitReason),
        Column("Condition de sortie positive", "exit_condition_label"),
        Column("Suivi à six mois prévu le", "follow_up__due_on", Cell.DATE),
        Column("Suivi fait le", "follow_up__done_on", Cell.DATE),
        Column("Situation à six mois", "follow_up__situation", choices=FollowUpSituation),
    ),
    _exit_rows,
)
SHEETS = (PARTICIPANTS, STEPS, EXITS)


def _rows(sheet: Sheet, date_from, date_to):
    for row in sheet.rows(date_from, date_to).iterator(chunk_size=CHUNK):
        if "length_days" in row:
            days = row.pop("length_days")
            row["length_months"] = days / MONTH_DAYS if days is not None else None
        yield row


def count_rows(date_from, date_to) -> int:
    """Rows of the three sheets together (headers apart), for the progress bar."""
    return sum(sheet.rows(date_from, date_to).count() for sheet in SHEETS)


class _Counter:
    """Calls `progress` every CHUNK rows, and once at the end."""

    def __init__(self, total: int, progress: Progress | None):
        self.done, self.total, self.progress = 0, total, progress

    def add(self) -> None:
        self.done += 1
        if self.progress and self.done % CHUNK == 0:
            self.progress(self.done, self.total)

    def finish(self) -> None:
        if self.progress:
            self.progress(self.done, self.total)


def _write_xlsx(target: Path, period, include_sensitive: bool, counter: _Counter) -> None:
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in SHEETS:
        columns = sheet.visible_columns(include_sensitive)
        worksheet = workbook.create_sheet(sheet.title)
        worksheet.freeze_panes = "A2"
        # Ready to sort and filter: bold headers, a filter, columns as wide as their header.
        last = get_column_letter(len(columns))
        worksheet.auto_filter.ref = f"A1:{last}1"
        for index, column in enumerate(columns, start=1):
            width = min(max(len(column.header), 10) + 4, 45)
            worksheet.column_dimensions[get_column_letter(index)].width = width
        headers = []
        for column in columns:
            cell = WriteOnlyCell(worksheet, column.header)
            cell.font = bold
            headers.append(cell)
        worksheet.append(headers)
        for row in _rows(sheet, *period):
            worksheet.append([xlsx_cell(worksheet, column.value(row)) for column in columns])
            counter.add()
    workbook.save(target)


def _write_csv_zip(target: Path, period, include_sensitive: bool, counter: _Counter) -> None:
    now = timezone.localtime().timetuple()[:6]
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for sheet in SHEETS:
            columns = sheet.visible_columns(include_sensitive)
            entry_info = zipfile.ZipInfo(f"{sheet.name}.csv", date_time=now)
            entry_info.compress_type = zipfile.ZIP_DEFLATED
            entry_info.external_attr = 0o644 << 16  # readable once unpacked
            with (
                archive.open(entry_info, "w") as entry,
                io.TextIOWrapper(entry, encoding=CSV_ENCODING, newline="") as stream,
            ):
                writer = csv_writer(stream)
                writer.writerow([column.header for column in columns])
                for row in _rows(sheet, *period):
                    writer.writerow([column.text(row) for column in columns])
                    counter.add()


WRITERS = {"xlsx": _write_xlsx, "csv": _write_csv_zip}


def write_extraction(
    path: Path,
    *,
    file_format: str,
    date_from,
    date_to,
    include_sensitive: bool,
    progress: Progress | None = None,
) -> int:
    """Writes the extraction of the period to `path` (XLSX, or a ZIP of three CSV files);
    returns the number of rows written."""
    if file_format not in WRITERS:
        raise ValueError(f"Format inconnu : « {file_format} ». Choisissez xlsx ou csv.")
    if date_to < date_from:
        raise ValueError(
            f"La période se termine le {formatting.day(date_to)}, avant son début le "
            f"{formatting.day(date_from)} : inversez les deux dates."
        )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    counter = _Counter(count_rows(date_from, date_to), progress)
    handle, temporary = tempfile.mkstemp(suffix=f".{file_format}.part", dir=path.parent)
    os.close(handle)
    try:
        WRITERS[file_format](Path(temporary), (date_from, date_to), include_sensitive, counter)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)
    counter.finish()
    return counter.done
