"""The flags of a proposal at their boundaries (purchasing/flags.py)."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from plie.purchasing.enums import ProposalFlag
from plie.purchasing.flags import incomplete, late, over_cap
from plie.purchasing.publication import CriterionWeight, closing_problem, publication_problems

PARIS = ZoneInfo("Europe/Paris")
DEADLINE = datetime.datetime(2027, 12, 21, 17, 0, tzinfo=PARIS)


def test_received_one_second_before_the_deadline_is_on_time():
    assert late(DEADLINE - datetime.timedelta(seconds=1), DEADLINE) is None


def test_received_within_the_deadline_minute_is_on_time():
    assert late(DEADLINE + datetime.timedelta(seconds=59, microseconds=999999), DEADLINE) is None


def test_received_once_the_deadline_minute_is_over_is_late_and_says_when():
    flag = late(DEADLINE + datetime.timedelta(minutes=1), DEADLINE)
    assert flag.kind == ProposalFlag.LATE
    assert flag.reason == (
        "Reçue le 21/12/2027 à 17:01, après la date limite du 21/12/2027 à 17:00 (1 min de retard)."
    )


def test_a_day_late_counts_hours():
    flag = late(DEADLINE + datetime.timedelta(hours=25, minutes=5), DEADLINE)
    assert "(25 h 05 de retard)" in flag.reason


def test_every_required_content_with_a_document_is_complete():
    assert incomplete(["Présentation", "Prix"], ["Prix", "Présentation"]) is None


def test_a_missing_content_is_named():
    flag = incomplete(["Présentation", "Méthode", "Prix"], ["Présentation"])
    assert flag.kind == ProposalFlag.INCOMPLETE
    assert flag.reason == "Il manque les éléments demandés : « Méthode » ; « Prix »."


def test_one_missing_content_is_said_in_the_singular():
    flag = incomplete(["Présentation", "Prix"], ["Présentation"])
    assert flag.reason == "Il manque l'élément demandé : « Prix »."


def test_a_price_equal_to_the_cap_is_within_it():
    assert over_cap(Decimal("40000.00"), Decimal("40000")) is None


def test_a_cent_above_the_cap_is_over_it():
    flag = over_cap(Decimal("40000.01"), Decimal("40000"))
    assert flag.kind == ProposalFlag.OVER_CAP
    assert flag.reason == (
        "Prix de 40\u202f000,01\u00a0€, au-delà du plafond de 40\u202f000,00\u00a0€ "
        "(0,01\u00a0€ de plus)."
    )


def test_no_cap_no_flag():
    assert over_cap(Decimal("1000000"), None) is None


SEED_CRITERIA = [
    CriterionWeight("Valeur technique", 40, False),
    CriterionWeight("Équipe", 30, False),
    CriterionWeight("Prix", 30, True),
]
NOW = DEADLINE - datetime.timedelta(days=14)


def problems(**changes):
    values = {
        "status": "draft",
        "procedure": "service",
        "deadline": DEADLINE,
        "now": NOW,
        "criteria": SEED_CRITERIA,
        "required_contents": 7,
    }
    return publication_problems(**(values | changes))


def test_the_seed_call_may_be_published():
    assert problems() == []


def test_weights_adding_up_to_99_are_refused():
    found = problems(criteria=[*SEED_CRITERIA[:2], CriterionWeight("Prix", 29, True)])
    assert found == [
        "Les poids des critères font 99 % au lieu de 100 % : corrigez-les pour que leur somme "
        "fasse 100 %."
    ]


def test_a_service_consultation_without_a_price_criterion_is_refused():
    found = problems(
        criteria=[
            CriterionWeight("Valeur technique", 70, False),
            CriterionWeight("Équipe", 30, False),
        ]
    )
    assert len(found) == 1 and "critère du prix" in found[0]


def test_a_call_for_projects_may_do_without_a_price_criterion():
    criteria = [
        CriterionWeight("Valeur technique", 70, False),
        CriterionWeight("Équipe", 30, False),
    ]
    assert problems(procedure="projects", criteria=criteria) == []


def test_a_deadline_now_is_already_past():
    found = problems(now=DEADLINE)
    assert found == [
        "La date limite du 21/12/2027 à 17:00 est passée : choisissez une date limite à venir."
    ]


def test_a_call_without_required_content_or_criteria_gets_every_reason():
    found = problems(required_contents=0, criteria=[])
    assert len(found) == 3  # no criterion, no price criterion, no content


def test_a_published_call_is_not_published_again():
    assert problems(status="open") == [
        "Cet appel est déjà publié : seul un appel en préparation se publie."
    ]


def test_deposits_close_once_the_deadline_minute_is_over_not_before():
    within = closing_problem(
        status="open", deadline=DEADLINE, now=DEADLINE + datetime.timedelta(seconds=59)
    )
    assert within.startswith("Les dépôts restent ouverts jusqu'au 21/12/2027 à 17:00")
    after = DEADLINE + datetime.timedelta(minutes=1)
    assert closing_problem(status="open", deadline=DEADLINE, now=after) == ""
    assert closing_problem(status="draft", deadline=DEADLINE, now=DEADLINE) != ""
