"""The table of roles, and the action each address of the application needs.

For every action the apps declare (core.permissions), what each role may do is read from the
action's own predicate, on a record of the user's own and on someone else's: « tous », « les
siens », « oui » or « — » (`reach`). Each address (URL name) says the action a GET and a POST
need (`PAGES`); the role summaries of the README are claims checked against the table
(`SUMMARIES`). docs/permissions.md is written from all three (`plie permissions --markdown`),
and tests/web/test_permission_matrix.py requests every address as every role, on a record of
its own and on someone else's, and fails on any answer the table does not allow — and on any
address missing from `PAGES`: a new address is declared here, in one line.
"""

from __future__ import annotations

import dataclasses
import enum

from plie.accounts.enums import Role
from plie.accounts.models import User
from plie.actions.models import Action as ProgrammeAction
from plie.actions.models import ActionReferral
from plie.agreements.models import Agreement
from plie.core.permissions import Action, action, actions, allows
from plie.participants.models import Participant
from plie.purchasing.models import Proposal
from plie.reporting.models import Extraction


class Reach(enum.Enum):
    """What a role may do of an action, as the table says it."""

    NONE = "—"
    OWN = "les siens"  # on the records of the people one follows (one's own extractions)
    ALL = "tous"
    YES = "oui"  # an action decided on no record


# The objects an action is decided on, built for a user as theirs (owner_id: the user's id)
# or as someone else's: they are never saved.
OBJECTS = {
    "participant": lambda owner_id: Participant(referent_id=owner_id),
    "extraction": lambda owner_id: Extraction(requested_by_id=owner_id),
    # A provider's records are its organisation's: the user built below works for the
    # organisation numbered as they are.
    "proposal": lambda owner_id: Proposal(provider_id=owner_id),
    "agreement": lambda owner_id: Agreement(provider_id=owner_id),
    # An action is the provider's whose agreement it is; a referral to it is the provider's
    # and the référent's who follows the person (sent, so still in the provider's lists).
    "action": lambda owner_id: ProgrammeAction(agreement=Agreement(provider_id=owner_id)),
    "referral": lambda owner_id: ActionReferral(
        action=ProgrammeAction(agreement=Agreement(provider_id=owner_id)),
        participant=Participant(referent_id=owner_id),
    ),
}

# The tables of docs/permissions.md, in this order (each action names its group).
GROUPS = (
    "Dossiers",
    "Orientation et entrée",
    "Parcours",
    "Commission d'entrée et de sortie",
    "Pilotage",
    "Achats et conventions",
    "Actions pour les participants",
    "Évaluation des actions",
    "Administration",
)


def reach(of: Action | str, role: str) -> Reach:
    """What `role` may do of the action, read from its predicate."""
    declared = of if isinstance(of, Action) else action(of)
    user = User(pk=1, role=role, is_active=True, organisation_id=1)
    if not declared.on:
        return Reach.YES if allows(declared.permission, user) else Reach.NONE
    build = OBJECTS[declared.on]
    own = allows(declared.permission, user, build(user.pk))
    others = allows(declared.permission, user, build(user.pk + 1))
    if others and not own:
        raise ValueError(f"{declared.permission}: {role} may act on others' but not its own")
    if own:
        return Reach.ALL if others else Reach.OWN
    return Reach.NONE


def table() -> dict[Action, dict[str, Reach]]:
    return {declared: {role: reach(declared, role) for role in Role} for declared in actions()}


# Addresses -------------------------------------------------------------------------------

ANYONE = "anyone"  # no login needed
SIGNED_IN = "signed_in"  # any signed-in user: nothing about a participant
ADMIN_NAMESPACE = "admin"  # Django's administration: its own login, one action for all


@dataclasses.dataclass(frozen=True)
class Access:
    """The actions a GET and a POST of an address need (all of them)."""

    get: tuple[str, ...]
    post: tuple[str, ...]

    def needs(self, method: str) -> tuple[str, ...]:
        return self.get if method == "GET" else self.post


def needs(get: str, *also: str, post: str = "") -> Access:
    """`get` (and `also`) for a GET; `post` instead for a POST when it differs."""
    return Access((get, *also), (post,) if post else (get, *also))


PAGES: dict[str, Access] = {
    "favicon": needs(ANYONE),
    "accounts:login": needs(ANYONE),
    "accounts:logout": needs(ANYONE),  # a GET asks; a POST ends one's own session
    "accounts:password_change": needs(SIGNED_IN),
    # The second factor of one's own account (code, fresh code, enrolment, backup codes).
    "accounts:second_factor": needs(SIGNED_IN),
    "accounts:reauthenticate": needs(SIGNED_IN),
    "accounts:second_factor_enrol": needs(SIGNED_IN),
    "accounts:second_factor_account": needs(SIGNED_IN),
    "accounts:role_requests": needs("accounts.decide_role_request"),
    "accounts:role_decide": needs("accounts.decide_role_request"),
    "accounts:account_access": needs("accounts.help_account_access"),
    "web:home": needs(SIGNED_IN),
    "web:participant_list": needs("participants.view_participant_list"),
    "web:participant": needs("participants.open_participant"),
    "web:journal": needs("audit.view_journal"),
    # One's own notices only (opening someone else's is a 404).
    "web:notices": needs(SIGNED_IN),
    "participants:edit": needs("participants.correct_identity"),
    "participants:referral_create": needs("participants.record_referral"),
    "participants:referral_add": needs(
        "participants.record_referral", "participants.open_participant"
    ),
    "participants:outreach": needs("participants.view_outreach_worklist"),
    "participants:appointment_plan": needs("participants.plan_appointment"),
    "participants:outreach_attempt": needs("participants.record_outreach"),
    "pathways:appointment_outcome": needs("participants.plan_appointment"),
    "pathways:referral_close": needs("participants.close_referral"),
    "pathways:entry_file": needs("pathways.edit_entry_file"),
    "pathways:eligibility_assess": needs("participants.assess_eligibility"),
    "pathways:worklists": needs("pathways.view_worklists"),
    "pathways:worklist": needs("pathways.view_worklists"),
    "pathways:exits": needs("pathways.view_worklists"),
    "pathways:caseloads": needs("pathways.view_caseloads"),
    "pathways:step_add": needs("pathways.record_step"),
    "pathways:step_edit": needs("pathways.record_step"),
    "pathways:step_withdraw": needs("pathways.record_step"),
    "pathways:contact_add": needs("pathways.record_contact"),
    "pathways:contact_edit": needs("pathways.record_contact"),
    "pathways:contact_withdraw": needs("pathways.record_contact"),
    "pathways:transfer": needs("pathways.transfer"),
    "pathways:follow_up": needs("pathways.record_follow_up"),
    "committee:committee_list": needs(
        "committee.view_committee", post="committee.manage_committee"
    ),
    "committee:meeting_detail": needs("committee.view_committee"),
    "committee:agenda_pdf": needs("committee.view_committee"),
    "committee:minutes_pdf": needs("committee.view_committee"),
    "committee:decide": needs("committee.manage_committee"),
    "committee:move": needs("committee.manage_committee"),
    "committee:close": needs("committee.manage_committee"),
    "committee:propose_entry": needs("committee.propose_entry"),
    "committee:propose_exit": needs("committee.propose_exit"),
    # An entry proposal's (an exit proposal's needs committee.propose_exit, the same roles).
    "committee:withdraw": needs("committee.propose_entry"),
    "reporting:key_figures": needs("reporting.view_key_figures"),
    "reporting:cohort": needs("reporting.view_key_figures"),
    "reporting:definitions": needs(SIGNED_IN),
    "reporting:dashboard": needs("reporting.view_dashboard"),
    "reporting:quarterly_review": needs("reporting.view_quarterly_review"),
    "reporting:quality": needs("reporting.view_data_quality"),
    "reporting:extractions": needs("reporting.request_extraction"),
    "reporting:extraction_download": needs("reporting.download_extraction"),
    "programme:years": needs("programme.view_programme", post="programme.manage_programme"),
    "programme:year": needs("programme.view_programme"),
    "programme:operation": needs("programme.view_programme"),
    "programme:operation_create": needs("programme.manage_programme"),
    "programme:operation_edit": needs("programme.manage_programme"),
    "programme:operation_funding": needs("programme.manage_programme"),
    "programme:operation_state": needs("programme.manage_programme"),
    "programme:statement_edit": needs("programme.manage_programme"),
    "programme:statement_evidence_add": needs("programme.manage_programme"),
    "programme:statement_evidence": needs("programme.manage_programme"),
    # Agreements (issue 11, §3-4, §6): the team's pages and the provider's, the same pages.
    "agreements:agreement_list": needs("agreements.view_agreement_list"),
    "agreements:agreement_create": needs("agreements.manage_agreement"),
    "agreements:agreement_detail": needs("agreements.open_agreement"),
    "agreements:agreement_sign": needs("agreements.manage_agreement", "agreements.open_agreement"),
    "agreements:amendment_ask": needs("agreements.manage_agreement", "agreements.open_agreement"),
    "agreements:amendment_decide": needs(
        "agreements.manage_agreement", "agreements.open_agreement"
    ),
    "agreements:deliverable_upload": needs("agreements.upload_deliverable"),
    "agreements:deliverable_check": needs(
        "agreements.check_deliverable", "agreements.open_agreement"
    ),
    "agreements:deliverable_download": needs("agreements.open_agreement"),
    "agreements:payment_record": needs("agreements.record_payment", "agreements.open_agreement"),
    "agreements:payment_orders_xlsx": needs("agreements.export_payment_orders"),
    "agreements:payment_orders_csv": needs("agreements.export_payment_orders"),
    # Referrals to actions (issue 12, §2, §6): the référent's form from the file, the
    # referral's page (team, référent, provider), the answers, the provider's lists.
    "actions:referrals_received": needs("actions.view_actions"),
    "actions:referral_new": needs("actions.refer_participant", "participants.open_participant"),
    "actions:referral": needs("actions.open_referral"),
    "actions:referral_accept": needs("actions.answer_referral"),
    "actions:referral_decline": needs("actions.answer_referral"),
    "actions:referral_propose": needs("actions.answer_referral"),
    "actions:referral_accept_proposal": needs("actions.refer_participant", "actions.open_referral"),
    "actions:referral_withdraw": needs("actions.refer_participant", "actions.open_referral"),
    "actions:referral_close": needs("actions.close_referral"),
    # Actions, cohorts and sessions (issue 12, §1 and §6: a provider reaches its own only).
    "actions:action_list": needs("actions.view_actions"),
    "actions:action_create": needs("actions.manage_action"),
    "actions:action_detail": needs("actions.open_action"),
    "actions:cohorts_generate": needs("actions.manage_action", "actions.open_action"),
    "actions:cohort_detail": needs("actions.open_action"),
    "actions:session_add": needs("actions.edit_sessions"),
    "actions:session_move": needs("actions.edit_sessions"),
    "actions:session_cancel": needs("actions.edit_sessions"),
    # Attendance and days delivered (issue 12, §3: actions/urls.py, attendance_views.py).
    "actions:session_attendance": needs("actions.record_attendance"),
    "actions:attendance_sheet": needs("actions.record_attendance"),
    "actions:signed_sheet_upload": needs("actions.record_attendance"),
    "actions:signed_sheet": needs("actions.record_attendance"),
    "actions:days_statement": needs("actions.days_statement"),
    "actions:days_statement_pdf": needs("actions.days_statement"),
    "actions:days_statement_xlsx": needs("actions.days_statement"),
    "actions:days_statement_hand_in": needs("actions.days_statement"),
    # The satisfaction survey (actions/survey_urls.py); the participant's page needs no account.
    "actions:survey_action": needs("actions.view_satisfaction"),
    "actions:survey_cohort": needs("actions.view_satisfaction"),
    "actions:survey_open": needs("actions.open_survey"),
    "actions:survey_close": needs("actions.open_survey"),
    "actions:survey_links": needs("actions.open_survey"),
    "actions:survey_sheet": needs("actions.open_survey"),
    "actions:survey_answer": needs(ANYONE),
    # Issue 13, the action's reports (evaluation/report_urls.py).
    "evaluation:reports_open": needs("evaluation.plan_reports"),
    "evaluation:report": needs("evaluation.view_reports", post="evaluation.write_report"),
    "evaluation:report_pdf": needs("evaluation.view_reports"),
    "evaluation:report_review": needs("evaluation.review_report"),
    "evaluation:budget_line_add": needs("evaluation.write_report"),
    "evaluation:budget_line_remove": needs("evaluation.write_report"),
    "evaluation:budget_evidence": needs("evaluation.view_reports"),
    # Calls and proposals (purchasing/urls.py): the team, the public page, the portal.
    "purchasing:call_list": needs("purchasing.view_calls"),
    "purchasing:call_create": needs("purchasing.manage_call"),
    "purchasing:call_detail": needs("purchasing.view_calls"),
    "purchasing:call_edit": needs("purchasing.manage_call"),
    "purchasing:call_publish": needs("purchasing.manage_call"),
    "purchasing:call_close": needs("purchasing.manage_call"),
    "purchasing:call_document_add": needs("purchasing.manage_call"),
    "purchasing:call_document_remove": needs("purchasing.manage_call"),
    "purchasing:call_document": needs("purchasing.view_calls"),
    "purchasing:proposal_record": needs("purchasing.record_proposal"),
    "purchasing:proposal_detail": needs("purchasing.read_proposal"),
    "purchasing:proposal_receipt": needs("purchasing.read_proposal"),
    "purchasing:proposal_document": needs("purchasing.read_proposal"),
    "purchasing:public_calls": needs(ANYONE),
    "purchasing:public_call": needs(ANYONE),
    # A published call's documents are public; a draft's are a 404 to all.
    "purchasing:public_document": needs(ANYONE),
    "purchasing:portal": needs("purchasing.submit_proposal"),
    "purchasing:portal_deposit": needs("purchasing.submit_proposal"),
    # The judgement of proposals (purchasing/scoring_urls.py).
    "scoring:ranking": needs("purchasing.view_ranking"),
    "scoring:scoring": needs("purchasing.score_proposal"),
    "scoring:declare": needs("purchasing.score_proposal"),
    "scoring:offers": needs("purchasing.record_offer"),
    "scoring:letter": needs("purchasing.view_letter"),
    "scoring:consultation_open": needs("purchasing.open_consultation"),
    "scoring:consultation_answer": needs("purchasing.answer_consultation"),
    "scoring:consultation_close": needs("purchasing.open_consultation"),
    "scoring:award": needs("purchasing.award"),
    "scoring:unsuccessful": needs("purchasing.award"),
    # Diagnostics, follow-up sheets and thread of a referral (actions/urls.py, issue 12 §4-5):
    # read by who opens the referral; each form by who may write it, on that referral.
    "actions:referral_assessments": needs("actions.open_referral"),
    "actions:assessment_french": needs("actions.open_referral", "actions.record_assessment"),
    "actions:assessment_mobility": needs("actions.open_referral", "actions.record_assessment"),
    "actions:assessment_clea": needs("actions.open_referral", "actions.record_assessment"),
    "actions:assessment_self": needs("actions.open_referral", "actions.record_assessment"),
    "actions:referral_follow_up": needs("actions.open_referral"),
    "actions:sheet_create": needs("actions.open_referral", "actions.write_follow_up"),
    "actions:sheet_edit": needs("actions.open_referral", "actions.write_follow_up"),
    "actions:sheet_send": needs("actions.open_referral", "actions.write_follow_up"),
    "actions:message_post": needs("actions.open_referral", "actions.write_message"),
    # The added value of an action (evaluation/value_urls.py, issue 13 §3): aggregates only.
    "evaluation:added_value_list": needs("evaluation.view_added_values"),
    "evaluation:added_value": needs("evaluation.view_added_value"),
    "evaluation:added_value_pdf": needs("evaluation.view_added_value"),
}
ADMINISTRATION = needs("accounts.administer")


def access(url_name: str) -> Access:
    """What the address needs; KeyError for an address nobody declared."""
    if url_name.split(":")[0] == ADMIN_NAMESPACE:
        return ADMINISTRATION
    return PAGES[url_name]


# The README's summary of each role -------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Claim:
    """A phrase of a role's summary and what it promises: the actions it grants (with the
    reach it says, when it says one: « ses participants », « tous les dossiers ») and those it
    denies. Every action a role may do is granted by one of its claims."""

    text: str
    grants: tuple[str, ...] = ()
    scope: Reach | None = None  # OWN or ALL for the actions decided on a record
    denies: tuple[str, ...] = ()


FOLLOWING = (
    "participants.view_participant_list",
    "participants.open_participant",
    "participants.correct_identity",
    "participants.record_referral",
    "participants.view_outreach_worklist",
    "participants.plan_appointment",
    "participants.record_outreach",
    "participants.close_referral",
    "pathways.edit_entry_file",
    "participants.assess_eligibility",
    "pathways.record_step",
    "pathways.record_contact",
    "pathways.record_follow_up",
    "pathways.view_worklists",
)
SENSITIVE = ("participants.view_sensitive_data", "participants.read_sensitive_data")
PROPOSING = ("committee.propose_entry", "committee.propose_exit")
ACTING_ON_PATHWAYS = (
    "participants.record_referral",
    "participants.plan_appointment",
    "participants.record_outreach",
    "participants.close_referral",
    "pathways.edit_entry_file",
    "participants.assess_eligibility",
    "pathways.record_step",
    "pathways.record_contact",
    "pathways.record_follow_up",
    "pathways.transfer",
    *PROPOSING,
    "committee.manage_committee",
)
NO_RECORD = (
    "participants.view_participant_list",
    "participants.open_participant",
    *SENSITIVE,
    "participants.correct_identity",
    *ACTING_ON_PATHWAYS,
    "pathways.view_worklists",
    "committee.view_committee",
    "reporting.request_extraction",
)
STEERING = (
    "reporting.view_key_figures",
    "reporting.view_dashboard",
    "reporting.view_quarterly_review",
)
AGREEMENTS_TEAM = (
    "agreements.view_agreement_list",
    "agreements.open_agreement",
    "agreements.upload_deliverable",
    "agreements.check_deliverable",
    "agreements.record_payment",
    "agreements.export_payment_orders",
)
LEADING = (
    "pathways.view_caseloads",
    *STEERING,
    "reporting.view_data_quality",
    "reporting.request_extraction",
    "reporting.download_extraction",
    "reporting.extract_sensitive_data",
)


ACTIONS_TEAM = (
    "actions.view_actions",
    "actions.open_action",
    "actions.edit_sessions",
    "actions.refer_participant",
    "actions.open_referral",
    "actions.answer_referral",
    "actions.record_attendance",
    "actions.record_assessment",
    "actions.write_follow_up",
    "actions.close_referral",
    "actions.write_message",
    "actions.days_statement",
)
ACTIONS_ASSISTANT = (
    "actions.view_actions",
    "actions.open_action",
    "actions.edit_sessions",
    "actions.open_referral",
    "actions.record_attendance",
    "actions.days_statement",
)
ACTIONS_PROVIDER = (
    "actions.view_actions",
    "actions.open_action",
    "actions.edit_sessions",
    "actions.open_referral",
    "actions.answer_referral",
    "actions.record_attendance",
    "actions.record_assessment",
    "actions.write_follow_up",
    "actions.close_referral",
    "actions.write_message",
    "actions.days_statement",
)

# The satisfaction survey (issue 13, §1): the team and the provider of the action.
SURVEY = ("actions.open_survey", "actions.view_satisfaction")
SURVEY_CLAIM = "ouvre le questionnaire de satisfaction d'un groupe et en lit les résultats"
ADDED_VALUE = ("evaluation.view_added_values", "evaluation.view_added_value")
REPORTS_TEAM = ("evaluation.view_reports", "evaluation.plan_reports", "evaluation.review_report")
REPORTS_PROVIDER = ("evaluation.view_reports", "evaluation.plan_reports", "evaluation.write_report")

CALLS_AND_PROPOSALS = (
    "purchasing.view_calls",
    "purchasing.manage_call",
    "purchasing.record_proposal",
    "purchasing.read_proposal",
)


def _case_lead(*more: Claim) -> tuple[Claim, ...]:
    return (
        Claim(
            "ouvre tous les dossiers, données sensibles comprises, et les suit comme un référent",
            (*FOLLOWING, *SENSITIVE, *PROPOSING),
            Reach.ALL,
        ),
        Claim("confie un parcours à un autre référent", ("pathways.transfer",), Reach.ALL),
        Claim(
            "programme les commissions et y décide des entrées et des sorties",
            ("committee.view_committee", "committee.manage_committee"),
        ),
        Claim(
            "pilote : files actives, chiffres, qualité des données, extractions nominatives",
            LEADING,
        ),
        Claim(
            "tient la programmation annuelle : opérations, budgets, financements, objectifs, "
            "situations budgétaires",
            ("programme.view_programme", "programme.manage_programme"),
        ),
        Claim(
            "prépare, publie et clôt les appels à propositions, saisit et lit les propositions",
            CALLS_AND_PROPOSALS,
            Reach.ALL,
        ),
        Claim(
            "prépare les conventions et leurs avenants, vérifie les livrables, enregistre les "
            "paiements et exporte les ordres de paiement",
            (*AGREEMENTS_TEAM, "agreements.manage_agreement"),
            Reach.ALL,
        ),
        Claim(
            "crée les actions et leurs groupes ; suit toutes les orientations vers les actions, "
            "leurs présences, diagnostics et fiches de suivi",
            (*ACTIONS_TEAM, "actions.manage_action"),
            Reach.ALL,
        ),
        Claim(SURVEY_CLAIM + " (toutes les actions)", SURVEY, Reach.ALL),
        Claim(
            "lit la plus-value de chaque action contre des participants comparables",
            ADDED_VALUE,
            Reach.ALL,
        ),
        Claim(
            "prévoit, lit, commente, renvoie et valide les bilans des actions",
            REPORTS_TEAM,
            Reach.ALL,
            denies=("evaluation.write_report",),
        ),
        *more,
    )


SCORING = (
    "purchasing.score_proposal",
    "purchasing.view_ranking",
    "purchasing.record_offer",
    "purchasing.view_letter",
)

SUMMARIES: dict[str, tuple[Claim, ...]] = {
    Role.COORDINATOR: _case_lead(
        Claim(
            "note les propositions, consulte le comité de pilotage et attribue les appels",
            (*SCORING, "purchasing.open_consultation", "purchasing.award"),
        ),
        Claim("lit le journal", ("audit.view_journal",)),
        Claim(
            "accorde ou refuse les rôles demandés par l'administration",
            ("accounts.decide_role_request",),
        ),
        Claim(
            "débloque un compte, retire un second facteur perdu",
            ("accounts.help_account_access",),
        ),
    ),
    Role.PROJECT_OFFICER: _case_lead(
        Claim("note les propositions et prépare leur classement", SCORING)
    ),
    Role.ASSISTANT: (
        Claim(
            "ouvre tous les dossiers, sans leurs données sensibles (de l'éligibilité, le "
            "verdict seul)",
            ("participants.view_participant_list", "participants.open_participant"),
            Reach.ALL,
            denies=SENSITIVE,
        ),
        Claim(
            "corrige l'identité, les coordonnées et l'adresse",
            ("participants.correct_identity",),
            Reach.ALL,
        ),
        Claim("n'agit pas sur les parcours", denies=ACTING_ON_PATHWAYS),
        Claim(
            "consulte les listes et les commissions",
            (
                "participants.view_outreach_worklist",
                "pathways.view_worklists",
                "pathways.view_caseloads",
                "committee.view_committee",
            ),
        ),
        Claim(
            "qualité des données, extractions mensuelles sans colonnes sensibles",
            (
                "reporting.view_data_quality",
                "reporting.request_extraction",
                "reporting.download_extraction",
            ),
            denies=("reporting.extract_sensitive_data",),
        ),
        Claim(
            "chiffres clés, tableau de bord, point d'étape, programmation annuelle en lecture",
            (*STEERING, "programme.view_programme"),
            denies=("programme.manage_programme",),
        ),
        Claim(
            "lit les appels à propositions, saisit les propositions reçues par courriel ou "
            "par la poste",
            ("purchasing.view_calls", "purchasing.record_proposal", "purchasing.read_proposal"),
            Reach.ALL,
            denies=("purchasing.manage_call",),
        ),
        Claim(
            "ouvre les conventions, vérifie les livrables, enregistre les paiements et exporte "
            "les ordres de paiement",
            AGREEMENTS_TEAM,
            Reach.ALL,
            denies=("agreements.manage_agreement",),
        ),
        Claim(
            "voit le classement des propositions, note auditions et offres révisées",
            ("purchasing.view_ranking", "purchasing.record_offer", "purchasing.view_letter"),
        ),
        Claim(
            "lit toutes les actions et leurs orientations ; saisit les présences et déplace les "
            "séances d'après les feuilles reçues, édite l'état des jours réalisés",
            ACTIONS_ASSISTANT,
            Reach.ALL,
            denies=(
                "actions.manage_action",
                "actions.refer_participant",
                "actions.answer_referral",
                "actions.close_referral",
                "actions.record_assessment",
                "actions.write_follow_up",
                "actions.write_message",
            ),
        ),
        Claim(SURVEY_CLAIM + " (toutes les actions)", SURVEY, Reach.ALL),
        Claim(
            "lit les bilans des actions",
            ("evaluation.view_reports",),
            Reach.ALL,
            denies=("evaluation.review_report", "evaluation.write_report"),
        ),
    ),
    Role.REFERENT: (
        Claim(
            "suit ses participants, de l'orientation à la sortie (identité, premier "
            "rendez-vous, aller-vers, dossier d'entrée, éligibilité, étapes, contacts), "
            "données sensibles comprises",
            (*FOLLOWING, *SENSITIVE),
            Reach.OWN,
        ),
        Claim("propose entrées et sorties", PROPOSING, Reach.OWN),
        Claim(
            "oriente ses participants vers les actions, lit les fiches de suivi et échange avec "
            "le prestataire",
            (
                "actions.open_referral",
                "actions.close_referral",
                "actions.write_message",
            ),
            Reach.OWN,
        ),
        Claim(
            "voit les actions ouvertes et leurs groupes",
            ("actions.view_actions", "actions.open_action", "actions.refer_participant"),
            Reach.ALL,
        ),
        Claim("son tableau de bord", ("reporting.view_dashboard",)),
    ),
    Role.PROVIDER: (
        Claim("n'a accès à aucun dossier", denies=NO_RECORD),
        Claim(
            "dépose les propositions de sa structure aux appels ouverts et les suit, sans "
            "rien voir de celles des autres",
            ("purchasing.submit_proposal", "purchasing.read_proposal"),
            Reach.OWN,
        ),
        Claim(
            "voit les conventions de sa structure, leurs échéances, et y dépose ses livrables",
            (
                "agreements.view_agreement_list",
                "agreements.open_agreement",
                "agreements.upload_deliverable",
            ),
            Reach.OWN,
        ),
        Claim(
            "télécharge la lettre de notification de ses propositions",
            ("purchasing.view_letter",),
            Reach.OWN,
        ),
        Claim(
            "conduit ses actions : groupes et séances, réponses aux orientations, présences et "
            "feuilles d'émargement, diagnostics, fiches de suivi, état des jours réalisés — "
            "pour les seules personnes orientées vers elles",
            ACTIONS_PROVIDER,
            Reach.OWN,
        ),
        Claim(SURVEY_CLAIM + " (ses actions)", SURVEY, Reach.OWN),
        Claim(
            "lit la plus-value de ses actions (chiffres agrégés, petits effectifs masqués)",
            ADDED_VALUE,
            Reach.OWN,
        ),
        Claim(
            "rédige les bilans de ses actions et leur situation budgétaire, les envoie au PLIE",
            REPORTS_PROVIDER,
            Reach.OWN,
            denies=("evaluation.review_report",),
        ),
    ),
    Role.STEERING_VIEWER: (
        Claim(
            "chiffres agrégés seulement (chiffres clés, tableau de bord, étude de cohorte, "
            "point d'étape trimestriel, programmation annuelle, plus-value des actions)",
            (*STEERING, "programme.view_programme", *ADDED_VALUE),
            denies=(*NO_RECORD, "programme.manage_programme"),
        ),
        Claim(
            "répond aux consultations écrites sur l'attribution des appels",
            ("purchasing.answer_consultation",),
        ),
    ),
    Role.ADMINISTRATOR: (
        Claim(
            "nomenclatures, types d'étapes, seuils des listes et comptes dans `/admin/`",
            ("accounts.administer",),
        ),
        Claim("sans accès aux dossiers", denies=NO_RECORD),
    ),
}


def summary(role: str) -> str:
    return " ; ".join(claim.text for claim in SUMMARIES[role])


def broken_claims(role: str) -> list[str]:
    """What the role's summary says that the table does not, and what it leaves unsaid."""
    problems = []
    granted = set()
    for claim in SUMMARIES[role]:
        for permission in claim.grants:
            granted.add(permission)
            found = reach(permission, role)
            expected = {Reach.YES} if not action(permission).on else {Reach.OWN, Reach.ALL}
            if claim.scope is not None and action(permission).on:
                expected = {claim.scope}
            if found not in expected:
                problems.append(f"« {claim.text} » : {permission} est « {found.value} »")
        for permission in claim.denies:
            if reach(permission, role) != Reach.NONE:
                problems.append(f"« {claim.text} » : {permission} est permis")
    unsaid = {a.permission for a in actions() if reach(a, role) != Reach.NONE} - granted
    problems += [f"{permission} est permis sans que le résumé le dise" for permission in unsaid]
    return problems
