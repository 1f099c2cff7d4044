"""Writes on a pathway in progress: steps, contacts, transfers and six-month follow-ups.

Each function is one transaction and refuses impossible input with a French message that
says what to do. Each locks the pathway (then the row it edits) before reading what it
checks: two people writing on the same pathway at the same moment wait for each other, and
an edit based on a page that someone else's save made stale is refused (core/versioning.py). A step or contact entered by mistake is withdrawn (kept, counted nowhere),
never deleted. Exits and committee decisions live in committee/services.py.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from plie.core import formatting
from plie.core.months import add_months
from plie.core.versioning import Seen, ensure_unchanged, lock
from plie.participants.enums import PathwayStatus
from plie.participants.services import refresh_state
from plie.pathways.enums import JOB_CATEGORIES, StepOutcome
from plie.pathways.models import Contact, FollowUp, Pathway, ReferentChange, Step

MAX_WEEKLY_HOURS = Decimal(48)  # Code du travail L3121-20: 48 hours a week at most
# A job or training already running when the person enters is common; a step starting
# more than a month before the entry is more often a mistyped year (docs/indicators.md,
# « Qualité des données »): the step form asks to confirm it, the quality page lists it.
STEP_BEFORE_ENTRY_DAYS = 30
# A step is planned over five years at most: a longer one is a typo of the year (2999), and
# a real contract that long is recorded again when it is renewed.
LONGEST_PLANNED_MONTHS = 60
RECORDABLE = (PathwayStatus.DRAFT, PathwayStatus.PROPOSED, PathwayStatus.ACTIVE)


def _require_status(pathway: Pathway, statuses, what: str) -> None:
    if pathway.status not in statuses:
        raise ValidationError(
            f"Ce parcours est « {pathway.get_status_display()} » : {what} n'est plus possible."
        )


def settled_outcome(outcome: str, end: datetime.date | None, today: datetime.date) -> str:
    """A step still "in progress" whose real end has come is completed."""
    if outcome == StepOutcome.IN_PROGRESS and end and end <= today:
        return StepOutcome.COMPLETED
    return outcome


def step_problems(
    *,
    start: datetime.date,
    planned_end: datetime.date | None,
    end: datetime.date | None,
    hours: Decimal | None,
    is_job: bool,
    outcome: str | None,
    birth_date: datetime.date | None,
    exit_date: datetime.date | None,
    today: datetime.date,
) -> dict[str, str]:
    """What is impossible in a step's dates and hours, by model field, in French.

    Pure, so that the import checks its rows with the same words as the forms.
    """
    errors: dict[str, str] = {}
    if end and end < start:
        errors["end_date"] = (
            f"La fin réelle ({formatting.day(end)}) précède le début ({formatting.day(start)}) : "
            "corrigez l'une des deux dates."
        )
    if planned_end and planned_end < start:
        errors["planned_end_date"] = (
            "La fin prévue précède le début : corrigez l'une des deux dates."
        )
    elif planned_end and planned_end > add_months(start, LONGEST_PLANNED_MONTHS):
        errors["planned_end_date"] = (
            f"La fin prévue ({formatting.day(planned_end)}) est à plus de cinq ans du début : "
            "vérifiez l'année ; une étape plus longue se renouvelle par une nouvelle étape."
        )
    if start > add_months(today, 12):
        errors["start_date"] = (
            "Ce début est à plus d'un an : enregistrez l'étape quand elle sera confirmée."
        )
    if birth_date and start < add_months(birth_date, 14 * 12):
        errors["start_date"] = "Ce début précède les 14 ans de la personne : vérifiez l'année."
    if exit_date and start > exit_date:
        errors["start_date"] = (
            f"Le parcours s'est terminé le {formatting.day(exit_date)} : "
            "une étape ne peut pas commencer après."
        )
    if is_job and hours is None:
        errors["weekly_hours"] = "Indiquez le nombre d'heures par semaine de cet emploi."
    if hours is not None and not Decimal("0.5") <= hours <= MAX_WEEKLY_HOURS:
        errors["weekly_hours"] = "Indiquez entre 0,5 et 48 heures par semaine."
    if outcome in (StepOutcome.COMPLETED, StepOutcome.ENDED_EARLY) and not end:
        errors["end_date"] = "Indiquez la date de fin réelle de cette étape terminée."
    return errors


def early_start(start: datetime.date, entry_date: datetime.date | None) -> str | None:
    """A warning when a step starts more than STEP_BEFORE_ENTRY_DAYS days before the entry.

    Not an error (a job held before the entry is possible), but such a step takes the
    person off the « sans étape » list and may meet an exit condition: confirm it.
    """
    if entry_date is None:
        return None
    days = (entry_date - start).days
    if days <= STEP_BEFORE_ENTRY_DAYS:
        return None
    return (
        f"Cette étape commence le {formatting.day(start)}, {days} jours avant l'entrée dans le "
        f"parcours du {formatting.day(entry_date)} : vérifiez la date de début, l'année surtout. "
        "Si elle est juste, cochez la confirmation ci-dessous et enregistrez de nouveau."
    )


def check_step(step: Step) -> None:
    """The dates and hours a real step can have; overlapping steps are fine, up to 48 h of work."""
    today = timezone.localdate()
    step.outcome = settled_outcome(step.outcome, step.end_date, today)
    is_job = step.step_type.category in JOB_CATEGORIES
    errors = step_problems(
        start=step.start_date,
        planned_end=step.planned_end_date,
        end=step.end_date,
        hours=step.weekly_hours,
        is_job=is_job,
        outcome=step.outcome,
        birth_date=step.pathway.participant.birth_date,
        exit_date=step.pathway.exit_date,
        today=today,
    )
    if errors:
        raise ValidationError(errors)
    if is_job:
        _check_working_time(step)


def _check_working_time(step: Step) -> None:
    far = datetime.date.max
    overlapping = (
        Step.objects.filter(pathway=step.pathway, step_type__category__in=JOB_CATEGORIES)
        .exclude(pk=step.pk)
        .filter(start_date__lte=step.end_date or far)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=step.start_date))
    )
    hours = (overlapping.aggregate(total=Sum("weekly_hours"))["total"] or 0) + step.weekly_hours
    if hours > MAX_WEEKLY_HOURS:
        raise ValidationError(
            {
                "weekly_hours": (
                    "Avec les emplois qui se chevauchent sur ces dates, cela fait "
                    f"{formatting.hours(Decimal(hours))} "
                    "par semaine, au-delà des 48 h légales : vérifiez les dates ou les horaires."
                )
            }
        )


@transaction.atomic
def add_step(*, pathway: Pathway, data: dict, by) -> Step:
    lock(pathway)
    _require_status(pathway, (PathwayStatus.ACTIVE,), "ajouter une étape")
    if not data["step_type"].is_active:
        raise ValidationError(
            {"step_type": "Ce type d'étape n'est plus proposé : choisissez-en un autre."}
        )
    step = Step(pathway=pathway, created_by=by, **data)
    step.full_clean(exclude=["pathway"])
    check_step(step)
    step.save()
    return step


def _require_in_effect(record: Step | Contact) -> None:
    """A row withdrawn since its page was opened is not edited any more."""
    if record.withdrawn_at is None:
        return
    when = formatting.day(timezone.localtime(record.withdrawn_at))
    raise ValidationError(
        f"Cette étape a été retirée le {when} (saisie par erreur) : elle ne se modifie plus, "
        "rien n'a été enregistré."
        if isinstance(record, Step)
        else f"Ce contact a été retiré le {when} (saisi par erreur) : il ne se modifie plus, "
        "rien n'a été enregistré."
    )


@transaction.atomic
def update_step(*, step: Step, data: dict, seen: Seen | None = None) -> Step:
    _require_status(lock(step.pathway), (PathwayStatus.ACTIVE,), "modifier une étape")
    lock(step)
    _require_in_effect(step)
    ensure_unchanged(step, seen)
    for field, value in data.items():
        setattr(step, field, value)
    step.full_clean(exclude=["pathway"])
    check_step(step)
    step.save()
    return step


@transaction.atomic
def withdraw_step(*, step: Step, reason: str, by) -> Step:
    """A step entered by mistake leaves every figure, list and rule, and stays in the
    database with who withdrew it, when and why (the page and the history show it)."""
    _require_status(lock(step.pathway), (PathwayStatus.ACTIVE,), "retirer une étape")
    _withdraw(lock(step), reason, by)
    return step


@transaction.atomic
def withdraw_contact(*, contact: Contact, reason: str, by) -> Contact:
    """A contact entered by mistake, withdrawn as a step is (`withdraw_step`)."""
    _require_status(lock(contact.pathway), RECORDABLE, "retirer un contact")
    _withdraw(lock(contact), reason, by)
    return contact


WITHDRAWAL_REASON_MISSING = (
    "Indiquez pourquoi vous le retirez (saisi en double, erreur de personne ou de date…)."
)


def _withdraw(record: Step | Contact, reason: str, by) -> None:
    if record.withdrawn_at is not None:
        when = timezone.localtime(record.withdrawn_at)
        raise ValidationError(
            f"Cet enregistrement est déjà retiré, depuis le {formatting.day(when)}."
        )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": WITHDRAWAL_REASON_MISSING})
    record.withdrawn_at = timezone.now()
    record.withdrawn_by = by
    record.withdrawal_reason = reason[:500]
    record.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])


@transaction.atomic
def record_contact(*, pathway: Pathway, data: dict, by) -> Contact:
    _require_status(lock(pathway), RECORDABLE, "noter un contact")
    contact = Contact(pathway=pathway, by=by, **data)
    _check_contact(contact)
    contact.save()
    return contact


@transaction.atomic
def update_contact(*, contact: Contact, data: dict, seen: Seen | None = None) -> Contact:
    """A contact corrected: the same checks as when it was noted."""
    _require_status(lock(contact.pathway), RECORDABLE, "modifier un contact")
    lock(contact)
    _require_in_effect(contact)
    ensure_unchanged(contact, seen)
    for field, value in data.items():
        setattr(contact, field, value)
    _check_contact(contact)
    contact.save()
    return contact


def _check_contact(contact: Contact) -> None:
    pathway = contact.pathway
    contact.full_clean(exclude=["pathway", "by"])
    next_appointment = contact.next_appointment
    if next_appointment and timezone.localtime(next_appointment).date() < contact.contacted_on:
        raise ValidationError(
            {"next_appointment": "Le prochain rendez-vous doit suivre la date du contact."}
        )
    if next_appointment and next_appointment > timezone.now() + datetime.timedelta(days=365):
        raise ValidationError(
            {"next_appointment": "Le prochain rendez-vous est à plus d'un an : vérifiez l'année."}
        )
    if contact.duration_minutes is not None and not 1 <= contact.duration_minutes <= 600:
        raise ValidationError({"duration_minutes": "Indiquez une durée entre 1 et 600 minutes."})
    referral = pathway.referral
    if referral and contact.contacted_on < referral.referred_on:
        raise ValidationError(
            {
                "contacted_on": (
                    f"Ce contact précède l'orientation du {formatting.day(referral.referred_on)} : "
                    "vérifiez la date."
                )
            }
        )


@transaction.atomic
def transfer_pathway(
    *, pathway: Pathway, new_referent, reason: str, by, seen: Seen | None = None
) -> ReferentChange:
    """Another référent takes the pathway over; steps, contacts and history stay with it."""
    _require_status(lock(pathway), RECORDABLE, "changer de référent")
    ensure_unchanged(pathway, seen)
    if new_referent is None or not new_referent.is_referent or not new_referent.is_active:
        raise ValidationError({"new_referent": "Choisissez un ou une référente en activité."})
    if new_referent.pk == pathway.referent_id:
        raise ValidationError({"new_referent": "Cette personne est déjà le ou la référente."})
    if not reason.strip():
        raise ValidationError({"reason": "Indiquez le motif du changement de référent."})
    change = ReferentChange.objects.create(
        pathway=pathway,
        changed_on=timezone.localdate(),
        previous_referent=pathway.referent,
        new_referent=new_referent,
        reason=reason.strip(),
        by=by,
    )
    pathway.referent = new_referent
    pathway.save(update_fields=["referent"])
    refresh_state(pathway.participant)
    return change


@transaction.atomic
def record_follow_up(*, follow_up: FollowUp, data: dict, by, seen: Seen | None = None) -> FollowUp:
    lock(follow_up)
    ensure_unchanged(follow_up, seen)
    for field, value in data.items():
        setattr(follow_up, field, value)
    follow_up.by = by
    follow_up.full_clean(exclude=["pathway", "by"])
    exit_date = follow_up.pathway.exit_date
    earliest = add_months(follow_up.due_on, -1)
    if follow_up.done_on and follow_up.done_on < earliest:
        raise ValidationError(
            {
                "done_on": (
                    f"Le suivi à six mois se fait à partir du {formatting.day(earliest)} "
                    f"(sortie le {formatting.day(exit_date)}) : vérifiez la date."
                )
            }
        )
    if follow_up.done_on and not follow_up.situation:
        raise ValidationError({"situation": "Indiquez la situation de la personne."})
    follow_up.save()
    return follow_up
