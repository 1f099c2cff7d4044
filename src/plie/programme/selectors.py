"""Queries on the programme shared by pages, services and exports."""

import datetime

from django.db.models import Q

from plie.programme.models import Protocol


def protocol_in_force(programme, on: datetime.date) -> Protocol | None:
    return (
        Protocol.objects.filter(programme=programme, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .order_by("-valid_from", "-version")
        .first()
    )
