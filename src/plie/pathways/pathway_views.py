"""Pages of a pathway in progress: steps, contacts, change of référent, follow-up."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from plie.core import formatting
from plie.core.forms import apply_errors
from plie.core.submissions import AlreadySubmitted, once
from plie.pathways import recording
from plie.pathways.access import get_pathway_for_user
from plie.pathways.forms import (
    ContactForm,
    FollowUpForm,
    StepForm,
    TransferForm,
    WithdrawalForm,
)
from plie.pathways.models import Contact, FollowUp, Step


def _back_url(participant, anchor: str = "parcours") -> str:
    """The participant page, at the section the user just changed."""
    return reverse("web:participant", args=[participant.pk]) + f"#{anchor}"


def _back(participant, anchor: str = "parcours"):
    return redirect(_back_url(participant, anchor))


@login_required
def step_edit(request, pk: int, number: int, step_pk: int | None = None):
    participant, pathway = get_pathway_for_user(request, pk, number, perm="pathways.record_step")
    step = get_object_or_404(Step, pk=step_pk, pathway=pathway) if step_pk else None
    show_sensitive = request.user.has_perm("participants.view_sensitive_data", participant)
    form = StepForm(
        request.POST or None,
        instance=step,
        show_sensitive=show_sensitive,
        entry_date=pathway.entry_date,
    )
    if request.method == "POST" and form.is_valid():
        data = form.step_data()
        try:
            if step is None:
                with once(form.token) as submission:
                    step = recording.add_step(pathway=pathway, data=data, by=request.user)
                    submission.leads_to(_back_url(participant, "etapes"))
                messages.success(request, f"Étape « {step.step_type} » ajoutée.")
            else:
                recording.update_step(step=step, data=data, seen=form.seen)
                messages.success(request, f"Étape « {step.step_type} » modifiée.")
            if data.get("outcome") != step.outcome:
                # « En cours » with a real end that has come: the step is completed (one rule,
                # recording.settled_outcome, the import's too). Say so rather than silently.
                messages.info(
                    request,
                    f"Une fin réelle est indiquée : l'issue est « {step.get_outcome_display()} ». "
                    "Si l'étape a été interrompue, modifiez son issue.",
                )
            return _back(participant, "etapes")
        except AlreadySubmitted as sent:
            return sent.response(request)
        except ValidationError as error:
            form.refused(error)
    return render(
        request,
        "pathways/step_form.html",
        {
            "participant": participant,
            "pathway": pathway,
            "form": form,
            "step": step,
            "margin_days": recording.STEP_BEFORE_ENTRY_DAYS,
        },
    )


@login_required
def step_withdraw(request, pk: int, number: int, step_pk: int):
    """A step entered by mistake: withdrawn with a reason, kept for the history."""
    participant, pathway = get_pathway_for_user(request, pk, number, perm="pathways.record_step")
    step = get_object_or_404(Step.objects.select_related("step_type"), pk=step_pk, pathway=pathway)
    step.pathway = pathway
    return _withdraw(
        request,
        participant,
        pathway,
        step,
        what=f"l'étape « {step.step_type} » du {formatting.day(step.start_date)}",
        done=f"Étape « {step.step_type} » du {formatting.day(step.start_date)} retirée.",
        withdraw=lambda reason: recording.withdraw_step(step=step, reason=reason, by=request.user),
    )


@login_required
def contact_edit(request, pk: int, number: int, contact_pk: int | None = None):
    participant, pathway = get_pathway_for_user(request, pk, number, perm="pathways.record_contact")
    contact = get_object_or_404(Contact, pk=contact_pk, pathway=pathway) if contact_pk else None
    if contact is not None:
        contact.pathway = pathway
    show_sensitive = request.user.has_perm("participants.view_sensitive_data", participant)
    form = ContactForm(request.POST or None, instance=contact, show_sensitive=show_sensitive)
    if request.method == "POST" and form.is_valid():
        data = form.contact_data()
        try:
            if contact is None:
                with once(form.token) as submission:
                    contact = recording.record_contact(pathway=pathway, data=data, by=request.user)
                    submission.leads_to(_back_url(participant, "contacts"))
                messages.success(request, f"{contact} enregistré.")
            else:
                recording.update_contact(contact=contact, data=data, seen=form.seen)
                messages.success(request, f"{contact} modifié.")
            return _back(participant, "contacts")
        except AlreadySubmitted as sent:
            return sent.response(request)
        except ValidationError as error:
            form.refused(error)
    return render(
        request,
        "pathways/contact_form.html",
        {"participant": participant, "pathway": pathway, "form": form, "contact": contact},
    )


@login_required
def contact_withdraw(request, pk: int, number: int, contact_pk: int):
    participant, pathway = get_pathway_for_user(request, pk, number, perm="pathways.record_contact")
    contact = get_object_or_404(Contact, pk=contact_pk, pathway=pathway)
    contact.pathway = pathway
    return _withdraw(
        request,
        participant,
        pathway,
        contact,
        what=f"le contact du {formatting.day(contact.contacted_on)} ({contact.get_mode_display()})",
        done=f"{contact} retiré.",
        withdraw=lambda reason: recording.withdraw_contact(
            contact=contact, reason=reason, by=request.user
        ),
    )


def _withdraw(request, participant, pathway, record, *, what: str, done: str, withdraw):
    """The confirmation page of a withdrawal, which asks for its reason."""
    form = WithdrawalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            withdraw(form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, done)
            return _back(participant, "contacts" if isinstance(record, Contact) else "etapes")
    return render(
        request,
        "pathways/withdraw_form.html",
        {
            "participant": participant,
            "pathway": pathway,
            "form": form,
            "record": record,
            "what": what,
            "is_step": isinstance(record, Step),
        },
    )


@login_required
def transfer(request, pk: int, number: int):
    participant, pathway = get_pathway_for_user(request, pk, number, perm="pathways.transfer")
    form = TransferForm(request.POST or None, current=pathway.referent, record=pathway)
    if request.method == "POST" and form.is_valid():
        try:
            change = recording.transfer_pathway(
                pathway=pathway, by=request.user, seen=form.seen, **form.cleaned_data
            )
            messages.success(request, f"Le parcours est confié à {change.new_referent}.")
            return _back(participant)
        except ValidationError as error:
            form.refused(error)
    history = pathway.referent_changes.select_related("previous_referent", "new_referent", "by")
    return render(
        request,
        "pathways/transfer_form.html",
        {"participant": participant, "pathway": pathway, "form": form, "history": history},
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
            recording.record_follow_up(
                follow_up=record, data=form.cleaned_data, by=request.user, seen=form.seen
            )
            messages.success(request, "Suivi à six mois enregistré.")
            return _back(participant)
        except ValidationError as error:
            form.refused(error)
    return render(
        request,
        "pathways/follow_up_form.html",
        {"participant": participant, "pathway": pathway, "form": form, "follow_up": record},
    )
