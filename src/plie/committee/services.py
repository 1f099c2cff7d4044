"""Entry/exit committee: proposals on a meeting's agenda and the decisions taken there."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from plie.committee.enums import CommitteeDecision, CommitteeItemKind, MeetingStatus
from plie.committee.models import CommitteeItem, CommitteeMeeting
from plie.core import formatting
from plie.core.months import add_months
from plie.core.plurals import counted
from plie.participants.enums import (
    EligibilityVerdict,
    ExitReason,
    PathwayStatus,
    ReferralOutcome,
    ReferralStatus,
)
from plie.participants.services import refresh_state
from plie.pathways.enums import JOB_CATEGORIES, StepCategory
from plie.pathways.models import FollowUp, Pathway, StepType
from plie.pathways.selectors import evaluate_exit, exit_rules_on

FOLLOW_UP_MONTHS = 6


@transaction.atomic
def schedule_meeting(*, programme, held_on, place: str = "", chaired_by=None) -> CommitteeMeeting:
    meeting = CommitteeMeeting(
        programme=programme, held_on=held_on, place=place, chaired_by=chaired_by
    )
    meeting.full_clean()
    meeting.save()
    return meeting


@transaction.atomic
def propose_entry(
    *, pathway: Pathway, meeting: CommitteeMeeting, proposed_referent, note: str = "", by
) -> CommitteeItem:
    if pathway.status != PathwayStatus.DRAFT:
        raise ValidationError(
            "Seul un dossier d'entrée en cours peut être proposé en commission "
            f"(ce parcours est « {pathway.get_status_display()} »)."
        )
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(
            "Cette commission est déjà tenue : choisissez une commission à venir."
        )
    if pathway.referral and meeting.held_on < pathway.referral.referred_on:
        raise ValidationError(
            "La commission ne peut pas précéder l'orientation du "
            f"{formatting.day(pathway.referral.referred_on)} : choisissez une commission plus "
            "tardive."
        )
    latest = pathway.eligibility_assessments.first()
    if latest is None:
        raise ValidationError(
            "Examinez l'éligibilité avant de proposer l'entrée : la commission a besoin du résultat."
        )
    if latest.verdict != EligibilityVerdict.ELIGIBLE and not note.strip():
        raise ValidationError(
            "Le dernier examen ne conclut pas à l'éligibilité : expliquez dans l'argumentaire "
            "pourquoi vous proposez tout de même l'entrée."
        )
    item = CommitteeItem.objects.create(
        meeting=meeting,
        pathway=pathway,
        kind=CommitteeItemKind.ENTRY,
        proposed_by=by,
        proposed_referent=proposed_referent,
        proposal_note=note,
    )
    pathway.status = PathwayStatus.PROPOSED
    pathway.save(update_fields=["status"])
    participant = pathway.participant
    refresh_state(participant)
    return item


def _check_decision(item: CommitteeItem, decision: str, reason: str) -> None:
    if item.decision != CommitteeDecision.PENDING:
        raise ValidationError("Une décision a déjà été prise sur ce dossier.")
    if item.meeting.held_on > timezone.localdate():
        raise ValidationError(
            f"La commission du {formatting.day(item.meeting.held_on)} n'a pas encore eu lieu : "
            "enregistrez ses décisions le jour de la commission ou après."
        )
    if decision == CommitteeDecision.PENDING:
        raise ValidationError("Choisissez une décision : validée, refusée ou ajournée.")
    if decision in (CommitteeDecision.REFUSED, CommitteeDecision.DEFERRED) and not reason.strip():
        raise ValidationError("Indiquez le motif du refus ou de l'ajournement.")


def _record_decision(item: CommitteeItem, decision: str, reason: str, by) -> None:
    item.decision = decision
    item.reason = reason
    item.decided_by = by
    item.decided_at = timezone.now()
    item.save()


@transaction.atomic
def decide(*, item: CommitteeItem, decision: str, reason: str = "", referent=None, by):
    """The committee's decision on one item of its agenda, entry or exit."""
    if item.kind == CommitteeItemKind.EXIT:
        return decide_exit(item=item, decision=decision, reason=reason, by=by)
    return decide_entry(item=item, decision=decision, reason=reason, referent=referent, by=by)


@transaction.atomic
def decide_entry(
    *, item: CommitteeItem, decision: str, reason: str = "", referent=None, by
) -> CommitteeItem:
    """Validated: the person enters on the committee's date with one référent."""
    _check_decision(item, decision, reason)
    pathway = item.pathway
    participant = pathway.participant
    referral = pathway.referral
    meeting = item.meeting
    referent = referent or item.proposed_referent

    if decision == CommitteeDecision.VALIDATED:
        if referral and meeting.held_on < referral.referred_on:
            raise ValidationError(
                "La date d'entrée ne peut pas précéder l'orientation du "
                f"{formatting.day(referral.referred_on)}."
            )
        if referent is None or not referent.is_referent:
            raise ValidationError("Désignez un ou une référente de parcours.")
        pathway.status = PathwayStatus.ACTIVE
        pathway.entry_date = meeting.held_on
        pathway.referent = referent
        if referral:
            referral.status = ReferralStatus.CLOSED
            referral.outcome = ReferralOutcome.ENTERED
            referral.closed_on = meeting.held_on
    elif decision == CommitteeDecision.REFUSED:
        pathway.status = PathwayStatus.REFUSED
        if referral:
            referral.status = ReferralStatus.CLOSED
            referral.outcome = ReferralOutcome.COMMITTEE_REFUSED
            referral.closed_on = meeting.held_on
            referral.closing_note = reason[:500]
    else:  # deferred: the file goes back to the référent, to be proposed again
        pathway.status = PathwayStatus.DRAFT

    _record_decision(item, decision, reason, by)
    pathway.save()
    if referral:
        referral.save()
    refresh_state(participant)
    return item


@transaction.atomic
def withdraw_proposal(*, item: CommitteeItem, by) -> None:
    """A proposal not yet decided is taken off the agenda; an entry file can be fixed again."""
    if item.decision != CommitteeDecision.PENDING:
        raise ValidationError(
            "La commission a déjà décidé : la proposition ne peut plus être retirée."
        )
    pathway = item.pathway
    if item.kind == CommitteeItemKind.ENTRY:
        pathway.status = PathwayStatus.DRAFT
        pathway.save(update_fields=["status"])
        refresh_state(pathway.participant)
    item.delete()  # the journal keeps the deleted proposal, with who withdrew it


# Exits -------------------------------------------------------------------------------------


def follows_up(condition_code: str, rules: list, categories: dict[str, str]) -> bool:
    """Exits into a job or a business are followed up six months later; trainings are not.

    `categories` maps step-type codes to their category.
    """
    rule = next((r for r in rules if r.get("code") == condition_code), None)
    if rule is None:
        return False
    found = {categories.get(code) for code in rule.get("step_types", [])}
    return bool(found & (JOB_CATEGORIES | {StepCategory.BUSINESS_CREATION}))


@transaction.atomic
def propose_exit(
    *,
    pathway: Pathway,
    meeting: CommitteeMeeting,
    reason: str,
    exit_date,
    detail: str = "",
    by,
) -> CommitteeItem:
    """Put an exit on a committee's agenda; a positive exit must meet a protocol condition."""
    if pathway.status != PathwayStatus.ACTIVE:
        raise ValidationError("Seul un parcours en cours peut faire l'objet d'une sortie.")
    if pathway.committee_items.filter(
        kind=CommitteeItemKind.EXIT, decision=CommitteeDecision.PENDING
    ).exists():
        raise ValidationError("Une sortie est déjà proposée pour ce parcours.")
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(
            "Cette commission est déjà tenue : choisissez une commission à venir."
        )
    if exit_date < pathway.entry_date:
        raise ValidationError(
            f"La sortie ne peut pas précéder l'entrée du {formatting.day(pathway.entry_date)}."
        )
    if exit_date > meeting.held_on:
        raise ValidationError(
            "La date de sortie ne peut pas suivre la commission qui la valide : "
            f"choisissez une date jusqu'au {formatting.day(meeting.held_on)}."
        )
    if reason not in ExitReason.values:
        raise ValidationError("Choisissez le motif de sortie.")
    condition = condition_label = ""
    if reason == ExitReason.POSITIVE:
        evaluation = evaluate_exit(pathway, exit_date)
        if not evaluation.met:
            missing = evaluation.closest.missing if evaluation.closest else ""
            raise ValidationError(
                f"Au {formatting.day(exit_date)}, aucune condition de sortie positive du protocole "
                f"n'est remplie{' : ' + missing if missing else ''}. Enregistrez les étapes qui "
                "manquent ou choisissez un autre motif."
            )
        met = evaluation.met[0]
        if met.needs_committee_case and not detail.strip():
            raise ValidationError(
                f"« {met.label} » n'est retenue qu'après examen au cas par cas : "
                "expliquez la situation dans les précisions."
            )
        condition, condition_label = met.code, met.label
        detail = detail.strip() or met.detail
    elif not detail.strip() and reason == ExitReason.OTHER:
        raise ValidationError("Précisez le motif de sortie.")
    item = CommitteeItem.objects.create(
        meeting=meeting,
        pathway=pathway,
        kind=CommitteeItemKind.EXIT,
        proposed_by=by,
        proposed_referent=pathway.referent,
        exit_reason=reason,
        exit_date=exit_date,
        exit_condition=condition,
        exit_condition_label=condition_label,
        exit_detail=detail[:1000],
    )
    return item


@transaction.atomic
def decide_exit(*, item: CommitteeItem, decision: str, reason: str = "", by) -> CommitteeItem:
    """Validated: the pathway ends on the proposed date and leaves the active caseload."""
    _check_decision(item, decision, reason)
    pathway = item.pathway
    if decision == CommitteeDecision.VALIDATED:
        if pathway.status != PathwayStatus.ACTIVE:
            raise ValidationError("Ce parcours n'est plus en cours : la sortie est sans objet.")
        pathway.status = PathwayStatus.EXITED
        pathway.exit_date = item.exit_date
        pathway.exit_reason = item.exit_reason
        pathway.exit_condition = item.exit_condition
        pathway.exit_condition_label = item.exit_condition_label
        pathway.exit_detail = item.exit_detail
        pathway.save()
        participant = pathway.participant
        refresh_state(participant)
        _, rules = exit_rules_on(participant.programme, item.exit_date)
        categories = dict(StepType.objects.values_list("code", "category"))
        if item.exit_condition and follows_up(item.exit_condition, rules, categories):
            FollowUp.objects.create(
                pathway=pathway, due_on=add_months(item.exit_date, FOLLOW_UP_MONTHS)
            )
    _record_decision(item, decision, reason, by)
    return item


@transaction.atomic
def close_meeting(*, meeting: CommitteeMeeting) -> CommitteeMeeting:
    pending = meeting.items.filter(decision=CommitteeDecision.PENDING).count()
    if pending:
        raise ValidationError(
            f"Il reste {counted(pending, 'un dossier')} sans décision : "
            "prenez chaque décision avant de clôturer."
        )
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status"])
    return meeting
