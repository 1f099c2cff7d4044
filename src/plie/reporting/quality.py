"""Data quality: what is missing or wrong in the records, each problem with the page that
fixes it, counted by référent.

Every check is a queryset computed in the database (one query for its counts by référent,
one for the ids of its first lines), whatever the number of participants. At scale the
checks take seconds, so they run in the background (`tasks.run_quality_checks`) and keep
counts and ids only; the page reads the listed records again (docs/architecture.md). A line says only *what* is
missing or inconsistent, never a sensitive value (RSA, nationality, right to work, notes):
the assistant who reads this page may not see them. Source: issue 4 § 6 (FSE+ entry data,
Code du travail L3121-20 for the 48 hours).
"""

import dataclasses
import datetime
from collections.abc import Callable

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.functional import lazy

from plie.actions.enums import Diagnostic, Moment
from plie.actions.enums import ReferralStatus as ActionReferralStatus
from plie.actions.models import (
    ActionReferral,
    CleaPositioning,
    FrenchAssessment,
    MobilityAssessment,
    SelfAssessment,
)
from plie.core import formatting
from plie.core.expressions import DaysBetween
from plie.participants.enums import LabourMarketStatus, PathwayStatus
from plie.participants.models import Participant
from plie.pathways.enums import JOB_CATEGORIES, StepOutcome
from plie.pathways.models import Contact, Pathway, Step
from plie.pathways.recording import MAX_WEEKLY_HOURS, STEP_BEFORE_ENTRY_DAYS
from plie.pathways.selectors import IN_PATHWAY, active_on
from plie.pathways.worklists import not_seen
from plie.territory.models import Programme

LIMIT = 200  # lines listed per check; the total is always given
# A step still « en cours » two months after its planned end has most likely ended: the
# référent, who sees the person monthly, had two meetings to record its end or a new date.
OVERDUE_DAYS = 60
FAR = datetime.date.max  # the end of a step still running


@dataclasses.dataclass(frozen=True)
class Link:
    label: str
    url: str
    permission: str = "participants.open_participant"  # the action the page needs


STEP = "pathways.record_step"


@dataclasses.dataclass(frozen=True)
class Line:
    """One problem: whose record, what is wrong, where to fix it."""

    participant_id: int  # for the journal: the page shows this person's record
    participant: str
    file_number: str
    referent: str
    problem: str
    links: tuple[Link, ...]
    record: str = ""  # the person's record, for a reader who may follow none of the links


@dataclasses.dataclass(frozen=True)
class CheckResult:
    key: str
    group: str
    title: str
    what_to_do: str
    lines: list[Line]
    total: int
    by_referent: dict[int | None, int]


# Mandatory entry data -----------------------------------------------------------------------

# (annotation, missing when, label, on the entry file rather than on the person's record)
ENTRY_DATA = (
    ("no_labour_market_status", Q(labour_market_status=""), "situation sur le marché du travail"),
    ("no_education_level", Q(education_level__isnull=True), "niveau de formation"),
    (
        "no_out_of_work_since",
        Q(labour_market_status=LabourMarketStatus.UNEMPLOYED, out_of_work_since__isnull=True),
        "date depuis laquelle la personne est sans emploi",
    ),
    ("no_job_seeker", Q(registered_job_seeker__isnull=True), "inscription à France Travail"),
    ("no_rsa", Q(receives_rsa__isnull=True), "bénéficiaire du RSA"),
    ("no_commitment", Q(wishes_to_commit__isnull=True), "souhait de s'engager dans un parcours"),
)
PERSON_DATA = (
    ("no_sex", Q(participant__sex=""), "sexe"),
    ("no_birth_date", Q(participant__birth_date__isnull=True), "date de naissance"),
    (
        "no_residence",
        Q(participant__commune__isnull=True, participant__commune_outside_territory=""),
        "commune de résidence (ou hors territoire)",
    ),
    ("no_right_to_work", Q(participant__right_to_work__isnull=True), "droit de travailler"),
    ("no_nationality", Q(participant__nationality=""), "nationalité"),
)
# Only names and numbers are read: the values of the sensitive fields never leave the base.
PATHWAY_FIELDS = (
    "number",
    "entry_date",
    "exit_date",
    "participant__first_name",
    "participant__last_name",
    "participant__file_number",
    "referent__username",
    "referent__first_name",
    "referent__last_name",
)


def _flag(condition: Q) -> ExpressionWrapper:
    return ExpressionWrapper(condition, output_field=BooleanField())


def missing_entry_data() -> QuerySet[Pathway]:
    """Active pathways missing FSE+ entry data or a mandatory item of the person's record."""
    checks = ENTRY_DATA + PERSON_DATA
    anything = Q()
    for _, condition, _ in checks:
        anything |= condition
    return (
        Pathway.objects.filter(status=PathwayStatus.ACTIVE)
        .filter(anything)
        .annotate(**{name: _flag(condition) for name, condition, _ in checks})
        .select_related("participant", "referent")
        .only(*PATHWAY_FIELDS)
        .order_by("referent__last_name", "participant__last_name", "pk")
    )


def _missing_line(pathway: Pathway) -> Line:
    on_file = [label for name, _, label in ENTRY_DATA if getattr(pathway, name)]
    on_record = [label for name, _, label in PERSON_DATA if getattr(pathway, name)]
    links = []
    if on_file:
        links.append(
            Link("Compléter le dossier d'entrée", _entry_file(pathway), "pathways.edit_entry_file")
        )
    if on_record:
        links.append(Link("Compléter la fiche", _record(pathway.participant)))
    return _line(
        pathway.participant,
        pathway.referent,
        "Non renseigné : " + ", ".join(on_file + on_record) + ".",
        links,
    )


# Inconsistent dates -------------------------------------------------------------------------


def exit_before_entry() -> QuerySet[Pathway]:
    return _pathways().filter(exit_date__lt=F("entry_date"))


def entry_before_referral() -> QuerySet[Pathway]:
    return (
        _pathways()
        .filter(entry_date__lt=F("referral__referred_on"))
        .annotate(referred_on=F("referral__referred_on"))
    )


def step_ends_before_start() -> QuerySet[Step]:
    return _steps().filter(end_date__lt=F("start_date"))


def step_after_exit() -> QuerySet[Step]:
    return _steps().filter(start_date__gt=F("pathway__exit_date"))


def step_long_before_entry() -> QuerySet[Step]:
    """Steps starting more than STEP_BEFORE_ENTRY_DAYS days before their pathway's entry."""
    return (
        _steps()
        .filter(pathway__status__in=IN_PATHWAY)
        .annotate(days_before_entry=DaysBetween("pathway__entry_date", "start_date"))
        .filter(days_before_entry__gt=STEP_BEFORE_ENTRY_DAYS)
    )


def step_still_running(today: datetime.date) -> QuerySet[Step]:
    """Steps of active pathways still « en cours », OVERDUE_DAYS days past their planned end."""
    return _steps().filter(
        pathway__status=PathwayStatus.ACTIVE,
        outcome=StepOutcome.IN_PROGRESS,
        end_date__isnull=True,
        planned_end_date__lt=today - datetime.timedelta(days=OVERDUE_DAYS),
    )


def contact_after_exit() -> QuerySet[Contact]:
    return (
        Contact.objects.filter(contacted_on__gt=F("pathway__exit_date"))
        .select_related("pathway__participant", "pathway__referent")
        .only("contacted_on", *(f"pathway__{field}" for field in PATHWAY_FIELDS))
        .order_by("pathway__referent__last_name", "pathway__participant__last_name", "pk")
    )


def _pathways() -> QuerySet[Pathway]:
    return (
        Pathway.objects.filter(status__in=IN_PATHWAY)
        .select_related("participant", "referent")
        .only(*PATHWAY_FIELDS)
        .order_by("referent__last_name", "participant__last_name", "pk")
    )


def _steps() -> QuerySet[Step]:
    return (
        Step.objects.select_related("pathway__participant", "pathway__referent", "step_type")
        .only(
            "start_date",
            "planned_end_date",
            "end_date",
            "weekly_hours",
            "organisation_name",
            "step_type__label",
            *(f"pathway__{field}" for field in PATHWAY_FIELDS),
        )
        .order_by("pathway__referent__last_name", "pathway__participant__last_name", "pk")
    )


# Overlapping jobs ---------------------------------------------------------------------------


def overlapping_jobs() -> QuerySet[Step]:
    """Job steps overlapping a later-recorded job of the same pathway for more than 48 h a
    week together (each pair once; a step without real end is still running)."""
    partners = (
        Step.objects.filter(
            pathway=OuterRef("pathway"),
            pk__gt=OuterRef("pk"),
            step_type__category__in=JOB_CATEGORIES,
            start_date__lte=Coalesce(OuterRef("end_date"), Value(FAR)),
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("start_date")))
        .filter(weekly_hours__gt=Value(MAX_WEEKLY_HOURS) - OuterRef("weekly_hours"))
        .order_by("start_date", "pk")
    )
    return (
        _steps()
        .filter(step_type__category__in=JOB_CATEGORIES, weekly_hours__isnull=False)
        .annotate(
            partner_pk=Subquery(partners.values("pk")[:1]),
            partner_start=Subquery(partners.values("start_date")[:1]),
            partner_hours=Subquery(partners.values("weekly_hours")[:1]),
        )
        .filter(Exists(partners))
    )


def _overlap_line(step: Step) -> Line:
    pathway = step.pathway
    total = step.weekly_hours + step.partner_hours
    return _line(
        pathway.participant,
        pathway.referent,
        f"{step.step_type} du {formatting.day(step.start_date)} ({_hours(step.weekly_hours)}) et "
        f"emploi du {formatting.day(step.partner_start)} ({_hours(step.partner_hours)}) se "
        f"chevauchent : {_hours(total)} par semaine, au-delà de 48 h.",
        [
            Link("Corriger la première étape", _step(step.pk, pathway), STEP),
            Link("Corriger la seconde étape", _step(step.partner_pk, pathway), STEP),
        ],
    )


def _hours(hours) -> str:
    return formatting.hours(hours)


# Suspected duplicates -----------------------------------------------------------------------


def suspected_duplicates() -> QuerySet[Participant]:
    """People sharing a birth date and the same names, accents and case aside."""
    twins = (
        Participant.objects.exclude(name_key="")
        .values("birth_date", "name_key")
        .annotate(people=Count("pk"))
        .filter(people__gt=1)
        .filter(birth_date=OuterRef("birth_date"), name_key=OuterRef("name_key"))
    )
    return (
        Participant.objects.filter(Exists(twins))
        .select_related("referent")
        .only(
            "first_name",
            "last_name",
            "file_number",
            "birth_date",
            "name_key",
            "referent__username",
            "referent__first_name",
            "referent__last_name",
        )
        .order_by("name_key", "birth_date", "pk")
    )


def _duplicate_line(participant: Participant) -> Line:
    return _line(
        participant,
        participant.referent,
        "Même nom et même date de naissance "
        f"({formatting.day(participant.birth_date)}) qu'un autre dossier.",
        [Link("Ouvrir la fiche", _record(participant))],
    )


# Not seen for long --------------------------------------------------------------------------


def not_seen_days() -> int:
    """The PLIE's « sans contact » threshold: the one « À suivre » and « Files actives » use."""
    programme = Programme.current()
    if programme is None:
        return Programme._meta.get_field("alert_days_not_seen").get_default()
    return programme.alert_days_not_seen


def not_seen_for_long(today: datetime.date) -> QuerySet[Pathway]:
    """Active pathways with no contact for more than the PLIE's threshold (since entry if
    none): the « sans contact » list of « À suivre », over the whole PLIE."""
    return (
        not_seen(active_on(today), today, not_seen_days())
        .select_related("participant", "referent")
        .only(*PATHWAY_FIELDS)
    )


def _not_seen_line(pathway: Pathway) -> Line:
    problem = (
        f"Dernier contact le {formatting.day(pathway.last_contact)}."
        if pathway.last_contact
        else f"Aucun contact depuis l'entrée du {formatting.day(pathway.entry_date)}."
    )
    return _line(
        pathway.participant,
        pathway.referent,
        problem,
        [Link("Ouvrir la fiche", _record(pathway.participant))],
    )


# Actions finished without their diagnostics -------------------------------------------------

# Each diagnostic an action delivers, and the rows that say it was done for a referral: the
# self-assessment needs its start and its end (the progress is read from both).
DIAGNOSTIC_DONE = {
    Diagnostic.FRENCH: [FrenchAssessment.objects.all()],
    Diagnostic.MOBILITY: [MobilityAssessment.objects.all()],
    Diagnostic.CLEA: [CleaPositioning.objects.all()],
    Diagnostic.SELF_ASSESSMENT: [
        SelfAssessment.objects.filter(moment=Moment.START),
        SelfAssessment.objects.filter(moment=Moment.END),
    ],
}


def _offers(diagnostic: str) -> Q:
    """The action delivers `diagnostic`: its code, quoted, in the JSON list of its
    diagnostics (a text test both databases run; the codes are distinct words)."""
    return Q(action__diagnostics__icontains=f'"{diagnostic}"')


def actions_without_diagnostics() -> QuerySet[ActionReferral]:
    """Referrals whose action is finished for the person (COMPLETED) without one of the
    diagnostics the action delivers, each missing one flagged (`no_<code>`)."""
    flags = {}
    anything = Q()
    for diagnostic, done in DIAGNOSTIC_DONE.items():
        missing = Q()
        for rows in done:
            missing |= ~Exists(rows.filter(referral=OuterRef("pk")))
        condition = _offers(diagnostic) & missing
        flags[f"no_{diagnostic}"] = _flag(condition)
        anything |= condition
    return (
        ActionReferral.objects.filter(status=ActionReferralStatus.COMPLETED)
        .filter(anything)
        .annotate(**flags)
        .select_related("action", "participant__referent")
        .only(
            "ended_on",
            "action__title",
            "action__diagnostics",
            "participant__first_name",
            "participant__last_name",
            "participant__file_number",
            "participant__referent__username",
            "participant__referent__first_name",
            "participant__referent__last_name",
        )
        .order_by("participant__referent__last_name", "participant__last_name", "pk")
    )


def _diagnostics_line(referral: ActionReferral) -> Line:
    missing = [
        str(Diagnostic(code).label)
        for code in DIAGNOSTIC_DONE
        if getattr(referral, f"no_{code}", False)
    ]
    ended = f", terminée le {formatting.day(referral.ended_on)}" if referral.ended_on else ""
    return _line(
        referral.participant,
        referral.participant.referent,
        f"Action « {referral.action.title} »{ended} : manque " + ", ".join(missing) + ".",
        [
            Link(
                "Voir les diagnostics",
                reverse("actions:referral_assessments", args=[referral.pk]),
                "actions.open_referral",
            )
        ],
    )


# Lines and links ----------------------------------------------------------------------------


def _line(participant, referent, problem: str, links) -> Line:
    return Line(
        participant_id=participant.pk,
        participant=str(participant),
        file_number=participant.file_number,
        referent=str(referent) if referent else "Sans référent(e)",
        problem=problem,
        links=tuple(links),
        record=_record(participant),
    )


def for_reader(result: CheckResult, may) -> CheckResult:
    """The result with only the links its reader may follow (`may(permission)`): the
    assistant corrects a person's record, not an entry file or a step."""
    lines = [
        dataclasses.replace(line, links=tuple(link for link in line.links if may(link.permission)))
        for line in result.lines
    ]
    return dataclasses.replace(result, lines=lines)


def _record(participant) -> str:
    return reverse("web:participant", args=[participant.pk])


def _entry_file(pathway) -> str:
    return reverse("pathways:entry_file", args=[pathway.participant.pk, pathway.number])


def _step(step_pk: int, pathway) -> str:
    return reverse("pathways:step_edit", args=[pathway.participant.pk, pathway.number, step_pk])


def _pathway_line(problem: Callable[[Pathway], str]) -> Callable[[Pathway], Line]:
    def describe(pathway: Pathway) -> Line:
        link = Link("Ouvrir la fiche", _record(pathway.participant))
        return _line(pathway.participant, pathway.referent, problem(pathway), [link])

    return describe


def _step_line(problem: Callable[[Step], str]) -> Callable[[Step], Line]:
    def describe(step: Step) -> Line:
        pathway = step.pathway
        return _line(
            pathway.participant,
            pathway.referent,
            f"{step.step_type} du {formatting.day(step.start_date)} : {problem(step)}.",
            [Link("Corriger l'étape", _step(step.pk, pathway), STEP)],
        )

    return describe


def _contact_line(contact: Contact) -> Line:
    pathway = contact.pathway
    return _line(
        pathway.participant,
        pathway.referent,
        f"Contact du {formatting.day(contact.contacted_on)}, après la sortie du "
        f"{formatting.day(pathway.exit_date)}.",
        [Link("Ouvrir la fiche", _record(pathway.participant))],
    )


# The page's checks, in order ----------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Check:
    key: str
    group: str  # the column of the table by référent
    title: str
    what_to_do: str
    rows: Callable[[datetime.date], QuerySet]
    describe: Callable[[object], Line]
    referent: str  # path from a row to its référent


MISSING, DATES, OVERLAPS, DUPLICATES, NOT_SEEN, DIAGNOSTICS = (
    "Données d'entrée manquantes",
    "Dates incohérentes",
    "Emplois cumulés",
    "Doublons possibles",
    "Sans contact",
    "Diagnostics manquants",
)
CHECKS = (
    Check(
        "missing",
        MISSING,
        "Parcours en cours dont des données d'entrée obligatoires (FSE+) manquent",
        "Complétez le dossier d'entrée ou la fiche de la personne avec son référent.",
        lambda today: missing_entry_data(),
        _missing_line,
        "referent",
    ),
    Check(
        "exit-before-entry",
        DATES,
        "Sortie datée avant l'entrée",
        "Vérifiez avec le référent les dates d'entrée et de sortie validées en commission.",
        lambda today: exit_before_entry(),
        _pathway_line(
            lambda p: (
                f"Sortie le {formatting.day(p.exit_date)}, entrée le {formatting.day(p.entry_date)}."
            )
        ),
        "referent",
    ),
    Check(
        "entry-before-referral",
        DATES,
        "Entrée datée avant l'orientation",
        "Vérifiez la date d'orientation ou la date d'entrée.",
        lambda today: entry_before_referral(),
        _pathway_line(
            lambda p: (
                f"Entrée le {formatting.day(p.entry_date)}, orientation le {formatting.day(p.referred_on)}."
            )
        ),
        "referent",
    ),
    Check(
        "step-end-before-start",
        DATES,
        "Étapes terminées avant d'avoir commencé",
        "Corrigez la date de début ou de fin réelle de l'étape.",
        lambda today: step_ends_before_start(),
        _step_line(lambda s: f"fin réelle le {formatting.day(s.end_date)}, avant son début"),
        "pathway__referent",
    ),
    Check(
        "step-after-exit",
        DATES,
        "Étapes commencées après la sortie du parcours",
        "Corrigez la date de début de l'étape, ou vérifiez la date de sortie avec le référent.",
        lambda today: step_after_exit(),
        _step_line(lambda s: f"commence après la sortie du {formatting.day(s.pathway.exit_date)}"),
        "pathway__referent",
    ),
    Check(
        "step-before-entry",
        DATES,
        f"Étapes commencées plus de {STEP_BEFORE_ENTRY_DAYS} jours avant l'entrée",
        "Vérifiez la date de début de l'étape (l'année surtout) : une étape antérieure à "
        "l'entrée sort la personne de la liste « sans étape » et peut remplir une condition "
        "de sortie. Un emploi déjà tenu à l'entrée est possible : laissez-la alors.",
        lambda today: step_long_before_entry(),
        _step_line(
            lambda s: (
                f"commence {round(s.days_before_entry)} jours avant l'entrée du "
                f"{formatting.day(s.pathway.entry_date)}"
            )
        ),
        "pathway__referent",
    ),
    Check(
        "step-still-running",
        DATES,
        f"Étapes encore « en cours » plus de {OVERDUE_DAYS} jours après leur fin prévue",
        "Demandez au référent de saisir la fin réelle et l'issue de l'étape, ou de reporter "
        "sa fin prévue : tant qu'elle est « en cours », la personne n'apparaît pas sans étape.",
        step_still_running,
        _step_line(
            lambda s: f"fin prévue le {formatting.day(s.planned_end_date)}, toujours « en cours »"
        ),
        "pathway__referent",
    ),
    Check(
        "contact-after-exit",
        DATES,
        "Contacts datés après la sortie du parcours",
        "Vérifiez la date du contact avec le référent.",
        lambda today: contact_after_exit(),
        _contact_line,
        "pathway__referent",
    ),
    Check(
        "overlapping-jobs",
        OVERLAPS,
        "Emplois qui se chevauchent pour plus de 48 h par semaine",
        "Corrigez les dates ou les horaires de l'un des deux emplois.",
        lambda today: overlapping_jobs(),
        _overlap_line,
        "pathway__referent",
    ),
    Check(
        "duplicates",
        DUPLICATES,
        "Personnes peut-être enregistrées deux fois",
        "Comparez les dossiers : s'il s'agit de la même personne, gardez le plus complet et "
        "signalez l'autre à la coordinatrice.",
        lambda today: suspected_duplicates(),
        _duplicate_line,
        "referent",
    ),
    Check(
        "action-diagnostics",
        DIAGNOSTICS,
        "Actions terminées sans les diagnostics qu'elles réalisent",
        "Demandez au prestataire de saisir les diagnostics manquants (français, mobilité, "
        "CléA, autoévaluation de début et de fin) tant que la personne est dans ses listes ; "
        "ensuite, la coordination peut les saisir.",
        lambda today: actions_without_diagnostics(),
        _diagnostics_line,
        "participant__referent",
    ),
    Check(
        "not-seen",
        NOT_SEEN,
        # Read when shown: the threshold is the PLIE's setting, changed in the administration.
        lazy(
            lambda: f"Parcours en cours sans contact depuis plus de {not_seen_days()} jours", str
        )(),
        "Demandez au référent de reprendre contact et d'enregistrer le contact.",
        not_seen_for_long,
        _not_seen_line,
        "referent",
    ),
)
GROUPS = (MISSING, DATES, OVERLAPS, DUPLICATES, NOT_SEEN, DIAGNOSTICS)


def group_titles() -> list[str]:
    """The groups as the page heads its columns, the « sans contact » one with the PLIE's
    threshold, as « Files actives » names it."""
    days = not_seen_days()
    return [f"{group} (> {days} j)" if group == NOT_SEEN else group for group in GROUPS]


def measure(check: Check, today: datetime.date) -> dict:
    """What a background run keeps of a check: its counts by référent and the ids of its
    first lines, in the check's order (two queries; no name, no value)."""
    rows = check.rows(today)
    counts = (
        rows.model.objects.filter(pk__in=rows.values("pk"))
        .values_list(check.referent)
        .annotate(count=Count("pk"))
        .order_by()
    )
    by_referent = [[referent_id, count] for referent_id, count in counts]
    total = sum(count for _, count in by_referent)
    ids = list(rows.values_list("pk", flat=True)[:LIMIT]) if total else []
    return {"total": total, "by_referent": by_referent, "ids": ids}


def measure_all(today: datetime.date) -> dict:
    return {check.key: measure(check, today) for check in CHECKS}


NOTHING = {"total": 0, "by_referent": [], "ids": []}


def result_of(check: Check, kept: dict, today: datetime.date) -> CheckResult:
    """A check as the page shows it: the counts kept by the run, and its lines read again
    from the records, so that a problem fixed since the run is no longer listed."""
    lines = []
    if kept["ids"]:
        lines = [check.describe(row) for row in check.rows(today).filter(pk__in=kept["ids"])]
    return CheckResult(
        key=check.key,
        group=check.group,
        title=check.title,
        what_to_do=check.what_to_do,
        lines=lines,
        total=kept["total"],
        by_referent=dict(map(tuple, kept["by_referent"])),
    )


def results_of(kept: dict, today: datetime.date) -> list[CheckResult]:
    """Every check from what a run kept (a check added since the run shows nothing)."""
    return [result_of(check, kept.get(check.key, NOTHING), today) for check in CHECKS]


def run(check: Check, today: datetime.date) -> CheckResult:
    """One check now, as the page would show it after a run."""
    return result_of(check, measure(check, today), today)


def data_quality(today: datetime.date) -> list[CheckResult]:
    return [run(check, today) for check in CHECKS]
