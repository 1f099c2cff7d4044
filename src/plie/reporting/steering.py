"""The steering committee's home page: aggregates only, with small counts suppressed."""

from django.db.models import Count

from plie.core.suppression import SMALL_COUNT, with_others
from plie.participants.enums import ParticipantStatus, PathwayStatus
from plie.participants.models import Participant, Referral
from plie.pathways.models import Pathway


def _suppressed(count: int) -> str:
    return f"moins de {SMALL_COUNT}" if 0 < count < SMALL_COUNT else f"{count:n}".replace(",", " ")


def steering_figures(today):
    """Aggregates only, with small counts suppressed: what the steering committee may see."""
    year_start = today.replace(month=1, day=1)
    by_commune = (
        Participant.objects.filter(status=ParticipantStatus.ACTIVE)
        .values("commune__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "commune__name")
    )
    return {
        "year": today.year,
        "today": today,
        "active": _suppressed(Participant.objects.filter(status=ParticipantStatus.ACTIVE).count()),
        "referrals": _suppressed(Referral.objects.filter(referred_on__gte=year_start).count()),
        "entries": _suppressed(
            Pathway.objects.filter(
                entry_date__gte=year_start, status__in=(PathwayStatus.ACTIVE, PathwayStatus.EXITED)
            ).count()
        ),
        # Small communes merged: listed in order of their hidden counts, they told them.
        "by_commune": [
            (label, _suppressed(count))
            for label, count in with_others(
                ((row["commune__name"] or "Hors territoire", row["count"]) for row in by_commune),
                "Autres communes",
                suppress=True,
            )
        ],
    }
