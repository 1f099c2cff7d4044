"""The judgement of proposals (purchasing/scoring.py), case by case at its boundaries:
seed 000, « C. Jugement des propositions » (technical value 40 %, team 30 %, price 30 %)."""

import datetime
from decimal import Decimal

import pytest

from plie.purchasing.enums import PriceFormula, TieRule
from plie.purchasing.scoring import (
    Candidate,
    Criterion,
    criterion_score,
    formula_text,
    last_price,
    price_score,
    rank,
    tie_rule_text,
)

TECHNICAL = Criterion(1, "Valeur technique", 40, order=0)
TEAM = Criterion(2, "Équipe", 30, order=1)
PRICE = Criterion(3, "Prix", 30, is_price=True, order=2)
SEED_000 = (TECHNICAL, TEAM, PRICE)
MORNING = datetime.datetime(2027, 2, 25, 9, 0, tzinfo=datetime.UTC)


def D(value) -> Decimal:
    return Decimal(str(value))


def candidate(key, technical, team, price, *, minutes=0, name=None, **more) -> Candidate:
    return Candidate(
        key=key,
        name=name or f"Candidat {key}",
        received_at=MORNING + datetime.timedelta(minutes=minutes),
        points={TECHNICAL.key: [D(p) for p in technical], TEAM.key: [D(p) for p in team]},
        prices=[None if price is None else D(price)],
        **more,
    )


def ranked(
    *candidates,
    formula=PriceFormula.LOWEST_OVER_PRICE,
    tie=TieRule.HEAVIEST_CRITERION,
    cap=Decimal(40000),
):
    return rank(candidates, SEED_000, formula=formula, tie_rule=tie, cap=cap)


# A criterion ------------------------------------------------------------------------------


def test_a_criterion_scores_the_mean_of_its_points_over_ten_times_its_weight():
    assert criterion_score([D(8), D(6)], 40) == D(28)
    assert criterion_score([D(10)], 30) == D(30)
    assert criterion_score([D(0), D(0)], 40) == D(0)


def test_a_criterion_without_points_cannot_be_scored():
    with pytest.raises(ValueError):
        criterion_score([], 40)


# The price --------------------------------------------------------------------------------


def test_the_last_offer_that_gives_a_price_is_the_one_scored():
    assert last_price([D(30000), D(28000)]) == D(28000)
    assert last_price([D(30000), D(28000), None]) == D(28000)  # a hearing without a price
    assert last_price([None]) is None


def test_lowest_over_price_gives_the_full_weight_to_the_lowest_price():
    score, why = price_score(
        D(20000), lowest=D(20000), weight=30, formula=PriceFormula.LOWEST_OVER_PRICE, cap=None
    )
    assert score == 30
    assert "prix le plus bas" in why


def test_lowest_over_price_scores_the_ratio():
    score, why = price_score(
        D(25000), lowest=D(20000), weight=30, formula=PriceFormula.LOWEST_OVER_PRICE, cap=None
    )
    assert score == 24
    assert why.endswith("× 30 = 24,00")


def test_linear_to_cap_is_full_at_the_lowest_and_proportional_below_the_cap():
    kwargs = {"lowest": D(20000), "weight": 30, "formula": PriceFormula.LINEAR_TO_CAP}
    assert price_score(D(20000), cap=D(40000), **kwargs)[0] == 30
    assert price_score(D(30000), cap=D(40000), **kwargs)[0] == 15


def test_linear_to_cap_gives_nothing_at_the_cap():
    score, why = price_score(
        D(40000), lowest=D(20000), weight=30, formula=PriceFormula.LINEAR_TO_CAP, cap=D(40000)
    )
    assert score == 0
    assert "plafond" in why


def test_linear_to_cap_gives_nothing_over_the_cap():
    score, _ = price_score(
        D(40000.01), lowest=D(20000), weight=30, formula=PriceFormula.LINEAR_TO_CAP, cap=D(40000)
    )
    assert score == 0


def test_linear_to_cap_with_every_price_equal_gives_the_full_weight():
    score, _ = price_score(
        D(30000), lowest=D(30000), weight=30, formula=PriceFormula.LINEAR_TO_CAP, cap=D(40000)
    )
    assert score == 30


def test_one_price_only_gets_the_full_weight():
    ranking = ranked(candidate(1, [7], [7], 35000))
    assert ranking.first.score_on(PRICE) == 30
    assert ranking.first.total == D("79.00")


def test_the_linear_formula_without_a_cap_ranks_nothing_and_says_what_to_do():
    ranking = ranked(candidate(1, [7], [7], 35000), formula=PriceFormula.LINEAR_TO_CAP, cap=None)
    assert not ranking.placed
    assert not ranking.is_final
    assert "renseignez-le" in ranking.problems[0]


def test_weights_that_do_not_add_up_to_100_rank_nothing():
    ranking = rank(
        [candidate(1, [7], [7], 35000)],
        (TECHNICAL, PRICE),
        formula=PriceFormula.LOWEST_OVER_PRICE,
        tie_rule=TieRule.HEAVIEST_CRITERION,
    )
    assert ranking.problems == (
        "Les poids des critères font 70 % et non 100 % : corrigez-les dans l'appel.",
    )


# The ranking ------------------------------------------------------------------------------


def test_three_proposals_are_ranked_by_their_totals():
    """The worked example of docs/programme.md, « La formule »."""
    ranking = ranked(
        candidate(1, [8, 7], [6, 6], 30000, name="Alpha"),
        candidate(2, [6, 6], [8, 8], 24000, name="Bêta"),
        candidate(3, [9, 9], [9, 7], 36000, name="Gamma"),
    )
    totals = {p.candidate.name: (p.rank, p.total) for p in ranking.placed}
    # Alpha: 7.5/10×40 = 30 ; 6/10×30 = 18 ; 24000/30000×30 = 24 → 72.
    # Bêta: 24 + 24 + 30 = 78. Gamma: 36 + 24 + 20 = 80.
    assert totals == {
        "Gamma": (1, D("80.00")),
        "Bêta": (2, D("78.00")),
        "Alpha": (3, D("72.00")),
    }
    assert ranking.is_final
    assert ranking.placed[0].explanation == "1re sur 3 avec 80,00 sur 100"


def test_equal_totals_go_to_the_better_score_on_the_heaviest_criterion():
    alpha = candidate(1, [8], [6], 20000, name="Alpha", minutes=10)  # 32 + 18 + 30 = 80
    beta = candidate(2, [5], [10], 20000, name="Bêta")  # 20 + 30 + 30 = 80, deposited first
    ranking = ranked(beta, alpha, tie=TieRule.HEAVIEST_CRITERION)
    assert [p.candidate.name for p in ranking.placed] == ["Alpha", "Bêta"]
    assert ranking.placed[0].total == ranking.placed[1].total == D("80.00")
    assert ranking.placed[0].explanation == (
        "1re sur 2 avec 80,00 sur 100 ; ex aequo avec Bêta à 80,00 : départagée par "
        "« Valeur technique » (32,00 contre 20,00)"
    )
    assert "(20,00 contre 32,00)" in ranking.placed[1].explanation


def test_equal_totals_and_equal_heaviest_scores_go_to_the_earlier_deposit():
    late = candidate(1, [8], [6], 20000, name="Tardive", minutes=30)
    early = candidate(2, [8], [6], 20000, name="Matinale", minutes=5)
    ranking = ranked(late, early, tie=TieRule.HEAVIEST_CRITERION)
    assert [p.candidate.name for p in ranking.placed] == ["Matinale", "Tardive"]
    assert "départagée par la date de dépôt (déposée avant Tardive)" in (
        ranking.placed[0].explanation
    )


def test_equal_totals_go_to_the_lower_price_under_the_lowest_price_rule():
    # Cheap: 24 + 18 + 30 = 72 ; Dear (25,000): 32 + 18 + 24 = 74 → adjust to tie at 72.
    cheap = Candidate(1, "Économe", MORNING, {1: [D(6)], 2: [D(6)]}, [D(20000)])  # 24+18+30
    dear = Candidate(2, "Onéreuse", MORNING, {1: [D(7.5)], 2: [D(6)]}, [D(25000)])  # 30+18+24
    ranking = ranked(dear, cheap, tie=TieRule.LOWEST_PRICE)
    assert ranking.placed[0].total == ranking.placed[1].total == D("72.00")
    assert [p.candidate.name for p in ranking.placed] == ["Économe", "Onéreuse"]
    assert "départagée par le prix (20\u202f000,00\u00a0€ contre 25\u202f000,00\u00a0€)" in (
        ranking.placed[0].explanation
    )


def test_the_same_tie_goes_the_other_way_under_the_heaviest_criterion_rule():
    cheap = Candidate(1, "Économe", MORNING, {1: [D(6)], 2: [D(6)]}, [D(20000)])
    dear = Candidate(2, "Onéreuse", MORNING, {1: [D(7.5)], 2: [D(6)]}, [D(25000)])
    ranking = ranked(cheap, dear, tie=TieRule.HEAVIEST_CRITERION)
    assert [p.candidate.name for p in ranking.placed] == ["Onéreuse", "Économe"]


def test_equal_totals_and_prices_under_the_lowest_price_rule_go_to_the_earlier_deposit():
    a = candidate(1, [8], [6], 20000, name="Tardive", minutes=30)
    b = candidate(2, [8], [6], 20000, name="Matinale")
    ranking = ranked(a, b, tie=TieRule.LOWEST_PRICE)
    assert [p.candidate.name for p in ranking.placed] == ["Matinale", "Tardive"]


def test_totals_that_differ_below_the_hundredth_are_ex_aequo():
    # 20000/30000×30 = 20 exactly vs 20000/29999×30 = 20.0006… : both show 20,00.
    a = candidate(1, [5], [5], 30000, name="Alpha", minutes=1)
    b = candidate(2, [5], [5], 29999, name="Bêta", minutes=2)
    low = candidate(3, [0], [0], 20000, name="Gamma")
    ranking = ranked(a, b, low)
    alpha, beta = ranking.of(1), ranking.of(2)
    assert alpha.total == beta.total == D("55.00")
    assert alpha.rank == 1  # the earlier deposit: the rounding made them equal
    assert "ex aequo" in alpha.explanation


def test_missing_scores_make_a_proposal_not_rankable_yet_with_the_reason():
    done = candidate(1, [8], [6], 20000)
    waiting = Candidate(
        2, "Attendue", MORNING, {}, [D(25000)], missing=("l'évaluation de Mme Durand",)
    )
    ranking = ranked(done, waiting)
    assert not ranking.is_final
    assert [p.candidate.key for p in ranking.placed] == [1]
    assert ranking.pending[0].reasons == ("l'évaluation de Mme Durand",)


def test_a_missing_price_is_said():
    ranking = ranked(candidate(1, [8], [6], None))
    assert ranking.pending[0].reasons == ("aucun prix : notez le prix de l'offre",)


def test_the_price_of_a_pending_proposal_still_sets_the_lowest():
    """The lowest price is that of every proposal taking part, scored or not yet."""
    done = candidate(1, [8], [6], 30000)
    waiting = Candidate(2, "Attendue", MORNING, {}, [D(20000)], missing=("une évaluation",))
    assert ranked(done, waiting).of(1).score_on(PRICE) == 20


def test_late_and_withdrawn_proposals_are_not_ranked_and_do_not_set_the_lowest_price():
    kept = candidate(1, [8], [6], 30000)
    late = candidate(2, [9], [9], 10000, excluded="Refusée : reçue après la date limite")
    ranking = ranked(kept, late)
    assert [p.candidate.key for p in ranking.placed] == [1]
    assert ranking.of(1).score_on(PRICE) == 30
    assert ranking.excluded[0].reasons == ("Refusée : reçue après la date limite",)
    assert ranking.is_final


def test_no_proposal_is_no_final_ranking():
    assert not ranked().is_final


# The texts shown on the page ---------------------------------------------------------------


def test_the_formula_is_written_from_the_call_s_data():
    text = formula_text(PriceFormula.LOWEST_OVER_PRICE, SEED_000, D(40000))
    assert "« Valeur technique » : moyenne des notes sur 10 des évaluateurs ÷ 10 × 40" in text
    assert "« Prix » : prix le plus bas ÷ prix de l'offre × 30" in text
    linear = formula_text(PriceFormula.LINEAR_TO_CAP, SEED_000, D(40000))
    assert "0 au plafond de 40\u202f000,00\u00a0€ ou au-dessus" in linear


def test_the_tie_rule_names_the_heaviest_criterion_the_first_when_weights_tie():
    even = (Criterion(1, "Méthode", 35, order=1), Criterion(2, "Équipe", 35, order=0))
    assert "« Équipe » (35 %)" in tie_rule_text(TieRule.HEAVIEST_CRITERION, even)
    assert "prix le plus bas" in tie_rule_text(TieRule.LOWEST_PRICE, SEED_000)


# The steering committee's opinion ----------------------------------------------------------


def test_more_favourable_than_unfavourable_answers_allow_the_award():
    from plie.purchasing.scoring import Opinion

    opinion = Opinion(favourable=2, unfavourable=1, abstentions=3, unanswered=1)
    assert opinion.allows_award
    assert opinion.explanation == (
        "Le comité de pilotage valide la proposition : 2 avis favorables, 1 avis défavorable, "
        "3 abstentions, 1 membre sans réponse."
    )


def test_as_many_unfavourable_as_favourable_answers_do_not_allow_the_award():
    from plie.purchasing.scoring import Opinion

    opinion = Opinion(favourable=1, unfavourable=1, abstentions=0, unanswered=0)
    assert not opinion.allows_award
    assert "déclarer l'appel sans suite" in opinion.explanation


def test_no_answer_at_all_does_not_allow_the_award():
    from plie.purchasing.scoring import Opinion

    assert not Opinion(0, 0, 0, 4).allows_award
