"""The positive-exit rule engine, checked condition by condition on Dijon's rules (seed 001
§ I.C.2), at each boundary. No database: steps are built by hand, dates are explicit.
"""

import copy
import dataclasses
import datetime
import importlib
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import plie.territory
from plie.core.months import period_length, window_start
from plie.pathways.positive_exit import (
    ConditionResult,
    ExitEvaluation,
    ExitFacts,
    RuleError,
    StepFact,
    evaluate,
    validate_rules,
)

TERRITORY = Path(plie.territory.__file__).parent / "data" / "dijon-metropole.json"
# The rule set of seed 001 § I.C.2, as the territory file ships it for both protocols.
DIJON_RULES = json.loads(TERRITORY.read_text(encoding="utf-8"))["protocols"][0]["exit_rules"]
D = datetime.date
JAN_1 = D(2026, 1, 1)
FULL_TIME = Decimal(35)
EMPLOYER = "Boulangerie Martin"


def step(type_code: str, start: datetime.date, end: datetime.date | None = None, **fields):
    return StepFact(type_code=type_code, start=start, end=end, **fields)


def job(type_code: str, start: datetime.date, end: datetime.date | None = None, **fields):
    """A full-time contract at the same employer unless told otherwise."""
    fields = {"weekly_hours": FULL_TIME, "employer": EMPLOYER} | fields
    return step(type_code, start, end, **fields)


def check(steps, on: datetime.date, age: int | None = 40, rules=None) -> ExitEvaluation:
    rules = DIJON_RULES if rules is None else rules
    return evaluate(rules, ExitFacts(age=age, steps=tuple(steps)), on)


def result(evaluation: ExitEvaluation, code: str) -> ConditionResult:
    (found,) = [r for r in evaluation.results if r.code == code]
    return found


def met_codes(evaluation: ExitEvaluation) -> list[str]:
    return [r.code for r in evaluation.met]


def days(start: datetime.date, count: int) -> tuple[datetime.date, datetime.date]:
    """A period of `count` days, both ends included."""
    return start, start + datetime.timedelta(days=count - 1)


# --- One continuous period: CDI, business creation, ACI for 55 and over --------------------

CONTINUOUS = pytest.mark.parametrize(
    ("code", "type_code", "age", "noun"),
    [
        ("cdi-6-months", "cdi", 40, "de CDI"),
        ("business-6-months", "business-creation", 40, "d'activité créée ou reprise"),
        ("aci-55-6-months", "aci", 58, "d'ACI"),
    ],
    ids=["cdi", "business-creation", "aci-55-plus"],
)


@CONTINUOUS
def test_continuous_condition_is_not_met_at_five_months_29_days(code, type_code, age, noun):
    evaluation = check([job(type_code, JAN_1)], D(2026, 6, 29), age=age)
    condition = result(evaluation, code)
    assert not condition.met
    assert condition.detail.endswith("5 mois 29 jours depuis le 01/01/2026")
    assert condition.missing == (
        f"il manque 1 jour {noun}, 6 mois atteints le 30/06/2026 si l'étape se poursuit"
    )
    assert evaluation.closest == condition
    assert 0.99 < condition.progress < 1


@CONTINUOUS
def test_continuous_condition_is_met_on_the_day_six_calendar_months_are_reached(
    code, type_code, age, noun
):
    """Both ends count: from 1 January to 30 June inclusive is 6 months."""
    evaluation = check([job(type_code, JAN_1)], D(2026, 6, 30), age=age)
    condition = result(evaluation, code)
    assert condition.met
    assert condition.detail.endswith("6 mois depuis le 01/01/2026")
    assert (condition.missing, condition.progress) == ("", 1.0)
    assert met_codes(evaluation) == [code]


def test_a_cdi_from_10_january_meets_six_months_on_9_july_not_on_8_july():
    """The domain's example: 6 months are reached at the end of the day before 10 July."""
    steps = [job("cdi", D(2026, 1, 10))]
    on_8_july = result(check(steps, D(2026, 7, 8)), "cdi-6-months")
    assert not on_8_july.met
    assert on_8_july.missing == (
        "il manque 1 jour de CDI, 6 mois atteints le 09/07/2026 si l'étape se poursuit"
    )
    on_9_july = result(check(steps, D(2026, 7, 9)), "cdi-6-months")
    assert on_9_july.met
    assert on_9_july.detail == "CDI : 6 mois depuis le 10/01/2026"


def test_a_job_whose_last_day_is_the_date_still_goes_on_that_day():
    """A step's end date is its last day: at the end of it, the job has been held all day."""
    steps = [job("cdi", D(2026, 1, 10), D(2026, 7, 9))]
    assert result(check(steps, D(2026, 7, 9)), "cdi-6-months").met
    next_day = result(check(steps, D(2026, 7, 10)), "cdi-6-months")
    assert not next_day.met
    assert next_day.missing == (
        "l'étape s'est terminée le 09/07/2026 : la condition vaut tant qu'elle dure "
        "(proposez la sortie au 09/07/2026)"
    )


def test_one_month_from_31_january_is_reached_the_day_before_the_last_day_of_february():
    rule = {
        "code": "one-month",
        "label": "Un mois de CDI",
        "kind": "continuous",
        "step_types": ["cdi"],
        "months": 1,
    }
    steps = [job("cdi", D(2026, 1, 31))]
    assert not check(steps, D(2026, 2, 26), rules=[rule]).met
    assert check(steps, D(2026, 2, 27), rules=[rule]).met


def test_a_finished_continuous_step_says_when_it_ended():
    evaluation = check([job("cdi", JAN_1, D(2026, 5, 31))], D(2026, 9, 1))
    condition = result(evaluation, "cdi-6-months")
    assert condition.detail == "CDI : 5 mois du 01/01/2026 au 31/05/2026"
    assert condition.missing == "il manque 1 mois de CDI ; l'étape s'est terminée le 31/05/2026"


def test_a_job_held_from_1_january_to_30_june_lasted_six_months():
    on_the_last_day = result(
        check([job("cdi", JAN_1, D(2026, 6, 30))], D(2026, 6, 30)), "cdi-6-months"
    )
    assert on_the_last_day.met
    assert on_the_last_day.detail == "CDI : 6 mois depuis le 01/01/2026"


def test_a_continuous_condition_holds_only_while_the_job_goes_on():
    evaluation = check([job("cdi", JAN_1, D(2026, 8, 31))], D(2026, 9, 1))
    condition = result(evaluation, "cdi-6-months")
    assert not condition.met
    assert condition.detail == "CDI : 8 mois du 01/01/2026 au 31/08/2026"
    assert condition.missing == (
        "l'étape s'est terminée le 31/08/2026 : la condition vaut tant qu'elle dure "
        "(proposez la sortie à une date entre le 30/06/2026 et le 31/08/2026)"
    )
    assert evaluation.closest == condition


def test_cdd_then_cdi_in_the_same_company_counts_as_six_months_in_the_company():
    steps = [
        job("cdd", JAN_1, D(2026, 3, 31)),
        job("cdi", D(2026, 4, 1), employer=" boulangerie MARTIN "),
    ]
    condition = result(check(steps, D(2026, 6, 30)), "cdi-6-months")
    assert condition.met
    assert condition.detail == (
        "CDI : 6 mois depuis le 01/01/2026 (2 étapes successives chez le même employeur)"
    )


@pytest.mark.parametrize(
    "steps",
    [
        [job("cdd", JAN_1, D(2026, 3, 31)), job("cdi", D(2026, 4, 1), employer="Clinique")],
        [job("cdd", JAN_1, D(2026, 3, 30)), job("cdi", D(2026, 4, 1))],
        [job("cdd", JAN_1, D(2026, 3, 31), employer=""), job("cdi", D(2026, 4, 1), employer="")],
        [job("cdd", JAN_1, D(2026, 3, 31), weekly_hours=Decimal(10)), job("cdi", D(2026, 4, 1))],
        [job("cdi", JAN_1, D(2026, 3, 31)), job("cdd", D(2026, 4, 1))],
        [job("cdd", JAN_1)],
    ],
    ids=[
        "another-employer",
        "one-day-gap",
        "employer-unknown",
        "cdd-under-half-time",
        "cdi-then-cdd",
        "cdd-only",
    ],
)
def test_six_months_in_the_company_need_a_cdi_and_no_break_at_one_employer(steps):
    assert not result(check(steps, D(2026, 7, 1)), "cdi-6-months").met


def test_moving_the_date_later_meets_a_condition_not_met_before():
    steps = [job("cdi", JAN_1)]
    assert met_codes(check(steps, D(2026, 6, 29))) == []
    assert met_codes(check(steps, D(2026, 12, 31))) == ["cdi-6-months"]


# --- Several periods added together: intérim and CDD, 6 months within 12 -----------------

CUMULATIVE = pytest.mark.parametrize(
    ("code", "type_code", "noun"),
    [("interim-6-in-12", "interim", "d'intérim"), ("cdd-6-in-12", "cdd", "de CDD")],
    ids=["interim", "cdd"],
)


def three_missions(type_code: str, last_day: datetime.date) -> list[StepFact]:
    """2 months + 2 months + 1 February to `last_day`, with gaps between them."""
    return [
        job(type_code, D(2025, 9, 1), D(2025, 10, 31), employer="Adecco"),
        job(type_code, D(2025, 11, 15), D(2026, 1, 14), employer="Manpower"),
        job(type_code, D(2026, 2, 1), last_day, employer="Adecco"),
    ]


@CUMULATIVE
def test_periods_adding_up_to_5_months_29_days_are_not_six_months(code, type_code, noun):
    condition = result(check(three_missions(type_code, D(2026, 3, 29)), D(2026, 6, 1)), code)
    assert not condition.met
    assert condition.detail.endswith(": 5 mois 29 jours sur les 12 derniers mois (en 3 périodes)")
    assert condition.missing == f"il manque 1 jour {noun} sur les 12 derniers mois"
    assert condition.progress == pytest.approx((5 + 29 / 30) / 6)


@CUMULATIVE
def test_periods_adding_up_to_six_months_are_six_months_even_with_gaps(code, type_code, noun):
    condition = result(check(three_missions(type_code, D(2026, 3, 31)), D(2026, 6, 1)), code)
    assert condition.met
    assert condition.detail.endswith(": 6 mois sur les 12 derniers mois (en 3 périodes)")


@CUMULATIVE
def test_four_months_and_two_months_make_six_months(code, type_code, noun):
    """The domain's example: 01/01–30/04 + 01/06–31/07 = 4 + 2 = 6 months."""
    steps = [
        job(type_code, JAN_1, D(2026, 4, 30)),
        job(type_code, D(2026, 6, 1), D(2026, 7, 31), employer="Clinique"),
    ]
    condition = result(check(steps, D(2026, 7, 31)), code)
    assert condition.met
    assert condition.detail.endswith(": 6 mois sur les 12 derniers mois (en 2 périodes)")
    shorter = [steps[0], dataclasses.replace(steps[1], end=D(2026, 7, 29))]
    condition = result(check(shorter, D(2026, 7, 31)), code)
    assert not condition.met
    assert condition.detail.endswith(": 5 mois 29 jours sur les 12 derniers mois (en 2 périodes)")


@CUMULATIVE
def test_one_contract_of_5_months_29_days_is_not_six_months_whatever_its_days(
    code, type_code, noun
):
    """1 January to 29 June 2026 is 180 days, and still 5 months 29 days."""
    steps = [job(type_code, JAN_1, D(2026, 6, 29))]
    condition = result(check(steps, D(2026, 7, 31)), code)
    assert not condition.met
    assert condition.detail.endswith(": 5 mois 29 jours sur les 12 derniers mois")
    assert condition.missing == f"il manque 1 jour {noun} sur les 12 derniers mois"
    longer = [job(type_code, JAN_1, D(2026, 6, 30))]
    assert result(check(longer, D(2026, 7, 31)), code).met


@CUMULATIVE
def test_one_period_of_5_months_30_days_is_not_six_months(code, type_code, noun):
    """One period counts in calendar months only: from 1 July, 6 months on 31 December."""
    steps = [job(type_code, D(2025, 7, 1))]
    on_30_december = result(check(steps, D(2025, 12, 30)), code)
    assert not on_30_december.met
    assert on_30_december.detail.endswith(": 5 mois 30 jours sur les 12 derniers mois")
    assert on_30_december.missing == f"il manque 1 jour {noun} sur les 12 derniers mois"
    assert result(check(steps, D(2025, 12, 31)), code).met


@CUMULATIVE
def test_every_30_days_left_over_make_a_month(code, type_code, noun):
    """2 months 20 days + 3 months 10 days = 5 months 30 days = 6 months."""
    first = job(type_code, JAN_1, D(2026, 3, 20))
    steps = [first, job(type_code, D(2026, 5, 1), D(2026, 8, 10), employer="Clinique")]
    condition = result(check(steps, D(2026, 8, 31)), code)
    assert condition.met
    assert condition.detail.endswith(": 6 mois sur les 12 derniers mois (en 2 périodes)")
    steps = [first, job(type_code, D(2026, 5, 1), D(2026, 8, 9), employer="Clinique")]
    condition = result(check(steps, D(2026, 8, 31)), code)
    assert not condition.met
    assert condition.detail.endswith(": 5 mois 29 jours sur les 12 derniers mois (en 2 périodes)")
    assert condition.missing == f"il manque 1 jour {noun} sur les 12 derniers mois"


@CUMULATIVE
def test_two_contracts_in_a_row_are_two_periods(code, type_code, noun):
    """Successive CDD are added as periods: 3 months + 2 months 30 days = 6 months, where one
    contract over the same days (1 July to 30 December) is 5 months 30 days."""
    steps = [
        job(type_code, D(2025, 7, 1), D(2025, 9, 30)),
        job(type_code, D(2025, 10, 1), D(2025, 12, 30)),
    ]
    assert result(check(steps, D(2025, 12, 30)), code).met


@CUMULATIVE
def test_overlapping_periods_are_counted_once(code, type_code, noun):
    steps = [
        job(type_code, JAN_1, D(2026, 3, 31), employer="Adecco"),
        job(type_code, D(2026, 3, 1), D(2026, 6, 27), employer="Manpower"),
    ]
    condition = result(check(steps, D(2026, 7, 31)), code)
    # 3 months, then the second from 1 April: 2 months 27 days.
    assert condition.detail.endswith(": 5 mois 27 jours sur les 12 derniers mois (en 2 périodes)")
    assert not condition.met


@CUMULATIVE
def test_a_mission_drops_out_of_the_sliding_window(code, type_code, noun):
    steps = [
        job(type_code, D(2025, 6, 1), D(2025, 6, 30)),  # 1 month
        job(type_code, JAN_1, D(2026, 5, 30)),  # 4 months 30 days
    ]
    on_last_day = result(check(steps, D(2026, 5, 31)), code)  # window from 01/06/2025
    assert on_last_day.met
    next_day = result(check(steps, D(2026, 6, 1)), code)  # window from 02/06/2025
    assert not next_day.met
    assert next_day.detail.endswith(": 5 mois 29 jours sur les 12 derniers mois (en 2 périodes)")
    assert next_day.missing == f"il manque 1 jour {noun} sur les 12 derniers mois"


def test_the_twelve_months_ending_on_28_february_2025_leave_29_february_2024_out():
    """From 29 February 2024, 12 months are reached on 27 February 2025: on the 28th, the 12
    months ending that day start on 1 March 2024."""
    steps = [job("interim", D(2024, 2, 29), D(2024, 8, 28))]  # 6 months from 29 February
    assert result(check(steps, D(2025, 2, 27)), "interim-6-in-12").met
    on_28 = result(check(steps, D(2025, 2, 28)), "interim-6-in-12")
    assert not on_28.met
    assert on_28.detail == "intérim : 5 mois 28 jours sur les 12 derniers mois"


def test_only_the_part_of_an_ongoing_mission_up_to_the_date_counts():
    steps = [job("interim", JAN_1, D(2026, 12, 31))]
    condition = result(check(steps, D(2026, 6, 29)), "interim-6-in-12")
    assert condition.detail == "intérim : 5 mois 29 jours sur les 12 derniers mois"
    assert result(check(steps, D(2026, 6, 30)), "interim-6-in-12").met


# --- Weekly hours: half-time, or less with the participant's agreement --------------------

HOURS = pytest.mark.parametrize(
    ("hours", "agreed", "counts"),
    [
        (Decimal("17.5"), False, True),
        (Decimal(17), False, False),
        (Decimal(17), True, True),
        (None, False, False),
        (None, True, True),
    ],
    ids=["17h30", "17h-without-agreement", "17h-with-agreement", "unknown", "unknown-agreed"],
)


@HOURS
def test_cdd_under_17h30_counts_only_with_agreement(hours, agreed, counts):
    steps = [job("cdd", JAN_1, D(2026, 6, 30), weekly_hours=hours, part_time_agreed=agreed)]
    assert result(check(steps, D(2026, 8, 1)), "cdd-6-in-12").met is counts


@HOURS
def test_cdi_under_half_time_counts_only_with_agreement(hours, agreed, counts):
    steps = [job("cdi", JAN_1, weekly_hours=hours, part_time_agreed=agreed)]
    assert result(check(steps, D(2026, 7, 1)), "cdi-6-months").met is counts


@pytest.mark.parametrize(
    ("hours", "reason"),
    [
        (
            Decimal(17),
            "CDD du 01/01/2026 à 17\u00a0h par semaine, sous 17,5\u00a0h sans l'accord du participant",
        ),
        (None, "CDD du 01/01/2026 : durée hebdomadaire non renseignée"),
    ],
    ids=["under-threshold", "unknown"],
)
def test_a_step_left_out_for_its_hours_is_named_in_what_is_missing(hours, reason):
    steps = [job("cdd", JAN_1, D(2026, 6, 30), weekly_hours=hours)]
    condition = result(check(steps, D(2026, 8, 1)), "cdd-6-in-12")
    assert condition.missing == (
        f"il manque 6 mois de CDD sur les 12 derniers mois ; non compté : {reason}"
    )


def test_intérim_has_no_weekly_hours_threshold():
    steps = [job("interim", JAN_1, D(2026, 6, 30), weekly_hours=Decimal(10))]
    assert result(check(steps, D(2026, 8, 1)), "interim-6-in-12").met


# --- 55 and over in an ACI, after case-by-case validation ----------------------------------


@pytest.mark.parametrize(
    ("age", "met", "missing"),
    [
        (54, False, "réservé aux 55 ans ou plus (54 ans)"),
        (55, True, ""),
        (None, False, "réservé aux 55 ans ou plus (âge inconnu : renseignez la date de naissance)"),
    ],
    ids=["aged-54", "aged-55", "age-unknown"],
)
def test_aci_counts_from_55_and_needs_the_committee(age, met, missing):
    evaluation = check([job("aci", JAN_1, weekly_hours=Decimal(26))], D(2026, 6, 30), age=age)
    condition = result(evaluation, "aci-55-6-months")
    assert (condition.met, condition.missing) == (met, missing)
    assert condition.needs_committee_case
    assert condition.detail == "ACI : 6 mois depuis le 01/01/2026"


def test_aged_54_the_aci_rule_is_not_offered_as_the_closest():
    evaluation = check([job("aci", JAN_1)], D(2026, 7, 1), age=54)
    assert evaluation.closest is None


def test_a_met_condition_needing_the_committee_says_so():
    evaluation = check([job("aci", JAN_1)], D(2026, 6, 30), age=60)
    assert evaluation.summary == (
        "Condition de sortie positive remplie : 55 ans ou plus en chantier d'insertion, après "
        "6 mois dans l'emploi, sous réserve de l'examen au cas par cas de la commission — "
        "ACI : 6 mois depuis le 01/01/2026."
    )


# --- Subsidised contracts of more than six months, ACI excluded ---------------------------


@pytest.mark.parametrize(
    ("type_code", "met"),
    [("pec", True), ("alternance", True), ("aci", False), ("ei", False), ("cdd", False)],
    ids=["pec", "alternance", "aci-excluded", "ei-excluded", "cdd-excluded"],
)
def test_subsidised_contract_rule_counts_pec_and_alternance_not_aci(type_code, met):
    steps = [job(type_code, JAN_1, planned_end=D(2026, 12, 31))]
    assert result(check(steps, D(2026, 2, 1)), "subsidised-over-6-months").met is met


@pytest.mark.parametrize(
    ("planned_end", "met", "detail"),
    [
        (D(2026, 6, 30), False, "contrat aidé de 6 mois, du 01/01/2026 au 30/06/2026 (fin prévue)"),
        (
            D(2026, 7, 1),
            True,
            "contrat aidé de 6 mois 1 jour, du 01/01/2026 au 01/07/2026 (fin prévue)",
        ),
    ],
    ids=["exactly-6-months", "6-months-and-1-day"],
)
def test_a_contract_must_be_longer_than_six_months_whatever_the_time_elapsed(
    planned_end, met, detail
):
    steps = [job("pec", JAN_1, planned_end=planned_end)]
    condition = result(check(steps, JAN_1), "subsidised-over-6-months")
    assert (condition.met, condition.detail) == (met, detail)
    if not met:
        assert condition.missing == "il faut un contrat de plus de 6 mois"


def test_a_contract_ended_early_counts_its_real_length_once_over():
    steps = [job("pec", JAN_1, D(2026, 2, 28), planned_end=D(2026, 12, 31))]
    assert result(check(steps, D(2026, 2, 1)), "subsidised-over-6-months").met
    after = result(check(steps, D(2026, 3, 1)), "subsidised-over-6-months")
    assert not after.met
    assert after.detail == "contrat aidé de 2 mois, du 01/01/2026 au 28/02/2026"


def test_a_contract_with_no_planned_end_says_what_to_record():
    condition = result(check([job("pec", JAN_1)], D(2026, 2, 1)), "subsidised-over-6-months")
    assert not condition.met
    assert condition.missing == (
        "il faut un contrat de plus de 6 mois ; non compté : "
        "contrat aidé du 01/01/2026 : date de fin prévue non renseignée"
    )


# --- Qualifying training, and steps after the date ------------------------------------------


@pytest.mark.parametrize(
    ("on", "met"),
    [(D(2026, 2, 28), False), (D(2026, 3, 1), True)],
    ids=["day-before", "first-day"],
)
def test_qualifying_training_counts_once_started(on, met):
    steps = [step("training-qualifying", D(2026, 3, 1), planned_end=D(2026, 12, 18))]
    assert result(check(steps, on), "qualifying-training").met is met


def test_steps_starting_after_the_date_are_ignored():
    steps = [
        step("training-qualifying", D(2026, 7, 2)),
        job("cdi", D(2026, 7, 2)),
        job("interim", *days(D(2026, 7, 2), 200)),
    ]
    evaluation = check(steps, D(2026, 7, 1))
    assert (evaluation.met, evaluation.closest) == ((), None)
    assert evaluation.summary == (
        "Aucune condition de sortie positive n'est remplie : aucune étape ne s'en approche."
    )


# --- What the evaluation says ---------------------------------------------------------------


def test_when_nothing_is_met_the_closest_condition_says_what_is_missing():
    steps = [job("cdi", D(2026, 3, 1)), job("interim", *days(D(2025, 10, 1), 60))]
    evaluation = check(steps, D(2026, 7, 1))
    assert evaluation.met == ()
    assert evaluation.closest is not None
    assert evaluation.closest.code == "cdi-6-months"
    assert evaluation.closest.missing == (
        "il manque 1 mois 30 jours de CDI, 6 mois atteints le 31/08/2026 si l'étape se poursuit"
    )
    assert evaluation.summary == (
        "Aucune condition de sortie positive n'est remplie ; la plus proche : "
        f"{evaluation.closest.label} — il manque 1 mois 30 jours de CDI, 6 mois atteints le "
        "31/08/2026 si l'étape se poursuit."
    )


@pytest.mark.parametrize(
    "steps",
    [[], [step("plie-action", JAN_1)], [step("assessment", JAN_1, D(2026, 1, 31))]],
    ids=["no-step", "plie-action", "assessment"],
)
def test_no_closest_condition_when_no_step_counts(steps):
    assert check(steps, D(2026, 7, 1)).closest is None


def test_several_conditions_met_at_once_come_in_rule_order():
    steps = [
        step("training-qualifying", D(2026, 6, 1)),
        job("cdi", JAN_1),
        job("interim", D(2025, 9, 1), D(2026, 2, 28), employer="Adecco"),
    ]
    evaluation = check(steps, D(2026, 7, 1))
    assert met_codes(evaluation) == ["cdi-6-months", "interim-6-in-12", "qualifying-training"]
    assert evaluation.closest is None or not evaluation.closest.met
    assert evaluation.summary.startswith("3 conditions de sortie positive remplies : CDI")
    assert [r.code for r in evaluation.results] == [r["code"] for r in DIJON_RULES]


def test_a_protocol_without_exit_rules_says_so():
    evaluation = check([job("cdi", JAN_1)], D(2026, 7, 1), rules=[])
    assert evaluation.summary == "Le protocole ne définit aucune condition de sortie positive."


# --- Rules as data --------------------------------------------------------------------------


def test_dijon_rules_are_valid_and_use_the_step_type_catalogue():
    catalogue = importlib.import_module("plie.pathways.migrations.0003_step_type_catalogue")
    validate_rules(DIJON_RULES, known_step_types={row[0] for row in catalogue.STEP_TYPES})


def test_the_documented_example_is_the_dijon_rule_set():
    page = Path(__file__).parents[2] / "docs" / "positive-exit-rules.md"
    example = page.read_text(encoding="utf-8").split("```json\n")[1].split("```")[0]
    assert json.loads(example) == DIJON_RULES


def test_both_protocols_ship_the_same_dijon_exit_rules():
    protocols = json.loads(TERRITORY.read_text(encoding="utf-8"))["protocols"]
    assert [p["exit_rules"] for p in protocols] == [DIJON_RULES, DIJON_RULES]
    assert [r["code"] for r in DIJON_RULES] == [
        "cdi-6-months",
        "interim-6-in-12",
        "cdd-6-in-12",
        "qualifying-training",
        "business-6-months",
        "subsidised-over-6-months",
        "aci-55-6-months",
    ]


def changed(index: int, **fields) -> list[dict]:
    """Dijon's rules with rule n° index + 1 changed; a field set to None is removed."""
    rules = copy.deepcopy(DIJON_RULES)
    for name, value in fields.items():
        if value is None:
            rules[index].pop(name, None)
        else:
            rules[index][name] = value
    return rules


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ({"code": "cdi"}, "Les règles de sortie positive doivent former une liste JSON"),
        (
            changed(0, kind="rolling"),
            "Règle de sortie n° 1 (« cdi-6-months ») : type de règle « rolling » inconnu",
        ),
        (changed(0, kind=None), "indiquez le type de règle (« kind »)"),
        (
            changed(0, months=None),
            "n° 1 (« cdi-6-months ») : le type « continuous » attend « months »",
        ),
        (
            changed(1, window_months=None),
            "n° 2 (« interim-6-in-12 ») : le type « cumulative » attend « window_months »",
        ),
        (changed(1, months="6"), "« months » attend un nombre entier positif"),
        (changed(1, months=0), "« months » attend un nombre entier positif"),
        (changed(1, months=True), "« months » attend un nombre entier positif"),
        (
            changed(1, window_months=3),
            "« window_months » ne peut pas être plus court que « months »",
        ),
        (
            changed(2, month=6),
            "n° 3 (« cdd-6-in-12 ») : champ « month » inconnu pour le type « cumulative »",
        ),
        (changed(3, months=6), "champ « months » inconnu pour le type « started »"),
        (
            changed(4, window_months=12),
            "champ « window_months » inconnu pour le type « continuous »",
        ),
        (changed(2, step_types="cdd"), "« step_types » attend une liste non vide de codes"),
        (changed(2, step_types=[]), "« step_types » attend une liste non vide de codes"),
        (changed(2, step_types=None), "indiquez « step_types »"),
        (changed(0, continuity_types=[3]), "« continuity_types » attend une liste non vide"),
        (changed(2, min_weekly_hours="17h30"), "« min_weekly_hours » attend un nombre d'heures"),
        (changed(6, min_age="55"), "« min_age » attend un nombre entier positif"),
        (changed(6, needs_committee_case="oui"), "« needs_committee_case » attend true ou false"),
        (changed(5, label=""), "n° 6 (« subsidised-over-6-months ») : indiquez un libellé"),
        (changed(5, code=None), "Règle de sortie n° 6 : indiquez un « code »"),
        (changed(5, code="cdi-6-months"), "n° 6 (« cdi-6-months ») : ce code est déjà pris"),
        ([*DIJON_RULES, "cdi"], "Règle de sortie n° 8 : chaque règle doit être un objet JSON"),
    ],
    ids=[
        "not-a-list",
        "unknown-kind",
        "no-kind",
        "missing-months",
        "missing-window",
        "months-as-text",
        "months-zero",
        "months-boolean",
        "window-shorter",
        "unknown-field",
        "months-on-started",
        "window-on-continuous",
        "step-types-not-a-list",
        "step-types-empty",
        "step-types-missing",
        "continuity-types-not-codes",
        "hours-as-text",
        "age-as-text",
        "committee-not-boolean",
        "empty-label",
        "no-code",
        "duplicate-code",
        "rule-not-an-object",
    ],
)
def test_malformed_rules_are_refused_with_a_french_message_naming_the_rule(rules, message):
    with pytest.raises(RuleError) as error:
        validate_rules(rules)
    assert message in str(error.value)


def test_step_types_outside_the_catalogue_are_refused_when_it_is_given():
    with pytest.raises(RuleError, match="type d'étape « cddd » absent du catalogue"):
        validate_rules(changed(2, step_types=["cddd"]), known_step_types=set(TYPES))


def test_evaluating_a_malformed_rule_set_refuses_it():
    with pytest.raises(RuleError, match="type de règle « rolling » inconnu"):
        check([], JAN_1, rules=changed(0, kind="rolling"))


# --- Properties ------------------------------------------------------------------------------

TYPES = ["cdi", "cdd", "interim", "pec", "alternance", "aci", "business-creation"]
TYPES += ["training-qualifying", "plie-action"]
DAY_ZERO = D(2025, 1, 1)


@st.composite
def steps(draw):
    start = DAY_ZERO + datetime.timedelta(days=draw(st.integers(0, 600)))
    length = draw(st.none() | st.integers(0, 300))
    end = None if length is None else start + datetime.timedelta(days=length)
    planned = draw(st.none() | st.integers(0, 400))
    return StepFact(
        type_code=draw(st.sampled_from(TYPES)),
        start=start,
        end=end,
        planned_end=None if planned is None else start + datetime.timedelta(days=planned),
        weekly_hours=draw(
            st.sampled_from([None, Decimal(10), Decimal(17), Decimal("17.5"), FULL_TIME])
        ),
        part_time_agreed=draw(st.booleans()),
        employer=draw(st.sampled_from(["", "a", "b"])),
    )


dates = st.integers(0, 700).map(lambda n: DAY_ZERO + datetime.timedelta(days=n))
ages = st.none() | st.integers(18, 70)


@settings(max_examples=60, database=None, deadline=None)
@given(existing=st.lists(steps(), max_size=6), added=steps(), on=dates, age=ages)
def test_adding_a_step_never_removes_a_met_condition(existing, added, on, age):
    before = check(existing, on, age=age)
    after = check([*existing, added], on, age=age)
    assert set(met_codes(before)) <= set(met_codes(after))


@settings(max_examples=60, database=None, deadline=None)
@given(
    recorded=st.lists(steps(), max_size=6),
    on=dates,
    later=st.integers(0, 400),
    age=st.integers(18, 70),
)
def test_a_later_date_never_unmeets_a_continuous_or_started_condition(recorded, on, later, age):
    """For steps still going on: a continuous condition holds while the job lasts."""
    recorded = [dataclasses.replace(step, end=None) for step in recorded]
    kinds = {r["code"] for r in DIJON_RULES if r["kind"] in ("continuous", "started")}
    before = set(met_codes(check(recorded, on, age=age))) & kinds
    after = set(met_codes(check(recorded, on + datetime.timedelta(days=later), age=age)))
    assert before <= after


@settings(max_examples=60, database=None, deadline=None)
@given(recorded=st.lists(steps(), max_size=8), on=dates)
def test_cumulated_intérim_counts_each_day_once(recorded, on):
    """Recording every step twice changes nothing: a day covered twice counts once."""
    once = result(check(recorded, on), "interim-6-in-12")
    assert result(check(recorded + recorded, on), "interim-6-in-12") == once


@settings(max_examples=60, database=None, deadline=None)
@given(recorded=steps(), on=dates)
def test_one_mission_counts_its_calendar_months_within_the_window(recorded, on):
    mission = dataclasses.replace(recorded, type_code="interim")
    first_day = max(mission.start, window_start(on, 12))
    last_day = on if mission.end is None or mission.end > on else mission.end
    condition = result(check([mission], on), "interim-6-in-12")
    assert condition.met is period_length(first_day, last_day).reaches(6)
