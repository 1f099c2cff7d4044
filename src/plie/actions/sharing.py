"""What the provider of an action may read of a person referred to it (issue 12, §2): the
fields the référent chose among those the personal-data register lets pass to a provider
(`PersonalField.shared_on_referral`, never a sensitive one). The name is always passed: the
provider needs it to welcome the person and to have the attendance sheet signed."""

from __future__ import annotations

import dataclasses

from django.apps import apps

from plie.core import formatting
from plie.core.register import PersonalField, register

ALWAYS_SHARED = ("participants.Participant.last_name", "participants.Participant.first_name")


@dataclasses.dataclass(frozen=True)
class SharedValue:
    label: str
    value: str


def choices() -> list[tuple[str, str]]:
    """The fields a référent may tick on the referral form, as (key, French label), without
    the name that always goes."""
    return [
        (entry.key, _label(entry))
        for entry in register.shared_on_referral()
        if entry.key not in ALWAYS_SHARED
    ]


def allowed(keys) -> list[str]:
    """`keys` kept to those the register lets pass, in the register's order (a forged key is
    dropped, never read)."""
    wanted = set(keys)
    return [entry.key for entry in register.shared_on_referral() if entry.key in wanted]


def _label(entry: PersonalField) -> str:
    if entry.label:
        return entry.label
    model = apps.get_model(entry.model)
    return str(model._meta.get_field(entry.field).verbose_name).capitalize()


def _display(instance, field_name: str) -> str:
    field = instance._meta.get_field(field_name)
    if field.choices:
        return str(getattr(instance, f"get_{field_name}_display")() or "")
    value = getattr(instance, field_name)
    if value is None or value == "":
        return "Non renseigné"
    if hasattr(value, "strftime"):
        return formatting.day(value)
    return str(value)


def shared_values(referral) -> list[SharedValue]:
    """The values the provider reads for this referral, each with its French label: the name,
    then the fields the référent chose (and the register still lets pass)."""
    sources = {
        "participants.Participant": referral.participant,
        "pathways.Pathway": referral.pathway,
    }
    values = []
    for key in (*ALWAYS_SHARED, *allowed(referral.shared_fields)):
        model, field = key.rsplit(".", 1)
        instance = sources.get(model)
        if instance is None:
            continue
        values.append(SharedValue(_label(register.entry(model, field)), _display(instance, field)))
    return values
