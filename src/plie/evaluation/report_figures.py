"""The figures of an action's report, computed from the data over the period it covers
(issue 13, §2), each named with its French label.

Who counts, up to today when the period is not over. *Referred*: the referrals to the action
sent during the period (before the action's first day too, for a period that starts with it);
*accepted*: of those, the ones the provider accepted (they took a place, finished or dropped
out since).
The people *who took part* are those accepted in a group that started during the period
(`TOOK_PART`); *started*, *completed* and *dropped out* count them, the last two when they
left the action by the period's last day. Attendance and days delivered are the statement of
days of the period (actions.statement, actions.delivery). Diagnostics: the people who took
part with at least one diagnostic of each kind dated within the period. Self-assessment: the
averages at the start and at the end over those who answered both times (actions.progress).
Recommendations: those of the follow-up sheets sent during the period. *Steps within three
months*: the people who left the action by the period's end and started another step of their
pathway (not the action's own) from the day they left to three months after. *Positive
exits since*: the people whose pathway ended with a positive exit on or after the first day of
their group. *Satisfaction*: the survey of the groups started within the period
(actions.satisfaction), shares not given under five answers.

The result is plain frozen data with `as_json`/`from_json`, so that a validated report keeps
the figures it was validated with. A section is one function of `SECTIONS`: one more (the
satisfaction survey) is one more function there.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils import timezone

from plie.actions import progress, satisfaction, statement
from plie.actions.enums import (
    TOOK_PART,
    Diagnostic,
    Fundamental,
    Moment,
    QuestionKind,
    ReferralStatus,
)
from plie.actions.models import (
    Action,
    ActionReferral,
    CleaPositioning,
    FrenchAssessment,
    MobilityAssessment,
    Recommendation,
    SelfAssessment,
    SelfAssessmentAnswer,
)
from plie.core import formatting
from plie.core.charts import PRINT_WIDTH, Chart, Series
from plie.core.months import add_months
from plie.core.suppression import SHOW_ALL
from plie.participants.enums import ExitReason
from plie.pathways.models import Step

COUNT = "count"
PERCENT = "percent"
DAYS = "days"
SCORE = "score"
AFTER_MONTHS = 3


@dataclasses.dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: int | Decimal | None
    unit: str = COUNT

    @property
    def text(self) -> str:
        if self.value is None:
            return "—"
        if self.unit == PERCENT:
            return formatting.percent(self.value)
        if self.unit == DAYS:
            return formatting.number(self.value, 1)
        if self.unit == SCORE:
            return formatting.number(self.value, 1)
        return formatting.count(int(self.value))

    def as_json(self) -> dict:
        value = self.value
        return {
            "key": self.key,
            "label": self.label,
            "unit": self.unit,
            "value": str(value) if isinstance(value, Decimal) else value,
        }

    @classmethod
    def from_json(cls, data: dict) -> Figure:
        value = data["value"]
        if isinstance(value, str):
            value = Decimal(value)
        return cls(data["key"], data["label"], value, data["unit"])


@dataclasses.dataclass(frozen=True)
class Section:
    key: str
    title: str
    figures: tuple[Figure, ...]


@dataclasses.dataclass(frozen=True)
class ReportFigures:
    starts_on: datetime.date
    ends_on: datetime.date
    sections: tuple[Section, ...]

    def figure(self, key: str) -> Figure:
        return next(f for s in self.sections for f in s.figures if f.key == key)

    def values(self) -> dict[str, Figure]:
        return {f.key: f for s in self.sections for f in s.figures}

    def as_json(self) -> dict:
        return {
            "starts_on": self.starts_on.isoformat(),
            "ends_on": self.ends_on.isoformat(),
            "sections": [
                {
                    "key": s.key,
                    "title": s.title,
                    "figures": [f.as_json() for f in s.figures],
                }
                for s in self.sections
            ],
        }

    @classmethod
    def from_json(cls, data: dict) -> ReportFigures:
        return cls(
            datetime.date.fromisoformat(data["starts_on"]),
            datetime.date.fromisoformat(data["ends_on"]),
            tuple(
                Section(s["key"], s["title"], tuple(Figure.from_json(f) for f in s["figures"]))
                for s in data["sections"]
            ),
        )

    def differences(self, live: ReportFigures) -> list[str]:
        """What reads differently in `live` than here: « Personnes orientées : 12 → 13 »."""
        now = live.values()
        changes = []
        for key, then in self.values().items():
            current = now.get(key)
            current_text = current.text if current else "—"
            if current_text != then.text:
                changes.append(f"{then.label} : {then.text} → {current_text}")
        changes += [
            f"{f.label} : — → {f.text}" for key, f in now.items() if key not in self.values()
        ]
        return changes

    def charts(self, *, for_print: bool = False) -> list[Chart]:
        """The counts drawn as bars (core.charts, as the dashboard), their table beside."""
        width = PRINT_WIDTH if for_print else 7.0
        charts = []
        for section in self.sections:
            counts = [f for f in section.figures if f.unit == COUNT and f.value is not None]
            if len(counts) < 2 or not any(f.value for f in counts):
                continue  # nothing to compare, or only zeros: the table says it
            charts.append(
                Chart(
                    slug=f"bilan-{section.key}",
                    title=section.title,
                    categories=[f.label for f in counts],
                    series=[Series("Personnes", [int(f.value or 0) for f in counts])],
                    kind="hbars",
                    category_header="Chiffre",
                    width=width,
                )
            )
        return charts


# Computing --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Period:
    action: Action
    starts_on: datetime.date
    ends_on: datetime.date

    def took_part(self):
        """The referrals of the people who took part: accepted in a group started within the
        period."""
        return ActionReferral.objects.filter(
            action=self.action,
            status__in=TOOK_PART,
            cohort__starts_on__range=(self.starts_on, self.ends_on),
        )


def _participants(period: Period) -> Section:
    bounds = (period.starts_on, period.ends_on)
    # Referrals sent before the action's first day (for its first group) count in a period
    # that starts with the action, so that no one enters a group without having been referred.
    in_period = Q(created_at__date__lte=period.ends_on)
    if period.starts_on > period.action.starts_on:
        in_period &= Q(created_at__date__gte=period.starts_on)
    took_part = Q(status__in=TOOK_PART, cohort__starts_on__range=bounds)
    left_by_end = Q(ended_on__lte=period.ends_on)
    counts = ActionReferral.objects.filter(action=period.action).aggregate(
        referred=Count("pk", filter=in_period),
        accepted=Count("pk", filter=in_period & Q(status__in=TOOK_PART)),
        started=Count("pk", filter=took_part),
        completed=Count("pk", filter=took_part & left_by_end & Q(status=ReferralStatus.COMPLETED)),
        dropped_out=Count(
            "pk", filter=took_part & left_by_end & Q(status=ReferralStatus.DROPPED_OUT)
        ),
    )
    return Section(
        "personnes",
        "Orientations et participation",
        (
            Figure("referred", "Personnes orientées", counts["referred"]),
            Figure("accepted", "Orientations acceptées", counts["accepted"]),
            Figure("started", "Personnes entrées dans un groupe", counts["started"]),
            Figure("completed", "Personnes allées au bout de l'action", counts["completed"]),
            Figure("dropped_out", "Abandons", counts["dropped_out"]),
        ),
    )


def _attendance(period: Period) -> Section:
    found = statement.statement(period.action, starts_on=period.starts_on, ends_on=period.ends_on)
    totals = found.total.totals
    return Section(
        "presences",
        "Présences et jours réalisés",
        (
            Figure("attendance_rate", "Taux de présence", totals.rate, PERCENT),
            Figure("days_held", "Jours d'action tenus", found.total.days_held, DAYS),
            Figure(
                "days_delivered",
                "Jours réalisés (présence des personnes)",
                totals.days_present,
                DAYS,
            ),
        ),
    )


DIAGNOSTIC_MODELS = {
    Diagnostic.FRENCH: FrenchAssessment,
    Diagnostic.MOBILITY: MobilityAssessment,
    Diagnostic.CLEA: CleaPositioning,
    Diagnostic.SELF_ASSESSMENT: SelfAssessment,
}


def _diagnostics(period: Period) -> Section:
    offered = [d for d in Diagnostic if period.action.offers(d)]
    done = {
        d.value: Count(
            "pk",
            filter=Q(
                Exists(
                    DIAGNOSTIC_MODELS[d].objects.filter(
                        referral=OuterRef("pk"), assessed_on__lte=period.ends_on
                    )
                )
            ),
        )
        for d in offered
    }
    counts = period.took_part().aggregate(**done) if done else {}
    return Section(
        "diagnostics",
        "Diagnostics réalisés",
        tuple(
            Figure(f"diagnostic_{d.value}", f"Diagnostic : {d.label}", counts[d.value])
            for d in offered
        ),
    )


def _self_assessment(period: Period) -> Section:
    people: dict[int, dict[str, dict[str, int]]] = {}
    for referral_id, moment, fundamental, score in SelfAssessmentAnswer.objects.filter(
        self_assessment__referral__in=period.took_part(),
        self_assessment__assessed_on__lte=period.ends_on,
    ).values_list(
        "self_assessment__referral_id", "self_assessment__moment", "fundamental", "score"
    ):
        people.setdefault(referral_id, {}).setdefault(moment, {})[fundamental] = score
    averages = progress.cohort_progress(
        [(p.get(Moment.START), p.get(Moment.END)) for p in people.values()], Fundamental.values
    )
    labels = dict(Fundamental.choices)
    both = sum(1 for p in people.values() if Moment.START in p and Moment.END in p)
    figures = [Figure("self_assessed", "Personnes autoévaluées au début et à la fin", both)]
    # Nobody assessed at both moments: the averages would be twelve lines of « — ».
    for item in averages if both else ():
        label = labels[item.fundamental]
        figures += [
            Figure(
                f"self_{item.fundamental}_start", f"{label} (sur 4) — au début", item.start, SCORE
            ),
            Figure(f"self_{item.fundamental}_end", f"{label} (sur 4) — à la fin", item.end, SCORE),
        ]
    return Section("autoevaluation", "Autoévaluation au début et à la fin", tuple(figures))


def _after_action(period: Period) -> Section:
    sent = Recommendation.objects.filter(
        sheet__referral__action=period.action,
        sheet__sent_at__date__range=(period.starts_on, period.ends_on),
    ).aggregate(
        recommendations=Count("pk"), people=Count("sheet__referral__participant", distinct=True)
    )
    left = list(
        period.took_part()
        .filter(ended_on__lte=period.ends_on)
        .values_list("pathway_id", "ended_on", "step_id")
    )
    first = min((ended for _, ended, _ in left), default=None)
    steps: dict[int, list[tuple[int, datetime.date]]] = {}
    if first is not None:
        for pathway_id, pk, start in Step.objects.filter(
            pathway_id__in={pathway for pathway, _, _ in left}, start_date__gte=first
        ).values_list("pathway_id", "pk", "start_date"):
            steps.setdefault(pathway_id, []).append((pk, start))
    with_step = sum(
        1
        for pathway_id, ended, own_step in left
        if any(
            pk != own_step and ended <= start <= add_months(ended, AFTER_MONTHS)
            for pk, start in steps.get(pathway_id, [])
        )
    )
    positive = _positive_exits(period)
    return Section(
        "suites",
        "Préconisations et suites de parcours",
        (
            Figure(
                "recommendations", "Préconisations envoyées aux référents", sent["recommendations"]
            ),
            Figure("recommended_people", "Personnes ayant reçu des préconisations", sent["people"]),
            Figure("left", "Personnes sorties de l'action", len(left)),
            Figure(
                "steps_within_3_months",
                "Personnes entrées dans une autre étape dans les 3 mois après l'action",
                with_step,
            ),
            Figure("positive_exits", "Sorties positives du PLIE depuis l'action", positive),
        ),
    )


def _positive_exits(period: Period) -> int:
    return (
        period.took_part()
        .filter(
            pathway__exit_reason=ExitReason.POSITIVE,
            pathway__exit_date__gte=F("cohort__starts_on"),
        )
        .values("participant")
        .distinct()
        .count()
    )


def _satisfaction(period: Period) -> Section:
    """The satisfaction survey of the groups started within the period (actions.satisfaction):
    people invited, answers, and for each scale question the share satisfied (3 or 4) — not
    given under five answers, by the one small-count rule."""
    cohorts = period.action.cohorts.filter(starts_on__range=(period.starts_on, period.ends_on))
    found = satisfaction.summary(action=period.action, cohorts=cohorts, small=SHOW_ALL)
    answered = found.answered if isinstance(found.answered, int) else None
    figures = [
        Figure("survey_invited", "Personnes invitées au questionnaire", found.invited),
        Figure("survey_answered", "Réponses au questionnaire", answered),
        Figure(
            "survey_rate",
            "Taux de réponse",
            None if found.answer_rate is None else Decimal(str(round(found.answer_rate, 4))),
            PERCENT,
        ),
    ]
    for question in found.questions:
        if question.kind != QuestionKind.SCALE:
            continue
        share = question.satisfied
        figures.append(
            Figure(
                f"survey_{question.code}",
                f"Satisfaits (plutôt oui ou tout à fait) : {question.text}",
                None if share is None else Decimal(str(round(share, 4))),
                PERCENT,
            )
        )
    return Section("satisfaction", "Satisfaction des participants", tuple(figures))


SectionOf = Callable[[Period], Section]
SECTIONS: tuple[SectionOf, ...] = (
    _participants,
    _attendance,
    _diagnostics,
    _self_assessment,
    _after_action,
    _satisfaction,
)


def compute(action: Action, *, starts_on: datetime.date, ends_on: datetime.date) -> ReportFigures:
    """The figures of `action` from `starts_on` to `ends_on` (both included), as they stand
    today: a period not over yet counts nothing after today (no session to come, no group
    that has not started)."""
    period = Period(action, starts_on, min(ends_on, timezone.localdate()))
    return ReportFigures(starts_on, ends_on, tuple(section(period) for section in SECTIONS))
