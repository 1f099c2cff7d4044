"""The quarterly review: the key figures of a quarter and of the year to its end, the
dashboard's charts of the quarter, on screen and in a PDF for the steering committee, with
the same days of the year before beside, the FSE+ statement, counts from 1 to 4 always
"< 5", and no name of a person."""

import datetime
import io
import re

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from plie.participants.enums import ExitReason, PathwayStatus, Sex
from plie.participants.models import Participant
from plie.reporting.quarterly import Quarter, quarterly_review
from plie.territory.models import Programme, Qpv
from tests.factories import StepFactory, active_pathway

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 11, 23)
CONDITION = "Emploi durable (CDI ou CDD de six mois et plus)"
THIRD = {"annee": "2026", "trimestre": "3"}


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False):
        yield


def exit_(pathway, day, reason, label=""):
    pathway.status = PathwayStatus.EXITED
    pathway.exit_date = day
    pathway.exit_reason = reason
    pathway.exit_condition_label = label
    pathway.save()


@pytest.fixture
def caseloads(referent, outsider):
    """The référent: ten women entered on 5 February (five in a QPV, five with a step
    running since 1 June; one without a step leaves on 15 September, positive exit), two men
    entered on 10 August, and a woman entered in January who moved away on 20 March. The
    outsider: three men entered on 4 May.

    Third quarter: 15 people accompanied, 10 women, 5 in a QPV, 14 in the caseload on 30/09,
    5 of them in a step. Year to 30/09: the same and the woman who moved, 16 people."""
    qpv = Qpv.objects.order_by("code").first()
    women = {"first_name": "Philomène", "last_name": "Zébulon"}
    men = {"first_name": "Anatole", "last_name": "Xanthippe", "sex": Sex.MALE}
    february = [active_pathway(referent, entry_date=D(2026, 2, 5), **women) for _ in range(10)]
    for pathway in february[:5]:
        pathway.participant.qpv = qpv
        pathway.participant.save()
        StepFactory(pathway=pathway, start_date=D(2026, 6, 1))
    exit_(february[9], D(2026, 9, 15), ExitReason.POSITIVE, CONDITION)
    for _ in range(2):
        active_pathway(referent, entry_date=D(2026, 8, 10), **men)
    moved = active_pathway(referent, entry_date=D(2026, 1, 12), **women)
    exit_(moved, D(2026, 3, 20), ExitReason.MOVED)
    for _ in range(3):
        active_pathway(outsider, entry_date=D(2026, 5, 4), **men)


def names_of_participants() -> set[str]:
    """Every participant's names as a document could print them (the fixture's names are
    unlike any word of the PLIE's, so that a hit is a real leak)."""
    names = set()
    for first, last in Participant.objects.values_list("first_name", "last_name"):
        names |= {first, last, last.upper()}
    return names


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def download(client, user, **params):
    client.force_login(user)
    return client.get(reverse("reporting:quarterly_review"), {**params, "format": "pdf"})


# The quarter -----------------------------------------------------------------------------


def test_quarters_start_in_january_april_july_and_october():
    assert (Quarter(2026, 1).start, Quarter(2026, 1).end) == (D(2026, 1, 1), D(2026, 3, 31))
    assert (Quarter(2026, 2).start, Quarter(2026, 2).end) == (D(2026, 4, 1), D(2026, 6, 30))
    assert (Quarter(2026, 4).start, Quarter(2026, 4).end) == (D(2026, 10, 1), D(2026, 12, 31))
    assert Quarter(2026, 1).label == "1er trimestre 2026"
    assert Quarter(2026, 3).label == "3e trimestre 2026"


def test_a_fifth_quarter_does_not_exist():
    with pytest.raises(ValueError, match="choisissez 1, 2, 3 ou 4"):
        Quarter(2026, 5)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (D(2026, 11, 23), Quarter(2026, 3)),
        (D(2026, 10, 1), Quarter(2026, 3)),
        (D(2026, 9, 30), Quarter(2026, 2)),
        (D(2026, 3, 31), Quarter(2025, 4)),
        (D(2026, 1, 1), Quarter(2025, 4)),
    ],
)
def test_the_default_is_the_last_complete_quarter(today, expected):
    assert Quarter.last_complete(today) == expected


# The figures -----------------------------------------------------------------------------


def test_the_figures_of_the_quarter_and_of_the_year_to_its_end(caseloads):
    review = quarterly_review(Quarter(2026, 3), today=TODAY, programme=Programme.current())
    assert not review.in_progress
    assert review.previous_year == (D(2025, 1, 1), D(2025, 9, 30))
    rows = [(row.label, row.quarter, row.year_to_date) for row in review.rows]
    assert rows == [
        ("Personnes accompagnées", "15", "16"),
        ("File active en fin de période", "14", "14"),
        # 1,285 days of presence over the quarter's 92, 2,987 over the year's 273.
        ("File active moyenne", "14", "11"),
        ("Entrées", "< 5", "16"),
        ("Sorties", "< 5", "< 5"),
        ("Sorties positives", "< 5", "< 5"),
        ("Taux de sorties positives", "—", "—"),  # one or two exits: never a rate
        ("Part de femmes", "67\u00a0%", "69\u00a0%"),  # 10 of 15, 11 of 16
        ("Part de bénéficiaires du RSA à l'entrée", "—", "—"),  # nobody's answer recorded
        ("Part de résidents en QPV", "33\u00a0%", "31\u00a0%"),  # 5 of 15, 5 of 16
        ("Part de niveau de formation 3 ou moins", "—", "—"),
        ("Durée moyenne des parcours sortis", "—", "—"),  # one or two pathways
        ("Part de la file active sans étape en cours en fin de période", "64\u00a0%", "64\u00a0%"),
    ]
    # Nobody had entered a year earlier: counts of 0, and nothing to divide.
    assert [row.previous_year_to_date for row in review.rows[:4]] == ["0", "0", "0", "0"]
    assert review.rows[6].previous_year_to_date == "—"


def test_a_share_that_would_give_away_a_small_count_is_not_given(referent):
    for _ in range(6):
        active_pathway(referent, entry_date=D(2026, 7, 6))
    for _ in range(2):
        active_pathway(referent, entry_date=D(2026, 7, 6), sex=Sex.MALE)
    review = quarterly_review(Quarter(2026, 3), today=TODAY, programme=Programme.current())
    rows = {row.label: row.quarter for row in review.rows}
    assert rows["Personnes accompagnées"] == "8"
    assert rows["Part de femmes"] == "—"  # 75 % of 8 would say "2 men"


def test_the_quarter_in_progress_stops_today(caseloads):
    review = quarterly_review(Quarter(2026, 4), today=TODAY, programme=Programme.current())
    assert review.in_progress and review.date_to == TODAY
    assert review.previous_year == (D(2025, 1, 1), D(2025, 11, 23))
    assert review.rows[1].label == "File active en fin de période"


def test_no_chart_names_a_referent(caseloads):
    review = quarterly_review(Quarter(2026, 3), today=TODAY, programme=Programme.current())
    assert [chart.slug for chart in review.charts] == [
        "file-active",
        "entrees-sorties",
        "sorties-positives",
        "communes",
        "qpv",
    ]


# Who may read it -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 200),
        ("project_officer", 200),
        ("assistant", 200),
        ("steering_viewer", 200),
        ("referent", 403),
        ("outsider", 403),
        ("provider", 403),
        ("administrator", 403),
    ],
)
def test_who_reads_the_quarterly_review(client, request, territory, role, status):
    user = request.getfixturevalue(role)
    client.force_login(user)
    assert client.get(reverse("reporting:quarterly_review")).status_code == status
    if status == 403:  # the download is refused too (the others download in the tests below)
        assert download(client, user, **THIRD).status_code == 403


def test_the_menu_links_the_review_in_pilotage(client, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("reporting:quarterly_review")).content.decode()
    menu = page[page.index(">Pilotage<") : page.index("</ul>", page.index(">Pilotage<"))]
    assert "Point d&#x27;étape trimestriel" in menu
    assert 'aria-current="page">Point d&#x27;étape trimestriel' in menu


# The page --------------------------------------------------------------------------------


def test_the_page_opens_on_the_last_complete_quarter_with_its_preview(client, caseloads, assistant):
    client.force_login(assistant)
    page = client.get(reverse("reporting:quarterly_review")).content.decode()
    assert re.search(r'<option value="3" selected>', page)
    assert re.search(r'<option value="2026" selected>', page)
    assert "Aperçu : 3e trimestre 2026" in page
    assert "Trimestre du 01/07/2026 au 30/09/2026" in page
    assert "Cofinancé par l'Union européenne" in page
    assert 'name="format" value="pdf"' in page
    figures = re.search(r'<table[^>]*id="tableau-chiffres-cles".*?</table>', page, re.DOTALL)
    assert '<td class="text-end">&lt; 5</td>' in figures.group(0)
    for slug in ("file-active", "entrees-sorties", "sorties-positives", "communes", "qpv"):
        assert f'id="tableau-{slug}"' in page
    assert 'id="tableau-referents"' not in page


def test_the_page_has_no_inline_style_nor_script(client, caseloads, steering_viewer):
    client.force_login(steering_viewer)
    page = client.get(reverse("reporting:quarterly_review"), THIRD).content.decode()
    assert "style=" not in page and "<style" not in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"annee": "2026", "trimestre": "5"}, "« 5 » n&#x27;est pas un trimestre : choisissez"),
        ({"annee": "abc", "trimestre": "3"}, "« abc » n&#x27;est pas une année proposée"),
        ({"annee": "1999", "trimestre": "3"}, "« 1999 » n&#x27;est pas une année proposée"),
        ({"annee": "2026", "trimestre": ""}, "Choisissez un trimestre."),
    ],
)
def test_bad_input_says_what_to_do_in_french(client, coordinator, params, message):
    response = download(client, coordinator, **params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()
    assert "Aperçu" not in response.content.decode()


def test_a_quarter_not_yet_begun_is_refused(client, coordinator):
    with time_machine.travel(datetime.datetime(2026, 5, 10, 10, 0), tick=False):
        response = download(client, coordinator, annee="2026", trimestre="3")
    assert "Le 3e trimestre 2026 n&#x27;a pas encore commencé" in response.content.decode()


def test_the_number_of_queries_does_not_grow_with_the_caseload(
    client, caseloads, coordinator, referent, django_assert_num_queries
):
    client.force_login(coordinator)
    url = reverse("reporting:quarterly_review")
    with CaptureQueriesContext(connection) as before:
        client.get(url, THIRD)
    for _ in range(5):
        active_pathway(referent, entry_date=D(2026, 7, 2))
    cache.clear()  # computed again, not read from the cache
    with django_assert_num_queries(len(before)):
        client.get(url, THIRD)


def test_the_review_is_kept_then_computed_again_in_the_background(
    client, caseloads, coordinator, referent
):
    from django_tasks_db.models import DBTaskResult

    from plie.reporting.tasks import refresh_quarterly_review

    client.force_login(coordinator)
    url = reverse("reporting:quarterly_review")
    first = client.get(url, THIRD)
    assert "Chiffres calculés le 23/11/2026 à 11:00" in first.content.decode()
    active_pathway(referent, entry_date=D(2026, 7, 2))
    kept = client.get(url, {**THIRD, "format": "pdf"})  # the PDF of the preview just read
    assert kept.status_code == 200
    assert client.get(url, THIRD).context["review"] == first.context["review"]
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 16), tick=False):
        client.force_login(coordinator)
        assert client.get(url, THIRD).context["review"] == first.context["review"]  # meanwhile
        (task,) = DBTaskResult.objects.filter(task_path=refresh_quarterly_review.module_path)
        assert task.args_kwargs["args"] == [2026, 3, "2026-11-23"]
        refresh_quarterly_review.call(*task.args_kwargs["args"])
        again = client.get(url, THIRD)
    assert again.context["review"] != first.context["review"]  # the new entry is counted
    assert "Chiffres calculés le 23/11/2026 à 11:16" in again.content.decode()


# The PDF ---------------------------------------------------------------------------------


def test_the_pdf_holds_the_figures_the_charts_and_the_fse_statement(client, caseloads, coordinator):
    response = download(client, coordinator, **THIRD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="point-etape-2026-T3.pdf"'
    assert response.content.startswith(b"%PDF-")
    pages = pdf_pages(response.content)
    text = "\n".join(pages)
    assert "Point d'étape trimestriel — 3e trimestre 2026" in text
    assert "Plan local pour l'insertion et l'emploi de Dijon Métropole" in text
    assert re.search(r"Personnes accompagnées\s+15\s+16\s+0", text)
    assert "Année 2025 au 30/09/2025" in " ".join(text.split())  # the year before, beside
    assert re.search(r"Entrées\s+< 5\s+16", text)
    assert re.search(r"Part de résidents en QPV\s+33\s%\s+31\s%", text)
    assert "Sorties positives par condition remplie" in text
    assert "Personnes accompagnées par commune de résidence" in text
    assert (
        "PLIE de Dijon Métropole : action cofinancée par l'Union européenne au titre du Fonds"
        in text
    )
    for number, page in enumerate(pages, start=1):
        assert "Cofinancé par l'Union européenne — Fonds social européen plus (FSE+)" in page
        assert "document édité le 23/11/2026" in page
        assert f"Page {number} sur {len(pages)}" in page


def test_the_pdf_shows_small_counts_as_less_than_five_even_to_the_coordination(
    client, caseloads, coordinator
):
    text = "\n".join(pdf_pages(download(client, coordinator, **THIRD).content))
    assert re.search(r"Sorties\s+< 5\s+< 5", text)
    assert f"{CONDITION} < 5" in text.replace("\n", " ")


def test_the_pdf_names_nobody(client, caseloads, steering_viewer, referent, outsider):
    text = "\n".join(pdf_pages(download(client, steering_viewer, **THIRD).content))
    assert names_of_participants() == {
        "Philomène",
        "Zébulon",
        "ZÉBULON",
        "Anatole",
        "Xanthippe",
        "XANTHIPPE",
    }
    for name in [*names_of_participants(), str(referent), str(outsider)]:
        assert name not in text, name


def test_the_pdf_carries_the_eu_emblem_on_every_page(client, caseloads, coordinator):
    reader = PdfReader(io.BytesIO(download(client, coordinator, **THIRD).content))
    for page in reader.pages:
        assert page["/Resources"]["/XObject"]  # the emblem, drawn from its SVG
    assert (
        reader.metadata.title
        == "Point d'étape trimestriel, 3e trimestre 2026 — PLIE de Dijon Métropole"
    )


def test_a_pdf_can_be_made_of_an_empty_quarter(client, coordinator):
    text = "\n".join(pdf_pages(download(client, coordinator, annee="2026", trimestre="2").content))
    assert re.search(r"Personnes accompagnées\s+0\s+0", text)
    assert "Aucune donnée sur la période." in text
