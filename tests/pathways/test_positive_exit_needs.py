"""What a positive-exit condition cannot be met without: every need is necessary (a pathway
that meets the rule has it, checked against the engine at each boundary and on random
steps), and the boundaries are exact where the rule's own are (a day further, the rule is
not met either); the days of a cumulated condition are a lower bound, 28 a month. No
database: steps are built by hand, dates are explicit.
"""

import copy
import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plie.core.dates import age_on
from plie.core.months import add_months, latest_start, period_length, window_start
from plie.pathways import positive_exit
from plie.pathways.positive_exit import CheckedRules, ExitFacts, conditions_met, evaluate
from plie.pathways.positive_exit_needs import ExitScreen, born_by, rule_needs
from tests.pathways.test_positive_exit import DIJON_RULES, FULL_TIME, changed, job, step, steps

D = datetime.date
ON = D(2026, 11, 30)
DAY = datetime.timedelta(days=1)
RULES = {rule["code"]: rule for rule in DIJON_RULES}


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def met(code: str, facts_steps, on=ON, age=40, rules=DIJON_RULES) -> bool:
    facts = ExitFacts(age=age, steps=tuple(facts_steps))
    return code in {r.code for r in evaluate(rules, facts, on).met}


def needed(code: str, facts_steps, on=ON, age=40, rule=None) -> bool:
    return rule_needs(rule or RULES[code], on).may_be_met(ExitFacts(age, tuple(facts_steps)))


# --- Dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("months", "on", "expected"),
    [
        (6, D(2026, 11, 30), D(2026, 6, 1)),  # 1 June to 30 November: 6 months
        (6, D(2026, 6, 30), D(2026, 1, 1)),
        (1, D(2026, 2, 27), D(2026, 1, 31)),  # from 31 January, reached on 27 February
        (1, D(2026, 2, 28), D(2026, 2, 1)),  # 1 February to 28 February: one month
        (12, D(2028, 2, 28), D(2027, 2, 28)),  # a leap year in between
    ],
)
def test_latest_start_is_the_last_day_that_reaches_the_months_by_the_date(months, on, expected):
    assert latest_start(months, on) == expected
    assert add_months(expected, months) <= on + DAY
    assert add_months(expected + DAY, months) > on + DAY


@settings(max_examples=300, database=None, deadline=None)
@given(
    on=st.dates(D(2020, 1, 1), D(2032, 12, 31)),
    months=st.integers(1, 36),
    back=st.integers(-5, 5),
)
def test_a_period_reaches_its_months_by_the_date_exactly_when_it_starts_by_latest_start(
    on, months, back
):
    start = latest_start(months, on) + days(back)
    assert (add_months(start, months) <= on + DAY) is (start <= latest_start(months, on))


@settings(max_examples=300, database=None, deadline=None)
@given(
    birth=st.dates(D(1930, 1, 1), D(2010, 12, 31)),
    on=st.dates(D(2020, 1, 1), D(2032, 12, 31)),
    years=st.integers(16, 70),
)
def test_born_by_is_the_age_as_a_birth_date(birth, on, years):
    assert (age_on(birth, on) >= years) is (birth <= born_by(on, years))


def test_born_by_on_29_february_of_a_year_whose_past_has_none():
    assert born_by(D(2028, 2, 29), 55) == D(1973, 2, 28)


# --- Each need, at its boundary --------------------------------------------------------------

SIX_MONTHS_AGO = latest_start(6, ON)  # 1 June 2026


def test_a_cdi_started_on_the_last_possible_day_is_met_and_needed():
    steps_ = [job("cdi", SIX_MONTHS_AGO)]
    assert met("cdi-6-months", steps_) and needed("cdi-6-months", steps_)
    later = [job("cdi", SIX_MONTHS_AGO + DAY)]
    assert not met("cdi-6-months", later) and not needed("cdi-6-months", later)


def test_a_cdi_met_through_a_cdd_at_the_same_employer_started_early_enough():
    chain = [job("cdd", SIX_MONTHS_AGO, D(2026, 8, 31)), job("cdi", D(2026, 9, 1))]
    assert met("cdi-6-months", chain) and needed("cdi-6-months", chain)
    shorter = [job("cdd", SIX_MONTHS_AGO + DAY, D(2026, 8, 31)), job("cdi", D(2026, 9, 1))]
    assert not met("cdi-6-months", shorter) and not needed("cdi-6-months", shorter)


def test_a_cdi_that_ended_the_day_before_is_neither_met_nor_needed():
    ended = [job("cdi", D(2026, 1, 1), ON - DAY)]
    assert not met("cdi-6-months", ended) and not needed("cdi-6-months", ended)
    last_day = [job("cdi", D(2026, 1, 1), ON)]
    assert met("cdi-6-months", last_day) and needed("cdi-6-months", last_day)


@pytest.mark.parametrize(
    ("hours", "agreed", "counts"),
    [(Decimal("17.5"), False, True), (Decimal("17.4"), False, False), (Decimal(10), True, True)],
)
def test_the_weekly_hours_of_a_cdi_at_the_threshold(hours, agreed, counts):
    steps_ = [job("cdi", D(2026, 1, 1), weekly_hours=hours, part_time_agreed=agreed)]
    assert met("cdi-6-months", steps_) is counts
    assert needed("cdi-6-months", steps_) is counts


def test_a_cdi_without_weekly_hours_is_neither_met_nor_needed():
    steps_ = [job("cdi", D(2026, 1, 1), weekly_hours=None)]
    assert not met("cdi-6-months", steps_) and not needed("cdi-6-months", steps_)


WINDOW_START = window_start(ON, 12)  # 1 December 2025
FEWEST_DAYS = 6 * 28  # six months take at least 168 days, in one period or several


def test_the_window_is_the_twelve_months_ending_on_the_date():
    assert window_start(ON, 12) == D(2025, 12, 1)
    assert period_length(WINDOW_START, ON) == period_length(D(2025, 1, 1), D(2025, 12, 31))


def test_six_months_at_the_start_of_the_window_are_met_and_needed():
    first = [step("interim", WINDOW_START - days(30), D(2026, 5, 31))]
    assert met("interim-6-in-12", first) and needed("interim-6-in-12", first)


def test_six_months_up_to_the_date_are_met_and_needed():
    last = [step("interim", D(2026, 6, 1), None)]
    assert met("interim-6-in-12", last) and needed("interim-6-in-12", last)
    later = [step("interim", D(2026, 6, 2), None)]
    assert not met("interim-6-in-12", later)


def test_six_months_in_two_missions_at_both_ends_of_the_window():
    missions = [
        step("interim", WINDOW_START, D(2026, 2, 28)),  # 3 months
        step("interim", D(2026, 9, 1), ON),  # 3 months
    ]
    assert met("interim-6-in-12", missions) and needed("interim-6-in-12", missions)


def test_fewer_days_than_six_months_can_take_are_neither_met_nor_needed():
    missions = [
        step("interim", WINDOW_START, WINDOW_START + days(83)),
        step("interim", ON - days(82), ON),
    ]  # 84 + 83 days: one day under 168
    assert not met("interim-6-in-12", missions) and not needed("interim-6-in-12", missions)
    missions[1] = step("interim", ON - days(83), ON)
    assert needed("interim-6-in-12", missions)  # necessary, not sufficient
    assert not met("interim-6-in-12", missions)


def test_one_month_can_take_28_days_only_and_is_then_needed_at_its_boundary():
    """In February, 28 days are a month: the least a month needs, met and needed; a day
    less is neither."""
    rule = changed(1, months=1, window_months=1)[1]
    on = D(2026, 2, 28)  # the month ending on 28 February starts on 1 February
    february = [step("interim", D(2026, 2, 1), None)]
    assert met("interim-6-in-12", february, on=on, rules=[rule])
    assert needed("interim-6-in-12", february, on=on, rule=rule)
    later = [step("interim", D(2026, 2, 2), None)]
    assert not met("interim-6-in-12", later, on=on, rules=[rule])
    assert not needed("interim-6-in-12", later, on=on, rule=rule)


def test_overlapping_missions_count_their_days_twice_in_what_is_needed_not_in_what_is_met():
    missions = [
        step("interim", ON - days(179), ON - days(90)),
        step("interim", ON - days(179), ON - days(90)),  # the same 90 days, recorded twice
        step("interim", ON - days(60), ON),
    ]
    assert not met("interim-6-in-12", missions)
    assert needed("interim-6-in-12", missions)  # necessary, not sufficient


def test_a_cdd_under_the_hours_counts_in_neither():
    cdds = [job("cdd", ON - days(200), ON, weekly_hours=Decimal(17))]
    assert not met("cdd-6-in-12", cdds) and not needed("cdd-6-in-12", cdds)
    agreed = [job("cdd", ON - days(200), ON, weekly_hours=Decimal(17), part_time_agreed=True)]
    assert met("cdd-6-in-12", agreed) and needed("cdd-6-in-12", agreed)


def test_a_qualifying_training_started_on_the_date_is_met_and_needed():
    steps_ = [step("training-qualifying", ON, None)]
    assert met("qualifying-training", steps_) and needed("qualifying-training", steps_)
    tomorrow = [step("training-qualifying", ON + DAY, None)]
    assert not met("qualifying-training", tomorrow)
    assert not needed("qualifying-training", tomorrow)


def test_a_contract_needs_an_end_date_actual_or_planned():
    planned = [step("pec", D(2026, 6, 1), None, planned_end=D(2027, 6, 1))]
    assert met("subsidised-over-6-months", planned)
    assert needed("subsidised-over-6-months", planned)
    unknown = [step("pec", D(2026, 1, 1), None)]
    assert not met("subsidised-over-6-months", unknown)
    assert not needed("subsidised-over-6-months", unknown)


def test_a_contract_over_before_the_date_counts_with_its_real_end():
    over = [step("pec", D(2025, 1, 1), D(2025, 12, 31))]
    assert met("subsidised-over-6-months", over) and needed("subsidised-over-6-months", over)


@pytest.mark.parametrize(("age", "counts"), [(55, True), (54, False), (None, False)])
def test_the_aci_rule_needs_the_age(age, counts):
    steps_ = [step("aci", D(2026, 1, 1), None)]
    assert met("aci-55-6-months", steps_, age=age) is counts
    assert needed("aci-55-6-months", steps_, age=age) is counts


def test_the_age_of_the_aci_rule_as_a_birth_date():
    assert rule_needs(RULES["aci-55-6-months"], ON).born_by == D(1971, 11, 30)


def test_steps_with_impossible_dates_count_in_neither():
    backwards = [job("cdi", D(2026, 1, 1), D(2025, 12, 1)), job("cdi", ON, ON - days(2))]
    assert not met("cdi-6-months", backwards) and not needed("cdi-6-months", backwards)


# --- On random steps and rules ---------------------------------------------------------------

rule_sets = st.sampled_from(
    [
        DIJON_RULES,
        changed(0, months=2, continuity_types=None),
        changed(1, months=3, window_months=4),
        changed(2, months=1, window_months=1),
        changed(4, months=9, min_weekly_hours=10),
        changed(5, months=1, min_weekly_hours=20),
        changed(6, months=3, min_age=30),
        changed(3, min_age=25, min_weekly_hours=17.5),
    ]
)
on_dates = st.integers(0, 700).map(lambda n: D(2025, 1, 1) + days(n))
# A pathway's steps, a date, an age and a protocol's rules: what both properties range over.
any_case = given(
    recorded=st.lists(steps(), max_size=8),
    on=on_dates,
    age=st.none() | st.integers(18, 70),
    rules=rule_sets,
)


@settings(max_examples=400, database=None, deadline=None)
@any_case
def test_a_rule_met_always_has_what_it_needs(recorded, on, age, rules):
    facts = ExitFacts(age=age, steps=tuple(recorded))
    for result in evaluate(rules, facts, on).met:
        rule = next(r for r in rules if r["code"] == result.code)
        assert rule_needs(rule, on).may_be_met(facts), result.code


@settings(max_examples=300, database=None, deadline=None)
@any_case
def test_the_screen_finds_the_conditions_the_engine_finds(recorded, on, age, rules):
    facts = ExitFacts(age=age, steps=tuple(recorded))
    assert ExitScreen(rules, on).conditions_met(facts) == evaluate(rules, facts, on).met


@settings(max_examples=100, database=None, deadline=None)
@given(recorded=st.lists(steps(), max_size=8), on=on_dates, age=st.integers(18, 70))
def test_the_screen_told_which_rules_have_their_steps_checks_only_the_age(recorded, on, age):
    facts = ExitFacts(age=age, steps=tuple(recorded))
    screen = ExitScreen(DIJON_RULES, on)
    with_steps = {n.code for n in screen.needs if n.may_be_met(ExitFacts(99, facts.steps))}
    assert (
        screen.conditions_met(facts, with_steps=with_steps) == evaluate(DIJON_RULES, facts, on).met
    )


def test_every_kind_of_rule_says_what_it_cannot_be_met_without():
    kinds = {rule["kind"] for rule in DIJON_RULES}
    assert kinds == set(positive_exit.KINDS)  # the property tests above try each kind
    for rule in DIJON_RULES:
        assert rule_needs(rule, ON).steps


def test_a_kind_without_needs_is_refused_rather_than_guessed():
    with pytest.raises(ValueError, match="no needs written"):
        rule_needs({**RULES["qualifying-training"], "kind": "new-kind"}, ON)


def test_the_screen_looks_at_the_types_the_rules_name_and_no_other():
    assert ExitScreen(DIJON_RULES, ON).step_types == {
        code
        for rule in DIJON_RULES
        for code in rule["step_types"] + rule.get("continuity_types", [])
    }


# --- Rules checked once ----------------------------------------------------------------------


def test_a_checked_rule_set_is_validated_once_for_many_evaluations(monkeypatch):
    calls = []
    validate = positive_exit.validate_rules
    monkeypatch.setattr(
        positive_exit,
        "validate_rules",
        lambda rules, **kw: calls.append(1) or validate(rules, **kw),
    )
    rules = CheckedRules(DIJON_RULES)
    for n in range(3):
        facts = ExitFacts(age=40, steps=(job("cdi", D(2026, 1, 1) + days(n)),))
        evaluate(rules, facts, ON)
        conditions_met(rules, facts, ON)
    assert len(calls) == 1
    evaluate(DIJON_RULES, ExitFacts(age=40, steps=()), ON)  # a plain list is checked each time
    assert len(calls) == 2


def test_a_malformed_rule_set_is_refused_when_checked():
    with pytest.raises(positive_exit.RuleError, match="type de règle « rolling » inconnu"):
        CheckedRules(changed(0, kind="rolling"))


def test_part_of_a_checked_rule_set_is_still_checked():
    rules = CheckedRules(copy.deepcopy(DIJON_RULES))
    kept = rules.where(lambda rule: rule["kind"] == "cumulative")
    assert isinstance(kept, CheckedRules)
    assert [rule["code"] for rule in kept] == ["interim-6-in-12", "cdd-6-in-12"]


def test_conditions_met_are_those_of_the_full_evaluation():
    facts = ExitFacts(
        age=56,
        steps=(
            job("cdi", D(2026, 1, 1)),
            step("aci", D(2026, 1, 1), None, weekly_hours=FULL_TIME),
            step("training-qualifying", D(2026, 3, 1), None),
        ),
    )
    assert conditions_met(DIJON_RULES, facts, ON) == evaluate(DIJON_RULES, facts, ON).met
    assert len(conditions_met(DIJON_RULES, facts, ON)) == 3
