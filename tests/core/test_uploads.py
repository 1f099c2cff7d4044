"""Documents received: their type is read from their content, their size is capped, their
name is the server's, and they are given back with the type found at reception."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from plie.core import uploads
from plie.core.models import StoredFile

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
    b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def xlsx_bytes() -> bytes:
    book = Workbook()
    book.active.append(["Jours", 12])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def sent(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("offre.pdf", PDF, "application/pdf"),
        ("scan", PNG, "image/png"),
        ("budget.xlsx", None, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("jours.csv", b"Nom;Jours\nAtelier;3\n", "text/csv"),
    ],
)
def test_accepted_types_are_read_from_the_content(name, content, expected):
    assert uploads.check_document(sent(name, content or xlsx_bytes())) == expected


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("offre.pdf", b"<html><script>alert(1)</script></html>"),  # an HTML page named .pdf
        ("notes.txt", b"Une simple note\n"),  # text not named CSV
        ("setup.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64),
    ],
)
def test_a_file_whose_content_is_not_a_document_is_refused_whatever_its_name(name, content):
    with pytest.raises(ValidationError, match="pas d'un type accepté"):
        uploads.check_document(sent(name, content))


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError, match="vide"):
        uploads.check_document(sent("offre.pdf", b""))


def test_the_size_cap_is_inclusive(settings):
    settings.UPLOAD_MAX_MEGABYTES = 1
    limit = 1024 * 1024
    at_limit = PDF + b"0" * (limit - len(PDF))
    assert uploads.check_document(sent("offre.pdf", at_limit)) == "application/pdf"
    with pytest.raises(ValidationError, match="dépasse 1 Mo"):
        uploads.check_document(sent("offre.pdf", at_limit + b"0"))


@pytest.mark.django_db
def test_a_stored_file_is_named_by_the_server_and_keeps_what_was_read(uploads_folder):
    stored = uploads.store(sent("../../etc/Offre Dupont.PDF", PDF), user=None)
    stored.refresh_from_db()
    assert stored.original_name == "Offre Dupont.PDF"
    assert "Dupont" not in stored.file.name and stored.file.name.endswith(".pdf")
    assert stored.content_type == "application/pdf" and stored.size == len(PDF)
    assert len(stored.sha256) == 64
    on_disk = list(uploads_folder.rglob("*.pdf"))
    assert len(on_disk) == 1 and on_disk[0].read_bytes() == PDF
    assert oct(on_disk[0].stat().st_mode & 0o777) == "0o600"


@pytest.mark.django_db
def test_store_refuses_what_the_form_field_would_refuse():
    with pytest.raises(ValidationError):
        uploads.store(sent("offre.pdf", b"<html></html>"), user=None)
    assert not StoredFile.objects.exists()


@pytest.mark.django_db
def test_a_document_is_served_with_its_real_type_and_the_senders_name():
    stored = uploads.store(sent("Offre.pdf", PDF), user=None)
    response = uploads.serve(stored)
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'attachment; filename="Offre.pdf"'
    assert b"".join(response.streaming_content) == PDF


def test_the_document_field_refuses_a_disguised_file():
    field = uploads.DocumentField()
    with pytest.raises(ValidationError):
        field.clean(sent("budget.xlsx", b"#!/bin/sh\nrm -rf /\n"))
    assert field.clean(sent("offre.pdf", PDF)).name == "offre.pdf"
