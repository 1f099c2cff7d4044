"""Helpers of the import/export tests: a frozen day, the example's partners, row counts."""

import datetime
import shutil
from pathlib import Path

import pytest
import time_machine

from plie.participants.models import Participant, Referral
from plie.pathways.models import Contact, Pathway, Step
from tests.factories import PrescriberFactory

TODAY = datetime.date(2026, 11, 23)
EXAMPLE = Path(__file__).parent / "example"
MODELS = (Participant, Referral, Pathway, Step, Contact)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False):
        yield


@pytest.fixture
def partners(referent):
    """What the documented example names: the référente and two prescribers."""
    PrescriberFactory(name="France Travail Dijon")
    PrescriberFactory(name="Conseil départemental de la Côte-d'Or")
    return referent


@pytest.fixture
def example(tmp_path, partners) -> Path:
    """A copy of the documented example, free to be spoiled by a test."""
    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    return folder


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in MODELS)


def read_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8-sig").splitlines()


def write_lines(path: Path, lines: list[str], encoding: str = "utf-8") -> None:
    path.write_text("\n".join(lines) + "\n", encoding=encoding)


def replace_cell(path: Path, line: int, header: str, value: str) -> None:
    """Put `value` in column `header` of line `line` (1 = the header line) of a `;` CSV."""
    lines = read_lines(path)
    headers = lines[0].split(";")
    cells = lines[line - 1].split(";")
    cells[headers.index(header)] = value
    lines[line - 1] = ";".join(cells)
    write_lines(path, lines)
