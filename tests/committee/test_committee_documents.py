"""The committee's printable documents: the agenda before the meeting, the minutes after,
as PDF with the FSE+ statement; only what each reader may read, and the journal keeps who
took them."""

import datetime
import io

import pytest
import time_machine
from auditlog.models import LogEntry
from django.urls import reverse
from pypdf import PdfReader

from plie.committee import services
from plie.committee.enums import CommitteeDecision
from plie.participants.enums import ExitReason
from tests.committee.test_meeting_items import TODAY, entry_proposal, exit_proposal
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(datetime.datetime(2026, 11, 23, 10, 0), tick=False):
        yield


@pytest.fixture
def meeting(coordinator):
    return MeetingFactory(held_on=TODAY, place="Salle du conseil", chaired_by=coordinator)


@pytest.fixture
def agenda(meeting, referent):
    entering = entry_proposal(referent, meeting, note="Sortie d'hospitalisation, RQTH en cours")
    leaving = exit_proposal(
        referent, meeting, reason=ExitReason.OTHER, detail="Incarcération depuis le 20/11"
    )
    withdrawn = exit_proposal(referent, meeting)
    services.withdraw_proposal(item=withdrawn, by=referent)
    return entering, leaving, withdrawn


def text_of(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    for number, page in enumerate(pages, start=1):
        assert "Cofinancé par l'Union européenne — Fonds social européen plus (FSE+)" in page
        assert f"Page {number} sur {len(pages)}" in page
    return " ".join(" ".join(pages).split())


def download(client, user, meeting, name="agenda_pdf"):
    client.force_login(user)
    return client.get(reverse(f"committee:{name}", args=[meeting.pk]))


def decide_and_close(meeting, entering, leaving, project_officer):
    services.decide(item=entering, decision=CommitteeDecision.VALIDATED, by=project_officer)
    services.decide(
        item=leaving,
        decision=CommitteeDecision.DEFERRED,
        reason="Attendre le jugement",
        by=project_officer,
    )
    services.close_meeting(meeting=meeting)


def test_the_agenda_lists_each_item_with_its_person_referent_kind_and_note(
    client, meeting, agenda, coordinator, referent
):
    entering, leaving, withdrawn = agenda
    response = download(client, coordinator, meeting)
    assert response["Content-Disposition"] == (
        'attachment; filename="ordre-du-jour-2026-11-23.pdf"'
    )
    text = text_of(response)
    assert "Commission du 23/11/2026 — ordre du jour" in text
    assert "Séance du lundi 23 novembre 2026 · Salle du conseil · présidée par" in text
    assert "PLIE de Dijon Métropole : action cofinancée par l'Union européenne" in text
    assert "2 dossiers à examiner" in text
    first, second = entering.pathway.participant, leaving.pathway.participant
    assert f"1. Entrée — {first} ({first.file_number})" in text
    assert f"référent(e) proposé(e) : {referent}" in text
    assert "Argumentaire : Sortie d'hospitalisation, RQTH en cours" in text
    assert f"2. Sortie — {second} ({second.file_number})" in text
    assert "Sortie au 20/11/2026 : Autre motif" in text
    assert "Incarcération depuis le 20/11" in text
    assert "Propositions retirées de l'ordre du jour" in text
    assert f"{withdrawn.pathway.participant} ({withdrawn.pathway.participant.file_number})" in text


def test_the_assistant_reads_no_sensitive_text_in_the_agenda(client, meeting, agenda, assistant):
    entering, leaving, _ = agenda
    text = text_of(download(client, assistant, meeting))
    assert str(entering.pathway.participant) in text and str(leaving.pathway.participant) in text
    assert "hospitalisation" not in text and "RQTH" not in text
    assert "Incarcération" not in text and "Autre motif" not in text
    assert "Sortie non positive (motif non détaillé)" in text
    assert "ne figurent que pour les personnes habilitées aux données sensibles" in text


def test_the_minutes_give_each_decision_its_reason_and_who_decided(
    client, meeting, agenda, coordinator, project_officer, referent
):
    entering, leaving, _ = agenda
    decide_and_close(meeting, entering, leaving, project_officer)
    response = download(client, coordinator, meeting, "minutes_pdf")
    assert response["Content-Disposition"] == (
        'attachment; filename="compte-rendu-commission-2026-11-23.pdf"'
    )
    text = text_of(response)
    assert "Commission du 23/11/2026 — compte rendu" in text
    assert "2 dossiers examinés" in text
    assert (
        f"Décision : validée — entrée le 23/11/2026, référent(e) : {referent}. "
        f"Décision enregistrée par {project_officer} le 23/11/2026." in text
    )
    assert "Décision : ajournée. Motif : Attendre le jugement" in text
    assert "Propositions retirées de l'ordre du jour" in text


def test_the_minutes_keep_the_reasons_from_the_assistant(
    client, meeting, agenda, assistant, project_officer
):
    entering, leaving, _ = agenda
    decide_and_close(meeting, entering, leaving, project_officer)
    text = text_of(download(client, assistant, meeting, "minutes_pdf"))
    assert "Décision : ajournée." in text
    assert "Attendre le jugement" not in text


def test_the_minutes_wait_for_the_meeting_to_be_closed(client, meeting, agenda, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("committee:meeting_detail", args=[meeting.pk])).content.decode()
    assert "Ordre du jour (PDF)" in page and "Compte rendu (PDF)" not in page
    response = client.get(reverse("committee:minutes_pdf", args=[meeting.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("committee:meeting_detail", args=[meeting.pk])
    assert "Le compte rendu s&#x27;édite une fois la commission clôturée" in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 200),
        ("project_officer", 200),
        ("assistant", 200),
        ("referent", 403),
        ("outsider", 403),
        ("provider", 403),
        ("steering_viewer", 403),
    ],
)
def test_who_downloads_the_committee_documents(
    client, request, meeting, agenda, project_officer, role, status
):
    entering, leaving, _ = agenda
    user = request.getfixturevalue(role)
    assert download(client, user, meeting).status_code == status
    decide_and_close(meeting, entering, leaving, project_officer)
    assert download(client, user, meeting, "minutes_pdf").status_code == status


def test_each_download_is_journaled(client, meeting, agenda, assistant, project_officer):
    entering, leaving, withdrawn = agenda
    download(client, assistant, meeting)
    decide_and_close(meeting, entering, leaving, project_officer)
    download(client, assistant, meeting, "minutes_pdf")
    entries = LogEntry.objects.get_for_object(meeting).filter(action=LogEntry.Action.ACCESS)
    assert [
        (e.actor, e.additional_data["document"], e.additional_data["dossiers"])
        for e in entries.order_by("pk")
    ] == [(assistant, "ordre du jour", 2), (assistant, "compte rendu", 3)]
    # Each names the people it shows, the withdrawn proposal's too.
    people = {item.pathway.participant_id for item in (entering, leaving, withdrawn)}
    assert [set(e.additional_data["participant_ids"]) for e in entries] == [people, people]
