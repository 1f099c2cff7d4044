"""The tables of the base layer: the tokens of creating forms already saved, the documents
received and the notices left to users — none of them about a participant."""

from django.conf import settings
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class FormSubmission(models.Model):
    """A creating form's one-time token, kept once a form carrying it has been saved, with the
    address of what it created (core/submissions.py). Nothing about a person is kept here."""

    token = models.CharField("jeton", max_length=64, primary_key=True)
    submitted_at = models.DateTimeField("envoyé le", auto_now_add=True, db_index=True)
    result_url = models.CharField("adresse de ce qui a été créé", max_length=300, blank=True)

    class Meta:
        verbose_name = "formulaire de création enregistré"
        verbose_name_plural = "formulaires de création enregistrés"

    def __str__(self) -> str:
        return f"Formulaire envoyé le {self.submitted_at:%d/%m/%Y}"


class _UploadsStorage(LazyObject):
    """settings.STORAGES["uploads"], read when first used and again after the setting
    changes (a test's own folder): a field keeps the storage object it was given."""

    def _setup(self):
        self._wrapped = storages["uploads"]


uploads_storage = _UploadsStorage()


def _uploads_storage():
    """Named in the migrations instead of the storage's settings (a folder of this machine)."""
    return uploads_storage


@receiver(setting_changed)
def _forget_uploads_storage(*, setting, **kwargs) -> None:
    if setting == "STORAGES":
        uploads_storage._wrapped = empty


def _server_name(instance: "StoredFile", filename: str) -> str:
    """The stored name is the server's (plie.core.uploads chose it): never the sender's."""
    return filename


class StoredFile(models.Model):
    """A document received through the application (a call's documents, a proposal, a
    deliverable, a budget's evidence): kept under a name the server chose, in the uploads
    storage (settings.STORAGES["uploads"]), and served only by the views of the app that
    links to it, which check who may read it and journal each download (plie.core.uploads).
    Its type was read from its content, not from its name."""

    file = models.FileField(
        "fichier", storage=_uploads_storage, upload_to=_server_name, max_length=200
    )
    original_name = models.CharField("nom du fichier envoyé", max_length=255)
    content_type = models.CharField("type", max_length=100)
    size = models.PositiveBigIntegerField("taille (octets)")
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    uploaded_at = models.DateTimeField("reçu le", auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="envoyé par",
    )

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = "document reçu"
        verbose_name_plural = "documents reçus"

    def __str__(self) -> str:
        return self.original_name


class NoticeQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    """A message the application leaves a user (a deposit receipt, a written consultation
    to answer, an award, a deliverable to check), shown on their notices page and sent by
    e-mail too (plie.core.notices). It names documents and calls, never a participant."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name="destinataire",
    )
    subject = models.CharField("objet", max_length=200)
    body = models.TextField("message", max_length=4000)
    url = models.CharField("adresse à ouvrir", max_length=300, blank=True)
    created_at = models.DateTimeField("envoyé le", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("lu le", null=True, blank=True)
    emailed = models.BooleanField("envoyé par courriel", default=False)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "avis"
        verbose_name_plural = "avis"

    def __str__(self) -> str:
        return self.subject
