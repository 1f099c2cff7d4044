"""A meeting's items: a pending proposal moves to another planned meeting, a withdrawn one
stays (« Retirée », no longer pending), and a meeting is closed only from its day on."""

import datetime

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from plie.committee import services
from plie.committee.enums import CommitteeDecision, MeetingStatus
from plie.committee.models import CommitteeItem
from plie.core.plugins import history_of
from plie.participants.enums import (
    AppointmentOutcome,
    ExitReason,
    LabourMarketStatus,
    ParticipantStatus,
    PathwayStatus,
)
from plie.participants.services import plan_appointment, record_referral
from plie.pathways import entry
from tests.factories import MeetingFactory, ParticipantFactory, PrescriberFactory, active_pathway
from tests.forms import hidden_fields

TODAY = datetime.date(2026, 11, 23)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False):
        yield


def day(offset: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=offset)


EXIT_DATE = day(-3)


def exit_proposal(referent, meeting, *, exit_date=EXIT_DATE, reason=ExitReason.MOVED, detail=""):
    pathway = active_pathway(referent, entry_date=datetime.date(2025, 9, 4))
    return services.propose_exit(
        pathway=pathway,
        meeting=meeting,
        reason=reason,
        exit_date=exit_date,
        detail=detail,
        by=referent,
    )


REFERRED_ON = day(-10)


def entry_proposal(referent, meeting, *, referred_on=REFERRED_ON, note=""):
    referral = record_referral(
        participant=ParticipantFactory(),
        referent=referent,
        data={
            "prescriber": PrescriberFactory(),
            "referred_on": referred_on,
            "reason": "Orientée par sa conseillère",
        },
        by=referent,
    )
    appointment = plan_appointment(
        referral=referral,
        scheduled_for=timezone.now() - datetime.timedelta(days=2),
        with_user=referent,
    )
    pathway = entry.record_appointment_outcome(
        appointment=appointment, outcome=AppointmentOutcome.ATTENDED
    )
    pathway.wishes_to_commit = True
    pathway.labour_market_status = LabourMarketStatus.UNEMPLOYED
    pathway.save()
    entry.assess_eligibility(pathway=pathway, by=referent)
    return services.propose_entry(
        pathway=pathway, meeting=meeting, proposed_referent=referent, note=note, by=referent
    )


def move(client, item, meeting, hidden=None):
    """Move `item` to `meeting` as the page of its meeting does (or as `hidden`, a page kept
    open, does)."""
    url = reverse("committee:move", args=[item.meeting_id, item.pk])
    page = reverse("committee:meeting_detail", args=[item.meeting_id])
    hidden = hidden if hidden is not None else hidden_fields(client, page, url)
    return client.post(url, {**hidden, f"move{item.pk}-meeting": meeting.pk}, follow=True)


def page_of(client, meeting) -> str:
    return client.get(reverse("committee:meeting_detail", args=[meeting.pk])).content.decode()


# Moving an item to another meeting ---------------------------------------------------------


def test_a_project_officer_moves_a_pending_item_and_the_journal_keeps_the_move(
    client, referent, project_officer
):
    first, later = MeetingFactory(held_on=day(2)), MeetingFactory(held_on=day(16))
    item = exit_proposal(referent, first)
    client.force_login(project_officer)
    response = move(client, item, later)
    item.refresh_from_db()
    assert item.meeting == later
    assert f"dossier reporté à la Commission du {later.held_on:%d/%m/%Y}" in (
        response.content.decode()
    )
    entry = LogEntry.objects.get_for_object(item).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == project_officer
    assert entry.changes_dict["meeting"] == [str(first.pk), str(later.pk)]


def test_the_meeting_page_offers_the_upcoming_meetings_only(client, referent, coordinator):
    current = MeetingFactory(held_on=day(2))
    upcoming = MeetingFactory(held_on=day(9))
    past = MeetingFactory(held_on=day(-7), status=MeetingStatus.HELD)
    exit_proposal(referent, current)
    client.force_login(coordinator)
    page = page_of(client, current)
    assert "Reporter le dossier" in page
    assert f'<option value="{upcoming.pk}">' in page
    assert f'<option value="{past.pk}">' not in page
    assert f'<option value="{current.pk}">' not in page


@pytest.mark.parametrize("role", ["referent", "outsider", "assistant"])
def test_only_the_coordination_and_project_officers_move_an_item(client, request, referent, role):
    first, later = MeetingFactory(held_on=day(2)), MeetingFactory(held_on=day(16))
    item = exit_proposal(referent, first)
    client.force_login(request.getfixturevalue(role))
    response = client.post(
        reverse("committee:move", args=[first.pk, item.pk]), {f"move{item.pk}-meeting": later.pk}
    )
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.meeting == first


def test_an_item_cannot_move_to_a_meeting_already_held(referent):
    item = exit_proposal(referent, MeetingFactory(held_on=day(2)))
    held = MeetingFactory(held_on=day(-1), status=MeetingStatus.HELD)
    with pytest.raises(ValidationError, match="est déjà tenue : choisissez une commission à venir"):
        services.move_item(item=item, meeting=held)


def test_a_decided_item_stays_with_its_meeting(client, referent, project_officer):
    today = MeetingFactory(held_on=TODAY)
    item = exit_proposal(referent, today)
    later = MeetingFactory(held_on=day(14))
    client.force_login(project_officer)
    url = reverse("committee:move", args=[today.pk, item.pk])
    kept_open = hidden_fields(client, reverse("committee:meeting_detail", args=[today.pk]), url)
    services.decide(item=item, decision=CommitteeDecision.VALIDATED, by=project_officer)
    page = move(client, item, later, hidden=kept_open).content.decode()
    assert "La commission a déjà statué sur ce dossier (« Validée ») : changer de commission" in (
        page
    )
    item.refresh_from_db()
    assert item.meeting == today


def test_an_exit_cannot_move_to_a_meeting_before_its_date(referent):
    item = exit_proposal(referent, MeetingFactory(held_on=day(20)), exit_date=day(15))
    with pytest.raises(ValidationError, match="choisissez une commission à partir du 08/12/2026"):
        services.move_item(item=item, meeting=MeetingFactory(held_on=day(7)))
    services.move_item(item=item, meeting=MeetingFactory(held_on=day(15)))  # the same day is fine


def test_an_entry_cannot_move_before_the_referral(referent):
    item = entry_proposal(referent, MeetingFactory(held_on=day(2)), referred_on=day(-10))
    MeetingFactory(held_on=day(9))
    early = MeetingFactory(held_on=day(-11))  # left planned after its date
    with pytest.raises(ValidationError, match="ne peut pas précéder l'orientation du 13/11/2026"):
        services.move_item(item=item, meeting=early)


def test_moving_to_the_same_meeting_says_so(referent):
    item = exit_proposal(referent, MeetingFactory(held_on=day(2)))
    with pytest.raises(ValidationError, match="déjà à l'ordre du jour de la Commission du"):
        services.move_item(item=item, meeting=item.meeting)


# Closing a meeting -------------------------------------------------------------------------


def test_closing_is_offered_and_allowed_from_the_day_of_the_meeting(client, coordinator):
    tomorrow, today = MeetingFactory(held_on=day(1)), MeetingFactory(held_on=TODAY)
    client.force_login(coordinator)
    assert "Clôturer la commission" not in page_of(client, tomorrow)
    assert "se clôture à partir du jour de la séance (24/11/2026)" in page_of(client, tomorrow)
    assert "Clôturer la commission" in page_of(client, today)
    with pytest.raises(ValidationError, match="n'a pas encore eu lieu : clôturez-la le jour"):
        services.close_meeting(meeting=tomorrow)
    services.close_meeting(meeting=today)
    assert today.status == MeetingStatus.HELD


def test_closing_asks_to_confirm_first(client, coordinator):
    """Closing is final: the trial closed a meeting by one click it did not mean."""
    meeting = MeetingFactory(held_on=TODAY)
    client.force_login(coordinator)
    unconfirmed = client.post(reverse("committee:close", args=[meeting.pk]), follow=True)
    assert "Cochez « Je confirme la clôture »" in unconfirmed.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    client.post(reverse("committee:close", args=[meeting.pk]), {"confirm": "on"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD


def test_a_decision_with_a_reason_too_long_says_the_length_not_the_choice(
    client, referent, coordinator
):
    meeting = MeetingFactory(held_on=TODAY)
    item = exit_proposal(referent, meeting)
    client.force_login(coordinator)
    response = client.post(
        reverse("committee:decide", args=[meeting.pk, item.pk]),
        {f"item{item.pk}-decision": "deferred", f"item{item.pk}-reason": "x" * 1001},
        follow=True,
    )
    page = response.content.decode()
    assert "au plus 1000 caractères" in page and "choisissez-en une" not in page
    nothing = client.post(reverse("committee:decide", args=[meeting.pk, item.pk]), follow=True)
    assert "Décision : choisissez-en une." in nothing.content.decode()
    item.refresh_from_db()
    assert item.decision == CommitteeDecision.PENDING


def test_posting_the_close_form_before_the_day_is_refused_in_french(client, coordinator):
    tomorrow = MeetingFactory(held_on=day(1))
    client.force_login(coordinator)
    response = client.post(
        reverse("committee:close", args=[tomorrow.pk]), {"confirm": "on"}, follow=True
    )
    assert "n&#x27;a pas encore eu lieu" in response.content.decode()
    tomorrow.refresh_from_db()
    assert tomorrow.status == MeetingStatus.PLANNED


def test_a_meeting_is_closed_once(coordinator):
    meeting = MeetingFactory(held_on=day(-1))
    services.close_meeting(meeting=meeting)
    with pytest.raises(ValidationError, match="est déjà clôturée"):
        services.close_meeting(meeting=meeting)


# A withdrawn proposal stays ----------------------------------------------------------------


def test_a_withdrawn_exit_stays_marked_and_is_no_longer_pending(client, referent, project_officer):
    meeting = MeetingFactory(held_on=TODAY)
    item = exit_proposal(referent, meeting)
    client.force_login(referent)
    response = client.post(reverse("committee:withdraw", args=[meeting.pk, item.pk]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.decision == CommitteeDecision.WITHDRAWN
    assert item.decided_by == referent
    assert not CommitteeItem.objects.pending().exists()
    # Nothing left to decide: the meeting closes, and a new exit can be proposed.
    services.close_meeting(meeting=meeting)
    again = services.propose_exit(
        pathway=item.pathway,
        meeting=MeetingFactory(held_on=day(7)),
        reason=ExitReason.MOVED,
        exit_date=day(-3),
        by=referent,
    )
    assert again.decision == CommitteeDecision.PENDING
    entry = LogEntry.objects.get_for_object(item).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == referent
    assert entry.changes_dict["decision"] == ["pending", "withdrawn"]


def test_a_withdrawn_entry_goes_back_to_the_entry_file(referent):
    item = entry_proposal(referent, MeetingFactory(held_on=day(2)))
    services.withdraw_proposal(item=item, by=referent)
    item.pathway.refresh_from_db()
    assert item.pathway.status == PathwayStatus.DRAFT
    assert item.pathway.participant.status == ParticipantStatus.ENTRY_IN_PROGRESS
    assert CommitteeItem.objects.filter(pk=item.pk).exists()


def test_a_withdrawn_proposal_is_in_the_history_and_on_the_meeting_page(
    client, referent, coordinator
):
    meeting = MeetingFactory(held_on=day(2))
    item = exit_proposal(referent, meeting)
    services.withdraw_proposal(item=item, by=referent)
    events = history_of(item.pathway.participant, show_sensitive=True)
    titles = [event.title for event in events]
    assert titles.index("Proposition de sortie retirée") < titles.index(
        "Proposition de sortie en commission"
    )
    withdrawn = next(e for e in events if e.title == "Proposition de sortie retirée")
    assert withdrawn.detail == f"commission du 25/11/2026, retirée par {referent}"
    client.force_login(coordinator)
    page = page_of(client, meeting)
    assert "Ordre du jour (aucun dossier)" in page
    assert "Propositions retirées (1)" in page
    assert f"retirée le 23/11/2026 par {referent}" in page
    listed = client.get(reverse("committee:committee_list")).context["upcoming"]
    assert [(m.item_count, m.pending_count) for m in listed] == [(0, 0)]
    participant = client.get(reverse("web:participant", args=[item.pathway.participant.pk]))
    assert "Retirée</strong> (proposition retirée le 23/11/2026" in participant.content.decode()


def test_a_withdrawn_proposal_is_neither_decided_moved_nor_withdrawn_again(
    referent, project_officer
):
    item = exit_proposal(referent, MeetingFactory(held_on=TODAY))
    services.withdraw_proposal(item=item, by=referent)
    with pytest.raises(ValidationError, match="retirée de l'ordre du jour : une nouvelle décision"):
        services.decide(item=item, decision=CommitteeDecision.VALIDATED, by=project_officer)
    with pytest.raises(ValidationError, match="retirée de l'ordre du jour : changer de commission"):
        services.move_item(item=item, meeting=MeetingFactory(held_on=day(7)))
    with pytest.raises(ValidationError, match="déjà retirée"):
        services.withdraw_proposal(item=item, by=referent)


def test_withdrawn_is_not_a_decision_the_committee_takes(referent, project_officer):
    item = exit_proposal(referent, MeetingFactory(held_on=TODAY))
    with pytest.raises(ValidationError, match="Choisissez une décision"):
        services.decide(item=item, decision=CommitteeDecision.WITHDRAWN, by=project_officer)
