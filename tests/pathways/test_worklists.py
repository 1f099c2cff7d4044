"""The morning lists at their thresholds, and each référent seeing only their own."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plie.committee import services
from plie.participants.enums import ExitReason, PathwayStatus, ReferralStatus
from plie.participants.models import Referral
from plie.pathways.enums import ContactMode
from plie.pathways.models import Contact, FollowUp, Pathway, StepType
from plie.pathways.worklists import worklists
from plie.territory.models import Programme
from tests.factories import (
    MeetingFactory,
    ParticipantFactory,
    ReferralFactory,
    StepFactory,
    active_pathway,
)

TODAY = datetime.date(2026, 11, 23)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False):
        yield


@pytest.fixture
def programme(territory):
    programme = Programme.current()
    programme.alert_days_without_step = 60
    programme.alert_days_not_seen = 45
    programme.alert_days_step_ending = 15
    programme.alert_days_referral_waiting = 7
    programme.alert_days_follow_up = 15
    programme.save()
    return programme


def days_ago(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


def lists(programme):
    return worklists(programme, Pathway.objects.all(), Referral.objects.all(), TODAY)


@pytest.mark.parametrize(("entered", "listed"), [(60, False), (61, True)], ids=["60d", "61d"])
def test_no_step_since_entry_counts_from_the_entry_date(programme, referent, entered, listed):
    pathway = active_pathway(referent, entry_date=days_ago(entered))
    assert (pathway in lists(programme).without_step.rows) is listed


@pytest.mark.parametrize(("ended", "listed"), [(60, False), (61, True)], ids=["60d", "61d"])
def test_no_step_counts_from_the_end_of_the_last_step(programme, referent, ended, listed):
    pathway = active_pathway(referent, entry_date=days_ago(300))
    StepFactory(pathway=pathway, start_date=days_ago(200), end_date=days_ago(ended))
    StepFactory(pathway=pathway, start_date=days_ago(250), end_date=days_ago(150))
    assert (pathway in lists(programme).without_step.rows) is listed


def test_an_ongoing_step_or_one_starting_later_is_not_the_same(programme, referent):
    ongoing = active_pathway(referent, entry_date=days_ago(300))
    StepFactory(pathway=ongoing, start_date=days_ago(200))
    planned = active_pathway(referent, entry_date=days_ago(300))
    StepFactory(pathway=planned, start_date=TODAY + datetime.timedelta(days=10))
    without = lists(programme).without_step.rows
    assert ongoing not in without
    assert planned in without  # a planned step does not count until it starts


@pytest.mark.parametrize(("seen", "listed"), [(45, False), (46, True)], ids=["45d", "46d"])
def test_not_seen_counts_from_the_last_contact(programme, referent, seen, listed):
    pathway = active_pathway(referent, entry_date=days_ago(300))
    Contact.objects.create(
        pathway=pathway, contacted_on=days_ago(seen), mode=ContactMode.PHONE, by=referent
    )
    Contact.objects.create(
        pathway=pathway, contacted_on=days_ago(120), mode=ContactMode.PHONE, by=referent
    )
    assert (pathway in lists(programme).not_seen.rows) is listed


def test_steps_ending_and_referrals_waiting_at_their_thresholds(programme, referent):
    pathway = active_pathway(referent, entry_date=days_ago(300))
    soon = StepFactory(
        pathway=pathway,
        start_date=days_ago(30),
        planned_end_date=TODAY + datetime.timedelta(days=15),
    )
    StepFactory(
        pathway=pathway,
        start_date=days_ago(30),
        planned_end_date=TODAY + datetime.timedelta(days=16),
    )
    waiting = ReferralFactory(
        participant=ParticipantFactory(referent=referent), referred_on=days_ago(8)
    )
    ReferralFactory(participant=ParticipantFactory(referent=referent), referred_on=days_ago(7))
    result = lists(programme)
    assert list(result.steps_ending.rows) == [soon]
    assert list(result.referrals_waiting.rows) == [waiting]
    assert waiting.status == ReferralStatus.AWAITING_APPOINTMENT


def test_exit_candidates_and_follow_ups_due(programme, referent):
    pathway = active_pathway(referent, entry_date=days_ago(400))
    StepFactory(
        pathway=pathway,
        step_type=StepType.objects.get(code="cdi"),
        start_date=days_ago(200),
        weekly_hours=Decimal(35),
    )
    left = active_pathway(referent, entry_date=days_ago(500))
    Pathway.objects.filter(pk=left.pk).update(status=PathwayStatus.EXITED, exit_date=days_ago(170))
    due = FollowUp.objects.create(pathway=left, due_on=TODAY + datetime.timedelta(days=15))
    result = lists(programme)
    assert [c.pathway_id for c in result.exit_candidates.candidates] == [pathway.pk]
    assert list(result.follow_ups_due.rows) == [due]
    FollowUp.objects.filter(pk=due.pk).update(due_on=TODAY + datetime.timedelta(days=16))
    assert not lists(programme).follow_ups_due.rows.exists()


def cdi_for_200_days(referent, last_name):
    pathway = active_pathway(referent, entry_date=days_ago(400), last_name=last_name)
    StepFactory(
        pathway=pathway,
        step_type=StepType.objects.get(code="cdi"),
        start_date=days_ago(200),
        weekly_hours=Decimal(35),
    )
    return pathway


def test_an_exit_already_proposed_is_said_instead_of_offered_again(client, programme, referent):
    proposed = cdi_for_200_days(referent, "Proposee")
    waiting = cdi_for_200_days(referent, "Attend")
    with time_machine.travel(datetime.datetime(2026, 11, 20, 10, 0), tick=False):
        services.propose_exit(
            pathway=proposed,
            meeting=MeetingFactory(held_on=datetime.date(2026, 12, 3)),
            reason=ExitReason.POSITIVE,
            exit_date=datetime.date(2026, 11, 20),
            by=referent,
        )
    client.force_login(referent)
    for url in (reverse("pathways:worklists"), reverse("pathways:worklist", args=["sortie"])):
        page = client.get(url).content.decode()
        offer = reverse("committee:propose_exit", args=[proposed.participant.pk, 1])
        assert offer not in page
        assert "Sortie proposée le 20/11/2026</span>" in page
        assert "(commission du 03/12/2026)" in page
        assert reverse("committee:propose_exit", args=[waiting.participant.pk, 1]) in page


def test_the_assistant_is_offered_neither_exit_proposal_nor_follow_up(
    client, programme, referent, assistant, project_officer
):
    """She reads the lists; proposing an exit or recording a follow-up is the référent's."""
    waiting = cdi_for_200_days(referent, "Attend")
    left = active_pathway(referent, entry_date=days_ago(500), last_name="Partie")
    Pathway.objects.filter(pk=left.pk).update(status=PathwayStatus.EXITED, exit_date=days_ago(170))
    FollowUp.objects.create(pathway=left, due_on=TODAY + datetime.timedelta(days=5))
    offer = reverse("committee:propose_exit", args=[waiting.participant.pk, 1])
    follow_up = reverse("pathways:follow_up", args=[left.participant.pk, 1])
    client.force_login(assistant)
    page = client.get(reverse("pathways:worklists")).content.decode()
    assert "ATTEND" in page and "PARTIE" in page
    assert offer not in page and follow_up not in page
    client.force_login(project_officer)
    page = client.get(reverse("pathways:worklists")).content.decode()
    assert offer in page and follow_up in page


def test_opening_the_exit_form_again_leads_back_to_the_record(client, programme, referent):
    pathway = cdi_for_200_days(referent, "Proposee")
    meeting = MeetingFactory(held_on=TODAY + datetime.timedelta(days=7))
    services.propose_exit(
        pathway=pathway, meeting=meeting, reason=ExitReason.POSITIVE, exit_date=TODAY, by=referent
    )
    client.force_login(referent)
    response = client.get(
        reverse("committee:propose_exit", args=[pathway.participant.pk, 1]), follow=True
    )
    record = reverse("web:participant", args=[pathway.participant.pk])
    assert response.redirect_chain[-1][0] == record + "#commission"
    assert f"La sortie est déjà proposée à la {meeting}" in response.content.decode()


def test_a_referent_sees_only_their_own_lists(client, programme, referent, outsider):
    active_pathway(referent, entry_date=days_ago(100))
    theirs = active_pathway(outsider, entry_date=days_ago(100), last_name="Horsperimetre")
    client.force_login(referent)
    page = client.get(reverse("pathways:worklists")).content.decode()
    assert theirs.participant.last_name.upper() not in page
    assert "Sans étape depuis plus de 60 jours (1)" in page


def test_caseloads_count_per_referent(client, programme, referent, outsider, coordinator):
    for _ in range(3):
        active_pathway(referent, entry_date=days_ago(100))
    active_pathway(outsider, entry_date=days_ago(10))
    client.force_login(coordinator)
    response = client.get(reverse("pathways:caseloads"))
    rows = {row["referent"].username: row for row in response.context["rows"]}
    assert rows[referent.username]["active"] == 3
    assert rows[referent.username]["without_step"] == 3
    assert rows[outsider.username]["without_step"] == 0
    assert response.context["totals"]["active"] == 4


def test_the_caseload_per_referent_is_the_key_figures_one(client, programme, referent, coordinator):
    """An exit dated today is out of today's caseload, as in the key figures; an entry
    dated today is in it."""
    from plie.reporting.indicators import caseload_on

    for exit_on in (TODAY, TODAY - datetime.timedelta(days=1)):
        pathway = active_pathway(referent, entry_date=days_ago(100))
        pathway.status, pathway.exit_date = PathwayStatus.EXITED, exit_on
        pathway.save()
    active_pathway(referent, entry_date=TODAY)
    active_pathway(referent, entry_date=TODAY + datetime.timedelta(days=1))  # not yet in
    client.force_login(coordinator)
    response = client.get(reverse("pathways:caseloads"))
    assert response.context["totals"]["active"] == 1 == caseload_on(TODAY).people


def test_the_whole_plie_s_lists_show_their_first_rows_and_say_how_many(
    client, programme, referent, coordinator, monkeypatch
):
    from plie.pathways import worklist_views

    monkeypatch.setattr(worklist_views, "OVERVIEW_ROWS", 2)
    for _ in range(3):
        active_pathway(referent, entry_date=days_ago(100))
    client.force_login(coordinator)
    page = client.get(reverse("pathways:worklists")).content.decode()
    section = page.split('id="t-sans-etape"')[1].split("</section>")[0]
    assert "(3)" in section  # the count is the whole list's
    assert section.count("<tr><td>") == 2
    assert "Les 2 premières lignes sur 3" in section
    assert f'href="{reverse("pathways:worklist", args=["sans-etape"])}"' in section


def test_a_list_s_own_page_shows_it_whole_page_by_page(
    client, programme, referent, outsider, coordinator, monkeypatch
):
    from plie.pathways import worklist_views

    monkeypatch.setattr(worklist_views, "ROW_LIMIT", 2)
    pathways = [active_pathway(referent, entry_date=days_ago(100 + n)) for n in range(3)]
    active_pathway(outsider, entry_date=days_ago(90))
    url = reverse("pathways:worklist", args=["sans-etape"])
    client.force_login(coordinator)
    first = client.get(url)
    assert "(4)" in first.content.decode()
    assert [row.pk for row in first.context["rows"]] == [pathways[2].pk, pathways[1].pk]
    second = client.get(url, {"page": 2}).context["rows"]
    assert len(second) == 2 and second[0] == pathways[0]
    mine = client.get(url, {"referent": referent.pk})
    assert mine.context["count"] == 3 and mine.context["computed_at"] is None
    assert "page=2" in mine.content.decode() and f"referent={referent.pk}" in mine.content.decode()
    assert client.get(reverse("pathways:worklist", args=["autre"])).status_code == 404
    client.force_login(outsider)
    assert client.get(url).context["count"] == 1  # a référent's own list only


def test_a_step_ending_today_still_goes_on(programme, referent):
    pathway = active_pathway(referent, entry_date=days_ago(300))
    StepFactory(pathway=pathway, start_date=days_ago(200), end_date=TODAY)
    assert pathway not in lists(programme).without_step.rows


@pytest.mark.parametrize(("entered", "listed"), [(45, False), (46, True)], ids=["45d", "46d"])
def test_never_seen_counts_from_the_entry(programme, referent, entered, listed):
    pathway = active_pathway(referent, entry_date=days_ago(entered))
    assert (pathway in lists(programme).not_seen.rows) is listed


def test_a_contact_before_the_entry_is_the_last_one_seen(programme, referent):
    pathway = active_pathway(referent, entry_date=days_ago(10))
    Contact.objects.create(
        pathway=pathway, contacted_on=days_ago(50), mode=ContactMode.PHONE, by=referent
    )
    (row,) = lists(programme).not_seen.first(10).rows
    assert row == pathway
    assert row.last_contact == days_ago(50)


def test_a_contact_after_today_does_not_count(programme, referent):
    pathway = active_pathway(referent, entry_date=days_ago(300))
    for day in (days_ago(46), TODAY + datetime.timedelta(days=1)):
        Contact.objects.create(
            pathway=pathway, contacted_on=day, mode=ContactMode.PHONE, by=referent
        )
    assert pathway in lists(programme).not_seen.rows


def test_an_ended_step_is_not_one_that_ends_soon(programme, referent):
    pathway = active_pathway(referent, entry_date=days_ago(300))
    StepFactory(
        pathway=pathway,
        start_date=days_ago(30),
        end_date=days_ago(1),
        planned_end_date=TODAY + datetime.timedelta(days=5),
    )
    assert not lists(programme).steps_ending.rows.exists()


def test_the_first_rows_come_in_list_order_with_the_whole_count(programme, referent):
    pathways = [active_pathway(referent, entry_date=days_ago(100 + n)) for n in range(5)]
    shown = lists(programme).without_step.first(3)
    assert shown.count == 5
    assert shown.rows == pathways[::-1][:3]  # the longest without a step first
    assert [row.since for row in shown.rows] == [days_ago(104), days_ago(103), days_ago(102)]
    assert shown.cut


def some_of_every_list(referent, others: int):
    """Rows in each of the six lists for `referent`; `others` more of each for someone else."""
    cdi = StepType.objects.get(code="cdi")
    for _ in range(2):
        quiet = active_pathway(referent, entry_date=days_ago(100))  # no step, no contact
        StepFactory(pathway=quiet, start_date=days_ago(99), end_date=days_ago(90))
        working = active_pathway(referent, entry_date=days_ago(400))
        StepFactory(pathway=working, step_type=cdi, start_date=days_ago(300), weekly_hours=35)
        ending = active_pathway(referent, entry_date=days_ago(100))
        StepFactory(
            pathway=ending,
            start_date=days_ago(20),
            planned_end_date=TODAY + datetime.timedelta(days=3),
        )
        ReferralFactory(participant=ParticipantFactory(referent=referent), referred_on=days_ago(30))
        left = active_pathway(referent, entry_date=days_ago(500))
        Pathway.objects.filter(pk=left.pk).update(
            status=PathwayStatus.EXITED, exit_date=days_ago(170)
        )
        FollowUp.objects.create(pathway=left, due_on=TODAY + datetime.timedelta(days=5))
    for _ in range(others):
        active_pathway(referent, entry_date=days_ago(10))  # in the caseload, in no list


def test_caseloads_count_per_referent_what_each_one_s_worklists_show(
    client, programme, referent, outsider, coordinator
):
    some_of_every_list(referent, others=1)
    some_of_every_list(outsider, others=3)
    client.force_login(coordinator)
    caseloads = client.get(reverse("pathways:caseloads")).context
    rows = {row["referent"]: row for row in caseloads["rows"]}
    keys = ("without_step", "not_seen", "referrals_waiting", "steps_ending")
    keys += ("exit_candidates", "follow_ups_due")
    for person in (referent, outsider):
        shown = client.get(reverse("pathways:worklists"), {"referent": person.pk}).context["lists"]
        assert {key: rows[person][key] for key in keys} == {key: shown[key].count for key in keys}
        assert all(rows[person][key] > 0 for key in keys)
    assert rows[referent]["active"] == 7 and rows[outsider]["active"] == 9
    assert caseloads["totals"] == {
        key: rows[referent][key] + rows[outsider][key] for key in ("active", *keys)
    }


@pytest.mark.parametrize("page", ["pathways:worklists", "pathways:caseloads"])
def test_the_morning_pages_make_as_many_queries_whatever_the_number_of_rows(
    client, programme, referent, coordinator, django_assert_max_num_queries, page
):
    client.force_login(coordinator)
    some_of_every_list(referent, others=0)
    client.get(reverse(page))  # the session warm
    cache.clear()  # the whole PLIE's lists listed again, not read as kept
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(page))
    for _ in range(3):
        some_of_every_list(referent, others=0)
    cache.clear()
    with django_assert_max_num_queries(len(few)):
        client.get(reverse(page))


# The whole PLIE's lists, kept for a quarter of an hour --------------------------------------


def queued_refreshes() -> list:
    from django_tasks_db.models import DBTaskResult

    tasks = DBTaskResult.objects.filter(task_path__endswith="refresh_worklists")
    return [task.args_kwargs["args"] for task in tasks]


def without_step_count(client, **query) -> int:
    return client.get(reverse("pathways:worklists"), query).context["lists"]["without_step"].count


def test_the_whole_plie_s_lists_are_kept_then_listed_again_in_the_background(
    client, programme, referent, coordinator
):
    active_pathway(referent, entry_date=days_ago(100))
    client.force_login(coordinator)
    page = client.get(reverse("pathways:worklists")).content.decode()
    assert "Listes de tout le PLIE mises à jour le 23/11/2026 à 11:00" in page
    active_pathway(referent, entry_date=days_ago(100))
    assert without_step_count(client) == 1  # kept
    assert without_step_count(client, referent=referent.pk) == 2  # a référent's: up to date
    caseloads = client.get(reverse("pathways:caseloads"))
    assert caseloads.context["totals"]["without_step"] == 1  # the same kept lists
    assert caseloads.context["totals"]["active"] == 2  # the caseload itself is counted now
    assert "listes de tout le PLIE mises à jour le 23/11/2026 à 11:00" in caseloads.content.decode()
    assert queued_refreshes() == []
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 16), tick=False):
        client.force_login(coordinator)
        stale = client.get(reverse("pathways:worklists"))
        assert stale.context["lists"]["without_step"].count == 1  # shown while listed again
        assert "rechargez la page dans un instant" in stale.content.decode()
        client.get(reverse("pathways:caseloads"))
        (arguments,) = queued_refreshes()  # once, whichever page asked
        assert arguments == ["2026-11-23"]
        from plie.pathways.tasks import refresh_worklists

        refresh_worklists.call(*arguments)
        page = client.get(reverse("pathways:worklists"))
    assert page.context["lists"]["without_step"].count == 2
    assert "mises à jour le 23/11/2026 à 11:16" in page.content.decode()
    assert "rechargez la page" not in page.content.decode()


def test_new_thresholds_list_the_whole_plie_again(client, programme, referent, coordinator):
    active_pathway(referent, entry_date=days_ago(50))
    client.force_login(coordinator)
    assert without_step_count(client) == 0
    programme.alert_days_without_step = 40
    programme.save()
    assert without_step_count(client) == 1


def test_a_row_gone_since_the_lists_were_kept_is_left_out(client, programme, referent, coordinator):
    gone = active_pathway(referent, entry_date=days_ago(100))
    FollowUp.objects.create(pathway=gone, due_on=TODAY)
    client.force_login(coordinator)
    client.get(reverse("pathways:worklists"))
    FollowUp.objects.all().delete()
    shown = client.get(reverse("pathways:worklists")).context["lists"]["follow_ups_due"]
    assert shown.rows == [] and shown.count == 1


def test_everyone_s_lists_name_each_row_s_referent_and_one_referent_s_do_not(
    client, programme, referent, coordinator
):
    some_of_every_list(referent, others=0)
    name = str(referent)
    client.force_login(coordinator)
    everyone = client.get(reverse("pathways:worklists")).content.decode()
    for section in ("sortie", "sans-etape", "sans-contact", "orientations", "fin-etape", "suivis"):
        body = everyone.split(f'id="t-{section}"')[1].split("</section>")[0]
        assert name in body, section
    theirs = client.get(reverse("pathways:worklists"), {"referent": referent.pk})
    assert "Listes calculées à l'affichage" in theirs.content.decode()
    client.force_login(referent)
    own = client.get(reverse("pathways:worklists")).content.decode()
    for page in (theirs.content.decode(), own):
        assert '<th scope="col">Référent(e)</th>' not in page
        assert "référent(e) : " not in page


def test_an_unknown_referent_is_said_and_not_carried_from_page_to_page(
    client, programme, referent, coordinator, monkeypatch
):
    from plie.pathways import worklist_views

    monkeypatch.setattr(worklist_views, "ROW_LIMIT", 2)
    for n in range(3):
        active_pathway(referent, entry_date=days_ago(100 + n))
    client.force_login(coordinator)
    url = reverse("pathways:worklist", args=["sans-etape"])
    for asked in ("99999", "abc", str(coordinator.pk)):
        page = client.get(url, {"referent": asked}).content.decode()
        assert "Ce référent n&#x27;existe pas" in page, asked
        assert "(3)" in page and "tous les référents" in page
        assert "referent=" not in page.split('aria-label="Pages de résultats"')[1]
    second = client.get(url, {"page": 2}).content.decode()
    assert "Page 2 sur 2 (lignes 3 à 3 sur 3)" in second


def test_the_no_step_list_says_since_when_in_words(client, programme, referent):
    never = active_pathway(referent, entry_date=days_ago(100))
    ended = active_pathway(referent, entry_date=days_ago(200))
    StepFactory(pathway=ended, start_date=days_ago(150), end_date=days_ago(90))
    client.force_login(referent)
    page = client.get(reverse("pathways:worklists")).content.decode()
    section = page.split('id="t-sans-etape"')[1].split("</section>")[0]
    assert f"aucune étape depuis l'entrée du {never.entry_date:%d/%m/%Y}" in section
    assert f"fin de la dernière étape le {days_ago(90):%d/%m/%Y}" in section
    planned = TODAY + datetime.timedelta(days=40)
    StepFactory(pathway=never, start_date=planned)
    page = client.get(reverse("pathways:worklists")).content.decode()
    assert f"une étape est prévue le {planned:%d/%m/%Y}" in page  # still listed, and said
