"""Referral pages: the référent's form from the participant's file, the referral's page (the
same page for the team, the référent and the provider, each form shown to who may send it),
the forms' addresses, and the provider's « Orientations reçues ».

The provider never opens the participant's file: the referral's page shows it only the
values the référent passed (actions.sharing), and that showing is journaled as a read of the
person (audit.reads), as the participant page is."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from plie.accounts.enums import COORDINATION_TEAM, Role
from plie.actions import referrals as services
from plie.actions import sharing
from plie.actions.enums import AWAITING_ANSWER, Diagnostic, ReferralStatus, SheetKind
from plie.actions.models import ActionReferral, FollowUpSheet
from plie.actions.referral_forms import (
    AcceptForm,
    CloseForm,
    DeclineForm,
    ProposeForm,
    ReferralForm,
)
from plie.audit.journal import record_refusal
from plie.audit.reads import shown
from plie.core import queries
from plie.core.forms import apply_errors
from plie.core.register import register
from plie.core.submissions import AlreadySubmitted, once
from plie.participants.access import get_participant_for_user

OPEN = "actions.open_referral"


def get_referral_for_user(request, pk: int, perm: str = OPEN) -> ActionReferral:
    """The referral `request.user` may `perm` (403 otherwise, journaled), its reading
    journaled as a read of the person."""
    referral = get_object_or_404(
        ActionReferral.objects.select_related(
            "participant__referent",
            "pathway",
            "action__agreement__provider",
            "cohort",
            "proposed_cohort",
            "answered_by",
            "created_by",
            "step",
        ),
        pk=pk,
    )
    if not request.user.has_perm(perm, referral):
        record_refusal(user=request.user, participant=referral.participant)
        if request.user.role == Role.PROVIDER and not request.user.has_perm(OPEN, referral):
            # Another provider's referral, or one gone from its lists: not even its existence.
            raise Http404("Orientation introuvable.")
        raise PermissionDenied("Cette orientation ne fait pas partie de celles que vous suivez.")
    shown(request, referral.participant)
    return referral


# The référent's form, from the participant's file -----------------------------------------


@login_required
@permission_required("actions.refer_participant", raise_exception=True)
def referral_new(request, pk: int):
    participant = get_participant_for_user(request, pk)
    # « ?action=N »: the action chosen first, so that only its groups and diagnostics show.
    _, chosen_pk = queries.whole_number(request, "action")
    form = ReferralForm(request.POST or None, programme=participant.programme, chosen_pk=chosen_pk)
    if request.method == "POST":
        if (sent := form.already_sent()) is not None:
            return sent.response(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with once(form.token) as submission:
                    referral = services.refer(
                        participant=participant,
                        action=data["action"],
                        cohort=data["cohort"],
                        expected_diagnostics=data["expected_diagnostics"],
                        reason=data["reason"],
                        shared_fields=data["shared_fields"],
                        by=request.user,
                    )
                    submission.leads_to(reverse("actions:referral", args=[referral.pk]))
            except AlreadySubmitted as sent:
                return sent.response(request)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request, f"Orientation envoyée au prestataire de « {referral.action} »."
                )
                return redirect("actions:referral", pk=referral.pk)
    return render(
        request,
        "actions/referral_form.html",
        {
            "participant": participant,
            "form": form,
            "always_shared": _always_shared(),
            "actions": form.fields["action"].queryset,
            "chosen": form.chosen,
        },
    )


def _always_shared() -> list[str]:
    return [
        sharing._label(register.entry(*key.rsplit(".", 1))).lower() for key in sharing.ALWAYS_SHARED
    ]


# The referral's page ----------------------------------------------------------------------


def _detail(request, referral: ActionReferral, bound: dict | None = None, status: int = 200):
    bound = bound or {}
    user = request.user
    today = timezone.localdate()
    is_provider_side = user.has_perm("actions.answer_referral", referral)
    is_referent_side = user.has_perm("actions.refer_participant") and user.has_perm(OPEN, referral)
    before_start = referral.cohort is None or referral.cohort.starts_on > today
    context = {
        "referral": referral,
        "shared": sharing.shared_values(referral),
        "expected": [Diagnostic(value).label for value in referral.expected_diagnostics or []],
        "shows_reason": register.entry("actions.ActionReferral", "reason").read_by(user.role),
        "opens_file": user.has_perm("participants.open_participant", referral.participant),
        "places": services.cohort_places(referral.cohort) if referral.cohort else None,
        "is_provider_side": is_provider_side,
    }
    if is_provider_side and referral.status in services.PROVIDER_ANSWERS:
        context["accept_form"] = bound.get("accept") or AcceptForm(referral=referral)
        context["decline_form"] = bound.get("decline") or DeclineForm()
        context["propose_form"] = bound.get("propose") or ProposeForm(referral=referral)
    elif is_provider_side and referral.status == ReferralStatus.ACCEPTED and before_start:
        context["decline_form"] = bound.get("decline") or DeclineForm()
    if is_referent_side:
        context["can_accept_proposal"] = referral.status == ReferralStatus.OTHER_COHORT
        context["can_withdraw"] = referral.status in AWAITING_ANSWER or (
            referral.status == ReferralStatus.ACCEPTED and before_start
        )
    # The outcome is said once the cohort has started (before, the référent withdraws and
    # the provider declines): its end can neither precede the start nor be to come.
    if (
        referral.status == ReferralStatus.ACCEPTED
        and (not before_start or "close" in bound)
        and user.has_perm("actions.close_referral", referral)
    ):
        context["close_form"] = bound.get("close") or CloseForm(
            initial={"ended_on": min(today, referral.cohort.ends_on) if referral.cohort else today}
        )
    return render(request, "actions/referral_detail.html", context, status=status)


@login_required
def referral_detail(request, pk: int):
    return _detail(request, get_referral_for_user(request, pk))


def _done(request, referral: ActionReferral, message: str):
    messages.success(request, message)
    return redirect("actions:referral", pk=referral.pk)


def _refused(request, referral: ActionReferral, error: ValidationError):
    messages.error(request, " ".join(error.messages))
    return redirect("actions:referral", pk=referral.pk)


@login_required
@require_POST
def referral_accept(request, pk: int):
    referral = get_referral_for_user(request, pk, "actions.answer_referral")
    form = AcceptForm(request.POST, referral=referral)
    if form.is_valid():
        try:
            answer = services.accept(
                referral=referral, cohort=form.cleaned_data["cohort"], by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if answer.referral.status == ReferralStatus.WAITING:
                messages.warning(request, answer.message)
                return redirect("actions:referral", pk=referral.pk)
            return _done(request, referral, answer.message)
    return _detail(request, referral, {"accept": form}, status=400)


@login_required
@require_POST
def referral_decline(request, pk: int):
    referral = get_referral_for_user(request, pk, "actions.answer_referral")
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.decline(referral=referral, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _done(request, referral, "Orientation refusée : le référent est prévenu.")
    return _detail(request, referral, {"decline": form}, status=400)


@login_required
@require_POST
def referral_propose(request, pk: int):
    referral = get_referral_for_user(request, pk, "actions.answer_referral")
    form = ProposeForm(request.POST, referral=referral)
    if form.is_valid():
        try:
            services.propose_cohort(
                referral=referral, cohort=form.cleaned_data["cohort"], by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _done(request, referral, "Groupe proposé : le référent est prévenu.")
    return _detail(request, referral, {"propose": form}, status=400)


def _referent_side(request, pk: int) -> ActionReferral:
    if not request.user.has_perm("actions.refer_participant"):
        raise PermissionDenied("Seul le référent de la personne ou l'équipe du PLIE le peut.")
    return get_referral_for_user(request, pk)


@login_required
@require_POST
def referral_accept_proposal(request, pk: int):
    referral = _referent_side(request, pk)
    try:
        services.accept_proposal(referral=referral, by=request.user)
    except ValidationError as error:
        return _refused(request, referral, error)
    return _done(request, referral, "Groupe accepté : l'orientation repart vers le prestataire.")


@login_required
@require_POST
def referral_withdraw(request, pk: int):
    referral = _referent_side(request, pk)
    try:
        services.withdraw(referral=referral, by=request.user)
    except ValidationError as error:
        return _refused(request, referral, error)
    return _done(request, referral, "Orientation retirée : le prestataire est prévenu.")


@login_required
@require_POST
def referral_close(request, pk: int):
    referral = get_referral_for_user(request, pk, "actions.close_referral")
    form = CloseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.close(
                referral=referral,
                outcome=data["outcome"],
                ended_on=data["ended_on"],
                drop_out_reason=data["drop_out_reason"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _done(request, referral, "Issue de l'action enregistrée.")
    return _detail(request, referral, {"close": form}, status=400)


# The provider's lists ---------------------------------------------------------------------


def received_referrals(user) -> list[ActionReferral]:
    """The referrals still in the provider's lists (actions.rules.in_provider_lists, in the
    database), by action and cohort: a provider's, to its organisation's actions; a
    référent's, of the people they follow; the team's, all."""
    final_sent = FollowUpSheet.objects.filter(
        referral=OuterRef("pk"), kind=SheetKind.FINAL, sent_at__isnull=False
    )
    referrals = ActionReferral.objects.filter(
        Q(status__in=[*AWAITING_ANSWER, ReferralStatus.ACCEPTED])
        | (
            Q(status__in=[ReferralStatus.COMPLETED, ReferralStatus.DROPPED_OUT])
            & ~Exists(final_sent)
        )
    )
    if user.role == Role.PROVIDER:
        referrals = referrals.of_provider(user.organisation_id)
    elif user.role not in COORDINATION_TEAM:
        referrals = referrals.filter(participant__referent=user)
    return list(
        referrals.select_related(
            "participant", "action__agreement", "cohort", "proposed_cohort"
        ).order_by(
            "action__title", "action_id", "cohort__starts_on", "cohort_id", "created_at", "pk"
        )
    )


@login_required
@permission_required("actions.view_actions", raise_exception=True)
def referrals_received(request):
    referrals = received_referrals(request.user)
    groups: dict = {}
    for referral in referrals:
        key = (referral.action, referral.cohort)
        groups.setdefault(key, []).append(referral)
    shown(request, [referral.participant for referral in referrals], what="Orientations reçues")
    return render(
        request,
        "actions/referrals_received.html",
        {
            "groups": [
                {
                    "action": action,
                    "cohort": cohort,
                    "referrals": rows,
                    "awaiting": sum(1 for r in rows if r.status in services.PROVIDER_ANSWERS),
                }
                for (action, cohort), rows in groups.items()
            ],
            "total": len(referrals),
        },
    )
