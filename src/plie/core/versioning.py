"""Two people editing the same record: the second save, based on a page that is no longer
current, is refused and says what changed meanwhile, instead of silently reverting the first.

A versioned row (`Versioned`) carries a number raised by each save. A form that edits it
(`EditsRecordMixin`) carries, in one signed hidden field, the version its page showed and the
text of each field the page showed. The service that saves it locks the row inside its
transaction (`lock`, SELECT … FOR UPDATE on PostgreSQL; SQLite runs one writing
transaction at a time) and calls `ensure_unchanged`: when the version moved and a field of
the page changed meanwhile, `StaleEdit` (a ValidationError) lists each one — its label, the
value on the page, the value now — and nothing is written. A change elsewhere in the row
(the person's state, updated by a decision) does not refuse the edit: the service writes
only what the form holds, on the row it has just locked.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst

from plie.core import formatting
from plie.core.forms import apply_errors

SALT = "plie.core.versioning"
EMPTY = "(vide)"
LONGEST_SHOWN = 120  # characters of a long text quoted in the refusal

PAGE_OUT_OF_DATE = (
    "Cette page ne dit pas sur quelle version de la fiche elle repose : rechargez-la, "
    "puis saisissez de nouveau vos modifications."
)


class Versioned(models.Model):
    """A row that people edit through forms: its version goes up by one at each save."""

    version = models.PositiveIntegerField("version", default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)


def lock(record: models.Model) -> models.Model:
    """Reload `record` from its row as it is now, locked until the end of the transaction
    (withdrawn rows too); returns it. Any value set on it and not saved is dropped."""
    record.refresh_from_db(from_queryset=type(record)._base_manager.select_for_update())
    return record


def full_clean_of(record: models.Model, names) -> None:
    """Validate what a form changed (`names`), as the form did: the other fields keep what an
    older entry or an import gave them."""
    names = set(names)
    record.full_clean(exclude=[f.name for f in record._meta.fields if f.name not in names])


def bumped() -> models.Expression:
    """The version of a row changed by `.update()` or `bulk_update()`, which skip `save()`."""
    return models.F("version") + 1


# What a page showed ------------------------------------------------------------------------


def text_of(record: models.Model, name: str, shown: models.QuerySet | None = None) -> str:
    """A field's value as a person reads it: a choice by its label, a date « 31/12/2026 »,
    a yes-no question « Oui », a list of linked rows (only those in `shown`)."""
    field = record._meta.get_field(name)
    if field.many_to_many:
        linked = getattr(record, name).all()
        if shown is not None:
            linked = linked.filter(pk__in=shown.values("pk"))
        return ", ".join(sorted(str(row) for row in linked)) or EMPTY
    value = getattr(record, name)
    if field.choices and value not in (None, ""):
        return str(getattr(record, f"get_{name}_display")())
    return _plain(value)


def _plain(value) -> str:
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, datetime.datetime):
        return formatting.moment(timezone.localtime(value))
    if isinstance(value, datetime.date):
        return formatting.day(value)
    if isinstance(value, Decimal):
        return formatting.plain_number(value)
    return str(value)


@dataclass(frozen=True)
class Change:
    label: str
    seen: str
    now: str

    def __str__(self) -> str:
        return f"{self.label} : « {_short(self.seen)} » sur votre page, « {_short(self.now)} » maintenant."


def _short(text: str) -> str:
    return text if len(text) <= LONGEST_SHOWN else text[: LONGEST_SHOWN - 1] + "…"


class StaleEdit(ValidationError):
    """Refused: the record changed since the page was opened. `current` is the row as it is."""

    def __init__(self, changes: list[Change], current: models.Model):
        self.changes = changes
        self.current = current
        super().__init__(
            [
                "Quelqu'un a enregistré cette fiche pendant que vous la modifiiez : rien n'a été "
                "enregistré. Voici ce qui a changé entre-temps ; vos saisies sont restées dans "
                "le formulaire : reprenez-les au regard des valeurs actuelles, puis enregistrez.",
                *(str(change) for change in changes),
            ]
        )


@dataclass(frozen=True)
class Seen:
    """What the page showed: the row's version, and each field's label and text."""

    version: int
    texts: dict[str, str]
    labels: dict[str, str]
    describe: Callable[[models.Model], dict[str, str]]


def ensure_unchanged(current: models.Model, seen: Seen | None) -> None:
    """Inside the transaction, on the row just locked (`lock`): refuse when a field the page showed
    has changed since (nothing to check without a page: commands, imports, tests)."""
    if seen is None or current.version == seen.version:
        return
    now = seen.describe(current)
    changes = [
        Change(seen.labels[name], text, now[name])
        for name, text in seen.texts.items()
        if name in now and now[name] != text
    ]
    if changes:
        raise StaleEdit(changes, current)


class EditsRecordMixin:
    """A form editing a saved record carries the version and the values its page showed.

    A ModelForm watches its own model fields; another form names the record (`record=`) and
    the fields of it that its page shows (`watched_fields`). After validation, `seen` is what
    the services take; a refusal is shown by `refused(error)`, which also moves the form onto
    the current version so that the next save, once reviewed, goes through.
    """

    watched_fields: Iterable[str] = ()
    record_field = "record_version"

    def __init__(self, *args, record: models.Model | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record if record is not None else getattr(self, "instance", None)
        self.seen: Seen | None = None
        self.edits = self.record is not None and self.record.pk is not None
        if self.edits:
            field = forms.CharField(widget=forms.HiddenInput, required=False)
            # Drawn with the page, once the form has dropped what this user may not see.
            field.initial = lambda: self.stamp(self.record)
            self.fields[self.record_field] = field

    def _form_field(self, name: str) -> forms.Field | None:
        """The form's own field for a model field, in a model form (which shows it)."""
        model = getattr(getattr(self, "_meta", None), "model", None)
        return self.fields.get(name) if model is not None else None

    def watched(self) -> list[str]:
        """The record's fields the page shows: a model form's model fields, as this user has
        them (sensitive ones removed), or the named `watched_fields`."""
        model = getattr(getattr(self, "_meta", None), "model", None)
        if model is None:
            return list(self.watched_fields)
        names = {
            field.name for field in model._meta.get_fields() if field.concrete or field.many_to_many
        }
        return [name for name in self.fields if name in names]

    def describe(self, record: models.Model) -> dict[str, str]:
        texts = {}
        for name in self.watched():
            field = self._form_field(name)
            texts[name] = text_of(record, name, getattr(field, "queryset", None))
        return texts

    def labels(self) -> dict[str, str]:
        labels = {}
        for name in self.watched():
            field = self._form_field(name)
            label = field.label if field is not None and field.label else None
            labels[name] = str(label or capfirst(self.record._meta.get_field(name).verbose_name))
        return labels

    def stamp(self, record: models.Model) -> str:
        return signing.dumps(
            {"v": record.version, "t": self.describe(record)}, salt=SALT, compress=True
        )

    def clean(self):
        data = super().clean()
        if not self.edits:
            return data
        try:
            stamp = signing.loads(self.data.get(self.add_prefix(self.record_field), ""), salt=SALT)
            self.seen = Seen(int(stamp["v"]), dict(stamp["t"]), self.labels(), self.describe)
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            self.add_error(None, PAGE_OUT_OF_DATE)
        data.pop(self.record_field, None)
        return data

    def refused(self, error: ValidationError) -> None:
        """Put a service's refusal on the form; after a `StaleEdit`, the form stands on the
        current version with the user's input kept, and shows what changed."""
        if isinstance(error, StaleEdit):
            self.data = self.data.copy()
            self.data[self.add_prefix(self.record_field)] = self.stamp(error.current)
            for message in error.messages:
                self.add_error(None, message)
            return
        apply_errors(self, error)
