"""A person's current state (`Participant.status` and `.referent`), derived from their
history: referrals and pathways. One function, read by the services after every change and
by the importer; never set by hand.

The pathways are given as plain values (their status is `PathwayStatus`, kept with the
person's vocabulary in participants/enums.py for this reason).
"""

from collections.abc import Mapping, Sequence
from typing import Any

from plie.participants.enums import ParticipantStatus, PathwayStatus, ReferralStatus

PATHWAY_TO_PARTICIPANT = {
    PathwayStatus.DRAFT: ParticipantStatus.ENTRY_IN_PROGRESS,
    PathwayStatus.PROPOSED: ParticipantStatus.PROPOSED,
    PathwayStatus.ACTIVE: ParticipantStatus.ACTIVE,
    PathwayStatus.EXITED: ParticipantStatus.EXITED,
    PathwayStatus.REFUSED: ParticipantStatus.CLOSED,
    PathwayStatus.ABANDONED: ParticipantStatus.CLOSED,
}
OPEN_REFERRAL_TO_PARTICIPANT = {
    ReferralStatus.AWAITING_APPOINTMENT: ParticipantStatus.REFERRED,
    ReferralStatus.APPOINTMENT_PLANNED: ParticipantStatus.REFERRED,
    ReferralStatus.OUTREACH: ParticipantStatus.OUTREACH,
    ReferralStatus.MET: ParticipantStatus.ENTRY_IN_PROGRESS,
}


Row = Mapping[str, Any]  # a row read with values(): plain values, no model


def participant_state(
    *, referrals: Sequence[Row], pathways: Sequence[Row], own_referent: int | None
) -> tuple[str, int | None]:
    """Participant.status and .referent as the services leave them, from the whole history.

    `referrals`: dicts with pk, referred_on, status; `pathways`: dicts with number, status,
    referent_id, referral_id, entry_date. The latest event decides: an open referral not
    yet turned into a pathway, else a referral closed after the last pathway started, else
    the last pathway (whose référent becomes the person's).
    """
    used = {p["referral_id"] for p in pathways if p["referral_id"]}
    loose = [r for r in referrals if r["pk"] not in used]
    open_referral = next((r for r in loose if r["status"] != ReferralStatus.CLOSED), None)
    if open_referral is not None:
        return OPEN_REFERRAL_TO_PARTICIPANT[open_referral["status"]], own_referent
    latest = max(pathways, key=lambda p: p["number"], default=None)
    last_loose = max((r["referred_on"] for r in loose), default=None)
    if latest is None:
        status = ParticipantStatus.CLOSED if last_loose else ParticipantStatus.REFERRED
        return status, own_referent
    by_pk = {r["pk"]: r for r in referrals}
    started = (
        by_pk[latest["referral_id"]]["referred_on"]
        if latest["referral_id"] in by_pk
        else latest["entry_date"]
    )
    if last_loose and (started is None or last_loose > started):
        return ParticipantStatus.CLOSED, own_referent
    return PATHWAY_TO_PARTICIPANT[latest["status"]], latest["referent_id"]
