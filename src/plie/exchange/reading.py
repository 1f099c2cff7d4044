"""Reading an import: a folder of CSV files or one XLSX workbook, row by row.

A CSV file must be UTF-8 (with or without BOM; anything else gets one message that says
how to save it as "CSV UTF-8"); its separator is `;` or `,`, told apart on the header
line, which never contains either; a text the export neutralised against formulas (a
leading apostrophe, core.spreadsheets) is read as it was before. A workbook is read in
openpyxl's read-only mode. Both
give the same thing: for each kind of row, a `Table` whose rows are streamed with their
line number, each cell matched to its declared column (formats.py). Rows are read twice
(once to check, once to write), so nothing but the current row is held in memory.
"""

from __future__ import annotations

import abc
import codecs
import contextlib
import csv
import dataclasses
from collections.abc import Iterator
from pathlib import Path

from plie.core.plurals import noun_for
from plie.core.spreadsheets import restored

from .formats import KINDS, KINDS_BY_NAME, Column, Kind
from .values import normalise

ENCODING_ADVICE = (
    "enregistrez-le au format « CSV UTF-8 » (Excel : Fichier › Enregistrer sous › "
    "« CSV UTF-8 (délimité par des virgules) » ; LibreOffice : cochez « Éditer les "
    "paramètres du filtre » et choisissez le jeu de caractères « Unicode (UTF-8) »), "
    "puis relancez l'import"
)


@dataclasses.dataclass(frozen=True)
class Problem:
    """One reason the import cannot go ahead, where it was found, in French."""

    source: str
    line: int | None
    message: str
    order: tuple = ()

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.source} : {self.message}"
        return f"{self.source}, ligne {self.line} : {self.message}"


def header_key(text) -> str:
    """Headers are matched ignoring case, accents, and spaces or apostrophes for underscores."""
    key = normalise("" if text is None else str(text))
    for character in " -'":
        key = key.replace(character, "_")
    return key


@dataclasses.dataclass(frozen=True)
class Unreadable:
    """A line that could not be cut into cells, and why (in French)."""

    message: str


@dataclasses.dataclass
class Row:
    line: int
    cells: dict[str, object]  # header -> raw value (str from a CSV, a typed cell from XLSX)
    problems: list[str]


class Table(abc.ABC):
    """One kind's rows in a source; `bind()` checks the header, `rows()` streams the lines."""

    strict_width = True  # a CSV line has as many values as the header has columns

    def __init__(self, kind: Kind, label: str):
        self.kind = kind
        self.label = label
        self.columns: list[tuple[int, Column]] = []
        self.ignored: set[int] = set()
        self.width = 0

    def problem(self, message: str, line: int | None = None) -> Problem:
        return Problem(self.label, line, message)

    def bind(self) -> list[Problem]:
        """Match the header with the declared columns; every header problem at once."""
        header = self._header()
        if header is None:
            return [
                self.problem(
                    "le fichier est vide : la première ligne doit porter les noms de colonnes"
                )
            ]
        known = {header_key(column.header): column for column in self.kind.columns}
        seen: dict[str, int] = {}
        unknown, duplicated = [], []
        for index, title in enumerate(header):
            key = header_key(title)
            if not key:
                self.ignored.add(index)
                continue
            column = known.get(key)
            if column is None:
                unknown.append(str(title).strip()[:60])
            elif column.header in seen:
                duplicated.append(column.header)
            else:
                seen[column.header] = index
                self.columns.append((index, column))
        self.width = len(header)
        problems = []
        missing = [c.header for c in self.kind.columns if c.required and c.header not in seen]
        if missing:
            problems.append(
                self.problem(
                    f"{noun_for(len(missing), 'une colonne obligatoire absente')} : "
                    + ", ".join(missing)
                    + " ; à ajouter à la première ligne"
                )
            )
        if unknown:
            problems.append(
                self.problem(
                    f"{noun_for(len(unknown), 'une colonne inconnue')} : "
                    + ", ".join(unknown)
                    + " ; à supprimer ou à renommer (colonnes possibles : "
                    + ", ".join(self.kind.headers)
                    + ")"
                )
            )
        for name in duplicated:
            problems.append(self.problem(f"la colonne {name} apparaît deux fois : gardez-en une"))
        return problems

    def rows(self) -> Iterator[Row]:
        for line, values in self._lines():
            if isinstance(values, Unreadable):
                yield Row(line, {}, [values.message])
                continue
            if all(
                value is None or (isinstance(value, str) and not value.strip()) for value in values
            ):
                continue
            problems = []
            if len(values) > self.width and any(v not in (None, "") for v in values[self.width :]):
                problems.append(
                    f"{len(values)} valeurs pour {self.width} colonnes : une valeur déborde "
                    "à droite des colonnes (séparateur en trop ou guillemet manquant ?)"
                )
            elif len(values) < self.width and self.strict_width:
                problems.append(
                    f"{len(values)} valeurs pour {self.width} colonnes : la ligne est "
                    "incomplète (séparateur manquant ou retour à la ligne dans une cellule ?)"
                )
            if any(
                index < len(values) and values[index] not in (None, "") for index in self.ignored
            ):
                problems.append(
                    "une valeur se trouve dans une colonne sans nom : nommez la colonne ou videz-la"
                )
            cells = {
                column.header: values[index] if index < len(values) else None
                for index, column in self.columns
            }
            yield Row(line, cells, problems)

    @abc.abstractmethod
    def _header(self) -> list | None:
        """The header row's cells (None for an empty file)."""

    @abc.abstractmethod
    def _lines(self) -> Iterator[tuple[int, list | Unreadable]]:
        """(line number, cells) for every row after the header."""


def _looks_like_utf16(start: bytes) -> bool:
    """Its byte-order mark, or ASCII text with every other byte zero (« a\\0b\\0 »)."""
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    return len(start) == 4 and (start[1] == start[3] == 0 or start[0] == start[2] == 0)


class CsvTable(Table):
    def __init__(self, kind: Kind, path: Path):
        super().__init__(kind, path.name)
        self.path = path
        self.delimiter = ";"

    def check_encoding(self) -> Problem | None:
        """The whole file is decoded once, in chunks, before any row is read."""
        decoder = codecs.getincrementaldecoder("utf-8")()
        lines = 1
        with self.path.open("rb") as stream:
            start = stream.read(4)
            stream.seek(0)
            if _looks_like_utf16(start):
                return self.problem(
                    "le fichier est enregistré en UTF-16 (« Texte Unicode » dans Excel), pas en "
                    f"UTF-8 : {ENCODING_ADVICE}"
                )
            while chunk := stream.read(1 << 20):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as error:
                    line = lines + chunk[: error.start].count(b"\n")
                    return self.problem(
                        f"le fichier n'est pas encodé en UTF-8 (caractère illisible ligne {line}, "
                        f"accents probablement enregistrés en Windows-1252) : {ENCODING_ADVICE}"
                    )
                lines += chunk.count(b"\n")
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                return self.problem(
                    f"le fichier se termine par un caractère tronqué : {ENCODING_ADVICE}"
                )
        return None

    def _open(self):
        return self.path.open(encoding="utf-8-sig", newline="")

    def _header(self) -> list | None:
        with self._open() as stream:
            first = stream.readline()
        if not first.strip():
            return None
        counts = {separator: first.count(separator) for separator in (";", ",", "\t")}
        self.delimiter = max(counts, key=lambda separator: counts[separator])
        if not counts[self.delimiter]:
            self.delimiter = ";"
        try:
            return next(csv.reader([first], delimiter=self.delimiter))
        except csv.Error:  # a header cell over the csv module's limit: no column is named so
            return ["(en-tête illisible)"]

    def _lines(self) -> Iterator[tuple[int, list | Unreadable]]:
        with self._open() as stream:
            reader = csv.reader(stream, delimiter=self.delimiter)
            with contextlib.suppress(csv.Error):  # the header: bind() said what is wrong
                next(reader, None)
            start = reader.line_num + 1
            while True:
                try:
                    values = next(reader)
                except StopIteration:
                    return
                except csv.Error:
                    # The csv module's limit (131,072 characters), far beyond any column's
                    # (parsing.py): the rest of the line is skipped, the reading goes on.
                    yield (
                        start,
                        Unreadable(
                            "ligne illisible : une cellule dépasse "
                            f"{csv.field_size_limit():_} caractères".replace("_", " ")
                            + " (un guillemet ouvrant sans guillemet fermant ?) ; "
                            "raccourcissez-la ou fermez le guillemet"
                        ),
                    )
                else:
                    yield start, [restored(value) for value in values]
                start = reader.line_num + 1


class XlsxTable(Table):
    strict_width = False  # a sheet's rows stop at their last filled cell

    def __init__(self, kind: Kind, sheet, label: str):
        super().__init__(kind, label)
        self.sheet = sheet

    def bind(self) -> list[Problem]:
        try:
            return super().bind()
        except Exception as error:  # read lazily: a damaged sheet fails at its first row
            return [self.problem(damaged_sheet(error))]

    def _header(self) -> list | None:
        for values in self.sheet.iter_rows(min_row=1, max_row=1, values_only=True):
            values = list(values)
            while values and values[-1] in (None, ""):
                values.pop()
            return values or None
        return None

    def _lines(self) -> Iterator[tuple[int, list | Unreadable]]:
        rows = self.sheet.iter_rows(min_row=2, values_only=True)
        line = 2
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except Exception as error:  # the sheet's XML is damaged from here on
                yield line, Unreadable(damaged_sheet(error))
                return
            yield line, list(values)
            line += 1


def damaged_sheet(error: Exception) -> str:
    """A sheet that opened (openpyxl reads lazily) but whose rows cannot be read."""
    return (
        f"feuille abîmée, illisible à partir d'ici ({error.__class__.__name__}) : ouvrez le "
        "classeur, enregistrez-le de nouveau au format Classeur Excel (.xlsx), puis relancez "
        "l'import"
    )


class Source:
    """The tables found at a path, and what prevents reading it; closes the workbook."""

    def __init__(self, path: Path):
        self.path = path
        self.tables: dict[str, Table] = {}
        self.problems: list[Problem] = []
        self.workbook = None

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc) -> None:
        if self.workbook is not None:
            self.workbook.close()

    def add_problem(self, message: str, source: str | None = None) -> None:
        self.problems.append(Problem(source or str(self.path), None, message))


EXPECTED_FILES = ", ".join(kind.file_name for kind in KINDS)
EXPECTED_SHEETS = ", ".join(kind.name for kind in KINDS)


def open_source(path) -> Source:
    """Find the tables at `path` (folder of CSV files, one CSV file, or an .xlsx workbook)."""
    path = Path(path)
    source = Source(path)
    if not path.exists():
        source.add_problem(
            "introuvable : donnez le chemin d'un dossier de fichiers CSV ou d'un classeur .xlsx"
        )
        return source
    if path.is_dir():
        _open_folder(source, path)
    elif path.suffix.lower() == ".xlsx":
        _open_workbook(source, path)
    elif path.suffix.lower() == ".csv":
        _add_csv(source, path)
    else:
        source.add_problem(
            "format inconnu : donnez un dossier de fichiers CSV, un fichier .csv ou un "
            "classeur .xlsx"
        )
        return source
    if not source.tables and not source.problems:
        source.add_problem(
            f"aucun fichier à importer : les fichiers attendus sont {EXPECTED_FILES}"
            if path.is_dir()
            else f"aucune feuille à importer : les feuilles attendues sont {EXPECTED_SHEETS}"
        )
    for table in source.tables.values():
        if isinstance(table, CsvTable) and (problem := table.check_encoding()):
            source.problems.append(problem)
            continue
        source.problems.extend(table.bind())
    return source


def _kind_named(name: str) -> Kind | None:
    key = header_key(name)
    return next((kind for kind in KINDS if header_key(kind.name) == key), None)


def _add_csv(source: Source, path: Path) -> None:
    kind = _kind_named(path.stem)
    if kind is None:
        source.add_problem(
            f"fichier inconnu : les fichiers attendus sont {EXPECTED_FILES}", source=path.name
        )
        return
    if kind.name in source.tables:
        source.add_problem(f"deux fichiers pour les {kind.name}", source=path.name)
        return
    source.tables[kind.name] = CsvTable(kind, path)


def _open_folder(source: Source, path: Path) -> None:
    for file in sorted(path.iterdir()):
        if file.is_file() and file.suffix.lower() == ".csv":
            _add_csv(source, file)
    source.tables = {name: source.tables[name] for name in KINDS_BY_NAME if name in source.tables}


def _open_workbook(source: Source, path: Path) -> None:
    from openpyxl import load_workbook

    try:
        source.workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        source.add_problem(
            f"classeur illisible ({error.__class__.__name__}) : enregistrez-le au format "
            "Classeur Excel (.xlsx) puis relancez l'import"
        )
        return
    for sheet in source.workbook.worksheets:
        kind = _kind_named(sheet.title)
        label = f"{path.name}, feuille {sheet.title}"
        if kind is None:
            source.add_problem(
                f"feuille inconnue : les feuilles attendues sont {EXPECTED_SHEETS} ; "
                "supprimez ou renommez celle-ci",
                source=label,
            )
        elif kind.name in source.tables:
            source.add_problem(f"deux feuilles pour les {kind.name}", source=label)
        else:
            source.tables[kind.name] = XlsxTable(kind, sheet, label)
    source.tables = {name: source.tables[name] for name in KINDS_BY_NAME if name in source.tables}
