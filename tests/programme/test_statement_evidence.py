"""A budget statement's supporting documents (seed 001: « avec les justificatifs de dépenses
et de ressources »): added on the statement's page, kept when its lines are sent again,
downloaded by who keeps the programme only, each download journaled."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plie.programme import services
from plie.programme.enums import StatementKind, StatementSide
from tests.factories import OperationFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def statement_of(operation):
    return services.record_statement(
        operation=operation,
        kind=StatementKind.MID_TERM,
        drawn_on=datetime.date(2026, 6, 30),
        lines=[{"side": StatementSide.EXPENSE, "label": "Salaires", "amount": 1000}],
    )


def test_evidence_is_added_kept_with_a_corrected_statement_and_downloaded_journaled(
    client, coordinator
):
    operation = OperationFactory()
    statement_of(operation)
    client.force_login(coordinator)
    add = reverse("programme:statement_evidence_add", args=[operation.pk, "mid_term"])
    response = client.post(
        add,
        {"title": "Bulletins de salaire", "document": SimpleUploadedFile("bulletins.pdf", PDF)},
    )
    assert response.status_code == 302
    statement = statement_of(operation)  # the lines sent again, corrected
    evidence = statement.evidence.get()
    assert evidence.title == "Bulletins de salaire"
    page = client.get(reverse("programme:statement_edit", args=[operation.pk, "mid_term"]))
    assert "Bulletins de salaire" in page.content.decode()
    download = client.get(
        reverse("programme:statement_evidence", args=[operation.pk, "mid_term", evidence.pk])
    )
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == PDF
    entry = LogEntry.objects.filter(additional_data__event="download").latest("timestamp")
    assert "Bulletins de salaire" in entry.additional_data["document"]


def test_a_disguised_file_is_refused_and_nothing_is_kept(client, coordinator):
    operation = OperationFactory()
    statement = statement_of(operation)
    client.force_login(coordinator)
    response = client.post(
        reverse("programme:statement_evidence_add", args=[operation.pk, "mid_term"]),
        {"title": "Facture", "document": SimpleUploadedFile("facture.pdf", b"<html></html>")},
        follow=True,
    )
    assert "pas d&#x27;un type accepté" in response.content.decode()
    assert not statement.evidence.exists()


def test_without_a_statement_there_is_no_evidence_to_add(client, coordinator):
    operation = OperationFactory()
    client.force_login(coordinator)
    response = client.post(
        reverse("programme:statement_evidence_add", args=[operation.pk, "final"]),
        {"title": "Facture", "document": SimpleUploadedFile("facture.pdf", PDF)},
    )
    assert response.status_code == 404


def test_the_steering_committee_does_not_download_evidence(client, steering_viewer):
    operation = OperationFactory()
    statement = statement_of(operation)
    evidence = services.add_statement_evidence(
        statement=statement,
        title="Bulletins",
        uploaded=SimpleUploadedFile("b.pdf", PDF),
        by=None,
    )
    client.force_login(steering_viewer)
    url = reverse("programme:statement_evidence", args=[operation.pk, "mid_term", evidence.pk])
    assert client.get(url).status_code == 403
