"""From scores to the award, through the pages: two evaluators score, the ranking shows,
the steering committee answers in the application, the coordinator awards, each candidate
gets its letter — and only its own."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from plie.accounts.enums import Role
from plie.core.models import Notice
from plie.core.plurals import of
from plie.programme.enums import OperationKind
from plie.purchasing import decision
from plie.purchasing.enums import CallStatus, OfferKind, Procedure, ProposalStatus
from plie.purchasing.models import Evaluation, Proposal, Score
from tests.factories import (
    CallForProposalsFactory,
    OperationFactory,
    ProposalFactory,
    ProviderFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def judged(territory):
    """A call past its deadline with three proposals (the example of docs/programme.md, « La formule »)."""
    now = timezone.now()
    call = CallForProposalsFactory(
        deadline=now - datetime.timedelta(days=2), status=CallStatus.INSTRUCTION
    )
    proposals = {}
    for minutes, (name, price) in enumerate((("Alpha", 30000), ("Bêta", 24000), ("Gamma", 36000))):
        provider = ProviderFactory(name=name)
        proposals[name] = ProposalFactory(
            call=call,
            provider=provider,
            price=price,
            received_at=now - datetime.timedelta(days=3, minutes=-minutes),
        )
        UserFactory(role=Role.PROVIDER, organisation=provider, email=f"{name}@example.org")
    return {
        "call": call,
        "proposals": proposals,
        "coordinator": UserFactory(role=Role.COORDINATOR, email="coord@example.org"),
        "officer": UserFactory(role=Role.PROJECT_OFFICER),
        "members": [
            UserFactory(role=Role.STEERING_VIEWER, email=f"copil{i}@example.org") for i in range(3)
        ],
    }


POINTS = {"Alpha": ((8, 6), (7, 6)), "Bêta": ((6, 8), (6, 8)), "Gamma": ((9, 9), (9, 7))}


def score_everything(client, judged):
    call = judged["call"]
    technical, team, _ = call.criteria.all()
    for index, evaluator in enumerate((judged["coordinator"], judged["officer"])):
        client.force_login(evaluator)
        for name, proposal in judged["proposals"].items():
            declared = client.post(
                reverse("scoring:declare", args=[proposal.pk]), {"declaration": "no_conflict"}
            )
            assert declared.status_code == 302
            points = POINTS[name][index]
            response = client.post(
                reverse("scoring:scoring", args=[proposal.pk]),
                {
                    f"points_{technical.pk}": points[0],
                    f"comment_{technical.pk}": "Méthode claire",
                    f"points_{team.pk}": points[1],
                    f"comment_{team.pk}": "Équipe expérimentée",
                },
            )
            assert response.status_code == 302, response.content.decode()


def test_two_evaluators_score_and_the_ranking_shows_totals_and_formula(client, judged):
    score_everything(client, judged)
    client.force_login(judged["coordinator"])
    response = client.get(reverse("scoring:ranking", args=[judged["call"].pk]))
    page = response.content.decode()
    assert "1re sur 3 avec 80,00 sur 100" in page  # Gamma
    assert "prix le plus bas ÷ prix de l&#x27;offre × 30" in page
    ranking = decision.ranking_of(judged["call"])
    assert [p.candidate.name for p in ranking.placed] == ["Gamma", "Bêta", "Alpha"]
    assert ranking.is_final


def test_a_missing_evaluation_is_named_and_blocks_the_consultation(client, judged):
    score_everything(client, judged)
    Evaluation.objects.filter(
        evaluator=judged["officer"], proposal=judged["proposals"]["Alpha"]
    ).update(completed_at=None)
    client.force_login(judged["coordinator"])
    page = client.get(reverse("scoring:ranking", args=[judged["call"].pk])).content.decode()
    # « de » is elided before a vowel (« d'Astrid Fernandez »): the names are random.
    missing = escape(f"il manque l'évaluation {of(judged['officer'].get_full_name())}")
    assert missing in page
    assert "Toutes les propositions ne sont pas notées" in page


def test_scoring_needs_the_declaration_first(client, judged):
    proposal = judged["proposals"]["Alpha"]
    client.force_login(judged["officer"])
    page = client.get(reverse("scoring:scoring", args=[proposal.pk])).content.decode()
    assert "Je déclare n&#x27;avoir aucun conflit d&#x27;intérêts avec ce candidat" in page
    response = client.post(reverse("scoring:scoring", args=[proposal.pk]), {})
    assert response.status_code == 302
    assert not Score.objects.exists()


def test_an_evaluator_who_declares_a_conflict_cannot_score_and_is_not_awaited(client, judged):
    proposal = judged["proposals"]["Alpha"]
    client.force_login(judged["officer"])
    client.post(reverse("scoring:declare", args=[proposal.pk]), {"declaration": "conflict"})
    evaluation = Evaluation.objects.get(proposal=proposal, evaluator=judged["officer"])
    assert evaluation.conflict_declared_at is not None
    response = client.post(
        reverse("scoring:declare", args=[proposal.pk]), {"declaration": "no_conflict"}, follow=True
    )
    assert "notée sans vous" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.no_conflict_declared_at is None
    others = [p for p in judged["proposals"].values() if p != proposal]
    assert decision.missing_evaluations(proposal, [judged["officer"]]) == [
        "aucune évaluation terminée : un évaluateur doit la noter"
    ]
    assert decision.missing_evaluations(others[0], [judged["officer"]]) != []


def test_scores_are_refused_before_the_deadline(judged):
    call = judged["call"]
    call.deadline = timezone.now() + datetime.timedelta(hours=1)
    call.save()
    with pytest.raises(ValidationError, match="après la date limite"):
        decision.declare_interests(
            proposal=judged["proposals"]["Alpha"], evaluator=judged["officer"], conflict=False
        )


def test_a_negotiated_offer_changes_the_price_scored_and_the_history_stays(client, judged):
    score_everything(client, judged)
    alpha = judged["proposals"]["Alpha"]
    client.force_login(judged["coordinator"])
    made_at = (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    page = client.get(reverse("scoring:offers", args=[alpha.pk])).content.decode()
    token = page.split('name="submission" value="')[1].split('"')[0]
    response = client.post(
        reverse("scoring:offers", args=[alpha.pk]),
        {"kind": "hearing", "made_at": made_at, "note": "Audition en visio", "submission": token},
    )
    assert response.status_code == 302
    page = client.get(reverse("scoring:offers", args=[alpha.pk])).content.decode()
    token = page.split('name="submission" value="')[1].split('"')[0]
    client.post(
        reverse("scoring:offers", args=[alpha.pk]),
        {"kind": "negotiated", "made_at": made_at, "price": "20000", "submission": token},
    )
    assert list(alpha.offers.values_list("kind", flat=True)) == [
        OfferKind.INITIAL,
        OfferKind.HEARING,
        OfferKind.NEGOTIATED,
    ]
    assert decision.ranking_of(judged["call"]).of(alpha.pk).price == Decimal(20000)


def test_a_negotiated_offer_without_a_price_is_refused(client, judged):
    alpha = judged["proposals"]["Alpha"]
    client.force_login(judged["coordinator"])
    page = client.get(reverse("scoring:offers", args=[alpha.pk])).content.decode()
    token = page.split('name="submission" value="')[1].split('"')[0]
    response = client.post(
        reverse("scoring:offers", args=[alpha.pk]),
        {
            "kind": "negotiated",
            "made_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "submission": token,
        },
    )
    assert response.status_code == 200
    assert "Une offre révisée a un prix" in response.content.decode()
    assert alpha.offers.count() == 1


def consult_and_answer(client, judged, answers):
    call = judged["call"]
    client.force_login(judged["coordinator"])
    page = client.get(reverse("scoring:consultation_open", args=[call.pk])).content.decode()
    token = page.split('name="submission" value="')[1].split('"')[0]
    response = client.post(
        reverse("scoring:consultation_open", args=[call.pk]),
        {
            "proposed": str(judged["proposals"]["Gamma"].pk),
            "message": "Merci de votre avis sur le classement.",
            "answer_by": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
            "submission": token,
        },
    )
    assert response.status_code == 302, response.content.decode()
    for member, answer in zip(judged["members"], answers, strict=True):
        client.force_login(member)
        response = client.post(
            reverse("scoring:consultation_answer", args=[call.pk]),
            {"answer": answer, "comment": ""},
        )
        assert response.status_code == 302
    client.force_login(judged["coordinator"])
    client.post(reverse("scoring:consultation_close", args=[call.pk]))


def test_the_consultation_notifies_each_member_who_sees_totals_but_no_comment(client, judged):
    score_everything(client, judged)
    call = judged["call"]
    client.force_login(judged["coordinator"])
    page = client.get(reverse("scoring:consultation_open", args=[call.pk])).content.decode()
    token = page.split('name="submission" value="')[1].split('"')[0]
    client.post(
        reverse("scoring:consultation_open", args=[call.pk]),
        {
            "proposed": str(judged["proposals"]["Gamma"].pk),
            "message": "Merci de votre avis.",
            "answer_by": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
            "submission": token,
        },
    )
    call.refresh_from_db()
    assert call.status == CallStatus.CONSULTATION
    assert Notice.objects.filter(recipient__in=judged["members"]).count() == 3
    client.force_login(judged["members"][0])
    page = client.get(reverse("scoring:consultation_answer", args=[call.pk])).content.decode()
    assert "80,00" in page
    assert "Méthode claire" not in page  # an evaluator's comment
    assert judged["officer"].last_name not in page  # an evaluator's name


def test_scores_are_frozen_once_the_consultation_is_open(client, judged):
    score_everything(client, judged)
    consult_and_answer(client, judged, ["favourable"] * 3)
    alpha = judged["proposals"]["Alpha"]
    alpha.refresh_from_db()
    with pytest.raises(ValidationError, match="ne se modifient plus"):
        decision.declare_interests(proposal=alpha, evaluator=judged["officer"], conflict=False)
    client.force_login(judged["officer"])
    technical = judged["call"].criteria.first()
    client.post(
        reverse("scoring:scoring", args=[alpha.pk]),
        {f"points_{technical.pk}": 0, f"comment_{technical.pk}": "Changé"},
    )
    assert not Score.objects.filter(comment="Changé").exists()


def test_the_award_follows_a_favourable_majority_and_every_candidate_gets_its_letter(
    client, judged
):
    score_everything(client, judged)
    consult_and_answer(client, judged, ["favourable", "favourable", "unfavourable"])
    call = judged["call"]
    client.force_login(judged["coordinator"])
    response = client.post(
        reverse("scoring:award", args=[call.pk]), {"confirm": "on", "starts_on": "2027-03-01"}
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == CallStatus.AWARDED and call.awarded_by == judged["coordinator"]
    for proposal in judged["proposals"].values():
        proposal.refresh_from_db()
    statuses = {name: p.status for name, p in judged["proposals"].items()}
    assert statuses == {
        "Gamma": ProposalStatus.AWARDED,
        "Bêta": ProposalStatus.NOT_RETAINED,
        "Alpha": ProposalStatus.NOT_RETAINED,
    }
    alpha = judged["proposals"]["Alpha"]
    letter = client.get(reverse("scoring:letter", args=[alpha.pk]))
    assert letter["Content-Type"] == "application/pdf"
    from io import BytesIO

    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(letter.content)).pages)
    assert "pas retenue" in text
    assert "3e sur 3" in text and "72,00" in text and "80,00" in text
    assert "recours" in text
    # The candidate's own letter only.
    provider_user = decision.provider_users(alpha).get()
    client.force_login(provider_user)
    assert client.get(reverse("scoring:letter", args=[alpha.pk])).status_code == 200
    gamma = judged["proposals"]["Gamma"]
    assert client.get(reverse("scoring:letter", args=[gamma.pk])).status_code == 404
    assert Notice.objects.filter(recipient=provider_user).exists()


def test_no_favourable_majority_refuses_the_award_and_offers_sans_suite(client, judged):
    score_everything(client, judged)
    consult_and_answer(client, judged, ["unfavourable", "favourable", "unfavourable"])
    call = judged["call"]
    client.force_login(judged["coordinator"])
    response = client.post(
        reverse("scoring:award", args=[call.pk]),
        {"confirm": "on", "starts_on": "2027-03-01"},
        follow=True,
    )
    assert (
        "il faut plus d&#x27;avis favorables que d&#x27;avis défavorables"
        in response.content.decode()
    )
    call.refresh_from_db()
    assert call.status == CallStatus.CONSULTATION
    client.post(reverse("scoring:unsuccessful", args=[call.pk]), {"confirm": "on"})
    call.refresh_from_db()
    assert call.status == CallStatus.UNSUCCESSFUL


def test_the_ranking_page_reads_a_fixed_number_of_queries(client, judged):
    score_everything(client, judged)
    client.force_login(judged["coordinator"])
    url = reverse("scoring:ranking", args=[judged["call"].pk])
    client.get(url)
    client.get(url)
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    ProposalFactory(call=judged["call"], received_at=timezone.now() - datetime.timedelta(days=4))
    client.get(url)
    with CaptureQueriesContext(connection) as four:
        client.get(url)
    assert len(four) == len(three), "a query per proposal"


def test_the_award_makes_the_agreement_from_the_last_offer_the_operation_and_the_schedule(
    client, judged
):
    """Seed 000: the award becomes an agreement at the firm price negotiated, with the
    payment rules the call announced (30 / 30 / 40 for a service consultation)."""
    call = judged["call"]
    call.procedure = Procedure.SERVICE
    call.operation = OperationFactory(kind=OperationKind.PARTICIPANT_ACTIONS)
    call.save()
    gamma = judged["proposals"]["Gamma"]
    gamma.offers.create(
        kind=OfferKind.NEGOTIATED,
        made_at=timezone.now() - datetime.timedelta(days=1),
        price=Decimal("34500"),
        recorded_by=judged["coordinator"],
    )
    score_everything(client, judged)
    consult_and_answer(client, judged, ["favourable"] * 3)
    client.force_login(judged["coordinator"])
    client.post(
        reverse("scoring:award", args=[call.pk]), {"confirm": "on", "starts_on": "2027-03-01"}
    )

    gamma.refresh_from_db()
    agreement = gamma.agreement
    assert agreement.provider == gamma.provider and agreement.operation == call.operation
    assert agreement.amount == Decimal("34500")
    assert (agreement.starts_on, agreement.ends_on) == (
        datetime.date(2027, 3, 1),
        datetime.date(2028, 2, 29),
    )
    assert [i.share for i in agreement.instalments.order_by("order")] == [30, 30, 40]
    assert [i.amount for i in agreement.instalments.order_by("order")] == [
        Decimal("10350.00"),
        Decimal("10350.00"),
        Decimal("13800.00"),
    ]
    page = client.get(reverse("scoring:ranking", args=[call.pk])).content.decode()
    assert agreement.reference in page


def test_without_a_confirmation_or_a_start_nothing_is_awarded(client, judged):
    score_everything(client, judged)
    consult_and_answer(client, judged, ["favourable"] * 3)
    call = judged["call"]
    client.force_login(judged["coordinator"])
    for sent in (
        {"starts_on": "2027-03-01"},
        {"confirm": "on"},
        {"confirm": "on", "starts_on": "x"},
    ):
        client.post(reverse("scoring:award", args=[call.pk]), sent)
        call.refresh_from_db()
        assert call.status == CallStatus.CONSULTATION
    assert not Proposal.objects.filter(agreement__isnull=False).exists()
