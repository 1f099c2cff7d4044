"""What a sending changed in the database, and whether what it stored is valid."""

import datetime

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from plie.core.dates import date_out_of_bounds
from plie.core.text import first_hidden_character

# Written on every request whatever it carries (who read what, the session): not data the
# form writes.
NOT_FORM_DATA = {"audit", "auditlog", "sessions", "axes", "admin", "contenttypes"}


def watched_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label not in NOT_FORM_DATA and not model._meta.proxy
    ]


Snapshot = dict[type[models.Model], dict[object, tuple]]


def snapshot() -> Snapshot:
    taken = {}
    for model in watched_models():
        names = [f.attname for f in model._meta.concrete_fields]
        taken[model] = {row[0]: row for row in model._default_manager.values_list("pk", *names)}
    return taken


def changes(before: Snapshot, after: Snapshot) -> dict[type[models.Model], set]:
    """The rows added, changed or deleted, by model (their primary keys)."""
    found = {}
    for model, rows in after.items():
        old = before.get(model, {})
        changed = {pk for pk, row in rows.items() if old.get(pk) != row}
        changed |= old.keys() - rows.keys()
        if changed:
            found[model] = changed
    return found


def stored_problems(before: Snapshot, changed: dict[type[models.Model], set]) -> list[str]:
    """What is wrong with the rows a sending added or changed: a hidden character in a text,
    a row its own model refuses (`full_clean`), a date outside 1900 .. ten years ahead. Of a
    row that was there before, only the fields the sending changed are judged (the records
    built by the test's factories leave some fields empty that a page always fills in)."""
    problems = []
    today = timezone.localdate()
    for model, pks in changed.items():
        fields = model._meta.concrete_fields
        for row in model._default_manager.filter(pk__in=pks):
            where = f"{model._meta.label} {row.pk}"
            old = before.get(model, {}).get(row.pk)
            judged = {
                field.attname
                for position, field in enumerate(fields, start=1)
                if old is None or old[position] != getattr(row, field.attname)
            }
            for field in fields:
                if field.attname not in judged:
                    continue
                value = getattr(row, field.attname)
                if isinstance(field, models.CharField | models.TextField) and isinstance(
                    value, str
                ):
                    multiline = isinstance(field, models.TextField)
                    if first_hidden_character(value, multiline=multiline):
                        problems.append(f"{where}.{field.name} : caractère caché {value!r:.80}")
                elif isinstance(value, datetime.date) and field.name not in AUTOMATIC:
                    day = value.date() if isinstance(value, datetime.datetime) else value
                    if out := date_out_of_bounds(day, today):
                        problems.append(f"{where}.{field.name} = {value} : {out}")
            try:
                row.full_clean()
            except ValidationError as error:
                names = {f.name for f in fields if f.attname in judged} | {"__all__"}
                if wrong := {k: v for k, v in error.message_dict.items() if k in names}:
                    problems.append(f"{where} : {wrong}")
    return problems


# Dates the application sets itself (the moment of a save), never typed.
AUTOMATIC = {"created_at", "updated_at", "expires_at"}
