"""From the first appointment to the entry file: the pathway opens when the person comes,
its situation at entry is assessed against the protocol in force, and a referral closed
without entry abandons it. Each write is one transaction."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from plie.core import formatting
from plie.core.versioning import Seen, bumped, ensure_unchanged, full_clean_of, lock
from plie.participants.eligibility import assess
from plie.participants.enums import (
    AppointmentOutcome,
    PathwayStatus,
    ReferralOutcome,
    ReferralStatus,
)
from plie.participants.models import Appointment, Referral
from plie.participants.services import refresh_state, require_open
from plie.pathways.facts import facts_for
from plie.pathways.models import EligibilityAssessment, Pathway
from plie.programme.selectors import protocol_in_force


@transaction.atomic
def record_appointment_outcome(
    *, appointment: Appointment, outcome: str, seen: Seen | None = None
) -> Pathway | None:
    """Attended: the entry file opens. No-show: outreach starts. Cancelled: plan another.

    The referral, then the appointment, are locked first: two outcomes sent at the same
    moment make one, the second is told which was recorded."""
    referral = lock(appointment.referral)
    lock(appointment)
    require_open(referral)
    if appointment.outcome != AppointmentOutcome.PLANNED:
        raise ValidationError(
            "L'issue de ce rendez-vous est déjà enregistrée "
            f"(« {appointment.get_outcome_display()} ») : rechargez la fiche pour voir la suite."
        )
    ensure_unchanged(appointment, seen)
    if outcome in (AppointmentOutcome.ATTENDED, AppointmentOutcome.NO_SHOW) and (
        appointment.scheduled_for > timezone.now()
    ):
        raise ValidationError(
            "Ce rendez-vous n'a pas encore eu lieu : notez sa présence ou son absence après l'heure prévue."
        )
    appointment.outcome = outcome
    appointment.save(update_fields=["outcome"])
    if outcome == AppointmentOutcome.ATTENDED:
        referral.status = ReferralStatus.MET
        referral.save(update_fields=["status"])
        return open_entry_file(referral=referral)
    if outcome == AppointmentOutcome.NO_SHOW:
        referral.status = ReferralStatus.OUTREACH
    else:
        referral.status = ReferralStatus.AWAITING_APPOINTMENT
    referral.save(update_fields=["status"])
    refresh_state(referral.participant)
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
    refresh_state(participant)
    return pathway


@transaction.atomic
def close_referral(
    *,
    referral: Referral,
    outcome: str,
    closed_on: datetime.date,
    note: str = "",
    seen: Seen | None = None,
) -> Referral:
    """End of outreach or of the entry process without entry (declined, unreachable...)."""
    lock(referral)
    require_open(referral)
    ensure_unchanged(referral, seen)
    if outcome == ReferralOutcome.ENTERED:
        raise ValidationError("L'entrée est enregistrée par la commission, pas ici.")
    if closed_on < referral.referred_on:
        raise ValidationError(
            f"La clôture ne peut pas précéder l'orientation du {formatting.day(referral.referred_on)}."
        )
    referral.status = ReferralStatus.CLOSED
    referral.outcome = outcome
    referral.closed_on = closed_on
    referral.closing_note = note
    referral.full_clean()
    referral.save()
    Pathway.objects.filter(
        referral=referral, status__in=(PathwayStatus.DRAFT, PathwayStatus.PROPOSED)
    ).update(status=PathwayStatus.ABANDONED, version=bumped())
    refresh_state(referral.participant)
    return referral


EDITABLE_ENTRY_FILE = (PathwayStatus.DRAFT, PathwayStatus.ACTIVE)


def require_editable_entry_file(pathway: Pathway) -> None:
    if pathway.status == PathwayStatus.PROPOSED:
        raise ValidationError(
            "Ce dossier d'entrée est proposé en commission : retirez d'abord la proposition "
            "depuis la fiche pour le modifier."
        )
    if pathway.status not in EDITABLE_ENTRY_FILE:
        raise ValidationError("Ce parcours est clos : il ne peut plus être modifié.")


@transaction.atomic
def update_entry_file(
    *, pathway: Pathway, data: dict, seen: Seen | None = None, barriers_shown=None
) -> Pathway:
    """The entry file saved, on the pathway as it is now (locked): refused if it was proposed
    meanwhile, or if a field of the page changed since it was opened. The barriers this user
    does not see (`barriers_shown` are those the form offered) are kept as they are."""
    lock(pathway)
    require_editable_entry_file(pathway)
    ensure_unchanged(pathway, seen)
    data = dict(data)
    barriers = data.pop("barriers", None)
    for name, value in data.items():
        setattr(pathway, name, value)
    full_clean_of(pathway, data)
    pathway.save()
    if barriers is not None:
        hidden = pathway.barriers.all()
        if barriers_shown is not None:
            hidden = hidden.exclude(pk__in=barriers_shown.values("pk"))
        else:
            hidden = hidden.none()
        pathway.barriers.set([*barriers, *hidden])
    return pathway


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
