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

from plie.participants.enums import ParticipantStatus, ReferralStatus
from plie.pathways.models import StepType
from tests.factories import ParticipantFactory, PrescriberFactory, ReferralFactory

PASSWORD = "mot-de-passe-de-test"


# In `valid`: the first value the page offers for that field (a référent, a prescriber…).
OFFERED = "<le premier choix offert>"


@dataclass(frozen=True)
class Target:
    page: object  # records -> the path of the page that shows the form (None: a bare button)
    action: object = None  # records -> the path the form posts to (None: the page itself)
    valid: object = field(default=lambda records: {})  # records -> values it accepts


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
        lambda r: {"confirm": "on"},
    ),
    "scoring:unsuccessful": Target(
        None,
        lambda r: reverse("scoring:unsuccessful", args=[r.proposal.call_id]),
        lambda r: {"confirm": "on"},
    ),
}


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
