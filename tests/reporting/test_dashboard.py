"""The dashboard: five charts and their tables for the coordination team (whole PLIE or a
référent), a référent (own caseload only) and the steering committee (counts under 5 hidden,
no name); nobody else."""

import dataclasses
import datetime
import re

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plie.core.charts import PRINT_WIDTH, Chart, Series
from plie.core.suppression import MASKED, SMALL
from plie.participants.enums import ExitReason, PathwayStatus
from plie.reporting.dashboard import Dashboard, month_label
from plie.territory.models import Commune
from tests.factories import OrganisationFactory, StepFactory, active_pathway

pytestmark = pytest.mark.django_db

D = datetime.date
FIRST_HALF = {"du": "2026-01-01", "au": "2026-06-30"}
CONDITION = "Emploi durable (CDI ou CDD de six mois et plus)"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False):
        yield


@pytest.fixture
def caseloads(referent, outsider):
    """The référent: three people entered in February (one with a running step), one entered
    in March and out in June (positive exit, from Chenôve). The outsider: two in April."""
    february = [
        active_pathway(referent, entry_date=D(2026, 2, 5), last_name="Alpha") for _ in range(3)
    ]
    StepFactory(pathway=february[0], start_date=D(2026, 2, 10))
    left = active_pathway(
        referent,
        entry_date=D(2026, 3, 10),
        commune=Commune.objects.get(insee_code="21166"),
        last_name="Bravo",
    )
    left.status = PathwayStatus.EXITED
    left.exit_date = D(2026, 6, 15)
    left.exit_reason = ExitReason.POSITIVE
    left.exit_condition_label = CONDITION
    left.save()
    for _ in range(2):
        active_pathway(outsider, entry_date=D(2026, 4, 1), last_name="Charlie")


def table(page: str, slug: str) -> dict[str, list[str]]:
    """The data table beside a chart: {category: [cells]}."""
    body = re.search(rf'<table[^>]*id="tableau-{slug}".*?</table>', page, re.DOTALL).group(0)
    rows = re.findall(r'<tr><th scope="row"[^>]*>(.*?)</th>(.*?)</tr>', body, re.DOTALL)
    return {label: re.findall(r"<td[^>]*>(.*?)</td>", cells) for label, cells in rows}


def dashboard(client, user, **params) -> str:
    client.force_login(user)
    response = client.get(reverse("reporting:dashboard"), params or FIRST_HALF)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 200),
        ("project_officer", 200),
        ("assistant", 200),
        ("referent", 200),
        ("steering_viewer", 200),
        ("provider", 403),
        ("administrator", 403),
    ],
)
def test_who_reads_the_dashboard(client, request, territory, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("reporting:dashboard")).status_code == status


def test_the_menu_links_the_dashboard_after_the_key_figures(client, coordinator):
    page = dashboard(client, coordinator)
    assert page.index("Chiffres clés") < page.index("Tableau de bord</a>")


def test_month_labels_are_french():
    assert month_label(D(2026, 1, 31)) == "janv. 2026"
    assert month_label(D(2026, 2, 28)) == "févr. 2026"
    assert month_label(D(2026, 8, 31)) == "août 2026"


def test_the_default_period_is_the_current_year_up_to_today(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("reporting:dashboard")).content.decode()
    assert "Du 01/01/2026 au 23/11/2026" in page
    # The caseload of the period's last day, not of November's end: named by that day.
    assert list(table(page, "file-active"))[-2:] == ["oct. 2026", "23/11/2026"]


def test_a_referent_of_another_structure_is_refused_with_what_to_do(
    client, caseloads, coordinator, referent, outsider
):
    structure = referent.organisation
    outsider.organisation = OrganisationFactory()
    outsider.save()
    page = dashboard(
        client, coordinator, **FIRST_HALF, structure=structure.pk, referent=outsider.pk
    )
    assert f"ne travaille pas dans la structure {structure}" in page
    assert 'id="tableau-' not in page


def test_an_inverted_period_says_what_to_do(client, coordinator):
    page = dashboard(client, coordinator, du="2026-06-30", au="2026-01-01")
    assert "inversez les deux dates" in page
    assert "<svg" not in page


def test_the_coordination_sees_every_chart_of_the_whole_plie(client, caseloads, coordinator):
    page = dashboard(client, coordinator)
    assert table(page, "file-active") == {
        "janv. 2026": ["0", "0"],
        "févr. 2026": ["1", "2"],
        "mars 2026": ["1", "3"],
        "avr. 2026": ["1", "5"],
        "mai 2026": ["1", "5"],
        "juin 2026": ["1", "4"],  # exited on 15 June: out of the caseload on the 30th
    }
    assert table(page, "entrees-sorties") == {
        "janv. 2026": ["0", "0"],
        "févr. 2026": ["3", "0"],
        "mars 2026": ["1", "0"],
        "avr. 2026": ["2", "0"],
        "mai 2026": ["0", "0"],
        "juin 2026": ["0", "1"],
    }
    assert table(page, "sorties-positives") == {CONDITION: ["1"]}
    assert table(page, "communes") == {"Dijon": ["5"], "Chenôve": ["1"]}
    assert table(page, "qpv") == {"Hors QPV": ["6"]}
    assert sorted(table(page, "referents").values()) == [["2"], ["3"]]


def test_the_coordination_filters_on_a_referent(client, caseloads, coordinator, outsider):
    page = dashboard(client, coordinator, **FIRST_HALF, referent=str(outsider.pk))
    assert table(page, "entrees-sorties")["avr. 2026"] == ["2", "0"]
    assert table(page, "entrees-sorties")["févr. 2026"] == ["0", "0"]
    assert table(page, "referents") == {str(outsider): ["2"]}


def test_a_referent_sees_only_their_own_caseload(client, caseloads, referent, outsider):
    page = dashboard(client, referent, **FIRST_HALF, referent=str(outsider.pk))
    assert table(page, "file-active")["avr. 2026"] == ["1", "3"]  # the outsider's two left out
    assert table(page, "entrees-sorties")["avr. 2026"] == ["0", "0"]
    assert table(page, "communes") == {"Dijon": ["3"], "Chenôve": ["1"]}
    assert 'id="tableau-referents"' not in page  # no per-référent chart
    assert 'name="referent"' not in page  # no filter to reach others
    assert "votre file active" in page


def test_the_steering_viewer_sees_small_counts_hidden_and_no_name(
    client, caseloads, steering_viewer, referent, outsider
):
    page = dashboard(client, steering_viewer)
    # End of April: 1 with a step, 5 without. The caseload of that day, 6, is a published
    # figure: « < 5, 5 » would say 1, so both are masked.
    assert table(page, "file-active")["avr. 2026"] == ["masqué", "masqué"]
    assert table(page, "file-active")["janv. 2026"] == ["0", "0"]
    # 3, 1 and 2 entries in February, March and April: no month can be found back.
    assert table(page, "entrees-sorties")["févr. 2026"] == ["&lt; 5", "0"]
    # Chenôve's one person joins an « others » line, and so does Dijon, the smallest shown
    # commune: « Dijon 5 » beside a total of 6 would give Chenôve's count away.
    assert table(page, "communes") == {"Autres communes (2)": ["6"]}
    assert table(page, "qpv") == {"Hors QPV": ["6"]}
    assert 'id="tableau-referents"' not in page
    for name in ("Alpha", "ALPHA", "Bravo", "BRAVO", "Charlie", str(referent), str(outsider)):
        assert name not in page
    # The charts carry the same marks as the tables.
    assert "&lt; 5</text>" in page and "masqué</text>" in page


def test_each_chart_is_an_accessible_svg_without_inline_style(client, caseloads, coordinator):
    page = dashboard(client, coordinator)
    svgs = re.findall(r"<svg .*?</svg>", page, re.DOTALL)
    assert len(svgs) == 6
    for svg in svgs:
        assert 'role="img"' in svg and 'aria-label="' in svg and "<title>" in svg
        assert "<style" not in svg and "style=" not in svg  # the CSP forbids inline styles
        assert "<?xml" not in svg
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # several charts on one page, no id twice


def _dashboard(suppress: bool) -> Dashboard:
    return Dashboard(D(2026, 1, 1), D(2026, 6, 30), None, None, suppress=suppress)


def test_a_chart_hides_nothing_from_its_table():
    chart = Chart(
        "essai", "Essai", ["janv. 2026", "févr. 2026"], [Series("Entrées", [1234, SMALL])]
    )
    assert chart.rows == [("janv. 2026", ["1\u202f234"]), ("févr. 2026", ["< 5"])]
    assert chart.svg.startswith("<svg ") and "&lt; 5</text>" in chart.svg


def test_a_long_label_is_cut_on_the_chart_and_whole_in_the_table():
    condition = "CDD, unique ou successifs : 6 mois cumulés sur 12 mois, à temps plein ou partiel"
    chart = Chart("essai", "Essai", [condition], [Series("Sorties", [7])], kind="hbars")
    assert chart.rows == [(condition, ["7"])]
    assert condition not in chart.svg and " …</text>" in chart.svg


def test_a_chart_of_hidden_counts_only_has_a_scale_from_zero_to_five():
    chart = Chart("essai", "Essai", ["juil. 2026"], [Series("Entrées", [SMALL])])
    ticks = re.findall(r">(-?[0-9.,−]+)</text>", chart.svg)  # the axis's numbers
    assert ticks[-1] == "5" and "0.04" not in chart.svg


def test_a_narrower_drawing_for_print_keeps_its_text_size():
    chart = Chart("essai", "Essai", ["juil. 2026"], [Series("Entrées", [12])])
    printed = dataclasses.replace(chart, width=PRINT_WIDTH)
    width = lambda svg: float(re.search(r'viewBox="0 0 ([0-9.]+)', svg).group(1))  # noqa: E731
    assert width(printed.svg) == pytest.approx(width(chart.svg) * PRINT_WIDTH / 7)
    assert (
        'font-size="9px"' in printed.svg or "font-size: 9px" in printed.svg or "9px" in printed.svg
    )


def test_the_number_of_queries_does_not_grow_with_the_caseload(
    client, caseloads, coordinator, referent, django_assert_num_queries
):
    """A fixed number of queries, whatever the caseload: no N+1."""
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("reporting:dashboard"), FIRST_HALF)
    for _ in range(5):
        active_pathway(referent, entry_date=D(2026, 5, 2))
    cache.clear()  # computed again, not read from the cache
    with django_assert_num_queries(len(before)):
        client.get(reverse("reporting:dashboard"), FIRST_HALF)


def test_the_coordination_filters_on_a_structure(client, caseloads, coordinator, referent):
    page = dashboard(client, coordinator, **FIRST_HALF, structure=str(referent.organisation.pk))
    assert table(page, "entrees-sorties")["avr. 2026"] == ["0", "0"]  # the outsider's two
    assert table(page, "referents") == {str(referent): ["3"]}
    assert f"structure {referent.organisation}" in page


def test_the_steering_viewer_has_no_filter_by_structure_or_referent(client, steering_viewer):
    page = dashboard(client, steering_viewer)
    assert 'name="structure"' not in page and 'name="referent"' not in page


def test_the_caseload_of_every_month_end_takes_two_queries_whatever_the_months(
    client, caseloads, coordinator, django_assert_num_queries
):
    from plie.reporting.indicators import caseload_on, caseloads_on

    ends = [D(2026, month, 28) for month in range(1, 7)]
    with django_assert_num_queries(2):  # the pathways, then their steps
        loads = caseloads_on(ends)
    assert loads == [caseload_on(end) for end in ends]
    assert [load.people for load in loads] == [0, 3, 4, 6, 6, 5]


def test_a_period_ending_after_today_is_refused(client, coordinator):
    page = dashboard(client, coordinator, du="2026-01-01", au="2026-11-24")
    assert "au plus tard la date du jour" in page
    assert "<svg" not in page
    assert "<svg" in dashboard(client, coordinator, du="2026-01-01", au="2026-11-23")


@pytest.mark.parametrize(
    ("values", "adds_up", "shown"),
    [
        # 22 entries in the year, « 12, < 5, 7 »: 22 − 19 = 3. The 7 is masked too.
        ([12, 3, 7, 0], True, [12, MASKED, MASKED, 0]),
        # Two hidden months of 3 and 2: each could be anything from 1 to 4.
        ([12, 3, 2], True, [12, SMALL, SMALL]),
        # Nothing to subtract from: a stock (caseload) or no hidden count.
        ([12, 3, 7], False, [12, SMALL, 7]),
        ([12, 5, 7], True, [12, 5, 7]),
        # The hidden count is the only one that is not zero: it is the total itself.
        ([0, 3, 0], True, [0, SMALL, 0]),
    ],
)
def test_a_series_that_adds_up_to_a_published_total_follows_the_small_count_rule(
    values, adds_up, shown
):
    assert _dashboard(suppress=True)._series("Entrées", values, adds_up=adds_up).values == shown
    assert _dashboard(suppress=False)._series("Entrées", values, adds_up=adds_up).values == values


def test_a_masked_count_reads_masque_in_the_table_and_on_the_chart():
    chart = Chart("essai", "Essai", ["janv.", "févr."], [Series("Entrées", [SMALL, MASKED])])
    assert chart.rows == [("janv.", ["< 5"]), ("févr.", ["masqué"])]
    assert "masqué</text>" in chart.svg and "&lt; 5</text>" in chart.svg


def test_a_chart_is_drawn_once_per_content(monkeypatch):
    from plie.core import charts

    drawn = []
    real = charts.render_svg
    monkeypatch.setattr(charts, "render_svg", lambda chart: drawn.append(chart) or real(chart))
    first = Chart("cache", "Entrées", ["janv. 2026"], [Series("Entrées", [12])])
    assert first.svg == Chart("cache", "Entrées", ["janv. 2026"], [Series("Entrées", [12])]).svg
    assert len(drawn) == 1  # the same figures again: the drawing is reused
    changed = Chart("cache", "Entrées", ["janv. 2026"], [Series("Entrées", [13])])
    assert changed.svg != first.svg and len(drawn) == 2  # one count more: drawn anew
    narrower = Chart("cache", "Entrées", ["janv. 2026"], [Series("Entrées", [12])], width=4.3)
    assert narrower.svg != first.svg and len(drawn) == 3


# The whole PLIE's charts, kept for a quarter of an hour ------------------------------------


def queued_refreshes() -> list:
    from django_tasks_db.models import DBTaskResult

    tasks = DBTaskResult.objects.filter(task_path__endswith="refresh_dashboard")
    return [task.args_kwargs["args"] for task in tasks]


def test_the_whole_plies_charts_are_kept_then_refreshed_in_the_background(
    client, caseloads, coordinator, referent
):
    page = dashboard(client, coordinator)
    assert "Chiffres calculés le 23/11/2026 à 11:00" in page
    before = table(page, "entrees-sorties")["mai 2026"]
    active_pathway(referent, entry_date=D(2026, 5, 2))
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 14), tick=False):
        page = dashboard(client, coordinator)
        assert table(page, "entrees-sorties")["mai 2026"] == before  # kept, still fresh
        assert queued_refreshes() == []
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 16), tick=False):
        client.force_login(coordinator)
        page = dashboard(client, coordinator)
        assert table(page, "entrees-sorties")["mai 2026"] == before  # shown while refreshed
        dashboard(client, coordinator)
        (arguments,) = queued_refreshes()  # one refresh, not one per page
        assert arguments[:2] == ["2026-01-01", "2026-06-30"]
        from plie.reporting.tasks import refresh_dashboard

        refresh_dashboard.call(*arguments)
        page = dashboard(client, coordinator)
    assert table(page, "entrees-sorties")["mai 2026"] == ["1", "0"]
    assert "Chiffres calculés le 23/11/2026 à 11:16" in page


def test_a_referents_charts_are_always_up_to_date(client, caseloads, referent):
    page = dashboard(client, referent)
    assert table(page, "entrees-sorties")["mai 2026"] == ["0", "0"]
    assert "Chiffres calculés" not in page
    active_pathway(referent, entry_date=D(2026, 5, 2))
    assert table(dashboard(client, referent), "entrees-sorties")["mai 2026"] == ["1", "0"]


def test_each_scope_and_period_has_its_own_charts(client, caseloads, coordinator, referent):
    whole = dashboard(client, coordinator)
    mine = dashboard(client, coordinator, **FIRST_HALF, referent=str(referent.pk))
    assert table(whole, "entrees-sorties")["avr. 2026"] == ["2", "0"]
    assert table(mine, "entrees-sorties")["avr. 2026"] == ["0", "0"]
    march = dashboard(client, coordinator, du="2026-03-01", au="2026-03-31")
    assert list(table(march, "entrees-sorties")) == ["mars 2026"]
