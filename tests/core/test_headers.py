"""Response headers: nothing the application computes is kept by a browser or a proxy, no
page may use the browser's devices, and static files stay cacheable."""

import datetime

import pytest
from django.urls import reverse

from plie.reporting.enums import ExtractionStatus
from plie.reporting.models import Extraction
from tests.factories import active_pathway

pytestmark = pytest.mark.django_db

NO_STORE = {"no-store", "no-cache", "private", "max-age=0", "must-revalidate"}


def directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


def assert_not_stored(response):
    assert directives(response) >= NO_STORE, response.get("Cache-Control")
    assert response["Pragma"] == "no-cache"
    assert "Expires" in response


def test_a_participant_record_and_the_list_are_never_stored(client, referent):
    pathway = active_pathway(referent, entry_date=datetime.date(2026, 3, 2))
    client.force_login(referent)
    for url in (
        reverse("web:participant", args=[pathway.participant.pk]),
        reverse("web:participant_list"),
        reverse("web:home"),  # a redirect to the start page
    ):
        response = client.get(url)
        assert response.status_code in (200, 302), url
        assert_not_stored(response)


def test_an_htmx_fragment_is_never_stored(client, referent):
    client.force_login(referent)
    response = client.get(reverse("web:participant_list"), headers={"HX-Request": "true"})
    assert_not_stored(response)


def test_a_downloaded_extraction_is_never_stored(client, assistant, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    (tmp_path / "extractions").mkdir()
    (tmp_path / "extractions" / "fichier.xlsx").write_bytes(b"PK")
    extraction = Extraction.objects.create(
        requested_by=assistant,
        date_from=datetime.date(2026, 11, 1),
        date_to=datetime.date(2026, 11, 30),
        status=ExtractionStatus.DONE,
        file_name="fichier.xlsx",
    )
    client.force_login(assistant)
    response = client.get(reverse("reporting:extraction_download", args=[extraction.pk]))
    assert response.status_code == 200
    assert_not_stored(response)


def test_pages_of_anonymous_visitors_and_errors_are_not_stored_either(client, territory):
    assert_not_stored(client.get(reverse("accounts:login")))
    assert_not_stored(client.get("/page-qui-n-existe-pas/"))


def test_static_files_stay_cacheable(client):
    response = client.get("/static/plie/plie.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "Pragma" not in response


def test_no_page_may_use_the_camera_the_microphone_or_the_location(client, territory):
    policy = client.get(reverse("accounts:login"))["Permissions-Policy"]
    features = dict(item.strip().split("=") for item in policy.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()", feature
