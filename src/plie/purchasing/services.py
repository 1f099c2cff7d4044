"""The writes of calls and proposals, one transaction each: a draft call saved with its
required contents and criteria, published, its deposits closed; a proposal deposited by its
provider in the portal or keyed in by the team, with its documents, its first offer, its
receipt number and the notices that follow."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from plie.accounts.enums import COORDINATION_TEAM, Role
from plie.accounts.models import Organisation, User
from plie.core import formatting
from plie.core.notices import notify
from plie.core.uploads import store
from plie.purchasing.enums import CallStatus, Channel, OfferKind, ProposalFlag, ProposalStatus
from plie.purchasing.flags import Flag, closing_moment, flags_for
from plie.purchasing.models import (
    CallDocument,
    CallForProposals,
    Offer,
    Proposal,
    ProposalDocument,
    RequiredContent,
)
from plie.purchasing.publication import CriterionWeight, closing_problem, publication_problems


def _refuse_unless_draft(call: CallForProposals) -> None:
    if call.status != CallStatus.DRAFT:
        raise ValidationError(
            "Cet appel est publié : ses textes, ses critères et ses documents ne changent plus "
            "(les candidats ont répondu à ce qui était écrit)."
        )


@transaction.atomic
def save_call(*, call_form, formsets: Sequence, by: User) -> CallForProposals:
    """The call and its inline rows (required contents, criteria), saved together while the
    call is a draft."""
    call = call_form.instance
    if call.pk is not None:
        _refuse_unless_draft(CallForProposals.objects.select_for_update().get(pk=call.pk))
    else:
        call.created_by = by
    call = call_form.save()
    # Deletions first: a criterion ticked as the price may replace one removed.
    for formset in formsets:
        formset.instance = call
        for form in formset.deleted_forms:
            if form.instance.pk is not None:
                form.instance.delete()
    for formset in formsets:
        for form in formset.forms:
            if form in formset.deleted_forms or not form.has_changed():
                continue
            row = form.save(commit=False)
            row.call = call
            row.save()
    return call


@transaction.atomic
def add_call_document(*, call: CallForProposals, title: str, uploaded, by: User) -> CallDocument:
    call = CallForProposals.objects.select_for_update().get(pk=call.pk)
    _refuse_unless_draft(call)
    order = call.documents.count()
    return CallDocument.objects.create(
        call=call, title=title, document=store(uploaded, user=by), order=order
    )


@transaction.atomic
def remove_call_document(*, document: CallDocument) -> None:
    _refuse_unless_draft(CallForProposals.objects.select_for_update().get(pk=document.call_id))
    document.delete()


@transaction.atomic
def publish(*, call: CallForProposals, now: datetime.datetime | None = None) -> CallForProposals:
    """Open the call to answers, once publication_problems finds nothing in the way."""
    now = now or timezone.now()
    call = CallForProposals.objects.select_for_update().get(pk=call.pk)
    problems = publication_problems(
        status=call.status,
        procedure=call.procedure,
        deadline=call.deadline,
        now=now,
        criteria=[CriterionWeight(c.label, c.weight, c.is_price) for c in call.criteria.all()],
        required_contents=call.required_contents.count(),
    )
    if problems:
        raise ValidationError(problems)
    call.status, call.published_at = CallStatus.OPEN, now
    call.save(update_fields=["status", "published_at"])
    return call


@transaction.atomic
def close_deposits(
    *, call: CallForProposals, now: datetime.datetime | None = None
) -> CallForProposals:
    """The deadline has passed: the call goes to instruction by the coordination team."""
    call = CallForProposals.objects.select_for_update().get(pk=call.pk)
    problem = closing_problem(status=call.status, deadline=call.deadline, now=now or timezone.now())
    if problem:
        raise ValidationError(problem)
    call.status = CallStatus.INSTRUCTION
    call.save(update_fields=["status"])
    return call


def portal_is_open(call: CallForProposals, now: datetime.datetime | None = None) -> bool:
    """A provider deposits in the portal while the call is open — and, when the call refuses
    late proposals, until the deadline's minute is over (flags.closing_moment)."""
    if call.status != CallStatus.OPEN:
        return False
    return not call.late_proposals_refused or (now or timezone.now()) < closing_moment(
        call.deadline
    )


def _receipt_number(call: CallForProposals) -> str:
    """The call's reference and the deposit's rank: AAP-2027-01-003."""
    rank = call.proposals.count() + 1
    number = f"{call.reference}-{rank:03d}"
    while Proposal.objects.filter(receipt_number=number).exists():
        rank += 1
        number = f"{call.reference}-{rank:03d}"
    return number


def _flag_text(flags: list[Flag]) -> str:
    if not flags:
        return "Aucune réserve : la proposition est arrivée à temps, complète et dans le budget."
    return "\n".join(f"- {flag.label} : {flag.reason}" for flag in flags)


@transaction.atomic
def deposit(
    *,
    call: CallForProposals,
    provider: Organisation,
    received_at: datetime.datetime,
    channel: str,
    by: User,
    price: Decimal,
    documents: Sequence[tuple[RequiredContent | None, object]],
    summary: str = "",
) -> Proposal:
    """A proposal received: in the portal (now, while the portal is open) or keyed in by the
    team (at the time of the e-mail or letter, while the call is open or in instruction). A
    late one, when the call refuses late proposals, is kept with the state « refusée » and its
    reason. The provider's users get their deposit receipt, the team a notice."""
    call = CallForProposals.objects.select_for_update().get(pk=call.pk)
    if provider.pk is None:  # a new candidate, named by the team keying in its proposal
        provider.save()
    if channel == Channel.PORTAL:
        if not portal_is_open(call, received_at):
            raise ValidationError(
                f"Les dépôts de cet appel sont clos depuis le "
                f"{formatting.moment(timezone.localtime(call.deadline))} : la date limite est "
                "passée. Pour toute question, écrivez à la coordination du PLIE."
            )
    elif call.status not in (CallStatus.OPEN, CallStatus.INSTRUCTION):
        raise ValidationError(
            "Cet appel n'attend plus de proposition (il est "
            f"« {call.get_status_display().lower()} ») : rien n'a été enregistré."
        )
    if call.proposals.filter(provider=provider).exists():
        raise ValidationError(
            f"{provider} a déjà une proposition pour cet appel : ouvrez-la plutôt que d'en "
            "déposer une seconde."
        )
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                call=call,
                provider=provider,
                received_at=received_at,
                channel=channel,
                submitted_by=by,
                receipt_number=_receipt_number(call),
                summary=summary,
            )
    except IntegrityError:
        raise ValidationError(
            f"{provider} a déjà une proposition pour cet appel : ouvrez-la plutôt que d'en "
            "déposer une seconde."
        ) from None
    ProposalDocument.objects.bulk_create(
        ProposalDocument(
            proposal=proposal, required_content=content, document=store(uploaded, user=by)
        )
        for content, uploaded in documents
    )
    Offer.objects.create(
        proposal=proposal, kind=OfferKind.INITIAL, made_at=received_at, price=price, recorded_by=by
    )
    flags = flags_for(
        Proposal.objects.prefetch_related("documents", "offers", "call__required_contents").get(
            pk=proposal.pk
        ),
        at_deposit=True,
    )
    if call.late_proposals_refused and any(flag.kind == ProposalFlag.LATE for flag in flags):
        proposal.status = ProposalStatus.REFUSED_LATE
        proposal.save(update_fields=["status"])
    _notify_deposit(proposal, flags)
    return proposal


def _notify_deposit(proposal: Proposal, flags: list[Flag]) -> None:
    url = reverse("purchasing:proposal_detail", args=[proposal.pk])
    call = proposal.call
    when = formatting.moment(timezone.localtime(proposal.received_at))
    refused = proposal.status == ProposalStatus.REFUSED_LATE
    outcome = (
        "Elle est arrivée après la date limite : l'appel refuse les propositions en retard, "
        "elle ne sera pas examinée."
        if refused
        else "Elle sera examinée par la coordination du PLIE."
    )
    notify(
        User.objects.filter(organisation=proposal.provider, role=Role.PROVIDER),
        subject=f"Accusé de dépôt : {call.title}",
        body=(
            f"Votre proposition à l'appel {call.reference} « {call.title} » a été reçue le "
            f"{when} (accusé de dépôt n° {proposal.receipt_number}). {outcome}\n\n"
            f"{_flag_text(flags)}\n\nL'attestation de dépôt se télécharge depuis la page de "
            "la proposition."
        ),
        url=url,
    )
    notify(
        User.objects.filter(role__in=COORDINATION_TEAM).exclude(pk=proposal.submitted_by_id),
        subject=f"Proposition reçue : {call.reference}",
        body=(
            f"{proposal.provider} a répondu à l'appel {call.reference} « {call.title} » le "
            f"{when} ({proposal.get_channel_display().lower()}).\n\n{_flag_text(flags)}"
        ),
        url=url,
    )
