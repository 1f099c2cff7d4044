"""The steering committee's written consultation (seed 001) and the award: the coordinator
opens and closes it, each member answers in the application, then the award or « sans
suite ». A member reads the call's summary and the ranking as totals by criterion, never an
evaluator's points, name or comment."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from plie.core.forms import apply_errors
from plie.core.submissions import AlreadySubmitted, once
from plie.purchasing import decision
from plie.purchasing.models import ConsultationAnswer
from plie.purchasing.scoring_forms import AnswerForm, AwardForm, ConsultationForm
from plie.purchasing.scoring_views import get_call


@login_required
@permission_required("purchasing.open_consultation", raise_exception=True)
def consultation_open(request, pk: int):
    call = get_call(pk)
    proposals = decision.proposals_of(call)
    ranking = decision.ranking_of(call, proposals)
    problem = decision.why_no_consultation(call, ranking)
    form = ConsultationForm(request.POST or None, ranking=ranking, proposals=proposals)
    if request.method == "POST":
        if (sent := form.already_sent()) is not None:
            return sent.response(request)
        if problem:
            messages.error(request, problem)
            return redirect("scoring:ranking", pk=call.pk)
        if form.is_valid():
            try:
                with once(form.token) as submission:
                    decision.open_consultation(
                        call=call,
                        proposed=form.cleaned_data["proposed"],
                        message=form.cleaned_data["message"],
                        answer_by=form.cleaned_data["answer_by"],
                        by=request.user,
                    )
                    submission.leads_to(reverse("scoring:ranking", args=[call.pk]))
            except AlreadySubmitted as sent:
                return sent.response(request)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request, "Consultation ouverte : chaque membre du comité en est avisé."
                )
                return redirect("scoring:ranking", pk=call.pk)
    return render(
        request,
        "purchasing/consultation_open.html",
        {"call": call, "ranking": ranking, "form": form, "problem": problem},
    )


@login_required
@permission_required("purchasing.answer_consultation", raise_exception=True)
def consultation_answer(request, pk: int):
    """A member's page: the call, the ranking as totals, and their answer until the date."""
    call = get_call(pk)
    consultation = decision.consultation_of(call)
    row = (
        ConsultationAnswer.objects.filter(consultation=consultation, member=request.user).first()
        if consultation
        else None
    )
    form = AnswerForm(
        request.POST or None,
        initial={"answer": row.answer, "comment": row.comment} if row else None,
    )
    if request.method == "POST":
        if row is None:
            messages.error(request, "Cet appel ne vous est pas soumis : rien à répondre.")
            return redirect("scoring:consultation_answer", pk=call.pk)
        if form.is_valid():
            try:
                decision.answer_consultation(
                    consultation=consultation, member=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, "Votre avis est enregistré. Merci.")
                return redirect("scoring:consultation_answer", pk=call.pk)
    ranking = decision.ranking_of(call) if row else None
    return render(
        request,
        "purchasing/consultation_answer.html",
        {
            "call": call,
            "consultation": consultation if row else None,
            "row": row,
            "ranking": ranking,
            "criteria": list(call.criteria.all()) if row else [],
            "form": form,
            "open": bool(
                row
                and consultation.closed_at is None
                and timezone.localdate() <= consultation.answer_by
            ),
        },
    )


@login_required
@permission_required("purchasing.open_consultation", raise_exception=True)
@require_POST
def consultation_close(request, pk: int):
    call = get_call(pk)
    consultation = decision.consultation_of(call)
    if consultation is None:
        messages.error(request, "Aucune consultation écrite n'est ouverte sur cet appel.")
        return redirect("scoring:ranking", pk=call.pk)
    try:
        decision.close_consultation(consultation=consultation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, decision.opinion_of(consultation).explanation)
    return redirect("scoring:ranking", pk=call.pk)


@login_required
@permission_required("purchasing.award", raise_exception=True)
@require_POST
def award(request, pk: int):
    call = get_call(pk)
    form = AwardForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
        return redirect("scoring:ranking", pk=call.pk)
    try:
        winner = decision.award(
            call=call, by=request.user, starts_on=form.cleaned_data["starts_on"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Appel attribué à {winner.provider} ; chaque candidat est avisé et peut "
            f"télécharger sa lettre. La convention {winner.agreement.reference} est créée, "
            "à signer.",
        )
    return redirect("scoring:ranking", pk=call.pk)


@login_required
@permission_required("purchasing.award", raise_exception=True)
@require_POST
def unsuccessful(request, pk: int):
    call = get_call(pk)
    if request.POST.get("confirm") != "on":
        messages.error(request, "Cochez « Je confirme : appel sans suite », puis envoyez.")
        return redirect("scoring:ranking", pk=call.pk)
    try:
        decision.declare_unsuccessful(call=call, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "L'appel est déclaré sans suite.")
    return redirect("scoring:ranking", pk=call.pk)
