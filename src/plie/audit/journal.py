"""Journal the refused attempts, the documents taken away and the searches for duplicates
(the pages shown are journaled by audit/reads.py); read the journal back, each value shown
only to a reader whose role reads that field in the record (the personal-data register,
core.register)."""

import contextlib
import datetime
from collections import defaultdict
from dataclasses import dataclass

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst

from plie.audit.events import Event
from plie.audit.models import Shown
from plie.audit.reads import participant_type
from plie.core.plurals import counted
from plie.core.register import PersonalField, register


def record_refusal(*, user, participant) -> None:
    LogEntry.objects.log_create(
        participant,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=user,
        changes={},
        additional_data={"event": Event.REFUSED, "participant_id": participant.pk, "refused": True},
    )


def record_document(*, user, about, document: str, participant_ids=(), **details) -> LogEntry:
    """A file that names people leaves the application (agenda, minutes, extraction,
    export): who took it, which document, and — when it lists them — which people."""
    ids = list(dict.fromkeys(participant_ids))
    data: dict = {"event": Event.DOWNLOAD, "document": document, **details}
    if ids:
        data["participant_ids"] = ids
    with transaction.atomic():
        entry = LogEntry.objects.log_create(
            about,
            force_log=True,
            action=LogEntry.Action.ACCESS,
            actor=user,
            changes={},
            additional_data=data,
        )
        Shown.objects.bulk_create(Shown(entry=entry, participant_id=pk) for pk in ids)
    return entry


def record_duplicate_check(*, user, found, in_scope) -> LogEntry:
    """A search for a person already known, made before recording a new one: who searched,
    which files it found (`found`, ids) and which of them the searcher may open
    (`in_scope`). The name and birth date typed are not kept."""
    found, in_scope = list(dict.fromkeys(found)), [pk for pk in found if pk in set(in_scope)]
    outside = len(found) - len(in_scope)
    summary = counted(len(found), "un dossier trouvé")
    if outside:
        summary += f", dont {outside} hors de ses dossiers"
    with transaction.atomic():
        entry = LogEntry.objects.create(
            content_type=participant_type(),
            object_pk="",
            object_repr=f"Recherche de doublon : {summary}",
            action=LogEntry.Action.ACCESS,
            actor=user,
            changes={},
            additional_data={
                "event": Event.DUPLICATE_CHECK,
                "participant_ids": found,
                "outside_scope": [pk for pk in found if pk not in in_scope],
            },
        )
        Shown.objects.bulk_create(Shown(entry=entry, participant_id=pk) for pk in found)
    return entry


# ---------------------------------------------------------------------------
# Reading the journal: each recorded change (field, before, after) put in words.
#
# auditlog's `changes_display_dict` already swaps choices and foreign keys for their labels,
# but it shows booleans as True/False, prints JSON as stored, names the fields that have no
# verbose_name in English ("evaluated at"), repeats the reverse relations of a creation
# ("accounts.User.None") and runs one query per foreign key. The journal reads the raw
# `changes_dict` here instead, with the field's own verbose_name and choices, and fetches the
# related objects of a whole page at once.

EMPTY = "Non renseigné"

# French names for the journaled fields whose model gives no verbose_name and which hold no
# personal data (those that do are named by their entry of the personal-data register).
FIELD_LABELS = {
    "created_at": "créé le",
    "participant": "participant(e)",
    "pathway": "parcours",
    "programme": "PLIE",
    "protocol": "protocole",
    "protocol_version": "version du protocole",
    "referral": "orientation",
    # The links of the programme's and the purchasing chain's rows to what they belong to.
    "operation": "opération",
    "statement": "situation budgétaire",
    "agreement": "convention",
    "instalment": "échéance",
    "document": "document",
    "description": "description",
    "template": "modèle d'échéancier",
    "call": "appel à propositions",
    "proposal": "proposition",
    "evaluation": "évaluation",
    "criterion": "critère",
    "consultation": "consultation écrite",
    # The links of the actions' rows.
    "action": "action",
    "cohort": "groupe",
    "session": "séance",
    "positioning": "positionnement CléA",
    "sheet": "fiche de suivi",
    "domain": "domaine CléA",
    "date": "date",
}

# What a reader reads instead of a value their role does not read in the record.
WITHHELD = "valeur réservée"
# What the journal says of a sensitive field's change, whose values it does not keep.
NOT_KEPT = "donnée sensible : le journal ne garde pas sa valeur"


@dataclass(frozen=True)
class Change:
    """One line of the journal's detail: `before` is None for a creation, `after` for a deletion;
    `note` replaces both when the values are not worth printing (a JSON rule)."""

    label: str
    before: str | None = None
    after: str | None = None
    note: str = ""


def _entry(model, name: str) -> PersonalField | None:
    return register.get(model._meta.label, name) if model is not None else None


def field_label(field) -> str:
    entry = _entry(getattr(field, "model", None), field.name)
    if entry is not None and entry.label:
        return capfirst(entry.label)
    verbose_name = str(getattr(field, "verbose_name", "") or "")
    if not verbose_name or verbose_name == field.name.replace("_", " "):
        verbose_name = FIELD_LABELS.get(field.name, verbose_name or field.name)
    return capfirst(verbose_name)


def _is_empty(value) -> bool:
    return value is None or value in ("None", "")


def _kind(entry) -> str:
    if entry.action == LogEntry.Action.CREATE:
        return "create"
    if entry.action == LogEntry.Action.DELETE:
        return "delete"
    return "update"


def _m2m_change(label: str, values: dict) -> Change:
    objects = ", ".join(str(name) for name in values.get("objects") or []) or EMPTY
    if values.get("operation") == "delete":
        return Change(label, note=f"retiré : {objects}")
    return Change(label, note=f"ajouté : {objects}")


class _RelatedObjects:
    """The objects that the foreign keys of a page of entries point at, fetched once per model."""

    def __init__(self):
        self.wanted: dict = defaultdict(set)
        self.found: dict = {}

    def want(self, field, value) -> None:
        if not _is_empty(value):
            with contextlib.suppress(ValidationError, TypeError, ValueError):
                self.wanted[field.related_model].add(field.target_field.to_python(value))

    def fetch(self) -> None:
        for model, pks in self.wanted.items():
            self.found[model] = model._default_manager.select_related().in_bulk(pks)

    def display(self, field, value) -> str:
        try:
            pk = field.target_field.to_python(value)
        except (ValidationError, TypeError, ValueError):
            return str(value)
        obj = self.found.get(field.related_model, {}).get(pk)
        if obj is None:
            name = capfirst(field.related_model._meta.verbose_name)
            return f"{name} supprimé(e) (n° {pk})"
        return str(obj)


def _parse_datetime(value):
    parsed = datetime.datetime.fromisoformat(str(value))
    if timezone.is_naive(parsed):  # auditlog keeps datetimes as naive UTC
        parsed = timezone.make_aware(parsed, datetime.UTC)
    return timezone.localtime(parsed)


def _display(field, value, related: _RelatedObjects) -> str:
    """One stored value (a string, as auditlog keeps it) as a person reads it."""
    if _is_empty(value):
        return EMPTY
    choices = dict(field.flatchoices) if getattr(field, "flatchoices", None) else {}
    if isinstance(field, models.BooleanField):
        choices = choices or {True: "Oui", False: "Non"}
    if choices:
        with contextlib.suppress(ValidationError, TypeError, ValueError):
            return str(choices.get(field.to_python(value), value))
        return str(value)
    if field.is_relation:
        return related.display(field, value)
    try:
        if isinstance(field, models.DateTimeField):
            return date_format(_parse_datetime(value), "d/m/Y H:i")
        if isinstance(field, models.DateField):
            return date_format(datetime.date.fromisoformat(str(value)[:10]), "d/m/Y")
    except ValueError:
        pass
    return str(value)


def _journaled_fields(entry) -> list:
    """(field or None, name, values) for each recorded change that says something, in the order
    of the model's fields (the form's order, not the database's order of JSON keys)."""
    fields = list(_recorded_fields(entry))
    order = {name: position for position, (_field, name, _values) in enumerate(fields)}
    return sorted(
        fields,
        key=lambda row: (row[0] is None, getattr(row[0], "creation_counter", 0), order[row[1]]),
    )


def _recorded_fields(entry):
    model = entry.content_type.model_class()
    for name, values in (entry.changes_dict or {}).items():
        field = None
        if model is not None:
            with contextlib.suppress(FieldDoesNotExist):
                field = model._meta.get_field(name)
        if field is not None and (field.auto_created and not field.concrete):
            continue  # a reverse relation: auditlog prints the manager ("accounts.User.None")
        if field is not None and field.primary_key:
            continue
        yield field, name, values


def _withheld(model, name: str, reader_role: str) -> bool:
    """A value of a field the reader's role does not read in the record, or a field whose
    values may be sensitive (an exit « for health reasons ») when the role does not read
    those: the journal names the field, never the value."""
    entry = _entry(model, name)
    return entry is not None and not entry.read_by(reader_role)


def describe_changes(entries, *, reader_role: str) -> dict:
    """The readable changes of each entry, by entry pk: a list of Change; the values a
    reader with `reader_role` does not read in the record are withheld."""
    related = _RelatedObjects()
    journaled = {entry.pk: _journaled_fields(entry) for entry in entries}
    for fields in journaled.values():
        for field, _name, values in fields:
            if field is not None and (field.many_to_one or field.one_to_one):
                for value in values if isinstance(values, (list, tuple)) else ():
                    related.want(field, value)
    related.fetch()

    described = {}
    for entry in entries:
        kind = _kind(entry)
        model = entry.content_type.model_class()
        rows = []
        for field, name, values in journaled[entry.pk]:
            label = field_label(field) if field is not None else capfirst(name.replace("_", " "))
            change = _change(kind, label, field, values, related)
            if change is None:
                continue
            rows.append(
                Change(label, note=WITHHELD) if _withheld(model, name, reader_role) else change
            )
        described[entry.pk] = rows
    return described


def _not_kept(label: str, mark: dict) -> Change | None:
    """A sensitive field's change (audit/masking.py): what happened, without the values."""
    operation = mark.get("operation")
    if operation:
        return Change(label, note=f"{'retiré' if operation == 'delete' else 'ajouté'} ({NOT_KEPT})")
    before, after = mark.get("filled") or (True, True)
    if not before and not after:
        return None
    what = "renseigné" if not before else "effacé" if not after else "modifié"
    return Change(label, note=f"{what} ({NOT_KEPT})")


JSON_SUMMARY = {
    "create": "contenu saisi",
    "update": "contenu modifié",
    "delete": "contenu effacé",
}


def _change(kind: str, label: str, field, values, related: _RelatedObjects) -> Change | None:
    """One recorded change in words; None when it says nothing (an empty value created)."""
    if isinstance(values, dict) and values.get("type") == "sensitive":
        return _not_kept(label, values)
    if isinstance(values, dict) and values.get("type") == "m2m":
        return _m2m_change(label, values)
    if not isinstance(values, (list, tuple)) or len(values) != 2:
        return None
    if field is None:
        before, after = (EMPTY if _is_empty(v) else str(v) for v in values)
    elif field.many_to_many:
        return None  # an old record of the manager itself, not of its content
    elif isinstance(field, models.JSONField):
        return Change(label, note=JSON_SUMMARY[kind])
    else:
        before, after = (_display(field, value, related) for value in values)
    if kind == "create":
        return Change(label, after=after) if not _is_empty(values[1]) else None
    if kind == "delete":
        return Change(label, before=before) if not _is_empty(values[0]) else None
    return Change(label, before=before, after=after)


def subject(entry) -> str:
    """What the entry is about, without saying it twice ("Examen d'éligibilité : Éligible");
    the read of a list or a page of several people, by the page's name alone ("Journal")."""
    if (entry.additional_data or {}).get("event") == Event.LIST:
        return entry.object_repr or ""
    model = entry.content_type.model_class()
    kind = capfirst(model._meta.verbose_name) if model else ""
    shown = entry.object_repr or ""
    if not kind or shown.casefold().startswith(kind.casefold()):
        return shown
    return f"{kind} : {shown}" if shown else kind
