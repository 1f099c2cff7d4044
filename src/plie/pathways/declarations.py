"""What the pathways app adds to the menu, the participant page and its history
(core.plugins), and its entries of the personal-data register (register.py); run when the app
is ready."""

import datetime

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Prefetch
from django.utils import timezone

from plie.core import formatting
from plie.core.plugins import (
    HistoryEvent,
    MenuEntry,
    ParticipantSection,
    declare_history_source,
    declare_menu_entry,
    declare_participant_section,
)
from plie.core.register import shown
from plie.pathways import presenters, register
from plie.pathways.entry_summary import exit_reason_label
from plie.pathways.models import Contact, EligibilityAssessment, ReferentChange, Step


def _perm(name: str):
    return lambda user: user.has_perm(name)


def _day(value: datetime.datetime) -> datetime.date:
    return timezone.localtime(value).date()


# Within a day, the pathway's course (core.plugins.HistoryEvent): the entry decision (5) and
# the referral's closing (participants, 6) come before the day's steps, contacts and their
# corrections or withdrawals (7, in the order they were recorded), then step ends and changes
# of référent (8), the exit decision (committee, 9) and the exit (10).
RECORDED = 7
ENDED = 8
EXITED = 10

# The fields of a correction the history names; the others (who recorded it, when, a
# withdrawal) are not the person's course.
_NOT_A_CORRECTION = {"withdrawn_at", "withdrawn_by", "withdrawal_reason", "created_at", "version"}


def _withdrawal(record, title: str, what: str, show_sensitive: bool) -> HistoryEvent:
    """« Étape retirée : motif » on the day of the withdrawal; the reason is a free text,
    read only by those who read sensitive data (as a step's notes, a contact's summary)."""
    at = timezone.localtime(record.withdrawn_at)
    return HistoryEvent(
        at.date(),
        f"{title} : {record.withdrawal_reason}" if show_sensitive else title,
        f"{what}, par {record.withdrawn_by}",
        rank=RECORDED,
        at=at,
    )


def _field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _corrections(steps: list[Step], contacts: list[Contact]) -> list[HistoryEvent]:
    """« Étape corrigée » / « Contact corrigé » each time a recorded step or contact was changed
    afterwards, with the fields changed (not their values: the journal keeps those, for
    those who may read them) and who changed them; read from the journal in one query."""
    records = {(ContentType.objects.get_for_model(Step).pk, step.pk): step for step in steps} | {
        (ContentType.objects.get_for_model(Contact).pk, contact.pk): contact for contact in contacts
    }
    if not records:
        return []
    entries = LogEntry.objects.filter(
        action=LogEntry.Action.UPDATE,
        content_type_id__in={key[0] for key in records},
        object_id__in={key[1] for key in records},
    ).select_related("actor")
    events = []
    for entry in entries:
        record = records.get((entry.content_type_id, entry.object_id))
        if record is None:
            continue
        fields = [name for name in entry.changes_dict if name not in _NOT_A_CORRECTION]
        if not fields:
            continue
        at = timezone.localtime(entry.timestamp)
        labels = ", ".join(_field_label(type(record), name) for name in fields)
        if isinstance(record, Step):
            title, what = (
                "Étape corrigée",
                f"{record.step_type} du {formatting.day(record.start_date)}",
            )
        else:
            title, what = "Contact corrigé", str(record)
        by = f", par {entry.actor}" if entry.actor else ""
        events.append(
            HistoryEvent(at.date(), title, f"{what} — {labels}{by}", rank=RECORDED, at=at)
        )
    return events


def history(participant, show_sensitive: bool) -> list[HistoryEvent]:
    """Eligibility assessments, steps, contacts, changes of référent and exits (the reason of a
    change of référent, a free text, only for those who read sensitive data)."""
    events = []
    show_reasons = shown("pathways.ReferentChange.reason", show_sensitive)
    pathways = participant.pathways.select_related("referent").prefetch_related(
        Prefetch(
            "eligibility_assessments",
            EligibilityAssessment.objects.select_related("protocol"),
        ),
        # Withdrawn rows too: the history says they were withdrawn.
        Prefetch(
            "steps",
            Step.including_withdrawn.select_related("step_type", "withdrawn_by"),
            to_attr="all_steps",
        ),
        Prefetch(
            "contacts",
            Contact.including_withdrawn.select_related("by", "withdrawn_by"),
            to_attr="all_contacts",
        ),
        Prefetch(
            "referent_changes",
            ReferentChange.objects.select_related("previous_referent", "new_referent"),
        ),
    )
    steps: list[Step] = []
    contacts: list[Contact] = []
    for pathway in pathways:
        steps += pathway.all_steps
        contacts += pathway.all_contacts
        for assessment in pathway.eligibility_assessments.all():
            events.append(
                HistoryEvent(
                    _day(assessment.evaluated_at),
                    "Examen d'éligibilité",
                    f"{assessment.get_verdict_display()} ({assessment.protocol.name})",
                    rank=3,
                    at=timezone.localtime(assessment.evaluated_at),
                )
            )
        for step in pathway.all_steps:
            if step.is_withdrawn:
                events.append(
                    _withdrawal(
                        step,
                        "Étape retirée",
                        f"{step.step_type} du {formatting.day(step.start_date)}",
                        show_sensitive,
                    )
                )
                continue
            events.append(
                HistoryEvent(
                    step.start_date,
                    f"Début d'étape : {step.step_type}",
                    step.organisation_name,
                    rank=RECORDED,
                    at=timezone.localtime(step.created_at),
                )
            )
            if step.end_date:
                events.append(
                    HistoryEvent(
                        step.end_date,
                        f"Fin d'étape : {step.step_type}",
                        step.get_outcome_display(),
                        rank=ENDED,
                    )
                )
        for contact in pathway.all_contacts:
            if contact.is_withdrawn:
                events.append(_withdrawal(contact, "Contact retiré", str(contact), show_sensitive))
                continue
            events.append(
                HistoryEvent(
                    contact.contacted_on,
                    f"Contact : {contact.get_mode_display()}",
                    f"avec {contact.by}",
                    rank=RECORDED,
                    at=timezone.localtime(contact.created_at),
                )
            )
        for change in pathway.referent_changes.all():
            events.append(
                HistoryEvent(
                    change.changed_on,
                    "Changement de référent(e)",
                    f"{change.previous_referent} → {change.new_referent}"
                    + (f" : {change.reason}" if show_reasons else ""),
                    rank=ENDED,
                )
            )
        if pathway.exit_date:
            reason = pathway.exit_condition_label or exit_reason_label(
                pathway, show_sensitive=show_sensitive
            )
            events.append(
                HistoryEvent(
                    pathway.exit_date,
                    f"Sortie du parcours n° {pathway.number}",
                    reason,
                    rank=EXITED,
                )
            )
    return events + _corrections(steps, contacts)


def declare() -> None:
    register.declare()
    declare_menu_entry(
        MenuEntry("À suivre", "pathways:worklists", _perm("pathways.view_worklists"), order=30)
    )
    declare_menu_entry(
        MenuEntry("Sorties", "pathways:exits", _perm("pathways.view_worklists"), order=40)
    )
    declare_menu_entry(
        MenuEntry(
            "Files actives",
            "pathways:caseloads",
            _perm("pathways.view_caseloads"),
            order=100,
            group="Pilotage",
        )
    )
    sections = (
        ("etapes", "Étapes", "pathways/_steps.html", presenters.steps_section, 30),
        ("sortie", "Sortie", "pathways/_exit.html", presenters.exit_section, 40),
        ("contacts", "Contacts", "pathways/_contacts.html", presenters.contacts_section, 50),
        (
            "parcours",
            "Parcours",
            "pathways/_entry_file.html",
            presenters.entry_file_section,
            60,
        ),
        (
            "eligibilite",
            "Éligibilité",
            "pathways/_eligibility.html",
            presenters.eligibility_section,
            70,
        ),
    )
    for anchor, title, template, context, order in sections:
        declare_participant_section(ParticipantSection(anchor, title, template, context, order))
    declare_history_source(history)
