"""What the participant record shows of a pathway in progress: steps, contacts, exit, follow-up."""

from django.utils import timezone

from plie.committee.enums import CommitteeDecision, CommitteeItemKind
from plie.participants.enums import PathwayStatus
from plie.pathways.enums import StepOutcome
from plie.pathways.selectors import evaluate_exit

FOLLOWED = (PathwayStatus.ACTIVE, PathwayStatus.EXITED)


def pathway_follow_up_context(user, participant, pathway, show_sensitive: bool) -> dict:
    if pathway is None or pathway.status not in FOLLOWED:
        return {"follows": False}
    today = timezone.localdate()
    active = pathway.status == PathwayStatus.ACTIVE
    pending_exit = (
        pathway.committee_items.filter(
            kind=CommitteeItemKind.EXIT, decision=CommitteeDecision.PENDING
        )
        .select_related("meeting")
        .first()
    )
    return {
        "follows": True,
        "today": today,  # a step starting later is « à venir », not « en cours »
        "StepOutcome": StepOutcome,
        "steps": pathway.steps.select_related("step_type"),
        "contacts": pathway.contacts.select_related("by")[:20],
        "contact_count": pathway.contacts.count(),
        "exit_evaluation": evaluate_exit(pathway, today) if active else None,
        "pending_exit": pending_exit,
        "follow_up": getattr(pathway, "follow_up", None),
        "show_contact_summaries": show_sensitive,
        "can_record_step": active and user.has_perm("pathways.record_step", participant),
        "can_record_contact": active and user.has_perm("pathways.record_contact", participant),
        "can_propose_exit": active
        and pending_exit is None
        and user.has_perm("committee.propose_exit", participant),
        "can_propose_exit_again": active and user.has_perm("committee.propose_exit", participant),
        "can_transfer": active and user.has_perm("pathways.transfer", participant),
        "can_follow_up": user.has_perm("pathways.record_follow_up", participant),
    }
