"""Entry/exit committee: proposals on a meeting's agenda and the decisions taken there."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from plie.participants.enums import (
    EligibilityVerdict,
    ParticipantStatus,
    PathwayStatus,
    ReferralOutcome,
    ReferralStatus,
)
from plie.participants.models import Pathway
from plie.pathways.enums import CommitteeDecision, CommitteeItemKind, MeetingStatus
from plie.pathways.models import CommitteeItem, CommitteeMeeting


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
            f"{pathway.referral.referred_on:%d/%m/%Y} : choisissez une commission plus tardive."
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
    participant.status = ParticipantStatus.PROPOSED
    participant.save(update_fields=["status"])
    return item


@transaction.atomic
def decide_entry(
    *, item: CommitteeItem, decision: str, reason: str = "", referent=None, by
) -> CommitteeItem:
    """Validated: the person enters on the committee's date with one référent."""
    if item.decision != CommitteeDecision.PENDING:
        raise ValidationError("Une décision a déjà été prise sur ce dossier.")
    if decision == CommitteeDecision.PENDING:
        raise ValidationError("Choisissez une décision : validée, refusée ou ajournée.")
    if decision in (CommitteeDecision.REFUSED, CommitteeDecision.DEFERRED) and not reason.strip():
        raise ValidationError("Indiquez le motif du refus ou de l'ajournement.")
    pathway = item.pathway
    participant = pathway.participant
    referral = pathway.referral
    meeting = item.meeting
    referent = referent or item.proposed_referent

    if decision == CommitteeDecision.VALIDATED:
        if referral and meeting.held_on < referral.referred_on:
            raise ValidationError(
                "La date d'entrée ne peut pas précéder l'orientation du "
                f"{referral.referred_on:%d/%m/%Y}."
            )
        if referent is None or not referent.is_referent:
            raise ValidationError("Désignez un ou une référente de parcours.")
        pathway.status = PathwayStatus.ACTIVE
        pathway.entry_date = meeting.held_on
        pathway.referent = referent
        participant.status = ParticipantStatus.ACTIVE
        participant.referent = referent
        if referral:
            referral.status = ReferralStatus.CLOSED
            referral.outcome = ReferralOutcome.ENTERED
            referral.closed_on = meeting.held_on
    elif decision == CommitteeDecision.REFUSED:
        pathway.status = PathwayStatus.REFUSED
        participant.status = ParticipantStatus.CLOSED
        if referral:
            referral.status = ReferralStatus.CLOSED
            referral.outcome = ReferralOutcome.COMMITTEE_REFUSED
            referral.closed_on = meeting.held_on
            referral.closing_note = reason[:500]
    else:  # deferred: the file goes back to the référent, to be proposed again
        pathway.status = PathwayStatus.DRAFT
        participant.status = ParticipantStatus.ENTRY_IN_PROGRESS

    item.decision = decision
    item.reason = reason
    item.decided_by = by
    item.decided_at = timezone.now()
    item.save()
    pathway.save()
    participant.save()
    if referral:
        referral.save()
    return item


@transaction.atomic
def close_meeting(*, meeting: CommitteeMeeting) -> CommitteeMeeting:
    pending = meeting.items.filter(decision=CommitteeDecision.PENDING).count()
    if pending:
        raise ValidationError(
            f"{pending} dossier(s) attendent encore une décision : décidez-les avant de clôturer."
        )
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status"])
    return meeting
