"""Referrals to an action (issue 12, §2): the référent refers a person from their file, the
provider answers (accepts — or the person waits for a place —, declines, proposes another
cohort), the référent takes the proposal or withdraws, and the outcome closes the pathway's
step « Action du PLIE » that the acceptance opened.

Each function is one transaction, keyword-only, and refuses impossible input with a French
message that says what to do. Each tells the other side (core.notices: in the application and
by e-mail) without naming the person: the notice links to the referral's page, where who may
read it reads it. When an accepted person leaves (declined, withdrawn, dropped out), the first
waiting person is not accepted behind the provider's back: the provider is told that a place
is free and answers.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from plie.accounts.enums import Role
from plie.accounts.models import User
from plie.actions import places as places_rule
from plie.actions import sharing
from plie.actions.enums import AWAITING_ANSWER, Diagnostic, DropOutReason, ReferralStatus
from plie.actions.models import Action, ActionReferral, Cohort
from plie.core import formatting, plurals
from plie.core.notices import notify
from plie.core.versioning import lock
from plie.participants.enums import PathwayStatus
from plie.pathways import recording
from plie.pathways.enums import StepOutcome
from plie.pathways.models import StepType

PLIE_ACTION_STEP = "plie-action"
# Where the referral stands for its provider: waiting for its answer (SENT, WAITING), or
# for the référent's (OTHER_COHORT).
PROVIDER_ANSWERS = (ReferralStatus.SENT, ReferralStatus.WAITING)
# What the outcome of an action maps to on the pathway's step.
STEP_OUTCOMES = {
    ReferralStatus.COMPLETED: StepOutcome.COMPLETED,
    ReferralStatus.DROPPED_OUT: StepOutcome.ENDED_EARLY,
}


@dataclasses.dataclass(frozen=True)
class Answer:
    """What the provider's acceptance did: the referral, and the French message to show."""

    referral: ActionReferral
    message: str


# Places -----------------------------------------------------------------------------------


def cohort_places(cohort: Cohort, *, leaving_out: ActionReferral | None = None):
    """The cohort's places now (actions/places.py), the referral `leaving_out` not counted."""
    referrals = cohort.referrals.all()
    if leaving_out is not None and leaving_out.pk:
        referrals = referrals.exclude(pk=leaving_out.pk)
    return places_rule.places(
        capacity=cohort.capacity,
        cancelled=cohort.cancelled,
        started=cohort.starts_on <= timezone.localdate(),
        referrals=[
            places_rule.ReferralFacts(pk, status, created_at)
            for pk, status, created_at in referrals.values_list("pk", "status", "created_at")
        ],
    )


def open_cohorts(action: Action):
    """The cohorts of `action` a person may still be referred to or accepted in: neither
    started nor cancelled (actions/places.py), the nearest first, with their places."""
    return (
        action.cohorts.filter(cancelled=False, starts_on__gt=timezone.localdate())
        .select_related("action")
        .with_places()
        .order_by("starts_on", "number")
    )


# Who is told ------------------------------------------------------------------------------


def provider_users(action: Action):
    return User.objects.filter(
        organisation_id=action.agreement.provider_id, role=Role.PROVIDER, is_active=True
    )


def referent_side(referral: ActionReferral) -> list:
    """The person's référent and who sent the referral (a lead may have sent it)."""
    return [referral.participant.referent, referral.created_by]


def _url(referral: ActionReferral) -> str:
    return reverse("actions:referral", args=[referral.pk])


def _where(referral: ActionReferral) -> str:
    """« l'action « X » (groupe 3, du … au …) » — never the person's name."""
    cohort = f" ({referral.cohort})" if referral.cohort_id else ""
    return f"l'action « {referral.action} »{cohort}"


def for_referent(referral: ActionReferral) -> str:
    """« (dossier n° 2026-00012) »: what tells a référent's notices apart — the file number,
    which names nobody (the register's purpose for it); never in a provider's notice."""
    return f" (dossier n° {referral.participant.file_number})"


def _tell(recipients, referral: ActionReferral, subject: str, body: str) -> None:
    notify(recipients, subject=subject, body=body, url=_url(referral))


# The référent's side ----------------------------------------------------------------------


def _check_cohort_for_referral(action: Action, cohort: Cohort | None, field: str = "cohort"):
    if cohort is None:
        return
    if cohort.action_id != action.pk:
        raise ValidationError({field: "Ce groupe n'est pas un groupe de cette action."})
    if cohort.cancelled:
        raise ValidationError({field: "Ce groupe est annulé : choisissez-en un autre."})
    if cohort.starts_on <= timezone.localdate():
        raise ValidationError(
            {field: "Ce groupe a déjà commencé : choisissez un groupe qui n'a pas commencé."}
        )


def _ongoing(participant, action: Action) -> ActionReferral | None:
    return (
        ActionReferral.objects.filter(participant=participant, action=action)
        .filter(status__in=[*AWAITING_ANSWER, ReferralStatus.ACCEPTED])
        .first()
    )


@transaction.atomic
def refer(
    *,
    participant,
    action: Action,
    cohort: Cohort | None,
    expected_diagnostics,
    reason: str,
    shared_fields,
    by,
) -> ActionReferral:
    """A person in the PLIE referred to an open action (or one of its cohorts to come)."""
    pathway = participant.pathways.filter(status=PathwayStatus.ACTIVE).order_by("-number").first()
    if pathway is None:
        raise ValidationError(
            "Seule une personne entrée dans le PLIE, au parcours en cours, peut être orientée "
            "vers une action : faites valider son entrée en commission d'abord."
        )
    lock(pathway)  # two referrals sent at the same moment: the second sees the first
    if not action.is_open:
        raise ValidationError(
            {
                "action": "Cette action n'est plus ouverte aux orientations : choisissez-en une autre."
            }
        )
    _check_cohort_for_referral(action, cohort)
    if _ongoing(participant, action) is not None:
        raise ValidationError(
            "Cette personne a déjà une orientation en cours vers cette action : ouvrez-la "
            "depuis la section « Actions » de sa fiche."
        )
    offered = {choice for choice in (action.diagnostics or []) if choice in Diagnostic.values}
    expected = [choice for choice in Diagnostic.values if choice in set(expected_diagnostics)]
    if set(expected) - offered:
        raise ValidationError(
            {
                "expected_diagnostics": "Cette action ne réalise pas tous ces diagnostics : "
                "ne cochez que ceux qu'elle propose."
            }
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": "Dites au prestataire pourquoi vous orientez la personne vers l'action."}
        )
    referral = ActionReferral(
        participant=participant,
        pathway=pathway,
        action=action,
        cohort=cohort,
        expected_diagnostics=expected,
        reason=reason[:2000],
        shared_fields=sharing.allowed(shared_fields),
        created_by=by,
    )
    referral.full_clean()
    referral.save()
    _tell(
        provider_users(action),
        referral,
        f"Nouvelle orientation : {action}",
        f"Un(e) référent(e) du PLIE vous oriente une personne vers {_where(referral)}. "
        "Ouvrez l'orientation pour lire ce qui vous est transmis et y répondre.",
    )
    return referral


@transaction.atomic
def accept_proposal(*, referral: ActionReferral, by) -> ActionReferral:
    """The référent takes the cohort the provider proposed: the referral goes back to the
    provider, on that cohort."""
    lock(referral)
    if referral.status != ReferralStatus.OTHER_COHORT or referral.proposed_cohort is None:
        raise ValidationError(
            "Le prestataire ne propose pas d'autre groupe pour cette orientation."
        )
    _check_cohort_for_referral(referral.action, referral.proposed_cohort, "__all__")
    referral.cohort, referral.proposed_cohort = referral.proposed_cohort, None
    referral.status = ReferralStatus.SENT
    referral.save()
    _tell(
        provider_users(referral.action),
        referral,
        f"Groupe proposé accepté : {referral.action}",
        f"Le/la référent(e) accepte le groupe que vous proposiez : l'orientation vers "
        f"{_where(referral)} attend votre réponse.",
    )
    return referral


@transaction.atomic
def withdraw(*, referral: ActionReferral, by) -> ActionReferral:
    """The référent withdraws the referral, before the cohort starts."""
    lock(referral)
    held_a_place = referral.status == ReferralStatus.ACCEPTED
    if referral.status not in (*AWAITING_ANSWER, ReferralStatus.ACCEPTED):
        raise ValidationError(
            f"Cette orientation est « {referral.get_status_display()} » : elle ne peut plus "
            "être retirée."
        )
    if held_a_place and referral.cohort.starts_on <= timezone.localdate():
        raise ValidationError(
            "L'action a commencé : dites plutôt son issue pour la personne (abandon et motif)."
        )
    if held_a_place and referral.step_id:
        recording.withdraw_step(
            step=referral.step, reason="Orientation vers l'action retirée avant son début.", by=by
        )
    referral.status = ReferralStatus.WITHDRAWN
    referral.save()
    _tell(
        provider_users(referral.action),
        referral,
        f"Orientation retirée : {referral.action}",
        f"Le/la référent(e) retire une orientation vers {_where(referral)}.",
    )
    if held_a_place:
        _place_freed(referral)
    return referral


# The provider's side ----------------------------------------------------------------------


def _require_provider_answer(referral: ActionReferral) -> None:
    if referral.status not in PROVIDER_ANSWERS:
        raise ValidationError(
            f"Cette orientation est « {referral.get_status_display()} » : elle n'attend pas "
            "votre réponse."
        )


def _in_action(referral: ActionReferral, cohort: Cohort | None) -> Cohort:
    cohort = cohort or referral.cohort
    if cohort is None:
        raise ValidationError({"cohort": "Choisissez le groupe où la personne entre."})
    if cohort.action_id != referral.action_id:
        raise ValidationError({"cohort": "Ce groupe n'est pas un groupe de cette action."})
    return cohort


@transaction.atomic
def accept(*, referral: ActionReferral, cohort: Cohort | None = None, by) -> Answer:
    """The provider accepts the person in `cohort` (the one asked, by default): with a place
    free, the pathway gets its step « Action du PLIE » over the cohort's dates; without, the
    person waits on the cohort's list."""
    lock(referral)
    _require_provider_answer(referral)
    cohort = lock(_in_action(referral, cohort))  # one acceptance at a time per cohort
    found = cohort_places(cohort, leaving_out=referral)
    referral.cohort = cohort
    referral.answered_at, referral.answered_by = timezone.now(), by
    if found.closed:
        raise ValidationError({"cohort": found.reason})
    if not found.accepts:
        referral.status = ReferralStatus.WAITING
        referral.save()
        _tell(
            referent_side(referral),
            referral,
            f"Orientation sur liste d'attente : {referral.action}" + for_referent(referral),
            f"Le groupe est complet : la personne orientée vers {_where(referral)} est sur la "
            "liste d'attente. Le prestataire vous dira quand une place se libère.",
        )
        return Answer(
            referral,
            f"Ce groupe est complet ({formatting.count(found.taken)} sur "
            f"{formatting.count(found.capacity)} places) : la personne est sur la liste "
            f"d'attente, en position {_position(cohort, referral)}. Acceptez-la quand une place "
            "se libère, ou proposez-lui un autre groupe.",
        )
    referral.status = ReferralStatus.ACCEPTED
    referral.step = recording.add_step(
        pathway=referral.pathway,
        data={
            "step_type": StepType.objects.get(code=PLIE_ACTION_STEP),
            "organisation_name": str(referral.action.agreement.provider)[:200],
            "start_date": cohort.starts_on,
            "planned_end_date": cohort.ends_on,
        },
        by=by,
    )
    referral.save()
    _tell(
        referent_side(referral),
        referral,
        f"Orientation acceptée : {referral.action}" + for_referent(referral),
        f"Le prestataire accepte la personne orientée vers {_where(referral)}. L'étape "
        "« Action du PLIE » est ajoutée à son parcours.",
    )
    return Answer(
        referral,
        f"Orientation acceptée dans le {cohort} ; places restantes dans ce groupe : "
        f"{formatting.count(found.left - 1)}.",
    )


def _position(cohort: Cohort, referral: ActionReferral) -> int:
    waiting = cohort_places(cohort).waiting
    return waiting.index(referral.pk) + 1 if referral.pk in waiting else len(waiting)


@transaction.atomic
def decline(*, referral: ActionReferral, reason: str, by) -> ActionReferral:
    """The provider declines, with a reason; an accepted person, before the cohort starts."""
    lock(referral)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Dites au référent pourquoi vous refusez l'orientation."})
    held_a_place = referral.status == ReferralStatus.ACCEPTED
    if held_a_place:
        if referral.cohort.starts_on <= timezone.localdate():
            raise ValidationError(
                "L'action a commencé pour cette personne : dites son issue (abandon et motif)."
            )
        if referral.step_id:
            recording.withdraw_step(
                step=referral.step,
                reason="Orientation vers l'action refusée par le prestataire avant son début.",
                by=by,
            )
    else:
        _require_provider_answer(referral)
    referral.status = ReferralStatus.DECLINED
    referral.decline_reason = reason[:500]
    referral.answered_at, referral.answered_by = timezone.now(), by
    referral.save()
    _tell(
        referent_side(referral),
        referral,
        f"Orientation refusée : {referral.action}" + for_referent(referral),
        f"Le prestataire refuse l'orientation vers {_where(referral)} : {referral.decline_reason}",
    )
    if held_a_place:
        _place_freed(referral)
    return referral


@transaction.atomic
def propose_cohort(*, referral: ActionReferral, cohort: Cohort, by) -> ActionReferral:
    """The provider proposes another cohort of the action; the référent accepts or withdraws."""
    lock(referral)
    _require_provider_answer(referral)
    if cohort.pk == referral.cohort_id:
        raise ValidationError({"cohort": "Choisissez un autre groupe que celui demandé."})
    _check_cohort_for_referral(referral.action, cohort)
    referral.status = ReferralStatus.OTHER_COHORT
    referral.proposed_cohort = cohort
    referral.answered_at, referral.answered_by = timezone.now(), by
    referral.save()
    _tell(
        referent_side(referral),
        referral,
        f"Autre groupe proposé : {referral.action}" + for_referent(referral),
        f"Pour l'orientation vers {_where(referral)}, le prestataire propose le {cohort}. "
        "Acceptez ce groupe ou retirez l'orientation.",
    )
    return referral


# The outcome ------------------------------------------------------------------------------


@transaction.atomic
def close(
    *,
    referral: ActionReferral,
    outcome: str,
    ended_on: datetime.date,
    drop_out_reason: str = "",
    by,
) -> ActionReferral:
    """The action ended for the person (completed, or dropped out and why): the pathway's
    step ends on the same day, with its outcome."""
    lock(referral)
    if referral.status != ReferralStatus.ACCEPTED:
        raise ValidationError(
            f"Cette orientation est « {referral.get_status_display()} » : seule une personne "
            "acceptée dans un groupe a une issue à dire."
        )
    if outcome not in STEP_OUTCOMES:
        raise ValidationError({"outcome": "Choisissez « Action terminée » ou « Abandon »."})
    if outcome == ReferralStatus.DROPPED_OUT and drop_out_reason not in DropOutReason.values:
        raise ValidationError({"drop_out_reason": "Choisissez le motif de l'abandon."})
    if outcome == ReferralStatus.COMPLETED:
        drop_out_reason = ""
    if ended_on > timezone.localdate():
        raise ValidationError(
            {"ended_on": "Cette date est à venir : dites l'issue le jour où l'action finit."}
        )
    if referral.cohort and ended_on < referral.cohort.starts_on:
        raise ValidationError(
            {
                "ended_on": f"Le groupe débute le {formatting.day(referral.cohort.starts_on)}"
                " : la fin ne peut pas le précéder."
            }
        )
    referral.status = outcome
    referral.ended_on = ended_on
    referral.drop_out_reason = drop_out_reason
    referral.save()
    if referral.step_id:
        recording.update_step(
            step=referral.step, data={"end_date": ended_on, "outcome": STEP_OUTCOMES[outcome]}
        )
    _tell(
        [*referent_side(referral), *provider_users(referral.action)],
        referral,
        f"Fin de l'action : {referral.action}",
        f"L'issue de l'orientation vers {_where(referral)} est enregistrée : "
        f"{referral.get_status_display().lower()}.",
    )
    if outcome == ReferralStatus.DROPPED_OUT:
        _place_freed(referral)
    return referral


def _place_freed(referral: ActionReferral) -> None:
    """Tell the provider that a place is free in a cohort where people wait."""
    cohort = referral.cohort
    if cohort is None:
        return
    found = cohort_places(cohort)
    if not found.waiting or not found.accepts:
        return
    first = ActionReferral.objects.get(pk=found.waiting[0])
    notify(
        provider_users(referral.action),
        subject=f"Une place s'est libérée : {referral.action}",
        body=(
            f"Une place s'est libérée dans le {cohort} de l'action « {referral.action} ». "
            f"Sur la liste d'attente : {plurals.counted(len(found.waiting), 'une personne')}. "
            "Ouvrez la première orientation de la liste pour l'accepter si elle peut encore "
            "entrer."
        ),
        url=_url(first),
    )
