"""The places of a cohort: capacity, waiting list, cancelled or ended cohorts (a pure rule)."""

import datetime

from plie.actions.enums import ReferralStatus
from plie.actions.places import ReferralFacts, places, waiting_order

T0 = datetime.datetime(2027, 1, 4, 9, 0, tzinfo=datetime.UTC)


def facts(*statuses):
    return [
        ReferralFacts(key, status, T0 + datetime.timedelta(hours=key))
        for key, status in enumerate(statuses, start=1)
    ]


def test_a_cohort_with_a_place_left_accepts():
    found = places(
        capacity=3,
        cancelled=False,
        started=False,
        referrals=facts(ReferralStatus.ACCEPTED, ReferralStatus.ACCEPTED, ReferralStatus.SENT),
    )
    assert found.accepts and found.left == 1 and found.reason == ""


def test_capacity_reached_exactly_refuses_and_says_the_waiting_list():
    found = places(
        capacity=2,
        cancelled=False,
        started=False,
        referrals=facts(ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED),
    )
    assert not found.accepts and found.full and not found.closed
    assert found.left == 0
    assert "complet (2 sur 2 places)" in found.reason and "liste d'attente" in found.reason


def test_one_over_the_capacity_leaves_no_place():
    found = places(
        capacity=1,
        cancelled=False,
        started=False,
        referrals=facts(ReferralStatus.ACCEPTED, ReferralStatus.ACCEPTED),
    )
    assert found.left == 0 and found.taken == 2 and not found.accepts


def test_a_drop_out_frees_its_place_and_unanswered_referrals_take_none():
    found = places(
        capacity=2,
        cancelled=False,
        started=False,
        referrals=facts(
            ReferralStatus.ACCEPTED,
            ReferralStatus.DROPPED_OUT,
            ReferralStatus.SENT,
            ReferralStatus.WAITING,
            ReferralStatus.DECLINED,
            ReferralStatus.WITHDRAWN,
        ),
    )
    assert found.taken == 1 and found.accepts


def test_a_cancelled_cohort_refuses_even_with_places():
    found = places(capacity=12, cancelled=True, started=False, referrals=[])
    assert not found.accepts and found.closed
    assert found.reason.startswith("Ce groupe est annulé")


def test_a_cohort_under_way_refuses_even_with_places():
    found = places(capacity=12, cancelled=False, started=True, referrals=[])
    assert not found.accepts and "a commencé" in found.reason


def test_the_waiting_list_is_in_the_order_sent():
    referrals = [
        ReferralFacts(7, ReferralStatus.WAITING, T0 + datetime.timedelta(days=2)),
        ReferralFacts(3, ReferralStatus.WAITING, T0),
        ReferralFacts(5, ReferralStatus.ACCEPTED, T0 - datetime.timedelta(days=1)),
        ReferralFacts(4, ReferralStatus.WAITING, T0),
    ]
    assert waiting_order(referrals) == (3, 4, 7)
