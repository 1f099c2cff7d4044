"""Entry/exit committee pages: meetings, their agenda, proposals and decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from plie.accounts.second_factor import require_recent_second_factor
from plie.audit.journal import record_document
from plie.audit.reads import shown
from plie.committee import services
from plie.committee.enums import CommitteeDecision, CommitteeItemKind, MeetingStatus
from plie.committee.forms import (
    DecisionForm,
    MeetingForm,
    MoveItemForm,
    ProposeEntryForm,
    ProposeExitForm,
)
from plie.committee.models import CommitteeItem, CommitteeMeeting
from plie.core import formatting
from plie.core.forms import apply_errors
from plie.core.pdf import pdf_response, render_pdf
from plie.core.submissions import AlreadySubmitted, once
from plie.pathways.access import get_pathway_for_user
from plie.pathways.selectors import evaluate_exit
from plie.territory.models import Programme


@login_required
@permission_required("committee.view_committee", raise_exception=True)
def committee_list(request):
    programme = Programme.current()
    form = MeetingForm(request.POST or None, programme=programme)
    if request.method == "POST":
        if not request.user.has_perm("committee.manage_committee"):
            raise PermissionDenied(
                "Seules la coordinatrice et les chargés de projet programment les commissions."
            )
        if (sent := form.already_sent()) is not None:
            return sent.response(request)
        if form.is_valid():
            try:
                with once(form.token) as submission:
                    meeting = services.schedule_meeting(
                        programme=programme, chaired_by=request.user, **form.cleaned_data
                    )
                    submission.leads_to(reverse("committee:meeting_detail", args=[meeting.pk]))
            except AlreadySubmitted as sent:
                return sent.response(request)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, f"{meeting} programmée.")
                return redirect("committee:meeting_detail", pk=meeting.pk)
    meetings = CommitteeMeeting.objects.annotate(
        item_count=Count("items", filter=~Q(items__decision=CommitteeDecision.WITHDRAWN)),
        pending_count=Count("items", filter=Q(items__decision=CommitteeDecision.PENDING)),
    )
    today = timezone.localdate()
    # The next meeting first; one still "planned" after its date comes before it, flagged.
    upcoming = list(meetings.filter(status=MeetingStatus.PLANNED).order_by("held_on", "pk"))
    return render(
        request,
        "committee/committee_list.html",
        {
            "form": form,
            "upcoming": upcoming,
            "next_meeting": next((m for m in upcoming if m.held_on >= today), None),
            "past": meetings.filter(status=MeetingStatus.HELD).order_by("-held_on", "-pk")[:24],
            "today": today,
        },
    )


def _items(meeting: CommitteeMeeting, user) -> list[CommitteeItem]:
    """The meeting's items, each knowing whether its reader sees its free texts."""
    items = list(
        meeting.items.select_related(
            "pathway__participant__commune",
            "pathway__referent",
            "proposed_referent",
            "proposed_by",
            "decided_by",
        ).prefetch_related("pathway__eligibility_assessments__protocol")
    )
    for item in items:
        # Free texts (argument, exit details, decision reason) may reveal health or justice.
        item.show_sensitive = user.has_perm(
            "participants.view_sensitive_data", item.pathway.participant
        )
        item.assessment = next(iter(item.pathway.eligibility_assessments.all()), None)
    return items


def _agenda(meeting: CommitteeMeeting, user) -> dict:
    items = _items(meeting, user)
    return {
        "meeting": meeting,
        "items": [i for i in items if i.decision != CommitteeDecision.WITHDRAWN],
        "withdrawn": [i for i in items if i.decision == CommitteeDecision.WITHDRAWN],
        "hidden_texts": any(not item.show_sensitive for item in items),
    }


@login_required
@permission_required("committee.view_committee", raise_exception=True)
def meeting_detail(request, pk: int):
    meeting = get_object_or_404(CommitteeMeeting, pk=pk)
    today = timezone.localdate()
    context = _agenda(meeting, request.user)
    shown(request, _people(context), what=str(meeting))
    for item in context["items"]:
        item.form = DecisionForm(
            prefix=f"item{item.pk}", initial={"referent": item.proposed_referent}, record=item
        )
        item.move_form = MoveItemForm(prefix=f"move{item.pk}", current=meeting, record=item)
    return render(
        request,
        "committee/meeting_detail.html",
        {
            **context,
            "today": today,
            "can_manage": request.user.has_perm("committee.manage_committee"),
            "can_close": services.can_close(meeting, today),
            # Where a pending item may go: one list for every item of the page.
            "other_meetings": list(MoveItemForm(current=meeting).fields["meeting"].queryset),
        },
    )


@login_required
@permission_required("committee.manage_committee", raise_exception=True)
@require_POST
def decide(request, pk: int, item_pk: int):
    item = get_object_or_404(
        CommitteeItem.objects.select_related(
            "meeting", "pathway__participant", "pathway__referral"
        ),
        pk=item_pk,
        meeting_id=pk,
    )
    form = DecisionForm(request.POST, prefix=f"item{item.pk}", record=item)
    if form.is_valid():
        try:
            services.decide(
                item=item,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                referent=form.cleaned_data["referent"],
                by=request.user,
                seen=form.seen,
            )
        except ValidationError as error:
            messages.error(request, f"{item.pathway.participant} : {' '.join(error.messages)}")
        else:
            messages.success(
                request,
                f"{item.pathway.participant} : {item.get_kind_display().lower()} "
                f"{item.get_decision_display().lower()}.",
            )
    else:
        problems = " ".join(
            f"{form.fields[field].label} : {message}" if field in form.fields else message
            for field, errors in form.errors.items()
            for message in errors
        )
        messages.error(request, f"{item.pathway.participant} — {problems}")
    return redirect("committee:meeting_detail", pk=pk)


@login_required
@permission_required("committee.manage_committee", raise_exception=True)
@require_POST
def move(request, pk: int, item_pk: int):
    """A pending proposal goes to another upcoming meeting (the journal keeps the move)."""
    item = get_object_or_404(
        CommitteeItem.objects.select_related(
            "meeting", "pathway__participant", "pathway__referral"
        ),
        pk=item_pk,
        meeting_id=pk,
    )
    form = MoveItemForm(request.POST, prefix=f"move{item.pk}", current=item.meeting, record=item)
    participant = item.pathway.participant
    if not form.is_valid():
        messages.error(
            request,
            f"{participant} : "
            + (" ".join(form.non_field_errors()) or "choisissez une commission à venir."),
        )
        return redirect("committee:meeting_detail", pk=pk)
    try:
        services.move_item(item=item, meeting=form.cleaned_data["meeting"], seen=form.seen)
    except ValidationError as error:
        messages.error(request, f"{participant} : {' '.join(error.messages)}")
    else:
        messages.success(request, f"{participant} : dossier reporté à la {item.meeting}.")
    return redirect("committee:meeting_detail", pk=pk)


@login_required
@permission_required("committee.manage_committee", raise_exception=True)
@require_POST
def close(request, pk: int):
    """Closing is final (the minutes are drawn from it): the form asks to confirm."""
    meeting = get_object_or_404(CommitteeMeeting, pk=pk)
    if request.POST.get("confirm") != "on":
        messages.error(
            request,
            "Cochez « Je confirme la clôture » : une fois clôturée, la commission et ses "
            "décisions ne peuvent plus être modifiées.",
        )
        return redirect("committee:meeting_detail", pk=pk)
    try:
        services.close_meeting(meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{meeting} clôturée.")
    return redirect("committee:meeting_detail", pk=pk)


@login_required
def propose_entry(request, pk: int, number: int):
    participant, pathway = get_pathway_for_user(request, pk, number, perm="committee.propose_entry")
    # The person's référent, or the pathway's when the person has none named yet.
    form = ProposeEntryForm(
        request.POST or None,
        initial={"proposed_referent": participant.referent or pathway.referent},
    )
    if request.method == "POST" and form.is_valid():
        try:
            with once(form.token) as submission:
                item = services.propose_entry(pathway=pathway, by=request.user, **form.cleaned_data)
                submission.leads_to(reverse("web:participant", args=[participant.pk]))
        except AlreadySubmitted as sent:
            return sent.response(request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"Entrée proposée à la commission du {formatting.day(item.meeting.held_on)}.",
            )
            return redirect("web:participant", pk=participant.pk)
    return render(
        request,
        "committee/propose_entry.html",
        {
            "participant": participant,
            "pathway": pathway,
            "form": form,
            "assessment": pathway.eligibility_assessments.first(),
        },
    )


@login_required
@require_POST
def withdraw(request, pk: int, item_pk: int):
    """The proposer's référent or a case lead takes a pending proposal off the agenda."""
    item = get_object_or_404(
        CommitteeItem.objects.select_related("pathway__participant", "meeting"),
        pk=item_pk,
        meeting_id=pk,
    )
    participant = item.pathway.participant
    allowed = "committee.propose_entry" if item.kind == "entry" else "committee.propose_exit"
    if not request.user.has_perm(allowed, participant):
        raise PermissionDenied(
            "Seuls le référent du parcours et la coordination retirent une proposition."
        )
    try:
        services.withdraw_proposal(item=item, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Proposition retirée de la {item.meeting}.")
    return redirect("web:participant", pk=participant.pk)


@login_required
def propose_exit(request, pk: int, number: int):
    participant, pathway = get_pathway_for_user(request, pk, number, perm="committee.propose_exit")
    if request.method == "POST" and (sent := ProposeExitForm(request.POST).already_sent()):
        return sent.response(request)  # before the page's own check, which it would meet
    pending = pathway.committee_items.filter(
        kind=CommitteeItemKind.EXIT, decision=CommitteeDecision.PENDING
    ).first()
    if pending is not None:
        messages.info(
            request,
            f"La sortie est déjà proposée à la {pending.meeting} : pour en proposer une autre, "
            "retirez d'abord cette proposition depuis la fiche.",
        )
        return redirect(f"/participants/{participant.pk}/#commission")
    today = timezone.localdate()
    evaluation = evaluate_exit(pathway, today)
    initial = {"exit_date": today}
    if evaluation.met:
        initial["reason"] = "positive"
    form = ProposeExitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        back = reverse("web:participant", args=[participant.pk]) + "#parcours"
        try:
            with once(form.token) as submission:
                item = services.propose_exit(pathway=pathway, by=request.user, **form.cleaned_data)
                submission.leads_to(back)
            messages.success(request, f"Sortie proposée à la {item.meeting}.")
            return redirect(back)
        except AlreadySubmitted as sent:
            return sent.response(request)
        except ValidationError as error:
            apply_errors(form, error)
    return render(
        request,
        "committee/exit_form.html",
        {
            "participant": participant,
            "pathway": pathway,
            "form": form,
            "evaluation": evaluation,
            "today": today,
        },
    )


def _people(agenda: dict) -> list:
    """The people a meeting's page or document names: its items', withdrawn ones too."""
    return [item.pathway.participant for item in agenda["items"] + agenda["withdrawn"]]


def _journal_document(meeting: CommitteeMeeting, user, document: str, agenda: dict, items) -> None:
    """A document naming people leaves the application: the journal keeps who took it, and
    whom it names (`items` are the items it counts)."""
    record_document(
        user=user,
        about=meeting,
        document=document,
        participant_ids=[person.pk for person in _people(agenda)],
        dossiers=len(items),
    )


@login_required
@permission_required("committee.view_committee", raise_exception=True)
@require_recent_second_factor  # the document names the people on the agenda
def agenda_pdf(request, pk: int):
    """The agenda to print before the meeting: what its members may read of each item."""
    meeting = get_object_or_404(CommitteeMeeting.objects.select_related("programme"), pk=pk)
    context = _agenda(meeting, request.user)
    _journal_document(meeting, request.user, "ordre du jour", context, context["items"])
    content = render_pdf("committee/agenda_pdf.html", context, programme=meeting.programme)
    return pdf_response(content, f"ordre-du-jour-{meeting.held_on:%Y-%m-%d}.pdf")


@login_required
@permission_required("committee.view_committee", raise_exception=True)
@require_recent_second_factor  # the document names the people on the agenda
def minutes_pdf(request, pk: int):
    """The minutes, once the meeting is closed: each decision, its reason, who decided."""
    meeting = get_object_or_404(
        CommitteeMeeting.objects.select_related("programme", "chaired_by"), pk=pk
    )
    if meeting.status != MeetingStatus.HELD:
        messages.error(
            request,
            "Le compte rendu s'édite une fois la commission clôturée : enregistrez ses "
            "décisions, puis clôturez-la.",
        )
        return redirect("committee:meeting_detail", pk=pk)
    context = _agenda(meeting, request.user)
    _journal_document(
        meeting, request.user, "compte rendu", context, context["items"] + context["withdrawn"]
    )
    content = render_pdf("committee/minutes_pdf.html", context, programme=meeting.programme)
    return pdf_response(content, f"compte-rendu-commission-{meeting.held_on:%Y-%m-%d}.pdf")
