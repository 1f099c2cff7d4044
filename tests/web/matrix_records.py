"""The records the permission matrix asks about (tests/web/test_permission_matrix.py): a small
PLIE followed by one owner — a person at each stage, steps, contacts, a committee item of each
kind, an extraction — and, for each address that needs objects, the path to ask and the
object its permission is decided on (`TARGETS`: one line per such address)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from plie.accounts.enums import Role
from plie.accounts.models import RoleRequest
from plie.actions import surveys as survey_services
from plie.actions.enums import Moment, SheetKind
from plie.actions.enums import ReferralStatus as ActionReferralStatus
from plie.actions.models import FollowUpSheet, FrenchAssessment, ReferralMessage
from plie.agreements import services as agreement_services
from plie.agreements.enums import AmendmentKind
from plie.committee import services as committee_services
from plie.core.uploads import store
from plie.evaluation.models import ReportBudgetLine
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
from plie.programme.enums import Funder, OperationKind, StatementKind
from plie.programme.models import BudgetStatement, FundingLine, Operation, ProgrammeYear
from plie.reporting.enums import ExtractionFormat, ExtractionStatus
from plie.reporting.models import Extraction
from tests.factories import (
    ParticipantFactory,
    PrescriberFactory,
    ProposalFactory,
    ReferralFactory,
    StepFactory,
    UserFactory,
    active_pathway,
    make_action,
    make_agreement,
    make_cohort,
    make_report,
    pdf_upload,
    refer,
)


def a_pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


@dataclass
class Records:
    """A small PLIE followed by `owner`: a person at each stage, a committee item of each kind
    and an extraction. Every person's last name starts with `token`, and every sensitive note
    holds `secret`."""

    owner: object
    token: str
    secret: str
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def names(self) -> list[str]:
        return [p.last_name.lower() for p in self.objects["people"]]


def participant_programme(pathway):
    return pathway.participant.programme


def build_records(owner, token: str, meeting, next_meeting, proposer) -> Records:
    today = timezone.localdate()
    records = Records(owner, token, f"Confidentiel-{token}")
    people = []

    def person(letter: str, **fields):
        participant = ParticipantFactory(referent=owner, last_name=f"{token}{letter}", **fields)
        people.append(participant)
        return participant

    followed = active_pathway(
        owner, entry_date=today - datetime.timedelta(days=300), last_name=f"{token}a"
    )
    people.append(followed.participant)
    step = StepFactory(
        pathway=followed,
        step_type=StepType.objects.get(code="cdi"),
        start_date=today - datetime.timedelta(days=220),
        weekly_hours=Decimal(30),
        organisation_name="Clinique du Parc",
    )
    contact = Contact.objects.create(
        pathway=followed,
        contacted_on=today - datetime.timedelta(days=3),
        mode=ContactMode.INDIVIDUAL,
        summary=records.secret,
        by=owner,
    )
    exit_item = committee_services.propose_exit(
        pathway=followed,
        meeting=meeting,
        reason=ExitReason.OTHER,
        detail=records.secret,
        exit_date=today,
        by=proposer,
    )

    waiting = active_pathway(
        owner, entry_date=today - datetime.timedelta(days=120), last_name=f"{token}b"
    )
    people.append(waiting.participant)

    left = active_pathway(
        owner, entry_date=today - datetime.timedelta(days=500), last_name=f"{token}c"
    )
    people.append(left.participant)
    left.status, left.exit_date = PathwayStatus.EXITED, today - datetime.timedelta(days=175)
    left.exit_reason = ExitReason.MOVED
    left.save()
    left.participant.status = ParticipantStatus.EXITED
    left.participant.save()
    FollowUp.objects.create(pathway=left, due_on=today + datetime.timedelta(days=5))

    prescriber = PrescriberFactory()

    def referred(letter: str, status):
        participant = person(letter, status=ParticipantStatus.REFERRED)
        referral = ReferralFactory(
            participant=participant, prescriber=prescriber, status=status, reason=records.secret
        )
        return participant, referral

    candidate, referral = referred("d", ReferralStatus.MET)
    pathway = entry.open_entry_file(referral=referral)
    pathway.wishes_to_commit, pathway.receives_rsa = True, True
    pathway.labour_market_status = "unemployed"
    pathway.save()
    entry.assess_eligibility(pathway=pathway, by=proposer)

    proposed, referral = referred("e", ReferralStatus.MET)
    pathway = entry.open_entry_file(referral=referral)
    entry.assess_eligibility(pathway=pathway, by=proposer)
    entry_item = committee_services.propose_entry(
        pathway=pathway,
        meeting=meeting,
        proposed_referent=proposer,
        note=records.secret,
        by=proposer,
    )

    awaiting, referral = referred("f", ReferralStatus.AWAITING_APPOINTMENT)
    appointment = participant_services.plan_appointment(
        referral=referral,
        scheduled_for=timezone.now() - datetime.timedelta(hours=2),
        with_user=proposer,
    )

    outreach, referral = referred("g", ReferralStatus.OUTREACH)
    participant_services.record_outreach_attempt(
        referral=referral,
        attempted_on=today - datetime.timedelta(days=2),
        mode=OutreachMode.CALL,
        result=OutreachResult.NO_ANSWER,
        note=records.secret,
        by=proposer,
    )

    extraction = Extraction.objects.create(
        requested_by=owner,
        date_from=today.replace(day=1) - datetime.timedelta(days=31),
        date_to=today.replace(day=1) - datetime.timedelta(days=1),
        file_format=ExtractionFormat.XLSX,
        status=ExtractionStatus.DONE,
        file_name="absent.xlsx",
        finished_at=timezone.now(),
    )
    role_request = RoleRequest.objects.create(
        user=UserFactory(),
        previous_role=Role.REFERENT,
        role=Role.ASSISTANT,
        requested_by=UserFactory(),
    )
    # A proposal of the owner's organisation (a provider's records are its organisation's),
    # whose summary names the records (`Offre-<token>`): the team and that provider only may
    # read it.
    proposal = ProposalFactory(provider=owner.organisation, summary=f"Offre-{token}")
    programme_year, _ = ProgrammeYear.objects.get_or_create(
        programme=participant_programme(followed), year=today.year
    )
    operation = Operation.objects.create(
        year=programme_year,
        kind=OperationKind.ACCOMPANIMENT,
        title=f"Portage des référents {token}",
        carrier=owner.organisation,
        budget=Decimal(120000),
        planned_on=today,
        target_people=60,
    )
    FundingLine.objects.create(operation=operation, funder=Funder.FSE, amount=Decimal(60000))
    statement = BudgetStatement.objects.create(
        operation=operation, kind=StatementKind.MID_TERM, drawn_on=today
    )
    evidence = statement.evidence.create(
        title="Bulletins de salaire", document=store(a_pdf("bulletins.pdf"), user=None)
    )
    # An agreement of the owner's organisation (`Convention-<token>` in its title), its first
    # deliverable received, an extension asked: the team and that provider only may read it.
    agreement = make_agreement(owner.organisation, title=f"Convention-{token}", by=proposer)
    deliverable = agreement.instalments.get(order=1).deliverables.get()
    agreement_services.receive_deliverable(deliverable=deliverable, uploaded=pdf_upload(), by=owner)
    amendment = agreement_services.ask_amendment(
        agreement=agreement,
        kind=AmendmentKind.EXTENSION,
        reason="Prolonger l'action de six mois",
        asked_on=today,
        new_ends_on=agreement.ends_on + datetime.timedelta(days=180),
        by=proposer,
    )
    # An action of that agreement (`Action-<token>` in its title), with a cohort and its
    # sessions: the team, the référents and that provider only may open it; that provider
    # and the team only edit its sessions.
    programme_action = make_action(agreement, title=f"Action-{token}")
    cohort = make_cohort(programme_action)
    session = cohort.sessions.first()
    # A document of the call (public once the call is published) and one of the proposal.
    call_document = proposal.call.documents.create(
        title="Cahier des charges", document=store(a_pdf("cahier-des-charges.pdf"), user=None)
    )
    proposal_document = proposal.documents.create(
        required_content=proposal.call.required_contents.first(),
        document=store(a_pdf(f"Offre-{token}.pdf"), user=None),
    )
    # Actions (issue 12) --------------------------------------------------------------------
    # An action on the owner's agreement, two cohorts to come and one under way; a person the
    # owner follows referred to the first cohort (sent: in the provider's lists), another
    # accepted in the one under way (its step « Action du PLIE » made). The reason names the
    # records (`Orientation-<token>`): only who may open the referral reads it; the provider
    # reads the names of the people referred to it, and no other.
    referral_action = make_action(agreement)
    referral_cohort = make_cohort(
        referral_action, starts_on=today + datetime.timedelta(days=14), sessions=False
    )
    make_cohort(
        referral_action, number=2, starts_on=today + datetime.timedelta(days=35), sessions=False
    )
    running = make_cohort(
        referral_action, number=3, starts_on=today - datetime.timedelta(days=7), sessions=False
    )
    referred = active_pathway(
        owner, entry_date=today - datetime.timedelta(days=60), last_name=f"{token}r"
    ).participant
    in_action = active_pathway(
        owner, entry_date=today - datetime.timedelta(days=90), last_name=f"{token}s"
    ).participant
    people += [referred, in_action]
    referral = refer(
        referred,
        referral_cohort,
        by=owner,
        reason=f"Orientation-{token}",
        shared_fields=["participants.Participant.phone"],
    )
    # Accepted before its group began (nobody enters a group under way).
    accepted = refer(
        in_action,
        running,
        by=owner,
        reason=f"Orientation-{token}",
        status=ActionReferralStatus.ACCEPTED,
    )
    # --- Attendance (issue 12, §3) ---------------------------------------------------------
    # An action on the owner's agreement, a cohort whose sessions are past, one person
    # accepted in it (`Stagiaire<token>`, not among `people`: a provider reads the name of
    # whom it welcomes) and the first session's signed sheet.
    attendance_action = make_action(agreement, title=f"Action-{token}")
    attendance_cohort = make_cohort(
        attendance_action, starts_on=today - datetime.timedelta(days=28)
    )
    trainee = active_pathway(
        owner, entry_date=today - datetime.timedelta(days=40), last_name=f"Stagiaire{token}"
    )
    refer(trainee.participant, attendance_cohort, status=ActionReferralStatus.ACCEPTED, by=proposer)
    attendance_session = attendance_cohort.sessions.order_by("date").first()
    attendance_session.signed_sheet = store(a_pdf("emargement.pdf"), user=None)
    attendance_session.save()
    # Issue 12, diagnostics, follow-up sheets and thread (helper H4) -----------------------
    # A person the owner follows (`Diagnostic<token>`: the disclosure token), accepted in a
    # cohort of an action of the owner's organisation, with a French assessment, a draft
    # follow-up sheet (`Brouillon-<token>`) and a message: the team, the owner référent and
    # that provider only read them; the draft only who writes the sheets.
    assessed = active_pathway(
        owner, entry_date=today - datetime.timedelta(days=90), last_name=f"Diagnostic{token}"
    )
    assessed_referral = refer(
        assessed.participant,
        make_cohort(make_action(agreement), sessions=False),
        status=ActionReferralStatus.ACCEPTED,
        by=owner,
    )
    FrenchAssessment.objects.create(
        referral=assessed_referral, moment=Moment.START, assessed_on=today, oral_expression="A2"
    )
    draft_sheet = FollowUpSheet.objects.create(
        referral=assessed_referral, kind=SheetKind.INTERIM, observations=f"Brouillon-{token}"
    )
    ReferralMessage.objects.create(
        referral=assessed_referral, body="La personne a commencé lundi.", author=owner
    )
    records.objects.update(assessed_referral=assessed_referral, draft_sheet=draft_sheet)
    # ------------------------------------------------------------------------------------
    records.objects.update(
        attendance_action=attendance_action, attendance_session=attendance_session
    )
    # Issue 13, the action's reports (helper B) ------------------------------------------
    # The attendance action's reports: a draft (written by the provider) with a budget line
    # and its evidence, and one sent to the PLIE (reviewed by the coordination).
    reports_draft = make_report(attendance_action, kind="interim", quantitative=f"Bilan-{token}")
    reports_line = ReportBudgetLine.objects.create(
        report=reports_draft,
        side="expense",
        label="Salaires",
        amount=100,
        evidence=store(a_pdf("facture.pdf"), user=None),
    )
    reports_submitted = make_report(
        attendance_action,
        kind="final",
        status="submitted",
        quantitative="a",
        qualitative="b",
        lessons="c",
        adjustments="d",
    )
    records.objects.update(
        reports_action=make_action(agreement, title=f"Bilans-{token}"),
        reports_draft=reports_draft,
        reports_line=reports_line,
        reports_submitted=reports_submitted,
    )
    # ------------------------------------------------------------------------------------------
    records.objects.update(
        referral_action=referral_action,
        referral=referral,
        accepted_referral=accepted,
        referred_names=[referred.last_name.lower(), in_action.last_name.lower()],
    )
    # ------------------------------------------------------------------------------------------
    records.objects.update(
        action=programme_action,
        cohort=cohort,
        session=session,
        agreement=agreement,
        deliverable=deliverable,
        instalment=deliverable.instalment,
        amendment=amendment,
        proposal=proposal,
        programme_year=programme_year,
        operation=operation,
        evidence=evidence,
        call=proposal.call,
        call_document=call_document,
        proposal_document=proposal_document,
        role_request=role_request,
        people=people,
        followed=followed.participant,
        step=step,
        contact=contact,
        exit_item=exit_item,
        waiting=waiting.participant,
        left=left.participant,
        candidate=candidate,
        proposed=proposed,
        entry_item=entry_item,
        awaiting=awaiting,
        appointment=appointment,
        outreach=outreach,
        extraction=extraction,
        meeting=meeting,
        next_meeting=next_meeting,
    )
    # --- Satisfaction survey (issue 13, §1): the attendance cohort's survey opened, the
    # trainee's personal link still open.
    records.objects.update(surveys_cohort=attendance_cohort, surveys_action=attendance_action)
    records.objects.update(
        surveys_invitation=survey_services.open_survey(
            cohort=attendance_cohort, closes_on=today + datetime.timedelta(days=14), by=owner
        )[0]
    )
    return records


def _of_operation(name: str):
    return lambda r: (reverse(name, args=[r.operation.pk]), None)


def _on_call(name: str):
    return lambda r: (reverse(name, args=[r.call.pk]), None)


def _on_call_document(name: str):
    return lambda r: (reverse(name, args=[r.call.pk, r.call_document.pk]), None)


# What each address is asked about: (path, the object its permission is decided on).
TARGETS = {
    "accounts:role_decide": lambda r: (
        reverse("accounts:role_decide", args=[r.role_request.pk]),
        None,
    ),
    "web:participant": lambda r: (reverse("web:participant", args=[r.followed.pk]), r.followed),
    "participants:edit": lambda r: (reverse("participants:edit", args=[r.followed.pk]), r.followed),
    "participants:referral_add": lambda r: (
        reverse("participants:referral_add", args=[r.left.pk]),
        r.left,
    ),
    "participants:appointment_plan": lambda r: (
        reverse("participants:appointment_plan", args=[r.awaiting.pk]),
        r.awaiting,
    ),
    "participants:outreach_attempt": lambda r: (
        reverse("participants:outreach_attempt", args=[r.outreach.pk]),
        r.outreach,
    ),
    "pathways:appointment_outcome": lambda r: (
        reverse("pathways:appointment_outcome", args=[r.awaiting.pk, r.appointment.pk]),
        r.awaiting,
    ),
    "pathways:referral_close": lambda r: (
        reverse("pathways:referral_close", args=[r.awaiting.pk]),
        r.awaiting,
    ),
    "pathways:entry_file": lambda r: (
        reverse("pathways:entry_file", args=[r.candidate.pk, 1]),
        r.candidate,
    ),
    "pathways:eligibility_assess": lambda r: (
        reverse("pathways:eligibility_assess", args=[r.candidate.pk, 1]),
        r.candidate,
    ),
    "pathways:worklist": lambda r: (reverse("pathways:worklist", args=["sans-contact"]), None),
    "pathways:step_add": lambda r: (
        reverse("pathways:step_add", args=[r.waiting.pk, 1]),
        r.waiting,
    ),
    "pathways:step_edit": lambda r: (
        reverse("pathways:step_edit", args=[r.followed.pk, 1, r.step.pk]),
        r.followed,
    ),
    "pathways:step_withdraw": lambda r: (
        reverse("pathways:step_withdraw", args=[r.followed.pk, 1, r.step.pk]),
        r.followed,
    ),
    "pathways:contact_add": lambda r: (
        reverse("pathways:contact_add", args=[r.followed.pk, 1]),
        r.followed,
    ),
    "pathways:contact_edit": lambda r: (
        reverse("pathways:contact_edit", args=[r.followed.pk, 1, r.contact.pk]),
        r.followed,
    ),
    "pathways:contact_withdraw": lambda r: (
        reverse("pathways:contact_withdraw", args=[r.followed.pk, 1, r.contact.pk]),
        r.followed,
    ),
    "pathways:transfer": lambda r: (
        reverse("pathways:transfer", args=[r.waiting.pk, 1]),
        r.waiting,
    ),
    "pathways:follow_up": lambda r: (reverse("pathways:follow_up", args=[r.left.pk, 1]), r.left),
    "committee:meeting_detail": lambda r: (
        reverse("committee:meeting_detail", args=[r.meeting.pk]),
        None,
    ),
    "committee:decide": lambda r: (
        reverse("committee:decide", args=[r.meeting.pk, r.entry_item.pk]),
        None,
    ),
    "committee:move": lambda r: (
        reverse("committee:move", args=[r.meeting.pk, r.entry_item.pk]),
        None,
    ),
    "committee:close": lambda r: (reverse("committee:close", args=[r.next_meeting.pk]), None),
    "committee:agenda_pdf": lambda r: (
        reverse("committee:agenda_pdf", args=[r.meeting.pk]),
        None,
    ),
    "committee:minutes_pdf": lambda r: (
        reverse("committee:minutes_pdf", args=[r.meeting.pk]),
        None,
    ),
    "committee:withdraw": lambda r: (
        reverse("committee:withdraw", args=[r.meeting.pk, r.entry_item.pk]),
        r.proposed,
    ),
    "committee:propose_entry": lambda r: (
        reverse("committee:propose_entry", args=[r.candidate.pk, 1]),
        r.candidate,
    ),
    "committee:propose_exit": lambda r: (
        reverse("committee:propose_exit", args=[r.waiting.pk, 1]),
        r.waiting,
    ),
    "reporting:extraction_download": lambda r: (
        reverse("reporting:extraction_download", args=[r.extraction.pk]),
        r.extraction,
    ),
    "programme:year": lambda r: (reverse("programme:year", args=[r.programme_year.year]), None),
    "programme:operation_create": lambda r: (
        reverse("programme:operation_create", args=[r.programme_year.year]),
        None,
    ),
    **{
        name: _of_operation(name)
        for name in (
            "programme:operation",
            "programme:operation_edit",
            "programme:operation_funding",
            "programme:operation_state",
        )
    },
    "programme:statement_edit": lambda r: (
        reverse("programme:statement_edit", args=[r.operation.pk, "mid_term"]),
        None,
    ),
    "programme:statement_evidence_add": lambda r: (
        reverse("programme:statement_evidence_add", args=[r.operation.pk, "mid_term"]),
        None,
    ),
    "programme:statement_evidence": lambda r: (
        reverse("programme:statement_evidence", args=[r.operation.pk, "mid_term", r.evidence.pk]),
        None,
    ),
    "agreements:agreement_detail": lambda r: (
        reverse("agreements:agreement_detail", args=[r.agreement.pk]),
        r.agreement,
    ),
    "agreements:agreement_sign": lambda r: (
        reverse("agreements:agreement_sign", args=[r.agreement.pk]),
        r.agreement,
    ),
    "agreements:amendment_ask": lambda r: (
        reverse("agreements:amendment_ask", args=[r.agreement.pk]),
        r.agreement,
    ),
    "agreements:amendment_decide": lambda r: (
        reverse("agreements:amendment_decide", args=[r.agreement.pk, r.amendment.pk]),
        r.agreement,
    ),
    "agreements:deliverable_upload": lambda r: (
        reverse("agreements:deliverable_upload", args=[r.agreement.pk, r.deliverable.pk]),
        r.agreement,
    ),
    "agreements:deliverable_check": lambda r: (
        reverse("agreements:deliverable_check", args=[r.agreement.pk, r.deliverable.pk]),
        r.agreement,
    ),
    "agreements:deliverable_download": lambda r: (
        reverse("agreements:deliverable_download", args=[r.agreement.pk, r.deliverable.pk]),
        r.agreement,
    ),
    "agreements:payment_record": lambda r: (
        reverse("agreements:payment_record", args=[r.agreement.pk, r.instalment.pk]),
        r.agreement,
    ),
    # Actions: the owner's action, its cohort and a session, decided on the action.
    **{
        name: lambda r, name=name: (reverse(name, args=[r.action.pk]), r.action)
        for name in ("actions:action_detail", "actions:cohorts_generate")
    },
    # The added value of the owner's action (issue 13 §3), decided on the action.
    **{
        name: lambda r, name=name: (reverse(name, args=[r.action.pk]), r.action)
        for name in ("evaluation:added_value", "evaluation:added_value_pdf")
    },
    **{
        name: lambda r, name=name: (reverse(name, args=[r.cohort.pk]), r.action)
        for name in ("actions:cohort_detail", "actions:session_add")
    },
    **{
        name: lambda r, name=name: (reverse(name, args=[r.session.pk]), r.action)
        for name in ("actions:session_move", "actions:session_cancel")
    },
    # Calls and proposals: the call of the owner's proposal, open.
    **{
        name: _on_call(name)
        for name in (
            "purchasing:call_detail",
            "purchasing:call_edit",
            "purchasing:call_publish",
            "purchasing:call_close",
            "purchasing:call_document_add",
            "purchasing:proposal_record",
            "purchasing:public_call",
            "purchasing:portal_deposit",
        )
    },
    **{
        name: _on_call_document(name)
        for name in (
            "purchasing:call_document",
            "purchasing:call_document_remove",
            "purchasing:public_document",
        )
    },
    "purchasing:proposal_detail": lambda r: (
        reverse("purchasing:proposal_detail", args=[r.proposal.pk]),
        r.proposal,
    ),
    "purchasing:proposal_receipt": lambda r: (
        reverse("purchasing:proposal_receipt", args=[r.proposal.pk]),
        r.proposal,
    ),
    "purchasing:proposal_document": lambda r: (
        reverse("purchasing:proposal_document", args=[r.proposal.pk, r.proposal_document.pk]),
        r.proposal,
    ),
    # The judgement of proposals: the records' proposal and its call.
    **{
        name: lambda r, name=name: (reverse(name, args=[r.proposal.call_id]), None)
        for name in (
            "scoring:ranking",
            "scoring:consultation_open",
            "scoring:consultation_answer",
            "scoring:consultation_close",
            "scoring:award",
            "scoring:unsuccessful",
        )
    },
    **{
        name: lambda r, name=name: (reverse(name, args=[r.proposal.pk]), None)
        for name in ("scoring:scoring", "scoring:declare", "scoring:offers")
    },
    "scoring:letter": lambda r: (reverse("scoring:letter", args=[r.proposal.pk]), r.proposal),
    # Referrals to actions: the sent one (answers, withdrawal), the accepted one (outcome).
    "actions:referral_new": lambda r: (
        reverse("actions:referral_new", args=[r.waiting.pk]),
        r.waiting,
    ),
    **{
        name: lambda r, name=name: (reverse(name, args=[r.referral.pk]), r.referral)
        for name in (
            "actions:referral",
            "actions:referral_accept",
            "actions:referral_decline",
            "actions:referral_propose",
            "actions:referral_accept_proposal",
            "actions:referral_withdraw",
        )
    },
    "actions:referral_close": lambda r: (
        reverse("actions:referral_close", args=[r.accepted_referral.pk]),
        r.accepted_referral,
    ),
    # Attendance and days delivered: decided on the action.
    **{
        name: lambda r, name=name: (
            reverse(name, args=[r.attendance_session.pk]),
            r.attendance_action,
        )
        for name in (
            "actions:session_attendance",
            "actions:attendance_sheet",
            "actions:signed_sheet_upload",
            "actions:signed_sheet",
        )
    },
    # Issue 12, diagnostics, follow-up sheets and thread (helper H4): on the owner's referral.
    **{
        name: lambda r, name=name: (
            reverse(name, args=[r.assessed_referral.pk]),
            r.assessed_referral,
        )
        for name in (
            "actions:referral_assessments",
            "actions:assessment_mobility",
            "actions:referral_follow_up",
            "actions:sheet_create",
            "actions:message_post",
        )
    },
    **{
        name: lambda r, name=name: (
            reverse(name, args=[r.attendance_action.pk]),
            r.attendance_action,
        )
        for name in (
            "actions:days_statement",
            "actions:days_statement_pdf",
            "actions:days_statement_xlsx",
            "actions:days_statement_hand_in",
        )
    },
    # Issue 13, the action's reports (helper B): on the owner's organisation's action.
    "evaluation:reports_open": lambda r: (
        reverse("evaluation:reports_open", args=[r.reports_action.pk]),
        r.reports_action,
    ),
    **{
        name: lambda r, name=name: (
            reverse(name, args=[r.reports_draft.pk]),
            r.reports_draft.action,
        )
        for name in (
            "evaluation:report",
            "evaluation:report_pdf",
            "evaluation:budget_line_add",
        )
    },
    "evaluation:report_review": lambda r: (
        reverse("evaluation:report_review", args=[r.reports_submitted.pk]),
        r.reports_submitted.action,
    ),
    **{
        name: lambda r, name=name: (
            reverse(name, args=[r.reports_line.pk]),
            r.reports_line.report.action,
        )
        for name in ("evaluation:budget_line_remove", "evaluation:budget_evidence")
    },
    **{
        name: lambda r, name=name: (
            reverse(name, args=[r.assessed_referral.pk, "debut"]),
            r.assessed_referral,
        )
        for name in (
            "actions:assessment_french",
            "actions:assessment_clea",
            "actions:assessment_self",
        )
    },
    **{
        name: lambda r, name=name: (
            reverse(name, args=[r.assessed_referral.pk, r.draft_sheet.pk]),
            r.assessed_referral,
        )
        for name in ("actions:sheet_edit", "actions:sheet_send")
    },
    # The satisfaction survey (issue 13, §1): the attendance action and cohort, decided on it.
    "actions:survey_action": lambda r: (
        reverse("actions:survey_action", args=[r.surveys_action.pk]),
        r.surveys_action,
    ),
    **{
        name: lambda r, name=name: (reverse(name, args=[r.surveys_cohort.pk]), r.surveys_action)
        for name in (
            "actions:survey_cohort",
            "actions:survey_open",
            "actions:survey_close",
            "actions:survey_links",
            "actions:survey_sheet",
        )
    },
    "actions:survey_answer": lambda r: (
        reverse("actions:survey_answer", args=[r.surveys_invitation.token]),
        None,
    ),
}


def target(name: str, records: Records):
    if name in TARGETS:
        return TARGETS[name](records)
    return reverse(name), None
