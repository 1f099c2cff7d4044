"""The monthly extraction: the participants accompanied over a period, their steps and
their exits, as the assistant reads them in a spreadsheet (labels, not codes).

The three sheets are declared as data (`SHEETS`: the columns of the one spreadsheet
writer, core.spreadsheets, each reading its row through a `Field` that knows whether it is
sensitive, as the personal-data register says of the field it reads
(core.register)); the XLSX workbook, the CSV files and the tests all read these declarations.
Rows are streamed from `values()` querysets in chunks and written as they come (openpyxl's
write-only mode, a ZIP entry opened for writing), so that memory stays the same whatever
the size. The file is written beside its target and renamed at the end: a failed
extraction leaves no half file behind.

Which rows: the same sets as the indicators (docs/indicators.md): a pathway in the
caseload on at least one day of the period, its steps that ran during the period, and the
exits dated in the period.
"""

from __future__ import annotations

import dataclasses
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

from plie.core import formatting
from plie.core.expressions import MonthsBetween
from plie.core.register import entries_along
from plie.core.spreadsheets import (
    DAY,
    EXACT,
    INTEGER,
    TEXT,
    CellFormat,
    Column,
    Decimals,
    Table,
    write_csv,
    write_xlsx,
    written_in_place,
)
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
from plie.pathways.selectors import exited_in, present_on
from plie.reporting.dimensions import age_at_entry
from plie.reporting.indicators import accompanied_pathways, scope

CHUNK = 2000
MASKED = HIDDEN_EXIT_REASON
# Values that say something about health, in columns everyone of the team may read, and
# those merged with them under one label (participants.enums.MERGED_WHEN_HIDDEN).
SENSITIVE_VALUES = {ExitReason: MERGED_WHEN_HIDDEN}
Progress = Callable[[int, int], None]  # (rows written, rows in all)
MONTHS = Decimals(formatting.MONTHS.decimals)  # durations, to the project's rounding rule


@dataclasses.dataclass(frozen=True)
class Field:
    """How a cell is read from the sheet's `values()` row: as it is, as a choice's French
    label or as « Oui »/« Non »; `source` names the field a computed key comes from, for the
    personal-data register to say whether it is sensitive."""

    key: str  # a field path or an annotation of the sheet's values() row
    choices: type | None = None  # TextChoices whose label is written
    yes_no: bool = False
    source: str = ""  # for a computed key: the field path it is computed from
    masked: frozenset = frozenset()  # values replaced by MASKED (set by `Sheet.columns_for`)

    def __call__(self, row: dict):
        value = row[self.key]
        if value is None or value == "":
            return None
        if value in self.masked:
            return MASKED
        if self.choices is not None:
            return str(self.choices(value).label)
        if self.yes_no:
            return "Oui" if value else "Non"
        return value


def _column(header: str, key: str, cell: CellFormat = TEXT, **field) -> Column:
    return Column(header, Field(key, **field), cell)


def _yes_no(header: str, key: str, *, source: str = "") -> Column:
    return _column(header, key, yes_no=True, source=source)


@dataclasses.dataclass(frozen=True)
class Sheet:
    name: str  # CSV file name (plain letters, for any system)
    title: str  # the workbook's tab
    model: str  # "app_label.Model" of the rows, from which the columns' paths start
    columns: tuple[Column, ...]
    rows: Callable[..., QuerySet]  # (date_from, date_to) → values() queryset

    def is_sensitive(self, column: Column) -> bool:
        """Whether the column reads a field the personal-data register calls sensitive."""
        return any(
            entry.sensitive
            for entry in entries_along(self.model, column.read.source or column.read.key)
        )

    @property
    def keys(self) -> set[str]:
        return {column.read.key for column in self.columns}

    def visible_columns(self, include_sensitive: bool) -> list[Column]:
        """The columns written; without sensitive data, sensitive values of an ordinary
        column (an exit « for health reasons ») are written as MASKED."""
        if include_sensitive:
            return list(self.columns)
        return [
            dataclasses.replace(
                column,
                read=dataclasses.replace(
                    column.read, masked=SENSITIVE_VALUES.get(column.read.choices, frozenset())
                ),
            )
            for column in self.columns
            if not self.is_sensitive(column)
        ]


def _referent_name(prefix: str = "") -> Concat:
    return Concat(f"{prefix}referent__first_name", Value(" "), f"{prefix}referent__last_name")


def _person(prefix: str = "") -> tuple[Column, ...]:
    return (
        _column("N° de dossier", f"{prefix}participant__file_number"),
        _column("Nom", f"{prefix}participant__last_name"),
        _column("Prénom", f"{prefix}participant__first_name"),
    )


def _pathway(prefix: str = "") -> tuple[Column, ...]:
    return (
        _column("Parcours n°", f"{prefix}number", INTEGER),
        _column("Référent(e)", "referent_name", source=f"{prefix}referent"),
        _column("Structure du référent", f"{prefix}referent__organisation__name"),
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
        .values(*PARTICIPANTS.keys)
    )


def _step_rows(date_from, date_to) -> QuerySet:
    pathways = accompanied_pathways(date_from, date_to)
    return (
        Step.objects.filter(pathway__in=pathways, start_date__lte=date_to)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=date_from))
        .order_by("pathway__participant__file_number", "pathway__number", "start_date", "pk")
        .annotate(referent_name=_referent_name("pathway__"))
        .values(*STEPS.keys)
    )


def _exit_rows(date_from, date_to) -> QuerySet:
    return (
        scope()
        .filter(exited_in(date_from, date_to))
        .order_by("exit_date", "participant__file_number", "number")
        .annotate(
            referent_name=_referent_name(),
            length_months=MonthsBetween("exit_date", "entry_date"),
        )
        .values(*EXITS.keys)
    )


PARTICIPANTS = Sheet(
    "participants",
    "Participants",
    "pathways.Pathway",
    (
        *_person(),
        _column("Sexe", "participant__sex", choices=Sex),
        _column("Date de naissance", "participant__birth_date", DAY),
        _column("Âge à l'entrée", "age", INTEGER, source="participant__birth_date"),
        _column("Téléphone", "participant__phone"),
        _column("Courriel", "participant__email"),
        _column("Commune", "participant__commune__name"),
        _column("Code INSEE", "participant__commune__insee_code"),
        _column("Quartier prioritaire (QPV)", "participant__qpv__name"),
        _column("Nationalité", "participant__nationality", choices=Nationality),
        _yes_no("Autorisé(e) à travailler", "participant__right_to_work"),
        *_pathway(),
        _column("Prescripteur", "referral__prescriber__name"),
        _column("Date d'orientation", "referral__referred_on", DAY),
        _column("Date d'entrée", "entry_date", DAY),
        _column("État du parcours", "status", choices=PathwayStatus),
        _column("Date de sortie", "exit_date", DAY),
        _column("Motif de sortie", "exit_reason", choices=ExitReason),
        _column(
            "Situation sur le marché du travail",
            "labour_market_status",
            choices=LabourMarketStatus,
        ),
        _yes_no("Inscrit(e) à France Travail", "registered_job_seeker"),
        _column("Sans emploi depuis", "out_of_work_since", DAY),
        _column("Niveau de formation", "education_level__label"),
        _column("Diplôme le plus élevé", "highest_diploma"),
        _yes_no("Bénéficiaire du RSA", "receives_rsa"),
        _yes_no("Autres minima sociaux", "receives_other_minimum_benefits"),
        _yes_no("Handicap reconnu (RQTH)", "disability"),
        _yes_no("Affection de longue durée", "long_term_illness"),
        _yes_no("Sous main de justice", "justice_measure"),
        _yes_no("Parent isolé", "single_parent"),
        _column("Enfants à charge", "dependent_children", INTEGER),
        _yes_no("Sans domicile ou exclu(e) du logement", "homeless_or_housing_exclusion"),
        _yes_no("Dans la file active en fin de période", "in_caseload_at_end", source="exit_date"),
        _yes_no("Étape en cours en fin de période", "step_at_end", source="steps__end_date"),
        _column(
            "Contacts dans la période",
            "contacts_in_period",
            INTEGER,
            source="contacts__contacted_on",
        ),
        _column("Dernier contact", "last_contact", DAY, source="contacts__contacted_on"),
    ),
    _participant_rows,
)
STEPS = Sheet(
    "etapes",
    "Étapes",
    "pathways.Step",
    (
        *_person("pathway__"),
        *_pathway("pathway__"),
        _column("Famille d'étape", "step_type__category", choices=StepCategory),
        _column("Type d'étape", "step_type__label"),
        _column("Employeur ou organisme", "organisation_name"),
        _column("Début", "start_date", DAY),
        _column("Fin prévue", "planned_end_date", DAY),
        _column("Fin réelle", "end_date", DAY),
        _column("Heures par semaine", "weekly_hours", EXACT),
        _column("Issue", "outcome", choices=StepOutcome),
    ),
    _step_rows,
)
EXITS = Sheet(
    "sorties",
    "Sorties",
    "pathways.Pathway",
    (
        *_person(),
        _column("Sexe", "participant__sex", choices=Sex),
        *_pathway(),
        _column("Date d'entrée", "entry_date", DAY),
        _column("Date de sortie", "exit_date", DAY),
        _column("Durée du parcours (mois)", "length_months", MONTHS, source="exit_date"),
        _column("Motif de sortie", "exit_reason", choices=ExitReason),
        _column("Condition de sortie positive", "exit_condition_label"),
        _column("Suivi à six mois prévu le", "follow_up__due_on", DAY),
        _column("Suivi fait le", "follow_up__done_on", DAY),
        _column("Situation à six mois", "follow_up__situation", choices=FollowUpSituation),
    ),
    _exit_rows,
)
SHEETS = (PARTICIPANTS, STEPS, EXITS)


def _rows(sheet: Sheet, date_from, date_to):
    yield from sheet.rows(date_from, date_to).iterator(chunk_size=CHUNK)


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


def _tables(period, include_sensitive: bool):
    for sheet in SHEETS:
        columns = sheet.visible_columns(include_sensitive)
        yield Table(sheet.name, sheet.title, columns, _rows(sheet, *period))


def _write_xlsx(target: Path, period, include_sensitive: bool, counter: _Counter) -> None:
    write_xlsx(target, _tables(period, include_sensitive), counter.add)


def _write_csv_zip(target: Path, period, include_sensitive: bool, counter: _Counter) -> None:
    now = timezone.localtime().timetuple()[:6]
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in _tables(period, include_sensitive):
            entry_info = zipfile.ZipInfo(f"{table.name}.csv", date_time=now)
            entry_info.compress_type = zipfile.ZIP_DEFLATED
            entry_info.external_attr = 0o644 << 16  # readable once unpacked
            with archive.open(entry_info, "w") as entry:
                write_csv(entry, table, counter.add)


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
    counter = _Counter(count_rows(date_from, date_to), progress)
    with written_in_place(path, suffix=f".{file_format}.part") as temporary:
        WRITERS[file_format](temporary, (date_from, date_to), include_sensitive, counter)
    counter.finish()
    return counter.done
