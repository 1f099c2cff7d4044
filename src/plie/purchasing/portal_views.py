"""The providers' portal, first part: the open calls, the deposit of its organisation's
proposal until the deadline (its receipt at once), and its own proposals followed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from plie.core.forms import apply_errors
from plie.core.submissions import AlreadySubmitted, once
from plie.purchasing import services
from plie.purchasing.enums import Channel
from plie.purchasing.forms import DepositForm
from plie.purchasing.models import CallForProposals
from plie.purchasing.selectors import (
    flagged,
    get_published_call,
    proposals_for_user,
    with_flag_data,
)


@login_required
@permission_required("purchasing.submit_proposal", raise_exception=True)
def portal(request):
    mine = flagged(with_flag_data(proposals_for_user(request.user)).order_by("-received_at"))
    answered = {proposal.call_id: proposal for proposal in mine}
    calls = list(CallForProposals.objects.open().order_by("deadline", "pk"))
    now = timezone.now()
    for call in calls:
        call.my_proposal = answered.get(call.pk)
        call.accepting = services.portal_is_open(call, now)
    return render(request, "purchasing/portal.html", {"calls": calls, "proposals": mine})


@login_required
@permission_required("purchasing.submit_proposal", raise_exception=True)
def portal_deposit(request, pk: int):
    call = get_published_call(pk)
    mine = proposals_for_user(request.user).filter(call=call).first()
    if mine is not None:
        messages.info(
            request,
            f"Votre structure a déjà déposé sa proposition à cet appel (accusé de dépôt "
            f"n° {mine.receipt_number}).",
        )
        return redirect("purchasing:proposal_detail", pk=mine.pk)
    if not services.portal_is_open(call, timezone.now()):
        messages.error(
            request,
            "Les dépôts de cet appel sont clos : la date limite est passée. Pour toute "
            "question, écrivez à la coordination du PLIE.",
        )
        return redirect("purchasing:portal")
    form = DepositForm(request.POST or None, request.FILES or None, call=call)
    if request.method == "POST":
        if (sent := form.already_sent()) is not None:
            return sent.response(request)
        if form.is_valid():
            try:
                with once(form.token) as submission:
                    proposal = services.deposit(
                        call=call,
                        provider=request.user.organisation,
                        received_at=timezone.now(),
                        channel=Channel.PORTAL,
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
                    f"Votre proposition est déposée : accusé de dépôt n° "
                    f"{proposal.receipt_number}. Téléchargez votre attestation ci-dessous.",
                )
                return redirect("purchasing:proposal_detail", pk=proposal.pk)
    return render(request, "purchasing/portal_deposit.html", {"call": call, "form": form})
