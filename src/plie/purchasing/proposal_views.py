"""A proposal's page, its deposit receipt and its documents: for the coordination team, and
for the provider whose proposal it is (never another provider: a 404). Every document that
leaves is journaled."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from plie.audit.journal import record_document
from plie.core.pdf import pdf_response
from plie.core.uploads import serve
from plie.purchasing.enums import ProposalStatus
from plie.purchasing.flags import flags_for
from plie.purchasing.receipts import receipt_filename, receipt_pdf
from plie.purchasing.selectors import get_proposal_for_user


@login_required
def proposal_detail(request, pk: int):
    proposal = get_proposal_for_user(request.user, pk)
    return render(
        request,
        "purchasing/proposal_detail.html",
        {
            "proposal": proposal,
            "call": proposal.call,
            "flags": flags_for(proposal),
            "offers": list(proposal.offers.all()),
            "documents": list(proposal.documents.all()),
            "refused": proposal.status == ProposalStatus.REFUSED_LATE,
            "is_team": request.user.has_perm("purchasing.view_calls"),
        },
    )


@login_required
def proposal_receipt(request, pk: int):
    """The deposit receipt, drawn from the rows (receipts.py)."""
    proposal = get_proposal_for_user(request.user, pk)
    record_document(
        user=request.user,
        about=proposal,
        document=f"attestation de dépôt n° {proposal.receipt_number}",
    )
    return pdf_response(receipt_pdf(proposal), receipt_filename(proposal))


@login_required
def proposal_document(request, pk: int, document_pk: int):
    proposal = get_proposal_for_user(request.user, pk)
    document = next((d for d in proposal.documents.all() if d.pk == document_pk), None)
    if document is None:
        raise Http404("Aucun document de ce numéro dans cette proposition.")
    label = document.required_content.label if document.required_content else "document"
    record_document(
        user=request.user,
        about=proposal,
        document=f"document de la proposition n° {proposal.receipt_number} : {label}",
    )
    return serve(document.document)
