"""Who may see or do what with actions (issue 12): the coordination team everything; a
référent the actions open to referrals and the referrals of the people they follow; a provider
its own actions, their cohorts and sessions, and the people referred to them — while they are
in its lists (§6: a person who left the action disappears once the follow-up sheet is sent).
Each permission is an action of the table of roles (core.permissions, docs/permissions.md)."""

import rules

from plie.accounts.rules import is_case_lead, is_coordination_team, is_provider, is_referent
from plie.actions.enums import AWAITING_ANSWER, ReferralStatus, SheetKind
from plie.core.permissions import declare_action
from plie.participants.rules import can_open_participant

ACTIONS = "Actions pour les participants"


def _action_of(target):
    """The action a target belongs to: an action, a cohort, a session or a referral."""
    for path in ("action", "cohort.action"):
        found = target
        for name in path.split("."):
            found = getattr(found, name, None)
        if found is not None:
            return found
    if hasattr(target, "agreement_id"):
        return target
    return None


@rules.predicate
def runs_the_action(user, target) -> bool:
    """The action (of this cohort, session or referral) is funded by an agreement with the
    organisation the user works for."""
    action = _action_of(target)
    return bool(
        action is not None
        and user.organisation_id
        and action.agreement.provider_id == user.organisation_id
    )


@rules.predicate
def follows_the_person(user, referral) -> bool:
    return referral is not None and can_open_participant.test(user, referral.participant)


def in_provider_lists(referral) -> bool:
    """A referral stays in the provider's lists while it is waiting for an answer or held a
    place; once the person left the action, until the final follow-up sheet is sent."""
    if referral.status in AWAITING_ANSWER or referral.status == ReferralStatus.ACCEPTED:
        return True
    if referral.status in (ReferralStatus.COMPLETED, ReferralStatus.DROPPED_OUT):
        return not referral.follow_up_sheets.filter(
            kind=SheetKind.FINAL, sent_at__isnull=False
        ).exists()
    return False


@rules.predicate
def still_in_provider_lists(user, referral) -> bool:
    return referral is not None and in_provider_lists(referral)


# The assistant reads the actions and keys in what comes on paper (attendance, sessions moved),
# but does not act on pathways (docs/permissions.md): a referral, an answer or an outcome
# adds or ends a step; a diagnostic, a follow-up sheet or a message speaks about the person.
acts_on_pathways = is_case_lead
own_provider = is_provider & runs_the_action
provider_of_the_referral = is_provider & runs_the_action & still_in_provider_lists

declare_action(
    "actions.view_actions",
    is_coordination_team | is_referent | is_provider,
    label="Voir les actions (un prestataire : les siennes ; un référent : celles qui sont ouvertes)",
    group=ACTIONS,
)
declare_action(
    "actions.open_action",
    is_coordination_team | is_referent | own_provider,
    label="Ouvrir une action : ses groupes, leurs séances et leurs places",
    group=ACTIONS,
    on="action",
)
declare_action(
    "actions.manage_action",
    is_case_lead,
    label="Créer une action sur une convention, générer ses groupes et leurs séances",
    group=ACTIONS,
)
declare_action(
    "actions.edit_sessions",
    is_coordination_team | own_provider,
    label="Déplacer, annuler ou ajouter une séance d'un groupe",
    group=ACTIONS,
    on="action",
)
declare_action(
    "actions.refer_participant",
    acts_on_pathways | is_referent,
    label="Orienter une personne vers une action depuis sa fiche (qui ouvre la fiche)",
    group=ACTIONS,
)
declare_action(
    "actions.open_referral",
    is_coordination_team | (is_referent & follows_the_person) | provider_of_the_referral,
    label="Lire une orientation vers une action : les informations transmises, les présences, "
    "les diagnostics, les fiches de suivi et les échanges",
    group=ACTIONS,
    on="referral",
)
declare_action(
    "actions.answer_referral",
    acts_on_pathways | provider_of_the_referral,
    label="Accepter une orientation, la refuser ou proposer un autre groupe",
    group=ACTIONS,
    on="referral",
)
declare_action(
    "actions.record_attendance",
    is_coordination_team | own_provider,
    label="Noter les présences d'une séance, déposer sa feuille d'émargement signée",
    group=ACTIONS,
    on="action",
)
declare_action(
    "actions.record_assessment",
    acts_on_pathways | provider_of_the_referral,
    label="Saisir les diagnostics d'une personne orientée (français, mobilité, CléA, "
    "autoévaluation)",
    group=ACTIONS,
    on="referral",
)
declare_action(
    "actions.write_follow_up",
    acts_on_pathways | provider_of_the_referral,
    label="Écrire et envoyer la fiche de suivi d'une personne, avec ses préconisations",
    group=ACTIONS,
    on="referral",
)
declare_action(
    "actions.close_referral",
    acts_on_pathways | (is_referent & follows_the_person) | provider_of_the_referral,
    label="Dire l'issue de l'action pour une personne (terminée, abandon et pourquoi)",
    group=ACTIONS,
    on="referral",
)
declare_action(
    "actions.write_message",
    acts_on_pathways | (is_referent & follows_the_person) | provider_of_the_referral,
    label="Écrire dans les échanges entre le prestataire et le référent sur une orientation",
    group=ACTIONS,
    on="referral",
)
declare_action(
    "actions.days_statement",
    is_coordination_team | own_provider,
    label="Éditer l'état des jours réalisés d'une action (PDF, XLSX)",
    group=ACTIONS,
    on="action",
)
