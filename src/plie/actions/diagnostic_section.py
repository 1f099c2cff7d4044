"""The section « Diagnostics et fiches de suivi » of the participant's file (issue 12, §5): for
each referral of the person, the diagnostics recorded and the follow-up sheets the provider
sent, with their recommendations. A draft is the provider's own: it never shows here."""

from __future__ import annotations

from django.db.models import Prefetch

from plie.actions import diagnostics
from plie.actions.models import FollowUpSheet
from plie.core.plugins import ParticipantPage, ParticipantSection

ANCHOR = "diagnostics"
TITLE = "Diagnostics et fiches de suivi"
# Right after the section « Actions » that lists the person's referrals.
ORDER = 36


def diagnostics_section(page: ParticipantPage) -> dict | None:
    referrals = list(
        page.participant.action_referrals.select_related("action", "cohort")
        .prefetch_related(
            Prefetch(
                "follow_up_sheets",
                queryset=FollowUpSheet.objects.filter(sent_at__isnull=False).prefetch_related(
                    "recommendations"
                ),
                to_attr="sent_sheets",
            )
        )
        .order_by("-created_at", "-pk")
    )
    shown = []
    for referral in referrals:
        if not page.user.has_perm("actions.open_referral", referral):
            continue
        summary = diagnostics.summary(referral)
        if summary.is_empty and not referral.sent_sheets:
            continue
        shown.append({"referral": referral, "summary": summary, "sheets": referral.sent_sheets})
    if not shown:
        return None
    return {"action_diagnostics": shown}


SECTION = ParticipantSection(
    ANCHOR, TITLE, "actions/_diagnostics_section.html", diagnostics_section, ORDER
)
