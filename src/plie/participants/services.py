"""Writes on the participant record: the person, referrals, first appointments and outreach.
Each is one transaction. What follows the first appointment (entry file, eligibility) is in
pathways/entry.py, the committee's decisions in committee/services.py.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from plie.core import formatting
from plie.core.versioning import Seen, ensure_unchanged, full_clean_of, lock
from plie.participants.enums import (
    OutreachResult,
    PathwayStatus,
    ReferralStatus,
)
from plie.participants.models import Appointment, OutreachAttempt, Participant, Referral
from plie.participants.status import participant_state
from plie.territory.models import Programme

OPEN_PATHWAY_STATUSES = (PathwayStatus.DRAFT, PathwayStatus.PROPOSED, PathwayStatus.ACTIVE)


def refresh_state(participant: Participant) -> None:
    """`status` and `referent` derived again from the person's whole history (status.py),
    after any change to their referrals or pathways; the one way they are written.

    Written on the row as it is now (locked), so that an identity saved meanwhile by someone
    else is not put back; the référent just set on `participant` is the one it reads."""
    own_referent = participant.referent_id
    lock(participant)
    status, referent_id = participant_state(
        referrals=list(participant.referrals.values("pk", "referred_on", "status")),
        pathways=list(
            participant.pathways.values(
                "number", "status", "referent_id", "referral_id", "entry_date"
            )
        ),
        own_referent=own_referent,
    )
    participant.status, participant.referent_id = status, referent_id
    participant.save(update_fields=["status", "referent"])


def _next_file_number(programme, year: int) -> str:
    """The year's next number. The PLIE's row is locked first, until the new person is saved:
    two people recorded at the same moment wait for each other and get two numbers (the
    lock does not stop rows that merely refer to the PLIE, FOR NO KEY UPDATE)."""
    Programme.objects.select_for_update(no_key=True).get(pk=programme.pk)
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
def update_participant(*, participant: Participant, data: dict, seen: Seen | None = None):
    """Identity and contact details corrected: refused if the page was based on values that
    someone has changed since (core/versioning.py). Returns the row as saved."""
    lock(participant)
    ensure_unchanged(participant, seen)
    for name, value in data.items():
        setattr(participant, name, value)
    full_clean_of(participant, data)
    participant.save()
    return participant


@transaction.atomic
def record_referral(*, participant: Participant, referent, data: dict, by) -> Referral:
    """A new orientation; a person already on a pathway cannot be referred again (the person
    is locked first: two orientations sent at the same moment make one)."""
    lock(participant)
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
    participant.referent = referent
    refresh_state(participant)
    return referral


def require_open(referral: Referral) -> None:
    if not referral.is_open:
        raise ValidationError("Cette orientation est close : elle ne peut plus être modifiée.")


APPOINTMENT_ALREADY_PLANNED = (
    "Un rendez-vous est déjà fixé pour cette orientation : notez d'abord son issue sur la fiche "
    "(venu, absent ou annulé) avant d'en fixer un autre."
)


@transaction.atomic
def plan_appointment(
    *, referral: Referral, scheduled_for: datetime.datetime, with_user, place: str = ""
) -> Appointment:
    """A first appointment (or a new one after outreach); the referral is locked first, so
    that two people fixing it at the same moment make one."""
    lock(referral)
    require_open(referral)
    if referral.status == ReferralStatus.APPOINTMENT_PLANNED:
        raise ValidationError(APPOINTMENT_ALREADY_PLANNED)
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
    lock(referral)
    require_open(referral)
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
        refresh_state(referral.participant)
    return attempt
