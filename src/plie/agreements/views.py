"""Agreement pages: the list, an agreement's page (the team's forms, or the provider's
uploads: the same page, each form shown to who may send it), the forms' addresses, the
deliverables' documents (checked, journaled) and the payment-order export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from plie.agreements import amendments, exports, services
from plie.agreements.enums import AgreementStatus, AmendmentStatus, InstalmentState
from plie.agreements.forms import (
    AgreementForm,
    AmendmentDecisionForm,
    AmendmentForm,
    DeliverableCheckForm,
    DeliverableUploadForm,
    PaymentForm,
    SignForm,
)
from plie.agreements.models import Agreement, Amendment, Deliverable, Instalment
from plie.audit.journal import record_document
from plie.core import queries
from plie.core.forms import apply_errors
from plie.core.submissions import AlreadySubmitted, once
from plie.core.uploads import serve
from plie.territory.models import Programme


def get_agreement_for_user(user, pk: int, permission: str = "agreements.open_agreement"):
    """The agreement `user` reads (404 otherwise), refused (403) without `permission` on it."""
    agreement = get_object_or_404(
        Agreement.objects.for_user(user).select_related("provider", "programme"), pk=pk
    )
    if not user.has_perm(permission, agreement):
        raise PermissionDenied("Vous ne pouvez pas faire cela sur cette convention.")
    return agreement


def _summary(agreement: Agreement) -> dict:
    """Paid, due and blocked amounts, from the prefetched instalments and deliverables."""
    totals = {state: 0 for state in InstalmentState}
    for instalment in agreement.instalments.all():
        totals[services.reading(instalment, agreement).state] += instalment.amount
    return {
        "paid": totals[InstalmentState.PAID],
        "due": totals[InstalmentState.DUE],
        "blocked": totals[InstalmentState.BLOCKED],
    }


@login_required
@permission_required("agreements.view_agreement_list", raise_exception=True)
def agreement_list(request):
    agreements = list(services.agreements_for_list(request.user))
    for agreement in agreements:
        agreement.summary = _summary(agreement)
    return render(
        request,
        "agreements/agreement_list.html",
        {
            "agreements": agreements,
            "is_team": request.user.has_perm("agreements.check_deliverable"),
        },
    )


@login_required
@permission_required("agreements.manage_agreement", raise_exception=True)
def agreement_create(request):
    programme = Programme.current()
    form = AgreementForm(request.POST or None, programme=programme)
    if request.method == "POST":
        if (sent := form.already_sent()) is not None:
            return sent.response(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with once(form.token) as submission:
                    agreement = services.create_agreement(
                        programme=programme,
                        provider=data["provider"],
                        title=data["title"],
                        purpose=data["purpose"],
                        objectives=data["objectives"],
                        commitments=data["commitments"],
                        amount=data["amount"],
                        starts_on=data["starts_on"],
                        ends_on=data["ends_on"],
                        schedule_template=data["schedule_template"],
                        operation=data["operation"],
                        by=request.user,
                    )
                    submission.leads_to(reverse("agreements:agreement_detail", args=[agreement.pk]))
            except AlreadySubmitted as sent:
                return sent.response(request)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, f"Convention {agreement.reference} créée.")
                return redirect("agreements:agreement_detail", pk=agreement.pk)
    return render(request, "agreements/agreement_form.html", {"form": form})


def _detail(request, agreement: Agreement, bound: dict | None = None, status: int = 200):
    """The agreement's page; `bound` puts a form sent with errors back in its place."""
    bound = bound or {}
    user = request.user
    today = timezone.localdate()
    can_manage = user.has_perm("agreements.manage_agreement")
    can_upload = user.has_perm("agreements.upload_deliverable", agreement)
    can_check = user.has_perm("agreements.check_deliverable")
    can_pay = user.has_perm("agreements.record_payment")
    instalments = list(
        agreement.instalments.prefetch_related(
            "deliverables__document", "deliverables__checked_by", "deliverables__received_by"
        ).select_related("paid_by")
    )
    for instalment in instalments:
        instalment.reading = services.reading(instalment, agreement)
        if can_pay and instalment.reading.state == InstalmentState.DUE:
            instalment.pay_form = bound.get(("pay", instalment.pk)) or PaymentForm(
                prefix=f"e{instalment.pk}", initial={"paid_on": today}
            )
        for deliverable in instalment.deliverables.all():
            if can_upload and deliverable.outcome != "accepted":
                deliverable.upload_form = bound.get(
                    ("upload", deliverable.pk)
                ) or DeliverableUploadForm(prefix=f"l{deliverable.pk}")
                deliverable.upload_form.fields[
                    "document"
                ].label = f"{deliverable.label} : document à déposer"
            if can_check and deliverable.received_at and not deliverable.outcome:
                deliverable.check_form = bound.get(
                    ("check", deliverable.pk)
                ) or DeliverableCheckForm(prefix=f"v{deliverable.pk}")
    amendment_rows = list(agreement.amendments.select_related("asked_by", "validated_by"))
    extensions = sum(
        1 for a in amendment_rows if a.kind == "extension" and a.status == AmendmentStatus.VALIDATED
    )
    if can_manage:
        for amendment in amendment_rows:
            if amendment.status == AmendmentStatus.PENDING:
                amendment.decision_form = bound.get(
                    ("decide", amendment.pk)
                ) or AmendmentDecisionForm(prefix=f"a{amendment.pk}", initial={"decided_on": today})
    context = {
        "agreement": agreement,
        "commitments": list(agreement.commitments.all()),
        "instalments": instalments,
        "amendments": amendment_rows,
        "renewals": amendments.renewal_count(extensions),
        "can_extend": extensions < amendments.MAX_EXTENSIONS,
        "summary": _summary_of(instalments),
        "can_manage": can_manage,
        "can_export": user.has_perm("agreements.export_payment_orders"),
        "is_team": can_check,
    }
    if can_manage:
        context["amendment_form"] = bound.get("amend") or AmendmentForm(initial={"asked_on": today})
        if agreement.status == AgreementStatus.DRAFT:
            context["sign_form"] = bound.get("sign") or SignForm(initial={"signed_on": today})
    return render(request, "agreements/agreement_detail.html", context, status=status)


def _summary_of(instalments) -> dict:
    totals = {state: 0 for state in InstalmentState}
    for instalment in instalments:
        totals[instalment.reading.state] += instalment.amount
    return {
        "paid": totals[InstalmentState.PAID],
        "due": totals[InstalmentState.DUE],
        "blocked": totals[InstalmentState.BLOCKED],
    }


@login_required
def agreement_detail(request, pk: int):
    return _detail(request, get_agreement_for_user(request.user, pk))


def _done(request, agreement: Agreement, message: str, anchor: str = ""):
    messages.success(request, message)
    return redirect(reverse("agreements:agreement_detail", args=[agreement.pk]) + anchor)


@login_required
@permission_required("agreements.manage_agreement", raise_exception=True)
@require_POST
def agreement_sign(request, pk: int):
    agreement = get_agreement_for_user(request.user, pk)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            services.sign(
                agreement=agreement, signed_on=form.cleaned_data["signed_on"], by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _done(request, agreement, "Signature enregistrée.")
    return _detail(request, agreement, {"sign": form})


@login_required
@permission_required("agreements.manage_agreement", raise_exception=True)
@require_POST
def amendment_ask(request, pk: int):
    agreement = get_agreement_for_user(request.user, pk)
    form = AmendmentForm(request.POST)
    if (sent := form.already_sent()) is not None:
        return sent.response(request)
    if form.is_valid():
        data = form.cleaned_data
        try:
            with once(form.token) as submission:
                services.ask_amendment(
                    agreement=agreement,
                    kind=data["kind"],
                    reason=data["reason"],
                    asked_on=data["asked_on"],
                    new_ends_on=data["new_ends_on"],
                    amount_change=data["amount_change"],
                    by=request.user,
                )
                submission.leads_to(
                    reverse("agreements:agreement_detail", args=[agreement.pk]) + "#avenants"
                )
        except AlreadySubmitted as sent:
            return sent.response(request)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _done(
                request, agreement, "Avenant enregistré, en attente de validation.", "#avenants"
            )
    return _detail(request, agreement, {"amend": form})


@login_required
@permission_required("agreements.manage_agreement", raise_exception=True)
@require_POST
def amendment_decide(request, pk: int, amendment_pk: int):
    agreement = get_agreement_for_user(request.user, pk)
    amendment = get_object_or_404(Amendment, pk=amendment_pk, agreement=agreement)
    form = AmendmentDecisionForm(request.POST, prefix=f"a{amendment.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decide_amendment(
                amendment=amendment,
                validated=data["decision"] == "validated",
                decided_on=data["decided_on"],
                body=data["body"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _done(request, agreement, "Décision sur l'avenant enregistrée.", "#avenants")
    return _detail(request, agreement, {("decide", amendment.pk): form})


def _deliverable(agreement: Agreement, deliverable_pk: int) -> Deliverable:
    return get_object_or_404(
        Deliverable.objects.select_related("instalment", "document"),
        pk=deliverable_pk,
        instalment__agreement=agreement,
    )


@login_required
@require_POST
def deliverable_upload(request, pk: int, deliverable_pk: int):
    agreement = get_agreement_for_user(request.user, pk, "agreements.upload_deliverable")
    deliverable = _deliverable(agreement, deliverable_pk)
    form = DeliverableUploadForm(request.POST, request.FILES, prefix=f"l{deliverable.pk}")
    if form.is_valid():
        try:
            services.receive_deliverable(
                deliverable=deliverable, uploaded=form.cleaned_data["document"], by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _done(
                request,
                agreement,
                f"« {deliverable.label} » reçu : l'équipe du PLIE va le vérifier.",
                "#echeancier",
            )
    return _detail(request, agreement, {("upload", deliverable.pk): form})


@login_required
@permission_required("agreements.check_deliverable", raise_exception=True)
@require_POST
def deliverable_check(request, pk: int, deliverable_pk: int):
    agreement = get_agreement_for_user(request.user, pk)
    deliverable = _deliverable(agreement, deliverable_pk)
    form = DeliverableCheckForm(request.POST, prefix=f"v{deliverable.pk}")
    if form.is_valid():
        try:
            services.check_deliverable(
                deliverable=deliverable,
                outcome=form.cleaned_data["outcome"],
                comment=form.cleaned_data["comment"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _done(
                request,
                agreement,
                f"Vérification de « {deliverable.label} » enregistrée.",
                "#echeancier",
            )
    return _detail(request, agreement, {("check", deliverable.pk): form})


@login_required
def deliverable_download(request, pk: int, deliverable_pk: int):
    agreement = get_agreement_for_user(request.user, pk)
    deliverable = _deliverable(agreement, deliverable_pk)
    if deliverable.document is None:
        raise Http404("Ce livrable n'a pas encore été reçu.")
    record_document(
        user=request.user,
        about=deliverable,
        document=f"{deliverable.label} — convention {agreement.reference}",
    )
    return serve(deliverable.document)


@login_required
@permission_required("agreements.record_payment", raise_exception=True)
@require_POST
def payment_record(request, pk: int, instalment_pk: int):
    agreement = get_agreement_for_user(request.user, pk)
    instalment = get_object_or_404(Instalment, pk=instalment_pk, agreement=agreement)
    form = PaymentForm(request.POST, prefix=f"e{instalment.pk}")
    if form.is_valid():
        try:
            services.record_payment(
                instalment=instalment,
                paid_on=form.cleaned_data["paid_on"],
                reference=form.cleaned_data["reference"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(reverse("agreements:agreement_detail", args=[agreement.pk]))
        return _done(request, agreement, f"Paiement de « {instalment.label} » enregistré.")
    return _detail(request, agreement, {("pay", instalment.pk): form})


def _payment_orders(request, extension: str):
    given, pk = queries.whole_number(request, "convention")
    agreement = None
    if given:
        if pk is None:
            raise Http404("Convention inconnue.")
        agreement = get_agreement_for_user(request.user, pk)
        agreements = Agreement.objects.filter(pk=agreement.pk)
    else:
        agreements = Agreement.objects.for_user(request.user).filter(programme=Programme.current())
    orders = exports.due_orders(agreements)
    name = exports.file_name(agreement, extension)
    record_document(
        user=request.user,
        about=agreement or Programme.current(),
        document=f"Ordres de paiement ({extension.upper()}) : {name}",
        instalments=len(orders),
    )
    if extension == "xlsx":
        response = HttpResponse(
            exports.xlsx(orders),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(exports.csv(orders), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@permission_required("agreements.export_payment_orders", raise_exception=True)
def payment_orders_xlsx(request):
    return _payment_orders(request, "xlsx")


@login_required
@permission_required("agreements.export_payment_orders", raise_exception=True)
def payment_orders_csv(request):
    return _payment_orders(request, "csv")
