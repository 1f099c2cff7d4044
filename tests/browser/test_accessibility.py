"""axe-core over every page of every role: no serious or critical accessibility violation.

Each role logs in once (one browser context per role) and axe runs on every page it can
open: the links of its menu, every page of the application's URL list built with real
objects (a participant at each stage, steps, contacts, a committee with items, an exit), the
administration as the administrator crawls it, and the référent's pages again on a phone.
A URL added to the application without an entry below fails `test_every_url_is_audited`.
"""

import datetime
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from plie.accounts.enums import Role
from plie.actions import services as action_services
from plie.actions.enums import ReferralStatus as ActionReferralStatus
from plie.agreements import services as agreement_services
from plie.committee import services as committee_services
from plie.core.models import Notice
from plie.core.notices import notify
from plie.core.uploads import store
from plie.participants import services as participant_services
from plie.participants.enums import (
    ExitReason,
    OutreachMode,
    OutreachResult,
    ParticipantStatus,
    PathwayStatus,
    ReferralStatus,
)
from plie.pathways import entry
from plie.pathways.enums import ContactMode
from plie.pathways.models import Contact, FollowUp, StepType
from plie.pathways.worklists import LISTS
from plie.programme import services as programme_services
from plie.programme.enums import Funder, OperationKind, StatementKind
from plie.programme.models import FundingLine, Operation, ProgrammeYear
from plie.purchasing.enums import CallStatus
from plie.reporting.enums import ExtractionFormat, ExtractionStatus
from plie.reporting.models import Extraction, QualityRun
from plie.reporting.tasks import run_quality_checks
from tests.browser.test_referral_to_entry import log_in
from tests.factories import (
    CallForProposalsFactory,
    MeetingFactory,
    ParticipantFactory,
    PrescriberFactory,
    ProposalFactory,
    ProviderFactory,
    ReferralFactory,
    StepFactory,
    UserFactory,
    active_pathway,
    make_action,
    make_agreement,
    make_cohort,
    make_report,
    pdf_upload,
    programme,
    refer,
)
from tests.web.matrix_records import a_pdf

SERIOUS = {"serious", "critical"}
PHONE = {"width": 375, "height": 812}

# Addresses that are not pages: forms post to them and they redirect, or they send a file.
NOT_PAGES = {
    "programme:statement_evidence_add",  # a form's address: the statement's page shows it
    "programme:statement_evidence",  # a document, not a page
    "pathways:referral_close",
    "participants:appointment_plan",
    "pathways:appointment_outcome",
    "participants:outreach_attempt",
    "pathways:eligibility_assess",
    "committee:decide",
    "committee:close",
    "committee:withdraw",
    "committee:move",  # POST only: its form is on the meeting's page
    "programme:operation_state",  # POST only: its form is on the operation's page
    "reporting:extraction_download",
    "committee:agenda_pdf",  # PDF documents, not pages
    "committee:minutes_pdf",
    "accounts:role_decide",  # POST only: its buttons are on the page of role requests
    "favicon",  # a redirection to the icon
    # Agreements: forms of the agreement's page post to these; a document, two exports.
    # Issue 12 (helper H4): a bare button and the thread's form post to these.
    "actions:sheet_send",
    "actions:message_post",
    "agreements:agreement_sign",
    "agreements:amendment_ask",
    "agreements:amendment_decide",
    "agreements:deliverable_upload",
    "agreements:deliverable_check",
    "agreements:payment_record",
    "agreements:deliverable_download",
    "agreements:payment_orders_xlsx",
    "agreements:payment_orders_csv",
    # Calls and proposals: buttons that post and redirect, and documents sent as files.
    "purchasing:call_publish",
    "purchasing:call_close",
    "purchasing:call_document_add",
    "purchasing:call_document_remove",
    "purchasing:call_document",
    "purchasing:proposal_receipt",
    "purchasing:proposal_document",
    "purchasing:public_document",
    "scoring:declare",  # POST only: the declaration is on the scoring page
    # Attendance: documents (PDF, XLSX, the signed scan) and forms of the pages below.
    "actions:attendance_sheet",
    "actions:signed_sheet_upload",
    "actions:signed_sheet",
    "actions:days_statement_pdf",
    "actions:days_statement_xlsx",
    "actions:days_statement_hand_in",
    "evaluation:added_value_pdf",  # a PDF document (the page shows the same)
    # The action's reports (issue 13): forms of the report page, documents (PDF, evidence).
    "evaluation:reports_open",
    "evaluation:report_review",
    "evaluation:report_pdf",
    "evaluation:budget_line_add",
    "evaluation:budget_line_remove",
    "evaluation:budget_evidence",
    "scoring:consultation_close",  # buttons of the ranking page
    "scoring:award",
    "scoring:unsuccessful",
    "scoring:letter",  # a PDF document
    # Referrals to actions: the referral page's forms post to these and redirect.
    "actions:referral_accept",
    "actions:referral_decline",
    "actions:referral_propose",
    "actions:referral_accept_proposal",
    "actions:referral_withdraw",
    "actions:referral_close",
    # Actions: a button of the action's page, and the session forms of the cohort's page.
    "actions:cohorts_generate",
    "actions:session_add",
    "actions:session_move",
    "actions:session_cancel",
    # The satisfaction survey: buttons of the cohort's survey page, and its PDF sheet.
    "actions:survey_open",
    "actions:survey_close",
    "actions:survey_sheet",
}


def _judged(d):
    """Two calls past their deadline (built once, when the pages are listed, so that the
    steering member of the role under test is consulted): one being scored — the first
    proposal scored by the coordinator, the second not yet declared — and one before the
    steering committee."""
    if "judged" in d:
        return d["judged"]
    from plie.purchasing import decision
    from plie.purchasing.enums import CallStatus
    from tests.factories import CallForProposalsFactory, ProposalFactory

    past = timezone.now() - datetime.timedelta(days=2)
    coordinator = d["coordinator"]
    calls = []
    for status in (CallStatus.INSTRUCTION, CallStatus.INSTRUCTION):
        call = CallForProposalsFactory(deadline=past, status=status)
        first = ProposalFactory(call=call, price=30000, received_at=past)
        ProposalFactory(call=call, price=25000, received_at=past)
        for proposal in call.proposals.all()[: 1 if not calls else 2]:
            evaluation = decision.declare_interests(
                proposal=proposal, evaluator=coordinator, conflict=False
            )
            decision.record_scores(
                evaluation=evaluation,
                scores={c: (Decimal(7), "Solide") for c in call.criteria.all() if not c.is_price},
            )
        calls.append((call, first))
    being_scored, consulted = calls
    consulted_call = consulted[0]
    if decision.steering_members().exists():
        decision.open_consultation(
            call=consulted_call,
            proposed=consulted[1],
            message="Merci de votre avis.",
            answer_by=timezone.localdate() + datetime.timedelta(days=7),
            by=coordinator,
        )
    d["judged"] = {"calls": [being_scored[0], consulted_call], "proposals": [being_scored[1]]}
    d["judged"]["proposals"] += list(being_scored[0].proposals.exclude(pk=being_scored[1].pk))
    return d["judged"]


def _contact_of(participant):
    return Contact.objects.filter(pathway__participant=participant).earliest("pk")


def _each(name, objects, *args):
    return [reverse(name, args=[item.pk, *args]) for item in objects]


def _assessed_referral(participant, agreement, referent):
    """Issue 12 (helper H4): a person accepted in a cohort, every diagnostic recorded, a
    follow-up sheet sent and a draft, a message."""
    from plie.actions import diagnostics, follow_up
    from plie.actions.enums import CleaLevel, Fundamental, Moment, ReferralStatus, SheetKind
    from plie.actions.models import CleaSubdomain
    from tests.factories import make_action, make_cohort, refer

    today = timezone.localdate()
    referral = refer(
        participant,
        make_cohort(make_action(agreement), sessions=False),
        status=ReferralStatus.ACCEPTED,
        by=referent,
    )
    diagnostics.record_french(
        referral=referral,
        moment=Moment.START,
        assessed_on=today,
        levels={"oral_comprehension": "B1", "oral_expression": "A2"},
        by=referent,
    )
    levels = {
        pk: CleaLevel.ACQUIRED if index % 3 else CleaLevel.TO_WORK_ON
        for index, pk in enumerate(CleaSubdomain.objects.values_list("pk", flat=True))
    }
    diagnostics.record_clea(
        referral=referral,
        moment=Moment.START,
        assessed_on=today,
        levels=levels,
        oriented_to_daq=True,
        by=referent,
    )
    for moment, score in ((Moment.START, 2), (Moment.END, 3)):
        diagnostics.record_self_assessment(
            referral=referral,
            moment=moment,
            assessed_on=today,
            scores=dict.fromkeys(Fundamental.values, score),
            by=referent,
        )
    sent = follow_up.save_sheet(
        referral=referral,
        kind=SheetKind.INTERIM,
        observations="Présente à toutes les séances.",
        recommendations=[("training", "Positionnement CléA complet.")],
        by=referent,
    )
    follow_up.send_sheet(sheet=sent, by=referent)
    draft = follow_up.save_sheet(
        referral=referral,
        kind=SheetKind.FINAL,
        observations="Bilan en cours de rédaction.",
        recommendations=[],
        by=referent,
    )
    follow_up.post_message(referral=referral, body="Elle a commencé lundi.", by=referent)
    return referral, draft


def _surveyed(d):
    """Issue 13, §1: the survey of the attendance action's past cohort, opened once; its
    first personal link."""
    if "surveyed" not in d:
        from plie.actions import surveys

        cohort = d["attendance_action"].cohorts.order_by("starts_on").first()
        d["surveyed"] = surveys.open_survey(
            cohort=cohort,
            closes_on=timezone.localdate() + datetime.timedelta(days=14),
            by=d["coordinator"],
        )[0]
    return d["surveyed"]


def _of_referral(name, *args):
    return lambda d: [reverse(name, args=[d["assessed_referral"].pk, *args])]


# Every page of the application, by URL name: the addresses to open, with the objects of
# the dataset (`build_dataset`) in them.
PAGES = {
    # Issue 12 (helper H4): a referral's diagnostics, follow-up sheets and thread.
    "actions:referral_assessments": _of_referral("actions:referral_assessments"),
    "actions:assessment_french": _of_referral("actions:assessment_french", "debut"),
    "actions:assessment_mobility": _of_referral("actions:assessment_mobility"),
    "actions:assessment_clea": _of_referral("actions:assessment_clea", "debut"),
    "actions:assessment_self": _of_referral("actions:assessment_self", "fin"),
    "actions:referral_follow_up": _of_referral("actions:referral_follow_up"),
    "actions:sheet_create": _of_referral("actions:sheet_create"),
    "actions:sheet_edit": lambda d: [
        reverse("actions:sheet_edit", args=[d["assessed_referral"].pk, d["draft_sheet"].pk])
    ],
    "scoring:ranking": lambda d: _each("scoring:ranking", _judged(d)["calls"]),
    "scoring:scoring": lambda d: _each("scoring:scoring", _judged(d)["proposals"]),
    "scoring:offers": lambda d: _each("scoring:offers", _judged(d)["proposals"][:1]),
    "scoring:consultation_open": lambda d: _each("scoring:consultation_open", _judged(d)["calls"]),
    "scoring:consultation_answer": lambda d: _each(
        "scoring:consultation_answer", _judged(d)["calls"][1:]
    ),
    "web:home": lambda d: [reverse("web:home")],
    "accounts:login": lambda d: [],  # opened logged out, by the test of public pages
    "accounts:logout": lambda d: [],  # likewise: opening it does not log out, but asks
    "accounts:password_change": lambda d: [reverse("accounts:password_change")],
    # Asked only with the second factor on: tests/browser/test_second_factor.py audits them.
    "accounts:second_factor": lambda d: [],
    "accounts:reauthenticate": lambda d: [],
    "accounts:second_factor_enrol": lambda d: [reverse("accounts:second_factor_enrol")],
    "accounts:second_factor_account": lambda d: [reverse("accounts:second_factor_account")],
    "accounts:role_requests": lambda d: [reverse("accounts:role_requests")],
    "accounts:account_access": lambda d: [reverse("accounts:account_access")],
    "web:notices": lambda d: [reverse("web:notices")],
    "web:participant_list": lambda d: [
        reverse("web:participant_list"),
        reverse("web:participant_list") + "?status=active",
    ],
    "participants:referral_create": lambda d: [reverse("participants:referral_create")],
    "participants:outreach": lambda d: [reverse("participants:outreach")],
    "web:participant": lambda d: _each("web:participant", d["participants"]),
    "participants:edit": lambda d: _each("participants:edit", [d["followed"]]),
    "participants:referral_add": lambda d: _each("participants:referral_add", [d["left"]]),
    "pathways:entry_file": lambda d: _each("pathways:entry_file", [d["candidate"]], 1),
    "committee:committee_list": lambda d: [reverse("committee:committee_list")],
    "committee:meeting_detail": lambda d: _each("committee:meeting_detail", d["meetings"]),
    "committee:propose_entry": lambda d: _each("committee:propose_entry", [d["candidate"]], 1),
    "pathways:worklists": lambda d: [reverse("pathways:worklists")],
    "pathways:worklist": lambda d: [
        reverse("pathways:worklist", args=[slug]) for slug in LISTS.values()
    ],
    "pathways:caseloads": lambda d: [reverse("pathways:caseloads")],
    "pathways:exits": lambda d: [reverse("pathways:exits")],
    "pathways:step_add": lambda d: _each("pathways:step_add", [d["waiting"]], 1),
    "pathways:step_edit": lambda d: _each("pathways:step_edit", [d["followed"]], 1, d["step"].pk),
    "pathways:contact_add": lambda d: _each("pathways:contact_add", [d["followed"]], 1),
    "pathways:contact_edit": lambda d: _each(
        "pathways:contact_edit", [d["followed"]], 1, _contact_of(d["followed"]).pk
    ),
    "pathways:contact_withdraw": lambda d: _each(
        "pathways:contact_withdraw", [d["followed"]], 1, _contact_of(d["followed"]).pk
    ),
    "pathways:step_withdraw": lambda d: _each(
        "pathways:step_withdraw", [d["followed"]], 1, d["step"].pk
    ),
    "pathways:transfer": lambda d: _each("pathways:transfer", [d["waiting"]], 1),
    "committee:propose_exit": lambda d: _each("committee:propose_exit", [d["waiting"]], 1),
    "pathways:follow_up": lambda d: _each("pathways:follow_up", [d["left"]], 1),
    "web:journal": lambda d: [reverse("web:journal")],
    "reporting:key_figures": lambda d: [reverse("reporting:key_figures")],
    "reporting:cohort": lambda d: [reverse("reporting:cohort")],
    "reporting:definitions": lambda d: [reverse("reporting:definitions")],
    "reporting:quality": lambda d: [reverse("reporting:quality")],
    "reporting:dashboard": lambda d: [reverse("reporting:dashboard")],
    "reporting:extractions": lambda d: [reverse("reporting:extractions")],
    "reporting:quarterly_review": lambda d: [reverse("reporting:quarterly_review")],
    "programme:years": lambda d: [reverse("programme:years")],
    "programme:year": lambda d: [reverse("programme:year", args=[d["operation"].year.year])],
    "programme:operation_create": lambda d: [
        reverse("programme:operation_create", args=[d["operation"].year.year])
    ],
    "programme:operation": lambda d: _each("programme:operation", [d["operation"]]),
    "programme:operation_edit": lambda d: _each("programme:operation_edit", [d["operation"]]),
    "programme:operation_funding": lambda d: _each("programme:operation_funding", [d["operation"]]),
    "programme:statement_edit": lambda d: [
        reverse("programme:statement_edit", args=[d["operation"].pk, "final"])
    ],
    "agreements:agreement_list": lambda d: [reverse("agreements:agreement_list")],
    "agreements:agreement_create": lambda d: [reverse("agreements:agreement_create")],
    "agreements:agreement_detail": lambda d: _each("agreements:agreement_detail", d["agreements"]),
    "actions:action_list": lambda d: [reverse("actions:action_list")],
    "actions:action_create": lambda d: [reverse("actions:action_create")],
    "actions:action_detail": lambda d: _each("actions:action_detail", [d["action"]]),
    "actions:cohort_detail": lambda d: _each(
        "actions:cohort_detail", [d["action"].cohorts.first()]
    ),
    "purchasing:call_list": lambda d: [reverse("purchasing:call_list")],
    "purchasing:call_create": lambda d: [reverse("purchasing:call_create")],
    "purchasing:call_detail": lambda d: _each("purchasing:call_detail", d["calls"]),
    "purchasing:call_edit": lambda d: _each("purchasing:call_edit", [d["draft_call"]]),
    "purchasing:proposal_record": lambda d: _each("purchasing:proposal_record", [d["open_call"]]),
    "purchasing:proposal_detail": lambda d: _each("purchasing:proposal_detail", [d["proposal"]]),
    "purchasing:public_calls": lambda d: [reverse("purchasing:public_calls")],
    "purchasing:public_call": lambda d: _each("purchasing:public_call", [d["open_call"]]),
    "purchasing:portal": lambda d: [reverse("purchasing:portal")],
    "purchasing:portal_deposit": lambda d: _each("purchasing:portal_deposit", [d["open_call"]]),
    "actions:referrals_received": lambda d: [reverse("actions:referrals_received")],
    "actions:referral_new": lambda d: _each("actions:referral_new", [d["waiting"]]),
    "actions:referral": lambda d: _each("actions:referral", d["action_referrals"]),
    "actions:session_attendance": lambda d: _each("actions:session_attendance", d["sessions"]),
    "actions:days_statement": lambda d: _each("actions:days_statement", [d["attendance_action"]]),
    # The satisfaction survey (issue 13, §1): the attendance cohort's, opened when listed.
    "actions:survey_action": lambda d: _each("actions:survey_action", [d["attendance_action"]]),
    "actions:survey_cohort": lambda d: _each("actions:survey_cohort", [_surveyed(d).cohort]),
    "actions:survey_links": lambda d: _each("actions:survey_links", [_surveyed(d).cohort]),
    "actions:survey_answer": lambda d: [
        reverse("actions:survey_answer", args=[_surveyed(d).token])
    ],
    "evaluation:added_value_list": lambda d: [reverse("evaluation:added_value_list")],
    "evaluation:added_value": lambda d: _each("evaluation:added_value", [d["action"]]),
    "evaluation:report": lambda d: _each("evaluation:report", d["reports"]),
}


def url_names(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            prefix = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, prefix)
        elif pattern.name:
            yield namespace + pattern.name


def test_every_url_is_audited():
    """The administration is crawled from its own index; every other named URL is listed."""
    names = {name for name in url_names() if not name.startswith("admin:")}
    unchecked = names - PAGES.keys() - NOT_PAGES
    assert not unchecked, f"pages sans contrôle d'accessibilité : {sorted(unchecked)}"
    gone = (PAGES.keys() | NOT_PAGES) - names
    assert not gone, f"adresses qui n'existent plus : {sorted(gone)}"


def annual_operation(coordinator, today):
    """This year's programme: an operation with an unbalanced funding plan and a statement."""
    year = ProgrammeYear.objects.create(programme=programme(), year=today.year)
    operation = Operation.objects.create(
        year=year,
        kind=OperationKind.ACCOMPANIMENT,
        title="Portage des référents du CCAS",
        carrier=coordinator.organisation,
        budget=Decimal(120000),
        planned_on=today,
        target_people=60,
        target_fte=Decimal(2),
        target_caseload=120,
    )
    FundingLine.objects.create(operation=operation, funder=Funder.FSE, amount=Decimal(60000))
    programme_services.record_statement(
        operation=operation,
        kind=StatementKind.MID_TERM,
        drawn_on=today,
        lines=[{"side": "expense", "label": "Salaires", "amount": Decimal(50000)}],
    )
    return operation


def build_dataset(referent, coordinator):
    """A small PLIE: a participant at each stage, one committee with entry and exit items."""
    today = timezone.localdate()
    # « Accès des comptes » with its two forms: a colleague locked out, with an application.
    colleague = UserFactory(username="collegue", role=Role.REFERENT, last_name="Bloquée")
    AccessAttempt.objects.create(
        username=colleague.username,
        ip_address="192.0.2.10",
        user_agent="Firefox",
        path_info="/comptes/connexion/",
        http_accept="text/html",
        failures_since_start=5,
        attempt_time=timezone.now(),
    )
    TOTPDevice.objects.create(user=colleague, name="Téléphone", confirmed=True)
    # « Avis » with one notice read and one new.
    (received,) = notify(
        [coordinator],
        subject="Accusé de dépôt : Atelier de remobilisation",
        body="La proposition a été reçue le 3 mars à 11 h 02.",
        url="/",
    )
    notify([coordinator], subject="Consultation écrite à rendre", body="Avant le 10 mars.")
    Notice.objects.filter(pk=received.pk).update(read_at=timezone.now())
    meeting = MeetingFactory(held_on=today, place="Salle du conseil")
    next_meeting = MeetingFactory(held_on=today + datetime.timedelta(days=14))
    prescriber = PrescriberFactory(name="France Travail Dijon")

    followed = active_pathway(
        referent,
        entry_date=today - datetime.timedelta(days=300),
        last_name="Durand",
        first_name="Amélie",
    )
    training = StepType.objects.get(code="training-prequalifying")
    StepFactory(
        pathway=followed,
        step_type=training,
        start_date=today - datetime.timedelta(days=280),
        end_date=today - datetime.timedelta(days=250),
        organisation_name="GRETA 21",
    )
    step = StepFactory(
        pathway=followed,
        step_type=StepType.objects.get(code="cdi"),
        start_date=today - datetime.timedelta(days=220),
        weekly_hours=Decimal(30),
        organisation_name="Clinique du Parc",
    )
    for days, mode in ((40, ContactMode.INDIVIDUAL), (3, ContactMode.PHONE)):
        Contact.objects.create(
            pathway=followed,
            contacted_on=today - datetime.timedelta(days=days),
            mode=mode,
            summary="Point sur l'emploi, la personne souhaite sortir du PLIE.",
            by=referent,
        )
    committee_services.propose_exit(
        pathway=followed,
        meeting=meeting,
        reason=ExitReason.POSITIVE,
        exit_date=today,
        by=referent,
    )

    waiting = active_pathway(
        referent, entry_date=today - datetime.timedelta(days=120), last_name="Petit"
    )
    StepFactory(
        pathway=waiting,
        start_date=today - datetime.timedelta(days=100),
        planned_end_date=today + datetime.timedelta(days=5),
    )

    left = active_pathway(
        referent, entry_date=today - datetime.timedelta(days=500), last_name="Roux"
    )
    left.status = PathwayStatus.EXITED
    left.exit_date = today - datetime.timedelta(days=175)
    left.exit_reason = ExitReason.POSITIVE
    left.exit_condition_label = "CDI d'au moins un mi-temps"
    left.save()
    left.participant.status = ParticipantStatus.EXITED
    left.participant.save()
    FollowUp.objects.create(pathway=left, due_on=today + datetime.timedelta(days=5))

    def referred(last_name, status):
        participant = ParticipantFactory(referent=referent, last_name=last_name, status=status)
        referral = ReferralFactory(participant=participant, prescriber=prescriber)
        return participant, referral

    candidate, referral = referred("Garcia", ParticipantStatus.REFERRED)
    referral.status = ReferralStatus.MET
    referral.save()
    pathway = entry.open_entry_file(referral=referral)
    entry.assess_eligibility(pathway=pathway, by=referent)

    proposed, referral = referred("Lefebvre", ParticipantStatus.REFERRED)
    referral.status = ReferralStatus.MET
    referral.save()
    pathway = entry.open_entry_file(referral=referral)
    entry.assess_eligibility(pathway=pathway, by=referent)
    committee_services.propose_entry(
        pathway=pathway,
        meeting=meeting,
        proposed_referent=referent,
        note="Projet professionnel clair, freins de mobilité à lever.",
        by=referent,
    )

    awaiting, referral = referred("Moreau", ParticipantStatus.REFERRED)
    participant_services.plan_appointment(
        referral=referral,
        scheduled_for=timezone.now() + datetime.timedelta(days=2),
        with_user=referent,
        place="Maison de l'emploi",
    )
    outreach, referral = referred("Fournier", ParticipantStatus.OUTREACH)
    referral.status = ReferralStatus.OUTREACH
    referral.save()
    participant_services.record_outreach_attempt(
        referral=referral,
        attempted_on=today - datetime.timedelta(days=2),
        mode=OutreachMode.CALL,
        result=OutreachResult.NO_ANSWER,
        by=referent,
    )

    run_quality_checks.call(QualityRun.objects.create(requested_by=coordinator).pk)
    Extraction.objects.create(
        requested_by=coordinator,
        date_from=today.replace(day=1) - datetime.timedelta(days=31),
        date_to=today.replace(day=1) - datetime.timedelta(days=1),
        file_format=ExtractionFormat.XLSX,
        status=ExtractionStatus.DONE,
        rows_total=3,
        rows_done=3,
        file_name="absent.xlsx",
        finished_at=timezone.now(),
    )
    operation = annual_operation(coordinator, today)
    # An agreement with its provider: a deliverable received, an extension asked.
    agreement = make_agreement(
        ProviderFactory(name="Atelier Emploi"), by=coordinator, title="Remobilisation"
    )
    agreement_services.receive_deliverable(
        deliverable=agreement.instalments.get(order=1).deliverables.get(),
        uploaded=pdf_upload(),
        by=coordinator,
    )
    agreement_services.ask_amendment(
        agreement=agreement,
        kind="extension",
        reason="Prolonger l'action",
        asked_on=today,
        new_ends_on=agreement.ends_on + datetime.timedelta(days=90),
        by=coordinator,
    )
    # An action on that agreement, its cohorts generated (holidays skipped), a session of
    # the first cohort cancelled.
    action = make_action(agreement, title="Remobilisation vers l'emploi")
    action_services.generate_cohorts(action=action, by=coordinator)
    action_services.cancel_session(
        session=action.cohorts.first().sessions.last(), reason="Salle indisponible", by=None
    )
    # A call open with a proposal deposited, and one in preparation.
    open_call = CallForProposalsFactory(title="Atelier de remobilisation")
    open_call.documents.create(
        title="Cahier des charges", document=store(a_pdf("cahier.pdf"), user=coordinator)
    )
    proposal = ProposalFactory(call=open_call, provider=ProviderFactory(name="Association Élan"))
    proposal.documents.create(
        required_content=open_call.required_contents.first(),
        document=store(a_pdf("presentation.pdf"), user=coordinator),
    )
    draft_call = CallForProposalsFactory(status=CallStatus.DRAFT, published_at=None)
    # An action on the agreement: the followed person referred to a cohort to come.
    referral_action = make_action(agreement)
    cohort = make_cohort(
        referral_action, starts_on=today + datetime.timedelta(days=14), sessions=False
    )
    action_referral = refer(
        followed.participant, cohort, shared_fields=["participants.Participant.phone"]
    )
    # An action on the agreement, a past cohort with one person accepted (a session with
    # presences to note) and a session to come (its sheet to print).
    attendance_action = make_action(agreement)
    cohort = make_cohort(attendance_action, starts_on=today - datetime.timedelta(days=21))
    refer(followed.participant, cohort, status=ActionReferralStatus.ACCEPTED, by=referent)
    sessions = list(cohort.sessions.order_by("date"))
    later = make_cohort(attendance_action, number=2, starts_on=today + datetime.timedelta(days=7))
    assessed_referral, draft_sheet = _assessed_referral(followed.participant, agreement, referent)
    # Its reports (issue 13): the interim point in draft, the final report sent to the PLIE.
    reports = [
        make_report(attendance_action, kind="interim", quantitative="Dix personnes entrées."),
        make_report(
            attendance_action,
            kind="final",
            status="submitted",
            quantitative="Vingt personnes entrées.",
            qualitative="Un groupe assidu.",
            lessons="La mobilité reste un frein.",
            adjustments="Un atelier numérique de plus.",
        ),
    ]
    return {
        "reports": reports,
        "action_referrals": [action_referral],
        "attendance_action": attendance_action,
        "sessions": [sessions[0], later.sessions.first()],
        "assessed_referral": assessed_referral,
        "draft_sheet": draft_sheet,
        "operation": operation,
        "agreements": [agreement],
        "action": action,
        "open_call": open_call,
        "draft_call": draft_call,
        "calls": [open_call, draft_call],
        "proposal": proposal,
        "coordinator": coordinator,  # who scores the calls of `_judged`
        "followed": followed.participant,
        "waiting": waiting.participant,
        "left": left.participant,
        "candidate": candidate,
        "step": step,
        "meetings": [meeting, next_meeting],
        "participants": [
            followed.participant,
            waiting.participant,
            left.participant,
            candidate,
            proposed,
            awaiting,
            outreach,
        ],
    }


ROLES = {
    "referent": Role.REFERENT,
    "coordinator": Role.COORDINATOR,
    "project_officer": Role.PROJECT_OFFICER,
    "assistant": Role.ASSISTANT,
    "provider": Role.PROVIDER,
    "steering_viewer": Role.STEERING_VIEWER,
    "administrator": Role.ADMINISTRATOR,
}


@pytest.fixture
def browser_context_args(browser_context_args):
    """axe is injected as a script: the page's strict CSP would refuse it."""
    return {**browser_context_args, "bypass_csp": True}


class Audit:
    """Opens pages and runs axe on each; keeps the serious and critical violations."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.axe = Axe()
        # (rule, impact, element, what to fix) -> the pages where it occurs
        self.violations: dict[tuple[str, str, str, str], list[str]] = {}
        self.audited: list[str] = []

    def open(self, path: str, label: str = "") -> int:
        response = self.page.goto(self.base_url + path)
        status = response.status if response else 0
        if status == 200:
            self.check(path + label)
        return status

    def check(self, where: str) -> None:
        results = self.axe.run(self.page)
        self.audited.append(where)
        for violation in results.response["violations"]:
            if violation["impact"] not in SERIOUS:
                continue
            for node in violation["nodes"]:
                key = (
                    violation["id"],
                    violation["impact"],
                    " ".join(str(part) for part in node["target"]),
                    " ".join(node.get("failureSummary", "").split()),
                )
                self.violations.setdefault(key, []).append(where)

    def menu_links(self) -> list[str]:
        links = self.page.locator("header nav a[href]").evaluate_all(
            "links => links.map(link => link.getAttribute('href'))"
        )
        return [link for link in links if link.startswith("/")]

    def report(self) -> str:
        """One paragraph per rule and element, with the pages where it fails."""
        lines = [f"{len(self.violations)} violation(s) sur {len(self.audited)} pages :"]
        for (rule, impact, element, summary), where in sorted(self.violations.items()):
            lines.append(f"- {rule} ({impact}) — {element}\n    {summary}")
            lines.append(f"    pages : {', '.join(where)}")
        return "\n".join(lines)


def crawl_admin(audit: Audit) -> None:
    """The administration as its user sees it: index, each list, add form, one object."""
    audit.open(reverse("admin:index"))
    lists = audit.page.locator("#content-main a[href$='/']").evaluate_all(
        "links => links.map(link => link.getAttribute('href'))"
    )
    for changelist in sorted({link for link in lists if link.count("/") == 4}):
        audit.open(changelist)
        first = audit.page.locator("#result_list tbody th a, #result_list tbody td a").first
        change = first.get_attribute("href") if first.count() else None
        audit.open(changelist + "add/")
        if change:
            audit.open(change)
            audit.open(change + "history/")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_every_page_of_each_role_has_no_serious_accessibility_violation(
    page, live_server, territory, role
):
    referent = UserFactory(
        username="referente", role=Role.REFERENT, first_name="Claire", last_name="Martin"
    )
    coordinator = UserFactory(username="coordinatrice", role=Role.COORDINATOR)
    data = build_dataset(referent, coordinator)
    if role == "referent":
        user = referent
    elif role == "coordinator":
        user = coordinator
    else:
        user = UserFactory(username=role, role=ROLES[role], is_staff=role == "administrator")
    if role == "administrator":
        registered = [ContentType.objects.get_for_model(model) for model in admin.site._registry]
        user.user_permissions.set(Permission.objects.filter(content_type__in=registered))

    audit = Audit(page, live_server.url)
    log_in(page, live_server, user.username)
    page.wait_for_url(lambda url: reverse("accounts:login") not in url)
    landing = urlsplit(page.url).path
    audit.check(landing)
    opened, reached = {landing, "/"}, [landing]
    menu = audit.menu_links()
    to_open = [*menu]
    if role == "administrator":
        crawl_admin(audit)
    else:
        to_open += [url for urls in PAGES.values() for url in urls(data)]
    for url in dict.fromkeys(to_open):
        if url in opened or url.startswith(reverse("admin:index")):
            continue
        opened.add(url)
        if audit.open(url) == 200:
            reached.append(url)
    if role == "referent":
        page.set_viewport_size(PHONE)
        for url in reached:
            audit.open(url, " (téléphone)")
        # Back to a page with the menu (the last one may be the survey's, which has none).
        page.goto(live_server.url + landing)
        page.get_by_role("button", name="Ouvrir le menu").click()
        expect(page.get_by_role("link", name="À suivre")).to_be_visible()
        audit.check("menu ouvert (téléphone)")
    # The brand link ("/") leads to the landing page; the administration is crawled apart.
    assert set(menu) - {"/", reverse("admin:index")} <= set(reached), "un lien du menu est fermé"
    if role in ("referent", "coordinator", "project_officer", "assistant"):
        details = PAGES["web:participant"](data)
        assert set(details) <= set(reached), "des dossiers ne s'ouvrent pas"
    if audit.violations:
        pytest.fail(audit.report(), pytrace=False)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_login_logout_error_and_lockout_pages_have_no_serious_accessibility_violation(
    page, live_server, territory, settings
):
    UserFactory(username="referente", role=Role.REFERENT)
    audit = Audit(page, live_server.url)
    audit.open(reverse("accounts:login"))
    page.set_viewport_size(PHONE)
    audit.open(reverse("accounts:login"), " (téléphone)")
    page.set_viewport_size({"width": 1280, "height": 900})
    assert page.goto(live_server.url + "/page-qui-n-existe-pas/").status == 404
    audit.check("page introuvable (404)")

    log_in(page, live_server, "referente")
    assert page.goto(live_server.url + reverse("web:journal")).status == 403
    audit.check("accès refusé (403)")
    audit.open(reverse("accounts:logout"))
    page.get_by_role("main").get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")

    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Identifiant").fill("referente")
        page.get_by_label("Mot de passe").fill("mauvais mot de passe")
        page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("bloqué")
    audit.check("compte bloqué")
    if audit.violations:
        pytest.fail(audit.report(), pytrace=False)
