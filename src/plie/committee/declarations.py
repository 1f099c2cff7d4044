"""What the committee adds to the menu, the participant page and its history
(core.plugins), and its entries of the personal-data register (register.py); run when the app
is ready."""

from django.utils import timezone

from plie.committee import register
from plie.committee.enums import CommitteeDecision, CommitteeItemKind
from plie.committee.models import CommitteeItem
from plie.core import formatting
from plie.core.plugins import (
    HistoryEvent,
    MenuEntry,
    ParticipantPage,
    ParticipantSection,
    PendingExit,
    declare_history_source,
    declare_menu_entry,
    declare_participant_section,
    declare_pending_exits,
)
from plie.core.register import shown
from plie.participants.enums import PathwayStatus
from plie.pathways.presenters import current_pathway, exit_evaluation, latest_assessment


def committee_section(page: ParticipantPage) -> dict | None:
    """Proposals and decisions on the current pathway, and the buttons to propose."""
    pathway = current_pathway(page)
    if pathway is None:
        return None
    user, participant = page.user, page.participant
    items = list(
        pathway.committee_items.select_related(
            "meeting", "proposed_referent", "decided_by"
        ).order_by("-meeting__held_on", "-pk")
    )
    pending_exit = next(
        (
            i
            for i in items
            if i.kind == CommitteeItemKind.EXIT and i.decision == CommitteeDecision.PENDING
        ),
        None,
    )
    active = pathway.status == PathwayStatus.ACTIVE
    evaluation = exit_evaluation(page)
    context = {
        "pathway": pathway,
        "committee_items": items,
        "pending_exit": pending_exit,
        "exit_met": bool(evaluation and evaluation.met),
        "can_withdraw": user.has_perm("committee.propose_entry", participant),
        "can_propose": latest_assessment(page) is not None
        and pathway.status == PathwayStatus.DRAFT
        and user.has_perm("committee.propose_entry", participant),
        "can_propose_exit": active
        and pending_exit is None
        and user.has_perm("committee.propose_exit", participant),
    }
    if not (items or context["can_propose"] or context["can_propose_exit"]):
        return None
    return context


def _order(page: ParticipantPage) -> int:
    """Beside the exit conditions on an active pathway; after eligibility before entry."""
    pathway = current_pathway(page)
    return 45 if pathway is not None and pathway.status == PathwayStatus.ACTIVE else 75


def history(participant, show_sensitive: bool) -> list[HistoryEvent]:
    """Proposals and decisions; a decision's reason only for those who read sensitive data."""
    events = []
    items = CommitteeItem.objects.filter(pathway__participant=participant).select_related(
        "meeting", "decided_by", "pathway__referent"
    )
    for item in items:
        pathway = item.pathway
        proposed_at = timezone.localtime(item.proposed_at)
        what = "d'entrée" if item.kind == CommitteeItemKind.ENTRY else "de sortie"
        events.append(
            HistoryEvent(
                proposed_at.date(),
                f"Proposition {what} en commission",
                f"commission du {formatting.day(item.meeting.held_on)}",
                rank=4,
                at=proposed_at,
            )
        )
        if item.decision == CommitteeDecision.PENDING:
            continue
        if item.decision == CommitteeDecision.WITHDRAWN:
            withdrawn_at = timezone.localtime(item.decided_at)
            events.append(
                HistoryEvent(
                    withdrawn_at.date(),
                    f"Proposition {what} retirée",
                    f"commission du {formatting.day(item.meeting.held_on)}, retirée par "
                    f"{item.decided_by}",
                    rank=5,  # after the proposal, the same day
                    at=withdrawn_at,
                )
            )
            continue
        detail = item.reason if shown("committee.CommitteeItem.reason", show_sensitive) else ""
        if item.decision == CommitteeDecision.VALIDATED and item.kind == CommitteeItemKind.ENTRY:
            detail = f"référent(e) : {pathway.referent}"
        events.append(
            HistoryEvent(
                item.meeting.held_on,
                f"Commission : {item.get_kind_display().lower()} "
                f"{item.get_decision_display().lower()}",
                detail,
                rank=5 if item.kind == CommitteeItemKind.ENTRY else 9,
                at=timezone.localtime(item.decided_at) if item.decided_at else None,
            )
        )
    return events


def pending_exits(pathway_ids: list[int]) -> dict[int, PendingExit]:
    """Of these pathways, those whose exit awaits the committee (the latest proposal)."""
    found: dict[int, PendingExit] = {}
    for pathway_id, proposed_at, meeting_on in (
        CommitteeItem.objects.filter(
            pathway_id__in=pathway_ids,
            kind=CommitteeItemKind.EXIT,
            decision=CommitteeDecision.PENDING,
        )
        .order_by("proposed_at")
        .values_list("pathway_id", "proposed_at", "meeting__held_on")
    ):
        found[pathway_id] = PendingExit(timezone.localtime(proposed_at).date(), meeting_on)
    return found


def declare() -> None:
    declare_pending_exits(pending_exits)
    register.declare()
    declare_menu_entry(
        MenuEntry(
            "Commissions",
            "committee:committee_list",
            lambda user: user.has_perm("committee.view_committee"),
            order=60,
        )
    )
    declare_participant_section(
        ParticipantSection(
            "commission", "Commission", "committee/_committee.html", committee_section, _order
        )
    )
    declare_history_source(history)
