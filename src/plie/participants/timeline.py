"""The participant's timeline: referral, appointments, outreach, assessments, committee
decisions, entry and changes of référent, newest first. Later issues add steps and contacts."""

import dataclasses
import datetime

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from plie.participants.models import Participant
from plie.pathways.enums import CommitteeDecision


@dataclasses.dataclass(frozen=True)
class Event:
    on: datetime.date
    title: str
    detail: str = ""


def _day(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).date()
    return value


def timeline_for(participant: Participant) -> list[Event]:
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
                    f"Aller-vers : {attempt.get_mode_display().lower()}",
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
                    f"Proposition d'{item.get_kind_display().lower()} en commission",
                    f"commission du {item.meeting.held_on:%d/%m/%Y}",
                )
            )
            if item.decision != CommitteeDecision.PENDING:
                events.append(
                    Event(
                        item.meeting.held_on,
                        f"Commission : {item.get_kind_display().lower()} {item.get_decision_display().lower()}",
                        item.reason,
                    )
                )
        if pathway.exit_date:
            events.append(Event(pathway.exit_date, f"Sortie du parcours n° {pathway.number}"))
    events.extend(_referent_changes(participant))
    return sorted(events, key=lambda event: event.on, reverse=True)


def _referent_changes(participant: Participant) -> list[Event]:
    from plie.accounts.models import User

    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Participant),
        object_id=participant.pk,
        action=LogEntry.Action.UPDATE,
    ).only("timestamp", "changes")
    changes = []
    for entry in entries:
        change = (entry.changes_dict or {}).get("referent")
        if change and change[1] not in (None, "None"):
            changes.append((entry.timestamp, change[0] in (None, "None"), change[1]))
    if not changes:
        return []
    ids = [new for _, _, new in changes if str(new).isdigit()]
    names = {str(user.pk): str(user) for user in User.objects.filter(pk__in=ids)}
    return [
        Event(
            _day(stamp),
            "Référent(e) désigné(e)" if first else "Changement de référent(e)",
            names.get(str(new), str(new)),
        )
        for stamp, first, new in changes
    ]
