"""The pure rules: the renewal limit (seed 001, l. 243) and the payment schedule (seed 000,
l. 374), case by case at their boundaries."""

import datetime
from decimal import Decimal

import pytest

from plie.agreements import amendments, payments
from plie.agreements.enums import CheckOutcome, InstalmentState
from plie.agreements.payments import DeliverableFacts

END = datetime.date(2027, 12, 31)
LATER = datetime.date(2028, 6, 30)


@pytest.mark.parametrize("validated", [0, 1])
def test_an_extension_is_allowed_before_two(validated):
    assert (
        amendments.extension_refusal(validated_extensions=validated, current_end=END, new_end=LATER)
        == ""
    )


@pytest.mark.parametrize("validated", [2, 3])
def test_a_third_renewal_is_refused_with_its_reason(validated):
    reason = amendments.extension_refusal(
        validated_extensions=validated, current_end=END, new_end=LATER
    )
    assert reason == amendments.THIRD_RENEWAL
    assert "troisième renouvellement" in reason and "nouvel appel" in reason


@pytest.mark.parametrize("new_end", [END, END - datetime.timedelta(days=1), None])
def test_an_extension_ends_after_the_current_end(new_end):
    reason = amendments.extension_refusal(validated_extensions=0, current_end=END, new_end=new_end)
    assert reason and "saisissez" in reason


def test_one_day_later_is_an_extension():
    assert not amendments.extension_refusal(
        validated_extensions=0, current_end=END, new_end=END + datetime.timedelta(days=1)
    )


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (datetime.date(2027, 3, 1), datetime.date(2028, 2, 29)),
        (datetime.date(2027, 1, 1), datetime.date(2027, 12, 31)),
        (datetime.date(2028, 2, 29), datetime.date(2029, 2, 28)),
    ],
)
def test_one_year_term(start, end):
    assert amendments.one_year_end(start) == end


def test_renewal_count():
    assert amendments.renewal_count(1) == "1 prolongation sur 2 permises"
    assert amendments.renewal_count(2) == "2 prolongations sur 2 permises"


RECEIVED = datetime.date(2027, 5, 3)


def test_a_missing_deliverable_blocks_and_is_named():
    reading = payments.instalment_state(
        signed=True, paid=False, deliverables=[DeliverableFacts("Bilan intermédiaire")]
    )
    assert reading.state == InstalmentState.BLOCKED
    assert reading.reasons == (
        "Bilan intermédiaire : pas encore reçu ; le prestataire le dépose sur son espace.",
    )


def test_a_deliverable_received_but_unchecked_blocks():
    reading = payments.instalment_state(
        signed=True, paid=False, deliverables=[DeliverableFacts("Rapport final", RECEIVED)]
    )
    assert reading.state == InstalmentState.BLOCKED
    assert "reçu le 03/05/2027, pas encore vérifié" in reading.reasons[0]


def test_a_deliverable_to_redo_blocks_with_the_comment():
    reading = payments.instalment_state(
        signed=True,
        paid=False,
        deliverables=[
            DeliverableFacts("Rapport final", RECEIVED, CheckOutcome.TO_REDO, "sans le logo FSE+")
        ],
    )
    assert reading.state == InstalmentState.BLOCKED
    assert reading.reasons[0].startswith("Rapport final : à refaire (sans le logo FSE+)")


def test_every_deliverable_accepted_makes_it_due_and_one_missing_keeps_it_blocked():
    accepted = DeliverableFacts("Rapport final", RECEIVED, CheckOutcome.ACCEPTED)
    assert payments.instalment_state(
        signed=True, paid=False, deliverables=[accepted]
    ) == payments.Reading(InstalmentState.DUE)
    reading = payments.instalment_state(
        signed=True,
        paid=False,
        deliverables=[accepted, DeliverableFacts("Feuilles d'émargement")],
    )
    assert reading.state == InstalmentState.BLOCKED
    assert len(reading.reasons) == 1 and "Feuilles d'émargement" in reading.reasons[0]


def test_an_unsigned_agreement_blocks_its_instalments():
    reading = payments.instalment_state(signed=False, paid=False, deliverables=[])
    assert reading.state == InstalmentState.BLOCKED
    assert "pas encore signée" in reading.reasons[0]


def test_paid_is_paid():
    assert payments.instalment_state(signed=True, paid=True, deliverables=[]).state == (
        InstalmentState.PAID
    )


def test_rounding_gives_the_remainder_to_the_last_instalment():
    amounts = payments.split_amount(Decimal("39999.99"), [Decimal(30), Decimal(30), Decimal(40)])
    assert amounts == [Decimal("12000.00"), Decimal("12000.00"), Decimal("15999.99")]
    assert sum(amounts) == Decimal("39999.99")


def test_rounding_of_thirds():
    amounts = payments.split_amount(Decimal("100.00"), [Decimal("33.33")] * 2 + [Decimal("33.34")])
    assert amounts == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]


@pytest.mark.parametrize("shares", [[30, 30, 30], [30, 30, 41], [], [0, 100], [Decimal("99.99")]])
def test_shares_that_do_not_add_up_to_100_are_refused(shares):
    shares = [Decimal(s) for s in shares]
    assert payments.schedule_refusal(shares)
    with pytest.raises(ValueError):
        payments.split_amount(Decimal(1000), shares)


def test_shares_of_100_are_accepted():
    assert payments.schedule_refusal([Decimal(30), Decimal(30), Decimal(40)]) == ""
