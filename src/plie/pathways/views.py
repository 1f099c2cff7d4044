"""Entry/exit committee pages: meetings, their agenda, proposals and decisions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from plie.core import formatting
from plie.participants.access import get_pathway_for_user
from plie.pathways import services
from plie.pathways.enums import CommitteeDecision, MeetingStatus
from plie.pathways.forms import DecisionForm, MeetingForm, ProposeEntryForm
from plie.pathways.models import CommitteeItem, CommitteeMeeting
from plie.territory.models import Programme


@login_required
@permission_required("pathways.view_committee", raise_exception=True)
def committee_list(request):
    programme = Programme.current()
    form = MeetingForm(request.POST or None, programme=programme)
    if request.method == "POST":
        if not request.user.has_perm("pathways.manage_committee"):
            messages.error(
                request,
                "Seules la coordination et les chargés de projet programment les commissions.",
            )
            return redirect("pathways:committee_list")
        if form.is_valid():
            meeting = services.schedule_meeting(
                programme=programme, chaired_by=request.user, **form.cleaned_data
            )
            messages.success(request, f"{meeting} programmée.")
            return redirect("pathways:meeting_detail", pk=meeting.pk)
    meetings = CommitteeMeeting.objects.annotate(
        item_count=Count("items"),
        pending_count=Count("items", filter=Q(items__decision=CommitteeDecision.PENDING)),
    )
    today = timezone.localdate()
    # The next meeting first; one still "planned" after its date comes before it, flagged.
    upcoming = list(meetings.filter(status=MeetingStatus.PLANNED).order_by("held_on", "pk"))
    return render(
        request,
        "pathways/committee_list.html",
        {
            "form": form,
            "upcoming": upcoming,
            "next_meeting": next((m for m in upcoming if m.held_on >= today), None),
            "past": meetings.filter(status=MeetingStatus.HELD).order_by("-held_on", "-pk")[:24],
            "today": today,
        },
    )


@login_required
@permission_required("pathways.view_committee", raise_exception=True)
def meeting_detail(request, pk: int):
    meeting = get_object_or_404(CommitteeMeeting, pk=pk)
    items = meeting.items.select_related(
        "pathway__participant__commune", "proposed_referent", "proposed_by", "decided_by"
    ).prefetch_related("pathway__eligibility_assessments")
    for item in items:
        # Free texts (argument, exit details, decision reason) may reveal health or justice.
        item.show_sensitive = request.user.has_perm(
            "participants.view_sensitive_data", item.pathway.participant
        )
        item.assessment = next(iter(item.pathway.eligibility_assessments.all()), None)
        item.form = DecisionForm(
            prefix=f"item{item.pk}", initial={"referent": item.proposed_referent}
        )
    return render(
        request,
        "pathways/meeting_detail.html",
        {
            "meeting": meeting,
            "today": timezone.localdate(),
            "items": items,
            "can_manage": request.user.has_perm("pathways.manage_committee"),
        },
    )


@login_required
@permission_required("pathways.manage_committee", raise_exception=True)
@require_POST
def decide(request, pk: int, item_pk: int):
    item = get_object_or_404(
        CommitteeItem.objects.select_related(
            "meeting", "pathway__participant", "pathway__referral"
        ),
        pk=item_pk,
        meeting_id=pk,
    )
    form = DecisionForm(request.POST, prefix=f"item{item.pk}")
    if form.is_valid():
        try:
            services.decide(
                item=item,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                referent=form.cleaned_data["referent"],
                by=request.user,
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
        messages.error(request, f"{item.pathway.participant} : choisissez une décision.")
    return redirect("pathways:meeting_detail", pk=pk)


@login_required
@permission_required("pathways.manage_committee", raise_exception=True)
@require_POST
def close(request, pk: int):
    meeting = get_object_or_404(CommitteeMeeting, pk=pk)
    try:
        services.close_meeting(meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{meeting} clôturée.")
    return redirect("pathways:meeting_detail", pk=pk)


@login_required
def propose_entry(request, pk: int, number: int):
    participant, pathway = get_pathway_for_user(request, pk, number, perm="pathways.propose_entry")
    # The person's référent, or the pathway's when the person has none named yet.
    form = ProposeEntryForm(
        request.POST or None,
        initial={"proposed_referent": participant.referent or pathway.referent},
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.propose_entry(pathway=pathway, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"Entrée proposée à la commission du {formatting.day(item.meeting.held_on)}.",
            )
            return redirect("participants:detail", pk=participant.pk)
    return render(
        request,
        "pathways/propose_entry.html",
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
    allowed = "pathways.propose_entry" if item.kind == "entry" else "pathways.propose_exit"
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
    return redirect("participants:detail", pk=participant.pk)
