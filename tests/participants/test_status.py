"""A person's current state is derived from the whole history, never set by hand."""

import datetime

import pytest

from plie.participants.enums import ParticipantStatus, PathwayStatus, ReferralStatus
from plie.participants.status import participant_state


def referral(pk, status, referred_on):
    return {"pk": pk, "status": status, "referred_on": referred_on}


def pathway(number, status, referral_id, referent_id=7, entry_date=None):
    return {
        "number": number,
        "status": status,
        "referral_id": referral_id,
        "referent_id": referent_id,
        "entry_date": entry_date,
    }


D = datetime.date


@pytest.mark.parametrize(
    ("referrals", "pathways", "expected"),
    [
        ([], [], (ParticipantStatus.REFERRED, 3)),
        (
            [referral(1, ReferralStatus.OUTREACH, D(2026, 1, 1))],
            [],
            (ParticipantStatus.OUTREACH, 3),
        ),
        ([referral(1, ReferralStatus.CLOSED, D(2026, 1, 1))], [], (ParticipantStatus.CLOSED, 3)),
        (
            [referral(1, ReferralStatus.MET, D(2026, 1, 1))],
            [pathway(1, PathwayStatus.PROPOSED, 1)],
            (ParticipantStatus.PROPOSED, 7),
        ),
        (
            [referral(1, ReferralStatus.CLOSED, D(2024, 1, 1))],
            [pathway(1, PathwayStatus.REFUSED, 1)],
            (ParticipantStatus.CLOSED, 7),
        ),
        (
            [
                referral(1, ReferralStatus.CLOSED, D(2023, 1, 1)),
                referral(2, ReferralStatus.APPOINTMENT_PLANNED, D(2026, 1, 1)),
            ],
            [pathway(1, PathwayStatus.EXITED, 1)],
            (ParticipantStatus.REFERRED, 3),
        ),
        (
            [
                referral(1, ReferralStatus.CLOSED, D(2023, 1, 1)),
                referral(2, ReferralStatus.CLOSED, D(2026, 1, 1)),
            ],
            [pathway(1, PathwayStatus.EXITED, 1)],
            (ParticipantStatus.CLOSED, 3),
        ),
        (
            [
                referral(1, ReferralStatus.CLOSED, D(2023, 1, 1)),
                referral(2, ReferralStatus.CLOSED, D(2025, 1, 1)),
            ],
            [pathway(1, PathwayStatus.EXITED, 1), pathway(2, PathwayStatus.ACTIVE, 2, 9)],
            (ParticipantStatus.ACTIVE, 9),
        ),
    ],
)
def test_the_person_s_state_follows_the_latest_event(referrals, pathways, expected):
    assert participant_state(referrals=referrals, pathways=pathways, own_referent=3) == expected
