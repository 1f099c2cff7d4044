"""The committee when two people act at once: each request read its rows before the other
wrote (two copies of the same row, as two pages load them); the services lock and read again,
so that the second is refused in French and nothing is applied twice. A database constraint
keeps one pending proposal of each kind per pathway whatever path a row takes."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from plie.committee import services
from plie.committee.enums import CommitteeDecision, CommitteeItemKind, MeetingStatus
from plie.committee.models import CommitteeItem, CommitteeMeeting
from plie.participants.enums import ExitReason, PathwayStatus, ReferralStatus
from plie.pathways.models import Pathway
from plie.territory.models import Programme
from tests.concurrency import scenarios
from tests.concurrency.scenarios import days
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def copies(model, pk, count=2):
    """The same row as `count` requests loaded it, before any of them wrote."""
    return [model.objects.get(pk=pk) for _ in range(count)]


def test_two_opposite_decisions_on_one_item_are_applied_once(referent, project_officer):
    item = scenarios.entry_on_today_s_agenda(referent)
    first, second = copies(CommitteeItem, item.pk)
    services.decide(item=first, decision=CommitteeDecision.VALIDATED, by=project_officer)
    with pytest.raises(ValidationError, match=r"a déjà statué sur ce dossier \(« Validée »\)"):
        services.decide(
            item=second, decision=CommitteeDecision.REFUSED, reason="Doute", by=project_officer
        )
    item.refresh_from_db()
    pathway = Pathway.objects.get(pk=item.pathway_id)
    assert item.decision == CommitteeDecision.VALIDATED
    assert pathway.status == PathwayStatus.ACTIVE
    assert pathway.referral.status == ReferralStatus.CLOSED
    assert pathway.referral.outcome == "entered"


def test_two_exit_decisions_on_one_item_are_applied_once(referent, project_officer):
    pathway = scenarios.followed(referent)
    meeting = MeetingFactory(held_on=days(0))
    item = services.propose_exit(
        pathway=pathway, meeting=meeting, reason=ExitReason.MOVED, exit_date=days(0), by=referent
    )
    first, second = copies(CommitteeItem, item.pk)
    services.decide(item=first, decision=CommitteeDecision.DEFERRED, reason="À revoir", by=referent)
    with pytest.raises(ValidationError, match=r"« Ajournée »"):
        services.decide(item=second, decision=CommitteeDecision.VALIDATED, by=project_officer)
    pathway.refresh_from_db()
    assert (pathway.status, pathway.exit_date) == (PathwayStatus.ACTIVE, None)


def test_two_entry_proposals_for_one_pathway_make_one_item(referent, coordinator):
    pathway = scenarios.entry_file(referent)
    meeting = MeetingFactory()
    first, second = copies(Pathway, pathway.pk)
    services.propose_entry(pathway=first, meeting=meeting, proposed_referent=referent, by=referent)
    with pytest.raises(ValidationError, match="Cette entrée est déjà proposée à la Commission du"):
        services.propose_entry(
            pathway=second, meeting=meeting, proposed_referent=referent, by=coordinator
        )
    assert CommitteeItem.objects.filter(pathway=pathway).count() == 1


def test_two_exit_proposals_for_one_pathway_make_one_item(referent, coordinator):
    pathway = scenarios.followed(referent)
    meeting = MeetingFactory()
    first, second = copies(Pathway, pathway.pk)
    exit = {"meeting": meeting, "reason": ExitReason.MOVED, "exit_date": days(0)}
    services.propose_exit(pathway=first, by=referent, **exit)
    with pytest.raises(ValidationError, match="Une sortie est déjà proposée pour ce parcours"):
        services.propose_exit(pathway=second, by=coordinator, **exit)
    assert CommitteeItem.objects.filter(pathway=pathway).count() == 1


def test_the_database_keeps_one_pending_item_per_pathway_and_kind(referent):
    item = scenarios.entry_on_today_s_agenda(referent)
    twin = {
        "meeting": item.meeting,
        "pathway": item.pathway,
        "kind": CommitteeItemKind.ENTRY,
        "proposed_by": referent,
        "proposed_referent": referent,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeItem.objects.create(**twin)
    # A proposal decided (or withdrawn) no longer counts: the pathway may be proposed again.
    CommitteeItem.objects.filter(pk=item.pk).update(decision=CommitteeDecision.DEFERRED)
    CommitteeItem.objects.create(**twin)
    CommitteeItem.objects.create(**{**twin, "kind": CommitteeItemKind.EXIT})


def test_a_proposal_to_a_meeting_closed_meanwhile_is_refused(referent):
    pathway = scenarios.entry_file(referent)
    meeting = MeetingFactory(held_on=days(0))
    page_copy = CommitteeMeeting.objects.get(pk=meeting.pk)  # the proposal form's choice
    services.close_meeting(meeting=meeting)
    with pytest.raises(ValidationError, match="Cette commission est déjà tenue"):
        services.propose_entry(
            pathway=pathway, meeting=page_copy, proposed_referent=referent, by=referent
        )
    assert not CommitteeItem.objects.exists()


def test_a_meeting_is_not_closed_over_a_proposal_made_meanwhile(referent, coordinator):
    meeting = MeetingFactory(held_on=days(0))
    page_copy = CommitteeMeeting.objects.get(pk=meeting.pk)
    services.propose_entry(
        pathway=scenarios.entry_file(referent),
        meeting=meeting,
        proposed_referent=referent,
        by=referent,
    )
    with pytest.raises(ValidationError, match="Il reste 1 dossier sans décision"):
        services.close_meeting(meeting=page_copy)
    assert CommitteeMeeting.objects.get(pk=meeting.pk).status == MeetingStatus.PLANNED


def test_a_proposal_withdrawn_twice_is_withdrawn_once(referent, coordinator):
    item = scenarios.entry_on_today_s_agenda(referent)
    first, second = copies(CommitteeItem, item.pk)
    services.withdraw_proposal(item=first, by=referent)
    with pytest.raises(ValidationError, match="déjà retirée"):
        services.withdraw_proposal(item=second, by=coordinator)
    item.refresh_from_db()
    assert item.decided_by == referent


def test_a_decision_on_a_proposal_withdrawn_meanwhile_is_refused(referent, project_officer):
    item = scenarios.entry_on_today_s_agenda(referent)
    first, second = copies(CommitteeItem, item.pk)
    services.withdraw_proposal(item=first, by=referent)
    with pytest.raises(ValidationError, match="retirée de l'ordre du jour"):
        services.decide(item=second, decision=CommitteeDecision.VALIDATED, by=project_officer)
    assert Pathway.objects.get(pk=item.pathway_id).status == PathwayStatus.DRAFT


def test_one_meeting_a_day_even_when_two_are_scheduled_at_once(coordinator):
    programme = Programme.current()
    services.schedule_meeting(programme=programme, held_on=days(7))
    # The second form was checked before the first meeting existed; the service checks again.
    with pytest.raises(ValidationError, match="Une commission est déjà programmée le"):
        services.schedule_meeting(programme=programme, held_on=days(7))
    assert CommitteeMeeting.objects.filter(held_on=days(7)).count() == 1
