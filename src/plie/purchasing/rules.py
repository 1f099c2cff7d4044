"""Purchasing permissions: the coordination team prepares calls for proposals and reads the
proposals (the coordinator and the project officers prepare and publish, the assistant keys
in the proposals received by e-mail or post); a provider deposits its organisation's
proposals and reads them, never another provider's. Each permission is an action of the table
of roles (core.permissions, docs/permissions.md)."""

import rules

from plie.accounts.rules import is_case_lead, is_coordination_team, is_provider
from plie.core.permissions import declare_action

PURCHASING = "Achats et conventions"


# Calls and proposals ---------------------------------------------------------------------


@rules.predicate
def is_own_organisation_proposal(user, proposal) -> bool:
    """A provider's records are its organisation's: its colleagues' proposals are its own."""
    return bool(
        proposal is not None
        and user.organisation_id is not None
        and proposal.provider_id == user.organisation_id
    )


@rules.predicate
def works_for_an_organisation(user) -> bool:
    return user.organisation_id is not None


declare_action(
    "purchasing.view_calls",
    is_coordination_team,
    label="Voir les appels à propositions, en préparation compris, et les propositions reçues",
    group=PURCHASING,
)
declare_action(
    "purchasing.manage_call",
    is_case_lead,
    label="Préparer un appel à propositions, le publier, clôturer ses dépôts",
    group=PURCHASING,
)
declare_action(
    "purchasing.record_proposal",
    is_coordination_team,
    label="Saisir une proposition reçue par courriel ou par la poste",
    group=PURCHASING,
)
declare_action(
    "purchasing.read_proposal",
    is_coordination_team | (is_provider & is_own_organisation_proposal),
    label="Lire une proposition, ses documents et son accusé de dépôt",
    group=PURCHASING,
    on="proposal",
    note="Un prestataire lit les propositions de sa structure, jamais celles d'une autre.",
)
declare_action(
    "purchasing.submit_proposal",
    is_provider & works_for_an_organisation,
    label="Déposer la proposition de sa structure à un appel ouvert, suivre les siennes",
    group=PURCHASING,
)
