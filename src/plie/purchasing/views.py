"""The coordination team's pages of calls for proposals: the list, a call prepared and
published, its documents, its deposits closed, and a proposal received by e-mail or post
keyed in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from plie.audit.journal import record_document
from plie.core import plurals
from plie.core.forms import apply_errors
from plie.core.submissions import AlreadySubmitted, once
from plie.core.uploads import serve
from plie.purchasing import services
from plie.purchasing.enums import CallStatus, Procedure
from plie.purchasing.forms import (
    CallDocumentForm,
    CallForm,
    CriterionFormSet,
    RecordProposalForm,
    RequiredContentFormSet,
)
from plie.purchasing.models import CallForProposals, Offer
from plie.purchasing.publication import closing_problem
from plie.purchasing.selectors import (
    calls_with_counts,
    flagged,
    get_call_document,
    get_call_for_team,
)
from plie.territory.models import Programme


@login_required
@permission_required("purchasing.view_calls", raise_exception=True)
def call_list(request):
    calls = list(calls_with_counts().order_by("-deadline", "-pk"))
    return render(
        request,
        "purchasing/call_list.html",
        {
            "drafts": [c for c in calls if c.status == CallStatus.DRAFT],
            "open_calls": [c for c in calls if c.status == CallStatus.OPEN],
            "others": [c for c in calls if c.status not in (CallStatus.DRAFT, CallStatus.OPEN)],
        },
    )


def _call_page(request, form, formsets, call=None):
    return render(
        request,
        "purchasing/call_form.html",
        {"form": form, "contents": formsets[0], "criteria": formsets[1], "call": call},
    )


def _save_call(request, form, formsets):
    """Save the call and its rows once everything is valid; the page again otherwise."""
    if not (form.is_valid() and all(formset.is_valid() for formset in formsets)):
        return None
    try:
        if form.creates:
            with once(form.token) as submission:
                call = services.save_call(call_form=form, formsets=formsets, by=request.user)
                submission.leads_to(reverse("purchasing:call_detail", args=[call.pk]))
        else:
            call = services.save_call(call_form=form, formsets=formsets, by=request.user)
    except AlreadySubmitted as sent:
        return sent.response(request)
    except ValidationError as error:
        apply_errors(form, error)
        return None
    messages.success(request, f"Appel {call.reference} enregistré.")
    return redirect("purchasing:call_detail", pk=call.pk)


@login_required
@permission_required("purchasing.manage_call", raise_exception=True)
def call_create(request):
    programme = Programme.current()
    data = request.POST if request.method == "POST" else None
    form = CallForm(data, programme=programme, instance=CallForProposals(programme=programme))
    formsets = (
        RequiredContentFormSet(data, instance=form.instance, prefix="contents"),
        CriterionFormSet(data, instance=form.instance, prefix="criteria"),
    )
    if request.method == "POST":
        if (sent := form.already_sent()) is not None:
            return sent.response(request)
        if (done := _save_call(request, form, formsets)) is not None:
            return done
    return _call_page(request, form, formsets)


@login_required
@permission_required("purchasing.manage_call", raise_exception=True)
def call_edit(request, pk: int):
    call = get_call_for_team(pk)
    if call.status != CallStatus.DRAFT:
        messages.error(
            request,
            "Cet appel est publié : ses textes et ses critères ne changent plus (les candidats "
            "ont répondu à ce qui était écrit).",
        )
        return redirect("purchasing:call_detail", pk=call.pk)
    data = request.POST if request.method == "POST" else None
    form = CallForm(data, programme=call.programme, instance=call)
    formsets = (
        RequiredContentFormSet(data, instance=call, prefix="contents"),
        CriterionFormSet(data, instance=call, prefix="criteria"),
    )
    if request.method == "POST" and (done := _save_call(request, form, formsets)) is not None:
        return done
    return _call_page(request, form, formsets, call)


@login_required
@permission_required("purchasing.view_calls", raise_exception=True)
def call_detail(request, pk: int):
    call = (
        CallForProposals.objects.select_related("created_by", "operation", "payment_schedule")
        .prefetch_related("required_contents", "criteria", "documents__document")
        .filter(pk=pk)
        .first()
    )
    if call is None:
        raise Http404("Aucun appel de ce numéro.")
    # The call's required contents are read once, not once per proposal (selectors.flagged).
    proposals = flagged(
        call.proposals.select_related("provider").prefetch_related(
            "documents__document",
            Prefetch("offers", queryset=Offer.objects.order_by("made_at", "pk")),
        ),
        call,
    )
    now = timezone.now()
    can_manage = request.user.has_perm("purchasing.manage_call")
    return render(
        request,
        "purchasing/call_detail.html",
        {
            "call": call,
            "proposals": proposals,
            "can_manage": can_manage,
            "can_rank": request.user.has_perm("purchasing.view_ranking"),
            "is_draft": call.status == CallStatus.DRAFT,
            "needs_price": call.procedure == Procedure.SERVICE,
            "can_close": can_manage
            and not closing_problem(status=call.status, deadline=call.deadline, now=now),
            "can_record": request.user.has_perm("purchasing.record_proposal")
            and call.status in (CallStatus.OPEN, CallStatus.INSTRUCTION),
            "document_form": CallDocumentForm(),
            "weights": sum(c.weight for c in call.criteria.all()),
        },
    )


@login_required
@permission_required("purchasing.manage_call", raise_exception=True)
@require_POST
def call_document_add(request, pk: int):
    call = get_call_for_team(pk)
    form = CallDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = services.add_call_document(
                call=call,
                title=form.cleaned_data["title"],
                uploaded=form.cleaned_data["file"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Document « {document.title} » ajouté à l'appel.")
    else:
        problems = " ".join(
            f"{form.fields[name].label} : {message}" if name in form.fields else message
            for name, errors in form.errors.items()
            for message in errors
        )
        messages.error(request, f"Le document n'a pas été ajouté. {problems}")
    return redirect("purchasing:call_detail", pk=call.pk)


@login_required
@permission_required("purchasing.manage_call", raise_exception=True)
@require_POST
def call_document_remove(request, pk: int, document_pk: int):
    document = get_call_document(pk, document_pk, published_only=False)
    try:
        services.remove_call_document(document=document)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Document « {document.title} » retiré de l'appel.")
    return redirect("purchasing:call_detail", pk=pk)


@login_required
@permission_required("purchasing.view_calls", raise_exception=True)
def call_document(request, pk: int, document_pk: int):
    """A call's document, drafts' included, for the team (journaled)."""
    document = get_call_document(pk, document_pk, published_only=False)
    record_document(
        user=request.user, about=document, document=f"document de l'appel : {document.title}"
    )
    return serve(document.document)


@login_required
@permission_required("purchasing.manage_call", raise_exception=True)
@require_POST
def call_publish(request, pk: int):
    call = get_call_for_team(pk)
    try:
        services.publish(call=call)
    except ValidationError as error:
        messages.error(request, "L'appel n'est pas publié. " + " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Appel {call.reference} publié : il figure sur la page publique des appels "
            "ouverts et sur l'espace des prestataires.",
        )
    return redirect("purchasing:call_detail", pk=call.pk)


@login_required
@permission_required("purchasing.manage_call", raise_exception=True)
@require_POST
def call_close(request, pk: int):
    call = get_call_for_team(pk)
    try:
        services.close_deposits(call=call)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Dépôts clos : l'appel {call.reference} passe en instruction.")
    return redirect("purchasing:call_detail", pk=call.pk)


@login_required
@permission_required("purchasing.record_proposal", raise_exception=True)
def proposal_record(request, pk: int):
    """A proposal received by e-mail or post, keyed in with the time it arrived."""
    call = get_call_for_team(pk)
    if call.status not in (CallStatus.OPEN, CallStatus.INSTRUCTION):
        messages.error(
            request,
            "Cet appel n'attend pas de proposition (il est "
            f"« {call.get_status_display().lower()} ») : publiez-le d'abord.",
        )
        return redirect("purchasing:call_detail", pk=call.pk)
    form = RecordProposalForm(request.POST or None, request.FILES or None, call=call)
    if request.method == "POST":
        if (sent := form.already_sent()) is not None:
            return sent.response(request)
        if form.is_valid():
            try:
                with once(form.token) as submission:
                    proposal = services.deposit(
                        call=call,
                        provider=form.provider_to_use(),
                        received_at=form.cleaned_data["received_at"],
                        channel=form.cleaned_data["channel"],
                        by=request.user,
                        price=form.cleaned_data["price"],
                        documents=form.documents(),
                        summary=form.cleaned_data["summary"],
                    )
                    submission.leads_to(reverse("purchasing:proposal_detail", args=[proposal.pk]))
            except AlreadySubmitted as sent:
                return sent.response(request)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Proposition {plurals.of(proposal.provider)} enregistrée : accusé de dépôt "
                    f"n° {proposal.receipt_number}.",
                )
                return redirect("purchasing:proposal_detail", pk=proposal.pk)
    return render(request, "purchasing/proposal_record.html", {"call": call, "form": form})
