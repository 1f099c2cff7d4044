"""Queries shared by pages, exports and tests, so that each is written once."""

import datetime

from django.db.models import QuerySet

from plie.participants.enums import ReferralStatus
from plie.participants.models import Participant, Referral, name_key


def possible_duplicates(
    *, last_name: str, first_name: str, birth_date: datetime.date, exclude_pk: int | None = None
) -> QuerySet:
    """Same birth date and same names, accents, case and hyphens aside ("LEFEVRE amandine"
    is "Lefèvre Amandine"); the name may also be the birth name of a married woman."""
    wanted = (name_key(last_name), name_key(first_name))
    same_day = Participant.objects.filter(birth_date=birth_date).exclude(pk=exclude_pk)
    matching = [
        person.pk
        for person in same_day.only("last_name", "birth_name", "first_name")
        if name_key(person.first_name) == wanted[1]
        and wanted[0] in (name_key(person.last_name), name_key(person.birth_name))
    ]
    return Participant.objects.filter(pk__in=matching)


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
