"""What the participants said of an action (issue 13, §1), per cohort or for the whole action:
how many were invited and answered, and for each question the distribution of the answers, the
share satisfied (3 or 4 on a scale of 1 to 4) and the free texts — never with a name.

The one small-count rule (core.suppression) is applied twice. For everyone, a group of fewer
than 5 answers shows « < 5 » and no distribution: the provider knows the few people who
answered, and could tell who said what. For the steering committee and its documents
(`small=HIDE_SMALL`, the default), each count and share is then hidden as everywhere else, and
no free text is given (aggregates only). The provider and the coordination read with
`small=SHOW_ALL`: every count of a group of 5 answers or more, and the free texts.

`summary()` is what the reports (app `evaluation`) read; its signature is kept stable."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable

from django.db.models import Count, Q

from plie.actions.enums import SATISFIED, QuestionKind
from plie.actions.models import Action, SurveyAnswer, SurveyInvitation, SurveyQuestion
from plie.actions.surveys import survey_for
from plie.core.collation import french_sort_key
from plie.core.suppression import HIDE_SMALL, SMALL, Hidden, Shown, SmallCounts, is_small


def _plain(value):
    """A shown figure as JSON: a count or a share as it is, a hidden one as its mark."""
    return str(value) if isinstance(value, Hidden) else value


@dataclasses.dataclass(frozen=True)
class QuestionFigures:
    code: str
    text: str
    kind: str
    answered: Shown  # the people who answered this question
    # Each label with its count, in the question's order (None: not shown, too few answers).
    distribution: tuple[tuple[str, Shown], ...] | None
    satisfied: float | None  # share answering 3 or 4 (a scale), None when withheld
    texts: tuple[str, ...]  # free texts, without names (empty when not shown)

    def as_figures(self) -> dict:
        return {
            "code": self.code,
            "text": self.text,
            "kind": self.kind,
            "answered": _plain(self.answered),
            "distribution": None
            if self.distribution is None
            else [[label, _plain(count)] for label, count in self.distribution],
            "satisfied": self.satisfied,
            "texts": list(self.texts),
        }


@dataclasses.dataclass(frozen=True)
class SatisfactionSummary:
    """What the participants of `cohort_ids` (of the action `action_id`) said."""

    action_id: int
    cohort_ids: tuple[int, ...]
    survey_title: str
    invited: int
    answered: Shown
    answer_rate: float | None  # answered ÷ invited, None when withheld or nobody invited
    too_few: bool  # fewer than 5 answers: no distribution is shown
    questions: tuple[QuestionFigures, ...]

    def as_figures(self) -> dict:
        """The summary as plain JSON values (a hidden count reads « < 5 » or « masqué »)."""
        return {
            "action_id": self.action_id,
            "cohort_ids": list(self.cohort_ids),
            "survey_title": self.survey_title,
            "invited": self.invited,
            "answered": _plain(self.answered),
            "answer_rate": self.answer_rate,
            "too_few": self.too_few,
            "questions": [question.as_figures() for question in self.questions],
        }


def _share(part: int, whole: int, small: SmallCounts) -> float | None:
    if not whole or not small.share(part, whole):
        return None
    return round(part / whole, 4)


def _question_figures(
    question: SurveyQuestion, answers: list[SurveyAnswer], too_few: bool, small: SmallCounts
) -> QuestionFigures:
    count = len(answers)
    shown_count: Shown = SMALL if is_small(count) else small.count(count)
    texts: tuple[str, ...] = ()
    distribution = None
    satisfied = None
    if question.kind == QuestionKind.TEXT:
        if not small.hides:
            # In alphabetical order: the order of the answers would point at the last ones.
            texts = tuple(sorted((a.text for a in answers if a.text), key=french_sort_key))
    elif not too_few and not is_small(count):
        labels = question.labels()
        if question.kind == QuestionKind.SCALE:
            found = Counter(a.scale for a in answers)
            counts = [found.get(step, 0) for step in range(1, len(labels) + 1)]
            satisfied = _share(sum(found.get(step, 0) for step in SATISFIED), count, small)
        else:
            found = Counter(a.choice for a in answers)
            counts = [found.get(label, 0) for label in labels]
        distribution = tuple(zip(labels, small.parts(counts), strict=True))
    return QuestionFigures(
        code=question.code,
        text=question.text,
        kind=question.kind,
        answered=shown_count,
        distribution=distribution,
        satisfied=satisfied,
        texts=texts,
    )


def summary(
    *, action: Action, cohorts: Iterable | None = None, small: SmallCounts = HIDE_SMALL
) -> SatisfactionSummary:
    """What the participants of `action` said (of `cohorts` only, cohorts or their ids, when
    given), as `small` lets it be shown (default: the steering committee's rule)."""
    invitations = SurveyInvitation.objects.filter(cohort__action=action)
    cohort_ids: tuple[int, ...] = ()
    if cohorts is not None:
        cohort_ids = tuple(sorted({getattr(c, "pk", c) for c in cohorts}))
        invitations = invitations.filter(cohort_id__in=cohort_ids)
    else:
        cohort_ids = tuple(action.cohorts.order_by("pk").values_list("pk", flat=True))
    counts = invitations.aggregate(
        invited=Count("pk"), answered=Count("pk", filter=Q(answered_at__isnull=False))
    )
    invited, answered = counts["invited"], counts["answered"]
    too_few = is_small(answered)
    answers = list(
        SurveyAnswer.objects.filter(
            invitation__in=invitations, invitation__answered_at__isnull=False
        ).only("question_id", "scale", "choice", "text")
    )
    by_question: dict[int, list[SurveyAnswer]] = {}
    for answer in answers:
        by_question.setdefault(answer.question_id, []).append(answer)
    survey = survey_for(action)
    used = set(by_question)
    questions = list(
        SurveyQuestion.objects.filter(pk__in=used)
        | (survey.questions.all() if survey else SurveyQuestion.objects.none())
    )
    questions.sort(key=lambda q: (q.survey_id != (survey.pk if survey else None), q.order, q.pk))
    return SatisfactionSummary(
        action_id=action.pk,
        cohort_ids=cohort_ids,
        survey_title=survey.title if survey else "",
        invited=invited,
        answered=SMALL if too_few else small.count(answered),
        answer_rate=None if too_few else _share(answered, invited, small),
        too_few=too_few,
        questions=tuple(
            _question_figures(q, by_question.get(q.pk, []), too_few, small) for q in questions
        ),
    )
