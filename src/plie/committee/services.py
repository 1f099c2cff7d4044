"""Entry/exit committee: proposals on a meeting's agenda and the decisions taken there.

Two people acting at the same moment (two decisions on one item, two proposals for one
pathway, a proposal while the meeting is being closed) wait for each other: each function
locks the rows it reads before checking them, in one order — item, referral, pathway,
meeting, participant — and checks again what the page showed. A database constraint keeps
one pending proposal of each kind per pathway, whatever path a row takes.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from plie.committee.enums import DECISIONS, CommitteeDecision, CommitteeItemKind, MeetingStatus
from plie.committee.models import CommitteeItem, CommitteeMeeting
from plie.core import formatting
from plie.core.months import add_months
from plie.core.plurals import counted
from plie.core.versioning import Seen, ensure_unchanged, lock
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
from plie.territory.models import Programme

FOLLOW_UP_MONTHS = 6


@transaction.atomic
def schedule_meeting(*, programme, held_on, place: str = "", chaired_by=None) -> CommitteeMeeting:
    """One meeting a day: the PLIE's row is locked while the day is checked and the meeting
    saved, so that two people scheduling the same day at the same moment make one."""
    Programme.objects.select_for_update(no_key=True).get(pk=programme.pk)
    if CommitteeMeeting.objects.filter(programme=programme, held_on=held_on).exists():
        raise ValidationError(
            f"Une commission est déjà programmée le {formatting.day(held_on)} : "
            "ouvrez-la plutôt que d'en créer une seconde."
        )
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
    lock(pathway)
    lock(meeting)
    if pathway.status == PathwayStatus.PROPOSED:
        pending = pathway.committee_items.pending().select_related("meeting").first()
        raise ValidationError(
            "Cette entrée est déjà proposée"
            + (f" à la {pending.meeting}" if pending else "")
            + " : une seule proposition à la fois."
        )
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


def _check_pending(item: CommitteeItem, what: str) -> None:
    again = "au besoin, proposez de nouveau depuis le dossier de la personne."
    if item.decision == CommitteeDecision.WITHDRAWN:
        raise ValidationError(
            f"Cette proposition a été retirée de l'ordre du jour : {what} n'est plus possible ; "
            + again
        )
    if item.decision != CommitteeDecision.PENDING:
        raise ValidationError(
            f"La commission a déjà statué sur ce dossier (« {item.get_decision_display()} ») : "
            f"{what} n'est plus possible ; " + again
        )


def _check_decision(item: CommitteeItem, decision: str, reason: str, seen: Seen | None) -> None:
    _check_pending(item, "une nouvelle décision")
    ensure_unchanged(item, seen)
    if item.meeting.held_on > timezone.localdate():
        raise ValidationError(
            f"La commission du {formatting.day(item.meeting.held_on)} n'a pas encore eu lieu : "
            "enregistrez ses décisions le jour de la commission ou après."
        )
    if decision not in DECISIONS:
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
def decide(
    *,
    item: CommitteeItem,
    decision: str,
    reason: str = "",
    referent=None,
    by,
    seen: Seen | None = None,
):
    """The committee's decision on one item of its agenda, entry or exit. The item is locked
    first: of two decisions sent at the same moment, the second is told the first."""
    if item.kind == CommitteeItemKind.EXIT:
        return decide_exit(item=item, decision=decision, reason=reason, by=by, seen=seen)
    return decide_entry(
        item=item, decision=decision, reason=reason, referent=referent, by=by, seen=seen
    )


@transaction.atomic
def decide_entry(
    *,
    item: CommitteeItem,
    decision: str,
    reason: str = "",
    referent=None,
    by,
    seen: Seen | None = None,
) -> CommitteeItem:
    """Validated: the person enters on the committee's date with one référent."""
    lock(item)
    _check_decision(item, decision, reason, seen)
    pathway = item.pathway
    referral = lock(pathway.referral) if pathway.referral_id else None
    lock(pathway)
    participant = pathway.participant
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
def withdraw_proposal(*, item: CommitteeItem, by) -> CommitteeItem:
    """A proposal not yet decided is taken off the agenda; an entry file can be fixed again.

    The item stays, « Retirée », with who withdrew it and when (`decided_by`, `decided_at`):
    the person's history and the meeting page still show it, and it is no longer pending.
    """
    lock(item)
    if item.decision == CommitteeDecision.WITHDRAWN:
        raise ValidationError("Cette proposition est déjà retirée de l'ordre du jour.")
    _check_pending(item, "la retirer")
    pathway = item.pathway
    if item.kind == CommitteeItemKind.ENTRY:
        lock(pathway)
        pathway.status = PathwayStatus.DRAFT
        pathway.save(update_fields=["status"])
        refresh_state(pathway.participant)
    _record_decision(item, CommitteeDecision.WITHDRAWN, "", by)
    return item


@transaction.atomic
def move_item(
    *, item: CommitteeItem, meeting: CommitteeMeeting, seen: Seen | None = None
) -> CommitteeItem:
    """A proposal not yet decided goes on the agenda of another planned meeting; the journal
    keeps the move (the item's meeting, before and after, and who moved it)."""
    lock(item)
    _check_pending(item, "changer de commission")
    ensure_unchanged(item, seen)
    lock(meeting)
    if meeting.pk == item.meeting_id:
        raise ValidationError(
            f"Ce dossier est déjà à l'ordre du jour de la {meeting} : choisissez-en une autre."
        )
    if meeting.status != MeetingStatus.PLANNED:
        raise ValidationError(f"La {meeting} est déjà tenue : choisissez une commission à venir.")
    if meeting.programme_id != item.meeting.programme_id:
        raise ValidationError("Choisissez une commission de ce PLIE.")
    referral = item.pathway.referral
    if item.kind == CommitteeItemKind.ENTRY and referral and meeting.held_on < referral.referred_on:
        raise ValidationError(
            "La commission ne peut pas précéder l'orientation du "
            f"{formatting.day(referral.referred_on)} : choisissez une commission plus tardive."
        )
    if item.kind == CommitteeItemKind.EXIT and item.exit_date > meeting.held_on:
        raise ValidationError(
            f"La sortie proposée au {formatting.day(item.exit_date)} ne peut pas suivre la commission "
            f"qui la valide : choisissez une commission à partir du {formatting.day(item.exit_date)}."
        )
    item.meeting = meeting
    item.save(update_fields=["meeting"])
    return item


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
    lock(pathway)
    lock(meeting)
    if pathway.status != PathwayStatus.ACTIVE:
        raise ValidationError("Seul un parcours en cours peut faire l'objet d'une sortie.")
    if pathway.committee_items.pending().filter(kind=CommitteeItemKind.EXIT).exists():
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
def decide_exit(
    *, item: CommitteeItem, decision: str, reason: str = "", by, seen: Seen | None = None
) -> CommitteeItem:
    """Validated: the pathway ends on the proposed date and leaves the active caseload."""
    lock(item)
    _check_decision(item, decision, reason, seen)
    pathway = lock(item.pathway)
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


def can_close(meeting: CommitteeMeeting, today) -> bool:
    """A meeting is closed on or after its day, once."""
    return meeting.status == MeetingStatus.PLANNED and meeting.held_on <= today


@transaction.atomic
def close_meeting(*, meeting: CommitteeMeeting) -> CommitteeMeeting:
    """Every item decided (or withdrawn), on or after the meeting's day: the meeting is held.
    The meeting is locked first: a proposal sent while it closes waits, then finds it held."""
    lock(meeting)
    if meeting.status == MeetingStatus.HELD:
        raise ValidationError(f"La {meeting} est déjà clôturée.")
    if meeting.held_on > timezone.localdate():
        raise ValidationError(
            f"La {meeting} n'a pas encore eu lieu : clôturez-la le jour de la commission "
            "ou après, une fois ses décisions enregistrées."
        )
    pending = meeting.items.pending().count()
    if pending:
        raise ValidationError(
            f"Il reste {counted(pending, 'un dossier')} sans décision : "
            "prenez chaque décision avant de clôturer."
        )
    meeting.status = MeetingStatus.HELD
    meeting.save(update_fields=["status"])
    return meeting
