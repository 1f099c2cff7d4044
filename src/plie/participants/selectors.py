"""Queries shared by pages, exports and tests, so that each is written once."""

import datetime

from django.db.models import Q, QuerySet

from plie.participants.enums import ReferralStatus
from plie.participants.models import Participant, Protocol, Referral


def protocol_in_force(programme, on: datetime.date) -> Protocol | None:
    return (
        Protocol.objects.filter(programme=programme, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("-valid_from", "-version")
        .first()
    )


def possible_duplicates(*, last_name: str, first_name: str, birth_date: datetime.date) -> QuerySet:
    """Same name and birth date (case and accents as typed are ignored by iexact)."""
    return Participant.objects.filter(
        last_name__iexact=last_name.strip(),
        first_name__iexact=first_name.strip(),
        birth_date=birth_date,
    )


def outreach_worklist(user) -> QuerySet:
    """Open referrals whose person did not come: the people to go and find."""
    return (
        Referral.objects.filter(
            status=ReferralStatus.OUTREACH,
            participant__in=Participant.objects.for_user(user),
        )
        .select_related("participant", "participant__referent", "prescriber")
        .order_by("referred_on")
    )


def awaiting_first_appointment(user) -> QuerySet:
    return (
        Referral.objects.filter(
            status=ReferralStatus.AWAITING_APPOINTMENT,
            participant__in=Participant.objects.for_user(user),
        )
        .select_related("participant", "participant__referent", "prescriber")
        .order_by("referred_on")
    )
