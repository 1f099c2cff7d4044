"""The entry rule engine, checked case by case on Dijon's two protocols as shipped.

The rules are read from the territory package's JSON, so a change to the data is checked
here too; no database is needed: facts are built by hand, one criterion at a time.
"""

import dataclasses
import datetime
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import plie.territory
from plie.core.dates import age_on
from plie.core.months import add_months, months_and_days_between, whole_months_between
from plie.participants.eligibility import (
    FACTS,
    EligibilityFacts,
    Finding,
    RuleError,
    assess,
    validate_rule,
)
from plie.participants.enums import EligibilityVerdict, LabourMarketStatus, Nationality, Sex

ELIGIBLE = EligibilityVerdict.ELIGIBLE
NOT_ELIGIBLE = EligibilityVerdict.NOT_ELIGIBLE
UNDECIDED = EligibilityVerdict.UNDECIDED

TERRITORY_FILE = Path(plie.territory.__file__).parent / "data" / "dijon-metropole.json"


def protocol_rule(period: str) -> dict:
    """The entry rule of the bundled protocol whose name ends with `period`."""
    data = json.loads(TERRITORY_FILE.read_text(encoding="utf-8"))
    (rule,) = [p["entry_rule"] for p in data["protocols"] if p["name"].endswith(period)]
    return rule


RULE_2016 = protocol_rule("2016-2020")
RULE_2021 = protocol_rule("2021-2026")
RULES = pytest.mark.parametrize("rule", [RULE_2016, RULE_2021], ids=["2016-2020", "2021-2026"])


def finding(assessment, label: str) -> Finding:
    """The one line of the explanation with this label."""
    (line,) = [f for f in assessment.findings if f.label == label]
    return line


def count_nodes(node: dict) -> int:
    children = node.get("all") or node.get("any") or ([node["not"]] if "not" in node else [])
    return 1 + sum(count_nodes(child) for child in children)


COMMON = {
    "commune_name": "Dijon",
    "resides_in_territory": True,
    "right_to_work": True,
    "wishes_to_commit": True,
}

# 2016-2020: everything known, no criterion of either column met.
NOBODY_2016 = EligibilityFacts(
    **COMMON,
    education_level=4,
    lacks_basic_skills=False,
    months_out_of_work=6,
    out_of_work_extra_days=0,
    receives_rsa=False,
    receives_other_minimum_benefits=False,
    socio_professional_orientation=False,
    single_parent=False,
    barriers=frozenset({"childcare"}),
    disability=False,
    long_term_illness=False,
    followed_by_cap_emploi=False,
    justice_measure=False,
)
QUALIFICATION_PATHS = {
    "level-3": {"education_level": 3},
    "no-basic-skills": {"lacks_basic_skills": True},
}
DURATION_OR_BENEFITS_PATHS = {
    "out-of-work-13-months": {"months_out_of_work": 13},
    "rsa-with-orientation": {"receives_rsa": True, "socio_professional_orientation": True},
    "other-benefits-with-orientation": {
        "receives_other_minimum_benefits": True,
        "socio_professional_orientation": True,
    },
}
PERSONAL_CRITERIA = {
    "single-parent": {"single_parent": True},
    "mobility": {"barriers": frozenset({"mobility"})},
    "housing": {"barriers": frozenset({"housing", "childcare"})},
    "health-barrier": {"barriers": frozenset({"health"})},
    "disability": {"disability": True},
    "long-term-illness": {"long_term_illness": True},
    "justice": {"justice_measure": True},
}
ELIGIBLE_2016 = dataclasses.replace(
    NOBODY_2016, education_level=3, months_out_of_work=13, single_parent=True
)

# 2021-2026: an unemployed man of 35, out of work 3 months, with no target characteristic.
NOBODY_2021 = EligibilityFacts(
    **COMMON,
    labour_market_status=LabourMarketStatus.UNEMPLOYED,
    sex=Sex.MALE,
    age=35,
    nationality=Nationality.FRENCH,
    months_out_of_work=3,
    out_of_work_extra_days=0,
    disability=False,
    long_term_illness=False,
    far_from_institutions=False,
    homeless_or_housing_exclusion=False,
    receives_rsa=False,
    receives_other_minimum_benefits=False,
    resides_in_qpv=False,
    justice_measure=False,
    siae_employee=False,
)
TARGET_CHARACTERISTICS = {
    "woman": {"sex": Sex.FEMALE},
    "aged-25": {"age": 25},
    "aged-50": {"age": 50},
    "disability": {"disability": True},
    "long-term-illness": {"long_term_illness": True},
    "long-term-unemployed": {"months_out_of_work": 12, "out_of_work_extra_days": 1},
    "invisible": {"far_from_institutions": True},
    "inactive": {"labour_market_status": LabourMarketStatus.INACTIVE},
    "homeless": {"homeless_or_housing_exclusion": True},
    "rsa": {"receives_rsa": True},
    "other-minimum-benefits": {"receives_other_minimum_benefits": True},
    "qpv": {"resides_in_qpv": True},
    "third-country-national": {"nationality": Nationality.THIRD_COUNTRY},
    "justice": {"justice_measure": True},
}
ELIGIBLE_2021 = dataclasses.replace(NOBODY_2021, sex=Sex.FEMALE)


def with_(facts: EligibilityFacts, *changes: dict) -> EligibilityFacts:
    merged = {}
    for change in changes:
        merged.update(change)
    return dataclasses.replace(facts, **merged)


# --- The bundled protocols -------------------------------------------------------


@pytest.mark.parametrize("rule", [RULE_2016, RULE_2021], ids=["2016-2020", "2021-2026"])
def test_bundled_protocols_are_valid_rules(rule):
    assert validate_rule(rule) is None


@pytest.mark.parametrize(
    ("rule", "facts"),
    [(RULE_2016, ELIGIBLE_2016), (RULE_2021, ELIGIBLE_2021)],
    ids=["2016-2020", "2021-2026"],
)
def test_baseline_person_is_eligible(rule, facts):
    assessment = assess(rule, facts)
    assert assessment.verdict == ELIGIBLE
    assert assessment.missing == []


@pytest.mark.parametrize(
    ("rule", "facts"),
    [(RULE_2016, NOBODY_2016), (RULE_2021, NOBODY_2021)],
    ids=["2016-2020", "2021-2026"],
)
def test_person_meeting_no_specific_criterion_is_not_eligible(rule, facts):
    assert assess(rule, facts).verdict == NOT_ELIGIBLE


# --- Common criteria -------------------------------------------------------------


@RULES
def test_commune_outside_territory_is_not_eligible_and_named(rule):
    facts = with_(
        ELIGIBLE_2016 if rule is RULE_2016 else ELIGIBLE_2021,
        {"commune_name": "Beaune", "resides_in_territory": False},
    )
    assessment = assess(rule, facts)
    assert assessment.verdict == NOT_ELIGIBLE
    line = finding(assessment, "Habite une commune du territoire")
    assert (line.result, line.detail) == (False, "Beaune ne fait pas partie du territoire du PLIE")


@RULES
def test_commune_inside_territory_is_named(rule):
    assessment = assess(rule, ELIGIBLE_2016 if rule is RULE_2016 else ELIGIBLE_2021)
    assert finding(assessment, "Habite une commune du territoire").detail == "Dijon"


@RULES
@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("right_to_work", "Dispose d'une autorisation de travailler"),
        ("wishes_to_commit", "Souhaite s'inscrire dans un parcours intégré d'accès à l'emploi"),
    ],
    ids=["no-right-to-work", "not-wishing-to-commit"],
)
def test_failing_a_common_criterion_is_not_eligible(rule, field, label):
    facts = with_(ELIGIBLE_2016 if rule is RULE_2016 else ELIGIBLE_2021, {field: False})
    assessment = assess(rule, facts)
    assert assessment.verdict == NOT_ELIGIBLE
    assert finding(assessment, label).result is False
    assert assessment.missing == []


# --- 2016-2020: at least one criterion of each column -----------------------------


@pytest.mark.parametrize("personal", PERSONAL_CRITERIA.values(), ids=PERSONAL_CRITERIA.keys())
@pytest.mark.parametrize(
    "duration", DURATION_OR_BENEFITS_PATHS.values(), ids=DURATION_OR_BENEFITS_PATHS.keys()
)
@pytest.mark.parametrize(
    "qualification", QUALIFICATION_PATHS.values(), ids=QUALIFICATION_PATHS.keys()
)
def test_2016_each_personal_criterion_with_each_labour_market_path_is_eligible(
    qualification, duration, personal
):
    assert assess(RULE_2016, with_(NOBODY_2016, qualification, duration, personal)).verdict == (
        ELIGIBLE
    )


@pytest.mark.parametrize("personal", PERSONAL_CRITERIA.values(), ids=PERSONAL_CRITERIA.keys())
def test_2016_personal_criterion_without_labour_market_criterion_is_not_eligible(personal):
    assessment = assess(RULE_2016, with_(NOBODY_2016, personal))
    assert assessment.verdict == NOT_ELIGIBLE
    assert finding(assessment, "Situation personnelle (au moins un critère)").result is True
    assert (
        finding(assessment, "Situation sur le marché du travail (au moins un critère)").result
        is False
    )


@pytest.mark.parametrize(
    "labour_market",
    [
        {"education_level": 3, "months_out_of_work": 13},
        {"lacks_basic_skills": True, "receives_rsa": True, "socio_professional_orientation": True},
    ],
    ids=["level-3-out-of-work-13-months", "no-basic-skills-rsa-with-orientation"],
)
def test_2016_labour_market_criterion_without_personal_criterion_is_not_eligible(labour_market):
    assessment = assess(RULE_2016, with_(NOBODY_2016, labour_market))
    assert assessment.verdict == NOT_ELIGIBLE
    assert finding(assessment, "Situation personnelle (au moins un critère)").result is False


@pytest.mark.parametrize(
    "changes",
    [
        {"months_out_of_work": 13},
        {"receives_rsa": True, "socio_professional_orientation": True},
    ],
    ids=["out-of-work-13-months", "rsa-with-orientation"],
)
def test_2016_no_qualification_criterion_is_not_eligible(changes):
    """Level 4 and basic skills mastered: the first half of the column fails."""
    facts = with_(NOBODY_2016, {"single_parent": True}, changes)
    assert assess(RULE_2016, facts).verdict == NOT_ELIGIBLE


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"receives_rsa": True},
        {"receives_other_minimum_benefits": True},
        {"socio_professional_orientation": True},
        {"months_out_of_work": 12, "out_of_work_extra_days": 0},
    ],
    ids=[
        "out-of-work-6-months",
        "rsa-without-orientation",
        "other-benefits-without-orientation",
        "orientation-without-benefits",
        "out-of-work-exactly-12-months",
    ],
)
def test_2016_neither_long_out_of_work_nor_benefits_with_orientation_is_not_eligible(changes):
    facts = with_(NOBODY_2016, {"education_level": 3, "single_parent": True}, changes)
    assert assess(RULE_2016, facts).verdict == NOT_ELIGIBLE


@pytest.mark.parametrize(
    ("months", "days", "verdict"),
    [(11, 30, NOT_ELIGIBLE), (12, 0, NOT_ELIGIBLE), (12, 1, ELIGIBLE), (13, 0, ELIGIBLE)],
    ids=["11-months-30-days", "12-months-0-days", "12-months-1-day", "13-months-0-days"],
)
def test_2016_out_of_work_must_be_strictly_more_than_a_year(months, days, verdict):
    facts = with_(
        NOBODY_2016,
        {"education_level": 3, "single_parent": True},
        {"months_out_of_work": months, "out_of_work_extra_days": days},
    )
    assert assess(RULE_2016, facts).verdict == verdict


@pytest.mark.parametrize(
    ("level", "lacks_basic_skills", "verdict"),
    [(3, False, ELIGIBLE), (4, False, NOT_ELIGIBLE), (4, True, ELIGIBLE), (1, False, ELIGIBLE)],
    ids=["level-3", "level-4", "level-4-without-basic-skills", "level-1"],
)
def test_2016_qualification_is_level_3_or_below(level, lacks_basic_skills, verdict):
    facts = with_(
        ELIGIBLE_2016, {"education_level": level, "lacks_basic_skills": lacks_basic_skills}
    )
    assert assess(RULE_2016, facts).verdict == verdict


@pytest.mark.parametrize(
    "health",
    [
        {"barriers": frozenset({"health"})},
        {"disability": True},
        {"long_term_illness": True},
    ],
    ids=["health-barrier", "disability", "long-term-illness"],
)
def test_2016_health_followed_by_cap_emploi_is_not_a_personal_criterion(health):
    facts = with_(
        NOBODY_2016,
        {"education_level": 3, "months_out_of_work": 13, "followed_by_cap_emploi": True},
        health,
    )
    assessment = assess(RULE_2016, facts)
    assert assessment.verdict == NOT_ELIGIBLE
    assert finding(assessment, "Problèmes de santé ou handicap").result is True
    assert finding(assessment, "Pas d'accompagnement par Cap emploi").result is False
    assert (
        finding(
            assessment, "Problèmes de santé ou handicap, sans accompagnement par Cap emploi"
        ).result
        is False
    )


def test_2016_cap_emploi_follow_up_does_not_cancel_another_personal_criterion():
    facts = with_(ELIGIBLE_2016, {"disability": True, "followed_by_cap_emploi": True})
    assert assess(RULE_2016, facts).verdict == ELIGIBLE


# --- 2021-2026: job seeker with a target characteristic, or SIAE employee ---------


@pytest.mark.parametrize(
    "characteristic", TARGET_CHARACTERISTICS.values(), ids=TARGET_CHARACTERISTICS.keys()
)
def test_2021_each_target_characteristic_alone_makes_a_job_seeker_eligible(characteristic):
    assessment = assess(RULE_2021, with_(NOBODY_2021, characteristic))
    assert assessment.verdict == ELIGIBLE
    target = finding(assessment, "Public cible (au moins une caractéristique)")
    depth = target.depth + 1
    start = assessment.findings.index(target) + 1
    met = [f for f in assessment.findings[start:] if f.depth == depth and f.result]
    assert len(met) == 1  # the characteristic under test, and no other


@pytest.mark.parametrize(
    "characteristic", TARGET_CHARACTERISTICS.values(), ids=TARGET_CHARACTERISTICS.keys()
)
@pytest.mark.parametrize(
    "status",
    [LabourMarketStatus.EMPLOYED, LabourMarketStatus.SELF_EMPLOYED],
    ids=["employed", "self-employed"],
)
def test_2021_target_characteristic_without_job_search_is_not_eligible(status, characteristic):
    facts = with_(NOBODY_2021, characteristic, {"labour_market_status": status})
    assert assess(RULE_2021, facts).verdict == NOT_ELIGIBLE


def test_2021_involuntary_reduced_activity_counts_as_job_seeking():
    facts = with_(ELIGIBLE_2021, {"labour_market_status": LabourMarketStatus.REDUCED_ACTIVITY})
    assert assess(RULE_2021, facts).verdict == ELIGIBLE


@pytest.mark.parametrize(
    "status",
    [LabourMarketStatus.EMPLOYED, LabourMarketStatus.UNEMPLOYED],
    ids=["employed", "unemployed"],
)
def test_2021_siae_employee_is_eligible_without_target_characteristic(status):
    facts = with_(NOBODY_2021, {"siae_employee": True, "labour_market_status": status})
    assert assess(RULE_2021, facts).verdict == ELIGIBLE


@pytest.mark.parametrize(
    "changes",
    [{"sex": Sex.NON_BINARY}, {"nationality": Nationality.EUROPEAN}],
    ids=["non-binary", "eu-national"],
)
def test_2021_characteristics_outside_the_target_are_not_eligible(changes):
    assert assess(RULE_2021, with_(NOBODY_2021, changes)).verdict == NOT_ELIGIBLE


@pytest.mark.parametrize(
    ("age", "verdict"),
    [(18, ELIGIBLE), (25, ELIGIBLE), (26, NOT_ELIGIBLE), (49, NOT_ELIGIBLE), (50, ELIGIBLE)],
    ids=["18", "25", "26", "49", "50"],
)
def test_2021_age_boundaries_under_26_and_50_or_more(age, verdict):
    assert assess(RULE_2021, with_(NOBODY_2021, {"age": age})).verdict == verdict


@pytest.mark.parametrize(
    ("age", "months", "days", "expected"),
    [
        (30, 12, 0, False),
        (30, 12, 1, True),
        (30, 11, 30, False),
        (24, 6, 0, False),
        (24, 6, 1, True),
        (24, 5, 30, False),
        (25, 6, 1, False),
        (25, 12, 0, False),
        (25, 12, 1, True),
    ],
    ids=[
        "30y-12m0d",
        "30y-12m1d",
        "30y-11m30d",
        "24y-6m0d",
        "24y-6m1d",
        "24y-5m30d",
        "25y-6m1d",
        "25y-12m0d",
        "25y-12m1d",
    ],
)
def test_2021_long_term_unemployed_is_more_than_12_months_or_6_under_25(
    age, months, days, expected
):
    """Checked on the finding: under 26 the person is eligible anyway as a young person."""
    facts = with_(
        NOBODY_2021, {"age": age, "months_out_of_work": months, "out_of_work_extra_days": days}
    )
    assessment = assess(RULE_2021, facts)
    assert finding(assessment, "Demandeur d'emploi de longue durée").result is expected
    if age >= 26:
        assert assessment.verdict == (ELIGIBLE if expected else NOT_ELIGIBLE)


@pytest.mark.parametrize(
    ("on", "months", "days", "long_term"),
    [
        (datetime.date(2026, 1, 8), 11, 30, False),
        (datetime.date(2026, 1, 9), 12, 0, False),  # 12 months at the end of 9 January: not more
        (datetime.date(2026, 1, 10), 12, 1, True),  # 12 months and one day: more than 12
    ],
    ids=["day-before", "twelve-months", "twelve-months-and-a-day"],
)
def test_out_of_work_since_10_january_is_more_than_12_months_from_10_january_next(
    on, months, days, long_term
):
    """Out of work from 10 January 2025 to the end of the date, both days counted: the
    period reaches 12 months at the end of 9 January 2026 (core.months)."""
    from plie.participants.models import Participant
    from plie.pathways.facts import facts_for
    from plie.pathways.models import Pathway

    person = Participant(birth_date=datetime.date(1985, 4, 12), commune_outside_territory="Beaune")
    pathway = Pathway(participant=person, out_of_work_since=datetime.date(2025, 1, 10))
    facts = facts_for(pathway, on, barrier_codes=frozenset())
    assert (facts.months_out_of_work, facts.out_of_work_extra_days) == (months, days)
    found = finding(assess(RULE_2021, facts), "Demandeur d'emploi de longue durée")
    assert found.result is long_term


@pytest.mark.parametrize(
    ("known", "missing"),
    [
        ({"age": 40}, "date de fin du dernier emploi non renseignée"),
        ({"months_out_of_work": 14}, "date de naissance non renseignée"),
    ],
    ids=["age-known", "duration-known"],
)
def test_long_term_unemployment_names_the_one_date_missing(known, missing):
    facts = with_(NOBODY_2021, {"age": None, "months_out_of_work": None, **known})
    found = finding(assess(RULE_2021, facts), "Demandeur d'emploi de longue durée")
    assert found.result is None
    assert missing in found.detail


# --- Missing data ----------------------------------------------------------------


@RULES
@pytest.mark.parametrize(
    ("unknown", "label"),
    [
        ({"commune_name": None, "resides_in_territory": None}, "la commune de résidence"),
        ({"right_to_work": None}, "l'autorisation de travailler"),
        ({"wishes_to_commit": None}, "le souhait de s'engager dans un parcours"),
    ],
    ids=["commune", "right-to-work", "wish-to-commit"],
)
def test_unknown_common_criterion_is_undecided_and_named(rule, unknown, label):
    facts = with_(ELIGIBLE_2016 if rule is RULE_2016 else ELIGIBLE_2021, unknown)
    assessment = assess(rule, facts)
    assert assessment.verdict == UNDECIDED
    assert assessment.missing == [label]
    assert assessment.summary == f"Impossible de conclure : il manque {label}."


@pytest.mark.parametrize(
    ("rule", "facts", "unknown", "label"),
    [
        (RULE_2016, ELIGIBLE_2016, {"education_level": None}, "le niveau de formation"),
        (
            RULE_2016,
            ELIGIBLE_2016,
            {"months_out_of_work": None, "out_of_work_extra_days": None},
            "la date depuis laquelle la personne est sans emploi",
        ),
        (RULE_2016, ELIGIBLE_2016, {"single_parent": None}, "la situation familiale"),
        (
            RULE_2016,
            with_(
                NOBODY_2016, {"education_level": 3, "months_out_of_work": 13, "disability": True}
            ),
            {"followed_by_cap_emploi": None},
            "le suivi par Cap emploi",
        ),
        (
            RULE_2016,
            with_(
                NOBODY_2016,
                {
                    "education_level": 3,
                    "socio_professional_orientation": True,
                    "single_parent": True,
                },
            ),
            {"receives_rsa": None, "receives_other_minimum_benefits": None},
            "le bénéfice de minima sociaux",
        ),
        (RULE_2021, ELIGIBLE_2021, {"sex": None}, "le sexe"),
        (
            RULE_2021,
            ELIGIBLE_2021,
            {"labour_market_status": None},
            "la situation sur le marché du travail",
        ),
        (RULE_2021, NOBODY_2021, {"resides_in_qpv": None}, "le quartier de résidence"),
        (RULE_2021, NOBODY_2021, {"nationality": None}, "la nationalité"),
        (RULE_2021, NOBODY_2021, {"siae_employee": None}, "l'emploi en SIAE"),
    ],
    ids=[
        "2016-education-level",
        "2016-out-of-work-since",
        "2016-only-personal-criterion",
        "2016-cap-emploi-for-disability",
        "2016-benefits-with-orientation",
        "2021-only-characteristic-sex",
        "2021-labour-market-status",
        "2021-qpv",
        "2021-nationality",
        "2021-siae",
    ],
)
def test_unknown_fact_that_matters_is_undecided_and_named(rule, facts, unknown, label):
    assessment = assess(rule, with_(facts, unknown))
    assert assessment.verdict == UNDECIDED
    assert assessment.missing == [label]
    assert label in assessment.summary


def test_2021_unknown_age_names_each_missing_fact_once():
    """Age feeds "young", "senior" (same label, listed once) and long-term unemployment."""
    assessment = assess(RULE_2021, with_(NOBODY_2021, {"age": None}))
    assert assessment.verdict == UNDECIDED
    assert assessment.missing == ["la date de naissance", "la durée sans emploi et l'âge"]
    assert assessment.summary == (
        "Impossible de conclure : il manque la date de naissance, la durée sans emploi et l'âge."
    )


@pytest.mark.parametrize(
    ("rule", "facts", "unknown"),
    [
        (RULE_2016, ELIGIBLE_2016, {"barriers": None, "disability": None, "justice_measure": None}),
        (RULE_2016, ELIGIBLE_2016, {"lacks_basic_skills": None}),
        (RULE_2016, ELIGIBLE_2016, {"receives_rsa": None, "socio_professional_orientation": None}),
        (RULE_2016, ELIGIBLE_2016, {"followed_by_cap_emploi": None}),
        (RULE_2021, ELIGIBLE_2021, {"age": None, "nationality": None, "resides_in_qpv": None}),
        (RULE_2021, ELIGIBLE_2021, {"siae_employee": None}),
        (RULE_2021, with_(NOBODY_2021, {"siae_employee": True}), {"labour_market_status": None}),
    ],
    ids=[
        "2016-other-personal-criteria",
        "2016-basic-skills-when-level-3",
        "2016-benefits-when-out-of-work-13-months",
        "2016-cap-emploi-without-health-problem",
        "2021-other-characteristics-of-a-woman",
        "2021-siae-of-an-eligible-job-seeker",
        "2021-job-search-of-an-siae-employee",
    ],
)
def test_unknown_fact_that_does_not_matter_still_decides(rule, facts, unknown):
    assessment = assess(rule, with_(facts, unknown))
    assert assessment.verdict == ELIGIBLE
    assert assessment.missing == []


@pytest.mark.parametrize(
    ("rule", "facts"),
    [
        (RULE_2016, with_(ELIGIBLE_2016, {"right_to_work": False, "single_parent": None})),
        (RULE_2016, with_(NOBODY_2016, {"education_level": None, "single_parent": True})),
        (RULE_2021, with_(ELIGIBLE_2021, {"resides_in_territory": False, "sex": None})),
        (
            RULE_2021,
            with_(
                NOBODY_2021,
                {"labour_market_status": LabourMarketStatus.EMPLOYED, "sex": None, "age": None},
            ),
        ),
    ],
    ids=[
        "2016-no-right-to-work-unknown-family",
        "2016-no-long-absence-unknown-level",
        "2021-outside-territory-unknown-sex",
        "2021-employed-unknown-characteristics",
    ],
)
def test_known_failure_in_all_beats_an_unknown(rule, facts):
    assessment = assess(rule, facts)
    assert assessment.verdict == NOT_ELIGIBLE
    assert assessment.missing == []


@RULES
def test_nothing_known_is_undecided_and_names_each_missing_fact_once(rule):
    assessment = assess(rule, EligibilityFacts())
    assert assessment.verdict == UNDECIDED
    assert assessment.missing[:3] == [
        "la commune de résidence",
        "l'autorisation de travailler",
        "le souhait de s'engager dans un parcours",
    ]
    assert len(assessment.missing) == len(set(assessment.missing))
    assert all(f.result is None for f in assessment.findings if f.depth < 2)


@pytest.mark.parametrize(
    ("rsa", "other", "expected"),
    [
        (True, None, True),
        (None, True, True),
        (False, False, False),
        (False, None, None),
        (None, False, None),
    ],
    ids=["rsa", "other", "neither", "rsa-no-other-unknown", "rsa-unknown-other-no"],
)
def test_minimum_benefits_is_three_valued(rsa, other, expected):
    facts = EligibilityFacts(receives_rsa=rsa, receives_other_minimum_benefits=other)
    assessment = assess({"fact": "receives_minimum_benefits"}, facts)
    assert assessment.findings[0].result is expected


def test_2021_undecided_names_only_what_could_change_the_verdict():
    """A woman job seeker whose commune is unknown: only the commune can change the verdict,
    yet the age, disability, nationality... (irrelevant, she is a woman) are listed too."""
    facts = EligibilityFacts(
        right_to_work=True,
        wishes_to_commit=True,
        labour_market_status=LabourMarketStatus.UNEMPLOYED,
        sex=Sex.FEMALE,
    )
    assert assess(RULE_2021, facts).missing == ["la commune de résidence"]


# --- The explanation -------------------------------------------------------------


def test_2016_explanation_is_one_line_per_criterion_with_depth():
    assessment = assess(RULE_2016, ELIGIBLE_2016)
    assert len(assessment.findings) == count_nodes(RULE_2016)
    assert assessment.findings[:6] == [
        Finding(0, "Toutes les conditions suivantes", True),
        Finding(1, "Habite une commune du territoire", True, "Dijon", "resides_in_territory"),
        Finding(1, "Dispose d'une autorisation de travailler", True, "", "right_to_work"),
        Finding(
            1,
            "Souhaite s'inscrire dans un parcours intégré d'accès à l'emploi",
            True,
            "",
            "wishes_to_commit",
        ),
        Finding(1, "Situation sur le marché du travail (au moins un critère)", True),
        Finding(2, "Qualification insuffisante ou compétences de base non maîtrisées", True),
    ]
    assert finding(assessment, "Qualification insuffisante (niveau 3 ou moins)") == Finding(
        3,
        "Qualification insuffisante (niveau 3 ou moins)",
        True,
        "niveau 3",
        "education_level_at_most",
        3,
    )
    assert finding(assessment, "Sans activité professionnelle depuis plus d'une année") == Finding(
        3,
        "Sans activité professionnelle depuis plus d'une année",
        True,
        "13 mois sans emploi",
        "out_of_work_more_than_months",
        12,
    )
    # The minimum benefits node has no label of its own: the registry's label is used.
    assert finding(assessment, "Bénéficiaire du RSA ou d'un autre minimum social") == Finding(
        4,
        "Bénéficiaire du RSA ou d'un autre minimum social",
        False,
        "",
        "receives_minimum_benefits",
    )
    assert finding(assessment, "Handicap reconnu").depth == 4


def test_2021_explanation_details_speak_french():
    facts = with_(
        NOBODY_2021,
        {
            "sex": Sex.FEMALE,
            "age": 24,
            "nationality": Nationality.THIRD_COUNTRY,
            "months_out_of_work": 6,
            "out_of_work_extra_days": 2,
            "receives_rsa": True,
        },
    )
    assessment = assess(RULE_2021, facts)
    details = {f.label: (f.result, f.detail) for f in assessment.findings}
    assert details["Femme"] == (True, "Femme")
    assert details["Jeune (moins de 26 ans)"] == (True, "24 ans")
    assert details["Senior (50 ans ou plus)"] == (False, "24 ans")
    assert details["Demandeur d'emploi de longue durée"] == (
        True,
        "6 mois et 2 jours sans emploi (seuil : plus de 6 mois)",
    )
    assert details["Bénéficiaire du RSA ou de minima sociaux"] == (True, "RSA")
    assert details["Ressortissant de pays tiers"] == (True, "Ressortissant(e) de pays tiers")
    job_seeker = (True, "Demandeur ou demandeuse d'emploi (inscrit·e ou non)")
    assert details["Demandeur d'emploi, inscrit ou non, ou en activité réduite subie"] == job_seeker
    assert details["Personne inactive"] == (False, job_seeker[1])
    assert len(assessment.findings) == count_nodes(RULE_2021)


@pytest.mark.parametrize(
    ("days", "text"),
    [
        (0, "12 mois sans emploi"),
        (1, "12 mois et 1 jour sans emploi"),
        (2, "12 mois et 2 jours sans emploi"),
    ],
    ids=["no-day", "one-day", "two-days"],
)
def test_duration_out_of_work_is_written_in_french(days, text):
    facts = EligibilityFacts(months_out_of_work=12, out_of_work_extra_days=days)
    assessment = assess({"fact": "out_of_work_more_than_months", "value": 12}, facts)
    assert assessment.findings == [
        Finding(
            0,
            "Sans activité professionnelle depuis plus de 12 mois",
            days > 0,
            text,
            "out_of_work_more_than_months",
            12,
        )
    ]


@pytest.mark.parametrize(
    ("node", "label"),
    [
        ({"fact": "age_under", "value": 26}, "Âgée de moins de 26 ans"),
        ({"fact": "has_barrier", "value": "mobility"}, "Frein périphérique : mobility"),
        ({"fact": "single_parent"}, "Personne seule avec enfants à charge"),
        ({"all": [{"fact": "disability"}]}, "Toutes les conditions suivantes"),
        ({"any": [{"fact": "disability"}]}, "Au moins une des conditions suivantes"),
        ({"not": {"fact": "disability"}}, "La condition suivante n'est pas remplie"),
        ({"fact": "disability", "label": "Handicap"}, "Handicap"),
    ],
    ids=["fact-with-value", "barrier", "flag", "all", "any", "not", "own-label"],
)
def test_unlabelled_node_gets_a_french_label(node, label):
    assert assess(node, EligibilityFacts(disability=True)).findings[0].label == label


@pytest.mark.parametrize(
    ("node", "facts"),
    [
        ({"fact": "justice_measure"}, EligibilityFacts(justice_measure=True)),
        ({"fact": "justice_measure"}, EligibilityFacts(justice_measure=False)),
        ({"fact": "has_barrier", "value": "housing"}, EligibilityFacts(barriers=frozenset())),
        (
            {"fact": "has_barrier", "value": "housing"},
            EligibilityFacts(barriers=frozenset({"housing"})),
        ),
        ({"all": [{"fact": "disability"}]}, EligibilityFacts(disability=True)),
    ],
    ids=["flag-yes", "flag-no", "barrier-absent", "barrier-present", "combinator"],
)
def test_known_flags_and_combinators_show_no_redundant_detail(node, facts):
    assert {f.detail for f in assess(node, facts).findings} == {""}


@pytest.mark.parametrize(
    ("node", "detail"),
    [
        ({"fact": "justice_measure"}, "non renseigné"),
        ({"fact": "resides_in_territory"}, "commune non renseignée"),
        ({"fact": "age_at_least", "value": 50}, "date de naissance non renseignée"),
        ({"fact": "education_level_at_most", "value": 3}, "niveau non renseigné"),
        ({"fact": "has_barrier", "value": "health"}, "freins non renseignés"),
    ],
    ids=["flag", "commune", "age", "education", "barriers"],
)
def test_unknown_fact_says_what_is_not_recorded(node, detail):
    (line,) = assess(node, EligibilityFacts()).findings
    assert (line.result, line.symbol, line.detail) == (None, "inconnu", detail)


@pytest.mark.parametrize(
    ("facts", "verdict", "summary"),
    [
        (ELIGIBLE_2016, ELIGIBLE, "La personne remplit les critères d'entrée du protocole."),
        (
            NOBODY_2016,
            NOT_ELIGIBLE,
            "La personne ne remplit pas les critères d'entrée du protocole.",
        ),
        (
            with_(ELIGIBLE_2016, {"right_to_work": None, "wishes_to_commit": None}),
            UNDECIDED,
            "Impossible de conclure : il manque l'autorisation de travailler, "
            "le souhait de s'engager dans un parcours.",
        ),
    ],
    ids=["eligible", "not-eligible", "undecided"],
)
def test_summary_sentence_for_each_verdict(facts, verdict, summary):
    assessment = assess(RULE_2016, facts)
    assert (assessment.verdict, assessment.summary) == (verdict, summary)


def test_finding_symbols_are_french():
    assert [Finding(0, "x", r).symbol for r in (True, False, None)] == ["oui", "non", "inconnu"]


def test_facts_as_json_lists_barriers_in_order():
    data = EligibilityFacts(age=30, barriers=frozenset({"mobility", "housing"})).as_json()
    assert data["barriers"] == ["housing", "mobility"]
    assert data["age"] == 30
    assert json.loads(json.dumps(data)) == data


# --- validate_rule ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("node", "message"),
    [
        ({"fact": "lives_in_dijon"}, "règle : critère « lives_in_dijon » inconnu."),
        (
            {"all": [{"fact": "right_to_work"}, {"any": [{"fact": "nope"}]}]},
            "règle › all n° 2 › any n° 1 : critère « nope » inconnu.",
        ),
        (
            {"fact": "age_under"},
            "règle : le critère « age_under » attend une valeur (« value »).",
        ),
        (
            {"not": {"fact": "has_barrier"}},
            "règle › not : le critère « has_barrier » attend une valeur (« value »).",
        ),
        ({"all": []}, "règle : « all » attend une liste non vide."),
        ({"any": []}, "règle : « any » attend une liste non vide."),
        ({"any": {"fact": "disability"}}, "règle : « any » attend une liste non vide."),
        (
            {"all": [{"any": []}]},
            "règle › all n° 1 : « any » attend une liste non vide.",
        ),
        (
            {"label": "Sans type"},
            "règle : indiquez exactement un de « all », « any », « not », « fact ».",
        ),
        (
            {"some": [{"fact": "disability"}]},
            "règle : indiquez exactement un de « all », « any », « not », « fact ».",
        ),
        (
            {"all": [{"fact": "disability"}], "any": [{"fact": "disability"}]},
            "règle : indiquez exactement un de « all », « any », « not », « fact ».",
        ),
        ("disability", "règle : chaque élément doit être un objet JSON."),
        ([{"fact": "disability"}], "règle : chaque élément doit être un objet JSON."),
        (None, "règle : chaque élément doit être un objet JSON."),
        ({"any": ["disability"]}, "règle › any n° 1 : chaque élément doit être un objet JSON."),
        ({"not": "disability"}, "règle › not : chaque élément doit être un objet JSON."),
    ],
    ids=[
        "unknown-fact",
        "unknown-fact-nested",
        "missing-value",
        "missing-value-under-not",
        "empty-all",
        "empty-any",
        "any-not-a-list",
        "empty-any-nested",
        "label-only",
        "unknown-kind",
        "two-kinds",
        "string",
        "list",
        "null",
        "string-child",
        "string-under-not",
    ],
)
def test_malformed_rule_is_refused_in_french_with_its_path(node, message):
    with pytest.raises(RuleError) as error:
        validate_rule(node)
    assert str(error.value).partition(" Critères possibles")[0] == message


@pytest.mark.parametrize(
    "node",
    [
        {"fact": ["right_to_work"]},
        {"fact": "age_under", "value": "vingt-six"},
        {"fact": "age_under", "value": True},
        {"fact": "education_level_at_most", "value": -1},
        {"fact": "sex_is", "value": "femme"},
        {"fact": "has_barrier", "value": ""},
    ],
    ids=[
        "fact-code-not-a-string",
        "age-not-a-number",
        "age-a-boolean",
        "negative-level",
        "sex-not-a-code",
        "empty-barrier-code",
    ],
)
def test_malformed_fact_is_refused_with_a_rule_error(node):
    with pytest.raises(RuleError, match="règle : "):
        validate_rule(node)


def test_unknown_fact_message_lists_the_possible_criteria():
    with pytest.raises(RuleError, match="Critères possibles : age_at_least, age_under, "):
        validate_rule({"fact": "nope"})


def test_assess_refuses_a_malformed_rule():
    with pytest.raises(RuleError, match="critère « nope » inconnu"):
        assess({"all": [{"fact": "nope"}]}, ELIGIBLE_2016)


def test_custom_path_prefixes_the_message():
    with pytest.raises(RuleError, match=r"^Protocole 2030 › any n° 1 : "):
        validate_rule({"any": [{}]}, "Protocole 2030")


# --- facts.py date arithmetic ----------------------------------------------------

D = datetime.date


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (D(2023, 1, 31), D(2023, 2, 27), 0),
        (D(2023, 1, 31), D(2023, 2, 28), 1),
        (D(2024, 1, 31), D(2024, 2, 28), 0),
        (D(2024, 1, 31), D(2024, 2, 29), 1),
        (D(2023, 1, 31), D(2023, 3, 30), 1),
        (D(2023, 1, 31), D(2023, 3, 31), 2),
        (D(2023, 3, 31), D(2023, 4, 30), 1),
        (D(2024, 2, 29), D(2025, 2, 28), 12),
        (D(2023, 12, 31), D(2024, 12, 30), 11),
        (D(2023, 12, 31), D(2024, 12, 31), 12),
        (D(2024, 3, 15), D(2024, 3, 15), 0),
        (D(2024, 3, 15), D(2024, 3, 1), 0),
        (D(2024, 3, 15), D(2023, 1, 1), 0),
    ],
    ids=[
        "31-jan-to-27-feb",
        "31-jan-to-28-feb",
        "31-jan-to-28-feb-leap-year",
        "31-jan-to-29-feb-leap-year",
        "31-jan-to-30-mar",
        "31-jan-to-31-mar",
        "31-mar-to-30-apr",
        "29-feb-to-28-feb-next-year",
        "31-dec-to-30-dec-next-year",
        "31-dec-to-31-dec-next-year",
        "same-day",
        "end-before-start-same-month",
        "end-before-start-earlier-year",
    ],
)
def test_whole_months_between(start, end, months):
    assert whole_months_between(start, end) == months


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2023, 1, 31), D(2023, 2, 28), (1, 0)),
        (D(2023, 1, 31), D(2023, 3, 1), (1, 1)),
        (D(2024, 1, 31), D(2024, 2, 28), (0, 28)),
        (D(2024, 1, 31), D(2024, 2, 29), (1, 0)),
        (D(2024, 1, 31), D(2024, 3, 1), (1, 1)),
        (D(2023, 1, 31), D(2023, 3, 30), (1, 30)),
        (D(2024, 2, 29), D(2025, 2, 28), (12, 0)),
        (D(2024, 2, 29), D(2025, 3, 1), (12, 1)),
        (D(2023, 12, 31), D(2024, 12, 31), (12, 0)),
        (D(2023, 12, 31), D(2025, 1, 1), (12, 1)),
        (D(2024, 3, 15), D(2025, 3, 14), (11, 27)),
        (D(2024, 3, 15), D(2024, 3, 15), (0, 0)),
        (D(2024, 3, 15), D(2024, 3, 14), (0, 0)),
    ],
    ids=[
        "31-jan-to-28-feb",
        "31-jan-to-1-mar",
        "31-jan-to-28-feb-leap-year",
        "31-jan-to-29-feb-leap-year",
        "31-jan-to-1-mar-leap-year",
        "31-jan-to-30-mar",
        "29-feb-to-28-feb-next-year",
        "29-feb-to-1-mar-next-year",
        "31-dec-to-31-dec-next-year",
        "31-dec-to-1-jan-a-year-later",
        "15-mar-to-14-mar-next-year",
        "same-day",
        "end-before-start",
    ],
)
def test_months_and_days_between(start, end, expected):
    assert months_and_days_between(start, end) == expected


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2023, 11, 30), 3, D(2024, 2, 29)),
        (D(2023, 12, 15), 1, D(2024, 1, 15)),
        (D(2023, 3, 31), -1, D(2023, 2, 28)),
    ],
    ids=[
        "31-jan-plus-1",
        "31-jan-plus-1-leap-year",
        "29-feb-plus-12",
        "29-feb-plus-48",
        "30-nov-plus-3",
        "december-plus-1",
        "31-mar-minus-1",
    ],
)
def test_add_months_clamps_to_month_end(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        (D(2000, 6, 15), D(2026, 6, 14), 25),
        (D(2000, 6, 15), D(2026, 6, 15), 26),
        (D(1976, 1, 1), D(2025, 12, 31), 49),
        (D(1976, 1, 1), D(2026, 1, 1), 50),
        (D(2000, 2, 29), D(2026, 2, 28), 25),
        (D(2000, 2, 29), D(2026, 3, 1), 26),
        (D(2000, 2, 29), D(2024, 2, 28), 23),
        (D(2000, 2, 29), D(2024, 2, 29), 24),
        (D(2000, 6, 15), D(2000, 6, 15), 0),
    ],
    ids=[
        "day-before-26th-birthday",
        "26th-birthday",
        "day-before-50th-birthday",
        "50th-birthday",
        "29-feb-birth-on-28-feb",
        "29-feb-birth-on-1-mar",
        "29-feb-birth-day-before-leap-birthday",
        "29-feb-birth-on-leap-birthday",
        "day-of-birth",
    ],
)
def test_age_on(birth, day, age):
    assert age_on(birth, day) == age


# --- Properties on random facts --------------------------------------------------

KNOWN_VALUES = {
    "commune_name": st.sampled_from(["Dijon", "Chenôve", "Beaune"]),
    "resides_in_territory": st.booleans(),
    "resides_in_qpv": st.booleans(),
    "right_to_work": st.booleans(),
    "wishes_to_commit": st.booleans(),
    "age": st.integers(16, 70),
    "sex": st.sampled_from(Sex.values),
    "nationality": st.sampled_from(Nationality.values),
    "labour_market_status": st.sampled_from(LabourMarketStatus.values),
    "months_out_of_work": st.integers(0, 30),
    "out_of_work_extra_days": st.integers(0, 30),
    "education_level": st.integers(0, 8),
    "lacks_basic_skills": st.booleans(),
    "receives_rsa": st.booleans(),
    "receives_other_minimum_benefits": st.booleans(),
    "socio_professional_orientation": st.booleans(),
    "single_parent": st.booleans(),
    "homeless_or_housing_exclusion": st.booleans(),
    "disability": st.booleans(),
    "long_term_illness": st.booleans(),
    "followed_by_cap_emploi": st.booleans(),
    "justice_measure": st.booleans(),
    "far_from_institutions": st.booleans(),
    "siae_employee": st.booleans(),
    "barriers": st.frozensets(st.sampled_from(["mobility", "housing", "health", "childcare"])),
}
# What facts_for records together is forgotten together: the months and extra days come
# from one date, and the commune's name from the same field as residence.
HIDEABLE = [
    ("months_out_of_work", "out_of_work_extra_days"),
    ("commune_name", "resides_in_territory"),
    *[
        (name,)
        for name in KNOWN_VALUES
        if name not in {"months_out_of_work", "out_of_work_extra_days", "commune_name"}
    ],
]
full_facts = st.fixed_dictionaries(KNOWN_VALUES).map(lambda values: EligibilityFacts(**values))
hidden_groups = st.sets(st.sampled_from(HIDEABLE))
both_rules = st.sampled_from([RULE_2016, RULE_2021])


def forget(facts: EligibilityFacts, groups) -> EligibilityFacts:
    return dataclasses.replace(facts, **{name: None for group in groups for name in group})


def test_property_strategies_cover_every_fact():
    assert set(KNOWN_VALUES) == {field.name for field in dataclasses.fields(EligibilityFacts)}
    assert {name for group in HIDEABLE for name in group} == set(KNOWN_VALUES)


@settings(max_examples=150, database=None, deadline=None)
@given(rule=both_rules, full=full_facts, hidden=hidden_groups)
def test_knowing_more_never_changes_a_decided_verdict(rule, full, hidden):
    complete = assess(rule, full)
    assert complete.verdict != UNDECIDED
    assert complete.missing == []

    partial = assess(rule, forget(full, hidden))
    assert (partial.verdict == UNDECIDED) == bool(partial.missing)
    assert len(partial.missing) == len(set(partial.missing))
    assert len(partial.findings) == count_nodes(rule)
    if partial.verdict == UNDECIDED:
        assert all(label in partial.summary for label in partial.missing)
    else:
        assert partial.verdict == complete.verdict


@settings(max_examples=100, database=None, deadline=None)
@given(
    rule=both_rules,
    values=st.fixed_dictionaries(
        {}, optional={name: st.none() | strategy for name, strategy in KNOWN_VALUES.items()}
    ),
)
def test_any_facts_give_a_consistent_assessment(rule, values):
    """Even facts facts_for would not build (days without months...) never raise."""
    assessment = assess(rule, EligibilityFacts(**values))
    assert (assessment.verdict == UNDECIDED) == bool(assessment.missing)
    assert assessment.findings[0].depth == 0
    root = assessment.findings[0].result
    assert assessment.verdict == {True: ELIGIBLE, False: NOT_ELIGIBLE, None: UNDECIDED}[root]
    assert set(assessment.missing) <= {definition.missing_label for definition in FACTS.values()}
