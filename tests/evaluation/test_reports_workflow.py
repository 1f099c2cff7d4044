"""The course of an action's report (issue 13, §2): planned from the agreement, drafted and
sent by the provider of the action only, commented, returned or validated by the
coordination; validated, its figures stay as they were and its PDF is the deliverable its
instalment waits for."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from plie.accounts.enums import Role
from plie.actions.enums import Presence, ReferralStatus
from plie.actions.models import Attendance
from plie.agreements import services as agreement_services
from plie.agreements.enums import CheckOutcome, DeliverableKind, InstalmentState
from plie.agreements.models import Deliverable
from plie.core.months import add_months
from plie.evaluation import report_plan, reports
from plie.evaluation.enums import ReportKind, ReportStatus
from plie.evaluation.models import ActionReport
from plie.programme.enums import StatementSide
from tests.factories import (
    ProviderFactory,
    UserFactory,
    active_pathway,
    make_action,
    make_agreement,
    make_cohort,
    make_report,
    pdf_upload,
    refer,
    schedule_template,
)

pytestmark = pytest.mark.django_db

SECTIONS = {
    "quantitative": "Trois personnes entrées, une sortie en formation.",
    "qualitative": "Un groupe soudé, une bonne dynamique.",
    "lessons": "La mobilité reste le premier frein.",
    "adjustments": "Ajouter un atelier numérique.",
}


class World:
    pass


@pytest.fixture
def world(territory):
    w = World()
    w.team = UserFactory(username="coordinatrice", role=Role.COORDINATOR)
    w.assistant = UserFactory(username="assistante", role=Role.ASSISTANT)
    organisation = ProviderFactory()
    w.provider = UserFactory(
        username="prestataire.a", role=Role.PROVIDER, organisation=organisation
    )
    w.other_provider = UserFactory(
        username="prestataire.b", role=Role.PROVIDER, organisation=ProviderFactory()
    )
    w.referent = UserFactory(username="referente", role=Role.REFERENT)
    start = timezone.localdate() - datetime.timedelta(days=60)
    w.agreement = make_agreement(organisation, by=w.team, signed=True, starts_on=start)
    w.action = make_action(w.agreement)
    w.cohort = make_cohort(w.action, starts_on=start)
    pathway = active_pathway(w.referent, entry_date=start - datetime.timedelta(days=30))
    w.referral = refer(
        pathway.participant, w.cohort, status=ReferralStatus.COMPLETED, ended_on=w.cohort.ends_on
    )
    for session in w.cohort.sessions.all():
        Attendance.objects.create(session=session, referral=w.referral, presence=Presence.PRESENT)
    return w


def _client(client, user):
    client.force_login(user)
    return client


def test_the_consultation_schedule_plans_an_interim_point_and_a_final_report(world):
    assert reports.default_plan(world.action) == report_plan.CONSULTATION
    planned = reports.reports_of(world.action)
    assert [p.kind for p in planned] == [ReportKind.INTERIM, ReportKind.FINAL]
    assert planned[-1].ends_on == world.action.ends_on
    assert all(p.report is None for p in planned)


def test_a_call_for_projects_plans_three_reports(world):
    agreement = make_agreement(by=world.team, schedule_template=schedule_template("Appel"))
    action = make_action(agreement)
    assert reports.default_plan(action) == report_plan.CALL_FOR_PROJECTS
    opened = reports.open_reports(action=action, plan=report_plan.CALL_FOR_PROJECTS, by=world.team)
    assert [r.kind for r in opened] == [
        ReportKind.FIRST_QUARTER,
        ReportKind.MID_TERM,
        ReportKind.FINAL,
    ]
    first_quarter = opened[0]
    # Three months in: started on the 5th, it ends on the 4th three months later.
    assert first_quarter.ends_on == add_months(action.starts_on, 3) - datetime.timedelta(days=1)
    assert first_quarter.due_on == add_months(first_quarter.ends_on, 1)
    with pytest.raises(ValidationError):
        reports.open_reports(action=action, plan=report_plan.CONSULTATION, by=world.team)


def test_the_provider_opens_drafts_and_sends_its_report(world, client):
    c = _client(client, world.provider)
    response = c.post(
        reverse("evaluation:reports_open", args=[world.action.pk]),
        {"plan": report_plan.CONSULTATION},
    )
    assert response.status_code == 302
    final = world.action.reports.get(kind=ReportKind.FINAL)
    page = c.get(reverse("evaluation:report", args=[final.pk]))
    assert page.status_code == 200
    assert "Personnes entrées dans un groupe" in page.content.decode()
    # Sending with a part missing is refused, saying which.
    response = c.post(
        reverse("evaluation:report", args=[final.pk]),
        {**SECTIONS, "adjustments": "", "send": "submit"},
    )
    assert response.status_code == 400
    assert "Pistes d&#x27;ajustement" in response.content.decode()
    final.refresh_from_db()
    assert final.status == ReportStatus.DRAFT
    assert final.quantitative == ""  # refused: nothing written, the page keeps the text
    assert SECTIONS["quantitative"] in response.content.decode()
    response = c.post(reverse("evaluation:report", args=[final.pk]), {**SECTIONS, "send": "submit"})
    assert response.status_code == 302
    final.refresh_from_db()
    assert final.status == ReportStatus.SUBMITTED
    assert final.submitted_by == world.provider
    # Sent, it no longer changes.
    response = c.post(
        reverse("evaluation:report", args=[final.pk]), {**SECTIONS, "lessons": "Autre"}, follow=True
    )
    assert "ne se modifie plus" in response.content.decode()
    final.refresh_from_db()
    assert final.lessons == SECTIONS["lessons"]


def test_the_budget_statement_keeps_its_lines_evidence_and_totals(world, client):
    report = make_report(world.action)
    c = _client(client, world.provider)
    url = reverse("evaluation:budget_line_add", args=[report.pk])
    c.post(
        url,
        {
            "side": StatementSide.EXPENSE,
            "label": "Salaires",
            "amount": "1200.50",
            "evidence": pdf_upload(),
        },
    )
    c.post(url, {"side": StatementSide.EXPENSE, "label": "Locaux", "amount": "300"})
    c.post(url, {"side": StatementSide.RESOURCE, "label": "PLIE", "amount": "1500.50"})
    refused = c.post(url, {"side": StatementSide.RESOURCE, "label": "Négatif", "amount": "-3"})
    assert refused.status_code == 400
    budget = reports.budget_of(list(report.budget_lines.all()))
    assert budget.total_expenses == 1500.50
    assert budget.total_resources == 1500.50
    line = report.budget_lines.get(label="Salaires")
    evidence = c.get(reverse("evaluation:budget_evidence", args=[line.pk]))
    assert evidence.status_code == 200
    c.post(reverse("evaluation:budget_line_remove", args=[line.pk]))
    assert not report.budget_lines.filter(label="Salaires").exists()


def test_another_provider_and_a_referent_reach_no_report(world, client):
    report = make_report(world.action)
    # Another provider does not reach the action at all; a référent reaches the action but
    # not its reports.
    for user, status in ((world.other_provider, 404), (world.referent, 403)):
        c = _client(client, user)
        assert c.get(reverse("evaluation:report", args=[report.pk])).status_code == status
        assert c.get(reverse("evaluation:report_pdf", args=[report.pk])).status_code == status
        response = c.post(reverse("evaluation:report", args=[report.pk]), SECTIONS)
        assert response.status_code == status
    report.refresh_from_db()
    assert report.is_blank


def test_the_provider_may_not_validate_nor_the_team_write(world, client):
    report = make_report(world.action, status=ReportStatus.SUBMITTED, **SECTIONS)
    c = _client(client, world.provider)
    response = c.post(
        reverse("evaluation:report_review", args=[report.pk]), {"decision": "validate"}
    )
    assert response.status_code == 403
    c = _client(client, world.assistant)
    response = c.post(
        reverse("evaluation:report_review", args=[report.pk]), {"decision": "validate"}
    )
    assert response.status_code == 403
    assert c.get(reverse("evaluation:report", args=[report.pk])).status_code == 200
    draft = make_report(world.action, kind="interim")
    c = _client(client, world.team)
    assert c.post(reverse("evaluation:report", args=[draft.pk]), SECTIONS).status_code == 403


def test_returning_needs_a_comment_and_gives_the_report_back(world, client):
    report = make_report(world.action, status=ReportStatus.SUBMITTED, **SECTIONS)
    c = _client(client, world.team)
    url = reverse("evaluation:report_review", args=[report.pk])
    assert c.post(url, {"decision": "return", "comments": ""}).status_code == 400
    response = c.post(url, {"decision": "return", "comments": "Détaillez les abandons."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert report.comments == "Détaillez les abandons."
    page = _client(client, world.provider).get(reverse("evaluation:report", args=[report.pk]))
    assert "Détaillez les abandons." in page.content.decode()
    assert 'value="submit"' in page.content.decode()  # the provider writes again


def test_validation_hands_in_the_interim_deliverable_and_releases_its_instalment(world, client):
    report = make_report(world.action, kind="interim", status=ReportStatus.SUBMITTED, **SECTIONS)
    deliverable = Deliverable.objects.get(
        instalment__agreement=world.agreement, kind=DeliverableKind.INTERIM_REPORT
    )
    instalment = deliverable.instalment
    assert agreement_services.reading(instalment).state == InstalmentState.BLOCKED
    c = _client(client, world.team)
    response = c.post(
        reverse("evaluation:report_review", args=[report.pk]),
        {"decision": "validate", "comments": "Merci."},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.VALIDATED
    assert report.comments == "Merci."
    assert report.frozen_figures["sections"][0]["figures"][2]["value"] == 1  # started
    deliverable.refresh_from_db()
    assert deliverable.received_at is not None
    assert deliverable.outcome == CheckOutcome.ACCEPTED
    assert deliverable.document.content_type == "application/pdf"
    instalment.refresh_from_db()
    assert agreement_services.reading(instalment).state == InstalmentState.DUE


def test_a_validated_report_keeps_its_figures_when_the_data_changes(world, client):
    report = make_report(world.action, status=ReportStatus.SUBMITTED, **SECTIONS)
    reports.validate(report=report, by=world.team)
    report.refresh_from_db()
    frozen = dict(report.frozen_figures)
    # A correction afterwards: the person did not finish the action but dropped out.
    world.referral.status = ReferralStatus.DROPPED_OUT
    world.referral.drop_out_reason = "personal"
    world.referral.save()
    report.refresh_from_db()
    assert report.frozen_figures == frozen
    figures, changes = reports.figures_of(report)
    assert figures.figure("completed").value == 1
    assert "Personnes allées au bout de l'action : 1 → 0" in changes
    assert "Abandons : 0 → 1" in changes
    page = _client(client, world.provider).get(reverse("evaluation:report", args=[report.pk]))
    text = page.content.decode()
    assert "Les chiffres ont changé depuis la validation" in text
    assert "Abandons : 0 → 1" in text
    # The PDF is the one stored at validation, with its FSE+ statement.
    pdf = _client(client, world.team).get(reverse("evaluation:report_pdf", args=[report.pk]))
    content = b"".join(pdf.streaming_content)
    reader = PdfReader(io.BytesIO(content))
    printed = " ".join(page.extract_text() for page in reader.pages)
    assert "Cofinancé par l" in printed
    assert "Personnes allées au bout de l" in printed


def test_the_action_page_shows_the_reports_block_to_those_who_read_them(world, client):
    url = reverse("actions:action_detail", args=[world.action.pk])
    assert "Prévoir les bilans" in _client(client, world.provider).get(url).content.decode()
    assert 'id="bilans"' in _client(client, world.team).get(url).content.decode()
    assert 'id="bilans"' not in _client(client, world.referent).get(url).content.decode()


def test_the_report_pdf_has_figures_sections_budget_and_fse_statement(world):
    report = make_report(world.action, **SECTIONS)
    reports.add_budget_line(
        report=report, side=StatementSide.EXPENSE, label="Salaires", amount=1200, by=world.provider
    )
    content = reports.pdf(report)
    reader = PdfReader(io.BytesIO(content))
    printed = " ".join(page.extract_text() for page in reader.pages)
    assert "Cofinancé par l'Union européenne" in printed.replace("’", "'")
    assert "Bilan final" in printed
    assert SECTIONS["lessons"] in printed
    assert "Total des dépenses" in printed


def test_the_report_models_refuse_a_validated_report_without_figures(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ActionReport.objects.create(
            action=world.action,
            kind=ReportKind.FINAL,
            starts_on=world.action.starts_on,
            ends_on=world.action.ends_on,
            due_on=world.action.ends_on,
            status=ReportStatus.VALIDATED,
        )


def test_an_expense_without_its_evidence_keeps_the_report_from_being_sent(world):
    from tests.factories import pdf_upload

    report = make_report(world.action, **SECTIONS)
    reports.add_budget_line(
        report=report, side=StatementSide.RESOURCE, label="Versement", amount=900, by=world.provider
    )
    line = reports.add_budget_line(
        report=report, side=StatementSide.EXPENSE, label="Salaires", amount=1200, by=world.provider
    )
    with pytest.raises(ValidationError) as refused:
        reports.submit(report=report, by=world.provider)
    assert "il manque celui de : « Salaires »" in str(refused.value)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    reports.remove_budget_line(line=line, by=world.provider)
    reports.add_budget_line(
        report=report,
        side=StatementSide.EXPENSE,
        label="Salaires",
        amount=1200,
        uploaded=pdf_upload(),
        by=world.provider,
    )
    assert reports.submit(report=report, by=world.provider).status == ReportStatus.SUBMITTED


def test_a_report_is_late_the_day_after_its_due_day_until_it_is_sent(world):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    report = make_report(world.action, **SECTIONS)

    def planned(due_on, with_report=report):
        return reports.Planned(
            report.kind, "Bilan", report.starts_on, report.ends_on, due_on, with_report
        )

    assert not planned(today).overdue
    assert planned(today - datetime.timedelta(days=1)).overdue
    assert planned(today - datetime.timedelta(days=1), None).overdue
    report.status = ReportStatus.SUBMITTED
    assert not planned(today - datetime.timedelta(days=1)).overdue
