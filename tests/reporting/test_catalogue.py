"""The indicator catalogue: every figure computed has one entry, every entry a definition in
docs/indicators.md; the average caseload and the previous year's figures it brings."""

import dataclasses
import datetime
import json
import re

import pytest
import time_machine
from django.core.management import call_command

from plie.core.suppression import HIDE_SMALL, SHOW_ALL
from plie.participants.enums import ExitReason, PathwayStatus, Sex
from plie.reporting import catalogue
from plie.reporting.catalogue import CATALOGUE, KEY_FIGURES, QUARTERLY_REVIEW, previous_year
from plie.reporting.definitions import for_readers
from plie.reporting.indicators import Figures, KeyFigures, caseloads_on, figures, key_figures
from tests.factories import PathwayFactory, active_pathway

D = datetime.date
YEAR_START, YEAR_END = D(2026, 1, 1), D(2026, 12, 31)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2027, 1, 15, 10, 0), tick=False):
        yield


def computed_names(cls) -> set[str]:
    """The figures a dataclass of figures holds: its fields and its properties."""
    fields = {field.name for field in dataclasses.fields(cls)} - {"date_from", "date_to"}
    properties = {name for name in dir(cls) if isinstance(getattr(cls, name), property)}
    return fields | properties


def test_every_figure_computed_has_an_entry_and_every_entry_is_computed():
    computed = computed_names(Figures) | computed_names(KeyFigures)
    assert computed - set(CATALOGUE) == set()
    assert set(CATALOGUE) - computed <= set(catalogue.OF_THE_PLIE_ONLY)
    assert set(KEY_FIGURES) <= computed_names(KeyFigures) | set(catalogue.OF_THE_PLIE_ONLY)
    assert set(QUARTERLY_REVIEW) <= computed_names(Figures)


def test_every_figure_has_its_definition_in_the_indicators_document(settings):
    from pathlib import Path

    import markdown

    text = (Path(settings.PROJECT_DIR) / "docs" / "indicators.md").read_text(encoding="utf-8")
    html = markdown.markdown(for_readers(text), extensions=["toc", "tables"])
    anchors = set(re.findall(r'<h[1-6] id="([^"]+)"', html))
    missing = {figure.key: figure.anchor for figure in CATALOGUE.values()}
    assert {key: anchor for key, anchor in missing.items() if anchor not in anchors} == {}
    # And every key is named in the document, where developers look for it.
    assert [key for key in CATALOGUE if f"`{key}`" not in text] == []


def exited(pathway, on, reason=ExitReason.ABANDONED):
    pathway.status = PathwayStatus.EXITED
    pathway.exit_date = on
    pathway.exit_reason = reason
    pathway.save()
    return pathway


@pytest.fixture
def caseload(referent):
    """People who enter and leave at the period's edges, and one who comes back later."""
    active_pathway(referent, entry_date=D(2025, 6, 1))  # all year
    active_pathway(referent, entry_date=YEAR_START)  # from the first day
    active_pathway(referent, entry_date=YEAR_END)  # the last day only
    exited(active_pathway(referent, entry_date=D(2025, 3, 1)), YEAR_START)  # the first day only
    leaving = exited(active_pathway(referent, entry_date=D(2026, 2, 10)), D(2026, 4, 30))
    PathwayFactory(
        participant=leaving.participant,
        number=2,
        referent=referent,
        status=PathwayStatus.ACTIVE,
        entry_date=D(2026, 9, 15),
    )
    active_pathway(referent, entry_date=D(2027, 1, 2))  # after the period


def test_the_average_caseload_is_the_mean_of_every_days_caseload(caseload):
    days = [YEAR_START + datetime.timedelta(days=n) for n in range(365)]
    daily = [load.people for load in caseloads_on(days)]
    assert figures(YEAR_START, YEAR_END).average_caseload == pytest.approx(sum(daily) / 365)
    assert key_figures(YEAR_START, YEAR_END).average_caseload == pytest.approx(sum(daily) / 365)
    march = figures(D(2026, 3, 1), D(2026, 3, 31))
    assert march.average_caseload == pytest.approx(sum(daily[59:90]) / 31)


def test_one_day_gives_that_days_caseload_and_nobody_gives_zero(caseload, territory):
    (load,) = caseloads_on([D(2026, 4, 30)])
    assert figures(D(2026, 4, 30), D(2026, 4, 30)).average_caseload == load.people
    assert figures(D(2020, 1, 1), D(2020, 1, 31)).average_caseload == 0  # before anyone


@pytest.mark.parametrize(
    ("period", "earlier"),
    [
        ((YEAR_START, YEAR_END), (D(2025, 1, 1), D(2025, 12, 31))),
        ((YEAR_START, D(2026, 11, 23)), (D(2025, 1, 1), D(2025, 11, 23))),
        ((D(2028, 1, 1), D(2028, 2, 29)), (D(2027, 1, 1), D(2027, 2, 28))),  # leap day
    ],
)
def test_the_previous_year_is_the_same_days_a_year_earlier(period, earlier):
    assert previous_year(*period) == earlier


def test_a_figure_reads_its_label_format_and_small_count_rule_from_its_entry(referent):
    for _ in range(3):
        active_pathway(referent, entry_date=D(2026, 2, 1), sex=Sex.FEMALE)
    for _ in range(8):
        active_pathway(referent, entry_date=D(2026, 2, 1), sex=Sex.MALE)
    year = key_figures(YEAR_START, YEAR_END)
    assert CATALOGUE["people_accompanied"].text(year, HIDE_SMALL) == "11"
    assert CATALOGUE["share_women"].text(year, SHOW_ALL) == "27\u00a0%"
    assert CATALOGUE["share_women"].text(year, HIDE_SMALL) == "—"  # 3 women: hidden
    assert CATALOGUE["entries"].text(year, HIDE_SMALL) == "11"
    assert CATALOGUE["exits"].text(year, HIDE_SMALL) == "0"
    assert CATALOGUE["active_caseload"].label_on(YEAR_END) == "File active au 31/12/2026"


def run(capsys, *args) -> str:
    call_command("indicators", *args)
    return capsys.readouterr().out


def test_the_command_gives_each_figure_beside_the_previous_years(caseload, capsys):
    payload = json.loads(run(capsys, "--from", "2026-01-01", "--to", "2026-12-31", "--json"))
    earlier = payload["previous_year"]
    assert (earlier["date_from"], earlier["date_to"]) == ("2025-01-01", "2025-12-31")
    assert set(earlier) - {"date_from", "date_to"} == set(CATALOGUE)
    assert (
        earlier["people_accompanied"] == figures(D(2025, 1, 1), D(2025, 12, 31)).people_accompanied
    )
    assert earlier["people_accompanied"] == 2 and payload["people_accompanied"] == 5
    assert payload["average_caseload"] == round(figures(YEAR_START, YEAR_END).average_caseload, 1)
    assert earlier["cost_per_person"] is None  # the budget given is this period's

    text = run(capsys, "--from", "2026-01-01", "--to", "2026-12-31")
    assert "01/01/2026 – 31/12/2026  01/01/2025 – 31/12/2025" in text
    line = next(line for line in text.splitlines() if "Personnes accompagnées" in line)
    assert line.split()[-2:] == ["5", "2"]
    assert "File active moyenne" in text


def test_the_command_can_hide_small_counts_as_for_the_steering_committee(referent, capsys):
    for _ in range(3):
        active_pathway(referent, entry_date=D(2026, 2, 1), sex=Sex.FEMALE)
    for _ in range(9):
        active_pathway(referent, entry_date=D(2026, 3, 1), sex=Sex.MALE)
    args = ("--from", "2026-01-01", "--to", "2026-12-31", "--json")
    shown = json.loads(run(capsys, *args))
    assert (shown["women"], shown["share_women"]) == (3, 0.25)
    hidden = json.loads(run(capsys, *args, "--hide-small", "--by", "sex"))
    assert (hidden["women"], hidden["share_women"]) == ("< 5", None)
    assert hidden["people_accompanied"] == 12
    # 3 women and 9 men add up to the 12 people shown: both go (« masqué »).
    groups = {group["key"]: group["people_accompanied"] for group in hidden["breakdown"]["groups"]}
    assert groups == {"F": "masqué", "M": "masqué"}
    text = run(capsys, *args[:-1], "--hide-small", "--by", "sex")
    assert "Petits effectifs masqués." in text
    assert re.search(r"Femme\s+masqué\s+masqué", text)
