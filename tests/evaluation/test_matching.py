"""The added value's matching (evaluation/matching.py) on crafted populations: the strata and
CEM weights, the anchors of the comparable people, each outcome at its boundaries, the
difference computed by hand, and the thresholds (19 against 20)."""

import dataclasses
import datetime

import pytest

from plie.evaluation import matching
from plie.evaluation.matching import (
    OUTCOMES,
    RESULT,
    TOO_SHORT,
    TOO_SMALL,
    Person,
    anchored,
    compare,
    days_to_a_step,
    evaluate,
    exit_within,
    match,
    step_or_positive_exit_at,
    weighted_difference,
)
from plie.participants.enums import ExitReason

D = datetime.date
ENTRY = D(2025, 1, 15)
ANCHOR = D(2025, 2, 15)
TODAY = D(2026, 6, 30)
OUTCOME = {outcome.code: outcome for outcome in OUTCOMES}

# Four strata: A (the base), B (a man), C (under 26), E (level 5 or more).
STRATA = {
    "A": {},
    "B": {"sex": "M"},
    "C": {"birth_date": D(2003, 1, 1)},
    "E": {"education_level": 5},
}


def person(key, treated, stratum="A", **fields) -> Person:
    values = {
        "key": key,
        "treated": treated,
        "entry_date": ENTRY,
        "birth_date": D(1990, 1, 1),
        "sex": "F",
        "education_level": 3,
        "minimum_income": True,
        "qpv": False,
        "anchor": ANCHOR if treated else None,
        **STRATA[stratum],
        **fields,
    }
    return Person(**values)


def crafted():
    """A: two participants, one comparable; B: one and two; C: one participant alone; E:
    three comparable people alone."""
    return [
        person(1, True, "A"),
        person(2, True, "A"),
        person(11, False, "A"),
        person(3, True, "B"),
        person(12, False, "B"),
        person(13, False, "B"),
        person(4, True, "C"),
        person(14, False, "E"),
        person(15, False, "E"),
        person(16, False, "E"),
    ]


def test_strata_keep_a_participant_and_a_comparable_person_and_weigh_them():
    found = match(crafted())
    # Strata in the order of their keys: A's « F » before B's « M ».
    assert [sorted(p.key for p in (*s.treated, *s.controls)) for s in found.strata] == [
        [1, 2, 11],
        [3, 12, 13],
    ]
    assert found.unmatched_treated == 1  # C
    assert found.unmatched_controls == 3  # E
    weights = {
        control.key: found.weight(stratum)
        for stratum in found.strata
        for control in stratum.controls
    }
    # (participants of the stratum ÷ its comparable people) × (3 comparable ÷ 3 participants)
    assert weights == {11: 2.0, 12: 0.5, 13: 0.5}


def test_the_difference_is_the_participants_against_the_weighted_comparable_people():
    # A: participants 1 and 1, comparable 0 (weight 2); B: participant 0, comparable 1 and 0
    # (weights 0.5). Participants: 2/3. Comparable: (2×0 + 0.5×1 + 0.5×0) ÷ 3 = 1/6.
    values = [1, 1, 0, 0, 1, 0]
    treated = [True, True, False, True, False, False]
    weights = [1, 1, 2, 1, 0.5, 0.5]
    difference, low, high = weighted_difference(values, treated, weights)
    assert difference == pytest.approx(2 / 3 - 1 / 6)
    assert low < difference < high
    assert difference - low == pytest.approx(high - difference)


def test_no_variation_gives_the_point_as_interval():
    assert weighted_difference([1, 1, 1, 1], [True, True, False, False], [1, 1, 1, 1]) == (
        pytest.approx(0.0),
        pytest.approx(0.0),
        pytest.approx(0.0),
    )


def test_comparable_people_start_at_the_median_delay_of_their_stratum():
    people = [
        person(1, True, anchor=ENTRY + datetime.timedelta(days=31)),
        person(2, True, anchor=ENTRY + datetime.timedelta(days=45)),
        person(11, False, entry_date=D(2025, 1, 20)),
        person(12, False, "E"),  # no participant in its stratum: no anchor, left out
    ]
    kept = {p.key: p.anchor for p in anchored(people, TODAY)}
    assert kept == {
        1: ENTRY + datetime.timedelta(days=31),
        2: ENTRY + datetime.timedelta(days=45),
        11: D(2025, 1, 20) + datetime.timedelta(days=31),  # the lower median of 31 and 45
    }


def test_a_comparable_person_must_still_be_in_the_plie_at_the_anchor_and_the_anchor_past():
    anchor = ENTRY + datetime.timedelta(days=31)
    people = [
        person(1, True, anchor=anchor),
        person(11, False, exit_date=anchor, exit_reason=ExitReason.MOVED),
        person(12, False, exit_date=anchor + datetime.timedelta(days=1), exit_reason="moved"),
    ]
    assert [p.key for p in anchored(people, TODAY) if not p.treated] == [12]
    assert [p.key for p in anchored(people, anchor - datetime.timedelta(days=1))] == [1]
    assert [p.key for p in anchored(people, anchor) if not p.treated] == [12]


def test_days_to_a_step():
    assert days_to_a_step(person(1, True, steps=((D(2025, 1, 1), None),))) == 0
    assert days_to_a_step(person(1, True, steps=((D(2025, 1, 1), ANCHOR),))) == 0
    ended = (D(2025, 1, 1), ANCHOR - datetime.timedelta(days=1))
    assert days_to_a_step(person(1, True, steps=(ended, (D(2025, 2, 25), None)))) == 10
    # None in 6 months: the 6 months count (15/02 to 15/08).
    assert days_to_a_step(person(1, True, steps=(ended,))) == (D(2025, 8, 15) - ANCHOR).days
    assert days_to_a_step(person(1, True, steps=((D(2025, 8, 15), None),))) == 181
    left = person(1, True, exit_date=D(2025, 3, 7), exit_reason=ExitReason.POSITIVE)
    assert days_to_a_step(left) == 20


def test_in_a_step_at_three_months_is_read_at_the_end_of_the_day_three_months_are_reached():
    at_3 = step_or_positive_exit_at(3)
    reached = D(2025, 5, 14)  # 15/02 + 3 months − 1 day
    assert at_3(person(1, True, steps=((D(2025, 3, 1), reached),))) == 1
    assert at_3(person(1, True, steps=((D(2025, 3, 1), reached - datetime.timedelta(1)),))) == 0
    assert at_3(person(1, True, steps=((reached + datetime.timedelta(1), None),))) == 0
    assert at_3(person(1, True, exit_date=reached, exit_reason=ExitReason.POSITIVE)) == 1
    assert at_3(person(1, True, exit_date=reached, exit_reason=ExitReason.ABANDONED)) == 0


def test_exits_within_twelve_months():
    positive = exit_within(12, ExitReason.POSITIVE)
    reached = D(2026, 2, 14)
    assert positive(person(1, True, exit_date=reached, exit_reason=ExitReason.POSITIVE)) == 1
    later = reached + datetime.timedelta(days=1)
    assert positive(person(1, True, exit_date=later, exit_reason=ExitReason.POSITIVE)) == 0
    assert positive(person(1, True, exit_date=reached, exit_reason=ExitReason.ABANDONED)) == 0


def population(treated: int, controls: int, *, anchor=ANCHOR) -> list[Person]:
    """`treated` participants in a step at 3 months, `controls` comparable people, one in two
    in a step then, all in stratum A."""
    step = ((anchor + datetime.timedelta(days=10), None),)
    return [
        *(person(n, True, anchor=anchor, steps=step) for n in range(treated)),
        *(
            person(1000 + n, False, anchor=anchor, steps=step if n % 2 else ())
            for n in range(controls)
        ),
    ]


@pytest.mark.parametrize(
    ("treated", "controls", "verdict"),
    [(19, 20, TOO_SMALL), (20, 19, TOO_SMALL), (20, 20, RESULT)],
)
def test_at_least_twenty_participants_and_twenty_comparable_people_per_outcome(
    treated, controls, verdict
):
    found = compare(population(treated, controls), OUTCOME["step_3_months"], TODAY)
    assert (found.verdict, found.treated, found.controls) == (verdict, treated, controls)
    if verdict == RESULT:
        assert found.treated_value == 1
        assert found.control_value == pytest.approx(0.5)
        assert found.difference == pytest.approx(0.5)


def test_a_follow_up_too_short_is_said_so():
    # 3 months from 15/02 are reached at the end of 14/05.
    people = population(20, 20)
    assert compare(people, OUTCOME["step_3_months"], D(2025, 5, 14)).verdict == RESULT
    too_soon = compare(people, OUTCOME["step_3_months"], D(2025, 5, 13))
    assert (too_soon.verdict, too_soon.treated, too_soon.waiting) == (TOO_SHORT, 0, 20)
    assert compare(people, OUTCOME["positive_exit_12_months"], D(2025, 5, 14)).verdict == (
        TOO_SHORT
    )


def test_evaluation_needs_twenty_matched_participants():
    def people(count):
        return [
            *(
                dataclasses.replace(p, anchor=None) if not p.treated else p
                for p in population(count, 30)
            ),
            person(999, True, "C"),  # without a comparable person: not counted
        ]

    small = evaluate(people(19), TODAY)
    assert (small.participants, small.matched_treated, small.enough) == (20, 19, False)
    assert {c.verdict for c in small.comparisons} == {TOO_SMALL}
    enough = evaluate(people(20), TODAY)
    assert enough.enough
    assert enough.matched_treated == matching.MIN_MATCHED_TREATED
    verdicts = {c.outcome.code: c.verdict for c in enough.comparisons}
    assert verdicts["step_3_months"] == RESULT
