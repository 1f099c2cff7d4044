"""The key figures against hand counts on small crafted caseloads, one edge case of
docs/indicators.md at a time, and the command's JSON keys."""

import datetime
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from plie.participants.enums import ExitReason, PathwayStatus, Sex
from plie.participants.models import Participant
from plie.pathways.enums import ContactMode
from plie.pathways.models import Contact, Pathway
from plie.pathways.selectors import active_on
from plie.reporting.indicators import (
    Caseload,
    breakdown,
    caseload_on,
    cost_per_person,
    figures,
    key_figures,
    months,
)
from plie.territory.models import Commune, EducationLevel, Qpv
from tests.factories import PathwayFactory, StepFactory, active_pathway

D = datetime.date
YEAR_START, YEAR_END = D(2026, 1, 1), D(2026, 12, 31)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2027, 1, 15, 10, 0), tick=False):
        yield


def exited(pathway, on: datetime.date, reason=ExitReason.ABANDONED):
    pathway.status = PathwayStatus.EXITED
    pathway.exit_date = on
    pathway.exit_reason = reason
    pathway.save()
    return pathway


def returns(pathway, referent, *, entry_date, **fields):
    """The same person comes back: a new pathway, numbered after the last one."""
    return PathwayFactory(
        participant=pathway.participant,
        number=pathway.number + 1,
        referent=referent,
        status=PathwayStatus.ACTIVE,
        entry_date=entry_date,
        **fields,
    )


def year(**kwargs):
    return figures(YEAR_START, YEAR_END, **kwargs)


def level(n: int) -> EducationLevel:
    return EducationLevel.objects.get(code=str(n))


# People accompanied, caseload, entries and exits at the boundaries -----------------------


def test_entry_on_the_first_or_last_day_counts_and_the_day_after_does_not(referent):
    active_pathway(referent, entry_date=YEAR_START)
    active_pathway(referent, entry_date=YEAR_END)
    active_pathway(referent, entry_date=D(2027, 1, 1))
    result = year()
    assert result.people_accompanied == 2
    assert result.entries == 2
    assert result.carried_over == 0
    assert result.active_caseload == 2


def test_exit_on_the_first_day_counts_and_the_day_before_does_not(referent):
    exited(active_pathway(referent, entry_date=D(2025, 6, 1)), YEAR_START)
    exited(active_pathway(referent, entry_date=D(2025, 6, 1)), D(2025, 12, 31))
    result = year()
    assert result.people_accompanied == 1
    assert result.carried_over == 1
    assert result.exits == 1
    assert result.active_caseload == 0
    # In the caseload at the end of 31 December, the eve of the year: carried over.
    assert caseload_on(D(2025, 12, 31)).people == 1


def test_exit_on_the_last_day_is_an_exit_and_no_longer_in_that_days_caseload(referent):
    exited(active_pathway(referent, entry_date=D(2025, 5, 1)), YEAR_END)
    result = year()
    assert (result.people_accompanied, result.exits, result.active_caseload) == (1, 1, 0)
    assert caseload_on(YEAR_END).people == 0
    assert caseload_on(D(2026, 12, 30)).people == 1


def test_entry_and_exit_on_the_same_day_are_accompanied_and_in_no_caseload(referent):
    exited(active_pathway(referent, entry_date=D(2026, 3, 10)), D(2026, 3, 10))
    result = year()
    assert (result.people_accompanied, result.entries, result.exits) == (1, 1, 1)
    assert result.active_caseload == 0
    assert [caseload_on(D(2026, 3, day)).people for day in (9, 10, 11)] == [0, 0, 0]
    assert figures(D(2026, 3, 10), D(2026, 3, 10)).people_accompanied == 1


def test_pathways_accompanied_are_those_carried_over_plus_the_entries(referent):
    active_pathway(referent, entry_date=D(2024, 2, 1))
    exited(active_pathway(referent, entry_date=D(2025, 2, 1)), D(2026, 4, 30))
    active_pathway(referent, entry_date=D(2026, 7, 1))
    exited(active_pathway(referent, entry_date=D(2026, 2, 1)), D(2026, 9, 30))
    result = year()
    assert result.pathways_accompanied == 4
    assert (result.carried_over, result.entries) == (2, 2)
    # Accompanied = caseload at the end of the last day + exits.
    assert result.pathways_accompanied == result.active_caseload + result.exits


def test_drafts_and_refused_entries_never_count(referent):
    draft = active_pathway(referent, entry_date=D(2026, 3, 1))
    draft.status = PathwayStatus.DRAFT
    draft.save()
    refused = active_pathway(referent, entry_date=D(2026, 3, 1))
    refused.status = PathwayStatus.REFUSED
    refused.save()
    assert year().people_accompanied == 0


def test_a_person_back_in_the_same_year_counts_once_through_the_latest_pathway(referent):
    first = exited(
        active_pathway(referent, entry_date=D(2025, 3, 1)),
        D(2026, 3, 31),
    )
    first.receives_rsa = True
    first.education_level = level(3)
    first.save()
    returns(first, referent, entry_date=D(2026, 9, 1), receives_rsa=False, education_level=level(4))
    result = year()
    assert result.people_accompanied == 1
    assert result.pathways_accompanied == 2
    assert (result.carried_over, result.entries, result.exits) == (1, 1, 1)
    assert result.active_caseload == 1
    # The situation at entry is read on the latest pathway of the period.
    assert (result.rsa, result.rsa_known) == (0, 1)
    assert (result.level_3_or_below, result.education_level_known) == (0, 1)


def test_the_caseload_at_a_date_is_the_selectors_active_caseload_in_people(referent):
    active_pathway(referent, entry_date=D(2026, 5, 1))
    exited(active_pathway(referent, entry_date=D(2026, 1, 5)), D(2026, 5, 1))
    exited(active_pathway(referent, entry_date=D(2026, 1, 5)), D(2026, 4, 30))
    active_pathway(referent, entry_date=D(2026, 5, 2))
    day = D(2026, 5, 1)  # the one entered that day: the one exited that day has left
    assert caseload_on(day).people == active_on(day).count() == 1
    assert figures(D(2026, 1, 1), day).active_caseload == 1


def test_a_reversed_period_is_refused_with_what_to_do(territory):
    with pytest.raises(ValueError, match="inversez"):
        figures(YEAR_END, YEAR_START)


# Exits and the positive-exit rate ---------------------------------------------------------


def test_neutral_exits_leave_the_rate_denominator(referent):
    for reason in [
        ExitReason.POSITIVE,
        ExitReason.POSITIVE,
        ExitReason.MOVED,
        ExitReason.ABANDONED,
        ExitReason.HEALTH,
    ]:
        exited(active_pathway(referent, entry_date=D(2025, 4, 1)), D(2026, 6, 30), reason)
    exited(active_pathway(referent, entry_date=D(2024, 4, 1)), D(2025, 6, 30), ExitReason.POSITIVE)
    result = year()
    assert (result.exits, result.positive_exits, result.neutral_exits) == (5, 2, 1)
    assert result.positive_exit_rate == pytest.approx(2 / 4)


def test_retirement_and_death_are_neutral_too_and_no_other_exit_leaves_no_rate(referent):
    for reason in [ExitReason.RETIREMENT, ExitReason.DEATH]:
        exited(active_pathway(referent, entry_date=D(2025, 4, 1)), D(2026, 6, 30), reason)
    result = year()
    assert (result.exits, result.neutral_exits) == (2, 2)
    assert result.positive_exit_rate is None


def test_an_exit_without_reason_is_neither_positive_nor_neutral(referent):
    exited(active_pathway(referent, entry_date=D(2025, 4, 1)), D(2026, 6, 30), "")
    exited(active_pathway(referent, entry_date=D(2025, 4, 1)), D(2026, 6, 30), ExitReason.POSITIVE)
    assert year().positive_exit_rate == pytest.approx(1 / 2)


# Shares -----------------------------------------------------------------------------------


def test_shares_are_among_people_whose_answer_is_recorded(referent):
    qpv = Qpv.objects.get(code="QN021GRE")
    a = active_pathway(referent, entry_date=D(2026, 2, 1), qpv=qpv)
    b = active_pathway(referent, entry_date=D(2026, 2, 1))
    c = active_pathway(referent, entry_date=D(2026, 2, 1), sex=Sex.MALE, first_name="Marc")
    d = active_pathway(referent, entry_date=D(2026, 2, 1), sex=Sex.NON_BINARY)
    for pathway, rsa, education in [
        (a, True, EducationLevel.objects.get(code="3-nd")),
        (b, False, level(3)),
        (c, None, level(5)),
        (d, True, None),  # no education level recorded
    ]:
        pathway.receives_rsa = rsa
        pathway.education_level = education
        pathway.save()
    result = year()
    assert result.share_women == pytest.approx(2 / 4)  # the non-binary person is counted
    assert (result.rsa, result.rsa_known) == (2, 3)
    assert result.share_rsa == pytest.approx(2 / 3)
    assert result.share_qpv == pytest.approx(1 / 4)
    assert (result.level_3_or_below, result.education_level_known) == (2, 3)
    assert result.share_level_3_or_below == pytest.approx(2 / 3)


def test_no_one_accompanied_gives_no_share_rather_than_zero(territory):
    result = year()
    assert result.people_accompanied == 0
    assert result.share_women is None
    assert result.share_level_3_or_below is None
    assert result.average_length_months is None
    assert result.contacts_per_person_month is None


def test_age_is_counted_at_entry_in_completed_years(referent):
    for birth, entry in [
        (D(2000, 3, 2), D(2026, 3, 1)),  # 25: the birthday is the next day
        (D(2000, 3, 1), D(2026, 3, 1)),  # 26 on the day of entry
        (D(1971, 6, 1), D(2026, 1, 10)),  # 54
        (D(1970, 1, 1), D(2025, 1, 1)),  # 55, entered last year
    ]:
        active_pathway(referent, entry_date=entry, birth_date=birth)
    assert year().average_age == pytest.approx((25 + 26 + 54 + 55) / 4)
    groups = breakdown(YEAR_START, YEAR_END, "age_band")
    assert [(g.key, g.figures.people_accompanied) for g in groups] == [
        ("under_26", 1),
        ("26_44", 1),
        ("45_54", 1),
        ("55_and_over", 1),
    ]


# Lengths, steps, contacts, cost, communes -------------------------------------------------


def test_average_length_is_over_pathways_exited_in_the_period(referent):
    """A pathway lasts from its entry up to its exit, in calendar months and days; several
    are added (30 days to a month) and divided by their number."""
    exited(active_pathway(referent, entry_date=D(2025, 1, 1)), D(2026, 1, 1))  # 12 months
    exited(active_pathway(referent, entry_date=D(2026, 2, 1)), D(2026, 3, 3))  # 1 m 2 days
    exited(active_pathway(referent, entry_date=D(2026, 5, 4)), D(2026, 5, 4))  # nothing
    exited(active_pathway(referent, entry_date=D(2023, 1, 1)), D(2025, 12, 31))  # before
    # Still going on, in the caseload at the end of 31/12: 5 months 30 days.
    active_pathway(referent, entry_date=D(2026, 7, 2))
    result = year()
    assert result.average_length_months == pytest.approx((12 + 1 + 2 / 30 + 0) / 3)
    assert result.average_time_in_pathway_months == pytest.approx(
        (12 + 1 + 2 / 30 + 0 + 5 + 30 / 30) / 4
    )


def test_a_pathway_of_six_months_lasts_six_months(referent):
    """From 10 January, in the caseload at the end of each day up to 9 July: 6 months."""
    exited(active_pathway(referent, entry_date=D(2026, 1, 10)), D(2026, 7, 10))
    assert year().average_length_months == 6
    exited(active_pathway(referent, entry_date=D(2026, 1, 31)), D(2026, 2, 28))  # 1 month
    exited(active_pathway(referent, entry_date=D(2024, 2, 29)), D(2026, 2, 28))  # 24 months
    assert year().average_length_months == pytest.approx((6 + 1 + 24) / 3)


def test_without_step_counts_steps_running_on_the_last_day(referent):
    def with_step(start, end=None):
        pathway = active_pathway(referent, entry_date=D(2026, 1, 5))
        if start:
            StepFactory(pathway=pathway, start_date=start, end_date=end)

    with_step(D(2026, 6, 1))  # spans the date, no real end yet
    with_step(D(2026, 6, 1), YEAR_END)  # ends on the date
    with_step(YEAR_END)  # starts on the date
    with_step(D(2026, 6, 1), D(2026, 12, 30))  # ended the day before
    with_step(None)  # never had a step
    result = year()
    assert (result.active_caseload, result.without_step) == (5, 2)
    assert result.share_without_step == pytest.approx(2 / 5)
    caseload = caseload_on(YEAR_END)
    assert (caseload.people, caseload.without_step) == (5, 2)
    assert caseload_on(D(2026, 12, 29)).without_step == 2  # the step starting on 31/12 not yet


def test_contacts_per_person_month_weigh_each_pathway_by_its_time_in_the_period(referent):
    def contacts(pathway, *days):
        for day in days:
            Contact.objects.create(
                pathway=pathway, contacted_on=day, mode=ContactMode.INDIVIDUAL, by=referent
            )

    whole_year = active_pathway(referent, entry_date=D(2025, 6, 1))
    contacts(whole_year, D(2025, 12, 15), *[D(2026, month, 10) for month in range(1, 13)])
    november = active_pathway(referent, entry_date=D(2026, 11, 1))
    contacts(november, D(2026, 11, 3), D(2026, 12, 1))
    left = exited(active_pathway(referent, entry_date=D(2025, 6, 1)), D(2026, 1, 31))
    contacts(left, D(2026, 1, 15), D(2026, 2, 10))  # the second after the exit
    result = year()
    assert result.contacts == 12 + 2 + 1  # a contact on the exit day is in the pathway
    # 12 months, 2 months (November and December), 30 days in January (out on the 31st).
    assert result.months_in_caseload == pytest.approx(12 + 2 + 30 / 30)
    assert result.contacts_per_person_month == pytest.approx(15 / 15)


def test_cost_per_person_divides_the_budget_given_by_the_people_accompanied(referent):
    assert cost_per_person(Decimal("1128000"), 1600) == Decimal("705.00")
    assert cost_per_person(None, 1600) is None
    assert cost_per_person(Decimal("1000"), 0) is None
    for _ in range(3):
        active_pathway(referent, entry_date=D(2026, 2, 1))
    assert year().cost_per_person(Decimal("1000")) == Decimal("333.33")


def test_communes_of_the_territory_and_communes_reached(referent):
    chenove = Commune.objects.get(insee_code="21166")
    active_pathway(referent, entry_date=D(2026, 2, 1))  # Dijon
    active_pathway(referent, entry_date=D(2026, 2, 1))  # Dijon
    active_pathway(referent, entry_date=D(2026, 2, 1), commune=chenove)
    active_pathway(
        referent, entry_date=D(2026, 2, 1), commune=None, commune_outside_territory="Beaune"
    )
    figures_ = key_figures(YEAR_START, YEAR_END)
    assert figures_.communes == 23
    assert year().communes_reached == 2


# Scope and breakdowns ---------------------------------------------------------------------


@pytest.fixture
def two_caseloads(referent, outsider):
    """A person of the référent's; one who came back to the outsider; one of the outsider's."""
    active_pathway(referent, entry_date=D(2025, 9, 1))
    first = exited(active_pathway(referent, entry_date=D(2025, 1, 1)), D(2026, 2, 28))
    returns(first, outsider, entry_date=D(2026, 6, 1))
    active_pathway(outsider, entry_date=D(2026, 3, 1), sex=Sex.MALE, first_name="Marc")


def test_a_referent_filter_counts_only_their_pathways(two_caseloads, referent, outsider):
    mine = year(pathways=Pathway.objects.filter(referent=referent))
    assert (mine.people_accompanied, mine.entries, mine.exits, mine.active_caseload) == (2, 0, 1, 1)
    theirs = year(pathways=Pathway.objects.filter(referent=outsider))
    assert (theirs.people_accompanied, theirs.entries, theirs.exits) == (2, 2, 0)
    assert year().people_accompanied == 3
    organisation = year(
        pathways=Pathway.objects.filter(referent__organisation=referent.organisation)
    )
    assert organisation == mine


def test_breakdown_groups_add_up_to_the_total(two_caseloads, referent, outsider):
    total = year()
    by_referent = breakdown(YEAR_START, YEAR_END, "referent")
    assert {g.key: g.figures.people_accompanied for g in by_referent} == {
        "referente": 1,
        "autre.referent": 2,  # the person who came back falls with her latest pathway
    }
    for by in ["referent", "organisation", "commune", "qpv", "sex", "age_band"]:
        groups = breakdown(YEAR_START, YEAR_END, by)
        for field in ["people_accompanied", "entries", "exits", "active_caseload", "women"]:
            assert sum(getattr(g.figures, field) for g in groups) == getattr(total, field), by
    by_sex = breakdown(YEAR_START, YEAR_END, "sex")
    assert [(g.key, g.label) for g in by_sex] == [("F", "Femme"), ("M", "Homme")]
    by_qpv = breakdown(YEAR_START, YEAR_END, "qpv")
    assert [(g.key, g.label) for g in by_qpv] == [(None, "Hors QPV")]


def test_month_breakdown_computes_each_month_as_its_own_period(referent):
    exited(active_pathway(referent, entry_date=D(2026, 3, 15)), D(2026, 5, 31))
    groups = breakdown(YEAR_START, D(2026, 6, 10), "month")
    assert [g.key for g in groups] == [
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",
        "2026-05",
        "2026-06",
    ]
    assert groups[2].label == "mars 2026"
    counts = [
        (
            g.figures.people_accompanied,
            g.figures.entries,
            g.figures.exits,
            g.figures.active_caseload,
        )
        for g in groups
    ]
    assert counts == [
        (0, 0, 0, 0),
        (0, 0, 0, 0),
        (1, 1, 0, 1),
        (1, 0, 0, 1),
        (1, 0, 1, 0),  # exited on 31 May: not in the caseload at the end of it
        (0, 0, 0, 0),
    ]
    assert list(months(D(2026, 1, 31), D(2026, 3, 1))) == [
        (D(2026, 1, 31), D(2026, 1, 31)),
        (D(2026, 2, 1), D(2026, 2, 28)),
        (D(2026, 3, 1), D(2026, 3, 1)),
    ]


def test_an_unknown_breakdown_names_the_choices(territory):
    with pytest.raises(ValueError, match="referent, organisation"):
        breakdown(YEAR_START, YEAR_END, "nationality")


def test_queries_do_not_grow_with_the_caseload(referent, outsider, django_assert_num_queries):
    for n in range(6):
        pathway = active_pathway(referent if n % 2 else outsider, entry_date=D(2026, 2, n + 1))
        StepFactory(pathway=pathway, start_date=D(2026, 3, 1))
    with django_assert_num_queries(3):
        year()
    with django_assert_num_queries(4):  # and one for the référents' names
        breakdown(YEAR_START, YEAR_END, "referent")


# The command ------------------------------------------------------------------------------

JSON_KEYS = {
    "date_from",
    "date_to",
    "referent",
    "budget",
    "communes",
    "people_accompanied",
    "pathways_accompanied",
    "carried_over",
    "entries",
    "exits",
    "positive_exits",
    "neutral_exits",
    "positive_exit_rate",
    "active_caseload",
    "average_caseload",
    "presence_days",
    "without_step",
    "share_without_step",
    "women",
    "share_women",
    "rsa",
    "rsa_known",
    "share_rsa",
    "qpv",
    "share_qpv",
    "level_3_or_below",
    "education_level_known",
    "share_level_3_or_below",
    "average_age",
    "average_length_months",
    "average_time_in_pathway_months",
    "contacts",
    "months_in_caseload",
    "contacts_per_person_month",
    "communes_reached",
    "cost_per_person",
    "previous_year",
}


def run(capsys, *args) -> str:
    call_command("indicators", *args)
    return capsys.readouterr().out


def test_command_json_keys_are_the_documented_ones(two_caseloads, capsys):
    payload = json.loads(
        run(capsys, "--from", "2026-01-01", "--to", "31/12/2026", "--json", "--budget", "1 500")
    )
    assert set(payload) == JSON_KEYS
    assert payload["date_from"] == "2026-01-01"
    assert payload["date_to"] == "2026-12-31"
    assert payload["people_accompanied"] == 3
    assert payload["communes"] == 23
    assert payload["budget"] == 1500
    assert payload["cost_per_person"] == 500
    assert payload["share_women"] == pytest.approx(0.6667)

    documented = (Path(__file__).parents[2] / "docs" / "indicators.md").read_text(encoding="utf-8")
    assert all(f"`{key}`" in documented for key in JSON_KEYS | {"breakdown"})

    payload = json.loads(
        run(capsys, "--from", "2026-01-01", "--to", "2026-12-31", "--json", "--by", "sex")
    )
    assert payload["breakdown"]["by"] == "sex"
    female, male = payload["breakdown"]["groups"]
    assert (male["key"], male["people_accompanied"]) == ("M", 1)
    assert (female["key"], female["label"], female["people_accompanied"]) == ("F", "Femme", 2)
    assert set(female) == {"key", "label"} | JSON_KEYS - {
        "date_from",
        "date_to",
        "referent",
        "budget",
        "communes",
        "cost_per_person",
        "previous_year",
    }


def test_command_referent_filter_counts_only_their_pathways(two_caseloads, capsys):
    payload = json.loads(
        run(
            capsys,
            "--from",
            "2026-01-01",
            "--to",
            "2026-12-31",
            "--json",
            "--referent",
            "referente",
        )
    )
    assert payload["referent"] == "referente"
    assert (payload["people_accompanied"], payload["exits"]) == (2, 1)


def test_command_writes_french_figures_and_no_participant_data(two_caseloads, capsys):
    # Names no référent or word can share by chance (random names could: « Martin »).
    for participant in Participant.objects.all():
        participant.last_name = f"Personnequelconque{participant.pk}"
        participant.save()
    out = run(capsys, "--from", "2026-01-01", "--to", "2026-12-31", "--by", "referent")
    assert "Chiffres clés du 01/01/2026 au 31/12/2026" in out
    cells = [re.split(r"\s{2,}", line.strip()) for line in out.splitlines()]
    figures_of = {line[0]: line[1:] for line in cells if len(line) == 3}

    # Each figure of the catalogue, with its format, beside the same days of 2025.
    assert figures_of["Personnes accompagnées"] == ["3", "2"]
    assert figures_of["Parcours accompagnés"] == ["4", "2"]
    assert figures_of["Taux de sorties positives"] == ["0\u00a0%", "—"]
    assert figures_of["File active en fin de période"] == ["3", "2"]
    assert "donnez son budget avec --budget" in out
    for pathway in Pathway.objects.select_related("participant"):
        participant = pathway.participant
        for personal in [participant.last_name, participant.file_number]:
            assert personal not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "1er janvier"], "Date illisible"),
        (["--from", "2026-12-31", "--to", "2026-01-01"], "inversez --from et --to"),
        (["--referent", "personne"], "Aucun compte « personne »"),
        (["--budget", "beaucoup"], "Budget illisible"),
        (["--budget", "-5"], "Budget illisible"),
    ],
)
def test_command_explains_what_to_fix(territory, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("indicators", *args)


@pytest.mark.parametrize("by", ["referent", "commune", "qpv", "sex", "age_band", "organisation"])
def test_people_by_counts_as_the_breakdown_in_one_query(referent, outsider, by):
    from plie.reporting.indicators import people_by

    first = active_pathway(referent, entry_date=D(2026, 2, 1), sex=Sex.MALE)
    exited(first, D(2026, 5, 1))
    returns(first, outsider, entry_date=D(2026, 9, 1))
    exited(active_pathway(outsider, entry_date=D(2025, 3, 1)), YEAR_END)
    active_pathway(referent, entry_date=D(2025, 1, 1), birth_date=D(2000, 1, 1))
    groups = breakdown(YEAR_START, YEAR_END, by)
    expected = [(g.key, g.label, g.figures.people_accompanied) for g in groups]
    assert people_by(YEAR_START, YEAR_END, by) == [row for row in expected if row[2]]
    at_end = [(g.key, g.label, g.figures.active_caseload) for g in groups]
    assert people_by(YEAR_START, YEAR_END, by, at_end=True) == [row for row in at_end if row[2]]


def test_a_person_back_on_the_day_of_an_exit_is_in_that_days_caseload_by_the_new_pathway(
    referent,
):
    """Exit and new entry on the same day: at the end of it, one person in the caseload
    through the new pathway, with a step if the new one has one running — the same for one
    date or several."""
    from plie.reporting.indicators import caseloads_on

    first = active_pathway(referent, entry_date=D(2026, 1, 5))
    StepFactory(pathway=first, start_date=D(2026, 2, 1))
    exited(first, D(2026, 6, 1))
    back = returns(first, referent, entry_date=D(2026, 6, 1))
    day, next_day = D(2026, 6, 1), D(2026, 6, 2)
    assert caseload_on(day) == Caseload(day=day, people=1, without_step=1)
    assert caseloads_on([day, next_day]) == [
        Caseload(day=day, people=1, without_step=1),
        Caseload(day=next_day, people=1, without_step=1),
    ]
    StepFactory(pathway=back, start_date=day)
    assert caseload_on(day) == Caseload(day=day, people=1, without_step=0)
    assert caseloads_on([day, next_day]) == [
        Caseload(day=day, people=1, without_step=0),
        Caseload(day=next_day, people=1, without_step=0),
    ]


def test_the_key_figures_are_those_of_all_the_figures(referent, outsider):
    first = active_pathway(referent, entry_date=D(2025, 2, 1), sex=Sex.MALE)
    first.receives_rsa = True
    first.education_level = level(3)
    first.save()
    exited(first, D(2026, 5, 1), ExitReason.POSITIVE)
    returns(first, outsider, entry_date=D(2026, 9, 1))
    exited(active_pathway(outsider, entry_date=D(2026, 3, 1)), D(2026, 4, 1), ExitReason.MOVED)
    active_pathway(referent, entry_date=D(2026, 1, 1), qpv=Qpv.objects.first())
    block, every = key_figures(YEAR_START, YEAR_END), year()
    for name in (
        "people_accompanied",
        "active_caseload",
        "share_women",
        "share_rsa",
        "share_qpv",
        "share_level_3_or_below",
        "average_length_months",
        "positive_exit_rate",
        "entries",
        "exits",
        "positive_exits",
    ):
        assert getattr(block, name) == getattr(every, name), name


def test_figures_of_a_programme_leave_another_programmes_people_out(referent):
    """One database may hold two PLIE: each one's figures count its own pathways only."""
    from plie.territory.models import Programme

    ours = Programme.current()
    active_pathway(referent, entry_date=D(2026, 3, 1))
    exited(active_pathway(referent, entry_date=D(2026, 2, 1)), D(2026, 6, 1))
    neighbour = active_pathway(referent, entry_date=D(2026, 4, 1))
    other = Programme.objects.create(
        name="PLIE voisin", short_name="Voisin", territory_name="Ailleurs"
    )
    Participant.objects.filter(pk=neighbour.participant_id).update(programme=other)
    assert (year(programme=ours).people_accompanied, year(programme=ours).exits) == (2, 1)
    assert (year(programme=other).people_accompanied, year(programme=other).exits) == (1, 0)
    assert caseload_on(YEAR_END, programme=ours).people == 1
    assert caseload_on(YEAR_END, programme=other).people == 1
    assert key_figures(YEAR_START, YEAR_END, programme=ours).people_accompanied == 2
    Participant.objects.filter(pk=neighbour.participant_id).update(programme=ours)
    other.delete()  # back to one programme: the same figures without filtering on it
    assert year(programme=ours).people_accompanied == 3
