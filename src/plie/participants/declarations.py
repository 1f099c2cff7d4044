"""What the participants app adds to the menu, the start page, the participant page and its
history (core.plugins), and its entries of the personal-data register (register.py); run when
the app is ready."""

import datetime

from django.utils import timezone

from plie.core.plugins import (
    HistoryEvent,
    MenuEntry,
    ParticipantPage,
    ParticipantSection,
    StartPage,
    declare_history_source,
    declare_menu_entry,
    declare_participant_section,
    declare_start_page,
)
from plie.participants import register
from plie.participants.enums import ReferralStatus
from plie.participants.forms import (
    AppointmentForm,
    AppointmentOutcomeForm,
    CloseReferralForm,
    OutreachAttemptForm,
)


def _perm(name: str):
    return lambda user: user.has_perm(name)


def identity(page: ParticipantPage) -> dict:
    return {}


def referral_section(page: ParticipantPage) -> dict | None:
    referral = page.participant.referrals.select_related("prescriber").first()
    if referral is None:
        return None
    user, participant = page.user, page.participant
    appointments = list(referral.appointments.select_related("with_user"))
    for appointment in appointments:
        # Each line's form says which state of its appointment the page showed.
        appointment.outcome_form = AppointmentOutcomeForm(
            record=appointment, auto_id=f"id_rdv{appointment.pk}_%s"
        )
    return {
        "can_plan_appointment": user.has_perm("participants.plan_appointment", participant),
        "can_record_outreach": user.has_perm("participants.record_outreach", participant),
        "can_close_referral": user.has_perm("participants.close_referral", participant),
        "referral": referral,
        "appointments": appointments,
        "attempts": referral.outreach_attempts.select_related("by"),
        "ReferralStatus": ReferralStatus,
        "appointment_form": page.forms.get("appointment_form") or AppointmentForm(),
        "outreach_form": page.forms.get("outreach_form")
        or OutreachAttemptForm(show_sensitive=page.show_sensitive),
        "close_form": page.forms.get("close_form")
        or CloseReferralForm(prefix="close", record=referral),
    }


def _moment(value: datetime.datetime) -> tuple[datetime.date, datetime.datetime]:
    local = timezone.localtime(value)
    return local.date(), local


def history(participant, show_sensitive: bool) -> list[HistoryEvent]:
    """Referrals, first appointments, outreach and closures (free texts are not shown)."""
    events = []
    for referral in participant.referrals.select_related("prescriber"):
        events.append(
            HistoryEvent(referral.referred_on, "Orientation", f"par {referral.prescriber}", rank=0)
        )
        for appointment in referral.appointments.all():
            day, moment = _moment(appointment.scheduled_for)
            events.append(
                HistoryEvent(
                    day,
                    "Premier rendez-vous",
                    f"{moment:%H:%M} — {appointment.get_outcome_display()}",
                    rank=1,
                    at=moment,
                )
            )
        for attempt in referral.outreach_attempts.all():
            events.append(
                HistoryEvent(
                    attempt.attempted_on,
                    f"Aller-vers : {attempt.get_mode_display()}",
                    attempt.get_result_display(),
                    rank=2,
                )
            )
        if referral.closed_on:
            events.append(
                HistoryEvent(
                    referral.closed_on, "Orientation close", referral.get_outcome_display(), rank=6
                )
            )
    return events


def declare() -> None:
    register.declare()
    declare_menu_entry(
        MenuEntry(
            lambda user: "Mes participants" if user.is_referent else "Participants",
            "web:participant_list",
            _perm("participants.view_participant_list"),
            order=10,
        )
    )
    declare_menu_entry(
        MenuEntry(
            "Nouvelle orientation",
            "participants:referral_create",
            _perm("participants.record_referral"),
            order=20,
        )
    )
    declare_menu_entry(
        MenuEntry(
            "Aller-vers",
            "participants:outreach",
            _perm("participants.view_outreach_worklist"),
            order=50,
        )
    )
    declare_start_page(
        StartPage(
            "web:participant_list",
            lambda user: user.is_referent or user.is_coordination_team,
            order=10,
        )
    )
    declare_participant_section(
        ParticipantSection(
            "identite", "Identité", "participants/_identity.html", identity, order=10
        )
    )
    declare_participant_section(
        ParticipantSection(
            "orientation", "Orientation", "participants/_referral.html", referral_section, order=20
        )
    )
    declare_history_source(history)
