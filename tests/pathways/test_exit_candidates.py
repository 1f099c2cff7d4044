"""The worklists' « sortie positive possible » at scale: the database leaves out the pathways
that cannot meet any rule, and the rest is evaluated on plain rows. Both must give what the
engine gives on each pathway page: checked at the boundary of each need, on both engines
(dates, weekly hours and ages compared in SQL), and against `evaluate_exit` pathway by
pathway on a varied caseload.
"""

import datetime
import random
from decimal import Decimal

import pytest

from plie.core.months import latest_start
from plie.participants.enums import PathwayStatus
from plie.pathways.exit_candidates import could_meet_an_exit_rule, exit_candidates
from plie.pathways.models import Pathway, Step, StepType
from plie.pathways.positive_exit_needs import ExitScreen
from plie.pathways.selectors import evaluate_exit
from plie.pathways.worklists import ExitCandidates
from plie.territory.models import Programme
from tests.factories import StepFactory, active_pathway

TODAY = datetime.date(2026, 11, 23)
DAY = datetime.timedelta(days=1)
pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@pytest.fixture
def programme(territory):
    return Programme.current()


def screen(programme) -> ExitScreen:
    return ExitScreen(programme.protocols.get(valid_until__isnull=True).exit_rules, TODAY)


def pathway_with(referent, *steps, birth_date=None, entry_date=None):
    """An active pathway with `steps`: (type code, start, end, extra fields)."""
    pathway = active_pathway(
        referent,
        entry_date=entry_date or datetime.date(2024, 1, 1),
        birth_date=birth_date,
    )
    for code, start, end, *extra in steps:
        StepFactory(
            pathway=pathway,
            step_type=StepType.objects.get(code=code),
            start_date=start,
            end_date=end,
            **({"weekly_hours": Decimal(35)} | (extra[0] if extra else {})),
        )
    return pathway


def candidates(programme) -> list[int]:
    active = Pathway.objects.filter(status=PathwayStatus.ACTIVE)
    return [c.pathway_id for c in exit_candidates(active, programme, TODAY)]


def prefiltered(programme) -> set[int]:
    active = Pathway.objects.filter(status=PathwayStatus.ACTIVE)
    return set(could_meet_an_exit_rule(active, screen(programme)).values_list("pk", flat=True))


def engine_says(pathway) -> bool:
    return bool(evaluate_exit(Pathway.objects.get(pk=pathway.pk), TODAY).met)


SIX_MONTHS_AGO = latest_start(6, TODAY)
WINDOW_START = datetime.date(2025, 11, 24)  # the 12 months up to 23 November 2026


# (name, steps, birth date, met): each at the boundary of one need, then a day past it.
BOUNDARIES = [
    ("cdi started on the last day", [("cdi", SIX_MONTHS_AGO, None)], None, True),
    ("cdi a day later", [("cdi", SIX_MONTHS_AGO + DAY, None)], None, False),
    ("cdi ending today", [("cdi", datetime.date(2026, 1, 5), TODAY)], None, True),
    ("cdi ended yesterday", [("cdi", datetime.date(2026, 1, 5), TODAY - DAY)], None, False),
    (
        "cdi at 17.5 hours",
        [("cdi", datetime.date(2026, 1, 5), None, {"weekly_hours": Decimal("17.5")})],
        None,
        True,
    ),
    (
        "cdi at 17 hours",
        [("cdi", datetime.date(2026, 1, 5), None, {"weekly_hours": Decimal(17)})],
        None,
        False,
    ),
    (
        "cdi at 10 hours, agreed",
        [
            (
                "cdi",
                datetime.date(2026, 1, 5),
                None,
                {"weekly_hours": Decimal(10), "part_time_agreed": True},
            )
        ],
        None,
        True,
    ),
    (
        "cdd then cdi at the same employer",
        [
            ("cdd", SIX_MONTHS_AGO, TODAY - days(40), {"organisation_name": "Boulangerie"}),
            ("cdi", TODAY - days(39), None, {"organisation_name": " boulangerie "}),
        ],
        None,
        True,
    ),
    (
        "cdd then cdi, the cdd a day later",
        [
            ("cdd", SIX_MONTHS_AGO + DAY, TODAY - days(40), {"organisation_name": "Boulangerie"}),
            ("cdi", TODAY - days(39), None, {"organisation_name": "Boulangerie"}),
        ],
        None,
        False,
    ),
    (
        "intérim of 6 months from the window's start",
        [("interim", WINDOW_START - days(10), datetime.date(2026, 5, 23))],
        None,
        True,
    ),
    (
        "intérim of 5 months 29 days from the window's start",
        [("interim", WINDOW_START - days(10), datetime.date(2026, 5, 22))],
        None,
        False,
    ),
    ("intérim of 6 months up to today", [("interim", SIX_MONTHS_AGO, None)], None, True),
    (
        "intérim of 5 months 29 days up to today",
        [("interim", SIX_MONTHS_AGO + DAY, None)],
        None,
        False,
    ),
    (
        "intérim of 3 + 3 months in two missions",
        [
            ("interim", WINDOW_START, datetime.date(2026, 2, 23)),
            ("interim", datetime.date(2026, 8, 24), None),
        ],
        None,
        True,
    ),
    (
        "intérim of 3 months + 2 months 29 days in two missions",
        [
            ("interim", WINDOW_START, datetime.date(2026, 2, 23)),
            ("interim", datetime.date(2026, 8, 26), None),
        ],
        None,
        False,
    ),
    (
        "cdd under the hours",
        [("cdd", TODAY - days(250), None, {"weekly_hours": Decimal("17.4")})],
        None,
        False,
    ),
    ("qualifying training started today", [("training-qualifying", TODAY, None)], None, True),
    ("qualifying training tomorrow", [("training-qualifying", TODAY + DAY, None)], None, False),
    (
        "pec with a planned end",
        [("pec", TODAY - days(10), None, {"planned_end_date": TODAY + days(360)})],
        None,
        True,
    ),
    ("pec without any end", [("pec", TODAY - days(10), None)], None, False),
    ("business created on the last day", [("business-creation", SIX_MONTHS_AGO, None)], None, True),
    (
        "aci at 55 today",
        [("aci", datetime.date(2026, 1, 5), None)],
        datetime.date(1971, 11, 23),
        True,
    ),
    (
        "aci at 55 tomorrow",
        [("aci", datetime.date(2026, 1, 5), None)],
        datetime.date(1971, 11, 24),
        False,
    ),
    (
        "impossible dates",
        [("cdi", datetime.date(2026, 1, 5), datetime.date(2025, 12, 1))],
        None,
        False,
    ),
    ("no step of a rule", [("plie-action", datetime.date(2025, 1, 5), None)], None, False),
]


@pytest.mark.parametrize(
    ("steps", "birth_date", "met"),
    [case[1:] for case in BOUNDARIES],
    ids=[case[0] for case in BOUNDARIES],
)
def test_at_the_boundary_of_each_need_the_lists_keep_what_the_engine_meets(
    programme, referent, steps, birth_date, met
):
    pathway = pathway_with(referent, *steps, birth_date=birth_date)
    assert engine_says(pathway) is met
    assert (pathway.pk in candidates(programme)) is met
    if met:
        assert pathway.pk in prefiltered(programme)


def test_the_database_finds_the_needs_python_finds(programme, referent):
    """Both ways: no pathway that has a rule's needs is left out, none without is kept."""
    pathways = [pathway_with(referent, *case[1], birth_date=case[2]) for case in BOUNDARIES]
    facts = {p.pk: _facts(p) for p in pathways}
    expected = {
        pk
        for pk, f in facts.items()
        if any(needs.may_be_met(f) for needs in screen(programme).needs)
    }
    assert prefiltered(programme) == expected
    assert expected  # some are kept, some are not
    assert expected != set(facts)


def _facts(pathway):
    from plie.core.dates import age_on
    from plie.pathways.positive_exit import ExitFacts
    from plie.pathways.selectors import step_facts

    pathway = Pathway.objects.select_related("participant").get(pk=pathway.pk)
    steps = Step.objects.filter(pathway=pathway).select_related("step_type")
    return ExitFacts(age=age_on(pathway.participant.birth_date, TODAY), steps=step_facts(steps))


def random_caseload(referent, count: int, seed: int) -> list:
    """Pathways with a few steps of the rules' types, dates around the window."""
    rnd = random.Random(seed)
    types = ["cdi", "cdd", "interim", "pec", "aci", "business-creation"]
    types += ["training-qualifying", "plie-action"]
    made = []
    for _ in range(count):
        steps = []
        for _ in range(rnd.randint(0, 4)):
            start = TODAY - days(rnd.randint(-20, 500))
            length = rnd.choice([None, rnd.randint(-3, 300)])
            end = None if length is None else min(start + days(length), TODAY)
            extra = {
                "weekly_hours": rnd.choice([None, Decimal(10), Decimal("17.5"), Decimal(35)]),
                "part_time_agreed": rnd.random() < 0.2,
                "organisation_name": rnd.choice(["", "Boulangerie", "Mairie"]),
            }
            if rnd.random() < 0.5:
                extra["planned_end_date"] = start + days(rnd.randint(0, 400))
            steps.append((rnd.choice(types), start, end, extra))
        birth = datetime.date(rnd.randint(1960, 2000), rnd.randint(1, 12), rnd.randint(1, 28))
        made.append(pathway_with(referent, *steps, birth_date=birth))
    return made


def test_the_candidates_are_the_pathways_the_engine_finds_one_by_one(programme, referent):
    pathways = random_caseload(referent, count=80, seed=2026)
    active = Pathway.objects.filter(status=PathwayStatus.ACTIVE)
    found = {c.pathway_id: c.met for c in exit_candidates(active, programme, TODAY)}
    expected = {}
    for pathway in pathways:
        evaluation = evaluate_exit(Pathway.objects.get(pk=pathway.pk), TODAY)
        if evaluation.met:
            expected[pathway.pk] = evaluation.met
    assert found == expected
    assert 5 < len(expected) < 75  # a caseload with both


def test_candidates_come_in_the_order_of_the_participants_names(programme, referent):
    cdi = [("cdi", datetime.date(2026, 1, 5), None)]
    names = ["Martin", "Bernard", "martinez", "Martin"]
    for name in names:
        pathway = pathway_with(referent, *cdi)
        pathway.participant.last_name = name
        pathway.participant.first_name = "Anne"
        pathway.participant.save()
    listed = Pathway.objects.in_bulk(candidates(programme))
    shown = [listed[pk] for pk in candidates(programme)]
    assert [p.participant.last_name for p in shown] == list(
        Pathway.objects.filter(pk__in=listed)
        .order_by("participant__last_name", "participant__first_name")
        .values_list("participant__last_name", flat=True)
    )
    twins = [p.participant_id for p in shown if p.participant.last_name == "Martin"]
    assert twins == sorted(twins)


def test_the_rows_shown_carry_their_pathway_and_the_count_is_the_whole_list(
    programme, referent, outsider
):
    mine = [pathway_with(referent, ("cdi", datetime.date(2026, 1, 5), None)) for _ in range(3)]
    theirs = pathway_with(outsider, ("training-qualifying", TODAY - days(3), None))
    active = Pathway.objects.filter(status=PathwayStatus.ACTIVE)
    found = ExitCandidates(lambda: exit_candidates(active, programme, TODAY))
    shown = found.first(2)
    assert shown.count == 4 and len(shown.rows) == 2
    assert all(row.pathway.pk == row.pathway_id for row in shown.rows)
    assert shown.rows[0].met[0].code in {"cdi-6-months", "qualifying-training"}
    assert found.listed().per_referent() == {referent.pk: 3, outsider.pk: 1}
    assert {p.pk for p in mine} | {theirs.pk} == {c.pathway_id for c in found.candidates}


def test_a_referent_s_candidates_are_only_theirs(programme, referent, outsider):
    mine = pathway_with(referent, ("cdi", datetime.date(2026, 1, 5), None))
    pathway_with(outsider, ("cdi", datetime.date(2026, 1, 5), None))
    theirs = Pathway.objects.filter(status=PathwayStatus.ACTIVE, referent=referent)
    assert [c.pathway_id for c in exit_candidates(theirs, programme, TODAY)] == [mine.pk]


def test_without_exit_rules_nobody_is_a_candidate(programme, referent):
    pathway_with(referent, ("cdi", datetime.date(2026, 1, 5), None))
    programme.protocols.update(exit_rules=[])
    assert candidates(programme) == []


def test_finding_the_candidates_takes_as_many_queries_whatever_their_number(
    programme, referent, django_assert_max_num_queries
):
    active = Pathway.objects.filter(status=PathwayStatus.ACTIVE)
    pathway_with(referent, ("cdi", datetime.date(2026, 1, 5), None))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        ExitCandidates(lambda: exit_candidates(active, programme, TODAY)).first(200)
    random_caseload(referent, count=30, seed=7)
    with django_assert_max_num_queries(len(few)):
        ExitCandidates(lambda: exit_candidates(active, programme, TODAY)).first(200)
