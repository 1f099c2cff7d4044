"""Writing agreements, amendments, deliverables and payments: each service is one
transaction, takes keyword arguments only, and refuses with a French ValidationError what the
rules (amendments.py, payments.py) refuse."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from plie.accounts.enums import COORDINATION_TEAM, Role
from plie.accounts.models import User
from plie.agreements import amendments, payments
from plie.agreements.enums import (
    AgreementStatus,
    AmendmentKind,
    AmendmentStatus,
    CheckOutcome,
    DeliverableKind,
    InstalmentState,
)
from plie.agreements.models import (
    DEFAULT_COMMITMENTS,
    Agreement,
    Amendment,
    Commitment,
    Deliverable,
    Instalment,
    PaymentScheduleTemplate,
)
from plie.core import formatting
from plie.core.notices import notify
from plie.core.uploads import store


def _team():
    return User.objects.filter(role__in=COORDINATION_TEAM, is_active=True)


def _provider_users(agreement: Agreement):
    return User.objects.filter(
        organisation_id=agreement.provider_id, role=Role.PROVIDER, is_active=True
    )


def _url(agreement: Agreement) -> str:
    return reverse("agreements:agreement_detail", args=[agreement.pk])


def next_reference(programme, year: int) -> str:
    """« CONV-2027-03 »: the programme's next number for the year the agreement starts."""
    prefix = f"CONV-{year}-"
    taken = Agreement.objects.filter(programme=programme, reference__startswith=prefix).count()
    number = taken + 1
    while Agreement.objects.filter(programme=programme, reference=f"{prefix}{number:02d}").exists():
        number += 1
    return f"{prefix}{number:02d}"


@transaction.atomic
def create_agreement(
    *,
    programme,
    provider,
    title: str,
    purpose: str,
    amount: Decimal,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    schedule_template: PaymentScheduleTemplate,
    by,
    objectives: str = "",
    commitments: list[str] | tuple[str, ...] | None = None,
    operation=None,
) -> Agreement:
    """A new agreement (draft) with `provider` (an accounts.Organisation), for a firm price
    `amount`, from `starts_on` to `ends_on` (None: a one-year term, starts_on + 1 year − 1 day,
    seed 001 l. 243), with the instalments of `schedule_template` (their amounts split by
    payments.split_amount) and, for each, the deliverables its line names. `commitments`
    (labels) default to DEFAULT_COMMITMENTS. `operation` is the programme's operation that
    funds it (programme.Operation, or None). `by` is the user who prepares it.

    This is what the award of a call (purchasing) calls: keep the signature."""
    ends_on = ends_on or amendments.one_year_end(starts_on)
    if ends_on < starts_on:
        raise ValidationError(
            {"ends_on": "La fin de la convention suit son début : corrigez l'une des deux dates."}
        )
    lines = list(schedule_template.lines.order_by("order"))
    shares = [line.share for line in lines]
    if problem := payments.schedule_refusal(shares):
        raise ValidationError({"schedule_template": f"{schedule_template.name} : {problem}"})
    agreement = Agreement.objects.create(
        programme=programme,
        operation=operation,
        provider=provider,
        reference=next_reference(programme, starts_on.year),
        title=title,
        purpose=purpose,
        objectives=objectives,
        amount=amount,
        starts_on=starts_on,
        ends_on=ends_on,
        schedule_name=schedule_template.name,
        created_by=by,
    )
    labels = DEFAULT_COMMITMENTS if commitments is None else commitments
    Commitment.objects.bulk_create(
        Commitment(agreement=agreement, label=label, order=order)
        for order, label in enumerate(label for label in labels if label.strip())
    )
    for line, share_amount in zip(lines, payments.split_amount(amount, shares), strict=True):
        instalment = Instalment.objects.create(
            agreement=agreement,
            order=line.order,
            label=line.label,
            share=line.share,
            amount=share_amount,
        )
        Deliverable.objects.bulk_create(
            Deliverable(instalment=instalment, kind=kind, label=DeliverableKind(kind).label)
            for kind in line.deliverable_kinds
        )
    return agreement


@transaction.atomic
def sign(*, agreement: Agreement, signed_on: datetime.date, by) -> Agreement:
    """The agreement is signed on `signed_on`: its instalments may now be released."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if agreement.status != AgreementStatus.DRAFT:
        raise ValidationError(
            f"La convention est déjà {agreement.get_status_display().lower()} : rien à signer."
        )
    agreement.signed_on, agreement.status = signed_on, AgreementStatus.SIGNED
    agreement.save(update_fields=["signed_on", "status"])
    _announce_due(agreement, before=set())
    return agreement


def validated_extensions(agreement: Agreement) -> int:
    return agreement.amendments.filter(
        kind=AmendmentKind.EXTENSION, status=AmendmentStatus.VALIDATED
    ).count()


@transaction.atomic
def ask_amendment(
    *,
    agreement: Agreement,
    kind: str,
    reason: str,
    asked_on: datetime.date,
    by,
    new_ends_on: datetime.date | None = None,
    amount_change: Decimal | None = None,
) -> Amendment:
    """An amendment asked, pending the PLIE's validation; an extension is refused at once
    when the agreement was extended twice already or the new end does not follow the current
    one (amendments.extension_refusal, seed 001 l. 243)."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if kind == AmendmentKind.EXTENSION:
        problem = amendments.extension_refusal(
            validated_extensions=validated_extensions(agreement),
            current_end=agreement.ends_on,
            new_end=new_ends_on,
        )
        if problem:
            raise ValidationError(problem)
    else:
        new_ends_on = None
        if not amount_change and not reason.strip():
            raise ValidationError("Dites ce que l'avenant change : saisissez son motif.")
    return Amendment.objects.create(
        agreement=agreement,
        kind=kind,
        new_ends_on=new_ends_on,
        amount_change=amount_change or None,
        reason=reason,
        asked_on=asked_on,
        asked_by=by,
    )


@transaction.atomic
def decide_amendment(
    *,
    amendment: Amendment,
    validated: bool,
    decided_on: datetime.date,
    body: str,
    by,
    note: str = "",
) -> Amendment:
    """The PLIE's bodies validate or refuse the amendment. A validated extension moves the
    agreement's end (checked again: another may have been validated meanwhile); a validated
    change of amount re-splits the schedule, which is possible before the first payment only."""
    agreement = Agreement.objects.select_for_update().get(pk=amendment.agreement_id)
    amendment = Amendment.objects.select_for_update().get(pk=amendment.pk)
    if amendment.status != AmendmentStatus.PENDING:
        raise ValidationError(
            f"Cet avenant est déjà {amendment.get_status_display().lower()} : rien à décider."
        )
    if validated:
        if amendment.kind == AmendmentKind.EXTENSION:
            problem = amendments.extension_refusal(
                validated_extensions=validated_extensions(agreement),
                current_end=agreement.ends_on,
                new_end=amendment.new_ends_on,
            )
            if problem:
                raise ValidationError(problem)
            agreement.ends_on = amendment.new_ends_on
        if amendment.amount_change:
            _change_amount(agreement, agreement.amount + amendment.amount_change)
        agreement.save(update_fields=["ends_on", "amount"])
    amendment.status = AmendmentStatus.VALIDATED if validated else AmendmentStatus.REFUSED
    amendment.validated_on, amendment.validating_body = decided_on, body
    amendment.validated_by, amendment.decision_note = by, note
    amendment.save()
    return amendment


def _change_amount(agreement: Agreement, amount: Decimal) -> None:
    if amount < 0:
        raise ValidationError(
            "Le montant de la convention deviendrait négatif : corrigez la variation demandée."
        )
    instalments = list(agreement.instalments.order_by("order"))
    if any(i.paid_on for i in instalments):
        raise ValidationError(
            "Une échéance a déjà été payée : le montant ne peut plus être réparti de nouveau. "
            "Refusez cet avenant et passez par un avenant qui ajoute une échéance."
        )
    for instalment, share_amount in zip(
        instalments,
        payments.split_amount(amount, [i.share for i in instalments]),
        strict=True,
    ):
        instalment.amount = share_amount
        instalment.save(update_fields=["amount"])
    agreement.amount = amount


# Deliverables and payments ---------------------------------------------------------------


def facts(deliverable: Deliverable) -> payments.DeliverableFacts:
    received = (
        timezone.localtime(deliverable.received_at).date() if deliverable.received_at else None
    )
    return payments.DeliverableFacts(
        deliverable.label, received, deliverable.outcome, deliverable.check_comment
    )


def reading(instalment: Instalment, agreement: Agreement | None = None) -> payments.Reading:
    """The instalment's state and reasons; its deliverables are read from the prefetched
    `deliverables` when the caller prefetched them."""
    agreement = agreement or instalment.agreement
    return payments.instalment_state(
        signed=agreement.signed_on is not None,
        paid=instalment.paid_on is not None,
        deliverables=[facts(d) for d in instalment.deliverables.all()],
    )


def _due_ids(agreement: Agreement) -> set[int]:
    instalments = agreement.instalments.prefetch_related("deliverables")
    return {i.pk for i in instalments if reading(i, agreement).state == InstalmentState.DUE}


def _announce_due(agreement: Agreement, *, before: set[int]) -> None:
    """Tell the team of each instalment that has just become due."""
    for instalment in agreement.instalments.filter(pk__in=_due_ids(agreement) - before):
        notify(
            _team(),
            subject=f"Échéance à payer : {agreement.reference}",
            body=(
                f"L'échéance « {instalment.label} » de la convention {agreement.reference} "
                f"({agreement.provider}) est à payer : "
                f"{formatting.number(instalment.amount, 2)} €."
            ),
            url=_url(agreement),
        )


@transaction.atomic
def receive_deliverable(*, deliverable: Deliverable, uploaded, by) -> Deliverable:
    """The provider (or the team on its behalf) hands in the document; allowed while the
    deliverable is not accepted. A new version replaces the one to redo and awaits a check."""
    deliverable = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
    if deliverable.outcome == CheckOutcome.ACCEPTED:
        raise ValidationError(
            "Ce livrable a déjà été accepté : il ne se remplace plus. Écrivez à l'équipe du "
            "PLIE si une erreur s'y trouve."
        )
    agreement = deliverable.instalment.agreement
    deliverable.document = store(uploaded, user=by)
    deliverable.received_at, deliverable.received_by = timezone.now(), by
    deliverable.checked_at = deliverable.checked_by = None
    deliverable.outcome, deliverable.check_comment = "", ""
    deliverable.save()
    notify(
        _team(),
        subject=f"Livrable reçu : {agreement.reference}",
        body=(
            f"« {deliverable.label} » ({deliverable.instalment.label}) a été déposé pour la "
            f"convention {agreement.reference} ({agreement.provider}). Vérifiez-le pour "
            "libérer l'échéance."
        ),
        url=_url(agreement),
    )
    return deliverable


@transaction.atomic
def check_deliverable(*, deliverable: Deliverable, outcome: str, comment: str, by) -> Deliverable:
    """A member of the team checks a received deliverable: accepted, or to redo (with a
    comment saying what). The provider is told; the team, of an instalment now due."""
    deliverable = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
    agreement = deliverable.instalment.agreement
    if deliverable.received_at is None:
        raise ValidationError(
            "Ce livrable n'a pas encore été reçu : il se vérifie une fois déposé."
        )
    if deliverable.outcome:
        raise ValidationError(
            f"Ce livrable a déjà été vérifié ({deliverable.get_outcome_display().lower()}) : "
            "une nouvelle version déposée se vérifie de nouveau."
        )
    if outcome == CheckOutcome.TO_REDO and not comment.strip():
        raise ValidationError(
            {"comment": "Dites au prestataire ce qu'il faut refaire : saisissez un commentaire."}
        )
    before = _due_ids(agreement)
    deliverable.outcome, deliverable.check_comment = outcome, comment
    deliverable.checked_at, deliverable.checked_by = timezone.now(), by
    deliverable.save()
    verdict = "accepté" if outcome == CheckOutcome.ACCEPTED else f"à refaire : {comment}"
    notify(
        _provider_users(agreement),
        subject=f"Livrable vérifié : {agreement.reference}",
        body=f"« {deliverable.label} » ({deliverable.instalment.label}) : {verdict}.",
        url=_url(agreement),
    )
    _announce_due(agreement, before=before)
    return deliverable


@transaction.atomic
def record_payment(
    *, instalment: Instalment, paid_on: datetime.date, reference: str, by
) -> Instalment:
    """The instalment is paid: refused, with the reasons, unless it is due."""
    instalment = Instalment.objects.select_for_update().get(pk=instalment.pk)
    state = reading(instalment)
    if state.state == InstalmentState.PAID:
        raise ValidationError("Cette échéance est déjà payée : rien à enregistrer.")
    if state.state != InstalmentState.DUE:
        raise ValidationError("Cette échéance n'est pas à payer : " + " ".join(state.reasons))
    checked = [
        timezone.localtime(d.checked_at).date()
        for d in instalment.deliverables.all()
        if d.checked_at is not None
    ]
    agreement = instalment.agreement
    if refusal := payments.payment_date_refusal(paid_on, max([agreement.signed_on, *checked])):
        raise ValidationError({"paid_on": refusal})
    instalment.paid_on, instalment.paid_by, instalment.payment_reference = paid_on, by, reference
    instalment.save(update_fields=["paid_on", "paid_by", "payment_reference"])
    return instalment


def agreements_for_list(user):
    """The agreements `user` reads, with what the list shows (paid amount)."""
    return (
        Agreement.objects.for_user(user)
        .select_related("provider")
        .prefetch_related("instalments__deliverables")
        .annotate(paid_count=Count("instalments", filter=Q(instalments__paid_on__isnull=False)))
    )
