"""Every POST form of the site, as the fuzzer drives it: the page that shows the form, the
address it posts to, and values a person could send that the page accepts (`valid`: what
the page does not fill in by itself). One line per address that takes a POST; an address
taking a POST with no line here fails tests/fuzz/test_every_form_is_fuzzed.py.

All are sent as the coordinator, who may post every page of the site, on the records of
tests/web/matrix_records.py (she follows them) and a few more (`extra_records`)."""

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from plie.accounts.enums import Role
from plie.actions.calendar import public_holiday
from plie.actions.enums import Fundamental
from plie.actions.models import CleaSubdomain
from plie.participants.enums import ParticipantStatus, ReferralStatus
from plie.pathways.models import StepType
from plie.purchasing.enums import CallStatus
from tests.factories import (
    CallForProposalsFactory,
    ParticipantFactory,
    PrescriberFactory,
    ProviderFactory,
    ReferralFactory,
    UserFactory,
    schedule_template,
)

PASSWORD = "mot-de-passe-de-test"


# In `valid`: the first value the page offers for that field (a référent, a prescriber…).
OFFERED = "<le premier choix offert>"


@dataclass(frozen=True)
class Target:
    page: object  # records -> the path of the page that shows the form (None: a bare button)
    action: object = None  # records -> the path the form posts to (None: the page itself)
    valid: object = field(default=lambda records: {})  # records -> values it accepts
    user: object = None  # records -> who sends it, when the coordinator may not (a provider)


def day(offset: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=offset)).isoformat()


def moment(offset_hours: int) -> str:
    when = timezone.localtime() + datetime.timedelta(hours=offset_hours)
    return when.strftime("%Y-%m-%dT%H:%M")


def participant_page(participant) -> str:
    return reverse("web:participant", args=[participant.pk])


def pathway_url(name: str, participant, *more) -> str:
    return reverse(name, args=[participant.pk, 1, *more])


def extra_records(records, prescriber=None) -> None:
    """A person waiting for their first appointment with none planned yet."""
    participant = ParticipantFactory(
        referent=records.owner, last_name=f"{records.token}h", status=ParticipantStatus.REFERRED
    )
    ReferralFactory(
        participant=participant,
        prescriber=prescriber or PrescriberFactory(),
        status=ReferralStatus.AWAITING_APPOINTMENT,
        reason="Orientée par sa conseillère",
    )
    records.objects["unplanned"] = participant
    purchasing_records(records)


def purchasing_records(records) -> None:
    """A draft call with its contents and criteria, and a provider's user (the portal)."""
    draft = CallForProposalsFactory(
        status=CallStatus.DRAFT, published_at=None, reference=f"AAP-{records.token}"
    )
    records.objects["draft_call"] = draft
    records.objects["provider_user"] = UserFactory(
        username=f"prestataire.{records.token.lower()}",
        role=Role.PROVIDER,
        organisation=ProviderFactory(),
    )


def reports_provider(records):
    """A provider's user of the owner's organisation, which the records' agreement is with:
    the one who writes its actions' reports (issue 13)."""
    if "reports_provider" not in records.objects:
        records.objects["reports_provider"] = UserFactory(
            username=f"prestataire.bilans.{records.token.lower()}",
            role=Role.PROVIDER,
            organisation=records.owner.organisation,
        )
    return records.objects["reports_provider"]


def identity(participant) -> dict:
    return {
        "last_name": participant.last_name,
        "first_name": participant.first_name,
        "sex": participant.sex,
        "birth_date": participant.birth_date.isoformat(),
        "commune": str(participant.commune_id),
        "right_to_work": "true",
    }


REFERRAL = {
    "referral-prescriber": OFFERED,
    "referral-referent": OFFERED,
    "referral-reason": "Orientée par sa conseillère",
}


def step_values(records) -> dict:
    return {
        "step_type": str(StepType.objects.get(code="cdi").pk),
        "start_date": day(-10),
        "organisation_name": "Clinique du Parc",
        "weekly_hours": "30",
    }


TARGETS: dict[str, Target] = {
    "accounts:password_change": Target(
        lambda r: reverse("accounts:password_change"),
        valid=lambda r: {
            "old_password": PASSWORD,
            "new_password1": "Un-autre-mot-de-passe-2026",
            "new_password2": "Un-autre-mot-de-passe-2026",
        },
    ),
    "accounts:role_decide": Target(
        lambda r: reverse("accounts:role_requests"),
        lambda r: reverse("accounts:role_decide", args=[r.role_request.pk]),
        lambda r: {"decision": "approve"},
    ),
    "accounts:account_access": Target(
        None,  # one small form per account in need (none in these records)
        lambda r: reverse("accounts:account_access"),
        lambda r: {"account": str(r.owner.pk), "action": "unlock"},
    ),
    "participants:referral_create": Target(
        lambda r: reverse("participants:referral_create"),
        valid=lambda r: {
            **{f"person-{key}": value for key, value in identity(r.followed).items()},
            "person-last_name": "Nouvelle",
            **REFERRAL,
        },
    ),
    "participants:edit": Target(
        lambda r: reverse("participants:edit", args=[r.followed.pk]),
        valid=lambda r: identity(r.followed),
    ),
    "participants:referral_add": Target(
        lambda r: reverse("participants:referral_add", args=[r.left.pk]), valid=lambda r: REFERRAL
    ),
    "participants:appointment_plan": Target(
        lambda r: participant_page(r.unplanned),
        lambda r: reverse("participants:appointment_plan", args=[r.unplanned.pk]),
        lambda r: {"scheduled_for": moment(48), "place": "Maison de l'emploi"},
    ),
    "participants:outreach_attempt": Target(
        lambda r: participant_page(r.outreach),
        lambda r: reverse("participants:outreach_attempt", args=[r.outreach.pk]),
        lambda r: {"attempted_on": day(0), "mode": "call", "result": "no_answer"},
    ),
    "pathways:appointment_outcome": Target(
        lambda r: participant_page(r.awaiting),
        lambda r: reverse("pathways:appointment_outcome", args=[r.awaiting.pk, r.appointment.pk]),
        lambda r: {"outcome": "attended"},
    ),
    "pathways:referral_close": Target(
        lambda r: participant_page(r.outreach),
        lambda r: reverse("pathways:referral_close", args=[r.outreach.pk]),
        lambda r: {"close-outcome": "declined", "close-note": "Ne souhaite pas s'engager"},
    ),
    "pathways:entry_file": Target(
        lambda r: pathway_url("pathways:entry_file", r.candidate),
        valid=lambda r: {"wishes_to_commit": "true", "labour_market_status": "unemployed"},
    ),
    "pathways:eligibility_assess": Target(
        lambda r: participant_page(r.candidate),
        lambda r: pathway_url("pathways:eligibility_assess", r.candidate),
    ),
    "pathways:step_add": Target(
        lambda r: pathway_url("pathways:step_add", r.waiting), valid=step_values
    ),
    "pathways:step_edit": Target(
        lambda r: pathway_url("pathways:step_edit", r.followed, r.step.pk), valid=step_values
    ),
    "pathways:step_withdraw": Target(
        lambda r: pathway_url("pathways:step_withdraw", r.followed, r.step.pk),
        valid=lambda r: {"reason": "Saisie en double"},
    ),
    "pathways:contact_add": Target(
        lambda r: pathway_url("pathways:contact_add", r.followed),
        valid=lambda r: {"contacted_on": day(-1), "mode": "phone", "summary": "Point mensuel"},
    ),
    "pathways:contact_edit": Target(
        lambda r: pathway_url("pathways:contact_edit", r.followed, r.contact.pk),
    ),
    "pathways:contact_withdraw": Target(
        lambda r: pathway_url("pathways:contact_withdraw", r.followed, r.contact.pk),
        valid=lambda r: {"reason": "Saisie en double"},
    ),
    "pathways:transfer": Target(
        lambda r: pathway_url("pathways:transfer", r.waiting),
        valid=lambda r: {"new_referent": OFFERED, "reason": "Départ en congé"},
    ),
    "pathways:follow_up": Target(
        lambda r: pathway_url("pathways:follow_up", r.left),
        valid=lambda r: {"done_on": day(0), "situation": "same_job"},
    ),
    "committee:committee_list": Target(
        lambda r: reverse("committee:committee_list"),
        valid=lambda r: {"held_on": day(21), "place": "Salle du conseil"},
    ),
    "committee:decide": Target(
        lambda r: reverse("committee:meeting_detail", args=[r.meeting.pk]),
        lambda r: reverse("committee:decide", args=[r.meeting.pk, r.entry_item.pk]),
        lambda r: {"decision": "approved"},
    ),
    "committee:move": Target(
        lambda r: reverse("committee:meeting_detail", args=[r.meeting.pk]),
        lambda r: reverse("committee:move", args=[r.meeting.pk, r.entry_item.pk]),
        lambda r: {"meeting": str(r.next_meeting.pk)},
    ),
    "committee:close": Target(
        lambda r: reverse("committee:meeting_detail", args=[r.meeting.pk]),
        lambda r: reverse("committee:close", args=[r.meeting.pk]),
    ),
    "committee:withdraw": Target(
        lambda r: participant_page(r.proposed),
        lambda r: reverse("committee:withdraw", args=[r.meeting.pk, r.entry_item.pk]),
    ),
    "committee:propose_entry": Target(
        lambda r: pathway_url("committee:propose_entry", r.candidate),
        valid=lambda r: {"meeting": str(r.next_meeting.pk), "proposed_referent": OFFERED},
    ),
    "committee:propose_exit": Target(
        lambda r: pathway_url("committee:propose_exit", r.waiting),
        valid=lambda r: {"meeting": str(r.next_meeting.pk), "reason": "moved"},
    ),
    # A button: its page hides it while a run is pending, and asks for one when it opens.
    "reporting:quality": Target(None, lambda r: reverse("reporting:quality")),
    "reporting:extractions": Target(lambda r: reverse("reporting:extractions")),
    "programme:years": Target(
        lambda r: reverse("programme:years"),
        valid=lambda r: {"year": str(timezone.localdate().year + 3)},
    ),
    "programme:operation_create": Target(
        lambda r: reverse("programme:operation_create", args=[r.programme_year.year]),
        valid=lambda r: {
            "kind": "participant_actions",
            "title": "Atelier de remobilisation",
            "carrier": OFFERED,
            "budget": "45000",
        },
    ),
    "programme:operation_edit": Target(
        lambda r: reverse("programme:operation_edit", args=[r.operation.pk]),
        valid=lambda r: {
            "kind": "accompaniment",
            "title": "Portage des référents",
            "carrier": OFFERED,
            "budget": "120000",
        },
    ),
    "programme:operation_funding": Target(
        lambda r: reverse("programme:operation_funding", args=[r.operation.pk]),
        valid=lambda r: {"fse": "60000", "metropole": "60000"},
    ),
    "programme:operation_state": Target(
        lambda r: reverse("programme:operation", args=[r.operation.pk]),
        lambda r: reverse("programme:operation_state", args=[r.operation.pk]),
        lambda r: {"target": "approved", "on": day(0)},
    ),
    "programme:statement_edit": Target(
        lambda r: reverse("programme:statement_edit", args=[r.operation.pk, "mid_term"]),
        valid=lambda r: {
            "drawn_on": day(0),
            "side_0": "expense",
            "label_0": "Salaires des référents",
            "amount_0": "58000",
        },
    ),
    # Agreements: one page holds their forms, each posting to its own address.
    "agreements:agreement_create": Target(
        lambda r: reverse("agreements:agreement_create"),
        valid=lambda r: {
            "provider": str(ProviderFactory().pk),
            "title": "Accueil d'un référent",
            "purpose": "Mise à disposition d'un référent de parcours.",
            "amount": "24000",
            "starts_on": day(0),
            "schedule_template": str(schedule_template().pk),
        },
    ),
    "agreements:agreement_sign": Target(
        lambda r: agreement_page(r),
        lambda r: reverse("agreements:agreement_sign", args=[r.agreement.pk]),
        lambda r: {"signed_on": day(0)},
    ),
    "agreements:amendment_ask": Target(
        lambda r: agreement_page(r),
        lambda r: reverse("agreements:amendment_ask", args=[r.agreement.pk]),
        lambda r: {"kind": "other", "reason": "Changer le lieu de l'action", "asked_on": day(0)},
    ),
    "agreements:amendment_decide": Target(
        lambda r: agreement_page(r),
        lambda r: reverse("agreements:amendment_decide", args=[r.agreement.pk, r.amendment.pk]),
        lambda r: {
            f"a{r.amendment.pk}-decision": "refused",
            f"a{r.amendment.pk}-decided_on": day(0),
            f"a{r.amendment.pk}-body": "Comité de pilotage",
        },
    ),
    "agreements:deliverable_check": Target(
        lambda r: agreement_page(r),
        lambda r: reverse("agreements:deliverable_check", args=[r.agreement.pk, r.deliverable.pk]),
        lambda r: {f"v{r.deliverable.pk}-outcome": "accepted"},
    ),
    # Its form shows once the instalment is due; refused before, with the reasons.
    "agreements:payment_record": Target(
        None,
        lambda r: reverse("agreements:payment_record", args=[r.agreement.pk, r.instalment.pk]),
        lambda r: {f"e{r.instalment.pk}-paid_on": day(0)},
    ),
    # Actions: a new action on the records' agreement, its cohorts generated (a bare button),
    # and the session forms of the cohort page, each posting to its own address.
    "actions:action_create": Target(
        lambda r: reverse("actions:action_create"),
        valid=lambda r: {
            "agreement": str(r.agreement.pk),
            "title": "Remobilisation vers l'emploi",
            "places": "120",
            "minimum_per_cohort": "8",
            "maximum_per_cohort": "12",
            "starts_on": r.agreement.starts_on.isoformat(),
            "ends_on": r.agreement.ends_on.isoformat(),
            "cohort_every_weeks": "3",
            "cohort_weeks": "3",
            "weekdays": "0",
            "half_day": "morning",
            "hours_per_session": "3,5",
            "individual_interviews": "0",
        },
    ),
    "actions:cohorts_generate": Target(
        lambda r: action_page(r),
        lambda r: reverse("actions:cohorts_generate", args=[r.action.pk]),
    ),
    "actions:session_move": Target(
        lambda r: cohort_page(r),
        lambda r: reverse("actions:session_move", args=[r.session.pk]),
        lambda r: {
            f"d{r.session.pk}-date": working_day_of(r.cohort, r.session.date).isoformat(),
            f"d{r.session.pk}-half_day": "afternoon",
        },
    ),
    "actions:session_cancel": Target(
        lambda r: cohort_page(r),
        lambda r: reverse("actions:session_cancel", args=[r.session.pk]),
        lambda r: {f"a{r.session.pk}-reason": "Intervenante malade"},
    ),
    "actions:session_add": Target(
        lambda r: cohort_page(r),
        lambda r: reverse("actions:session_add", args=[r.cohort.pk]),
        lambda r: {
            "n-date": working_day_of(r.cohort, r.cohort.ends_on, -1).isoformat(),
            "n-half_day": "afternoon",
            "n-kind": "individual",
            "n-hours": "1,5",
        },
    ),
    "purchasing:call_create": Target(
        lambda r: reverse("purchasing:call_create"),
        valid=lambda r: {
            "procedure": "service",
            "reference": "AAP-2031-01",
            "title": "Atelier de remobilisation",
            "purpose": "Remobiliser des participants éloignés de l'emploi.",
            "deadline": moment(24 * 20),
            "budget_cap": "40000",
            "contents-0-label": "Présentation du candidat",
            "criteria-0-label": "Valeur technique",
            "criteria-0-weight": "70",
            "criteria-1-label": "Prix",
            "criteria-1-weight": "30",
            "criteria-1-is_price": "on",
        },
    ),
    "purchasing:call_edit": Target(
        lambda r: reverse("purchasing:call_edit", args=[r.draft_call.pk])
    ),
    "purchasing:call_publish": Target(
        lambda r: reverse("purchasing:call_detail", args=[r.draft_call.pk]),
        lambda r: reverse("purchasing:call_publish", args=[r.draft_call.pk]),
    ),
    # A button its page shows once the deadline has passed (the call of these records is open).
    "purchasing:call_close": Target(
        None, lambda r: reverse("purchasing:call_close", args=[r.call.pk])
    ),
    "purchasing:call_document_add": Target(
        lambda r: reverse("purchasing:call_detail", args=[r.draft_call.pk]),
        lambda r: reverse("purchasing:call_document_add", args=[r.draft_call.pk]),
        lambda r: {"title": "Cahier des charges"},
    ),
    "purchasing:call_document_remove": Target(
        None,
        lambda r: reverse("purchasing:call_document_remove", args=[r.call.pk, r.call_document.pk]),
    ),
    "purchasing:proposal_record": Target(
        lambda r: reverse("purchasing:proposal_record", args=[r.call.pk]),
        valid=lambda r: {
            "new_provider_name": "Association Nouvelle",
            "received_at": moment(-2),
            "channel": "email",
            "price": "32000",
        },
    ),
    "purchasing:portal_deposit": Target(
        lambda r: reverse("purchasing:portal_deposit", args=[r.call.pk]),
        valid=lambda r: {"price": "35000", "summary": "Ateliers collectifs"},
        user=lambda r: r.provider_user,
    ),
    # The judgement of proposals: the records' call past its deadline (`judged`).
    "scoring:scoring": Target(
        lambda r: reverse("scoring:scoring", args=[judged(r, declared=True).pk]),
        valid=lambda r: scores(r),
    ),
    "scoring:declare": Target(
        lambda r: reverse("scoring:scoring", args=[judged(r).pk]),
        lambda r: reverse("scoring:declare", args=[r.proposal.pk]),
        lambda r: {"declaration": "no_conflict"},
    ),
    "scoring:offers": Target(
        lambda r: reverse("scoring:offers", args=[judged(r).pk]),
        valid=lambda r: {"kind": "negotiated", "made_at": moment(-1), "price": "28000"},
    ),
    "scoring:consultation_open": Target(
        lambda r: reverse("scoring:consultation_open", args=[judged(r, scored=True).call_id]),
        valid=lambda r: {"proposed": OFFERED, "message": "Votre avis ?", "answer_by": day(7)},
    ),
    # Buttons; the state of the records' call refuses them with a message.
    "scoring:consultation_close": Target(
        None, lambda r: reverse("scoring:consultation_close", args=[r.proposal.call_id])
    ),
    "scoring:award": Target(
        None,
        lambda r: reverse("scoring:award", args=[r.proposal.call_id]),
        lambda r: {"confirm": "on", "starts_on": day(30)},
    ),
    "scoring:unsuccessful": Target(
        None,
        lambda r: reverse("scoring:unsuccessful", args=[r.proposal.call_id]),
        lambda r: {"confirm": "on"},
    ),
    # Referrals to actions: the référent's form; the provider's answers on the sent referral
    # (one page, a form per answer); the outcome on the accepted one; the référent's buttons.
    "actions:referral_new": Target(
        lambda r: reverse("actions:referral_new", args=[r.waiting.pk]),
        valid=lambda r: {"cohort": OFFERED, "reason": "Reprendre un rythme"},
    ),
    "actions:referral_accept": Target(
        lambda r: referral_page(r.referral),
        lambda r: reverse("actions:referral_accept", args=[r.referral.pk]),
        lambda r: {"accept-cohort": str(r.referral.cohort_id)},
    ),
    "actions:referral_decline": Target(
        lambda r: referral_page(r.referral),
        lambda r: reverse("actions:referral_decline", args=[r.referral.pk]),
        lambda r: {"decline-reason": "Le groupe ne convient pas"},
    ),
    "actions:referral_propose": Target(
        lambda r: referral_page(r.referral),
        lambda r: reverse("actions:referral_propose", args=[r.referral.pk]),
        lambda r: {"propose-cohort": OFFERED},
    ),
    "actions:referral_close": Target(
        lambda r: referral_page(r.accepted_referral),
        lambda r: reverse("actions:referral_close", args=[r.accepted_referral.pk]),
        lambda r: {"close-outcome": "completed", "close-ended_on": day(0)},
    ),
    "actions:referral_accept_proposal": Target(
        None, lambda r: reverse("actions:referral_accept_proposal", args=[r.referral.pk])
    ),
    "actions:referral_withdraw": Target(
        None, lambda r: reverse("actions:referral_withdraw", args=[r.referral.pk])
    ),
    # Attendance (issue 12, §3): a past session's presences, one radio group per person;
    # the statement's « Déposer comme livrable » (its period in hidden fields).
    "actions:session_attendance": Target(
        lambda r: reverse("actions:session_attendance", args=[r.attendance_session.pk]),
    ),
    "actions:days_statement_hand_in": Target(
        lambda r: reverse("actions:days_statement", args=[r.attendance_action.pk]),
        lambda r: reverse("actions:days_statement_hand_in", args=[r.attendance_action.pk]),
    ),
    # Issue 13, the action's reports (helper B): written by a provider of the owner's
    # organisation, reviewed by the coordinator.
    "evaluation:reports_open": Target(
        lambda r: reverse("actions:action_detail", args=[r.reports_action.pk]),
        lambda r: reverse("evaluation:reports_open", args=[r.reports_action.pk]),
        valid=lambda r: {"plan": "consultation"},
        user=lambda r: reports_provider(r),
    ),
    "evaluation:report": Target(
        lambda r: reverse("evaluation:report", args=[r.reports_draft.pk]),
        valid=lambda r: {"quantitative": "Douze personnes entrées.", "send": "save"},
        user=lambda r: reports_provider(r),
    ),
    "evaluation:budget_line_add": Target(
        lambda r: reverse("evaluation:report", args=[r.reports_draft.pk]),
        lambda r: reverse("evaluation:budget_line_add", args=[r.reports_draft.pk]),
        valid=lambda r: {"side": "expense", "label": "Salaires", "amount": "1200"},
        user=lambda r: reports_provider(r),
    ),
    "evaluation:report_review": Target(
        lambda r: reverse("evaluation:report", args=[r.reports_submitted.pk]),
        lambda r: reverse("evaluation:report_review", args=[r.reports_submitted.pk]),
        valid=lambda r: {"decision": "comment", "comments": "Précisez les abandons."},
    ),
    # Issue 12, diagnostics, follow-up sheets and thread (helper H4): the owner's referral.
    "actions:assessment_french": Target(
        lambda r: _referral_url("actions:assessment_french", r, "debut"),
        valid=lambda r: {"assessed_on": day(0), "oral_comprehension": "A2"},
    ),
    "actions:assessment_mobility": Target(
        lambda r: _referral_url("actions:assessment_mobility", r),
        valid=lambda r: {
            "assessed_on": day(0),
            "driving_licence": "none",
            "vehicle": "bicycle",
            "public_transport": "autonomous",
            "travel_radius_km": "15",
        },
    ),
    "actions:assessment_clea": Target(
        lambda r: _referral_url("actions:assessment_clea", r, "debut"),
        valid=lambda r: (
            {"assessed_on": day(0)}
            | {f"sd_{pk}": "acquired" for pk in CleaSubdomain.objects.values_list("pk", flat=True)}
        ),
    ),
    "actions:assessment_self": Target(
        lambda r: _referral_url("actions:assessment_self", r, "fin"),
        valid=lambda r: {"assessed_on": day(0)} | dict.fromkeys(Fundamental.values, "3"),
    ),
    "actions:sheet_create": Target(
        lambda r: _referral_url("actions:sheet_create", r),
        valid=lambda r: {
            "kind": "interim",
            "observations": "Présente et investie.",
            "axis_0": "training",
            "text_0": "Positionnement CléA complet.",
        },
    ),
    "actions:sheet_edit": Target(
        lambda r: reverse("actions:sheet_edit", args=[r.assessed_referral.pk, r.draft_sheet.pk]),
        valid=lambda r: {"kind": "final", "observations": "Action terminée."},
    ),
    "actions:sheet_send": Target(
        None,
        lambda r: reverse("actions:sheet_send", args=[r.assessed_referral.pk, r.draft_sheet.pk]),
    ),
    "actions:message_post": Target(
        lambda r: _referral_url("actions:referral_follow_up", r),
        lambda r: _referral_url("actions:message_post", r),
        lambda r: {"body": "Pouvez-vous me rappeler ?"},
    ),
    # The satisfaction survey (issue 13, §1): opened by the team, answered without an account.
    "actions:survey_open": Target(
        lambda r: reverse("actions:survey_cohort", args=[r.surveys_cohort.pk]),
        lambda r: reverse("actions:survey_open", args=[r.surveys_cohort.pk]),
        lambda r: {"closes_on": day(14)},
    ),
    "actions:survey_close": Target(
        None, lambda r: reverse("actions:survey_close", args=[r.surveys_cohort.pk])
    ),
    "actions:survey_answer": Target(
        lambda r: reverse("actions:survey_answer", args=[r.surveys_invitation.token]),
        valid=lambda r: survey_answers(r.surveys_invitation),
    ),
}


def survey_answers(invitation) -> dict:
    """Every question answered: 3 on a scale, the first choice, a short free text."""
    values = {}
    for question in invitation.survey.questions.all():
        if question.kind == "scale":
            values[f"q{question.pk}"] = "3"
        elif question.kind == "choice":
            values[f"q{question.pk}"] = question.labels()[0]
        else:
            values[f"q{question.pk}"] = "Merci pour l'accueil."
    return values


def referral_page(referral) -> str:
    return reverse("actions:referral", args=[referral.pk])


def action_page(records) -> str:
    return reverse("actions:action_detail", args=[records.action.pk])


def cohort_page(records) -> str:
    return reverse("actions:cohort_detail", args=[records.cohort.pk])


def working_day_of(cohort, after: datetime.date, step: int = 1) -> datetime.date:
    """The first day of `cohort` after `after` (before it when `step` is -1, from `after`
    itself) that is no public holiday: where a session may go whatever today is."""
    first = after + datetime.timedelta(days=step if step > 0 else 0)
    days = (first + datetime.timedelta(days=step * n) for n in range(21))
    return next(
        day for day in days if cohort.starts_on <= day <= cohort.ends_on and not public_holiday(day)
    )


def _referral_url(name: str, records, *more) -> str:
    return reverse(name, args=[records.assessed_referral.pk, *more])


def agreement_page(records) -> str:
    return reverse("agreements:agreement_detail", args=[records.agreement.pk])


def judged(records, *, declared=False, scored=False):
    """The records' proposal, its call past its deadline; the owner (the coordinator) has
    declared no conflict (`declared`), or scored it, a steering member waiting (`scored`)."""
    from plie.accounts.enums import Role
    from plie.purchasing import decision
    from tests.factories import UserFactory

    proposal = records.proposal
    call = proposal.call
    call.deadline = timezone.now() - datetime.timedelta(days=1)
    call.save(update_fields=["deadline"])
    proposal.received_at = call.deadline - datetime.timedelta(days=1)
    proposal.save(update_fields=["received_at"])
    proposal.refresh_from_db()
    if declared or scored:
        evaluation = decision.declare_interests(
            proposal=proposal, evaluator=records.owner, conflict=False
        )
    if scored:
        decision.record_scores(
            evaluation=evaluation,
            scores={c: (7, "Solide") for c in call.criteria.all() if not c.is_price},
        )
        UserFactory(role=Role.STEERING_VIEWER)
    return proposal


def scores(records) -> dict:
    values = {}
    for criterion in records.proposal.call.criteria.filter(is_price=False):
        values[f"points_{criterion.pk}"] = "7.5"
        values[f"comment_{criterion.pk}"] = "Méthode claire"
    return values
