"""The importer (`plie import`, exchange/importer.py) fed spoiled copies of the documented
example (tests/exchange/example, docs/import-format.md) by Hypothesis: hostile cells, files
in other encodings, NUL bytes, huge cells, rows with too few or too many cells, broken
quoting, CSV folders and XLSX workbooks, a workbook that is not one.

Whatever the files: no traceback — the import returns its French problems; all or nothing —
when it refuses, not one row of the database changed; when it accepts, every row it wrote
has no hidden character in its texts, passes `full_clean()` and keeps its dates between 1900
and ten years ahead. Each import runs in a savepoint rolled back after it."""

import csv
import datetime
import io
import shutil
import zipfile
from pathlib import Path

import pytest
import time_machine
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from plie.exchange.importer import import_path
from tests.factories import PrescriberFactory
from tests.fuzz import budget
from tests.fuzz.database import changes, snapshot, stored_problems
from tests.fuzz.values import BROKEN_DATES, HIDDEN, NUMBERS, VISIBLE, boundary_dates, hostile_texts

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

EXAMPLE = Path(__file__).parent.parent / "exchange" / "example"
FILES = sorted(path.name for path in EXAMPLE.glob("*.csv"))


@pytest.fixture
def partners(referent):
    """What the documented example names: the référente and two prescribers; its day."""
    PrescriberFactory(name="France Travail Dijon")
    PrescriberFactory(name="Conseil départemental de la Côte-d'Or")
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False):
        yield referent


def example_rows() -> dict[str, list[list[str]]]:
    rows = {}
    for name in FILES:
        with (EXAMPLE / name).open(encoding="utf-8-sig", newline="") as stream:
            rows[name] = list(csv.reader(stream, delimiter=";"))
    return rows


# Past the csv module's limit (131,072 characters): the line is declared unreadable.
LONGEST_CELL = 140_000


def cell_values():
    return st.one_of(
        hostile_texts(longest=LONGEST_CELL),
        st.sampled_from(BROKEN_DATES + boundary_dates() + NUMBERS + HIDDEN[1:] + VISIBLE),
        st.sampled_from(["", "oui", "non", "1", "0", "SI-1001", "SI-P-701", "referente"]),
    )


@st.composite
def spoiled_rows(draw, rows):
    """The example's rows with one to five cells changed, rows cut or lengthened, columns
    renamed, a header doubled."""
    rows = {name: [list(row) for row in table] for name, table in rows.items()}
    for _ in range(draw(st.integers(1, 5))):
        name = draw(st.sampled_from(FILES))
        table = rows[name]
        if not table:
            continue
        line = draw(st.integers(0, len(table) - 1))
        how = draw(st.sampled_from(["cell"] * 6 + ["cut", "longer", "header", "empty", "copy"]))
        if how == "cell" or (how == "header" and line == 0):
            column = draw(st.integers(0, len(table[line]) - 1)) if table[line] else 0
            if table[line]:
                table[line][column] = draw(cell_values())
        elif how == "cut":
            table[line] = table[line][: draw(st.integers(0, max(0, len(table[line]) - 1)))]
        elif how == "longer":
            table[line] = table[line] + draw(st.lists(cell_values(), min_size=1, max_size=3))
        elif how == "empty":
            rows[name] = draw(st.sampled_from([[], [table[0]]]))
        elif how == "copy":
            table.append(list(table[line]))  # the same key twice
    return rows


def write_csv(folder: Path, rows, draw) -> None:
    folder.mkdir()
    for name, table in rows.items():
        text = io.StringIO()
        csv.writer(
            text, delimiter=";", lineterminator=draw(st.sampled_from(["\n", "\r\n"]))
        ).writerows(table)
        content = text.getvalue()
        spoil = draw(st.sampled_from(["none"] * 8 + ["encoding", "bytes", "quote", "bom"]))
        if spoil == "encoding":
            encoding = draw(st.sampled_from(["cp1252", "latin-1", "utf-16", "utf-16-le"]))
            data = content.encode(encoding, errors="replace")
        else:
            data = content.encode("utf-8")
        if spoil == "bytes":
            at = draw(st.integers(0, len(data)))
            noise = draw(st.binary(min_size=1, max_size=8))
            data = data[:at] + noise + data[at:]
        elif spoil == "quote":
            at = draw(st.integers(0, len(data)))
            data = data[:at] + b'"' + data[at:]
        elif spoil == "bom":
            data = b"\xef\xbb\xbf" + data
        (folder / name).write_bytes(data)


def write_xlsx(path: Path, rows, draw) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, table in rows.items():
        sheet = workbook.create_sheet(name.removesuffix(".csv"))
        for row in table:
            sheet.append([typed(draw, value) for value in row])
    workbook.save(path)
    spoil = draw(st.sampled_from(["none"] * 6 + ["truncated", "not a workbook"]))
    data = path.read_bytes()
    if spoil == "truncated":
        path.write_bytes(data[: draw(st.integers(0, len(data) - 1))])
    elif spoil == "not a workbook":
        path.write_bytes(draw(st.sampled_from([b"", b"id;nom\n1;x\n", b"PK\x03\x04garbage"])))


def typed(draw, value):
    """A cell as a spreadsheet holds it: sometimes a number, a date, a boolean, a formula."""
    kind = draw(st.sampled_from(["text"] * 5 + ["number", "date", "bool", "formula", "none"]))
    if kind == "number":
        return draw(st.one_of(st.integers(-(2**70), 2**70), st.floats(allow_nan=False)))
    if kind == "date":
        return draw(st.datetimes(min_value=datetime.datetime(1, 1, 1)))
    if kind == "bool":
        return draw(st.booleans())
    if kind == "formula":
        return draw(st.sampled_from(["=1/0", "=A1", '=HYPERLINK("http://exemple.invalid")']))
    if kind == "none":
        return None
    # openpyxl refuses control characters in a cell: they come through the "xml" spoiling.
    return "".join(c for c in str(value) if c >= " " or c in "\t\n\r")[:32_767]


def imported(path, by) -> list[str]:
    """Import as `by` (`plie import --user`) in a savepoint rolled back after it; what went
    wrong."""
    problems = []
    with transaction.atomic():
        before = snapshot()
        report = import_path(path, by=by)  # a traceback fails the test here
        changed = changes(before, snapshot())
        if not report.ok:
            if changed:
                problems.append(
                    f"import refusé mais écrit : {sorted(m._meta.label for m in changed)}"
                )
            lines = [str(problem) for problem in report.problems]
            if not all(line.strip() for line in lines):
                problems.append(f"un problème sans message : {lines}")
        problems += stored_problems(before, changed)
        transaction.set_rollback(True)
    return problems


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_the_importer_fed_spoiled_files(tmp_path, partners, form, record_property):
    rows = example_rows()
    tally = {"sent": 0}

    @settings(
        max_examples=budget.examples_per_import(),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.data())
    def importing(data):
        spoiled = data.draw(spoiled_rows(rows))
        tally["sent"] += 1
        place = tmp_path / f"essai-{tally['sent']}"
        if form == "csv":
            write_csv(place, spoiled, data.draw)
        else:
            place = place.with_suffix(".xlsx")
            write_xlsx(place, spoiled, data.draw)
        try:
            problems = imported(place, partners)
        finally:
            shutil.rmtree(place, ignore_errors=True) if place.is_dir() else place.unlink()
        assert not problems, "\n".join(problems)

    importing()
    record_property("fuzz_inputs", tally["sent"])
    print(f"fuzz import {form} : {tally['sent']} imports")


def test_the_example_itself_is_imported(tmp_path, partners):
    """The fuzzer spoils a valid import: unspoiled, it goes through."""
    (tmp_path / "dossiers").mkdir()
    for name in FILES:
        shutil.copy(EXAMPLE / name, tmp_path / "dossiers" / name)
    with transaction.atomic():
        report = import_path(tmp_path / "dossiers")
        transaction.set_rollback(True)
    assert report.ok, report.summary()


def test_a_workbook_with_a_damaged_sheet_is_refused_in_french(tmp_path, partners):
    """A sheet whose XML holds a character XML 1.0 does not allow (openpyxl never writes
    one; another program or a damaged file may): a French problem, not a traceback."""
    path = tmp_path / "dossiers.xlsx"
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, table in example_rows().items():
        sheet = workbook.create_sheet(name.removesuffix(".csv"))
        for row in table:
            sheet.append(row)
    workbook.save(path)
    with zipfile.ZipFile(path) as original:
        parts = {item: original.read(item) for item in original.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(b"<c ", b'<c t="inlineStr"><is><t>&#0;</t></is></c><c ', 1)
    with zipfile.ZipFile(path, "w") as spoiled:
        for item, content in parts.items():
            spoiled.writestr(item, content)
    assert imported(path, partners) == []


def test_an_over_long_cell_is_refused_in_french(tmp_path, partners):
    rows = example_rows()
    rows["contacts.csv"][1][5] = "x" * 140_000
    folder = tmp_path / "dossiers"
    folder.mkdir()
    for name, table in rows.items():
        with (folder / name).open("w", encoding="utf-8", newline="") as stream:
            csv.writer(stream, delimiter=";").writerows(table)
    assert imported(folder, partners) == []


def import_with_cell(tmp_path, by, value: str) -> list[str]:
    rows = example_rows()
    rows["contacts.csv"][1][0] = value  # the `id` of the first contact
    folder = tmp_path / "dossiers"
    folder.mkdir()
    for name, table in rows.items():
        with (folder / name).open("w", encoding="utf-8", newline="") as stream:
            csv.writer(stream, delimiter=";").writerows(table)
    return imported(folder, by)


def test_a_nul_byte_in_a_cell_is_refused(tmp_path, partners):
    assert import_with_cell(tmp_path, partners, "SI-C-\x001") == []


@pytest.mark.parametrize("hidden", ["\u202e", "\u200b", "\x1b"])
def test_a_hidden_character_in_an_identifier_is_refused(tmp_path, partners, hidden):
    assert import_with_cell(tmp_path, partners, f"SI-C-{hidden}1") == []
