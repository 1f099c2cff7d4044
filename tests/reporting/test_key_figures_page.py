"""The key figures page: the seed's block for a year, for the coordination and the steering
committee; small counts hidden from the latter; nobody else."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from plie.participants.enums import ExitReason, PathwayStatus
from plie.reporting.indicators import key_figures
from tests.factories import active_pathway

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False):
        yield


def people(referent, count: int, **fields):
    return [
        active_pathway(referent, entry_date=datetime.date(2026, 2, 5), **fields)
        for _ in range(count)
    ]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 200),
        ("project_officer", 200),
        ("assistant", 200),
        ("steering_viewer", 200),
        ("referent", 403),
        ("provider", 403),
        ("administrator", 403),
    ],
)
def test_who_reads_the_key_figures(client, request, territory, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("reporting:key_figures")).status_code == status


def test_the_page_shows_the_computed_block(client, referent, coordinator):
    people(referent, 6)
    exited = people(referent, 2)
    for pathway in exited:
        pathway.status = PathwayStatus.EXITED
        pathway.exit_date = datetime.date(2026, 9, 1)
        pathway.exit_reason = ExitReason.POSITIVE
        pathway.save()
    expected = key_figures(datetime.date(2026, 1, 1), datetime.date(2026, 11, 23))
    client.force_login(coordinator)
    page = client.get(reverse("reporting:key_figures"), {"annee": "2026"}).content.decode()
    assert expected.people_accompanied == 8 and expected.active_caseload == 6
    assert "File active au 23/11/2026" in page
    assert '<dd class="display-6 mb-0">8</dd>' in page
    assert '<dd class="display-6 mb-0">100\u00a0%</dd>' in page  # women, positive exits
    assert '<dd class="display-6 mb-0">23</dd>' in page  # communes


def test_the_steering_viewer_sees_small_counts_hidden_and_no_name(
    client, referent, steering_viewer
):
    people(referent, 1, last_name="Zidane")
    client.force_login(steering_viewer)
    page = client.get(reverse("reporting:key_figures")).content.decode()
    assert '<dd class="display-6 mb-0">&lt; 5</dd>' in page
    assert "ZIDANE" not in page and "Zidane" not in page
    assert "100\u00a0%" not in page  # shares of one person hidden too


def card(page: str, key: str) -> tuple[str, str, str]:
    """A figure's card: its label, its value, and the line of the year before."""
    block = re.search(rf'<dl class="mb-0" id="chiffre-{key}">(.*?)</dl>', page, re.DOTALL)
    label, value, previous = re.findall(r"<d[td][^>]*>(.*?)</d[td]>", block.group(1), re.DOTALL)
    return re.sub(r"<[^>]+>", "", label), value, previous


def test_each_figure_is_beside_the_same_days_of_the_year_before(client, referent, coordinator):
    people(referent, 6)  # in 2026
    for pathway in people(referent, 2):
        pathway.entry_date = datetime.date(2025, 3, 1)
        pathway.save()
    client.force_login(coordinator)
    page = client.get(reverse("reporting:key_figures"), {"annee": "2026"}).content.decode()
    assert card(page, "people_accompanied") == (
        "Personnes accompagnées",
        "8",
        "2025 au 23/11/2025 : 2",
    )
    assert card(page, "entries") == ("Entrées", "6", "2025 au 23/11/2025 : 2")
    assert card(page, "positive_exit_rate")[1:] == ("—", "2025 au 23/11/2025 : —")
    # A full year is beside the full year before.
    page = client.get(reverse("reporting:key_figures"), {"annee": "2025"}).content.decode()
    assert card(page, "people_accompanied") == ("Personnes accompagnées", "2", "2024 : 0")
    # Each label leads to its definition.
    assert f'href="{reverse("reporting:definitions")}#entrees"' in page


def test_the_average_caseload_counts_each_day_of_the_year(client, referent, coordinator):
    people(referent, 6)  # from 5 February to 23 November: 292 of the year's 327 days so far
    client.force_login(coordinator)
    page = client.get(reverse("reporting:key_figures"), {"annee": "2026"}).content.decode()
    assert card(page, "average_caseload")[:2] == ("File active moyenne", "5")  # 6 × 292 / 327
    assert card(page, "active_caseload")[:2] == ("File active au 23/11/2026", "6")


@pytest.mark.parametrize("asked", ["abcd", "1999", "2031"])
def test_a_year_not_available_says_so_and_shows_this_year(client, coordinator, asked):
    client.force_login(coordinator)
    page = client.get(reverse("reporting:key_figures"), {"annee": asked}).content.decode()
    this_year = timezone.localdate().year
    assert escape(f"L'année « {asked} » n'est pas disponible") in page
    assert f"<h1>Chiffres clés {this_year}</h1>" in page


# The definitions ----------------------------------------------------------------------------


def test_the_definitions_are_the_indicators_document_as_a_page(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("reporting:definitions")).content.decode()
    assert '<h1 id="indicateurs-du-plie-definitions">Indicateurs du PLIE : définitions</h1>' in page
    assert '<a href="#conventions-communes">Conventions communes</a>' in page  # contents
    assert '<h3 id="file-active-a-une-date-stock">File active à une date (stock)</h3>' in page
    assert "Dans le code" not in page and "Clés JSON" not in page  # for developers only
    assert "<table>" in page and "<th>" in page
    assert "une sortie le jour J ne compte plus" in page  # an edge case
    assert '<a href="#dates-et-durees">Dates et durées</a>' in page
    figures = client.get(reverse("reporting:key_figures")).content.decode()
    assert f'href="{reverse("reporting:definitions")}"' in figures


def test_the_definitions_page_speaks_to_its_readers_not_to_developers(client, steering_viewer):
    """The trial read code names, file paths and command options on a page the steering
    committee opens: the page names each figure by its label and leaves the rest out."""
    client.force_login(steering_viewer)
    page = client.get(reverse("reporting:definitions")).content.decode()
    for developers_only in (
        "people_accompanied",
        "reporting/catalogue.py",
        "core/formatting.py",
        "--budget",
        "JSON",
        "NEUTRAL_EXIT_REASONS",
        "breakdown(",
        "STEP_BEFORE_ENTRY_DAYS",
        "alert_days_not_seen",
        "<!--",
    ):
        assert developers_only not in page, developers_only
    assert "« Sorties positives » ÷" in page  # a figure's code name read as its label
    assert "45 jours par défaut" in page  # the sentence around a left-out passage stays


def test_the_definitions_ask_for_a_login_and_say_when_they_are_not_installed(
    client, steering_viewer, monkeypatch, tmp_path
):
    from plie.reporting import definitions

    assert client.get(reverse("reporting:definitions")).status_code == 302
    client.force_login(steering_viewer)
    assert client.get(reverse("reporting:definitions")).status_code == 200
    monkeypatch.setattr(definitions, "DEFINITIONS", tmp_path / "absent.md")
    assert client.get(reverse("reporting:definitions")).status_code == 404
