"""Documents received: checked by their size and by the type their content shows (libmagic,
through python-magic — never by the name's extension), kept under a name the server chooses,
and given back only through `serve`, which the owning app's view calls once it has checked
who may read the document and journaled the download.

A document is a PDF, an office document (OpenDocument or Microsoft Office), a CSV or a photo
or scan (JPEG, PNG). Anything else — an executable, an HTML page, an archive — is refused
with a French message saying which types are accepted.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import magic
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse
from django.utils import timezone

from plie.core.models import StoredFile


@dataclass(frozen=True)
class DocumentType:
    label: str
    extension: str


# What libmagic names each accepted type; the extension is the one the server gives.
ACCEPTED: dict[str, DocumentType] = {
    "application/pdf": DocumentType("PDF", "pdf"),
    "application/vnd.oasis.opendocument.text": DocumentType("texte OpenDocument", "odt"),
    "application/vnd.oasis.opendocument.spreadsheet": DocumentType("tableur OpenDocument", "ods"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": DocumentType(
        "Word", "docx"
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": DocumentType(
        "Excel", "xlsx"
    ),
    "application/msword": DocumentType("Word 97-2003", "doc"),
    "application/vnd.ms-excel": DocumentType("Excel 97-2003", "xls"),
    "text/csv": DocumentType("CSV", "csv"),
    "image/jpeg": DocumentType("photo JPEG", "jpg"),
    "image/png": DocumentType("image PNG", "png"),
}
ACCEPTED_LABELS = "PDF, Word, Excel, OpenDocument, CSV, JPEG ou PNG"
# libmagic reads the start of a file; office documents (zip archives) need a little more.
SNIFFED_BYTES = 64 * 1024
CHUNK = 64 * 1024


def max_bytes() -> int:
    return settings.UPLOAD_MAX_MEGABYTES * 1024 * 1024


def detected_type(uploaded) -> str:
    """The type the file's content shows, whatever its name says."""
    uploaded.seek(0)
    head = uploaded.read(SNIFFED_BYTES)
    uploaded.seek(0)
    found = magic.from_buffer(head, mime=True)
    # Old Microsoft formats share one container: libmagic names it either way.
    if found in ("application/CDFV2", "application/x-ole-storage"):
        found = magic.from_buffer(head)
        return "application/vnd.ms-excel" if "Excel" in found else "application/msword"
    # A CSV looks like plain text to libmagic: text is accepted only when its name says CSV.
    if found == "text/plain" and uploaded.name.lower().endswith(".csv"):
        return "text/csv"
    return found


def check_document(uploaded) -> str:
    """The accepted type of `uploaded`, or a ValidationError in French saying what to do."""
    if uploaded.size == 0:
        raise ValidationError("Le fichier est vide : choisissez le document à envoyer.")
    if uploaded.size > max_bytes():
        raise ValidationError(
            f"Le fichier dépasse {settings.UPLOAD_MAX_MEGABYTES} Mo : "
            "envoyez une version plus légère (un PDF compressé, une numérisation en 150 dpi)."
        )
    content_type = detected_type(uploaded)
    if content_type not in ACCEPTED:
        raise ValidationError(
            f"Ce fichier n'est pas d'un type accepté ({ACCEPTED_LABELS}) : "
            "enregistrez-le dans l'un de ces formats, puis envoyez-le de nouveau."
        )
    return content_type


class DocumentField(forms.FileField):
    """A file field that accepts a document only (type read from the content, size capped)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            f"{ACCEPTED_LABELS}, {settings.UPLOAD_MAX_MEGABYTES} Mo au plus.",
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        cleaned = super().clean(data, initial)
        if cleaned and cleaned is not initial:
            check_document(cleaned)
        return cleaned


def _name_to_keep(name: str) -> str:
    """The sender's file name, as shown to people: its folders dropped, kept short."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "document"
    return base[-255:]


def store(uploaded, *, user) -> StoredFile:
    """Keep `uploaded` (checked again here: a caller may not have used DocumentField) under a
    name the server chooses, with its type, size and SHA-256 fingerprint."""
    content_type = check_document(uploaded)
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks(CHUNK):
        digest.update(chunk)
    uploaded.seek(0)
    now = timezone.now()
    name = f"{now:%Y/%m}/{uuid.uuid4().hex}.{ACCEPTED[content_type].extension}"
    stored = StoredFile(
        original_name=_name_to_keep(uploaded.name),
        content_type=content_type,
        size=uploaded.size,
        sha256=digest.hexdigest(),
        uploaded_by=user if getattr(user, "pk", None) else None,
    )
    stored.file.save(name, ContentFile(uploaded.read()), save=False)
    stored.save()
    return stored


def download_name(stored: StoredFile) -> str:
    """The name a download gets: the sender's, with the extension of its real type."""
    stem = stored.original_name.rsplit(".", 1)[0] or "document"
    return f"{stem}.{ACCEPTED.get(stored.content_type, DocumentType('', 'bin')).extension}"


# Who writes the journal entry of a download: the journal's app declares it (core imports no
# app). Apps that may import the journal call it themselves before `serve`; the others
# (the programme, beside the journal) call `journaled_download`.
_download_journal: Callable[..., object] | None = None


def declare_download_journal(record: Callable[..., object]) -> None:
    global _download_journal
    _download_journal = record


def journaled_download(request, stored: StoredFile, *, about, document: str) -> FileResponse:
    """The document, once the download is journaled (who, which document, about what row).
    The caller has checked who may read it."""
    if _download_journal is None:
        raise ImproperlyConfigured("Aucun journal des téléchargements n'est déclaré.")
    _download_journal(user=request.user, about=about, document=document)
    return serve(stored)


def serve(stored: StoredFile, *, inline: bool = False) -> FileResponse:
    """The document itself, with the type read at reception. The caller has checked who may
    read it and journaled the download."""
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=not inline,
        filename=download_name(stored),
        content_type=stored.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
