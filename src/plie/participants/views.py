"""Pages of the participant record: list, referral, record, entry file, eligibility, outreach."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Subquery
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from plie.participants import services
from plie.participants.access import get_participant_for_user
from plie.participants.enums import PathwayStatus, ReferralStatus
from plie.participants.forms import (
    AppointmentForm,
    AppointmentOutcomeForm,
    CloseReferralForm,
    DuplicateConfirmationForm,
    OutreachAttemptForm,
    ParticipantFilterForm,
    ParticipantForm,
    ReferralForm,
)
from plie.participants.models import Participant, Referral
from plie.participants.selectors import (
    awaiting_first_appointment,
    outreach_worklist,
    possible_duplicates,
)
from plie.participants.timeline import timeline_for
from plie.pathways.entry_summary import entry_summary, visible_findings
from plie.pathways.models import Pathway
from plie.pathways.presenters import pathway_follow_up_context
from plie.territory.models import Programme

PAGE_SIZE = 50
OUTREACH_ROWS = 200  # people listed per part of the outreach page


def error_messages(error: ValidationError) -> str:
    return " ".join(error.messages)


@login_required
@permission_required("participants.view_participant_list", raise_exception=True)
def participant_list(request):
    form = ParticipantFilterForm(request.GET or None, user=request.user)
    participants = Participant.objects.for_user(request.user).select_related(
        "commune", "qpv", "referent"
    )
    if form.is_valid():
        data = form.cleaned_data
        birth_date = form.birth_date()
        if birth_date:
            participants = participants.filter(birth_date=birth_date)
        else:
            participants = participants.search(data.get("q"))
        if data.get("status"):
            participants = participants.filter(status=data["status"])
        if data.get("commune"):
            participants = participants.filter(commune=data["commune"])
        if data.get("qpv") == "yes":
            participants = participants.filter(qpv__isnull=False)
        elif data.get("qpv") == "no":
            participants = participants.filter(qpv__isnull=True)
        if data.get("rsa"):
            rsa = Pathway.objects.filter(participant=OuterRef("pk"), receives_rsa=True).exclude(
                status__in=(PathwayStatus.EXITED, PathwayStatus.REFUSED, PathwayStatus.ABANDONED)
            )
            participants = (
                participants.filter(Exists(rsa))
                if data["rsa"] == "yes"
                else participants.exclude(Exists(rsa))
            )
        if data.get("referent"):
            participants = participants.filter(referent=data["referent"])
    # A subquery, not an aggregate: only the page's 50 rows look up their latest entry, where
    # a GROUP BY would aggregate every participant before sorting (1 s at 100,000 people).
    latest_entry = (
        Pathway.objects.filter(participant=OuterRef("pk"), entry_date__isnull=False)
        .order_by("-entry_date")
        .values("entry_date")[:1]
    )
    participants = participants.annotate(entry_date=Subquery(latest_entry)).order_by(
        "last_name", "first_name", "pk"
    )
    page = Paginator(participants, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    template = "participants/participant_list.html"
    if request.htmx:
        template += "#participant-results"
    return render(request, template, context)


def _programme():
    programme = Programme.current()
    if programme is None:
        raise ValidationError("Aucun territoire n'est chargé : lancez « plie territory load ».")
    return programme


@login_required
@permission_required("participants.add_referral", raise_exception=True)
def referral_create(request, pk: int | None = None):
    """A new referral; for a new person, duplicates (same name and birth date) are shown first."""
    programme = _programme()
    existing = get_participant_for_user(request, pk) if pk else None
    person_form = (
        None
        if existing
        else ParticipantForm(
            request.POST or None,
            # The référent who records a new person follows them; the assistant, who may
            # not read sensitive data once saved, is not asked for it either.
            show_sensitive=request.user.is_referent
            or request.user.has_perm("participants.view_sensitive_data"),
            programme=programme,
            prefix="person",
        )
    )
    referral_form = ReferralForm(
        request.POST or None, programme=programme, user=request.user, prefix="referral"
    )
    confirm_form = DuplicateConfirmationForm(request.POST or None, prefix="check")
    duplicates = []
    if request.method == "POST":
        forms_valid = referral_form.is_valid() & (person_form is None or person_form.is_valid())
        confirm_form.is_valid()
        if forms_valid and person_form is not None:
            data = person_form.cleaned_data
            duplicates = list(
                possible_duplicates(
                    last_name=data["last_name"],
                    first_name=data["first_name"],
                    birth_date=data["birth_date"],
                ).select_related("referent")
            )
            if duplicates and not confirm_form.cleaned_data.get("confirm_new_person"):
                forms_valid = False
                for duplicate in duplicates:
                    duplicate.can_open = request.user.has_perm(
                        "participants.view_participant", duplicate
                    )
        if forms_valid:
            referent = referral_form.cleaned_data.get("referent") or request.user
            try:
                with transaction.atomic():
                    participant = existing or services.create_participant(
                        programme=programme, data=person_form.cleaned_data, by=request.user
                    )
                    referral_data = {
                        k: v for k, v in referral_form.cleaned_data.items() if k != "referent"
                    }
                    services.record_referral(
                        participant=participant,
                        referent=referent,
                        data=referral_data,
                        by=request.user,
                    )
            except ValidationError as error:
                messages.error(request, error_messages(error))
            else:
                messages.success(
                    request, f"Orientation enregistrée — dossier n° {participant.file_number}."
                )
                return redirect("participants:detail", pk=participant.pk)
    return render(
        request,
        "participants/referral_form.html",
        {
            "existing": existing,
            "person_form": person_form,
            "referral_form": referral_form,
            "confirm_form": confirm_form,
            "duplicates": duplicates,
        },
    )


@login_required
def participant_detail(request, pk: int):
    return _render_detail(request, get_participant_for_user(request, pk))


def _render_detail(request, participant, status: int = 200, **forms):
    """The participant record; a form sent back with errors is shown with what was typed."""
    show_sensitive = request.user.has_perm("participants.view_sensitive_data", participant)
    referral = participant.referrals.select_related("prescriber").first()
    pathway = (
        participant.pathways.select_related("education_level", "referent")
        .prefetch_related("barriers")
        .first()
    )
    assessment = (
        pathway.eligibility_assessments.select_related("protocol").first() if pathway else None
    )
    committee_items = (
        pathway.committee_items.select_related("meeting", "proposed_referent").order_by(
            "-meeting__held_on"
        )
        if pathway
        else []
    )
    can_change = request.user.has_perm("participants.change_participant", participant)
    follow = pathway_follow_up_context(request.user, participant, pathway, show_sensitive)
    context = {
        **follow,
        "participant": participant,
        "show_sensitive": show_sensitive,
        "referral": referral,
        "appointments": referral.appointments.select_related("with_user") if referral else [],
        "attempts": referral.outreach_attempts.select_related("by") if referral else [],
        "pathway": pathway,
        "entry_summary": entry_summary(pathway, show_sensitive=show_sensitive) if pathway else [],
        "assessment": assessment,
        "findings": visible_findings(assessment.explanation, show_sensitive=show_sensitive)
        if assessment
        else [],
        "committee_items": committee_items,
        "timeline": timeline_for(participant, show_sensitive=show_sensitive),
        "can_change": can_change,
        "can_withdraw": request.user.has_perm("committee.propose_entry", participant),
        "can_propose": assessment is not None
        and pathway.status == PathwayStatus.DRAFT
        and request.user.has_perm("committee.propose_entry", participant),
        "appointment_form": AppointmentForm(),
        "outcome_form": AppointmentOutcomeForm(),
        "outreach_form": OutreachAttemptForm(),
        "close_form": CloseReferralForm(prefix="close"),
        "ReferralStatus": ReferralStatus,
        "PathwayStatus": PathwayStatus,
        **forms,
    }
    return render(request, "participants/participant_detail.html", context, status=status)


def form_failed(request, participant, name: str, form, error: ValidationError | None = None):
    """Re-show the record with the form as typed and its errors, nothing saved (400)."""
    if error is not None:
        for message in error.messages:
            form.add_error(None, message)
    messages.error(request, "Rien n'a été enregistré : corrigez le formulaire signalé.")
    return _render_detail(request, participant, status=400, **{name: form})


@login_required
def participant_edit(request, pk: int):
    participant = get_participant_for_user(request, pk, perm="participants.change_participant")
    show_sensitive = request.user.has_perm("participants.view_sensitive_data", participant)
    form = ParticipantForm(
        request.POST or None,
        instance=participant,
        show_sensitive=show_sensitive,
        programme=participant.programme,
    )
    confirm_form = DuplicateConfirmationForm(request.POST or None, prefix="check")
    duplicates = []
    if request.method == "POST" and form.is_valid():
        confirm_form.is_valid()
        identity = ("last_name", "first_name", "birth_date")
        if any(name in form.changed_data for name in identity):
            duplicates = list(
                possible_duplicates(
                    **{name: form.cleaned_data[name] for name in identity},
                    exclude_pk=participant.pk,
                ).select_related("referent")
            )
        if not duplicates or confirm_form.cleaned_data.get("confirm_new_person"):
            form.save()
            messages.success(request, "Identité et coordonnées enregistrées.")
            return redirect("participants:detail", pk=participant.pk)
    return render(
        request,
        "participants/participant_form.html",
        {
            "participant": participant,
            "form": form,
            "duplicates": duplicates,
            "confirm_form": confirm_form,
        },
    )


def open_referral(participant) -> Referral:
    referral = participant.referrals.exclude(status=ReferralStatus.CLOSED).first()
    if referral is None:
        raise PermissionDenied("Ce dossier n'a pas d'orientation en cours.")
    return referral


@login_required
@require_POST
def appointment_plan(request, pk: int):
    participant = get_participant_for_user(request, pk, perm="participants.change_participant")
    referral = open_referral(participant)
    form = AppointmentForm(request.POST)
    if not form.is_valid():
        return form_failed(request, participant, "appointment_form", form)
    try:
        services.plan_appointment(
            referral=referral,
            scheduled_for=form.cleaned_data["scheduled_for"],
            with_user=participant.referent or request.user,
            place=form.cleaned_data["place"],
        )
    except ValidationError as error:
        return form_failed(request, participant, "appointment_form", form, error)
    messages.success(request, "Rendez-vous enregistré.")
    return redirect("participants:detail", pk=participant.pk)


@login_required
@require_POST
def outreach_attempt(request, pk: int):
    participant = get_participant_for_user(request, pk, perm="participants.record_outreach")
    referral = open_referral(participant)
    form = OutreachAttemptForm(request.POST)
    if not form.is_valid():
        return form_failed(request, participant, "outreach_form", form)
    try:
        services.record_outreach_attempt(referral=referral, by=request.user, **form.cleaned_data)
    except ValidationError as error:
        return form_failed(request, participant, "outreach_form", form, error)
    messages.success(request, "Tentative d'aller-vers enregistrée.")
    return redirect(reverse("participants:detail", args=[participant.pk]) + "#orientation")


@login_required
@permission_required("participants.view_outreach_worklist", raise_exception=True)
def outreach_list(request):
    outreach = outreach_worklist(request.user).annotate(
        attempt_count=Count("outreach_attempts"),
        last_attempt=Max("outreach_attempts__attempted_on"),
    )
    awaiting = awaiting_first_appointment(request.user)
    # The oldest first, OUTREACH_ROWS of each at most: the whole PLIE's run to thousands.
    return render(
        request,
        "participants/outreach_list.html",
        {
            "outreach": list(outreach[:OUTREACH_ROWS]),
            "outreach_total": outreach.count(),
            "awaiting": list(awaiting[:OUTREACH_ROWS]),
            "awaiting_total": awaiting.count(),
        },
    )
