"""The one table of the base layer: the tokens of creating forms already saved."""

from django.db import models


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
