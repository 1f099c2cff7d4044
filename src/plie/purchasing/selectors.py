"""What a user may read of calls and proposals, and the one accessor per object that the
views use: each 404s on what its reader may not see (a provider is never told that another
provider's proposal exists)."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from plie.accounts.enums import COORDINATION_TEAM, Role
from plie.purchasing.enums import CallStatus
from plie.purchasing.flags import flags_for
from plie.purchasing.models import CallDocument, CallForProposals, Offer, Proposal


def proposals_for_user(user) -> QuerySet[Proposal]:
    """The team reads every proposal; a provider its organisation's; anyone else none."""
    proposals = Proposal.objects.select_related("call", "provider")
    if not (user.is_authenticated and user.is_active):
        return proposals.none()
    if user.role in COORDINATION_TEAM:
        return proposals
    if user.role == Role.PROVIDER and user.organisation_id is not None:
        return proposals.filter(provider_id=user.organisation_id)
    return proposals.none()


def with_flag_data(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """What flags_for reads, in three queries whatever the number of proposals."""
    return proposals.prefetch_related(
        "documents__document",
        Prefetch("offers", queryset=Offer.objects.order_by("made_at", "pk")),
        "call__required_contents",
    )


def get_proposal_for_user(user, pk: int) -> Proposal:
    """The proposal, with what its page and receipt read, or 404."""
    proposal = (
        with_flag_data(proposals_for_user(user))
        .select_related("call__programme", "submitted_by")
        .filter(pk=pk)
        .first()
    )
    if proposal is None or not user.has_perm("purchasing.read_proposal", proposal):
        raise Http404("Aucune proposition de ce numéro ne vous est accessible.")
    return proposal


def get_call_for_team(pk: int) -> CallForProposals:
    call = CallForProposals.objects.select_related("created_by").filter(pk=pk).first()
    if call is None:
        raise Http404("Aucun appel de ce numéro.")
    return call


def get_published_call(pk: int) -> CallForProposals:
    """A call anyone may read: published (a draft is a 404)."""
    call = (
        CallForProposals.objects.published()
        .prefetch_related("documents__document", "required_contents", "criteria")
        .filter(pk=pk)
        .first()
    )
    if call is None:
        raise Http404("Aucun appel publié de ce numéro.")
    return call


def get_call_document(call_pk: int, pk: int, *, published_only: bool) -> CallDocument:
    documents = CallDocument.objects.select_related("call", "document").filter(
        call_id=call_pk, pk=pk
    )
    if published_only:
        documents = documents.exclude(call__status=CallStatus.DRAFT)
    document = documents.first()
    if document is None:
        raise Http404("Aucun document de ce numéro pour cet appel.")
    return document


def calls_with_counts() -> QuerySet[CallForProposals]:
    return CallForProposals.objects.annotate(proposal_count=Count("proposals"))


def flagged(proposals, call: CallForProposals | None = None) -> list[Proposal]:
    """The proposals, each with its flags (`proposal.flags`); `call` the one they all answer,
    its required contents prefetched, so that each does not read its own."""
    found = []
    for proposal in proposals:
        if call is not None:
            proposal.call = call
        proposal.flags = flags_for(proposal)
        found.append(proposal)
    return found
