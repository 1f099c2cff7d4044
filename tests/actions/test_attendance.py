"""Attendance end to end (issue 12, §3): the provider records a session's presences in one
form, prints the attendance sheet (one A4 page for twelve people), uploads the signed scan;
the statement of days delivered follows, is handed in as the final instalment's deliverable
and, once the team accepts it, releases the instalment. Another provider reaches none of it."""

import datetime
import io
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader
from weasyprint import HTML

from plie.accounts.enums import Role
from plie.actions import attendance, statement
from plie.actions.enums import Presence, ReferralStatus, SessionKind, SessionStatus
from plie.actions.models import Attendance, Session
from plie.agreements import services as agreement_services
from plie.agreements.enums import CheckOutcome, DeliverableKind, InstalmentState
from plie.core.pdf import DOCUMENT_BASE_URL, StaticFilesOnly
from tests.factories import (
    ProviderFactory,
    UserFactory,
    active_pathway,
    make_action,
    make_agreement,
    make_cohort,
    pdf_upload,
    refer,
)

pytestmark = pytest.mark.django_db


class World:
    pass


@pytest.fixture
def world(territory):
    w = World()
    w.team = UserFactory(username="coordinatrice", role=Role.COORDINATOR)
    organisation = ProviderFactory()
    w.provider = UserFactory(
        username="prestataire.a", role=Role.PROVIDER, organisation=organisation
    )
    w.other_provider = UserFactory(
        username="prestataire.b", role=Role.PROVIDER, organisation=ProviderFactory()
    )
    w.referent = UserFactory(username="referente", role=Role.REFERENT)
    w.agreement = make_agreement(organisation, by=w.team, signed=True)
    w.action = make_action(w.agreement)
    w.cohort = make_cohort(w.action)  # three weeks from 30 days ago: all past
    w.sessions = list(w.cohort.sessions.order_by("date"))
    w.referrals = [
        refer(
            active_pathway(
                w.referent, entry_date=timezone.localdate(), last_name=name, first_name="Alex"
            ).participant,
            w.cohort,
            status=ReferralStatus.ACCEPTED,
        )
        for name in ("Abadie", "Bernard", "Chevalier")
    ]
    return w


def page(session):
    return reverse("actions:session_attendance", args=[session.pk])


def post_presences(client, session, referrals, presences):
    data = {f"p{r.pk}": p for r, p in zip(referrals, presences, strict=True)}
    return client.post(page(session), data)


# The attendance page ----------------------------------------------------------------------


def test_the_provider_reads_the_names_the_sharing_allows_and_the_read_is_journaled(client, world):
    client.force_login(world.provider)
    response = client.get(page(world.sessions[0]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "ABADIE Alex" in text and "CHEVALIER Alex" in text
    assert 'type="radio"' in text
    entry = LogEntry.objects.filter(actor=world.provider).latest("pk")
    assert sorted(entry.additional_data["participant_ids"]) == sorted(
        r.participant_id for r in world.referrals
    )
    assert entry.object_repr.startswith("Présences")


def test_one_post_saves_every_presence_and_a_second_corrects_them(client, world):
    client.force_login(world.provider)
    session = world.sessions[0]
    response = post_presences(client, session, world.referrals, ["present", "absent", "excused"])
    assert response.status_code == 302
    marks = dict(Attendance.objects.values_list("referral__participant__last_name", "presence"))
    assert marks == {"Abadie": "present", "Bernard": "absent", "Chevalier": "excused"}
    post_presences(client, session, world.referrals[1:2], ["present"])
    assert Attendance.objects.get(referral=world.referrals[1]).presence == Presence.PRESENT
    assert Attendance.objects.get(referral=world.referrals[0]).presence == Presence.PRESENT
    assert Attendance.objects.get(referral=world.referrals[0]).recorded_by == world.provider


def test_a_wrong_value_saves_nothing_and_says_what_to_do(client, world):
    client.force_login(world.provider)
    response = post_presences(
        client, world.sessions[0], world.referrals, ["present", "peut-être", "absent"]
    )
    assert response.status_code == 400
    assert not Attendance.objects.exists()
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_the_service_saves_all_or_nothing(world):
    session = world.sessions[0]
    with pytest.raises(Exception, match="pas attendue"):
        attendance.record_attendance(
            session=session,
            presences={world.referrals[0].pk: Presence.PRESENT, 999999: Presence.PRESENT},
            by=world.provider,
        )
    assert not Attendance.objects.exists()


def test_only_the_people_holding_a_place_are_expected(world):
    session = world.sessions[3]
    gone = world.referrals[0]
    gone.status, gone.ended_on, gone.drop_out_reason = (
        ReferralStatus.DROPPED_OUT,
        session.date - datetime.timedelta(days=1),
        "job",
    )
    gone.save()
    world.referrals[1].status, world.referrals[1].decline_reason = (
        ReferralStatus.DECLINED,
        "Complet",
    )
    world.referrals[1].save()
    assert [r.pk for r in attendance.expected(session, for_provider=True)] == [
        world.referrals[2].pk
    ]
    earlier = world.sessions[0]
    assert gone.pk in [r.pk for r in attendance.expected(earlier, for_provider=True)]


def test_an_individual_interview_expects_its_one_person(world):
    interview = Session.objects.create(
        cohort=world.cohort,
        date=world.sessions[0].date,
        half_day="afternoon",
        kind=SessionKind.INDIVIDUAL,
        referral=world.referrals[1],
        hours=Decimal(1),
    )
    assert [r.pk for r in attendance.expected(interview, for_provider=False)] == [
        world.referrals[1].pk
    ]


def test_a_future_session_prints_its_sheet_but_takes_no_presence(client, world):
    future = Session.objects.create(
        cohort=world.cohort,
        date=timezone.localdate() + datetime.timedelta(days=3),
        half_day="morning",
        hours=Decimal("3.5"),
    )
    client.force_login(world.provider)
    text = client.get(page(future)).content.decode()
    assert "pas encore eu lieu" in text and 'type="radio"' not in text
    response = post_presences(client, future, world.referrals[:1], ["present"])
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_a_cancelled_session_takes_no_presence(client, world):
    session = world.sessions[1]
    session.status, session.cancellation_reason = SessionStatus.CANCELLED, "Intervenant malade"
    session.save()
    client.force_login(world.provider)
    assert "Séance annulée" in client.get(page(session)).content.decode()
    assert post_presences(client, session, world.referrals[:1], ["present"]).status_code == 400
    assert not Attendance.objects.exists()


# The attendance sheet ---------------------------------------------------------------------


def sheet_document(session, rows):
    html = render_to_string(
        "actions/attendance_sheet_pdf.html",
        {
            "session": session,
            "action": session.cohort.action,
            "rows": rows,
            "programme": session.cohort.action.programme,
            "issued_on": timezone.localdate(),
        },
    )
    return HTML(string=html, base_url=DOCUMENT_BASE_URL, url_fetcher=StaticFilesOnly()).render()


def test_the_sheet_of_twelve_people_fits_one_a4_page(client, world):
    for n in range(9):
        refer(
            active_pathway(
                world.referent,
                entry_date=timezone.localdate(),
                last_name=f"Participant-au-nom-assez-long-{n}",
                first_name="Marie-Christine",
            ).participant,
            world.cohort,
            status=ReferralStatus.ACCEPTED,
        )
    session = world.sessions[0]
    session.intervener, session.topic = "Claire Dupont-Martin", "Se présenter à un employeur"
    session.save()
    rows = attendance.rows(session, for_provider=True)
    assert len(rows) == 12
    document = sheet_document(session, rows)
    assert len(document.pages) == 1
    width, height = document.pages[0].width, document.pages[0].height
    assert (round(width * 25.4 / 96), round(height * 25.4 / 96)) == (210, 297)  # A4, in mm

    client.force_login(world.provider)
    response = client.get(reverse("actions:attendance_sheet", args=[session.pk]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for expected in (
        "Feuille d'émargement",
        "Remobilisation vers l'emploi",
        "Claire Dupont-Martin",
        "Cofinancé par l'Union européenne",
        "Fonds social européen plus",
        "PARTICIPANT-AU-NOM-ASSEZ-LONG-8",
        "Matin",
    ):
        assert expected.lower() in text.lower().replace("\n", " "), expected
    entry = LogEntry.objects.filter(actor=world.provider).latest("pk")
    assert entry.additional_data["document"].startswith("Feuille d'émargement")
    assert len(entry.additional_data["participant_ids"]) == 12


# The signed scan --------------------------------------------------------------------------


def test_the_signed_scan_is_uploaded_then_downloaded_through_the_journal(client, world):
    session = world.sessions[0]
    client.force_login(world.provider)
    upload = reverse("actions:signed_sheet_upload", args=[session.pk])
    response = client.post(upload, {"document": pdf_upload("emargement-signe.pdf")})
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.signed_sheet.content_type == "application/pdf"
    assert "télécharger la feuille signée" in client.get(page(session)).content.decode()
    download = client.get(reverse("actions:signed_sheet", args=[session.pk]))
    assert download.status_code == 200
    entry = LogEntry.objects.filter(actor=world.provider).latest("pk")
    assert entry.additional_data["document"].startswith("Feuille d'émargement signée")


def test_a_scan_that_is_not_a_pdf_or_a_picture_is_refused(client, world):
    session = world.sessions[0]
    client.force_login(world.provider)
    text = SimpleUploadedFile("notes.csv", b"nom;signature\nA;B\n", content_type="text/csv")
    response = client.post(
        reverse("actions:signed_sheet_upload", args=[session.pk]), {"document": text}
    )
    assert response.status_code == 400
    assert "PDF, ou sa photo en JPEG ou en PNG" in response.content.decode()
    session.refresh_from_db()
    assert session.signed_sheet is None


def test_no_scan_yet_is_a_404(client, world):
    client.force_login(world.provider)
    url = reverse("actions:signed_sheet", args=[world.sessions[0].pk])
    assert client.get(url).status_code == 404


# The statement of days delivered, and the deliverable ----------------------------------------


def record(world, session, *presences):
    attendance.record_attendance(
        session=session,
        presences={r.pk: p for r, p in zip(world.referrals, presences, strict=True)},
        by=world.provider,
    )


def test_attendance_makes_days_delivered_then_the_deliverable_releases_the_instalment(
    client, world
):
    record(world, world.sessions[0], "present", "present", "absent")
    record(world, world.sessions[1], "present", "excused", "present")
    cancelled = world.sessions[2]
    cancelled.status, cancelled.cancellation_reason = SessionStatus.CANCELLED, "Grève"
    cancelled.save()
    found = statement.statement(
        world.action, starts_on=world.action.starts_on, ends_on=timezone.localdate()
    )
    held = len(world.sessions) - 1
    assert found.total.sessions_held == held
    assert found.total.sessions_cancelled == 1
    first = found.parts[0].delivery.of(world.referrals[0].pk)
    assert (first.present, first.days_present, first.hours_present) == (2, 1, Decimal(7))
    assert first.concerned == held
    assert found.total.totals.present == 4
    assert found.total.totals.excused == 1

    client.force_login(world.provider)
    url = reverse("actions:days_statement", args=[world.action.pk])
    text = client.get(url).content.decode()
    assert "ABADIE Alex" in text and "Déposer comme livrable" in text
    query = f"?du={world.action.starts_on:%Y-%m-%d}&au={timezone.localdate():%Y-%m-%d}"
    workbook = load_workbook(
        io.BytesIO(
            client.get(
                reverse("actions:days_statement_xlsx", args=[world.action.pk]) + query
            ).content
        )
    )
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("Groupe", "Personne", "Demi-journées tenues", "Présent(e)")
    assert rows[-1][:4] == ("Toute l'action", "Total", held * 3, 4)
    pdf = client.get(reverse("actions:days_statement_pdf", args=[world.action.pk]) + query)
    assert "État des jours réalisés" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()

    final = world.agreement.instalments.order_by("-order").first()
    for deliverable in final.deliverables.exclude(kind=DeliverableKind.DAYS_STATEMENT):
        agreement_services.receive_deliverable(
            deliverable=deliverable, uploaded=pdf_upload(), by=world.provider
        )
        agreement_services.check_deliverable(
            deliverable=deliverable, outcome=CheckOutcome.ACCEPTED, comment="", by=world.team
        )
    assert agreement_services.reading(final).state == InstalmentState.BLOCKED

    response = client.post(
        reverse("actions:days_statement_hand_in", args=[world.action.pk]),
        {"du": f"{world.action.starts_on:%Y-%m-%d}", "au": f"{timezone.localdate():%Y-%m-%d}"},
    )
    assert response.status_code == 302
    days = final.deliverables.get(kind=DeliverableKind.DAYS_STATEMENT)
    assert days.received_by == world.provider
    assert days.document.content_type == "application/pdf"
    assert agreement_services.reading(final).state == InstalmentState.BLOCKED  # to check
    agreement_services.check_deliverable(
        deliverable=days, outcome=CheckOutcome.ACCEPTED, comment="", by=world.team
    )
    assert agreement_services.reading(final).state == InstalmentState.DUE


def test_the_team_hands_in_too_and_a_cohort_alone_is_not_handed_in(client, world):
    client.force_login(world.team)
    url = reverse("actions:days_statement_hand_in", args=[world.action.pk])
    response = client.post(
        url,
        {
            "du": f"{world.action.starts_on:%Y-%m-%d}",
            "au": f"{timezone.localdate():%Y-%m-%d}",
            "groupe": world.cohort.pk,
        },
    )
    assert response.status_code == 302
    days = (
        world.agreement.instalments.order_by("-order")
        .first()
        .deliverables.get(kind=DeliverableKind.DAYS_STATEMENT)
    )
    assert days.received_at is None
    next_year = timezone.localdate() + datetime.timedelta(days=365)
    client.post(url, {"du": f"{world.action.starts_on:%Y-%m-%d}", "au": f"{next_year:%Y-%m-%d}"})
    days.refresh_from_db()
    assert days.received_by == world.team


def test_a_bad_period_shows_its_error_and_the_default_statement(client, world):
    client.force_login(world.team)
    url = reverse("actions:days_statement", args=[world.action.pk])
    response = client.get(url + "?du=2026-13-45&au=hier&groupe=abc")
    assert response.status_code == 200
    assert "Saisissez une date valide" in response.content.decode()


# Providers kept apart ----------------------------------------------------------------------


def test_another_provider_reaches_no_session_sheet_scan_or_statement(client, world):
    session = world.sessions[0]
    attendance.attach_signed_sheet(session=session, uploaded=pdf_upload(), by=world.provider)
    client.force_login(world.other_provider)
    for name in ("session_attendance", "attendance_sheet", "signed_sheet"):
        assert client.get(reverse(f"actions:{name}", args=[session.pk])).status_code == 404
    assert post_presences(client, session, world.referrals[:1], ["present"]).status_code == 404
    upload = reverse("actions:signed_sheet_upload", args=[session.pk])
    assert client.post(upload, {"document": pdf_upload()}).status_code == 404
    for name in ("days_statement", "days_statement_pdf", "days_statement_xlsx"):
        assert client.get(reverse(f"actions:{name}", args=[world.action.pk])).status_code == 404
    hand_in = reverse("actions:days_statement_hand_in", args=[world.action.pk])
    assert client.post(hand_in, {}).status_code == 404
    assert not Attendance.objects.exists()


def test_a_referent_records_no_attendance(client, world):
    client.force_login(world.referent)
    assert client.get(page(world.sessions[0])).status_code == 403


def test_the_statement_reads_the_same_number_of_queries_whatever_the_group_size(
    world, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    period = {"starts_on": world.action.starts_on, "ends_on": timezone.localdate()}
    with CaptureQueriesContext(connection) as three:
        statement.statement(world.action, **period)
    for name in ("Durand", "Petit", "Roux"):
        refer(
            active_pathway(
                world.referent, entry_date=timezone.localdate(), last_name=name
            ).participant,
            world.cohort,
            status=ReferralStatus.ACCEPTED,
        )
    with django_assert_max_num_queries(len(three.captured_queries)):
        found = statement.statement(world.action, **period)
    assert len(found.parts[0].lines) == 6
