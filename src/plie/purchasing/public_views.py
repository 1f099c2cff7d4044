"""The public page of the calls (no account needed): the open calls with what a candidate
must know — procedure, purpose, deadline, cap, required contents, weighted criteria — and
their documents. A draft is a 404, and so are its documents."""

from django.shortcuts import render
from django.utils import timezone

from plie.core.uploads import serve
from plie.purchasing.enums import CallStatus
from plie.purchasing.models import CallForProposals
from plie.purchasing.selectors import get_call_document, get_published_call
from plie.purchasing.services import portal_is_open


def public_calls(request):
    calls = list(
        CallForProposals.objects.open()
        .prefetch_related("documents__document", "required_contents", "criteria")
        .order_by("deadline", "pk")
    )
    return render(request, "purchasing/public_calls.html", {"calls": calls})


def public_call(request, pk: int):
    call = get_published_call(pk)
    awarded = None
    if call.status == CallStatus.AWARDED:
        # The award is public (the notice of a public purchase); its proposal's contents are not.
        awarded = call.proposals.filter(agreement__isnull=False).select_related("provider").first()
    return render(
        request,
        "purchasing/public_call.html",
        {"call": call, "accepting": portal_is_open(call, timezone.now()), "awarded": awarded},
    )


def public_document(request, pk: int, document_pk: int):
    """A published call's document: public, as the call itself (nothing personal in it)."""
    return serve(get_call_document(pk, document_pk, published_only=True).document)
