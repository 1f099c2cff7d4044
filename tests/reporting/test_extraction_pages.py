"""The « Extractions » page: who may ask, the background build by the worker, the progress
shown, the download kept to its requester and journaled, the files' keeping time."""

import datetime
import io

import openpyxl
import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django_tasks_db.models import DBTaskResult

from plie.reporting.enums import ExtractionFormat, ExtractionStatus
from plie.reporting.models import EXTRACTION_KEPT_FOR, Extraction
from plie.reporting.tasks import FAILURE_MESSAGE, build_extraction, prune_expired
from tests.factories import StepFactory, active_pathway
from tests.forms import posted

D = datetime.date
PAGE = reverse("reporting:extractions")
ASK = PAGE  # the form posts to its own page
NOVEMBER = {"date_from": "2026-11-01", "date_to": "2026-11-30", "file_format": "xlsx"}


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 12, 3, 10, 0), tick=True):
        yield


@pytest.fixture(autouse=True)
def extraction_folder(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.fixture
def month(referent):
    pathway = active_pathway(referent, entry_date=D(2026, 3, 2), last_name="Durand")
    pathway.receives_rsa = True
    pathway.save()
    StepFactory(pathway=pathway, start_date=D(2026, 10, 1))
    return pathway


def ask(client, user, data=NOVEMBER):
    client.force_login(user)
    return posted(client, PAGE, data, action=ASK)


def run_worker(monkeypatch):
    """What `plie db_worker` does beside the server: run the queued tasks, here until none.

    The worker drops stale connections between tasks; here its connection is the test's own,
    inside the test's transaction, and must stay open."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    call_command("db_worker", batch=True, startup_delay=False, interval=0, reload=False)


def test_the_page_proposes_last_month_by_default(client, assistant):
    client.force_login(assistant)
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="2026-11-01"' in html and 'value="2026-11-30"' in html
    assert "Vous n'avez pas encore demandé d'extraction." in html


@pytest.mark.parametrize("persona", ["referent", "outsider", "provider", "steering_viewer"])
def test_only_the_coordination_team_may_extract(client, persona, request):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(PAGE).status_code == 403
    assert client.post(ASK, NOVEMBER).status_code == 403
    assert not Extraction.objects.exists()


def test_from_request_to_download_through_the_worker(
    client, assistant, month, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, assistant)
    assert response.status_code == 302
    extraction = Extraction.objects.get()
    assert extraction.status == ExtractionStatus.QUEUED
    assert DBTaskResult.objects.count() == 1  # handed to the worker, not built in the request
    page = client.get(PAGE).content.decode()
    assert "<progress" in page and 'hx-trigger="every 2s"' in page

    run_worker(monkeypatch)

    extraction.refresh_from_db()
    assert extraction.status == ExtractionStatus.DONE
    assert extraction.rows_done == extraction.rows_total == 2  # one person, one step
    page = client.get(PAGE).content.decode()
    assert "<progress" not in page and "every 2s" not in page  # polling stops when ready
    download = client.get(reverse("reporting:extraction_download", args=[extraction.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith(
        'attachment; filename="extraction-20261101-20261130.xlsx"'
    )
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    rows = list(book["Participants"].iter_rows(values_only=True))
    assert rows[1][1] == "Durand"
    # The assistant does not see sensitive data: no RSA column in her file.
    assert "Bénéficiaire du RSA" not in rows[0]
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, actor=assistant)
    assert entry.additional_data["extraction"]["lignes"] == 2


def test_the_coordinator_s_extraction_carries_the_sensitive_columns(client, coordinator, month):
    ask(client, coordinator)
    extraction = Extraction.objects.get()
    assert extraction.include_sensitive
    build_extraction.call(str(extraction.pk))
    extraction.refresh_from_db()
    book = openpyxl.load_workbook(extraction.path, read_only=True)
    header = next(book["Participants"].iter_rows(values_only=True))
    assert "Bénéficiaire du RSA" in header


def test_the_list_fragment_shows_the_progress_while_building(client, assistant, month):
    ask(client, assistant)
    Extraction.objects.update(status=ExtractionStatus.RUNNING, rows_total=400, rows_done=100)
    fragment = client.get(PAGE, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="extraction-list"')
    assert "<h1>" not in fragment
    assert 'value="25"' in fragment and "100 lignes sur 400 (25 %)" in fragment


def test_a_csv_extraction_is_a_zip_of_three_files(client, project_officer, month):
    ask(client, project_officer, NOVEMBER | {"file_format": ExtractionFormat.CSV})
    extraction = Extraction.objects.get()
    build_extraction.call(str(extraction.pk))
    extraction.refresh_from_db()
    assert extraction.download_name.endswith(".zip")
    assert extraction.path.read_bytes().startswith(b"PK")


def test_a_period_may_end_today(client, assistant):
    assert ask(client, assistant, NOVEMBER | {"date_to": "2026-12-03"}).status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (NOVEMBER | {"date_to": "2026-10-01"}, "inversez les deux dates"),
        (NOVEMBER | {"date_from": ""}, "Ce champ est obligatoire"),
        (NOVEMBER | {"date_to": "2026-12-04"}, "au plus tard la date du jour"),
        (NOVEMBER | {"date_from": "2016-01-01"}, "cinq ans au plus"),
        (NOVEMBER | {"file_format": "ods"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_periods_are_refused_with_a_french_message(client, assistant, data, message):
    response = ask(client, assistant, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Extraction.objects.exists()


def test_nobody_else_can_download_an_extraction(client, assistant, coordinator, month):
    ask(client, assistant)
    extraction = Extraction.objects.get()
    build_extraction.call(str(extraction.pk))
    client.force_login(coordinator)
    url = reverse("reporting:extraction_download", args=[extraction.pk])
    assert client.get(url).status_code == 404
    assert extraction.requested_by == assistant
    assert str(extraction.pk) not in client.get(PAGE).content.decode()


def test_a_failed_build_says_what_to_do_and_leaves_no_file(client, assistant, month, monkeypatch):
    from plie.reporting import tasks

    def broken(path, **kwargs):
        raise OSError("disque plein")

    monkeypatch.setattr(tasks, "write_extraction", broken)
    ask(client, assistant)
    extraction = Extraction.objects.get()
    assert build_extraction.call(str(extraction.pk)) == 0
    extraction.refresh_from_db()
    assert extraction.status == ExtractionStatus.FAILED
    assert extraction.file_name == ""
    assert escape(FAILURE_MESSAGE) in client.get(PAGE).content.decode()


def test_files_are_deleted_after_their_keeping_time(client, assistant, month):
    ask(client, assistant)
    extraction = Extraction.objects.get()
    build_extraction.call(str(extraction.pk))
    extraction.refresh_from_db()
    path = extraction.path
    assert path.exists()
    assert prune_expired(timezone.now() + EXTRACTION_KEPT_FOR - datetime.timedelta(hours=1)) == 0
    assert prune_expired(timezone.now() + EXTRACTION_KEPT_FOR + datetime.timedelta(hours=1)) == 1
    assert not path.exists()
    extraction.refresh_from_db()
    assert extraction.status == ExtractionStatus.EXPIRED
    response = client.get(reverse("reporting:extraction_download", args=[extraction.pk]))
    assert response.status_code == 302
