"""The satisfaction survey of a cohort (issue 13, §1): the provider or the coordination opens
it for the people who took part (one personal link each, valid up to a closing day), a
participant answers once through their link, and the survey may be closed early. Each service
is one transaction and takes keyword arguments only; a refusal is a French ValidationError.

The link is the person's only key: `secrets.token_urlsafe`, unguessable, never logged; the
answers hang on the invitation and are read only in aggregate (`actions.satisfaction`)."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from plie.actions.enums import TOOK_PART, QuestionKind
from plie.actions.models import (
    Action,
    ActionReferral,
    Cohort,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
)
from plie.core import formatting
from plie.core.versioning import lock

CLOSES_AFTER = datetime.timedelta(days=14)  # after the cohort's last day, by default
TOKEN_BYTES = 12  # 16 characters in the link: 96 random bits, short enough to type


class AlreadyAnswered(Exception):
    """This link was used already: one answer per link."""


class SurveyClosed(Exception):
    """The link's closing day has passed."""


def survey_for(action: Action) -> Survey | None:
    """The action's own version of the survey, else the programme's default one."""
    own = Survey.objects.filter(action=action).first()
    if own is not None:
        return own
    return Survey.objects.filter(action__isnull=True).order_by("pk").first()


def default_closing(cohort: Cohort) -> datetime.date:
    """The cohort's last day plus 14 days, or 14 days from today if that is already past."""
    return max(cohort.ends_on, timezone.localdate()) + CLOSES_AFTER


def is_open(invitation: SurveyInvitation, today: datetime.date | None = None) -> bool:
    """A link accepts an answer up to its closing day included."""
    return (today or timezone.localdate()) <= invitation.closes_on


def participants(cohort: Cohort):
    """The referrals of the people who took part in the cohort (`TOOK_PART`)."""
    return ActionReferral.objects.filter(cohort=cohort, status__in=TOOK_PART)


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


@transaction.atomic
def open_survey(*, cohort: Cohort, closes_on: datetime.date, by) -> list[SurveyInvitation]:
    """One personal link for each person who took part in `cohort` and has none yet; the
    links not answered take the new closing day (the survey opened again is prolonged).
    Returns the invitations created."""
    today = timezone.localdate()
    if closes_on < today:
        raise ValidationError(
            {
                "closes_on": "La date de clôture est passée : choisissez aujourd'hui ou un jour "
                f"après (par exemple le {formatting.day(default_closing(cohort))})."
            }
        )
    if closes_on < cohort.ends_on:
        raise ValidationError(
            {
                "closes_on": f"Le groupe finit le {formatting.day(cohort.ends_on)} : les liens "
                "restent ouverts au moins jusqu'à ce jour, puisque la feuille se remet à la "
                f"dernière séance (par exemple jusqu'au {formatting.day(default_closing(cohort))})."
            }
        )
    lock(cohort)
    if cohort.cancelled:
        raise ValidationError("Ce groupe est annulé : il n'a pas de questionnaire.")
    survey = survey_for(cohort.action)
    if survey is None or not survey.questions.exists():
        raise ValidationError(
            "Aucun questionnaire n'est prêt : l'administrateur de l'application en écrit un dans l'administration "
            "(« Questionnaires de satisfaction »)."
        )
    invited = set(
        SurveyInvitation.objects.filter(cohort=cohort).values_list("referral_id", flat=True)
    )
    missing = [r for r in participants(cohort).order_by("pk") if r.pk not in invited]
    if not missing and not invited:
        raise ValidationError(
            "Personne n'a encore participé à ce groupe : le questionnaire s'ouvre pour les "
            "personnes acceptées dans le groupe."
        )
    SurveyInvitation.objects.filter(cohort=cohort, answered_at__isnull=True).update(
        closes_on=closes_on
    )
    return [
        SurveyInvitation.objects.create(
            survey=survey,
            cohort=cohort,
            referral=referral,
            token=new_token(),
            closes_on=closes_on,
            created_by=by,
        )
        for referral in missing
    ]


@transaction.atomic
def close_survey(*, cohort: Cohort, by) -> int:
    """Closes the links not answered yet: they end yesterday. Returns how many."""
    lock(cohort)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    return SurveyInvitation.objects.filter(
        cohort=cohort, answered_at__isnull=True, closes_on__gt=yesterday
    ).update(closes_on=yesterday)


def _answer_of(question: SurveyQuestion, value) -> SurveyAnswer | None:
    """The answer to write for `value` (already checked by the form), or None when empty."""
    if value in (None, ""):
        return None
    if question.kind == QuestionKind.SCALE:
        scale = int(value)
        if not 1 <= scale <= 4:
            raise ValidationError({f"q{question.pk}": "Choisissez une réponse de 1 à 4."})
        return SurveyAnswer(question=question, scale=scale)
    if question.kind == QuestionKind.CHOICE:
        if value not in question.labels():
            raise ValidationError({f"q{question.pk}": "Choisissez une des réponses proposées."})
        return SurveyAnswer(question=question, choice=value)
    return SurveyAnswer(question=question, text=str(value).strip()[:2000])


def record_answers(*, invitation: SurveyInvitation, values: dict[int, object]) -> int:
    """Writes the answers of the person holding the link (`values`: question id → scale,
    choice or text), once: a second sending, even at the same instant, raises
    AlreadyAnswered; after the closing day, SurveyClosed. Returns the answers written."""
    try:
        with transaction.atomic():
            locked = SurveyInvitation.objects.select_for_update().get(pk=invitation.pk)
            if locked.answered_at is not None:
                raise AlreadyAnswered
            if not is_open(locked):
                raise SurveyClosed
            questions = list(locked.survey.questions.all())
            answers = []
            for question in questions:
                answer = _answer_of(question, values.get(question.pk))
                if answer is None:
                    if question.required:
                        raise ValidationError({f"q{question.pk}": "Choisissez une réponse."})
                    continue
                answer.invitation = locked
                answers.append(answer)
            SurveyAnswer.objects.bulk_create(answers)
            locked.answered_at = timezone.now()
            locked.save(update_fields=["answered_at"])
    except IntegrityError:  # the unique answer per question: another sending came first
        raise AlreadyAnswered from None
    invitation.answered_at = locked.answered_at
    return len(answers)
