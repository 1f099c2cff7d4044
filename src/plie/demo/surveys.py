"""The satisfaction survey of the demo action (issue 13, §4): for each finished cohort, the
provider opened the survey at the last session and most participants answered — mostly
satisfied, a few reserved, some with a free text. The past is replayed: the links are opened
and answered through the services, then given the closing day they had (the cohort's end plus
14 days) and the time of their answer, within those days."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from plie.actions import surveys
from plie.actions.enums import QuestionKind
from plie.actions.models import Action, SurveyInvitation

TEXTS = (
    "Merci à l'équipe, je me suis senti écouté.",
    "Les ateliers sur le numérique m'ont beaucoup aidé.",
    "J'ai trouvé une idée de métier grâce aux entretiens.",
    "Un peu court. J'aurais aimé plus de temps pour le CV.",
    "Le groupe était sympa, j'ai repris confiance.",
    "Les horaires du matin étaient difficiles avec les enfants.",
)
# Mostly satisfied, a few reserved: the share satisfied lands near 80 %.
SCALE = (4, 4, 4, 3, 3, 3, 3, 2, 4, 1)


def answer_finished_cohorts(action: Action, *, by, seed: int = 13) -> int:
    """Opens the survey of `action`'s finished cohorts and answers it for most participants
    (one in five does not answer). Returns the answers recorded."""
    today = timezone.localdate()
    pick = random.Random(seed)
    answered = 0
    for cohort in action.cohorts.filter(cancelled=False, ends_on__lt=today).order_by("starts_on"):
        # Already asked, or a group nobody joined (a small demo base leaves some empty).
        if (
            SurveyInvitation.objects.filter(cohort=cohort).exists()
            or not surveys.participants(cohort).exists()
        ):
            continue
        invitations = surveys.open_survey(cohort=cohort, closes_on=today, by=by)
        closes_on = cohort.ends_on + surveys.CLOSES_AFTER
        for number, invitation in enumerate(invitations):
            if number % 5 == 4:
                continue
            values: dict[int, object] = {}
            for question in invitation.survey.questions.all():
                if question.kind == QuestionKind.SCALE:
                    values[question.pk] = pick.choice(SCALE)
                elif question.kind == QuestionKind.CHOICE:
                    labels = question.labels()
                    values[question.pk] = labels[0] if pick.random() < 0.65 else pick.choice(labels)
                elif pick.random() < 0.4:
                    values[question.pk] = pick.choice(TEXTS)
            surveys.record_answers(invitation=invitation, values=values)
            answered += 1
            when = min(cohort.ends_on + datetime.timedelta(days=pick.randint(0, 6)), today)
            SurveyInvitation.objects.filter(pk=invitation.pk).update(
                answered_at=timezone.make_aware(datetime.datetime.combine(when, datetime.time(18)))
            )
        SurveyInvitation.objects.filter(cohort=cohort).update(closes_on=closes_on)
    return answered
