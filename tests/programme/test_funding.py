"""The funding plan (programme/funding.py): rates are amount ÷ budget, the plan balances the
budget to the cent or says by how much it does not."""

from decimal import Decimal

from plie.programme.enums import Funder
from plie.programme.funding import funding_plan, year_plan


def test_rates_are_each_amount_over_the_budget_shown_to_the_tenth_of_a_percent():
    plan = funding_plan(
        Decimal(200000), {Funder.FSE: Decimal(99000), Funder.METROPOLE: Decimal(101000)}
    )
    assert [share.rate for share in plan.shares] == [Decimal("0.495"), Decimal("0.505")]
    assert [share.rate_text for share in plan.shares] == ["49,5\xa0%", "50,5\xa0%"]


def test_funders_come_in_the_order_of_the_list_whatever_the_order_given():
    plan = funding_plan(100, {Funder.OTHERS: Decimal(10), Funder.FSE: Decimal(90)})
    assert [share.funder for share in plan.shares] == [Funder.FSE, Funder.OTHERS]


def test_a_plan_equal_to_the_budget_is_balanced():
    plan = funding_plan(
        Decimal("1000.00"), {Funder.FSE: Decimal("600.00"), Funder.REGION: Decimal("400.00")}
    )
    assert plan.balanced
    assert plan.gap == 0
    assert "équilibre le budget" in plan.explanation()


def test_one_cent_short_is_not_balanced_and_says_what_is_missing():
    plan = funding_plan(Decimal("1000.00"), {Funder.FSE: Decimal("999.99")})
    assert not plan.balanced
    assert plan.gap == Decimal("0.01")
    assert "il manque 0,01\xa0€" in plan.explanation()


def test_one_cent_too_much_is_not_balanced_and_says_the_excess():
    plan = funding_plan(Decimal("1000.00"), {Funder.FSE: Decimal("1000.01")})
    assert not plan.balanced
    assert "0,01\xa0€ de trop" in plan.explanation()


def test_a_zero_budget_has_no_rate_and_an_empty_plan_balances_it():
    plan = funding_plan(0, {})
    assert plan.balanced
    assert funding_plan(0, {Funder.FSE: Decimal(5)}).shares[0].rate is None


def test_the_year_plan_adds_budgets_and_each_funders_amounts():
    plan = year_plan(
        [
            funding_plan(100, {Funder.FSE: Decimal(50), Funder.METROPOLE: Decimal(50)}),
            funding_plan(300, {Funder.FSE: Decimal(150), Funder.COMMUNES: Decimal(100)}),
        ]
    )
    assert plan.budget == 400
    assert {share.funder: share.amount for share in plan.shares} == {
        Funder.FSE: 200,
        Funder.METROPOLE: 50,
        Funder.COMMUNES: 100,
    }
    assert plan.gap == 50
