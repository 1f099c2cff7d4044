"""Pages of a pathway in progress: steps, contacts, change of référent, exit, follow-up."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from plie.participants.access import get_pathway_for_user
from plie.pathways import recording, services
from plie.pathways.enums import CommitteeDecision, CommitteeItemKind
from plie.pathways.forms import (
    ContactForm,
    FollowUpForm,
    ProposeExitForm,
    StepForm,
    TransferForm,
)
from plie.pathways.models import FollowUp, Step
from plie.pathways.selectors import evaluate_exit


def _apply_errors(form, error: ValidationError) -> None:
    """Put a service's refusal on the form: on its field when it names one, else on top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _back(participant):
    return redirect(f"/participants/{participant.pk}/#parcours")


@login_required
def step_edit(request, pk: int, number: int, step_pk: int | None = None):
    participant, pathway = get_pathway_for_user(request, pk, number, perm="pathways.record_step")
    step = get_object_or_404(Step, pk=step_pk, pathway=pathway) if step_pk else None
    show_sensitive = request.user.has_perm("participants.view_sensitive_data", participant)
    form = StepForm(request.POST or None, instance=step, show_sensitive=show_sensitive)
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in form.fields}
        try:
            if step is None:
                step = recording.add_step(pathway=pathway, data=data, by=request.user)
                messages.success(request, f"Étape « {step.step_type} » ajoutée.")
            else:
                recording.update_step(step=step, data=data)
                messages.success(request, f"Étape « {step.step_type} » modifiée.")
            return _back(participant)
        except ValidationError as error:
            _apply_errors(form, error)
    return render(
        request,
        "pathways/step_form.html",
        {"participant": participant, "pathway": pathway, "form": form, "step": step},
    )


@login_required
def contact_add(request, pk: int, number: int):
    participant, pathway = get_pathway_for_user(request, pk, number, perm="pathways.record_contact")
    show_sensitive = request.user.has_perm("participants.view_sensitive_data", participant)
    form = ContactForm(request.POST or None, show_sensitive=show_sensitive)
    if request.method == "POST" and form.is_valid():
        try:
            contact = recording.record_contact(
                pathway=pathway, data=form.cleaned_data, by=request.user
            )
            messages.success(request, f"{contact} enregistré.")
            return _back(participant)
        except ValidationError as error:
            _apply_errors(form, error)
    return render(
        request,
        "pathways/contact_form.html",
        {"participant": participant, "pathway": pathway, "form": form},
    )


@login_required
def transfer(request, pk: int, number: int):
    participant, pathway = get_pathway_for_user(request, pk, number, perm="pathways.transfer")
    form = TransferForm(request.POST or None, current=pathway.referent)
    if request.method == "POST" and form.is_valid():
        try:
            change = recording.transfer_pathway(
                pathway=pathway, by=request.user, **form.cleaned_data
            )
            messages.success(request, f"Le parcours est confié à {change.new_referent}.")
            return _back(participant)
        except ValidationError as error:
            _apply_errors(form, error)
    history = pathway.referent_changes.select_related("previous_referent", "new_referent", "by")
    return render(
        request,
        "pathways/transfer_form.html",
        {"participant": participant, "pathway": pathway, "form": form, "history": history},
    )


@login_required
def propose_exit(request, pk: int, number: int):
    participant, pathway = get_pathway_for_user(request, pk, number, perm="pathways.propose_exit")
    pending = pathway.committee_items.filter(
        kind=CommitteeItemKind.EXIT, decision=CommitteeDecision.PENDING
    ).first()
    if pending is not None:
        messages.info(
            request,
            f"La sortie est déjà proposée à la {pending.meeting} : pour en proposer une autre, "
            "retirez d'abord cette proposition depuis la fiche.",
        )
        return _back(participant)
    today = timezone.localdate()
    evaluation = evaluate_exit(pathway, today)
    initial = {"exit_date": today}
    if evaluation.met:
        initial["reason"] = "positive"
    form = ProposeExitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.propose_exit(pathway=pathway, by=request.user, **form.cleaned_data)
            messages.success(request, f"Sortie proposée à la {item.meeting}.")
            return _back(participant)
        except ValidationError as error:
            _apply_errors(form, error)
    return render(
        request,
        "pathways/exit_form.html",
        {
            "participant": participant,
            "pathway": pathway,
            "form": form,
            "evaluation": evaluation,
            "today": today,
        },
    )


@login_required
def follow_up(request, pk: int, number: int):
    participant, pathway = get_pathway_for_user(
        request, pk, number, perm="pathways.record_follow_up"
    )
    record = get_object_or_404(FollowUp, pathway=pathway)
    form = FollowUpForm(request.POST or None, instance=record)
    if request.method == "POST" and form.is_valid():
        try:
            recording.record_follow_up(follow_up=record, data=form.cleaned_data, by=request.user)
            messages.success(request, "Suivi à six mois enregistré.")
            return _back(participant)
        except ValidationError as error:
            _apply_errors(form, error)
    return render(
        request,
        "pathways/follow_up_form.html",
        {"participant": participant, "pathway": pathway, "form": form, "follow_up": record},
    )
