"""The steering committee's home page: aggregates only, with small counts suppressed."""

from plie.core.suppression import HIDE_SMALL
from plie.participants.models import Referral
from plie.reporting.indicators import key_figures, people_by


def steering_figures(today):
    """Aggregates only, with small counts suppressed: what the steering committee may see.
    The caseload and the entries are the key figures' (one definition for every page): the
    active caseload at the end of today, and the entries from 1 January to today."""
    year_start = today.replace(month=1, day=1)
    figures = key_figures(year_start, today)
    by_commune = people_by(today, today, "commune", at_end=True)
    return {
        "year": today.year,
        "today": today,
        "active": HIDE_SMALL.count(figures.active_caseload),
        "referrals": HIDE_SMALL.count(Referral.objects.filter(referred_on__gte=year_start).count()),
        "entries": HIDE_SMALL.count(figures.entries),
        # Small communes merged: listed in order of their hidden counts, they told them.
        "by_commune": HIDE_SMALL.groups(
            ((label, count) for _, label, count in by_commune), "Autres communes"
        ),
    }
