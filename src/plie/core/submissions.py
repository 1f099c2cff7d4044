"""A creating form is saved once, however often it is sent: a double click on « Enregistrer
le contact », a page sent again from the browser's history, two tabs.

Each drawing of a creating form (`SubmitsOnceMixin`) carries a new random token in a hidden
field. The view saves inside `once(token)`: one transaction which first records the token
(`FormSubmission`, primary key), then creates, then notes the address of what it created.
A second sending of the same token finds it recorded — on PostgreSQL it waits at the token's
key until the first transaction ends — and raises `AlreadySubmitted`, which sends the person
to what the first sending created, with a message. A sending refused (bad input) records
nothing: the form comes back with the same token, to be corrected and sent again.
"""

import datetime
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone

from plie.core.models import FormSubmission

KEPT_DAYS = 30  # a page kept open, or sent again from the history, within a month
TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")

ALREADY_SENT = (
    "Ce formulaire avait déjà été envoyé (double clic, ou page envoyée une seconde fois) : il "
    "n'a été enregistré qu'une fois. Voici ce qu'il a créé."
)
FORM_INCOMPLETE = (
    "Ce formulaire est incomplet (il lui manque son jeton d'envoi) : rechargez la page, puis "
    "saisissez de nouveau."
)


def new_token() -> str:
    return secrets.token_urlsafe(24)


class AlreadySubmitted(Exception):
    """This form was saved already: `url` is what it created."""

    def __init__(self, url: str):
        super().__init__(url)
        self.url = url

    def response(self, request):
        messages.info(request, ALREADY_SENT)
        return redirect(self.url or request.get_full_path())


class Submission:
    def __init__(self, token: str):
        self.token = token

    def leads_to(self, url: str) -> None:
        """Where a second sending of the form is sent: what this one created."""
        FormSubmission.objects.filter(token=self.token).update(result_url=url[:300])


@contextmanager
def once(token: str) -> Iterator[Submission]:
    """One transaction around a creation, which a second sending of `token` does not repeat."""
    with transaction.atomic():
        FormSubmission.objects.filter(
            submitted_at__lt=timezone.now() - datetime.timedelta(days=KEPT_DAYS)
        ).delete()
        try:
            with transaction.atomic():
                FormSubmission.objects.create(token=token)
        except IntegrityError:
            url = (
                FormSubmission.objects.filter(token=token)
                .values_list("result_url", flat=True)
                .first()
            )
            raise AlreadySubmitted(url or "") from None
        yield Submission(token)


class SubmitsOnceMixin:
    """A creating form: a hidden one-time token, new at each drawing, kept when redisplayed.
    A model form that edits a saved row (the same form serves both) carries none."""

    token_field = "submission"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.token = ""
        instance = getattr(self, "instance", None)
        self.creates = instance is None or instance.pk is None
        if self.creates:
            self.fields[self.token_field] = forms.CharField(
                widget=forms.HiddenInput, required=False
            )
            if not self.is_bound:
                self.initial[self.token_field] = new_token()

    def already_sent(self) -> AlreadySubmitted | None:
        """When this drawing of the form was saved already: for a view whose checks before
        saving would refuse a second sending (the person, the meeting now exist)."""
        if not self.is_bound or not self.creates:
            return None
        token = self.data.get(self.add_prefix(self.token_field), "")
        url = (
            FormSubmission.objects.filter(token=token).values_list("result_url", flat=True).first()
            if TOKEN.fullmatch(token)
            else None
        )
        return None if url is None else AlreadySubmitted(url)

    def clean(self):
        data = super().clean()
        if not self.creates:
            return data
        token = self.data.get(self.add_prefix(self.token_field), "")
        if TOKEN.fullmatch(token):
            self.token = token
        else:
            self.add_error(None, FORM_INCOMPLETE)
        data.pop(self.token_field, None)
        return data
