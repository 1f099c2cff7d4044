"""Pages from the first appointment to the entry file: the appointment's outcome, the entry
file, the eligibility assessment, and the referral closed without entry."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from plie.core.submissions import AlreadySubmitted, once
from plie.core.versioning import StaleEdit
from plie.participants.access import get_participant_for_user
from plie.participants.enums import PathwayStatus
from plie.participants.forms import AppointmentOutcomeForm, CloseReferralForm
from plie.participants.models import Appointment
from plie.participants.views import error_messages, form_failed, open_referral
from plie.pathways import entry
from plie.pathways.access import get_pathway_for_user
from plie.pathways.forms import AssessEligibilityForm, EntryFileForm


@login_required
def entry_file_edit(request, pk: int, number: int):
    participant, pathway = get_pathway_for_user(
        request, pk, number, perm="pathways.edit_entry_file"
    )
    if pathway.status not in (PathwayStatus.DRAFT, PathwayStatus.ACTIVE):
        raise PermissionDenied(
            "Ce dossier d'entrée est proposé en commission ou clos : retirez d'abord la "
            "proposition depuis la fiche pour le modifier."
            if pathway.status == PathwayStatus.PROPOSED
            else "Ce parcours est clos : il ne peut plus être modifié."
        )
    show_sensitive = request.user.has_perm("participants.view_sensitive_data", participant)
    form = EntryFileForm(request.POST or None, instance=pathway, show_sensitive=show_sensitive)
    if request.method == "POST" and form.is_valid():
        try:
            entry.update_entry_file(
                pathway=pathway,
                data=form.entry_file_data(),
                seen=form.seen,
                barriers_shown=form.fields["barriers"].queryset,
            )
        except ValidationError as error:
            form.refused(error)
        else:
            examined = pathway.eligibility_assessments.exists()
            messages.success(
                request,
                "Dossier d'entrée enregistré. "
                + (
                    "Relancez l'examen d'éligibilité pour tenir compte des changements."
                    if examined
                    else "Vous pouvez maintenant examiner l'éligibilité."
                ),
            )
            return redirect("web:participant", pk=participant.pk)
    return render(
        request,
        "pathways/entry_file_form.html",
        {
            "participant": participant,
            "pathway": pathway,
            "form": form,
            "show_sensitive": show_sensitive,
        },
    )


@login_required
@require_POST
def eligibility_assess(request, pk: int, number: int):
    participant, pathway = get_pathway_for_user(
        request, pk, number, perm="participants.assess_eligibility"
    )
    back = reverse("web:participant", args=[participant.pk]) + "#eligibilite"
    form = AssessEligibilityForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.non_field_errors()))
        return redirect(back)
    try:
        with once(form.token) as submission:
            assessment = entry.assess_eligibility(pathway=pathway, by=request.user)
            submission.leads_to(back)
    except AlreadySubmitted as sent:
        return sent.response(request)
    except ValidationError as error:
        messages.error(request, error_messages(error))
    else:
        messages.info(request, f"Éligibilité examinée : {assessment.get_verdict_display()}.")
    return redirect(back)


@login_required
@require_POST
def appointment_outcome(request, pk: int, appointment_pk: int):
    participant = get_participant_for_user(request, pk, perm="participants.plan_appointment")
    appointment = get_object_or_404(
        Appointment, pk=appointment_pk, referral__participant=participant
    )
    form = AppointmentOutcomeForm(request.POST, record=appointment)
    if not form.is_valid():
        messages.error(
            request,
            " ".join(form.non_field_errors())
            or "Choisissez l'issue du rendez-vous : venu(e), absent(e) ou annulé.",
        )
        return redirect("web:participant", pk=participant.pk)
    try:
        pathway = entry.record_appointment_outcome(
            appointment=appointment, outcome=form.cleaned_data["outcome"], seen=form.seen
        )
    except ValidationError as error:
        messages.error(request, error_messages(error))
        return redirect("web:participant", pk=participant.pk)
    if pathway is not None:
        messages.success(request, "Personne reçue : complétez maintenant son dossier d'entrée.")
        return redirect("pathways:entry_file", pk=participant.pk, number=pathway.number)
    messages.info(request, "Issue du rendez-vous enregistrée.")
    return redirect("web:participant", pk=participant.pk)


@login_required
@require_POST
def referral_close(request, pk: int):
    participant = get_participant_for_user(request, pk, perm="participants.close_referral")
    referral = open_referral(participant)
    form = CloseReferralForm(request.POST, prefix="close", record=referral)
    if not form.is_valid():
        return form_failed(request, participant, "close_form", form)
    try:
        entry.close_referral(referral=referral, seen=form.seen, **form.cleaned_data)
    except StaleEdit as stale:
        form.refused(stale)  # each change listed, the form on the current version
        return form_failed(request, participant, "close_form", form)
    except ValidationError as error:
        return form_failed(request, participant, "close_form", form, error)
    messages.success(request, "Orientation clôturée.")
    return redirect("web:participant", pk=participant.pk)
