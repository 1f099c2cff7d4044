"""The CléA rule (actions/clea.py): 75 % of the points, per domain and overall, « non
évalué » counted as not acquired — at the boundaries."""

from plie.actions.clea import SubdomainFacts, reading, share
from plie.actions.enums import CleaLevel

ACQUIRED, TO_WORK_ON, NOT_ASSESSED = (
    CleaLevel.ACQUIRED,
    CleaLevel.TO_WORK_ON,
    CleaLevel.NOT_ASSESSED,
)
NBSP = "\u00a0"


def results(acquired: int, to_work_on: int = 0, total: int = 28):
    """`total` sub-domains of one point, spread over 7 domains of 4."""
    levels = [ACQUIRED] * acquired + [TO_WORK_ON] * to_work_on
    levels += [NOT_ASSESSED] * (total - len(levels))
    return [
        SubdomainFacts(index // 4 + 1, f"Domaine {index // 4 + 1}", 1, level)
        for index, level in enumerate(levels)
    ]


def test_21_of_28_is_exactly_75_percent_and_reached():
    overall = reading(results(21, 7)).overall
    assert (overall.acquired, overall.total, overall.percent) == (21, 28, 75)
    assert overall.reached and overall.missing == 0
    assert (
        overall.explanation
        == f"21 points sur 28, soit 75{NBSP}% : le seuil de 75{NBSP}% est atteint."
    )


def test_20_of_28_misses_one_point():
    overall = reading(results(20, 8)).overall
    assert not overall.reached
    assert overall.missing == 1
    assert overall.percent == 71
    assert "il manque 1 point pour atteindre 75" in overall.explanation


def test_the_example_of_the_brief():
    overall = reading(results(19, 9)).overall
    assert overall.explanation == (
        f"19 points sur 28, soit 68{NBSP}% : il manque 2 points pour atteindre 75{NBSP}%."
    )


def test_exactly_75_percent_of_a_domain_of_four():
    domain = share("1. Français", results(3, 1, total=4))
    assert domain.reached and domain.percent == 75
    domain = share("1. Français", results(2, 2, total=4))
    assert not domain.reached and domain.missing == 1 and domain.percent == 50


def test_a_share_just_under_never_reads_75_percent():
    # 149 of 199 points: 74,87 % rounds to 75 but the threshold is not reached.
    facts = [SubdomainFacts(1, "Un", 149, ACQUIRED), SubdomainFacts(1, "Un", 50, TO_WORK_ON)]
    under = share("x", facts)
    assert not under.reached and under.percent == 74 and under.missing == 1


def test_not_assessed_counts_as_not_acquired_and_says_so():
    overall = reading(results(21, 4)).overall  # 3 not assessed
    assert overall.reached
    assert overall.not_assessed == 3
    assert "3 points non évalués, comptés comme non acquis" in overall.explanation
    one = reading(results(20, 7)).overall
    assert not one.reached
    assert "1 point non évalué, compté comme non acquis" in one.explanation


def test_nothing_assessed():
    overall = reading(results(0)).overall
    assert (overall.acquired, overall.total, overall.percent) == (0, 28, 0)
    assert not overall.reached and overall.missing == 21
    assert "rien n'a été évalué : tout compte comme non acquis" in overall.explanation


def test_no_point_at_all():
    empty = reading([]).overall
    assert not empty.reached and empty.percent is None
    assert empty.explanation == "Aucun point à évaluer."


def test_per_domain_in_order():
    found = reading(list(reversed(results(8, 20))))
    assert [d.label for d in found.domains][:2] == ["1. Domaine 1", "2. Domaine 2"]
    assert [d.reached for d in found.domains] == [True, True] + [False] * 5
    assert found.domains[2].explanation.startswith("0 point sur 4, soit 0")
