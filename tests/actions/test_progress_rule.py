"""The self-assessment's progress (actions/progress.py): per person, and averaged over a
cohort on the people who answered at the start and at the end only."""

from decimal import Decimal

from plie.actions.progress import cohort_progress, person_progress

FUNDAMENTALS = ("confidence", "motivation")


def test_one_person_start_and_end():
    found = person_progress({"confidence": 1, "motivation": 3}, {"confidence": 3}, FUNDAMENTALS)
    assert [(p.start, p.end, p.change) for p in found] == [(1, 3, 2), (3, None, None)]


def test_one_person_without_end():
    found = person_progress({"confidence": 2}, None, FUNDAMENTALS)
    assert [p.change for p in found] == [None, None]


def test_cohort_counts_only_people_with_both():
    people = [
        ({"confidence": 1, "motivation": 2}, {"confidence": 3, "motivation": 4}),
        ({"confidence": 2, "motivation": 2}, {"confidence": 2, "motivation": 3}),
        ({"confidence": 1, "motivation": 1}, None),  # left before the end
        (None, {"confidence": 4, "motivation": 4}),  # no start
    ]
    confidence, motivation = cohort_progress(people, FUNDAMENTALS)
    assert (confidence.people, confidence.start, confidence.end) == (
        2,
        Decimal("1.5"),
        Decimal("2.5"),
    )
    assert confidence.change == Decimal("1.0")
    assert (motivation.start, motivation.end, motivation.change) == (
        Decimal("2.0"),
        Decimal("3.5"),
        Decimal("1.5"),
    )


def test_cohort_with_nobody_having_both():
    found = cohort_progress([({"confidence": 1}, None)], FUNDAMENTALS)
    assert [(a.people, a.start, a.change) for a in found] == [(0, None, None), (0, None, None)]


def test_averages_round_half_away_from_zero():
    people = [({"confidence": 1}, {"confidence": 2})] * 3 + [
        ({"confidence": 2}, {"confidence": 2})
    ] * 3
    people += [({"confidence": 2}, {"confidence": 2})] * 2  # 13 / 8 = 1,625 → 1,6
    (confidence,) = cohort_progress(people, ("confidence",))
    assert confidence.people == 8
    assert confidence.start == Decimal("1.6")
