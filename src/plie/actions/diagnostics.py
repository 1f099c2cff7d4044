"""Recording the diagnostics of a person referred to an action (issue 12, §4), and reading
them back: French on the CEFR scale, mobility, the CléA positioning (its share against the
75 %, actions/clea.py) and the self-assessment of the fundamentals (its progress,
actions/progress.py). Services are keyword-only; a diagnostic is recorded once per moment
(start, end) and corrected in place; multi-row writes are atomic."""

from __future__ import annotations

import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from plie.actions import clea, progress
from plie.actions.enums import TOOK_PART, CleaLevel, Diagnostic, Fundamental, Moment
from plie.actions.models import (
    ActionReferral,
    CleaPositioning,
    CleaResult,
    CleaSubdomain,
    FrenchAssessment,
    MobilityAssessment,
    SelfAssessment,
    SelfAssessmentAnswer,
)
from plie.core import formatting

FRENCH_SKILLS = (
    "oral_comprehension",
    "written_comprehension",
    "oral_expression",
    "written_expression",
)
MOBILITY_FIELDS = (
    "driving_licence",
    "vehicle",
    "public_transport",
    "travel_radius_km",
    "oriented_to_platform",
)


def check_recordable(referral: ActionReferral, diagnostic: str) -> None:
    """A diagnostic is recorded for a person the provider welcomed (accepted, or whose action
    ended), and only one the action delivers."""
    if not referral.action.offers(diagnostic):
        raise ValidationError(
            f"L'action « {referral.action.title} » ne prévoit pas ce diagnostic "
            f"({Diagnostic(diagnostic).label}) : demandez à la coordination de l'ajouter à "
            "l'action si elle le réalise."
        )
    if referral.status not in TOOK_PART:
        raise ValidationError(
            "Les diagnostics se saisissent une fois l'orientation acceptée : acceptez d'abord "
            "la personne dans un groupe."
        )


def _base(record, *, assessed_on: datetime.date, comment: str, by) -> None:
    sent_on = timezone.localdate(record.referral.created_at)
    if assessed_on < sent_on:
        raise ValidationError(
            {
                "assessed_on": f"Un diagnostic ne précède pas l'orientation, envoyée le "
                f"{formatting.day(sent_on)} : corrigez sa date."
            }
        )
    record.assessed_on = assessed_on
    record.comment = comment
    record.recorded_by = by


def record_french(
    *,
    referral: ActionReferral,
    moment: str,
    assessed_on: datetime.date,
    levels: dict[str, str],
    comment: str = "",
    by,
) -> FrenchAssessment:
    """The level of each of the 4 skills (a CEFR level, "" for « non évalué »)."""
    check_recordable(referral, Diagnostic.FRENCH)
    record = FrenchAssessment.objects.filter(referral=referral, moment=moment).first()
    record = record or FrenchAssessment(referral=referral, moment=moment)
    _base(record, assessed_on=assessed_on, comment=comment, by=by)
    for skill in FRENCH_SKILLS:
        setattr(record, skill, levels.get(skill, ""))
    record.full_clean(exclude=["referral", "recorded_by"])
    record.save()
    return record


def record_mobility(
    *,
    referral: ActionReferral,
    assessed_on: datetime.date,
    values: dict,
    comment: str = "",
    by,
) -> MobilityAssessment:
    check_recordable(referral, Diagnostic.MOBILITY)
    record = MobilityAssessment.objects.filter(referral=referral).first()
    record = record or MobilityAssessment(referral=referral)
    _base(record, assessed_on=assessed_on, comment=comment, by=by)
    for name in MOBILITY_FIELDS:
        setattr(record, name, values[name])
    record.full_clean(exclude=["referral", "recorded_by"])
    record.save()
    return record


def record_clea(
    *,
    referral: ActionReferral,
    moment: str,
    assessed_on: datetime.date,
    levels: dict[int, str],
    oriented_to_daq: bool,
    comment: str = "",
    by,
) -> CleaPositioning:
    """The level of each sub-domain (by its id; one missing is « non évalué »)."""
    check_recordable(referral, Diagnostic.CLEA)
    with transaction.atomic():
        record = CleaPositioning.objects.filter(referral=referral, moment=moment).first()
        record = record or CleaPositioning(referral=referral, moment=moment)
        _base(record, assessed_on=assessed_on, comment=comment, by=by)
        record.oriented_to_daq = oriented_to_daq
        record.full_clean(exclude=["referral", "recorded_by"])
        record.save()
        existing = {result.subdomain_id: result for result in record.results.all()}
        for subdomain in CleaSubdomain.objects.all():
            level = levels.get(subdomain.pk, CleaLevel.NOT_ASSESSED)
            if level not in CleaLevel.values:
                raise ValidationError(f"Résultat inconnu pour « {subdomain} ».")
            result = existing.get(subdomain.pk)
            if result is None:
                CleaResult.objects.create(positioning=record, subdomain=subdomain, level=level)
            elif result.level != level:
                result.level = level
                result.save(update_fields=["level"])
    return record


def record_self_assessment(
    *,
    referral: ActionReferral,
    moment: str,
    assessed_on: datetime.date,
    scores: dict[str, int],
    comment: str = "",
    by,
) -> SelfAssessment:
    """The person's score (1 to 4) for each of the 6 fundamentals: all of them are asked."""
    check_recordable(referral, Diagnostic.SELF_ASSESSMENT)
    missing = [Fundamental(f).label for f in Fundamental.values if f not in scores]
    if missing:
        raise ValidationError("Réponse manquante : " + ", ".join(missing) + ".")
    with transaction.atomic():
        record = SelfAssessment.objects.filter(referral=referral, moment=moment).first()
        record = record or SelfAssessment(referral=referral, moment=moment)
        _base(record, assessed_on=assessed_on, comment=comment, by=by)
        record.full_clean(exclude=["referral", "recorded_by"])
        record.save()
        existing = {answer.fundamental: answer for answer in record.answers.all()}
        for fundamental in Fundamental.values:
            answer = existing.get(fundamental)
            score = int(scores[fundamental])
            if answer is None:
                answer = SelfAssessmentAnswer(
                    self_assessment=record, fundamental=fundamental, score=score
                )
                answer.full_clean(exclude=["self_assessment"])
                answer.save()
            elif answer.score != score:
                answer.score = score
                answer.full_clean(exclude=["self_assessment"])
                answer.save(update_fields=["score"])
    return record


# Reading them back ------------------------------------------------------------------------


def clea_reading(positioning: CleaPositioning) -> clea.Reading:
    """The positioning against the 75 %: every sub-domain of the reference counts, one with
    no result recorded as not assessed."""
    levels = {result.subdomain_id: result.level for result in positioning.results.all()}
    return clea.reading(
        [
            clea.SubdomainFacts(
                subdomain.domain.number,
                subdomain.domain.name,
                subdomain.points,
                levels.get(subdomain.pk, CleaLevel.NOT_ASSESSED),
            )
            for subdomain in CleaSubdomain.objects.select_related("domain")
        ]
    )


def scores_of(self_assessment: SelfAssessment | None) -> dict[str, int] | None:
    if self_assessment is None:
        return None
    return {answer.fundamental: answer.score for answer in self_assessment.answers.all()}


@dataclasses.dataclass
class Summary:
    """What a referral's diagnostics say, for its pages and the participant's file."""

    referral: ActionReferral
    offered: list[str]
    french: dict[str, FrenchAssessment]
    mobility: MobilityAssessment | None
    clea: dict[str, tuple[CleaPositioning, clea.Reading]]
    self_assessments: dict[str, SelfAssessment]
    progress: list[dict] | None

    @property
    def is_empty(self) -> bool:
        return not (self.french or self.mobility or self.clea or self.self_assessments)


def summary(referral: ActionReferral) -> Summary:
    french = {a.moment: a for a in referral.french_assessments.all()}
    mobility = MobilityAssessment.objects.filter(referral=referral).first()
    positionings = {
        p.moment: (p, clea_reading(p))
        for p in referral.clea_positionings.prefetch_related("results")
    }
    selves = {s.moment: s for s in referral.self_assessments.prefetch_related("answers")}
    rows = None
    if Moment.START in selves and Moment.END in selves:
        labels = dict(Fundamental.choices)
        rows = [
            {
                "label": labels[item.fundamental],
                "start": item.start,
                "end": item.end,
                "change": item.change,
            }
            for item in progress.person_progress(
                scores_of(selves[Moment.START]),
                scores_of(selves[Moment.END]),
                Fundamental.values,
            )
        ]
    return Summary(
        referral=referral,
        offered=[d for d in Diagnostic.values if referral.action.offers(d)],
        french=french,
        mobility=mobility,
        clea=positionings,
        self_assessments=selves,
        progress=rows,
    )


def cohort_progress(cohort) -> list[progress.AverageProgress]:
    """The self-assessment's progress averaged over the people of a cohort who answered at
    the start and at the end."""
    people: dict[int, dict[str, dict[str, int]]] = {}
    for answer in SelfAssessmentAnswer.objects.filter(
        self_assessment__referral__cohort=cohort
    ).values("self_assessment__referral_id", "self_assessment__moment", "fundamental", "score"):
        person = people.setdefault(answer["self_assessment__referral_id"], {})
        person.setdefault(answer["self_assessment__moment"], {})[answer["fundamental"]] = answer[
            "score"
        ]
    return progress.cohort_progress(
        [(p.get(Moment.START), p.get(Moment.END)) for p in people.values()], Fundamental.values
    )
