"""The small-count rule: counts from 1 to 4 hidden, shares and averages that would give them
away not given, and no hidden count found back by subtraction from a published total."""

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plie.core.suppression import HIDE_SMALL, MASKED, SHOW_ALL, SMALL, Hidden, legend

M, S = MASKED, SMALL


@pytest.mark.parametrize(("count", "shown"), [(0, 0), (1, S), (4, S), (5, 5), (1204, 1204)])
def test_a_count_from_one_to_four_is_hidden_and_zero_is_shown(count, shown):
    assert HIDE_SMALL.count(count) == shown
    assert SHOW_ALL.count(count) == count


def test_the_marks_read_the_same_everywhere():
    assert str(SMALL) == "< 5" and str(MASKED) == "masqué"
    assert "« < 5 » : de 1 à 4 personnes" in legend()
    assert "« masqué »" in legend() and "« masqué »" not in legend("small", "withheld")


@pytest.mark.parametrize(
    ("part", "whole", "given"),
    [
        (10, 100, True),
        (4, 100, False),  # « 4 % of 100 » says 4
        (96, 100, False),  # the rest, 4, would be said as plainly
        (95, 100, True),
        (0, 100, True),  # 0 % points at nobody
        (10, 10, True),  # 100 %: the rest is 0
        (3, 4, False),  # a whole of 1 to 4
        (0, 0, True),  # nothing to divide: « — » anyway
    ],
)
def test_a_share_is_not_given_when_its_part_whole_or_rest_is_small(part, whole, given):
    assert HIDE_SMALL.share(part, whole) is given
    assert SHOW_ALL.share(part, whole) is True


@pytest.mark.parametrize(("over", "given"), [(0, True), (1, False), (4, False), (5, True)])
def test_an_average_over_one_to_four_people_is_not_given(over, given):
    assert HIDE_SMALL.average(over) is given


@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        # Nothing hidden: nothing to protect.
        ([12, 5, 7], [12, 5, 7]),
        # « 12, < 5, 7 » of 22: 22 − 19 = 3. The 7 goes with it, and both read « masqué ».
        ([12, 3, 7, 0], [12, M, M, 0]),
        # Two hidden counts of 2 and 3: their sum, 5, leaves each anywhere from 1 to 4.
        ([12, 2, 3], [12, S, S]),
        # Two hidden 4s: 8 can only be 4 + 4. Read « masqué », they can be 1 + 7… up to
        # the smallest count shown, 20.
        ([20, 4, 4, 30], [20, M, M, 30]),
        # Two 1s can only be 1 + 1, whatever the mark, while 12 is shown: it goes too.
        ([12, 1, 1], [M, M, M]),
        # A hidden count alone that is the whole total: the total says it anyway, « < 5 ».
        ([0, 3, 0], [0, S, 0]),
        # The two hidden 4s with nothing else: « masqué » leaves them from 1 to 7.
        ([4, 4, 0], [M, M, 0]),
    ],
)
def test_counts_that_add_up_to_a_published_total_hide_each_other(counts, shown):
    assert HIDE_SMALL.parts(counts) == shown
    assert SHOW_ALL.parts(counts) == counts


def _bounds(marks: list, remainder: int) -> list[range]:
    """What a reader knows of each hidden count from its mark and the counts shown."""
    shown = [mark for mark in marks if not isinstance(mark, Hidden) and mark]
    ceiling = min(shown) if shown else remainder
    return [
        range(1, 5) if mark == SMALL else range(1, ceiling + 1)
        for mark in marks
        if isinstance(mark, Hidden)
    ]


def _possible_values(bounds: list[range], remainder: int) -> list[set[int]]:
    """Every value each hidden count can take, by trying every combination."""
    possible = [set() for _ in bounds]
    for values in itertools.product(*bounds):
        if sum(values) == remainder:
            for index, value in enumerate(values):
                possible[index].add(value)
    return possible


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=9), min_size=1, max_size=5))
def test_no_hidden_count_can_be_found_back_from_the_total(counts):
    marks = HIDE_SMALL.parts(counts)
    pairs = list(zip(counts, marks, strict=True))
    hidden = [count for count, mark in pairs if isinstance(mark, Hidden)]
    # Every count from 1 to 4 is hidden; a group reads one mark only.
    assert all(isinstance(mark, Hidden) for count, mark in pairs if 0 < count < 5)
    assert len({mark for mark in marks if isinstance(mark, Hidden)}) <= 1
    remainder = sum(hidden)
    possible = _possible_values(_bounds(marks, remainder), remainder)
    found_back = [index for index, values in enumerate(possible) if len(values) == 1]
    if found_back:
        # The only cases the rule cannot protect: nothing left to hide with them, and the
        # hidden counts are the total itself, or all 1s (the total says how many there are).
        assert not any(not isinstance(mark, Hidden) and mark for mark in marks)
        assert len(hidden) == 1 or set(hidden) == {1}


@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        # Small groups merged; together they reach 5, so the others stay.
        ({"A": 12, "B": 7, "C": 4, "D": 3}, [("A", 12), ("B", 7), ("Autres (2)", 7)]),
        # One small group alone would be found back from the total: the smallest joins it.
        ({"A": 12, "B": 7, "C": 1}, [("A", 12), ("Autres (2)", 8)]),
        # Exactly 5 is shown; nobody is merged when nothing is under 5.
        ({"A": 5, "B": 9}, [("B", 9), ("A", 5)]),
        # Everything small: one line, itself hidden if under 5.
        ({"A": 1, "B": 2}, [("Autres (2)", S)]),
        # Two merged groups of 4 could only be 4 and 4: the smallest shown joins them.
        ({"A": 20, "B": 4, "C": 4, "D": 30}, [("D", 30), ("Autres (3)", 28)]),
        ({"A": 20, "B": 3, "C": 4, "D": 30}, [("D", 30), ("A", 20), ("Autres (2)", 7)]),
        # A group alone under 5, with nothing to merge it with, keeps its name.
        ({"A": 3}, [("A", S)]),
        ({"A": 0, "B": 6}, [("B", 6)]),
    ],
)
def test_the_steering_committee_never_sees_a_group_under_five_alone(counts, shown):
    assert HIDE_SMALL.groups(counts.items(), "Autres") == shown


def test_the_coordination_sees_every_group_but_the_tail_beyond_the_first_ones():
    counts = {"A": 12, "B": 7, "C": 1, "D": 1}
    assert SHOW_ALL.groups(counts.items(), "Autres") == [("A", 12), ("B", 7), ("C", 1), ("D", 1)]
    assert SHOW_ALL.groups(counts.items(), "Autres", keep=2) == [
        ("A", 12),
        ("B", 7),
        ("Autres (2)", 2),
    ]
