"""The data quality page: each check at its boundary, who may read it, where each line
leads, no sensitive value shown, and a query count that does not grow with the rows."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from plie.participants.enums import LabourMarketStatus, Nationality, PathwayStatus
from plie.participants.models import Referral
from plie.pathways.enums import ContactMode
from plie.pathways.models import Contact, Pathway, StepType
from plie.pathways.worklists import worklists
from plie.reporting import quality
from plie.reporting.enums import QualityRunStatus
from plie.reporting.models import QualityRun
from plie.reporting.tasks import run_quality_checks
from plie.territory.models import EducationLevel, Programme
from tests.factories import ParticipantFactory, StepFactory, active_pathway

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False):
        yield


def checked_page(client):
    """The page once the run that the first visit asked for is done (by the worker)."""
    first = client.get(reverse("reporting:quality"))
    assert "contrôle en cours" in first.content.decode()
    run_quality_checks.call(QualityRun.objects.pending().get().pk)
    return client.get(reverse("reporting:quality"))


def days_ago(days: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=days)


def complete(pathway, **fields):
    """Every mandatory entry item filled in, then `fields` on the pathway."""
    values = {
        "labour_market_status": LabourMarketStatus.UNEMPLOYED,
        "out_of_work_since": datetime.date(2024, 1, 1),
        "education_level": EducationLevel.objects.order_by("pk").first(),
        "registered_job_seeker": True,
        "receives_rsa": False,
        "wishes_to_commit": True,
    }
    values.update(fields)
    for name, value in values.items():
        setattr(pathway, name, value)
    pathway.save()
    participant = pathway.participant
    if not participant.nationality:
        participant.nationality = Nationality.FRENCH
        participant.save()
    return pathway


def followed(referent, *, entry_date=None, **participant_fields):
    """A complete active pathway, seen yesterday: it fails no check by itself."""
    pathway = complete(
        active_pathway(referent, entry_date=entry_date or days_ago(200), **participant_fields)
    )
    contact(pathway, days_ago(1))
    return pathway


def contact(pathway, day):
    return Contact.objects.create(
        pathway=pathway, contacted_on=day, mode=ContactMode.PHONE, by=pathway.referent
    )


def rows(check_function, *args):
    return list(check_function(*args))


def job(pathway, start, end=None, hours="35", code="cdi"):
    return StepFactory(
        pathway=pathway,
        step_type=StepType.objects.get(code=code),
        start_date=start,
        end_date=end,
        weekly_hours=Decimal(hours),
    )


def exit_on(pathway, day):
    pathway.status = PathwayStatus.EXITED
    pathway.exit_date = day
    pathway.save()


# 1. Mandatory entry data --------------------------------------------------------------------


def test_a_complete_entry_file_is_not_listed(referent):
    followed(referent)
    assert rows(quality.missing_entry_data) == []


def test_a_missing_education_level_is_listed_with_a_link_to_the_entry_file(referent):
    pathway = complete(active_pathway(referent, entry_date=days_ago(200)), education_level=None)
    [found] = rows(quality.missing_entry_data)
    line = quality._missing_line(found)
    assert found == pathway
    assert "niveau de formation" in line.problem
    assert [link.url for link in line.links] == [
        reverse("pathways:entry_file", args=[pathway.participant.pk, 1])
    ]


@pytest.mark.parametrize(
    ("status", "listed"),
    [(LabourMarketStatus.UNEMPLOYED, True), (LabourMarketStatus.INACTIVE, False)],
    ids=["unemployed", "inactive"],
)
def test_out_of_work_since_is_asked_of_the_unemployed_only(referent, status, listed):
    complete(
        active_pathway(referent, entry_date=days_ago(200)),
        labour_market_status=status,
        out_of_work_since=None,
    )
    assert bool(rows(quality.missing_entry_data)) is listed


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("registered_job_seeker", "inscription à France Travail"),
        ("receives_rsa", "bénéficiaire du RSA"),
        ("wishes_to_commit", "souhait de s'engager"),
    ],
)
def test_each_unanswered_entry_question_is_named(referent, field, label):
    complete(active_pathway(referent, entry_date=days_ago(200)), **{field: None})
    [found] = rows(quality.missing_entry_data)
    assert label in quality._missing_line(found).problem


def test_a_missing_residence_or_right_to_work_sends_to_the_record(referent):
    pathway = complete(
        active_pathway(referent, entry_date=days_ago(200), commune=None, right_to_work=None)
    )
    [found] = rows(quality.missing_entry_data)
    line = quality._missing_line(found)
    assert "commune de résidence" in line.problem and "droit de travailler" in line.problem
    assert [link.url for link in line.links] == [
        reverse("web:participant", args=[pathway.participant.pk])
    ]


def test_a_residence_outside_the_territory_counts_as_filled_in(referent):
    followed(referent, commune=None, commune_outside_territory="Besançon")
    assert rows(quality.missing_entry_data) == []


def test_an_exited_pathway_is_not_asked_for_entry_data(referent):
    exit_on(active_pathway(referent, entry_date=days_ago(200)), days_ago(10))
    assert rows(quality.missing_entry_data) == []


# 2. Inconsistent dates ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("exit_days", "listed"), [(201, True), (200, False)], ids=["before", "same"]
)
def test_an_exit_before_the_entry_is_listed(referent, exit_days, listed):
    exit_on(followed(referent, entry_date=days_ago(200)), days_ago(exit_days))
    assert bool(rows(quality.exit_before_entry)) is listed


@pytest.mark.parametrize(("gap", "listed"), [(1, True), (0, False)], ids=["before", "same"])
def test_an_entry_before_the_referral_is_listed(referent, gap, listed):
    pathway = followed(referent, entry_date=days_ago(200))
    pathway.referral.referred_on = days_ago(200 - gap)
    pathway.referral.save()
    assert bool(rows(quality.entry_before_referral)) is listed


@pytest.mark.parametrize(("end", "listed"), [(101, True), (100, False)], ids=["before", "same"])
def test_a_step_ending_before_its_start_is_listed(referent, end, listed):
    pathway = followed(referent)
    StepFactory(pathway=pathway, start_date=days_ago(100), end_date=days_ago(end))
    assert bool(rows(quality.step_ends_before_start)) is listed


@pytest.mark.parametrize(("start", "listed"), [(9, True), (10, False)], ids=["after", "same"])
def test_a_step_starting_after_the_exit_is_listed_with_its_edit_link(referent, start, listed):
    pathway = followed(referent)
    step = StepFactory(pathway=pathway, start_date=days_ago(start))
    exit_on(pathway, days_ago(10))
    found = rows(quality.step_after_exit)
    assert bool(found) is listed
    if listed:
        line = quality.CHECKS[4].describe(found[0])
        assert line.links[0].url == reverse(
            "pathways:step_edit", args=[pathway.participant.pk, 1, step.pk]
        )


@pytest.mark.parametrize(("day", "listed"), [(9, True), (10, False)], ids=["after", "same"])
def test_a_contact_after_the_exit_is_listed(referent, day, listed):
    pathway = followed(referent)
    exit_on(pathway, days_ago(10))
    Contact.objects.filter(pathway=pathway).delete()
    contact(pathway, days_ago(day))
    assert bool(rows(quality.contact_after_exit)) is listed


# 3. Overlapping jobs ------------------------------------------------------------------------


@pytest.mark.parametrize(("hours", "listed"), [("14", True), ("13", False)], ids=["49h", "48h"])
def test_overlapping_jobs_over_48_hours_are_listed(referent, hours, listed):
    pathway = followed(referent)
    job(pathway, days_ago(100))
    job(pathway, days_ago(50), days_ago(20), hours=hours, code="cdd")
    assert bool(rows(quality.overlapping_jobs)) is listed


@pytest.mark.parametrize(("end", "listed"), [(50, True), (51, False)], ids=["touching", "before"])
def test_jobs_overlap_when_one_ends_the_day_the_other_starts(referent, end, listed):
    pathway = followed(referent)
    first = job(pathway, days_ago(100), days_ago(end))
    second = job(pathway, days_ago(50), hours="20", code="cdd")
    found = rows(quality.overlapping_jobs)
    assert bool(found) is listed
    if listed:
        line = quality._overlap_line(found[0])
        args = [pathway.participant.pk, 1]
        assert [link.url for link in line.links] == [
            reverse("pathways:step_edit", args=[*args, first.pk]),
            reverse("pathways:step_edit", args=[*args, second.pk]),
        ]
        assert "55\u00a0h par semaine" in line.problem


def test_a_training_alongside_a_job_is_not_an_overlap(referent):
    pathway = followed(referent)
    job(pathway, days_ago(100))
    job(pathway, days_ago(50), hours="20", code="training-qualifying")
    assert rows(quality.overlapping_jobs) == []


def test_jobs_of_two_pathways_do_not_overlap(referent):
    job(followed(referent), days_ago(100))
    job(followed(referent), days_ago(100), hours="20")
    assert rows(quality.overlapping_jobs) == []


# 4. Suspected duplicates --------------------------------------------------------------------


def test_same_names_accents_and_case_aside_and_same_birth_date_are_duplicates(referent):
    first = followed(referent, last_name="Dupont", first_name="Élodie")
    second = followed(referent, last_name="DUPONT", first_name="elodie")
    followed(
        referent, last_name="Dupont", first_name="Élodie", birth_date=datetime.date(1985, 4, 13)
    )
    found = rows(quality.suspected_duplicates)
    assert {p.pk for p in found} == {first.participant.pk, second.participant.pk}


def test_duplicates_without_a_referent_are_counted_apart(territory):
    for last_name in ("Dupont", "DUPONT"):
        ParticipantFactory(last_name=last_name, first_name="Élodie")
    result = quality.run(check("duplicates"), TODAY)
    assert result.key == "duplicates"
    assert result.by_referent == {None: 2}
    assert result.lines[0].referent == "Sans référent(e)"


def test_different_names_on_the_same_birth_date_are_not_duplicates(referent):
    followed(referent, last_name="Dupont", first_name="Élodie")
    followed(referent, last_name="Dupond", first_name="Élodie")
    assert rows(quality.suspected_duplicates) == []


# 5. Not seen for long -----------------------------------------------------------------------


@pytest.mark.parametrize(("seen", "listed"), [(46, True), (45, False)], ids=["46d", "45d"])
def test_not_seen_for_more_than_the_plie_threshold_45_days_by_default(referent, seen, listed):
    pathway = complete(active_pathway(referent, entry_date=days_ago(300)))
    contact(pathway, days_ago(seen))
    assert bool(rows(quality.not_seen_for_long, TODAY)) is listed


@pytest.mark.parametrize(("entered", "listed"), [(46, True), (45, False)], ids=["46d", "45d"])
def test_never_seen_counts_from_the_entry(referent, entered, listed):
    complete(active_pathway(referent, entry_date=days_ago(entered)))
    assert bool(rows(quality.not_seen_for_long, TODAY)) is listed


@pytest.mark.parametrize(("seen", "listed"), [(31, True), (30, False)], ids=["31d", "30d"])
def test_the_quality_check_and_the_worklist_read_the_same_setting(referent, seen, listed):
    """One « sans contact » threshold: set to 30 days, both lists follow it to the day."""
    programme = Programme.current()
    programme.alert_days_not_seen = 30
    programme.save()
    pathway = complete(active_pathway(referent, entry_date=days_ago(300)))
    contact(pathway, days_ago(seen))
    in_quality = [p.pk for p in quality.not_seen_for_long(TODAY)]
    lists = worklists(programme, Pathway.objects.all(), Referral.objects.none(), TODAY)
    in_worklist = [pk for pk, *_ in lists.not_seen.listed().keys]
    assert (in_quality == [pathway.pk]) is listed
    assert in_worklist == in_quality
    assert quality.CHECKS[-1].title == "Parcours en cours sans contact depuis plus de 30 jours"


# The page -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("assistant", 200),
        ("coordinator", 200),
        ("project_officer", 200),
        ("referent", 403),
        ("outsider", 403),
        ("provider", 403),
        ("steering_viewer", 403),
        ("administrator", 403),
    ],
)
def test_who_reads_the_data_quality_page(client, request, territory, role, status):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("reporting:quality")).status_code == status


def test_the_menu_offers_the_page_to_the_coordination_team_only(client, assistant, referent):
    client.force_login(assistant)
    assert "Qualité des données" in client.get(reverse("web:participant_list")).content.decode()
    client.force_login(referent)
    assert "Qualité des données" not in client.get(reverse("web:participant_list")).content.decode()


def test_the_assistant_sees_what_is_missing_never_a_sensitive_value(client, referent, assistant):
    pathway = active_pathway(referent, entry_date=days_ago(200), last_name="Zidane")
    complete(pathway, receives_rsa=None)
    participant = pathway.participant
    participant.nationality = Nationality.THIRD_COUNTRY
    participant.right_to_work = None
    participant.save()
    Contact.objects.create(
        pathway=pathway,
        contacted_on=days_ago(200),
        mode=ContactMode.PHONE,
        by=referent,
        summary="Santé fragile",
    )
    client.force_login(assistant)
    page = checked_page(client).content.decode()
    assert "ZIDANE" in page
    assert "bénéficiaire du RSA" in page and "droit de travailler" in page
    assert "Non renseigné" in page
    assert str(Nationality.THIRD_COUNTRY.label) not in page
    assert "Santé fragile" not in page
    assert reverse("web:participant", args=[participant.pk]) in page


def test_counts_by_referent_at_the_top(client, referent, outsider, coordinator):
    for _ in range(2):
        complete(active_pathway(referent, entry_date=days_ago(200)), education_level=None)
    complete(active_pathway(outsider, entry_date=days_ago(300)))
    results = quality.data_quality(TODAY)
    by_key = {result.key: result for result in results}
    assert by_key["missing"].by_referent == {referent.pk: 2}
    assert by_key["missing"].total == 2
    assert by_key["not-seen"].by_referent == {referent.pk: 2, outsider.pk: 1}
    client.force_login(coordinator)
    page = checked_page(client).content.decode()
    assert '<th scope="row">' + str(referent) + "</th>" in page
    assert '<th scope="row">' + str(outsider) + "</th>" in page


def test_at_most_200_lines_per_check_with_the_total(referent, monkeypatch):
    monkeypatch.setattr(quality, "LIMIT", 2)
    for _ in range(3):
        active_pathway(referent, entry_date=days_ago(200))
    result = quality.run(quality.CHECKS[0], TODAY)
    assert len(result.lines) == 2 and result.total == 3


def test_the_query_count_does_not_grow_with_the_rows(
    client, referent, outsider, assistant, django_assert_max_num_queries
):
    for owner in (referent, outsider) * 6:
        pathway = active_pathway(
            owner, entry_date=days_ago(200), last_name="Martin", first_name="Léa"
        )
        job(pathway, days_ago(100))
        job(pathway, days_ago(50), hours="20", code="cdd")
        StepFactory(pathway=pathway, start_date=days_ago(10), end_date=days_ago(20))
        pathway.referral.referred_on = days_ago(199)
        pathway.referral.save()
    client.force_login(assistant)
    checked_page(client)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("reporting:quality"))
    assert response.status_code == 200
    results = {result.key: result.total for result in response.context["results"]}
    assert results["missing"] == 12 and results["overlapping-jobs"] == 12
    assert results["duplicates"] == 12 and results["step-end-before-start"] == 12
    assert results["entry-before-referral"] == 12 and results["not-seen"] == 12


# The checks in the background -------------------------------------------------------------


def test_the_first_visit_asks_for_one_run_and_follows_it(client, assistant):
    client.force_login(assistant)
    page = client.get(reverse("reporting:quality")).content.decode()
    assert "Premier contrôle en cours" in page
    assert 'hx-trigger="every 3s"' in page and 'http-equiv="refresh"' in page
    client.get(reverse("reporting:quality"))
    assert QualityRun.objects.count() == 1  # a second visit waits for the same run
    partial = client.get(reverse("reporting:quality"), headers={"HX-Request": "true"})
    assert partial.content.decode().lstrip().startswith('<div id="quality-results"')


def test_a_run_keeps_counts_and_ids_never_a_name(client, referent, assistant):
    pathway = active_pathway(referent, entry_date=days_ago(200), last_name="Zidane")
    client.force_login(assistant)
    page = checked_page(client).content.decode()
    run = QualityRun.objects.get()
    assert run.status == QualityRunStatus.DONE and run.day == TODAY
    assert run.results["missing"] == {
        "total": 1,
        "by_referent": [[referent.pk, 1]],
        "ids": [pathway.pk],
    }
    assert "Zidane" not in str(run.results) and "ZIDANE" in page
    assert "Contrôles faits le 23/11/2026 à 11:00" in page  # 10:00 UTC, Paris time shown
    assert "hx-trigger" not in page  # done: the page stops asking


def test_a_problem_fixed_since_the_run_is_no_longer_listed(client, referent, assistant):
    pathway = active_pathway(referent, entry_date=days_ago(200), last_name="Zidane")
    client.force_login(assistant)
    assert "ZIDANE" in checked_page(client).content.decode()
    complete(pathway)
    contact(pathway, days_ago(1))
    response = client.get(reverse("reporting:quality"))
    assert "ZIDANE" not in response.content.decode()
    totals = {result.key: result.total for result in response.context["results"]}
    assert totals["missing"] == 1  # the count is the run's, until the next one
    assert QualityRun.objects.count() == 1


def test_a_run_older_than_four_hours_is_redone_at_the_next_visit(client, referent, assistant):
    active_pathway(referent, entry_date=days_ago(200), last_name="Zidane")
    client.force_login(assistant)
    checked_page(client)
    with time_machine.travel(datetime.datetime(2026, 11, 23, 13, 59), tick=False):
        client.force_login(assistant)
        assert client.get(reverse("reporting:quality")).status_code == 200
        assert not QualityRun.objects.pending().exists()
    with time_machine.travel(datetime.datetime(2026, 11, 23, 14, 1), tick=False):
        client.force_login(assistant)  # the session of 10:00 has expired
        page = client.get(reverse("reporting:quality")).content.decode()
        assert "Un nouveau contrôle est en cours" in page and "ZIDANE" in page
        run_quality_checks.call(QualityRun.objects.pending().get().pk)
    assert QualityRun.objects.get().finished_at.hour == 14  # the older run is removed


def test_the_button_asks_for_a_run_now(client, assistant):
    client.force_login(assistant)
    checked_page(client)
    response = client.post(reverse("reporting:quality"))
    assert response.status_code == 302 and response.url == reverse("reporting:quality")
    assert QualityRun.objects.pending().count() == 1
    client.post(reverse("reporting:quality"))
    assert QualityRun.objects.pending().count() == 1


def test_a_failed_run_is_marked_and_logs_no_value(assistant, monkeypatch, caplog):
    from plie.reporting import tasks

    def broken(today):
        raise ValueError("Zidane")

    monkeypatch.setattr(tasks, "measure_all", broken)
    run = tasks.request_quality_run(user=assistant)
    assert run_quality_checks.call(run.pk) == 0
    run.refresh_from_db()
    assert run.status == QualityRunStatus.FAILED and run.results == {}
    assert "Zidane" not in caplog.text and "ValueError" in caplog.text


def test_the_not_seen_column_says_its_threshold(client, referent, assistant):
    active_pathway(referent, entry_date=days_ago(200))
    client.force_login(assistant)
    page = checked_page(client).content.decode()
    assert '<th scope="col" class="text-end">Sans contact (&gt; 45 j)</th>' in page


# Steps long before the entry, steps still running long after their planned end ------------


def check(key: str) -> quality.Check:
    return next(c for c in quality.CHECKS if c.key == key)


@pytest.mark.parametrize(("days", "listed"), [(31, True), (30, False)], ids=["31", "30"])
def test_a_step_starting_more_than_30_days_before_the_entry_is_listed(referent, days, listed):
    pathway = followed(referent)
    start = pathway.entry_date - datetime.timedelta(days=days)
    step = StepFactory(pathway=pathway, start_date=start)
    found = rows(quality.step_long_before_entry)
    assert bool(found) is listed
    if listed:
        line = check("step-before-entry").describe(found[0])
        assert line.problem == (
            f"Action du PLIE du {start:%d/%m/%Y} : commence 31 jours avant l'entrée du "
            f"{pathway.entry_date:%d/%m/%Y}."
        )
        assert line.links[0].url == reverse(
            "pathways:step_edit", args=[pathway.participant.pk, 1, step.pk]
        )


def test_an_exited_pathway_keeps_its_early_steps_checked(referent):
    pathway = followed(referent)
    StepFactory(pathway=pathway, start_date=pathway.entry_date - datetime.timedelta(days=400))
    exit_on(pathway, days_ago(5))
    assert len(rows(quality.step_long_before_entry)) == 1


@pytest.mark.parametrize(("days", "listed"), [(61, True), (60, False)], ids=["61", "60"])
def test_a_step_still_running_more_than_60_days_after_its_planned_end_is_listed(
    referent, days, listed
):
    pathway = followed(referent)
    StepFactory(pathway=pathway, start_date=days_ago(150), planned_end_date=days_ago(days))
    found = rows(quality.step_still_running, TODAY)
    assert bool(found) is listed
    if listed:
        line = check("step-still-running").describe(found[0])
        assert line.problem == (
            f"Action du PLIE du {days_ago(150):%d/%m/%Y} : fin prévue le "
            f"{days_ago(61):%d/%m/%Y}, toujours « en cours »."
        )


def test_a_step_ended_or_of_an_exited_pathway_is_not_still_running(referent):
    from plie.pathways.enums import StepOutcome

    ended = followed(referent)
    StepFactory(
        pathway=ended,
        start_date=days_ago(150),
        planned_end_date=days_ago(100),
        end_date=days_ago(90),
        outcome=StepOutcome.COMPLETED,
    )
    left = followed(referent)
    StepFactory(pathway=left, start_date=days_ago(150), planned_end_date=days_ago(100))
    exit_on(left, days_ago(5))
    assert rows(quality.step_still_running, TODAY) == []


def test_the_page_says_both_thresholds(client, referent, assistant):
    client.force_login(assistant)
    titles = [result.title for result in checked_page(client).context["results"]]
    assert "Étapes commencées plus de 30 jours avant l'entrée" in titles
    assert "Étapes encore « en cours » plus de 60 jours après leur fin prévue" in titles


def test_the_assistant_is_offered_the_record_not_the_entry_file_nor_the_step(
    client, referent, assistant, project_officer
):
    """She corrects a person's record, not the pathway: the links she may not follow are
    left out, and a line left without one opens the record."""
    pathway = active_pathway(referent, entry_date=days_ago(30))
    complete(pathway, education_level=None)
    entry_file = reverse("pathways:entry_file", args=[pathway.participant.pk, 1])
    record = reverse("web:participant", args=[pathway.participant.pk])
    client.force_login(assistant)
    content = checked_page(client).content.decode()
    assert "Non renseigné : niveau de formation." in content
    assert entry_file not in content and f'href="{record}"' in content
    client.force_login(project_officer)
    assert entry_file in client.get(reverse("reporting:quality")).content.decode()
