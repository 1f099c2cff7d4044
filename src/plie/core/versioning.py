"""Two people editing the same record: the second save, based on a page that is no longer
current, is refused and says what changed meanwhile, instead of silently reverting the first.

A versioned row (`Versioned`) carries a number raised by each save. A form that edits it
(`core.forms.EditsRecordMixin`) carries, in one signed hidden field, the version its page showed and the
text of each field the page showed. The service that saves it locks the row inside its
transaction (`lock`, SELECT … FOR UPDATE on PostgreSQL; SQLite runs one writing
transaction at a time) and calls `ensure_unchanged`: when the version moved and a field of
the page changed meanwhile, `StaleEdit` (a ValidationError) lists each one — its label, the
value on the page, the value now — and nothing is written. A change elsewhere in the row
(the person's state, updated by a decision) does not refuse the edit: the service writes
only what the form holds, on the row it has just locked. Every write raises the version:
`save()` does, and a bulk write sets `version=bumped()`.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from plie.core import formatting

EMPTY = "(vide)"
LONGEST_SHOWN = 120  # characters of a long text quoted in the refusal


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
    if record._meta.get_field(name).many_to_many:
        return text_of_value(record, name, getattr(record, name).all(), shown)
    return text_of_value(record, name, getattr(record, name))


def text_of_value(record: models.Model, name: str, value, shown=None) -> str:
    """`value`, for the field `name` of `record`, as `text_of` writes it (a value typed in a
    form is compared so with the row's)."""
    field = record._meta.get_field(name)
    if field.many_to_many:
        rows = list(value or [])
        if shown is not None:
            visible = set(shown.values_list("pk", flat=True))
            rows = [row for row in rows if row.pk in visible]
        return ", ".join(sorted(str(row) for row in rows)) or EMPTY
    if field.choices and value not in (None, ""):
        return str(dict(field.flatchoices).get(value, value))
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
    """A field changed meanwhile: its value on the page, and now."""

    name: str
    label: str
    seen: str
    now: str

    def __str__(self) -> str:
        return (
            f"{self.label} : « {short(self.seen)} » sur votre page, "
            f"« {short(self.now)} » maintenant."
        )


def short(text: str) -> str:
    return text if len(text) <= LONGEST_SHOWN else text[: LONGEST_SHOWN - 1] + "…"


STALE = (
    "Quelqu'un a enregistré cette fiche pendant que vous la modifiiez : rien n'a été "
    "enregistré. Voici ce qui a changé entre-temps ; relisez, puis enregistrez de nouveau."
)


class StaleEdit(ValidationError):
    """Refused: the record changed since the page was opened. `current` is the row as it is."""

    def __init__(self, changes: list[Change], current: models.Model):
        self.changes = changes
        self.current = current
        super().__init__([STALE, *(str(change) for change in changes)])


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
        Change(name, seen.labels[name], text, now[name])
        for name, text in seen.texts.items()
        if name in now and now[name] != text
    ]
    if changes:
        raise StaleEdit(changes, current)
