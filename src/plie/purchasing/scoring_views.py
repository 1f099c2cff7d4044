"""Pages of the judgement: the ranking of a call, an evaluator's scoring of a proposal (after
the declaration of interests), the hearing and negotiated offers, and the notification
letters. Thin: the rules are in scoring.py, the writes in decision.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from plie.audit.journal import record_document
from plie.core import plurals
from plie.core.forms import apply_errors
from plie.core.pdf import pdf_response, render_pdf
from plie.core.submissions import AlreadySubmitted, once
from plie.purchasing import decision
from plie.purchasing.enums import CallStatus, InterestDeclaration
from plie.purchasing.models import CallForProposals, Evaluation, Proposal
from plie.purchasing.scoring_forms import (
    DeclarationForm,
    OfferForm,
    ScoresForm,
)


def get_call(pk: int) -> CallForProposals:
    """A published call (a draft has nothing to judge), or 404."""
    return get_object_or_404(
        CallForProposals.objects.exclude(status=CallStatus.DRAFT).select_related("programme"),
        pk=pk,
    )


def get_proposal(pk: int) -> Proposal:
    return get_object_or_404(
        Proposal.objects.exclude(call__status=CallStatus.DRAFT).select_related(
            "call__programme", "provider"
        ),
        pk=pk,
    )


@login_required
@permission_required("purchasing.view_ranking", raise_exception=True)
def ranking(request, pk: int):
    call = get_call(pk)
    proposals = decision.proposals_of(call)
    result = decision.ranking_of(call, proposals)
    consultation = decision.consultation_of(call)
    answers = list(consultation.answers.select_related("member")) if consultation else []
    return render(
        request,
        "purchasing/scoring_ranking.html",
        {
            "call": call,
            "ranking": result,
            "criteria": list(call.criteria.all()),
            "evaluators": decision.evaluators_of(proposals),
            "consultation": consultation,
            "answers": answers,
            "opinion": decision.opinion_of(consultation) if consultation else None,
            "why_no_consultation": decision.why_no_consultation(call, result),
            "why_not_closable": decision.why_not_closable(consultation) if consultation else "",
            "why_no_award": decision.why_no_award(call),
            "can_decide": request.user.has_perm("purchasing.open_consultation"),
            "can_award": request.user.has_perm("purchasing.award"),
            "can_score": request.user.has_perm("purchasing.score_proposal"),
            "decided": call.status in (CallStatus.AWARDED, CallStatus.UNSUCCESSFUL),
            "proposals": proposals,
            "agreement_start": decision.agreement_start(timezone.localdate()),
            "awarded_agreement": next(
                (p.agreement for p in proposals if p.agreement_id is not None), None
            ),
        },
    )


@login_required
@permission_required("purchasing.score_proposal", raise_exception=True)
def scoring(request, pk: int):
    """The declaration first; then one mark and one comment per criterion but the price."""
    proposal = get_proposal(pk)
    evaluation = Evaluation.objects.filter(proposal=proposal, evaluator=request.user).first()
    problem = decision.why_not_scorable(proposal, timezone.now())
    criteria = list(proposal.call.criteria.all())
    declared = evaluation is not None and evaluation.no_conflict_declared_at is not None
    form = ScoresForm(
        request.POST if request.method == "POST" and declared else None,
        criteria=criteria,
        evaluation=evaluation,
    )
    if request.method == "POST":
        if problem or not declared:
            messages.error(request, problem or "Déclarez d'abord n'avoir aucun conflit d'intérêts.")
            return redirect("scoring:scoring", pk=proposal.pk)
        if form.is_valid():
            try:
                decision.record_scores(evaluation=evaluation, scores=form.scores())
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, f"Notes {plurals.of(proposal.provider)} enregistrées.")
                return redirect("scoring:ranking", pk=proposal.call_id)
    return render(
        request,
        "purchasing/scoring_proposal.html",
        {
            "proposal": proposal,
            "call": proposal.call,
            "evaluation": evaluation,
            "declared": declared,
            "problem": problem,
            "form": form,
            "declaration_form": DeclarationForm(),
            "offers": list(proposal.offers.select_related("recorded_by")),
        },
    )


@login_required
@permission_required("purchasing.score_proposal", raise_exception=True)
@require_POST
def declare(request, pk: int):
    proposal = get_proposal(pk)
    form = DeclarationForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("declaration", [])))
        return redirect("scoring:scoring", pk=proposal.pk)
    conflict = form.cleaned_data["declaration"] == InterestDeclaration.CONFLICT
    try:
        decision.declare_interests(proposal=proposal, evaluator=request.user, conflict=conflict)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("scoring:scoring", pk=proposal.pk)
    if conflict:
        messages.info(
            request,
            f"Conflit d'intérêts déclaré : la proposition {plurals.of(proposal.provider)} sera notée "
            "sans vous.",
        )
        return redirect("scoring:ranking", pk=proposal.call_id)
    messages.success(request, "Déclaration enregistrée : vous pouvez noter la proposition.")
    return redirect("scoring:scoring", pk=proposal.pk)


@login_required
@permission_required("purchasing.record_offer", raise_exception=True)
def offers(request, pk: int):
    """The offers' history, and the form to add the hearing or a negotiated revision."""
    proposal = get_proposal(pk)
    form = OfferForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            with once(form.token) as submission:
                decision.record_offer(proposal=proposal, by=request.user, **form.cleaned_data)
                submission.leads_to(reverse("scoring:offers", args=[proposal.pk]))
        except AlreadySubmitted as sent:
            return sent.response(request)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Offre notée ; le classement tient compte du dernier prix.")
            return redirect("scoring:offers", pk=proposal.pk)
    return render(
        request,
        "purchasing/scoring_offers.html",
        {
            "proposal": proposal,
            "call": proposal.call,
            "offers": list(proposal.offers.select_related("recorded_by", "document")),
            "form": form,
            "frozen": proposal.call.status in decision.FROZEN,
        },
    )


@login_required
def letter(request, pk: int):
    """A candidate's notification letter: the team's, and the candidate's own only."""
    proposal = get_proposal(pk)
    if not request.user.has_perm("purchasing.view_letter", proposal):
        raise Http404("Aucune lettre à cette adresse.")
    context = decision.letter_of(proposal)
    if context is None:
        messages.info(
            request,
            "La lettre de notification s'édite une fois l'appel attribué ou déclaré sans suite.",
        )
        if request.user.has_perm("purchasing.view_ranking"):
            return redirect("scoring:ranking", pk=proposal.call_id)
        return redirect("web:home")
    record_document(user=request.user, about=proposal, document="lettre de notification")
    content = render_pdf(
        "purchasing/letters_notification.html", context, programme=proposal.call.programme
    )
    return pdf_response(content, f"notification-{proposal.call.reference}-{proposal.pk}.pdf")
