"""Two people at the same moment, for real: two threads, each with its own connection to
PostgreSQL, wait at a barrier and then send their form together. One of two editors of the
same record is refused (no lost update), one of two committee decisions is applied (no
double decision), two proposals make one agenda item, a double click creates once, and two
people recorded together get two file numbers.

The forms are the real pages' (their hidden fields read first, as each person's browser
did); what the test asserts is the state of the database once both threads are done, never
how long anything took. SQLite runs one writing transaction at a time, so a race cannot
happen there: these tests run on PostgreSQL (`DATABASE_URL`, as CI's second run) and are
skipped on SQLite, where test_stale_pages.py, test_sent_twice.py and test_committee.py check
the same refusals one request after the other.
"""

import datetime
import threading
from collections.abc import Callable

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from plie.committee.enums import CommitteeDecision, MeetingStatus
from plie.committee.models import CommitteeItem
from plie.participants.enums import AppointmentOutcome, ReferralStatus
from plie.participants.models import Participant
from plie.pathways.models import Contact, FollowUp, ReferentChange, Step
from plie.territory.models import Commune
from tests.concurrency import scenarios
from tests.concurrency.scenarios import days, participant_page, url
from tests.factories import MeetingFactory, ParticipantFactory, PrescriberFactory, UserFactory
from tests.forms import hidden_fields

ON_SQLITE = (
    "deux transactions simultanées demandent PostgreSQL (SQLite n'écrit qu'une transaction à "
    "la fois) : lancez avec DATABASE_URL=postgres://…"
)
pytestmark = [
    pytest.mark.concurrency,
    # Read when the test starts, before its database is set up: nothing to flush on SQLite.
    pytest.mark.skipif("connections['default'].vendor != 'postgresql'", reason=ON_SQLITE),
    pytest.mark.django_db(transaction=True),
]

STALE = "Quelqu&#x27;un a enregistré cette fiche pendant que vous la modifiiez"
WAIT = 60  # seconds a thread waits for the other at the barrier before giving up


def race(*sendings: Callable[[], object]) -> list:
    """Each sending in its own thread and connection, all released together at a barrier;
    their results (or what they raised), once every thread is done."""
    barrier = threading.Barrier(len(sendings), timeout=WAIT)
    results: list = [None] * len(sendings)

    def run(index: int, send: Callable[[], object]) -> None:
        try:
            barrier.wait()
            results[index] = send()
        except BaseException as error:  # reported by the test, not lost in the thread
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(sendings)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results


class Person:
    """Someone at their own computer: logged in, a page opened, a form sent."""

    def __init__(self, user):
        self.client = Client()
        self.client.force_login(user)

    def opens(self, page: str, action: str = "") -> dict:
        return hidden_fields(self.client, page, action)

    def sends(self, action: str, hidden: dict, data: dict, follow: bool = False):
        return lambda: self.client.post(action, {**hidden, **data}, follow=follow)


def saved_and_refused(responses, refusal: str = STALE) -> tuple:
    """Which response saved (a redirect) and which was refused (the form again, saying why)."""
    saved = [r for r in responses if r.status_code == 302]
    refused = [r for r in responses if r.status_code in (200, 400)]
    assert len(saved) == 1 and len(refused) == 1, [r.status_code for r in responses]
    assert refusal in refused[0].content.decode()
    return responses.index(saved[0]), responses.index(refused[0])


# Records edited through a form: one of two editors is refused ---------------------------


def test_two_saves_of_one_identity(referent, coordinator):
    participant = ParticipantFactory(referent=referent, phone="", email="")
    page = reverse("participants:edit", args=[participant.pk])
    people = [Person(referent), Person(coordinator)]
    pages = [person.opens(page) for person in people]
    base = {
        "last_name": participant.last_name,
        "first_name": participant.first_name,
        "sex": participant.sex,
        "birth_date": participant.birth_date.isoformat(),
        "commune": participant.commune_id,
        "right_to_work": "true",
    }
    changes = [{"phone": "0611223344"}, {"email": "lea@exemple.fr"}]
    responses = race(
        *(p.sends(page, h, {**base, **c}) for p, h, c in zip(people, pages, changes, strict=True))
    )
    won, _ = saved_and_refused(responses)
    participant.refresh_from_db()
    assert (participant.phone, participant.email) == (
        ("0611223344", "") if won == 0 else ("", "lea@exemple.fr")
    )


def test_two_saves_of_one_entry_file(referent, coordinator):
    pathway = scenarios.entry_file(referent)
    page = url("pathways:entry_file", pathway)
    people = [Person(referent), Person(coordinator)]
    pages = [person.opens(page) for person in people]
    base = {"wishes_to_commit": "true", "labour_market_status": "unemployed"}
    diplomas = ["CAP cuisine", "Bac pro"]
    responses = race(
        *(
            p.sends(page, h, {**base, "highest_diploma": d})
            for p, h, d in zip(people, pages, diplomas, strict=True)
        )
    )
    won, _ = saved_and_refused(responses)
    pathway.refresh_from_db()
    assert pathway.highest_diploma == diplomas[won]


def test_two_saves_of_one_step(referent, coordinator):
    pathway = scenarios.followed(referent)
    step = Step.objects.get(pathway=pathway)
    page = url("pathways:step_edit", pathway, step.pk)
    people = [Person(referent), Person(coordinator)]
    pages = [person.opens(page) for person in people]
    base = {
        "step_type": step.step_type_id,
        "start_date": step.start_date.isoformat(),
        "outcome": step.outcome,
    }
    names = ["Jardins de Cocagne (Quetigny)", "Recyclerie de Chenôve"]
    responses = race(
        *(
            p.sends(page, h, {**base, "organisation_name": n})
            for p, h, n in zip(people, pages, names, strict=True)
        )
    )
    won, _ = saved_and_refused(responses)
    step.refresh_from_db()
    assert step.organisation_name == names[won]


def test_two_saves_of_one_contact(referent, coordinator):
    pathway = scenarios.followed(referent)
    contact = Contact.objects.get(pathway=pathway)
    page = url("pathways:contact_edit", pathway, contact.pk)
    people = [Person(referent), Person(coordinator)]
    pages = [person.opens(page) for person in people]
    base = {"contacted_on": contact.contacted_on.isoformat(), "mode": contact.mode}
    summaries = ["Point sur le CV", "Prépare un entretien"]
    responses = race(
        *(
            p.sends(page, h, {**base, "summary": s})
            for p, h, s in zip(people, pages, summaries, strict=True)
        )
    )
    won, _ = saved_and_refused(responses)
    contact.refresh_from_db()
    assert contact.summary == summaries[won]


def test_two_saves_of_one_follow_up(referent, coordinator):
    pathway = scenarios.exited_into_a_job(referent)
    page = url("pathways:follow_up", pathway)
    people = [Person(referent), Person(coordinator)]
    pages = [person.opens(page) for person in people]
    notes = ["CDI confirmé", "Fin de contrat en mars"]
    done = {"done_on": days(-1).isoformat(), "situation": "same_job"}
    responses = race(
        *(
            p.sends(page, h, {**done, "note": n})
            for p, h, n in zip(people, pages, notes, strict=True)
        )
    )
    won, _ = saved_and_refused(responses)
    assert FollowUp.objects.get(pathway=pathway).note == notes[won]


def test_two_transfers_of_one_pathway(referent, coordinator, project_officer):
    pathway = scenarios.followed(referent)
    newcomers = [UserFactory(username="premier"), UserFactory(username="seconde")]
    page = url("pathways:transfer", pathway)
    people = [Person(coordinator), Person(project_officer)]
    pages = [person.opens(page) for person in people]
    responses = race(
        *(
            p.sends(page, h, {"new_referent": n.pk, "reason": "Rééquilibrage"})
            for p, h, n in zip(people, pages, newcomers, strict=True)
        )
    )
    won, _ = saved_and_refused(responses)
    pathway.refresh_from_db()
    assert pathway.referent == newcomers[won]
    assert ReferentChange.objects.filter(pathway=pathway).count() == 1


def test_a_referral_closed_while_its_appointment_is_planned(referent, coordinator):
    referral = scenarios.awaiting_appointment(referent)
    participant = referral.participant
    page = participant_page(participant)
    close = reverse("pathways:referral_close", args=[participant.pk])
    plan = reverse("participants:appointment_plan", args=[participant.pk])
    closing, planning = Person(referent), Person(coordinator)
    moment = timezone.localtime() + datetime.timedelta(days=2)
    responses = race(
        closing.sends(
            close,
            closing.opens(page, close),
            {"close-outcome": "unreachable", "close-closed_on": days(0).isoformat()},
        ),
        planning.sends(
            plan, planning.opens(page, plan), {"scheduled_for": moment.strftime("%Y-%m-%dT%H:%M")}
        ),
    )
    referral.refresh_from_db()
    if responses[0].status_code == 302:  # closed first: the appointment is refused
        assert referral.status == ReferralStatus.CLOSED
        assert responses[1].status_code == 400
        assert "Cette orientation est close" in responses[1].content.decode()
        assert not referral.appointments.exists()
    else:  # planned first: the closing form, based on the page before, is refused
        assert responses[1].status_code == 302
        assert STALE in responses[0].content.decode()
        assert referral.status == ReferralStatus.APPOINTMENT_PLANNED
        assert referral.appointments.count() == 1


def test_two_outcomes_of_one_appointment(referent, coordinator):
    appointment = scenarios.appointment_held(referent)
    participant = appointment.referral.participant
    page = participant_page(participant)
    action = reverse("pathways:appointment_outcome", args=[participant.pk, appointment.pk])
    people = [Person(referent), Person(coordinator)]
    outcomes = [AppointmentOutcome.ATTENDED, AppointmentOutcome.NO_SHOW]
    pages = [person.opens(page, action) for person in people]
    responses = race(
        *(
            p.sends(action, h, {"outcome": o}, follow=True)
            for p, h, o in zip(people, pages, outcomes, strict=True)
        )
    )
    told = "L&#x27;issue de ce rendez-vous est déjà enregistrée"
    assert sum(told in r.content.decode() for r in responses) == 1
    appointment.refresh_from_db()
    referral = appointment.referral
    referral.refresh_from_db()
    assert appointment.outcome in outcomes
    if appointment.outcome == AppointmentOutcome.ATTENDED:
        assert referral.status == ReferralStatus.MET and referral.pathway is not None
    else:
        assert referral.status == ReferralStatus.OUTREACH and not hasattr(referral, "pathway")


# The committee: one decision, one agenda item --------------------------------------------


def test_two_opposite_decisions_at_the_same_moment(referent, coordinator, project_officer):
    item = scenarios.entry_on_today_s_agenda(referent)
    page = reverse("committee:meeting_detail", args=[item.meeting_id])
    action = reverse("committee:decide", args=[item.meeting_id, item.pk])
    people = [Person(coordinator), Person(project_officer)]
    decisions = [
        {f"item{item.pk}-decision": "validated"},
        {f"item{item.pk}-decision": "refused", f"item{item.pk}-reason": "Non éligible"},
    ]
    pages = [person.opens(page, action) for person in people]
    responses = race(
        *(
            p.sends(action, h, d, follow=True)
            for p, h, d in zip(people, pages, decisions, strict=True)
        )
    )
    told = [
        r for r in responses if "La commission a déjà statué sur ce dossier" in r.content.decode()
    ]
    assert len(told) == 1
    item.refresh_from_db()
    pathway = item.pathway
    pathway.refresh_from_db()
    assert item.decision in (CommitteeDecision.VALIDATED, CommitteeDecision.REFUSED)
    assert pathway.status == ("active" if item.decision == "validated" else "refused")


def test_two_entry_proposals_at_the_same_moment(referent, coordinator):
    pathway = scenarios.entry_file(referent)
    meeting = MeetingFactory()
    page = reverse("committee:propose_entry", args=[pathway.participant.pk, pathway.number])
    people = [Person(referent), Person(coordinator)]
    pages = [person.opens(page) for person in people]
    data = {"meeting": meeting.pk, "proposed_referent": referent.pk}
    race(*(p.sends(page, h, data) for p, h in zip(people, pages, strict=True)))
    assert CommitteeItem.objects.filter(pathway=pathway).count() == 1


def test_two_exit_proposals_at_the_same_moment(referent, coordinator):
    pathway = scenarios.followed(referent)
    meeting = MeetingFactory()
    page = url("committee:propose_exit", pathway)
    people = [Person(referent), Person(coordinator)]
    pages = [person.opens(page) for person in people]
    data = {"meeting": meeting.pk, "reason": "moved", "exit_date": days(0).isoformat()}
    race(*(p.sends(page, h, data) for p, h in zip(people, pages, strict=True)))
    assert CommitteeItem.objects.filter(pathway=pathway).count() == 1


def test_a_meeting_closed_while_a_proposal_is_sent(referent, coordinator):
    pathway = scenarios.entry_file(referent)
    meeting = MeetingFactory(held_on=days(0))
    proposing, closing = Person(referent), Person(coordinator)
    propose = reverse("committee:propose_entry", args=[pathway.participant.pk, pathway.number])
    close = reverse("committee:close", args=[meeting.pk])
    race(
        proposing.sends(
            propose,
            proposing.opens(propose),
            {"meeting": meeting.pk, "proposed_referent": referent.pk},
        ),
        closing.sends(close, {}, {}),
    )
    meeting.refresh_from_db()
    pending = meeting.items.pending().count()
    # Either the proposal came first and the meeting stays open with it, or the meeting closed
    # first and the proposal was refused: never a closed meeting with a pending item.
    assert (meeting.status, pending) in ((MeetingStatus.PLANNED, 1), (MeetingStatus.HELD, 0))


# Creating forms: a double click creates once, two people get two file numbers ------------


def test_a_double_click_on_a_new_contact(referent):
    pathway = scenarios.followed(referent)
    page = url("pathways:contact_add", pathway)
    hidden = Person(referent).opens(page)
    data = {"contacted_on": days(0).isoformat(), "mode": "individual", "summary": "Point CV"}
    # The two requests of one double click: the same drawing of the form, sent twice at once.
    clicks = [Person(referent), Person(referent)]
    responses = race(*(click.sends(page, hidden, data) for click in clicks))
    assert [r.status_code for r in responses] == [302, 302]
    assert Contact.objects.filter(summary="Point CV").count() == 1


def test_two_people_recorded_at_once_get_two_file_numbers(referent, coordinator):
    page = reverse("participants:referral_create")
    people = [Person(referent), Person(coordinator)]
    pages = [person.opens(page) for person in people]
    prescriber = PrescriberFactory()
    commune = Commune.objects.get(insee_code="21231")

    def person(last_name: str) -> dict:
        return {
            "person-last_name": last_name,
            "person-first_name": "Léa",
            "person-sex": "F",
            "person-birth_date": "1990-03-04",
            "person-commune": commune.pk,
            "referral-prescriber": prescriber.pk,
            "referral-referent": referent.pk,
            "referral-referred_on": days(0).isoformat(),
            "referral-reason": "Souhaite retrouver un emploi",
        }

    responses = race(
        *(
            p.sends(page, h, person(name))
            for p, h, name in zip(people, pages, ["Durand", "Martin"], strict=True)
        )
    )
    assert [r.status_code for r in responses] == [302, 302]
    numbers = set(Participant.objects.values_list("file_number", flat=True))
    assert len(numbers) == 2
