"""Writing actions, their cohorts and sessions (issue 12, §1): each service is one
transaction, takes keyword arguments only, and refuses with a French ValidationError (keyed by
the form's field when there is one) what the calendar (calendar.py) or the rules refuse."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from plie.actions import calendar
from plie.actions.enums import Diagnostic, HalfDay, SessionKind, SessionStatus
from plie.actions.models import Action, ActionReferral, Cohort, Session
from plie.core import formatting
from plie.core.versioning import lock

SESSION_HOURS = (Decimal("0.5"), Decimal("6"))


def rhythm_of(action: Action) -> calendar.Rhythm:
    return calendar.Rhythm(
        starts_on=action.starts_on,
        ends_on=action.ends_on,
        cohort_every_weeks=action.cohort_every_weeks,
        cohort_weeks=action.cohort_weeks,
        weekdays=tuple(sorted(action.weekdays or ())),
        half_day=action.half_day,
        hours=action.hours_per_session,
        individual_interviews=action.individual_interviews,
    )


def plan_of(action: Action) -> calendar.Plan:
    """The cohorts the action's calendar gives (nothing written): what « Générer les groupes »
    will create, and the holidays it skips."""
    try:
        return calendar.plan(rhythm_of(action))
    except calendar.CalendarError as error:
        raise ValidationError(str(error)) from None


@transaction.atomic
def create_action(
    *,
    programme,
    agreement,
    title: str,
    places: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
    weekdays: list[int],
    by,
    content: str = "",
    minimum_per_cohort: int = 8,
    maximum_per_cohort: int = 12,
    cohort_every_weeks: int = 3,
    cohort_weeks: int = 3,
    half_day: str = HalfDay.MORNING,
    hours_per_session: Decimal = Decimal("3.5"),
    individual_interviews: int = 0,
    diagnostics: list[str] | None = None,
    for_new_entrants: bool = False,
    is_open: bool = True,
) -> Action:
    """A new action on `agreement` (an agreements.Agreement), within its dates; its cohorts
    come with generate_cohorts. `by` is the user who creates it."""
    if starts_on < agreement.starts_on or ends_on > agreement.ends_on:
        raise ValidationError(
            {
                "starts_on" if starts_on < agreement.starts_on else "ends_on": (
                    f"L'action se déroule pendant la convention {agreement.reference} (du "
                    f"{formatting.day(agreement.starts_on)} au "
                    f"{formatting.day(agreement.ends_on)}) : choisissez des dates dans cette "
                    "période, ou prolongez d'abord la convention par un avenant."
                )
            }
        )
    if maximum_per_cohort < minimum_per_cohort:
        raise ValidationError(
            {
                "maximum_per_cohort": "Le maximum par groupe est au moins le minimum : "
                "corrigez l'un des deux."
            }
        )
    unknown = set(diagnostics or ()) - set(Diagnostic.values)
    if unknown:
        raise ValidationError({"diagnostics": "Choisissez les diagnostics dans la liste."})
    action = Action(
        programme=programme,
        agreement=agreement,
        title=title,
        content=content,
        places=places,
        minimum_per_cohort=minimum_per_cohort,
        maximum_per_cohort=maximum_per_cohort,
        starts_on=starts_on,
        ends_on=ends_on,
        cohort_every_weeks=cohort_every_weeks,
        cohort_weeks=cohort_weeks,
        weekdays=sorted(set(weekdays)),
        half_day=half_day,
        hours_per_session=hours_per_session,
        individual_interviews=individual_interviews,
        diagnostics=[d for d in Diagnostic.values if d in set(diagnostics or ())],
        for_new_entrants=for_new_entrants,
        is_open=is_open,
        created_by=by,
    )
    try:
        calendar.plan(rhythm_of(action))
    except calendar.CalendarError as error:
        field = "weekdays" if not weekdays else "ends_on"
        raise ValidationError({field: str(error)}) from None
    action.full_clean()
    action.save()
    return action


def _referred_cohorts(action: Action):
    return ActionReferral.objects.filter(cohort__action=action) | ActionReferral.objects.filter(
        proposed_cohort__action=action
    )


def has_referrals(action: Action) -> bool:
    """Whether someone is referred to one of the action's cohorts (they then stay)."""
    return _referred_cohorts(action).exists()


@transaction.atomic
def generate_cohorts(*, action: Action, by) -> calendar.Plan:
    """Create the action's cohorts and their workshop sessions from its calendar (holidays
    skipped). An action whose cohorts have no referral yet gets them again (replaced); once a
    person is referred to one of them, it is refused: move, cancel or add sessions instead."""
    lock(action)
    if _referred_cohorts(action).exists():
        raise ValidationError(
            "Des personnes sont déjà orientées vers les groupes de cette action : ils ne "
            "peuvent plus être générés à nouveau. Déplacez, annulez ou ajoutez des séances "
            "dans chaque groupe."
        )
    plan = plan_of(action)
    if not plan.cohorts:
        raise ValidationError(plan.note)
    action.cohorts.all().delete()
    for planned in plan.cohorts:
        cohort = Cohort.objects.create(
            action=action,
            number=planned.number,
            starts_on=planned.starts_on,
            ends_on=planned.ends_on,
            capacity=action.maximum_per_cohort,
        )
        Session.objects.bulk_create(
            Session(
                cohort=cohort,
                date=session.date,
                half_day=session.half_day,
                kind=SessionKind.WORKSHOP,
                hours=session.hours,
            )
            for session in planned.sessions
        )
    return plan


def _check_date(cohort: Cohort, date: datetime.date) -> None:
    """A session of `cohort` lies within its dates and on no public holiday."""
    if not cohort.starts_on <= date <= cohort.ends_on:
        raise ValidationError(
            {
                "date": (
                    f"Le groupe {cohort.number} se déroule du {formatting.day(cohort.starts_on)}"
                    f" au {formatting.day(cohort.ends_on)} : choisissez une date dans cette "
                    "période."
                )
            }
        )
    if holiday := calendar.public_holiday(date):
        raise ValidationError(
            {
                "date": (
                    f"Le {formatting.day(date)} est un jour férié ({holiday}) : choisissez "
                    "un autre jour."
                )
            }
        )


def _check_hours(hours: Decimal) -> None:
    low, high = SESSION_HOURS
    if not low <= hours <= high:
        raise ValidationError({"hours": "Une séance dure de 0,5 à 6 heures : corrigez sa durée."})


def _check_free(cohort: Cohort, date, half_day, kind, *, other_than=None) -> None:
    """Two workshops of one cohort never share a half-day."""
    if kind != SessionKind.WORKSHOP:
        return
    taken = cohort.sessions.filter(
        date=date, half_day=half_day, kind=SessionKind.WORKSHOP, status=SessionStatus.PLANNED
    ).exclude(pk=getattr(other_than, "pk", None))
    if taken.exists():
        raise ValidationError(
            {
                "date": (
                    f"Le groupe a déjà un atelier le {formatting.day(date)} "
                    f"({HalfDay(half_day).label.lower()}) : choisissez une autre demi-journée."
                )
            }
        )


@transaction.atomic
def move_session(*, session: Session, date: datetime.date, half_day: str, by) -> Session:
    """Move a planned session to another day or half-day of its cohort; `moved_from` keeps the
    day it was first planned on (a second move keeps the first)."""
    lock(session)
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError(
            "Cette séance est annulée : ajoutez plutôt une nouvelle séance au groupe."
        )
    _check_date(session.cohort, date)
    _check_free(session.cohort, date, half_day, session.kind, other_than=session)
    if session.moved_from is None and date != session.date:
        session.moved_from = session.date
    session.date, session.half_day = date, half_day
    session.save()
    return session


@transaction.atomic
def cancel_session(*, session: Session, reason: str, by) -> Session:
    """Cancel a planned session, saying why (the reason shows on the cohort's page)."""
    lock(session)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": "Dites pourquoi la séance est annulée (par exemple : intervenant malade)."}
        )
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError("Cette séance est déjà annulée.")
    session.status = SessionStatus.CANCELLED
    session.cancellation_reason = reason[:300]
    session.save()
    return session


@transaction.atomic
def add_session(
    *,
    cohort: Cohort,
    date: datetime.date,
    half_day: str,
    kind: str,
    hours: Decimal,
    topic: str = "",
    by,
    referral: ActionReferral | None = None,
) -> Session:
    """Add a session by hand to `cohort` (a workshop to make up for a holiday, or an individual
    interview — with `referral`, the person received, when it is known)."""
    _check_date(cohort, date)
    _check_hours(hours)
    if kind == SessionKind.WORKSHOP and referral is not None:
        raise ValidationError("Un atelier collectif ne concerne pas une seule personne.")
    if referral is not None and referral.cohort_id != cohort.pk:
        raise ValidationError("Cette personne n'est pas dans ce groupe.")
    _check_free(cohort, date, half_day, kind)
    return Session.objects.create(
        cohort=cohort,
        date=date,
        half_day=half_day,
        kind=kind,
        hours=hours,
        topic=topic,
        referral=referral,
        added_by_hand=True,
    )
