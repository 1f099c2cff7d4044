"""From the proposals received to the award: the hearing and each negotiated revision, the
evaluators' declarations and scores, the ranking read from them (scoring.py), the steering
committee's written consultation (seed 001) and the award with its notices. Every write is
one transaction; arguments are keyword-only.

The evaluators of a call are the team members who began scoring it (a declaration on one of
its proposals): the ranking waits for each of them on every proposal that takes part,
except where they declared a conflict of interest. Once the consultation is open the
ranking is frozen: no score, declaration or offer changes any more, so that the letters say
what the committee was shown.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from plie.accounts.enums import Role
from plie.accounts.models import User
from plie.agreements import services as agreement_services
from plie.agreements.models import PaymentScheduleTemplate
from plie.core import formatting, plurals
from plie.core.notices import notify
from plie.core.plurals import counted
from plie.core.uploads import store
from plie.purchasing import scoring
from plie.purchasing.enums import (
    CallStatus,
    ConsultationAnswerChoice,
    OfferKind,
    Procedure,
    ProposalStatus,
)
from plie.purchasing.models import (
    CallForProposals,
    ConsultationAnswer,
    Evaluation,
    Offer,
    Proposal,
    Score,
    WrittenConsultation,
)

NOT_RANKED = {ProposalStatus.REFUSED_LATE, ProposalStatus.WITHDRAWN}
FROZEN = {CallStatus.CONSULTATION, CallStatus.AWARDED, CallStatus.UNSUCCESSFUL}


# Reading ---------------------------------------------------------------------------------


def criteria_of(call: CallForProposals) -> list[scoring.Criterion]:
    return [
        scoring.Criterion(c.pk, c.label, c.weight, c.is_price, c.order) for c in call.criteria.all()
    ]


def proposals_of(call: CallForProposals) -> list[Proposal]:
    """The call's proposals with what the ranking reads, in three queries."""
    return list(
        call.proposals.select_related("provider", "agreement").prefetch_related(
            "offers", "evaluations__scores", "evaluations__evaluator"
        )
    )


def evaluators_of(proposals) -> list[User]:
    found = {e.evaluator_id: e.evaluator for p in proposals for e in p.evaluations.all()}
    return sorted(found.values(), key=lambda user: (user.last_name, user.first_name, user.pk))


def missing_evaluations(proposal: Proposal, evaluators) -> list[str]:
    """Who has yet to score this proposal (an evaluator who declared a conflict does not)."""
    done = {
        e.evaluator_id
        for e in proposal.evaluations.all()
        if e.completed_at is not None or e.conflict_declared_at is not None
    }
    missing = [
        f"il manque l'évaluation {plurals.of(user.get_full_name() or user.username)}"
        for user in evaluators
        if user.pk not in done
    ]
    if not any(e.completed_at for e in proposal.evaluations.all()) and not missing:
        missing.append("aucune évaluation terminée : un évaluateur doit la noter")
    return missing


def candidate(proposal: Proposal, evaluators) -> scoring.Candidate:
    points: dict[int, list[Decimal]] = defaultdict(list)
    for evaluation in proposal.evaluations.all():
        if evaluation.completed_at is None or evaluation.conflict_declared_at is not None:
            continue
        for score in evaluation.scores.all():
            points[score.criterion_id].append(score.points)
    return scoring.Candidate(
        key=proposal.pk,
        name=str(proposal.provider),
        received_at=proposal.received_at,
        points=dict(points),
        prices=[offer.price for offer in proposal.offers.all()],
        missing=tuple(missing_evaluations(proposal, evaluators)),
        excluded=proposal.get_status_display() if proposal.status in NOT_RANKED else "",
    )


def ranking_of(call: CallForProposals, proposals=None) -> scoring.Ranking:
    proposals = proposals_of(call) if proposals is None else proposals
    evaluators = evaluators_of(proposals)
    return scoring.rank(
        [candidate(p, evaluators) for p in proposals],
        criteria_of(call),
        formula=call.price_formula,
        tie_rule=call.tie_rule,
        cap=call.budget_cap,
    )


def opinion_of(consultation: WrittenConsultation) -> scoring.Opinion:
    answers = [a.answer for a in consultation.answers.all()]
    return scoring.Opinion(
        favourable=answers.count(ConsultationAnswerChoice.FAVOURABLE),
        unfavourable=answers.count(ConsultationAnswerChoice.UNFAVOURABLE),
        abstentions=answers.count(ConsultationAnswerChoice.ABSTENTION),
        unanswered=answers.count(""),
    )


def consultation_of(call: CallForProposals) -> WrittenConsultation | None:
    try:
        return call.consultation
    except WrittenConsultation.DoesNotExist:
        return None


# Offers and scores -------------------------------------------------------------------------


def why_not_scorable(proposal: Proposal, now: datetime.datetime) -> str:
    """Empty when the proposal may be scored now; else why not, in French."""
    call = proposal.call
    if call.status in FROZEN or call.status == CallStatus.DRAFT:
        return (
            f"L'appel est à l'état « {call.get_status_display()} » : les notes ne se "
            "modifient plus."
        )
    if now < call.deadline:
        return (
            "Les propositions se notent après la date limite de dépôt, le "
            f"{formatting.moment(timezone.localtime(call.deadline))} : revenez ensuite."
        )
    if proposal.status in NOT_RANKED:
        return f"Cette proposition n'est pas classée ({proposal.get_status_display().lower()})."
    return ""


def declare_interests(*, proposal: Proposal, evaluator, conflict: bool) -> Evaluation:
    """The evaluator declares no conflict of interest (and may then score), or a conflict
    (and never scores this proposal: any points given are withdrawn)."""
    now = timezone.now()
    problem = why_not_scorable(proposal, now)
    if problem:
        raise ValidationError(problem)
    with transaction.atomic():
        evaluation, _ = Evaluation.objects.select_for_update().get_or_create(
            proposal=proposal, evaluator=evaluator
        )
        if evaluation.conflict_declared_at is not None:
            raise ValidationError(
                "Vous avez déclaré un conflit d'intérêts avec ce candidat : la proposition est "
                "notée sans vous. Si c'était une erreur, demandez à la coordinatrice de voir "
                "avec l'équipe."
            )
        if conflict:
            evaluation.scores.all().delete()
            evaluation.conflict_declared_at, evaluation.completed_at = now, None
            evaluation.no_conflict_declared_at = None
        elif evaluation.no_conflict_declared_at is None:
            evaluation.no_conflict_declared_at = now
        evaluation.save()
    return evaluation


def record_scores(*, evaluation: Evaluation, scores: dict) -> Evaluation:
    """`scores`: criterion → (points, comment), one for each criterion but the price."""
    proposal = evaluation.proposal
    problem = why_not_scorable(proposal, timezone.now())
    if problem:
        raise ValidationError(problem)
    if evaluation.no_conflict_declared_at is None or evaluation.conflict_declared_at:
        raise ValidationError("Déclarez d'abord n'avoir aucun conflit d'intérêts avec ce candidat.")
    expected = {c.pk for c in proposal.call.criteria.all() if not c.is_price}
    if {c.pk for c in scores} != expected:
        raise ValidationError("Notez chaque critère autre que le prix, puis enregistrez.")
    with transaction.atomic():
        for criterion, (points, comment) in scores.items():
            Score.objects.update_or_create(
                evaluation=evaluation,
                criterion=criterion,
                defaults={"points": points, "comment": comment},
            )
        evaluation.completed_at = timezone.now()
        evaluation.save(update_fields=["completed_at"])
    return evaluation


def record_offer(
    *,
    proposal: Proposal,
    kind: str,
    made_at: datetime.datetime,
    price: Decimal | None,
    note: str,
    document=None,
    by,
) -> Offer:
    """The hearing (a new price optional) or a negotiated revision (a new price required);
    seed 000: « une audition… », « au terme de la négociation »."""
    if proposal.call.status in FROZEN:
        raise ValidationError(
            "La consultation du comité de pilotage est ouverte : les offres ne changent plus."
        )
    if proposal.status in NOT_RANKED:
        raise ValidationError(
            f"Cette proposition n'est pas classée ({proposal.get_status_display().lower()}) : "
            "elle ne se négocie pas."
        )
    if kind not in (OfferKind.HEARING, OfferKind.NEGOTIATED):
        raise ValidationError("Choisissez l'audition ou une offre révisée.")
    if kind == OfferKind.NEGOTIATED and price is None:
        raise ValidationError({"price": "Une offre révisée a un prix : saisissez-le."})
    if made_at > timezone.now():
        raise ValidationError({"made_at": "Cette date est à venir : notez ce qui a eu lieu."})
    if made_at < proposal.received_at:
        raise ValidationError(
            {"made_at": "Cette date précède le dépôt de la proposition : vérifiez-la."}
        )
    with transaction.atomic():
        stored = store(document, user=by) if document else None
        return Offer.objects.create(
            proposal=proposal,
            kind=kind,
            made_at=made_at,
            price=price,
            note=note,
            document=stored,
            recorded_by=by,
        )


# The written consultation ------------------------------------------------------------------


def steering_members():
    return User.objects.filter(role=Role.STEERING_VIEWER, is_active=True)


def why_no_consultation(call: CallForProposals, ranking: scoring.Ranking) -> str:
    if call.status in FROZEN:
        return f"L'appel est à l'état « {call.get_status_display()} »."
    if timezone.now() < call.deadline:
        return "La date limite de dépôt n'est pas passée : le classement n'est pas définitif."
    if ranking.problems:
        return " ".join(ranking.problems)
    if not ranking.placed:
        return "Aucune proposition n'est classée."
    if ranking.pending:
        return "Toutes les propositions ne sont pas notées : complétez les évaluations manquantes."
    if not steering_members().exists():
        return (
            "Aucun membre du comité de pilotage n'a de compte actif : demandez à "
            "l'administration d'en créer."
        )
    return ""


def open_consultation(
    *,
    call: CallForProposals,
    proposed: Proposal,
    message: str,
    answer_by: datetime.date,
    by,
) -> WrittenConsultation:
    """Seed 001: « soumise à consultation écrite du Comité de pilotage »; one answer row per
    active member, each told by a notice and an e-mail."""
    with transaction.atomic():
        call = CallForProposals.objects.select_for_update().get(pk=call.pk)
        ranking = ranking_of(call)
        problem = why_no_consultation(call, ranking)
        if problem:
            raise ValidationError(problem)
        if proposed.call_id != call.pk or ranking.of(proposed.pk) is None:
            raise ValidationError({"proposed": "Choisissez une proposition classée de cet appel."})
        if answer_by < timezone.localdate():
            raise ValidationError(
                {"answer_by": "Cette date est passée : choisissez une date à venir."}
            )
        consultation = WrittenConsultation.objects.create(
            call=call, proposed=proposed, message=message, answer_by=answer_by, opened_by=by
        )
        members = list(steering_members())
        ConsultationAnswer.objects.bulk_create(
            ConsultationAnswer(consultation=consultation, member=member) for member in members
        )
        call.status, call.consultation_answer_by = CallStatus.CONSULTATION, answer_by
        call.save(update_fields=["status", "consultation_answer_by"])
        notify(
            members,
            subject=f"Consultation écrite : {call.reference}",
            body=(
                f"Le PLIE vous consulte sur l'attribution de l'appel « {call.title} » "
                f"({call.reference}). Merci de donner votre avis dans l'application avant le "
                f"{formatting.day(answer_by)}.\n\n{message}"
            ),
            url=reverse("scoring:consultation_answer", args=[call.pk]),
        )
    return consultation


def answer_consultation(
    *, consultation: WrittenConsultation, member, answer: str, comment: str
) -> ConsultationAnswer:
    today = timezone.localdate()
    if consultation.closed_at is not None:
        raise ValidationError("La consultation est close : votre avis ne peut plus changer.")
    if today > consultation.answer_by:
        raise ValidationError(
            f"La réponse était attendue au plus tard le {formatting.day(consultation.answer_by)}"
            " : la consultation attend sa clôture par la coordinatrice."
        )
    with transaction.atomic():
        row = (
            ConsultationAnswer.objects.select_for_update()
            .filter(consultation=consultation, member=member)
            .first()
        )
        if row is None:
            raise ValidationError("Cette consultation ne vous est pas adressée.")
        row.answer, row.comment, row.answered_at = answer, comment, timezone.now()
        row.save()
    return row


def why_not_closable(consultation: WrittenConsultation) -> str:
    if consultation.closed_at is not None:
        return "La consultation est déjà close."
    unanswered = consultation.answers.filter(answer="").count()
    if unanswered and timezone.localdate() <= consultation.answer_by:
        return (
            f"{counted(unanswered, 'un membre')} sans réponse pour le moment : la consultation "
            "se clôt une fois tous les avis reçus, ou après le "
            f"{formatting.day(consultation.answer_by)}."
        )
    return ""


def close_consultation(*, consultation: WrittenConsultation) -> WrittenConsultation:
    problem = why_not_closable(consultation)
    if problem:
        raise ValidationError(problem)
    consultation.closed_at = timezone.now()
    consultation.save(update_fields=["closed_at"])
    return consultation


# The award -----------------------------------------------------------------------------------


def why_no_award(call: CallForProposals) -> str:
    if call.status != CallStatus.CONSULTATION:
        return f"L'appel est à l'état « {call.get_status_display()} » : rien à attribuer."
    consultation = consultation_of(call)
    if consultation is None or consultation.closed_at is None:
        return "Closez d'abord la consultation écrite du comité de pilotage."
    opinion = opinion_of(consultation)
    return "" if opinion.allows_award else opinion.explanation


def provider_users(proposal: Proposal):
    return User.objects.filter(
        organisation_id=proposal.provider_id, role=Role.PROVIDER, is_active=True
    )


# The schedule an award's agreement follows when the call names none: the one whose name
# starts with the procedure's (agreements' data migration 0002: seed 000's 30/30/40 for a
# service, 50/50 for a call for projects), else the first offered.
SCHEDULE_PREFIXES = {
    Procedure.SERVICE: "Consultation pour une prestation",
    Procedure.PROJECTS: "Appel à projets",
}


def schedule_for(call: CallForProposals) -> PaymentScheduleTemplate:
    if call.payment_schedule_id is not None:
        return call.payment_schedule
    offered = PaymentScheduleTemplate.objects.filter(is_active=True).order_by("order", "name")
    prefix = SCHEDULE_PREFIXES.get(Procedure(call.procedure), "")
    found = offered.filter(name__startswith=prefix).first() or offered.first()
    if found is None:
        raise ValidationError(
            "Aucun modèle d'échéancier n'est proposé : ajoutez-en un dans l'administration, "
            "puis attribuez l'appel."
        )
    return found


def agreement_start(today: datetime.date) -> datetime.date:
    """An awarded agreement starts on the first day of the next month; the team may say
    another date in the award form."""
    return (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def award(*, call: CallForProposals, by, starts_on: datetime.date | None = None) -> Proposal:
    """The proposal the committee validated is retained, the others are not; the retained one
    becomes an agreement in draft (agreements.services.create_agreement: the call's title,
    purpose, operation and payment schedule, the last offer's firm price, a one-year term
    from `starts_on`); each candidate's users get a notice with their letter."""
    with transaction.atomic():
        call = CallForProposals.objects.select_for_update().get(pk=call.pk)
        problem = why_no_award(call)
        if problem:
            raise ValidationError(problem)
        winner = call.consultation.proposed
        others = call.proposals.exclude(pk=winner.pk).exclude(status__in=NOT_RANKED)
        losers = list(others)
        others.update(status=ProposalStatus.NOT_RETAINED)
        winner.status = ProposalStatus.AWARDED
        winner.save(update_fields=["status"])
        call.status, call.awarded_at, call.awarded_by = CallStatus.AWARDED, timezone.now(), by
        call.save(update_fields=["status", "awarded_at", "awarded_by"])
        prices = [offer.price for offer in winner.offers.order_by("made_at", "pk")]
        winner.agreement = agreement_services.create_agreement(
            programme=call.programme,
            provider=winner.provider,
            title=call.title,
            purpose=call.purpose,
            amount=scoring.last_price(prices) or Decimal(0),
            starts_on=starts_on or agreement_start(timezone.localdate()),
            schedule_template=schedule_for(call),
            operation=call.operation,
            by=by,
        )
        winner.save(update_fields=["agreement"])
        for proposal in [winner, *losers]:
            retained = proposal.pk == winner.pk
            notify(
                provider_users(proposal),
                subject=f"Résultat de l'appel {call.reference}",
                body=(
                    f"L'appel « {call.title} » ({call.reference}) est attribué. "
                    + (
                        "Votre proposition est retenue : le PLIE vous proposera la convention."
                        if retained
                        else "Votre proposition n'est pas retenue."
                    )
                    + " La lettre de notification est disponible dans l'application."
                ),
                url=reverse("scoring:letter", args=[proposal.pk]),
            )
    return winner


def declare_unsuccessful(*, call: CallForProposals, by) -> CallForProposals:
    """« Sans suite »: when the committee did not validate the proposal."""
    with transaction.atomic():
        call = CallForProposals.objects.select_for_update().get(pk=call.pk)
        consultation = consultation_of(call)
        if call.status != CallStatus.CONSULTATION or consultation is None:
            raise ValidationError(
                "Seul un appel soumis au comité de pilotage se déclare sans suite."
            )
        if consultation.closed_at is None:
            raise ValidationError("Closez d'abord la consultation écrite du comité de pilotage.")
        if opinion_of(consultation).allows_award:
            raise ValidationError(
                "Le comité de pilotage a validé la proposition : attribuez l'appel."
            )
        call.status = CallStatus.UNSUCCESSFUL
        call.save(update_fields=["status"])
        call.proposals.exclude(status__in=NOT_RANKED).update(status=ProposalStatus.NOT_RETAINED)
    return call


# The letters ---------------------------------------------------------------------------------

RECOURSE = (
    "Vous pouvez former un recours gracieux auprès du PLIE dans un délai de deux mois à "
    "compter de la réception de la présente lettre, ou un recours contentieux devant le "
    "tribunal administratif territorialement compétent dans le même délai."
)


def letter_of(proposal: Proposal) -> dict | None:
    """What a candidate's notification letter says, once the call is decided (None before):
    retained, not retained with its total, its rank and the winner's total, or not ranked."""
    call = proposal.call
    if call.status not in (CallStatus.AWARDED, CallStatus.UNSUCCESSFUL):
        return None
    ranking = ranking_of(call)
    placed = ranking.of(proposal.pk)
    winner = (
        ranking.of(call.consultation.proposed_id) if call.status == CallStatus.AWARDED else None
    )
    return {
        "call": call,
        "proposal": proposal,
        "retained": proposal.status == ProposalStatus.AWARDED,
        "unsuccessful": call.status == CallStatus.UNSUCCESSFUL,
        "placed": placed,
        "count": len(ranking.placed),
        "winner": winner,
        "criteria": list(call.criteria.all()),
        "formula": ranking.formula,
        "excluded_reason": proposal.get_status_display() if proposal.status in NOT_RANKED else "",
        "recourse": RECOURSE,
    }
