"""Pages of the participant record: referral, identity, first appointment, outreach. The
list and the record itself are assembled by the web layer from every app's sections."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from plie.accounts.enums import Role
from plie.accounts.models import User
from plie.audit.journal import record_duplicate_check
from plie.audit.reads import shown
from plie.core.plugins import render_participant_page
from plie.core.submissions import AlreadySubmitted, once
from plie.participants import services
from plie.participants.access import get_participant_for_user
from plie.participants.enums import ReferralStatus
from plie.participants.forms import (
    AppointmentForm,
    DuplicateConfirmationForm,
    OutreachAttemptForm,
    ParticipantForm,
    ReferralForm,
)
from plie.participants.models import Referral
from plie.participants.selectors import (
    awaiting_first_appointment,
    outreach_worklist,
    possible_duplicates,
)
from plie.territory.models import Programme

OUTREACH_ROWS = 200  # people listed per part of the outreach page


def find_duplicates(request, *, last_name, first_name, birth_date, exclude_pk=None) -> list:
    """The files that already bear this name and birth date, each knowing whether the reader
    may open it (`can_open`); the search is journaled (who, which files, not what was typed).
    Of a file outside their scope the page says only that it exists and whom to ask."""
    found = list(
        possible_duplicates(
            last_name=last_name, first_name=first_name, birth_date=birth_date, exclude_pk=exclude_pk
        ).select_related("referent")
    )
    for duplicate in found:
        duplicate.can_open = request.user.has_perm("participants.open_participant", duplicate)
    record_duplicate_check(
        user=request.user,
        found=[duplicate.pk for duplicate in found],
        in_scope=[duplicate.pk for duplicate in found if duplicate.can_open],
    )
    return found


def coordination_contact() -> str:
    """Whom to ask about a file one does not follow: the PLIE's coordinators."""
    return ", ".join(
        str(user) for user in User.objects.filter(role=Role.COORDINATOR, is_active=True)
    )


def error_messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def _programme():
    programme = Programme.current()
    if programme is None:
        raise ValidationError("Aucun territoire n'est chargé : lancez « plie territory load ».")
    return programme


@login_required
@permission_required("participants.record_referral", raise_exception=True)
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
            show_sensitive=request.user.has_perm("participants.read_sensitive_data"),
            programme=programme,
            prefix="person",
        )
    )
    referral_form = ReferralForm(
        request.POST or None, programme=programme, user=request.user, prefix="referral"
    )
    confirm_form = DuplicateConfirmationForm(request.POST or None, prefix="check")
    duplicates = []
    if (sent := referral_form.already_sent()) is not None:
        return sent.response(request)
    if request.method == "POST":
        forms_valid = referral_form.is_valid() & (person_form is None or person_form.is_valid())
        confirm_form.is_valid()
        if forms_valid and person_form is not None:
            data = person_form.cleaned_data
            duplicates = find_duplicates(
                request,
                last_name=data["last_name"],
                first_name=data["first_name"],
                birth_date=data["birth_date"],
            )
            if duplicates and not confirm_form.cleaned_data.get("confirm_new_person"):
                forms_valid = False
        if forms_valid:
            referent = referral_form.cleaned_data.get("referent") or request.user
            try:
                with once(referral_form.token) as submission:
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
                    submission.leads_to(reverse("web:participant", args=[participant.pk]))
            except AlreadySubmitted as sent:
                return sent.response(request)
            except ValidationError as error:
                messages.error(request, error_messages(error))
            else:
                messages.success(
                    request, f"Orientation enregistrée — dossier n° {participant.file_number}."
                )
                return redirect("web:participant", pk=participant.pk)
    return render(
        request,
        "participants/referral_form.html",
        {
            "existing": existing,
            "person_form": person_form,
            "referral_form": referral_form,
            "confirm_form": confirm_form,
            "duplicates": duplicates,
            "coordination": coordination_contact() if duplicates else "",
        },
    )


def form_failed(request, participant, name: str, form, error: ValidationError | None = None):
    """Re-show the record with the form as typed and its errors, nothing saved (400). A
    service's refusal is also said on top: the record may have moved on meanwhile (closed by
    someone else) so that the form is no longer shown."""
    if error is not None:
        for message in error.messages:
            form.add_error(None, message)
        messages.error(request, "Rien n'a été enregistré : " + " ".join(error.messages))
    else:
        messages.error(request, "Rien n'a été enregistré : corrigez le formulaire signalé.")
    return render_participant_page(request, participant, status=400, **{name: form})


@login_required
def participant_edit(request, pk: int):
    participant = get_participant_for_user(request, pk, perm="participants.correct_identity")
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
            duplicates = find_duplicates(
                request,
                **{name: form.cleaned_data[name] for name in identity},
                exclude_pk=participant.pk,
            )
        if not duplicates or confirm_form.cleaned_data.get("confirm_new_person"):
            try:
                services.update_participant(
                    participant=participant,
                    data={name: form.cleaned_data[name] for name in form.watched()},
                    seen=form.seen,
                )
            except ValidationError as error:
                form.refused(error)
            else:
                messages.success(request, "Identité et coordonnées enregistrées.")
                return redirect("web:participant", pk=participant.pk)
    return render(
        request,
        "participants/participant_form.html",
        {
            "participant": participant,
            "form": form,
            "duplicates": duplicates,
            "confirm_form": confirm_form,
            "coordination": coordination_contact() if duplicates else "",
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
    participant = get_participant_for_user(request, pk, perm="participants.plan_appointment")
    referral = open_referral(participant)
    form = AppointmentForm(request.POST)
    if not form.is_valid():
        return form_failed(request, participant, "appointment_form", form)
    try:
        with once(form.token) as submission:
            services.plan_appointment(
                referral=referral,
                scheduled_for=form.cleaned_data["scheduled_for"],
                with_user=participant.referent or request.user,
                place=form.cleaned_data["place"],
            )
            submission.leads_to(reverse("web:participant", args=[participant.pk]))
    except AlreadySubmitted as sent:
        return sent.response(request)
    except ValidationError as error:
        return form_failed(request, participant, "appointment_form", form, error)
    messages.success(request, "Rendez-vous enregistré.")
    return redirect("web:participant", pk=participant.pk)


@login_required
@require_POST
def outreach_attempt(request, pk: int):
    participant = get_participant_for_user(request, pk, perm="participants.record_outreach")
    referral = open_referral(participant)
    form = OutreachAttemptForm(
        request.POST,
        show_sensitive=request.user.has_perm("participants.view_sensitive_data", participant),
    )
    if not form.is_valid():
        return form_failed(request, participant, "outreach_form", form)
    back = reverse("web:participant", args=[participant.pk]) + "#orientation"
    try:
        with once(form.token) as submission:
            services.record_outreach_attempt(
                referral=referral, by=request.user, **form.cleaned_data
            )
            submission.leads_to(back)
    except AlreadySubmitted as sent:
        return sent.response(request)
    except ValidationError as error:
        return form_failed(request, participant, "outreach_form", form, error)
    messages.success(request, "Tentative d'aller-vers enregistrée.")
    return redirect(back)


@login_required
@permission_required("participants.view_outreach_worklist", raise_exception=True)
def outreach_list(request):
    outreach = outreach_worklist(request.user).annotate(
        attempt_count=Count("outreach_attempts"),
        last_attempt=Max("outreach_attempts__attempted_on"),
    )
    awaiting = awaiting_first_appointment(request.user)
    # The oldest first, OUTREACH_ROWS of each at most: the whole PLIE's run to thousands.
    rows = {"outreach": list(outreach[:OUTREACH_ROWS]), "awaiting": list(awaiting[:OUTREACH_ROWS])}
    shown(
        request,
        [referral.participant for part in rows.values() for referral in part],
        what="Aller-vers et premiers rendez-vous",
    )
    return render(
        request,
        "participants/outreach_list.html",
        {**rows, "outreach_total": outreach.count(), "awaiting_total": awaiting.count()},
    )
