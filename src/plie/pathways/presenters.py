"""What the participant page shows of a pathway: its entry file, eligibility, and once the
person has entered, steps, contacts, the positive-exit conditions, the exit and follow-up."""

from django.utils import timezone

from plie.core.plugins import ParticipantPage
from plie.core.register import shown
from plie.participants.enums import PathwayStatus
from plie.pathways.entry_summary import entry_summary, visible_explanation
from plie.pathways.enums import StepOutcome
from plie.pathways.forms import AssessEligibilityForm
from plie.pathways.selectors import evaluate_exit

FOLLOWED = (PathwayStatus.ACTIVE, PathwayStatus.EXITED)


def current_pathway(page: ParticipantPage):
    """The person's latest pathway, read once for every section of the page."""
    if "pathway" not in page.shared:
        page.shared["pathway"] = (
            page.participant.pathways.select_related("education_level", "referent")
            .prefetch_related("barriers")
            .first()
        )
    return page.shared["pathway"]


def exit_evaluation(page: ParticipantPage):
    """The protocol's positive-exit conditions on an active pathway today (read once)."""
    if "exit_evaluation" not in page.shared:
        pathway = current_pathway(page)
        active = pathway is not None and pathway.status == PathwayStatus.ACTIVE
        page.shared["exit_evaluation"] = (
            evaluate_exit(pathway, timezone.localdate()) if active else None
        )
    return page.shared["exit_evaluation"]


def _followed(page: ParticipantPage):
    pathway = current_pathway(page)
    return pathway if pathway is not None and pathway.status in FOLLOWED else None


def steps_section(page: ParticipantPage) -> dict | None:
    pathway = _followed(page)
    if pathway is None:
        return None
    active = pathway.status == PathwayStatus.ACTIVE
    return {
        "pathway": pathway,
        "today": timezone.localdate(),  # a step starting later is « à venir », not « en cours »
        "StepOutcome": StepOutcome,
        "steps": pathway.steps.select_related("step_type"),
        "withdrawn_steps": pathway.steps(manager="including_withdrawn")
        .withdrawn()
        .select_related("step_type", "withdrawn_by"),
        "can_record_step": active and page.user.has_perm("pathways.record_step", page.participant),
        "can_transfer": active and page.user.has_perm("pathways.transfer", page.participant),
    }


def exit_section(page: ParticipantPage) -> dict | None:
    pathway = _followed(page)
    if pathway is None:
        return None
    return {
        "pathway": pathway,
        "exit_evaluation": exit_evaluation(page),
        "follow_up": getattr(pathway, "follow_up", None),
        "can_follow_up": page.user.has_perm("pathways.record_follow_up", page.participant),
    }


def contacts_section(page: ParticipantPage) -> dict | None:
    pathway = _followed(page)
    if pathway is None:
        return None
    active = pathway.status == PathwayStatus.ACTIVE
    return {
        "pathway": pathway,
        "contacts": pathway.contacts.select_related("by")[:20],
        "contact_count": pathway.contacts.count(),
        "withdrawn_contacts": pathway.contacts(manager="including_withdrawn")
        .withdrawn()
        .select_related("by", "withdrawn_by"),
        "show_contact_summaries": shown("pathways.Contact.summary", page.show_sensitive),
        "can_record_contact": active
        and page.user.has_perm("pathways.record_contact", page.participant),
    }


def entry_file_section(page: ParticipantPage) -> dict | None:
    pathway = current_pathway(page)
    if pathway is None:
        return None
    return {
        "pathway": pathway,
        "follows": pathway.status in FOLLOWED,
        "PathwayStatus": PathwayStatus,
        "entry_summary": entry_summary(pathway, show_sensitive=page.show_sensitive),
        "can_edit_entry_file": page.user.has_perm("pathways.edit_entry_file", page.participant),
    }


def latest_assessment(page: ParticipantPage):
    if "assessment" not in page.shared:
        pathway = current_pathway(page)
        page.shared["assessment"] = (
            pathway.eligibility_assessments.select_related("protocol").first() if pathway else None
        )
    return page.shared["assessment"]


def eligibility_section(page: ParticipantPage) -> dict | None:
    pathway = current_pathway(page)
    if pathway is None:
        return None
    assessment = latest_assessment(page)
    summary, findings = (
        visible_explanation(assessment.explanation, show_sensitive=page.show_sensitive)
        if assessment
        else ("", [])
    )
    return {
        "pathway": pathway,
        "PathwayStatus": PathwayStatus,
        "assessment": assessment,
        "assess_form": AssessEligibilityForm(),
        "summary": summary.removeprefix("Impossible de conclure : "),
        "findings": findings,
        "can_assess": page.user.has_perm("participants.assess_eligibility", page.participant),
    }
