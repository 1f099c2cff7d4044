"""The participant's timeline, newest first: referral, appointments, outreach, assessments,
committee decisions, steps, contacts, changes of référent and exits."""

import dataclasses
import datetime

from django.utils import timezone

from plie.core import formatting
from plie.participants.models import Participant
from plie.participants.presenters import exit_reason_label
from plie.pathways.enums import CommitteeDecision, CommitteeItemKind


@dataclasses.dataclass(frozen=True)
class Event:
    on: datetime.date
    title: str
    detail: str = ""


def _day(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date()
    return value


def timeline_for(participant: Participant, *, show_sensitive: bool = True) -> list[Event]:
    """Free-text reasons are left out for users who may not read sensitive data."""
    events: list[Event] = []
    for referral in participant.referrals.select_related("prescriber"):
        events.append(Event(referral.referred_on, "Orientation", f"par {referral.prescriber}"))
        for appointment in referral.appointments.all():
            events.append(
                Event(
                    _day(appointment.scheduled_for),
                    "Premier rendez-vous",
                    f"{timezone.localtime(appointment.scheduled_for):%H:%M} — {appointment.get_outcome_display()}",
                )
            )
        for attempt in referral.outreach_attempts.all():
            events.append(
                Event(
                    attempt.attempted_on,
                    f"Aller-vers : {attempt.get_mode_display()}",
                    attempt.get_result_display(),
                )
            )
        if referral.closed_on:
            events.append(
                Event(referral.closed_on, "Orientation close", referral.get_outcome_display())
            )
    for pathway in participant.pathways.all():
        for assessment in pathway.eligibility_assessments.all():
            events.append(
                Event(
                    _day(assessment.evaluated_at),
                    "Examen d'éligibilité",
                    f"{assessment.get_verdict_display()} ({assessment.protocol.name})",
                )
            )
        for item in pathway.committee_items.select_related("meeting"):
            events.append(
                Event(
                    _day(item.proposed_at),
                    "Proposition d'entrée en commission"
                    if item.kind == CommitteeItemKind.ENTRY
                    else "Proposition de sortie en commission",
                    f"commission du {formatting.day(item.meeting.held_on)}",
                )
            )
            if item.decision != CommitteeDecision.PENDING:
                detail = item.reason if show_sensitive else ""
                if (
                    item.decision == CommitteeDecision.VALIDATED
                    and item.kind == CommitteeItemKind.ENTRY
                ):
                    detail = f"référent(e) : {pathway.referent}"
                events.append(
                    Event(
                        item.meeting.held_on,
                        f"Commission : {item.get_kind_display().lower()} "
                        f"{item.get_decision_display().lower()}",
                        detail,
                    )
                )
        for step in pathway.steps.select_related("step_type"):
            events.append(
                Event(step.start_date, f"Début d'étape : {step.step_type}", step.organisation_name)
            )
            if step.end_date:
                events.append(
                    Event(
                        step.end_date,
                        f"Fin d'étape : {step.step_type}",
                        step.get_outcome_display(),
                    )
                )
        for contact in pathway.contacts.select_related("by"):
            events.append(
                Event(
                    contact.contacted_on,
                    f"Contact : {contact.get_mode_display()}",
                    f"avec {contact.by}",
                )
            )
        for change in pathway.referent_changes.select_related("previous_referent", "new_referent"):
            events.append(
                Event(
                    change.changed_on,
                    "Changement de référent(e)",
                    f"{change.previous_referent} → {change.new_referent} : {change.reason}",
                )
            )
        if pathway.exit_date:
            reason = pathway.exit_condition_label or exit_reason_label(
                pathway, show_sensitive=show_sensitive
            )
            events.append(
                Event(pathway.exit_date, f"Sortie du parcours n° {pathway.number}", reason)
            )
    # Newest first; within a day, the last recorded first.
    ordered = sorted(enumerate(events), key=lambda pair: (pair[1].on, pair[0]), reverse=True)
    return [event for _, event in ordered]
