"""Writes on the participant record, from referral to the entry file. Each is one transaction.

The committee's decisions live in pathways/services.py.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from plie.core import formatting
from plie.participants.eligibility import assess
from plie.participants.enums import (
    AppointmentOutcome,
    OutreachResult,
    ParticipantStatus,
    PathwayStatus,
    ReferralOutcome,
    ReferralStatus,
)
from plie.participants.facts import facts_for
from plie.participants.models import (
    Appointment,
    EligibilityAssessment,
    OutreachAttempt,
    Participant,
    Pathway,
    Referral,
)
from plie.participants.selectors import protocol_in_force

OPEN_PATHWAY_STATUSES = (PathwayStatus.DRAFT, PathwayStatus.PROPOSED, PathwayStatus.ACTIVE)


def _next_file_number(programme, year: int) -> str:
    prefix = f"{year}-"
    last = Participant.objects.filter(
        programme=programme, file_number__startswith=prefix
    ).aggregate(last=Max("file_number"))["last"]
    sequence = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{sequence:05d}"


@transaction.atomic
def create_participant(*, programme, data: dict, by) -> Participant:
    participant = Participant(programme=programme, created_by=by, **data)
    participant.file_number = _next_file_number(programme, timezone.localdate().year)
    participant.full_clean()
    participant.save()
    return participant


@transaction.atomic
def record_referral(*, participant: Participant, referent, data: dict, by) -> Referral:
    """A new orientation; a person already on a pathway cannot be referred again."""
    if participant.pathways.filter(status__in=OPEN_PATHWAY_STATUSES).exists() or (
        participant.referrals.exclude(status=ReferralStatus.CLOSED).exists()
    ):
        raise ValidationError(
            "Cette personne a déjà une orientation ou un parcours en cours : "
            "ouvrez son dossier plutôt que d'enregistrer une nouvelle orientation."
        )
    referral = Referral(participant=participant, created_by=by, **data)
    referral.full_clean()
    if referral.referred_on < timezone.localdate() - datetime.timedelta(days=365):
        raise ValidationError(
            {
                "referred_on": (
                    f"L'orientation du {formatting.day(referral.referred_on)} date de plus "
                    "d'un an : vérifiez l'année (l'historique s'importe avec plie import)."
                )
            }
        )
    if participant.birth_date and referral.referred_on < participant.birth_date:
        raise ValidationError(
            {
                "referred_on": (
                    f"L'orientation du {formatting.day(referral.referred_on)} précède la naissance "
                    f"de la personne ({formatting.day(participant.birth_date)}) : vérifiez l'année."
                )
            }
        )
    referral.save()
    participant.status = ParticipantStatus.REFERRED
    participant.referent = referent
    participant.save(update_fields=["status", "referent"])
    return referral


def _require_open(referral: Referral) -> None:
    if not referral.is_open:
        raise ValidationError("Cette orientation est close : elle ne peut plus être modifiée.")


@transaction.atomic
def plan_appointment(
    *, referral: Referral, scheduled_for: datetime.datetime, with_user, place: str = ""
) -> Appointment:
    _require_open(referral)
    if timezone.localtime(scheduled_for).date() < referral.referred_on:
        raise ValidationError(
            "Le rendez-vous ne peut pas précéder l'orientation : choisissez une date à partir du "
            f"{formatting.day(referral.referred_on)}."
        )
    if scheduled_for > timezone.now() + datetime.timedelta(days=365):
        raise ValidationError(
            f"Le rendez-vous du {formatting.day(timezone.localtime(scheduled_for))} est à plus "
            "d'un an : vérifiez l'année."
        )
    appointment = Appointment.objects.create(
        referral=referral, scheduled_for=scheduled_for, with_user=with_user, place=place
    )
    referral.status = ReferralStatus.APPOINTMENT_PLANNED
    referral.save(update_fields=["status"])
    return appointment


@transaction.atomic
def record_appointment_outcome(*, appointment: Appointment, outcome: str) -> Pathway | None:
    """Attended: the entry file opens. No-show: outreach starts. Cancelled: plan another."""
    referral = appointment.referral
    _require_open(referral)
    if outcome in (AppointmentOutcome.ATTENDED, AppointmentOutcome.NO_SHOW) and (
        appointment.scheduled_for > timezone.now()
    ):
        raise ValidationError(
            "Ce rendez-vous n'a pas encore eu lieu : notez sa présence ou son absence après l'heure prévue."
        )
    appointment.outcome = outcome
    appointment.save(update_fields=["outcome"])
    participant = referral.participant
    if outcome == AppointmentOutcome.ATTENDED:
        referral.status = ReferralStatus.MET
        referral.save(update_fields=["status"])
        return open_entry_file(referral=referral)
    if outcome == AppointmentOutcome.NO_SHOW:
        referral.status = ReferralStatus.OUTREACH
        participant.status = ParticipantStatus.OUTREACH
    else:
        referral.status = ReferralStatus.AWAITING_APPOINTMENT
        participant.status = ParticipantStatus.REFERRED
    referral.save(update_fields=["status"])
    participant.save(update_fields=["status"])
    return None


@transaction.atomic
def open_entry_file(*, referral: Referral) -> Pathway:
    participant = referral.participant
    existing = getattr(referral, "pathway", None) if referral.pk else None
    if existing is not None:
        return existing
    number = (participant.pathways.aggregate(last=Max("number"))["last"] or 0) + 1
    pathway = Pathway.objects.create(
        participant=participant, number=number, referral=referral, referent=participant.referent
    )
    participant.status = ParticipantStatus.ENTRY_IN_PROGRESS
    participant.save(update_fields=["status"])
    return pathway


@transaction.atomic
def record_outreach_attempt(
    *,
    referral: Referral,
    attempted_on: datetime.date,
    mode: str,
    result: str,
    note: str = "",
    by,
    new_appointment: datetime.datetime | None = None,
) -> OutreachAttempt:
    _require_open(referral)
    if referral.status != ReferralStatus.OUTREACH:
        raise ValidationError(
            "L'aller-vers ne concerne que les personnes absentes au premier rendez-vous."
        )
    if attempted_on < referral.referred_on:
        raise ValidationError(
            "La tentative ne peut pas précéder l'orientation du "
            f"{formatting.day(referral.referred_on)} : corrigez la date."
        )
    attempt = OutreachAttempt(
        referral=referral, attempted_on=attempted_on, mode=mode, result=result, note=note, by=by
    )
    attempt.full_clean()
    attempt.save()
    if result == OutreachResult.NEW_APPOINTMENT:
        if new_appointment is None:
            raise ValidationError("Indiquez la date et l'heure du nouveau rendez-vous.")
        plan_appointment(referral=referral, scheduled_for=new_appointment, with_user=by)
        referral.participant.status = ParticipantStatus.REFERRED
        referral.participant.save(update_fields=["status"])
    return attempt


@transaction.atomic
def close_referral(
    *, referral: Referral, outcome: str, closed_on: datetime.date, note: str = ""
) -> Referral:
    """End of outreach or of the entry process without entry (declined, unreachable...)."""
    _require_open(referral)
    if outcome == ReferralOutcome.ENTERED:
        raise ValidationError("L'entrée est enregistrée par la commission, pas ici.")
    if closed_on < referral.referred_on:
        raise ValidationError(
            "La clôture ne peut pas précéder l'orientation du "
            f"{formatting.day(referral.referred_on)}."
        )
    referral.status = ReferralStatus.CLOSED
    referral.outcome = outcome
    referral.closed_on = closed_on
    referral.closing_note = note
    referral.full_clean()
    referral.save()
    Pathway.objects.filter(
        referral=referral, status__in=(PathwayStatus.DRAFT, PathwayStatus.PROPOSED)
    ).update(status=PathwayStatus.ABANDONED)
    participant = referral.participant
    participant.status = ParticipantStatus.CLOSED
    participant.save(update_fields=["status"])
    return referral


@transaction.atomic
def assess_eligibility(*, pathway: Pathway, by, on: datetime.date | None = None):
    on = on or timezone.localdate()
    protocol = protocol_in_force(pathway.participant.programme, on)
    if protocol is None:
        raise ValidationError(
            f"Aucun protocole n'est en vigueur au {formatting.day(on)} : "
            "l'administrateur doit en saisir un avant tout examen d'éligibilité."
        )
    facts = facts_for(pathway, on)
    result = assess(protocol.entry_rule, facts)
    return EligibilityAssessment.objects.create(
        pathway=pathway,
        protocol=protocol,
        protocol_version=protocol.version,
        evaluated_by=by,
        verdict=result.verdict,
        explanation=result.explanation(on),
        facts=facts.as_json(),
    )
