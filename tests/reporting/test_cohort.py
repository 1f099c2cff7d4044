"""The cohort study: each person at their own horizons, steps, delays and exits."""

import datetime
import io

import pytest
import time_machine
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from plie.core.suppression import MASKED, Hidden
from plie.participants.enums import ExitReason, PathwayStatus
from plie.reporting.cohort import Situation, cohort
from tests.factories import StepFactory, active_pathway

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 23)
D = datetime.date


def exit_(pathway, day, reason=ExitReason.POSITIVE, label="CDI"):
    pathway.status = PathwayStatus.EXITED
    pathway.exit_date = day
    pathway.exit_reason = reason
    pathway.exit_condition_label = label if reason == ExitReason.POSITIVE else ""
    pathway.save()


def test_each_person_is_seen_at_entry_plus_six_twelve_eighteen_months(referent):
    in_step = active_pathway(referent, entry_date=D(2025, 1, 10))
    StepFactory(pathway=in_step, start_date=D(2025, 7, 1))  # running on 09/07/2025 and after
    active_pathway(referent, entry_date=D(2025, 1, 10))  # no step at all
    left_well = active_pathway(referent, entry_date=D(2025, 2, 3))
    exit_(left_well, D(2025, 8, 2))  # on 02/08/2025, the six-month horizon: out at its end
    left_on_the_day = active_pathway(referent, entry_date=D(2025, 2, 3))
    exit_(left_on_the_day, D(2025, 8, 3), ExitReason.MOVED)  # the day after: still in
    active_pathway(referent, entry_date=D(2026, 6, 1))  # 12 months not yet come
    active_pathway(referent, entry_date=D(2024, 12, 31))  # entered before the period
    study = cohort(D(2025, 1, 1), D(2026, 6, 30), today=TODAY)
    assert study.size == 5
    six, twelve, eighteen = study.horizons
    assert six.counts == {
        Situation.STEP: 1,
        Situation.NO_STEP: 2,  # without, left_on_the_day
        Situation.POSITIVE: 1,
        Situation.NOT_YET: 1,  # late: 01/12/2026 after today
    }
    assert six.observable == 4 and six.share(Situation.POSITIVE) == 0.25
    assert twelve.counts[Situation.OTHER_EXIT] == 1
    assert twelve.counts[Situation.NOT_YET] == 1
    assert eighteen.counts[Situation.NOT_YET] == 1


def test_six_months_on_is_the_end_of_the_day_six_months_are_reached(referent):
    """Entered on 10 January 2026: 6 months are reached at the end of 9 July, when the
    person is seen; a step whose last day is 9 July is still going on then."""
    ended_on_the_day = active_pathway(referent, entry_date=D(2026, 1, 10))
    StepFactory(pathway=ended_on_the_day, start_date=D(2026, 3, 1), end_date=D(2026, 7, 9))
    starts_the_day_after = active_pathway(referent, entry_date=D(2026, 1, 10))
    StepFactory(pathway=starts_the_day_after, start_date=D(2026, 7, 10))
    exit_(active_pathway(referent, entry_date=D(2026, 1, 10)), D(2026, 7, 9))
    exit_(active_pathway(referent, entry_date=D(2026, 1, 10)), D(2026, 7, 10))
    six = cohort(D(2026, 1, 10), D(2026, 1, 10), today=D(2026, 7, 9)).horizons[0]
    assert six.counts == {
        Situation.STEP: 1,  # the step ending on 9 July
        Situation.NO_STEP: 2,  # the step of 10 July not yet; the exit of 10 July not yet
        Situation.POSITIVE: 1,  # exited on 9 July
    }
    assert cohort(D(2026, 1, 10), D(2026, 1, 10), today=D(2026, 7, 8)).horizons[0].counts == {
        Situation.NOT_YET: 4
    }


def test_six_months_from_31_august_are_reached_on_27_february(referent):
    """31 August + 6 months is 28 February (no 31st): 6 months at the end of 27 February."""
    on_the_day = active_pathway(referent, entry_date=D(2024, 8, 31))
    StepFactory(pathway=on_the_day, start_date=D(2025, 2, 27), end_date=D(2025, 2, 27))
    day_after = active_pathway(referent, entry_date=D(2024, 8, 31))
    StepFactory(pathway=day_after, start_date=D(2025, 2, 28), end_date=D(2025, 2, 28))
    study = cohort(D(2024, 8, 31), D(2024, 8, 31), today=TODAY)
    assert study.horizons[0].counts == {Situation.STEP: 1, Situation.NO_STEP: 1}


def test_time_to_the_first_step_and_share_ever_in_a_step(referent):
    first = active_pathway(referent, entry_date=D(2025, 3, 3))
    StepFactory(pathway=first, start_date=D(2025, 3, 13))
    StepFactory(pathway=first, start_date=D(2025, 5, 1))
    before_entry = active_pathway(referent, entry_date=D(2025, 3, 3))
    StepFactory(pathway=before_entry, start_date=D(2025, 2, 1))  # already in a job: 0 days
    active_pathway(referent, entry_date=D(2025, 3, 3))  # no step
    study = cohort(D(2025, 3, 1), D(2025, 3, 31), today=TODAY)
    assert study.ever_in_step == 2
    assert study.share_ever_in_step == pytest.approx(2 / 3)
    assert sorted(study.days_to_first_step) == [0, 10]
    assert study.median_days_to_first_step == 5


def test_exits_by_reason_and_by_condition(referent):
    for label in ("CDI", "CDI", "Formation qualifiante"):
        exit_(active_pathway(referent, entry_date=D(2025, 4, 1)), D(2026, 2, 1), label=label)
    exit_(active_pathway(referent, entry_date=D(2025, 4, 1)), D(2026, 2, 1), ExitReason.HEALTH)
    study = cohort(D(2025, 4, 1), D(2025, 4, 30), today=TODAY)
    assert study.exits_by_reason[0] == (ExitReason.POSITIVE.label, 3)
    assert (ExitReason.HEALTH.label, 1) in study.exits_by_reason
    assert study.positive_by_condition == [("CDI", 2), ("Formation qualifiante", 1)]


def test_a_period_that_ends_before_it_starts_is_refused(territory):
    with pytest.raises(ValueError, match="inversez"):
        cohort(D(2025, 5, 1), D(2025, 4, 1), today=TODAY)


def test_the_page_and_the_workbook(client, referent, coordinator, steering_viewer):
    exit_(active_pathway(referent, entry_date=D(2025, 4, 1)), D(2026, 2, 1))
    client.force_login(coordinator)
    url = "/chiffres-cles/cohorte/"
    page = client.get(url, {"date_from": "2025-01-01", "date_to": "2025-12-31"})
    assert page.status_code == 200
    assert "Sorti(e) : sortie positive" in page.content.decode()
    response = client.get(
        url, {"date_from": "2025-01-01", "date_to": "2025-12-31", "format": "xlsx"}
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Cohorte", "Situation", "Sorties", "Sorties positives"]
    summary = dict(book["Cohorte"].iter_rows(min_row=2, values_only=True))
    assert summary["Personnes entrées"] == 1
    assert summary["Entrées du"] == datetime.datetime(2025, 1, 1)  # a date, not a text
    assert next(book["Situation"].iter_rows(values_only=True))[:2] == ("Situation", "à 6 mois")
    client.force_login(steering_viewer)
    page = client.get(url, {"date_from": "2025-01-01", "date_to": "2025-12-31"})
    assert "<strong>&lt; 5</strong> personnes entrées" in page.content.decode()
    client.force_login(referent)
    assert client.get(url).status_code == 403


def test_dates_in_the_wrong_order_are_refused_in_french(client, coordinator):
    client.force_login(coordinator)
    page = client.get(
        "/chiffres-cles/cohorte/", {"date_from": "2025-12-31", "date_to": "2025-01-01"}
    )
    assert "La date de fin précède la date de début : inversez les deux dates." in (
        page.content.decode()
    )


def test_a_period_ending_after_today_is_refused_as_on_the_dashboard(client, coordinator):
    client.force_login(coordinator)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.get(
        "/chiffres-cles/cohorte/", {"date_from": "2025-01-01", "date_to": tomorrow.isoformat()}
    )
    assert "La période finit après aujourd&#x27;hui" in response.content.decode()
    assert response.context["study"] is None


def test_the_workbook_merges_small_conditions_as_the_page(client, referent, steering_viewer):
    """A lone « < 5 » beside the positive exits' total would be found back."""
    for day in range(1, 7):
        exit_(active_pathway(referent, entry_date=D(2025, 4, day)), D(2026, 2, 1), label="CDI")
    exit_(active_pathway(referent, entry_date=D(2025, 5, 1)), D(2026, 2, 1), label="Formation")
    client.force_login(steering_viewer)
    period = {"date_from": "2025-01-01", "date_to": "2025-12-31"}
    page = client.get("/chiffres-cles/cohorte/", period)
    response = client.get("/chiffres-cles/cohorte/", {**period, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content))["Sorties positives"]
    header, *conditions = sheet.iter_rows(values_only=True)
    assert header == ("Condition de sortie positive", "Parcours")
    assert conditions == [("Autres conditions (2)", 7)]
    assert page.context["positive_by_condition"] == [("Autres conditions (2)", 7)]


def test_a_cohort_is_read_in_two_queries_whatever_its_size(referent, django_assert_num_queries):
    for day in range(1, 21):
        pathway = active_pathway(referent, entry_date=D(2025, 3, day))
        StepFactory(pathway=pathway, start_date=D(2025, 4, day))
    with django_assert_num_queries(2) as queries:
        study = cohort(D(2025, 1, 1), D(2025, 6, 30), today=TODAY)
    assert study.size == 20
    assert study.ever_in_step == 20
    steps_query = queries.captured_queries[1]["sql"]
    # The cohort's pathways are a subquery, not one parameter per pathway (8,000 a semester
    # at 100,000 people, see docs/performance.md).
    assert steps_query.count("SELECT") == 2


def cohort_pdf_text(client, user) -> str:
    """The text of the PDF of the 2025 cohort, on one line (a title may wrap)."""
    client.force_login(user)
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False):
        response = client.get(
            "/chiffres-cles/cohorte/",
            {"date_from": "2025-01-01", "date_to": "2025-12-31", "format": "pdf"},
        )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf", response.content[:3000]
    assert response["Content-Disposition"] == 'attachment; filename="cohorte-20250101-20251231.pdf"'
    assert response.content.startswith(b"%PDF-")
    pages = PdfReader(io.BytesIO(response.content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_the_pdf_has_the_page_tables_and_the_fse_statement(client, referent, coordinator):
    for _ in range(6):
        exit_(
            active_pathway(referent, entry_date=D(2025, 4, 1), last_name="Zébulon"), D(2026, 2, 1)
        )
    text = cohort_pdf_text(client, coordinator)
    assert "Étude de cohorte — entrées du 01/01/2025 au 31/12/2025" in text
    assert "6 personnes entrées du 01/01/2025 au 31/12/2025, situation au 23/11/2026" in text
    assert "Sorti(e) : sortie positive" in text
    assert "Cofinancé par l'Union européenne — Fonds social européen plus (FSE+)" in text
    assert "Page 1 sur 1" in text
    assert "Zébulon" not in text and "ZÉBULON" not in text


def test_the_pdf_hides_small_counts_whoever_downloads_it(
    client, referent, coordinator, steering_viewer
):
    """A PDF is made to be sent on: the coordination's own copy hides small counts too."""
    exit_(active_pathway(referent, entry_date=D(2025, 4, 1)), D(2026, 2, 1))
    # « < 5 personne » would say it is one: the plural whatever the hidden count.
    assert "< 5 personnes entrées" in cohort_pdf_text(client, coordinator)
    assert "< 5 personnes entrées" in cohort_pdf_text(client, steering_viewer)
    client.force_login(coordinator)
    period = {"date_from": "2025-01-01", "date_to": "2025-12-31"}
    page = client.get("/chiffres-cles/cohorte/", period).content.decode()
    assert "Sorti(e) : autre motif" in page and "&lt; 5" not in page
    assert "<strong>1</strong> personne entrée" in page


def test_the_download_links_carry_the_period_shown_on_a_first_visit(client, coordinator):
    client.force_login(coordinator)
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False):
        page = client.get("/chiffres-cles/cohorte/").content.decode()
        # By default the entries of the first half of last year, in the links too.
        assert "?date_from=2025-01-01&amp;date_to=2025-06-30&amp;format=pdf" in page
        response = client.get(
            "/chiffres-cles/cohorte/",
            {"date_from": "2025-01-01", "date_to": "2025-06-30", "format": "pdf"},
        )
    assert response["Content-Type"] == "application/pdf"


def test_the_pdf_is_refused_to_a_referent(client, referent):
    client.force_login(referent)
    response = client.get("/chiffres-cles/cohorte/", {"format": "pdf"})
    assert response.status_code == 403


def test_the_workbook_hides_small_counts_from_the_steering_viewer_as_the_page(
    client, referent, steering_viewer
):
    exit_(active_pathway(referent, entry_date=D(2025, 4, 1)), D(2026, 2, 1), label="CDI")
    client.force_login(steering_viewer)
    response = client.get(
        "/chiffres-cles/cohorte/",
        {"date_from": "2025-01-01", "date_to": "2025-12-31", "format": "xlsx"},
    )
    book = load_workbook(io.BytesIO(response.content))
    summary = dict(book["Cohorte"].iter_rows(min_row=2, values_only=True))
    assert summary["Personnes entrées"] == "< 5"
    assert ("CDI", "< 5") in list(book["Sorties positives"].iter_rows(values_only=True))
    cells = [cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row]
    assert not {1, 2, 3, 4} & {cell for cell in cells if isinstance(cell, int)}  # none shown


def test_no_share_or_delay_beside_a_hidden_count_for_the_steering_viewer(
    client, referent, coordinator, steering_viewer
):
    """« < 5 (33 %) » would give the count away: the share goes with the count."""
    for _ in range(3):
        StepFactory(pathway=active_pathway(referent, entry_date=D(2025, 4, 1)))
    url, period = "/chiffres-cles/cohorte/", {"date_from": "2025-01-01", "date_to": "2025-12-31"}
    client.force_login(steering_viewer)
    page = client.get(url, period).content.decode()
    assert "&lt; 5" in page
    assert "%" not in page.split("<h1")[1].split("Sorties de la cohorte")[0]
    assert "(médiane)" not in page
    client.force_login(coordinator)
    page = client.get(url, period).content.decode()
    assert "(100\u00a0%)" in page and "0\u00a0jour (médiane)" in page


def test_a_small_condition_cannot_be_found_back_from_the_positive_exits(
    client, referent, coordinator, steering_viewer
):
    for _ in range(6):
        exit_(active_pathway(referent, entry_date=D(2025, 4, 1)), D(2026, 2, 1), label="CDI")
    exit_(active_pathway(referent, entry_date=D(2025, 4, 1)), D(2026, 2, 1), label="Création")
    period = {"date_from": "2025-01-01", "date_to": "2025-12-31"}
    client.force_login(steering_viewer)
    page = client.get("/chiffres-cles/cohorte/", period).content.decode()
    # « CDI : 6 » beside 7 positive exits would give « Création : moins de 5 » away.
    assert "<li>Autres conditions (2) : 7</li>" in page
    assert "Création" not in page
    client.force_login(coordinator)
    page = client.get("/chiffres-cles/cohorte/", period).content.decode()
    assert "<li>CDI : 6</li>" in page and "<li>Création : 1</li>" in page


def test_the_study_is_kept_a_quarter_of_an_hour_for_its_workbook_and_pdf(
    client, coordinator, referent
):
    period = {"date_from": "2025-01-01", "date_to": "2025-12-31"}
    active_pathway(referent, entry_date=D(2025, 4, 1))
    client.force_login(coordinator)
    assert client.get("/chiffres-cles/cohorte/", period).context["study"].size == 1
    active_pathway(referent, entry_date=D(2025, 5, 1))
    assert client.get("/chiffres-cles/cohorte/", period).context["study"].size == 1  # kept
    now = timezone.now()
    with time_machine.travel(now + datetime.timedelta(minutes=16), tick=False):
        client.force_login(coordinator)
        assert client.get("/chiffres-cles/cohorte/", period).context["study"].size == 2


def test_a_lone_hidden_situation_takes_the_smallest_shown_one_with_it(
    client, referent, coordinator, steering_viewer
):
    """Each column adds up to the cohort's size: « < 5 » alone would be found back."""
    for _ in range(6):
        StepFactory(pathway=active_pathway(referent, entry_date=D(2025, 4, 1)))
    for _ in range(7):
        active_pathway(referent, entry_date=D(2025, 4, 1))  # no step
    exit_(active_pathway(referent, entry_date=D(2025, 4, 1)), D(2025, 6, 1), label="CDI")
    period = {"date_from": "2025-01-01", "date_to": "2025-12-31"}
    client.force_login(steering_viewer)
    rows = {
        row["situation"]: row["cells"]
        for row in client.get("/chiffres-cles/cohorte/", period).context["rows"]
    }
    at_six_months = {situation: cells[0] for situation, cells in rows.items()}
    # 1 positive exit, 6 in a step, 7 without, of 14: the 6 goes with the 1, both « masqué ».
    assert at_six_months[Situation.POSITIVE] == (MASKED, None)
    assert at_six_months[Situation.STEP] == (MASKED, None)
    assert at_six_months[Situation.NO_STEP][0] == 7
    workbook = client.get("/chiffres-cles/cohorte/", {**period, "format": "xlsx"})
    sheet = list(
        load_workbook(io.BytesIO(workbook.content))["Situation"].iter_rows(values_only=True)
    )
    by_label = {row[0]: row[1] for row in sheet if row and row[0] in rows}
    assert by_label[Situation.STEP] == "masqué" and by_label[Situation.NO_STEP] == 7
    assert by_label[Situation.POSITIVE] == "masqué"
    client.force_login(coordinator)
    page = client.get("/chiffres-cles/cohorte/", period).context["rows"]
    assert not any(isinstance(count, Hidden) for row in page for count, _ in row["cells"])
