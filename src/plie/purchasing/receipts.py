"""The deposit receipt (« attestation de dépôt », seed 001: « La réception donnera lieu à une
attestation de dépôt produite par la structure d'animation du PLIE »): a PDF that says when
the proposal arrived, to the second, Paris time, its number, the call, the candidate, how it
came, each document with its name, size and SHA-256 fingerprint, and its flags at deposit.

It is drawn again from the rows at each download: nothing in it changes after the deposit
(the flags are those of the offer deposited, not of a later revision)."""

from django.utils import timezone

from plie.core.pdf import render_pdf
from plie.purchasing.enums import OfferKind
from plie.purchasing.flags import flags_for
from plie.purchasing.models import Proposal


def receipt_context(proposal: Proposal) -> dict:
    return {
        "proposal": proposal,
        "call": proposal.call,
        "received_at": timezone.localtime(proposal.received_at),
        "documents": list(proposal.documents.all()),
        "initial_offer": next(
            (offer for offer in proposal.offers.all() if offer.kind == OfferKind.INITIAL), None
        ),
        "flags": flags_for(proposal, at_deposit=True),
    }


def receipt_pdf(proposal: Proposal) -> bytes:
    return render_pdf(
        "purchasing/receipt_pdf.html",
        receipt_context(proposal),
        programme=proposal.call.programme,
    )


def receipt_filename(proposal: Proposal) -> str:
    return f"attestation-de-depot-{proposal.receipt_number}.pdf"
